"""Intervals from counts: against published Fingertips rows and PHStatsMethods (the official port
of PHEindicatormethods, a test-only dependency)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from lutonwb import intervals, stats

CAMPYLOBACTER = "fingertips/fingertips_raw_export_campylobacter_93356_county_ua_2015_2017.csv"
PUBLISHED = ("Area Type", "Time period", "Value", "Count", "Denominator", "Lower CI 95.0 limit",
             "Upper CI 95.0 limit")  # fmt: skip
OURS = ("area_type", "year", "value", "count", "denominator", "lower", "upper")


def _phs(module: str):
    """A PHStatsMethods module (test-only dependency); the test is skipped without it."""
    return pytest.importorskip(f"PHStatsMethods.{module}")


@pytest.fixture(scope="module")
def campylobacter(raw_dir) -> pd.DataFrame:
    """Fingertips' published all-ages campylobacter rates per 100,000 (with counts and limits)."""
    d = pd.read_csv(raw_dir / CAMPYLOBACTER)
    d = d[(d["Age"] == "All ages") & d["Category Type"].isna()]
    return d.rename(columns=dict(zip(PUBLISHED, OURS, strict=True)))


def _authority_rows(campylobacter: pd.DataFrame) -> pd.DataFrame:
    rows = campylobacter[
        (campylobacter["area_type"] == "County & UA") & campylobacter["count"].notna()
    ]
    assert len(rows) > 400
    return rows


def test_exact_poisson_limits_match_published_authority_rows(campylobacter):
    """Fingertips published this indicator's authority limits by the exact Poisson method, at
    every count: stats.poisson_exact_ci reproduces them (every 10th row: it is slow at large
    counts, and the engine uses it only below 10 events)."""
    rows = _authority_rows(campylobacter).iloc[::10]
    got = np.array([stats.poisson_exact_ci(int(x)) for x in rows["count"]])
    got = got / rows["denominator"].to_numpy()[:, None] * 100_000
    np.testing.assert_allclose(got[:, 0], rows["lower"], rtol=1e-6)
    np.testing.assert_allclose(got[:, 1], rows["upper"], rtol=1e-6)


def test_byar_limits_are_within_rounding_of_the_published_exact_ones(campylobacter):
    """From 10 events rate_ci uses Byar (PHE practice): within 0.02% of the exact limits here."""
    rows = _authority_rows(campylobacter)
    got = np.array([stats.rate_ci(x, n, 100_000) for x, n in rows[["count", "denominator"]].values])
    np.testing.assert_allclose(got[:, 0], rows["lower"], rtol=2e-4)
    np.testing.assert_allclose(got[:, 1], rows["upper"], rtol=2e-4)
    assert not np.allclose(got[:, 0], rows["lower"], rtol=1e-6)  # a different method, honestly


@pytest.mark.parametrize("year", [2015, 2016, 2017])
def test_england_aggregated_from_authority_counts_matches_published_england(campylobacter, year):
    """Sum of counts over sum of denominators reproduces England's published value and limits."""
    areas = campylobacter[
        (campylobacter["area_type"] == "County & UA") & (campylobacter["year"] == year)
    ].drop_duplicates("Area Code")
    england = campylobacter[
        (campylobacter["Area Code"] == "E92000001") & (campylobacter["year"] == year)
    ].iloc[0]
    value, lo, hi = intervals.aggregate_from_counts(
        areas["count"], areas["denominator"], "rate", per=100_000
    )
    assert value == pytest.approx(england["value"], rel=1e-9)
    assert (lo, hi) == pytest.approx((england["lower"], england["upper"]), rel=1e-6)
    assert value != pytest.approx(areas["value"].mean(), rel=1e-3)  # not the mean of rates


PROPORTIONS = [(0, 50), (3, 40), (65, 100), (480, 1000), (9_999, 10_000), (10_000, 10_000)]


@pytest.mark.parametrize(("count", "denominator"), PROPORTIONS)
def test_wilson_matches_phstatsmethods(count, denominator):
    """stats.wilson_ci (reused, not rewritten) equals PHStatsMethods' Wilson interval."""
    wilson = _phs("confidence_intervals").wilson

    assert stats.wilson_ci(count, denominator) == pytest.approx(wilson(count, denominator))


@pytest.mark.parametrize("count", [0, 1, 3, 9, 10, 11, 57, 1234, 51_897])
def test_poisson_limits_match_phstatsmethods(count):
    """stats.poisson_ci: exact below 10 events, Byar from 10, as PHStatsMethods' byars_*."""
    ci = _phs("confidence_intervals")
    byars_lower, byars_upper, exact_upper = ci.byars_lower, ci.byars_upper, ci.exact_upper

    lower = 0.0 if count == 0 else byars_lower(count)
    upper = exact_upper(count) if count == 0 else byars_upper(count)
    assert stats.poisson_ci(count) == pytest.approx((lower, upper), rel=1e-9)


def _phs_aggregate(counts, denominators, kind):
    ph_proportion, ph_rate = _phs("proportions").ph_proportion, _phs("rates").ph_rate

    df = pd.DataFrame({"n": counts, "d": denominators, "g": "all"})
    df = df.dropna().groupby("g", as_index=False)[["n", "d"]].sum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = (
            ph_proportion(df, "n", "d", multiplier=100)
            if kind == "percentage"
            else ph_rate(df, "n", "d")
        )
    return tuple(out.loc[0, ["Value", "lower_95_ci", "upper_95_ci"]])


AGGREGATES = [
    ("percentage", [30, 50, 12], [1000, 2000, 150]),
    ("percentage", [30, None, 12], [1000, 2000, 150]),  # an area without a count is left out
    ("rate", [3, 4, 1], [20_000, 35_000, 9_000]),  # under 10 events: exact Poisson
    ("rate", [132, 171, 200], [92_493, 139_509, 135_275]),
]


@pytest.mark.parametrize(("kind", "counts", "denominators"), AGGREGATES)
def test_aggregate_from_counts_matches_phstatsmethods(kind, counts, denominators):
    got = intervals.aggregate_from_counts(
        np.array(counts, dtype=float), np.array(denominators, dtype=float), kind
    )
    assert got == pytest.approx(_phs_aggregate(counts, denominators, kind), rel=1e-9)


def test_aggregate_from_counts_without_any_count_is_missing():
    assert all(math.isnan(v) for v in intervals.aggregate_from_counts([None], [10], "rate"))
    with pytest.raises(ValueError, match="kind"):
        intervals.aggregate_from_counts([1], [10], "ratio")


DSR_CASES = [  # events and populations in four age bands; standard population weights
    ([1, 5, 40, 120], [12_000, 15_000, 9_000, 4_000], [20_000, 25_000, 30_000, 25_000]),
    ([0, 2, 3, 8], [5_000, 6_000, 4_000, 2_000], [20_000, 25_000, 30_000, 25_000]),
    ([30, 60, 150, 400], [80_000, 70_000, 50_000, 20_000], [5_000, 5_500, 6_000, 4_500]),
]


@pytest.mark.parametrize(("counts", "pops", "weights"), DSR_CASES)
def test_dsr_and_dobson_limits_match_phstatsmethods(counts, pops, weights):
    ph_dsr = _phs("DSR").ph_dsr

    df = pd.DataFrame({"x": counts, "n": pops, "w": weights})
    ref = ph_dsr(df, "x", "n", "w", euro_standard_pops=False).iloc[0]
    got = intervals.dsr_with_ci(counts, pops, weights)
    assert got == pytest.approx((ref["Value"], ref["lower_95_ci"], ref["upper_95_ci"]), rel=1e-9)


def test_dsr_below_ten_events_is_not_computed():
    got = intervals.dsr_with_ci([1, 2, 3, 3], [1000] * 4, [25] * 4)
    assert all(math.isnan(v) for v in got)


def test_aggregate_frame_gives_england_for_each_year(campylobacter):
    """One row per year from the authorities' counts, equal to Fingertips' England rows."""
    areas = campylobacter[campylobacter["area_type"] == "County & UA"].drop_duplicates(
        ["Area Code", "year"]
    )
    got = intervals.aggregate_frame(areas, ["year"], "rate").set_index("year")
    england = campylobacter[campylobacter["Area Code"] == "E92000001"].set_index("year")
    assert got.index.tolist() == [2015, 2016, 2017]
    assert got["count"].tolist() == england.loc[got.index, "count"].tolist()
    for col, pub in [("value", "value"), ("lower_ci", "lower"), ("upper_ci", "upper")]:
        np.testing.assert_allclose(got[col], england.loc[got.index, pub], rtol=1e-6)
