"""Each home's period, benchmarks, notes and trend (lutonwb/engine/grid.py)."""

from __future__ import annotations

import pandas as pd

from tests.engine.build import B_, C_, LUTON, row


def test_cumulative_series_ordered_by_end_and_no_trend(extra):
    r = row(extra.scorecard(LUTON, "england"), "chk")
    assert (r["period"], r["value"]) == ("Q5", 50.0)  # the latest by period end
    assert r["trend"] == "Not applicable" and r["trend_method"] == "cumulative series"
    assert r["trend_note"] == "cumulative series"
    s = extra.measure_series("chk", LUTON, "england")
    home = s[s["role"] == "home"]
    assert home["value"].tolist() == [10.0, 20.0, 30.0, 40.0, 50.0]
    assert home["period_end"].is_monotonic_increasing
    assert "Not applicable" in __import__("lutonwb.engine").engine.TREND_WORDS


def test_trend_from_drops_points_before_the_break(extra):
    r = row(extra.scorecard(LUTON, "england"), "brk")
    assert (r["trend"], r["n_points"]) == ("No significant change", 5)
    s = extra.measure_series("brk", LUTON, "england")
    home = s[s["role"] == "home"].set_index("period")["before_break"]
    assert home.loc[["2015", "2018"]].tolist() == [True, True]
    assert home.loc[["2019", "2023"]].tolist() == [False, False]


def test_stale_small_zero_and_missing_benchmark_notes(extra):
    b = row(extra.scorecard(B_, "england"), "fp")
    assert not b["stale"] and b["period"] == "2022"
    sc = extra.scorecard(LUTON, "england")
    assert not sc["stale"].any()
    c = row(extra.scorecard(C_, "all"), "fp")
    assert pd.isna(c["rank"]) and c["rank_note"].startswith("not ranked")
    r = row(sc, "brk")
    assert r["england_note"] == "the source publishes no England figure"
    assert r["region_note"] == "the source publishes no region figure"


def test_england_quintile_is_the_fifth_among_all_authorities(eng):
    """Life expectancy 2021-23, ten authorities: 78, 79, then Luton's 80 tied with two others at
    positions 3-5; NTILE(5) of 10 puts positions 3-4 in fifth 2 (ties take the first), so the
    second-lowest fifth, which for higher-better is fifth 4 (1 = best); the interval still rates."""
    r = row(eng.scorecard(LUTON, "england"), "le")
    assert r["england_quintile"] == 4
    assert (r["vs_england"], r["vs_england_method"]) == ("Worse", "ci")


def test_no_interval_against_a_group_is_a_position_in_fifths(eng):
    """Smoking has the source's judgement against England but no interval: against CSSNBT (rank
    2 of 2) it is the worst fifth by the seeds' rank rule, uncoloured by RAG."""
    r = row(eng.scorecard(LUTON, "cssnbt-2021"), "smk")
    assert (r["vs_group"], r["vs_group_method"], r["rag_group"]) == ("Worst fifth", "quintile", "")
    assert (r["vs_england"], r["vs_england_method"]) == ("Worse", "source")
