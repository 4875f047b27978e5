"""The progress table on real rows: a series break, a series with no trend judgement, and the
status of the claimant count and male life expectancy worked out by hand from the warehouse."""

from __future__ import annotations

import pandas as pd
import pytest

from lutonwb import config
from lutonwb.progress import progress_table
from lutonwb.progress.series import decimal_year
from tests.progress.test_trend import CLAIMANT, _ols, _rows

LUTON = "E06000032"


@pytest.fixture(scope="module")
def table(engine) -> pd.DataFrame:
    return progress_table(engine, LUTON, "england").set_index("measure_id")


def test_series_break_leaves_too_few_points(engine, table):
    whole = engine.measure_series("good-level-of-development", LUTON, "england")
    home = whole[whole["role"] == "home"]
    assert len(home) >= 5  # enough points in all, but the EYFS reform breaks the series in 2021/22
    r = table.loc["good-level-of-development"]
    assert r["baseline_period"] == "2021/22"
    assert r["progress"] == "not assessable" and "too few points" in r["progress_reason"]
    assert r["gap_trend"] == "not enough data"


def test_nominal_money_is_not_judged(table):
    r = table.loc["median-weekly-pay"]
    assert r["progress"] == "not assessable"
    assert "nominal money" in r["progress_reason"]


def test_each_unassessable_measure_says_precisely_why(table):
    # an open series with no England figure (the older fuel-poverty definition): no default target
    assert table.loc["fuel-poverty-lihc", "progress_reason"] == (
        "no England figure to compare with, so no 2040 target (England's latest value)"
    )
    # only the strategy documents' figures
    assert table.loc["children-missing-education", "progress_reason"].startswith(
        "only the strategy documents' figures, no open data series: no England figure"
    )
    assert table.loc["attainment-8", "progress_reason"] == (
        "no open data series, and the strategy documents report no figure for this area"
    )
    assert not table["progress_reason"].eq("no latest value or no target value").any()


def test_latest_gap_is_positive_when_worse_in_both_forms(table):
    # male healthy life expectancy: Luton 56.9 years against England's 60.9 (higher is better)
    r = table.loc["healthy-life-expectancy-male"]
    assert r["gap_latest"] == pytest.approx(60.9 - 56.9)
    assert r["gap_latest_pct"] == pytest.approx((60.9 - 56.9) / 60.9 * 100)
    better = table.loc["breastfeeding-6-8-weeks"]  # 66.56% against 52.71%: better, negative
    assert better["gap_latest"] < 0 and better["gap_latest_pct"] < 0


def test_comparator_england_change_is_englands(engine, table):
    r = table.loc["claimant-count"]
    # last year before 2022 is 2021: England 5.5% -> 4.0% in 2025; Luton 7.5% -> 6.9%
    assert r["designation_before_period"] == "2021"
    assert r["change_since_designation"] == pytest.approx(6.9 - 7.5)
    assert r["group_change_since_designation"] == pytest.approx(4.0 - 5.5)
    assert r["difference_in_differences"] == pytest.approx((6.9 - 7.5) - (4.0 - 5.5))


@pytest.mark.parametrize("mid", ["claimant-count", "good-level-of-development", "fuel-poverty"])
def test_one_measures_row_is_its_table_row(engine, table, mid):
    from lutonwb.progress import measure_progress

    one = measure_progress(engine, mid, LUTON, "england")
    assert len(one) == 1 and one["measure_id"].iloc[0] == mid
    pd.testing.assert_series_equal(
        one.set_index("measure_id").loc[mid], table.loc[mid], check_names=False
    )


def _status_by_hand(ratio: float, significant: bool) -> str:
    """Open SDG's bands (0.95, 0.6, 0), written out; the two strong words need significance."""
    if ratio >= 0.95:
        return "on track" if significant else "some progress"
    if ratio >= 0.6:
        return "some progress"
    if ratio >= 0:
        return "off track"
    return "moving away" if significant else "off track"


@pytest.mark.parametrize(
    ("mid", "series", "sex", "polarity", "expected"),
    [
        # 2021-2025: 7.5, 5.4, 5.3, 6.2, 6.9 % against England's 4.0 %: falling too slowly
        ("claimant-count", CLAIMANT, "Persons", "lower-better", "off track"),
        # 2019-21 .. 2023-25: 77.3, 76.9, 77.5, 78.6, 78.6 years against England's 79.7: rising
        # fast enough, but not significantly over five points: some progress at most (its reason
        # says the lean could be chance, as its trend says no significant change)
        ("life-expectancy-male", "fingertips/life_expectancy", "Male", "higher-better",
         "some progress"),
    ],
)  # fmt: skip
def test_status_by_hand_on_real_rows(wh, table, mid, series, sex, polarity, expected):
    wide = _rows(wh, series, sex).tail(5)
    t = decimal_year(pd.Series(pd.to_datetime(wide.index)))
    home, england = wide[LUTON].to_numpy(), wide[config.ENGLAND].to_numpy()
    slope, tstat = _ols(t, home)
    required = (england[-1] - home[-1]) / (2040 - t[-1])  # to England's latest by 2040
    gap = home[-1] - england[-1] if polarity == "lower-better" else england[-1] - home[-1]
    r = table.loc[mid]
    assert r["gap_latest"] == pytest.approx(gap) and gap > 0  # worse than England
    assert (r["target_value"], r["target_year"]) == (england[-1], 2040)
    assert r["required_annual_change"] == pytest.approx(required)
    assert r["observed_annual_change"] == pytest.approx(slope)
    assert r["progress_ratio"] == pytest.approx(slope / required)
    assert r["progress"] == _status_by_hand(slope / required, abs(tstat) > 3.182) == expected
