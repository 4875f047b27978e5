"""Gap trend (narrowing / widening) and the home series' annual change, both by the project's one
trend test (`lutonwb.stats.trend_frame`): weighted least squares with inverse-variance weights from
the 95% limits where every point has them, else ordinary least squares with a t-test; 95% level.
Every measure is tested in one vectorised call."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lutonwb.stats import TREND_METHODS, Trend, trend_frame

GAP_POINTS = 5  # the minimum: the gap trend uses the most recent 5 points
GAP_WORDS = ("narrowing", "widening", "no significant change", "not enough data")
NO_TREND = Trend("Not enough data", "none", 0, math.nan, math.nan, TREND_METHODS["none"])


@dataclass(frozen=True)
class GapTrend:
    word: str  # one of GAP_WORDS
    slope: float  # change in the signed gap per year (NaN when not tested)
    method: str  # plain-English description of the test


def gap_word(slope: float, significant: bool, latest_gap: float) -> str:
    """Narrowing when a significant slope moves the gap toward zero, widening when away from it."""
    if not significant or np.isnan(slope) or slope == 0 or latest_gap == 0:
        return "no significant change"
    return "narrowing" if (slope > 0) != (latest_gap > 0) else "widening"


def _trend_input(key: str, t, values, lower, upper, polarity: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "key": key,
            "t": np.asarray(t, dtype=float),
            "value": np.asarray(values, dtype=float),
            "lower_ci": np.asarray(lower, dtype=float),
            "upper_ci": np.asarray(upper, dtype=float),
            "count": np.nan,
            "denominator": np.nan,
            "polarity": polarity,
            "proportion": False,
        }
    )


def _trends(parts: list[pd.DataFrame]) -> dict[str, Trend]:
    """One Trend per key, from a single call of the shared trend test."""
    if not parts:
        return {}
    out = trend_frame(pd.concat(parts, ignore_index=True), ["key"])
    return {
        r.key: Trend(
            r.trend,
            r.trend_method,
            int(r.n_points),
            float(r.slope),
            float(r.statistic),
            r.trend_description,
        )
        for r in out.itertuples(index=False)
    }


def home_trends(paired: Mapping[str, pd.DataFrame], polarity: Mapping[str, str]) -> dict:
    """measure id -> the home series' recent Trend (slope per year, significance)."""
    parts = [
        _trend_input(k, p["t"], p["home"], p["home_lower"], p["home_upper"], polarity[k])
        for k, p in paired.items()
        if len(p)
    ]
    found = _trends(parts)
    return {k: found.get(k, NO_TREND) for k in paired}


def _gap_result(tr: Trend, latest_gap: float, label: str = "gap to England") -> GapTrend:
    if tr.method == "none":
        return GapTrend("not enough data", math.nan, tr.description)
    significant = tr.word != "No significant change"
    word = gap_word(tr.slope, significant, latest_gap)
    return GapTrend(word, tr.slope, f"{label}: {tr.description}")


def gap_verdict(t, gap, lower, upper, label: str) -> GapTrend:
    """Narrowing / widening of any signed gap series (e.g. a gap inside the place) by the same
    test, with no minimum beyond the trend test's own; `label` names the gap in the method."""
    g = pd.DataFrame({"t": t, "gap": gap, "lower": lower, "upper": upper}).dropna(subset=["gap"])
    if g.empty:
        return GapTrend("not enough data", math.nan, TREND_METHODS["none"])
    g = g.sort_values("t")
    found = _trends([_trend_input("", g["t"], g["gap"], g["lower"], g["upper"], "lower-better")])
    return _gap_result(found.get("", NO_TREND), float(g["gap"].iloc[-1]), label)


def gap_trends(gaps: Mapping[str, pd.DataFrame]) -> dict[str, GapTrend]:
    """measure id -> the trend of its signed gap over the most recent GAP_POINTS points."""
    recent = {
        k: g.dropna(subset=["gap"]).sort_values("t").tail(GAP_POINTS) for k, g in gaps.items()
    }
    enough = {k: g for k, g in recent.items() if len(g) >= GAP_POINTS}
    parts = [
        _trend_input(k, g["t"], g["gap"], g["gap_lower"], g["gap_upper"], "lower-better")
        for k, g in enough.items()
    ]
    found = _trends(parts)
    short = GapTrend("not enough data", math.nan, f"fewer than {GAP_POINTS} points with a gap")
    return {
        k: _gap_result(found.get(k, NO_TREND), float(enough[k]["gap"].iloc[-1]))
        if k in enough
        else short
        for k in gaps
    }


def gap_trend(gaps: pd.DataFrame) -> GapTrend:
    """The gap trend of one measure."""
    return gap_trends({"": gaps})[""]


def home_trend(paired: pd.DataFrame, polarity: str) -> Trend:
    """The home series' recent trend for one measure."""
    return home_trends({"": paired}, {"": polarity})[""]
