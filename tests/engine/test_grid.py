"""Each home's period, benchmarks, notes and trend (lutonwb/engine/grid.py)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lutonwb.engine.grid import label_end_year, period_keys
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
    assert r["england_note"] == "the source publishes no figure for England"
    assert r["region_note"] == "the source publishes no figure for East of England"


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


@pytest.mark.parametrize(
    ("label", "year"),
    [
        ("2019", 2019), ("2017-19", 2019), ("2022/23", 2023), ("2019-2021", 2021),
        ("1999-00", 2000), ("Jan 2020", 2020), ("2020 Q1", 2020), ("2020-03", 2020),
        ("latest", None), ("Q5", None),
    ],
)  # fmt: skip
def test_label_end_year(label, year):
    assert label_end_year(label) == year


PERIODS = pd.DataFrame(
    {
        "measure_id": ["a", "a", "a", "b", "b", "c"],
        "period": ["2016-18", "2017-19", "2018-20", "2018/19", "2019/20", "2021"],
        "period_end": pd.to_datetime(
            ["2018-12-31", "2019-12-31", "2020-12-31", "2019-03-31", "2020-03-31", "2021-12-31"]
        ),
        "pkey": [0, 1, 2, 0, 1, 0],
    }
)


@pytest.mark.parametrize(
    ("period", "keys"),
    [
        # a year: the latest period ending in or before it, per measure; none for c (2021 only)
        ("2019", {"a": 1, "b": 0}),
        ("2020", {"a": 2, "b": 1}),
        ("2015", {}),
        # an exact label wins; other measures take the latest ending in or before its last year
        ("2018/19", {"a": 1, "b": 0}),
        ("2016-18", {"a": 0}),
        ("2030", {"a": 2, "b": 1, "c": 0}),
    ],
)
def test_period_keys_mean_latest_ending_in_or_before(period, keys):
    assert period_keys(PERIODS, period).to_dict() == keys


def test_a_year_shows_each_measure_latest_data_ending_by_then(eng, extra):
    """period=2019 rates every measure with data by 2019, each at its own period (not only
    measures with a period labelled exactly '2019')."""
    sc = eng.scorecard(LUTON, "england", period="2019")
    r = row(sc, "le")  # three-year periods only: the latest ending in 2019 (the fixture's 2019-21)
    assert (r["period"], r["value"], r["england"]) == ("2019-21", 79.0, 82.0)
    assert r["n_points"] == 3  # the trend stops at the period shown
    brk = {
        p: row(extra.scorecard(LUTON, "england", period=p), "brk") for p in ("2019", "2030", "2014")
    }
    assert (brk["2019"]["period"], brk["2019"]["value"]) == ("2019", 50.0)  # an exact label
    assert (brk["2030"]["period"], brk["2030"]["value"]) == ("2023", 50.5)  # the latest by 2030
    assert brk["2014"]["period"] == "2014" and pd.isna(brk["2014"]["value"])  # nothing that early
    bars = eng.measure_all_areas("le", period="2019")
    assert set(bars.loc[bars["value"].notna(), "period"]) == {"2019-21"}


def test_region_note_never_contradicts_the_documents_figures(real):
    """Life expectancy has no region figure in the open data, but the documents print East of
    England's (80.2 for 2018-20): the note says both; a measure the documents give no region
    figure for keeps the plain note."""
    home = "E06000032"
    sc = real.scorecard(home, "england")
    reported = real._st.reported
    region = real._st.names[real._st.region_of[home]]
    printed = reported[
        (reported["measure_id"] == "life-expectancy-male") & (reported["area"] == region)
    ]
    assert 80.2 in set(printed["value"]) and region == "East of England"
    le = row(sc, "life-expectancy-male")
    assert pd.isna(le["region"])
    assert le["region_note"] == (
        "the open data has no figure for East of England; the strategy documents report one "
        "(see 'Figures reported in the strategy documents' on the measure's page)"
    )
    gap = row(sc, "life-expectancy-gap-male")
    assert not ((reported["measure_id"] == gap.name) & (reported["area"] == region)).any()
    assert gap["region_note"] == "the source publishes no figure for East of England"


NOTE = re.compile(
    r"^the (?:open data has no figure for (?P<printed>.+?); the strategy documents report one "
    r"\(see 'Figures reported in the strategy documents' on the measure's page\)|"
    r"source publishes no figure for "
    r"(?P<none>.+))$"
)


@pytest.mark.parametrize(
    "home", ["E06000032", "E06000055", "E08000025"]
)  # Luton, Bedford, Birmingham
def test_no_benchmark_note_ever_contradicts_the_reported_figures(real, home):
    """For every measure and home area: a note that says the documents report a figure names an
    area the reported-figures table prints a value for, and one that says the source publishes
    none names an area that table has no figure for (the table lists the documents' areas, which
    are the place's own region: a Birmingham note names the West Midlands, never 'the region')."""
    sc = real.scorecard(home, "england")
    rep = real._st.reported
    given = rep[rep["value"].notna()]
    printed = set(zip(given["measure_id"], given["area"], strict=True))
    region = real._st.names[real._st.region_of[home]]
    checked = 0
    for col, area in (("region_note", region), ("england_note", "England")):
        for _, r in sc[sc[col].str.startswith("the ", na=False)].iterrows():
            if "summed from" in r[col]:
                continue  # a figure summed from counts, not a blank one
            found = NOTE.match(r[col])
            assert found, r[col]
            named = found["printed"] or found["none"]
            assert named == area, (r["measure_id"], r[col])
            assert ((r["measure_id"], named) in printed) == bool(found["printed"]), r[col]
            checked += 1
    assert checked >= 5


def test_a_chosen_period_is_not_called_old_against_englands_latest(real):
    """A figure for the period the reader chose is that period's, not a stale latest one: the
    note compares it with the chosen period, never with England's latest."""
    home = "E06000032"
    latest = real.scorecard(home, "cssnbt-2025")
    chosen = real.scorecard(home, "cssnbt-2025", period="2019-21")
    assert not chosen["stale_note"].str.contains("England's latest").any()
    at_period = chosen[chosen["period"] == "2019-21"]
    assert len(at_period) > 5 and not at_period["stale"].any()
    # a figure older than the chosen period by more than three years is still said to be old
    old = chosen[chosen["stale"]]
    assert len(old) > 0 and (old["period"] != "2019-21").all()
    assert old["stale_note"].str.endswith("years before the period chosen (2019-21)").all()
    le = row(latest, "life-expectancy-male")
    assert row(chosen, "life-expectancy-male")["period"] == "2019-21" and le["period"] != "2019-21"
