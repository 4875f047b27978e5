"""The progress table on real rows: a series break and a series with no trend judgement."""

from __future__ import annotations

import pandas as pd
import pytest

from lutonwb.progress import progress_table

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
