"""Rating rules, intervals and the trend marker, against hand-worked and published values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lutonwb import stats


@pytest.mark.parametrize(
    ("count", "denom", "lo", "hi"),
    [
        (10, 100, 0.0552, 0.1744),  # PHE technical guide / Newcombe 1998
        (0, 10, 0.0, 0.2775),
        (81, 263, 0.2553, 0.3662),  # Newcombe 1998 table I
        (15, 148, 0.0624, 0.1605),  # Newcombe 1998 table I
    ],
)
def test_wilson(count, denom, lo, hi):
    got = stats.wilson_ci(count, denom)
    assert got == pytest.approx((lo, hi), abs=5e-5)


def test_wilson_no_denominator():
    assert all(math.isnan(x) for x in stats.wilson_ci(3, 0))


@pytest.mark.parametrize(
    ("count", "lo", "hi"),
    [
        (10, 4.79, 18.39),  # Byar's approximation (the exact interval is 4.80-18.39)
        (100, 81.36, 121.63),  # agrees with the exact interval at 2 dp
    ],
)
def test_byar(count, lo, hi):
    got = stats.byar_ci(count)
    assert got == pytest.approx((lo, hi), abs=0.006)


@pytest.mark.parametrize(
    ("count", "lo", "hi"),
    [(10, 4.795, 18.390), (0, 0.0, 3.689), (3, 0.619, 8.767), (1, 0.0253, 5.572)],  # Garwood exact
)
def test_poisson_exact(count, lo, hi):
    assert stats.poisson_exact_ci(count) == pytest.approx((lo, hi), abs=6e-4)


def test_poisson_ci_switches_to_byar_from_ten():
    assert stats.poisson_ci(9) == pytest.approx(stats.poisson_exact_ci(9))
    assert stats.poisson_ci(10) == pytest.approx(stats.byar_ci(10))
    lo, hi = stats.rate_ci(10, 50_000)
    assert (round(lo, 2), round(hi, 2)) == (9.57, 36.78)


@pytest.mark.parametrize(
    ("value", "lo", "hi", "bench", "polarity", "source", "word", "method"),
    [
        # interval wholly above / below the benchmark, both polarities
        (10, 9, 11, 8, "higher-better", None, "Better", "ci"),
        (10, 9, 11, 8, "lower-better", None, "Worse", "ci"),
        (10, 9, 11, 12, "higher-better", None, "Worse", "ci"),
        (10, 9, 11, 12, "lower-better", None, "Better", "ci"),
        # interval contains or touches the benchmark: similar
        (10, 9, 11, 10.5, "higher-better", None, "Similar", "ci"),
        (10, 9, 11, 11, "higher-better", None, "Similar", "ci"),
        (10, 9, 11, 9, "lower-better", None, "Similar", "ci"),
        # no polarity: never Better/Worse
        (10, 9, 11, 8, "none", None, "Higher", "ci"),
        (10, 9, 11, 12, "none", None, "Lower", "ci"),
        (10, 9, 11, 10, "none", None, "Similar", "ci"),
        # missing limits: the source's own judgement when given ...
        (10, None, None, 8, "higher-better", "Similar", "Similar", "source"),
        (10, None, None, 8, "lower-better", "Worse", "Worse", "source"),
        (10, 9, None, 8, "higher-better", "Better", "Better", "source"),
        (10, None, None, 8, "none", "Better", "Higher", "source"),
        # ... otherwise not tested: Higher / Lower only, whatever the polarity
        (10, None, None, 8, "higher-better", None, "Higher", "not tested"),
        (10, None, None, 12, "lower-better", "", "Lower", "not tested"),
        (10, None, None, 12, "higher-better", "Not compared", "Lower", "not tested"),
        # nothing to compare
        (None, None, None, 8, "higher-better", "Better", "Not compared", ""),
        (10, 9, 11, None, "higher-better", None, "Not compared", ""),
    ],
)
def test_compare(value, lo, hi, bench, polarity, source, word, method):
    assert stats.compare(value, lo, hi, bench, polarity, source) == (word, method)


@pytest.mark.parametrize(
    ("word", "letter"),
    [("Worse", "R"), ("Similar", "A"), ("Better", "G"), ("Higher", ""), ("Not compared", "")],
)
def test_rag(word, letter):
    assert stats.rag(word) == letter


@pytest.mark.parametrize(
    ("values", "polarity", "ranks"),
    [
        ([5, 7, 7, 3], "higher-better", [3, 1, 1, 4]),
        ([5, 7, 7, 3], "lower-better", [2, 3, 3, 1]),
        ([5, 7, 7, 3], "none", [3, 1, 1, 4]),
        ([2, np.nan, 1], "lower-better", [2, np.nan, 1]),
        ([4, 4, 4], "higher-better", [1, 1, 1]),
    ],
)
def test_rank(values, polarity, ranks):
    np.testing.assert_array_equal(stats.rank_values(values, polarity), np.array(ranks, dtype=float))


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (16, [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]),
        (11, [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4]),
        (4, [1, 2, 3, 4]),
        (1, [1]),
    ],
)
def test_quartile(n, expected):
    got = stats.quartile(np.arange(1, n + 1), np.full(n, n))
    assert got.tolist() == expected


def test_quartile_unranked():
    assert math.isnan(stats.quartile(np.nan, 16))
    assert stats.quartile(3, 16) == 1


YEARS5 = [2019, 2020, 2021, 2022, 2023]
RISING = [10, 11, 12, 13, 14]


@pytest.mark.parametrize(
    ("times", "values", "lo", "hi", "polarity", "word", "method"),
    [
        # fewer than three points: never a trend
        ([2022, 2023], [1, 2], [0.9, 1.9], [1.1, 2.1], "higher-better", "Not enough data", "none"),
        # three points with tight limits: WLS
        (
            [2021, 2022, 2023],
            [10, 11, 12],
            [9.9, 10.9, 11.9],
            [10.1, 11.1, 12.1],
            "higher-better",
            "Getting better",
            "wls",
        ),
        # three points without limits: not enough (unweighted needs five)
        ([2021, 2022, 2023], [10, 11, 12], None, None, "higher-better", "Not enough data", "none"),
        # five points rising, tight limits, both polarities and none
        (
            YEARS5,
            RISING,
            [v - 0.2 for v in RISING],
            [v + 0.2 for v in RISING],
            "higher-better",
            "Getting better",
            "wls",
        ),
        (
            YEARS5,
            RISING,
            [v - 0.2 for v in RISING],
            [v + 0.2 for v in RISING],
            "lower-better",
            "Getting worse",
            "wls",
        ),
        (
            YEARS5,
            RISING,
            [v - 0.2 for v in RISING],
            [v + 0.2 for v in RISING],
            "none",
            "Increasing",
            "wls",
        ),
        (
            YEARS5,
            RISING[::-1],
            [v - 0.2 for v in RISING[::-1]],
            [v + 0.2 for v in RISING[::-1]],
            "lower-better",
            "Getting better",
            "wls",
        ),
        # five points rising but wide limits: no significant change
        (
            YEARS5,
            RISING,
            [v - 10 for v in RISING],
            [v + 10 for v in RISING],
            "higher-better",
            "No significant change",
            "wls",
        ),
        # flat
        (
            YEARS5,
            [5, 5, 5, 5, 5],
            [4, 4, 4, 4, 4],
            [6, 6, 6, 6, 6],
            "higher-better",
            "No significant change",
            "wls",
        ),
        (YEARS5, [5, 5, 5, 5, 5], None, None, "higher-better", "No significant change", "ols"),
        # five points without limits: unweighted regression with a t-test (3 df)
        (YEARS5, [10, 11.2, 11.8, 13.1, 14], None, None, "lower-better", "Getting worse", "ols"),
        (YEARS5, [10, 14, 9, 15, 11], None, None, "higher-better", "No significant change", "ols"),
    ],
)
def test_trend(times, values, lo, hi, polarity, word, method):
    got = stats.trend(times, values, lo, hi, polarity=polarity)
    assert (got.word, got.method) == (word, method)


def test_trend_uses_last_five_points():
    years = list(range(2010, 2024))
    values = [50 - i for i in range(9)] + [40, 40.1, 39.9, 40, 40.05]  # fell, then flat for five
    got = stats.trend(years, values, polarity="higher-better")
    assert got.n_points == 5 and got.word == "No significant change"


def test_trend_chi_squared_hand_worked():
    # Cochran-Armitage by hand: x = 100..140 of 1000 each, t = 0..4:
    # p = 600/5000 = 0.12, tbar = 2, T = sum x (t - 2) = 100, sum n (t - 2)^2 = 10000
    # chi2 = 100^2 / (0.12 * 0.88 * 10000) = 9.4697 > 3.84
    got = stats.trend(
        YEARS5,
        [10, 11, 12, 13, 14],
        counts=[100, 110, 120, 130, 140],
        denominators=[1000] * 5,
        polarity="lower-better",
        proportion=True,
    )
    assert got.method == "chi2" and got.word == "Getting worse"
    assert got.statistic == pytest.approx(9.4697, abs=1e-3)
    # same counts, smaller denominators: not significant
    small = stats.trend(
        YEARS5,
        [10, 11, 12, 13, 14],
        counts=[10, 11, 12, 13, 14],
        denominators=[100] * 5,
        proportion=True,
    )
    assert small.method == "chi2" and small.word == "No significant change"


def test_chi_squared_needs_five_points_fewer_fall_back():
    # four points with counts: Fingertips' test needs five, so the limits-based fallback runs
    kw = {"counts": [100, 110, 120, 130], "denominators": [1000] * 4, "proportion": True}
    four = stats.trend(YEARS5[:4], [10, 11, 12, 13], lower=[9] * 4, upper=[14] * 4, **kw)
    assert four.method == "wls" and four.n_points == 4
    without_limits = stats.trend(YEARS5[:4], [10, 11, 12, 13], **kw)
    assert without_limits.method == "none" and without_limits.word == "Not enough data"


def test_trend_frame_vectorised_matches_scalar():
    import pandas as pd

    rows = []
    for key, vals in {"a": RISING, "b": [5, 5, 5, 5, 5], "c": [1, 2]}.items():
        for t, v in zip(YEARS5, vals, strict=False):
            rows.append(
                {
                    "k": key,
                    "t": t,
                    "value": v,
                    "lower_ci": v - 0.2,
                    "upper_ci": v + 0.2,
                    "count": np.nan,
                    "denominator": np.nan,
                    "polarity": "higher-better",
                    "proportion": False,
                }
            )
    out = stats.trend_frame(pd.DataFrame(rows), ["k"]).set_index("k")
    assert out.loc["a", "trend"] == "Getting better"
    assert out.loc["b", "trend"] == "No significant change"
    assert out.loc["c", "trend"] == "Not enough data"


def test_sii_hand_worked():
    # equal populations: ridits 0.125, 0.375, 0.625, 0.875; a perfect line value = 10 + 8 * ridit
    ridits = np.array([0.125, 0.375, 0.625, 0.875])
    assert stats.slope_index_of_inequality(
        10 + 8 * ridits, [1, 2, 3, 4], [1, 1, 1, 1]
    ) == pytest.approx(8)
    assert math.isnan(stats.slope_index_of_inequality([1], [1], [1]))


def test_trend_methods_in_readers_words() -> None:
    """The exact wording stays for the methods page and the CLI; readers get plain words back
    from it, the number of points kept, a label before a colon kept."""
    ols = stats.TREND_METHODS["ols"].format(n=5)
    assert "least-squares" in ols  # the analysts' wording is unchanged
    assert stats.plain_trend_description(f"gap to England: {ols}") == (
        "gap to England: trend over the last 5 points, tested at 95% confidence"
    )
    wls = stats.TREND_METHODS["wls"].format(n=4)
    assert stats.plain_trend_description(wls) == (
        "trend over the last 4 points, tested at 95% confidence"
    )
    chi2 = stats.TREND_METHODS["chi2"].format(n=5)
    assert stats.plain_trend_description(f"gap between fifths: {chi2}") == (
        "gap between fifths: trend in the proportion over the last 5 points, tested at 95% "
        "confidence"
    )
    assert stats.plain_trend_description(stats.TREND_METHODS["none"]) == (
        "too few points to judge a trend"
    )
    # text that is not a trend method passes unchanged
    assert stats.plain_trend_description("fewer than 5 points with a gap") == (
        "fewer than 5 points with a gap"
    )
    assert stats.plain_trend_description(None) == ""
    assert stats.trend_plain("ols", 3) == "trend over the last 3 points, tested at 95% confidence"
    assert stats.trend_plain("quintile", 5) == ""
