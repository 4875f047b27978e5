"""Gap trend (narrowing / widening) and the home series' annual change, both by the project's one
trend test (`lutonwb.stats.trend`): weighted least squares with inverse-variance weights from the
95% limits where every point has them, else ordinary least squares with a t-test; 95% level."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lutonwb.stats import Trend, trend

GAP_POINTS = 5  # the minimum: the gap trend uses the most recent 5 points
GAP_WORDS = ("narrowing", "widening", "no significant change", "not enough data")


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


def gap_trend(gaps: pd.DataFrame) -> GapTrend:
    """The trend of the signed gap over its most recent GAP_POINTS points."""
    g = gaps.dropna(subset=["gap"]).sort_values("t").tail(GAP_POINTS)
    if len(g) < GAP_POINTS:
        return GapTrend("not enough data", np.nan, f"fewer than {GAP_POINTS} points with a gap")
    r = trend(g["t"], g["gap"], g["gap_lower"], g["gap_upper"], polarity="lower-better")
    if r.method == "none":
        return GapTrend("not enough data", np.nan, r.description)
    significant = r.word != "No significant change"
    word = gap_word(r.slope, significant, float(g["gap"].iloc[-1]))
    return GapTrend(word, r.slope, f"gap to England: {r.description}")


def home_trend(paired: pd.DataFrame, polarity: str) -> Trend:
    """The home series' recent trend: slope per year and whether it is significant."""
    return trend(
        paired["t"], paired["home"], paired["home_lower"], paired["home_upper"], polarity=polarity
    )
