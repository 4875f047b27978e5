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
