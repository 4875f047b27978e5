"""Gap series and gap trend: hand-computed on the warehouse's own claimant count and life
expectancy rows, and on synthetic gaps for each word."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lutonwb import config
from lutonwb.progress.series import decimal_year, gap_series, paired_series
from lutonwb.progress.trend import gap_trend, gap_word, home_trend

LUTON = "E06000032"
CLAIMANT = "ons-els/ons_els_claimant_count_all_areas_2001_2025/claimant-count"


def _rows(wh, series: str, sex: str = "Persons") -> pd.DataFrame:
    """Luton and England rows of one series, straight from the warehouse, by period end."""
    v = wh.series_values([series])
    v = v[v["area_code"].isin([LUTON, config.ENGLAND]) & (v["sex"] == sex)]
    v = v[(v["category_type"] == "") & (v["age"].isin(["", "All ages"]) | v["age"].isna())]
    wide = v.pivot_table(index="period_end", columns="area_code", values="value", aggfunc="first")
    return wide.dropna().sort_index()


def _ols(t: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares slope and its t statistic, written out."""
    tb, yb = t.mean(), y.mean()
    stt = ((t - tb) ** 2).sum()
    slope = ((t - tb) * (y - yb)).sum() / stt
    resid = y - (yb + slope * (t - tb))
    se = np.sqrt((resid**2).sum() / (len(t) - 2) / stt)
    return slope, slope / se


def test_claimant_count_gap_and_trend_by_hand(wh, engine):
    wide = _rows(wh, CLAIMANT).tail(5)
    t = decimal_year(pd.Series(pd.to_datetime(wide.index)))
    gap = (wide[LUTON] - wide[config.ENGLAND]).to_numpy()  # lower is better: home minus England
    assert gap[-1] == pytest.approx(6.9 - 4.0)  # 2025: Luton 6.9%, England 4.0% (ONS ELS)
    slope, tstat = _ols(t, gap)
    paired = paired_series(engine.measure_series("claimant-count", LUTON, "england"), "england")
    gaps = gap_series(paired, "lower-better")
    assert gaps["gap"].iloc[-1] == pytest.approx(gap[-1])
    gt = gap_trend(gaps)
    assert gt.slope == pytest.approx(slope)
    expected = (
        "no significant change"
        if abs(tstat) < 3.182
        else ("narrowing" if slope < 0 else "widening")
    )
    assert gt.word == expected
    home_slope, _ = _ols(t, wide[LUTON].to_numpy())
    assert home_trend(paired, "lower-better").slope == pytest.approx(home_slope)


def test_life_expectancy_gap_is_signed_so_positive_is_worse(wh, engine):
    wide = _rows(wh, "fingertips/life_expectancy", sex="Male")
    paired = paired_series(
        engine.measure_series("life-expectancy-male", LUTON, "england"), "england"
    )
    gaps = gap_series(paired, "higher-better")
    last = wide.iloc[-1]
    # higher is better and Luton is below England: the gap is England minus Luton, positive
    assert gaps["gap"].iloc[-1] == pytest.approx(last[config.ENGLAND] - last[LUTON])
    assert gaps["gap"].iloc[-1] > 0
    t = decimal_year(pd.Series(pd.to_datetime(wide.index[-5:])))
    slope, _ = _ols(t, (wide[config.ENGLAND] - wide[LUTON]).to_numpy()[-5:])
    assert gap_trend(gaps).slope == pytest.approx(slope)


def _gaps(values, half_width=None) -> pd.DataFrame:
    v = np.asarray(values, dtype=float)
    hw = np.nan if half_width is None else half_width
    return pd.DataFrame(
        {
            "period": range(len(v)),
            "t": 2019.0 + np.arange(len(v)),
            "gap": v,
            "gap_lower": v - hw,
            "gap_upper": v + hw,
        }
    )


@pytest.mark.parametrize(
    ("values", "word"),
    [
        ([5.0, 4.0, 3.1, 2.0, 1.0], "narrowing"),
        ([1.0, 2.0, 2.9, 4.0, 5.0], "widening"),
        ([-1.0, -2.0, -2.9, -4.0, -5.0], "widening"),  # a lead over England growing
        ([-5.0, -4.0, -3.1, -2.0, -1.0], "narrowing"),  # a lead shrinking
        ([2.0, 3.0, 1.0, 3.0, 2.0], "no significant change"),
        ([2.0, 3.0, 1.0, 3.0], "not enough data"),
    ],
)
def test_gap_words_on_synthetic_gaps(values, word):
    assert gap_trend(_gaps(values)).word == word


def test_gap_trend_uses_limits_when_they_exist():
    wide = gap_trend(_gaps([5.0, 4.0, 3.1, 2.0, 1.0], half_width=20.0))
    narrow = gap_trend(_gaps([5.0, 4.0, 3.1, 2.0, 1.0], half_width=0.5))
    assert "weighted" in narrow.method and "weighted" in wide.method
    assert (narrow.word, wide.word) == ("narrowing", "no significant change")


def test_gap_word_needs_significance():
    assert gap_word(-1.0, False, 3.0) == "no significant change"
    assert gap_word(-1.0, True, 3.0) == "narrowing"
