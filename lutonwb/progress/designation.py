"""Before and after the designation year: the home area's change from the last period before it to
the latest, beside the comparator's change over the same periods (a difference in differences).
Descriptive, not causal: other things changed too. The difference is judged by the measure's
polarity (the engine's own rule against a benchmark of no difference): better or worse only where
the measure has a polarity and the 95% interval excludes zero, otherwise higher or lower."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from lutonwb.engine.vocab import METHOD_WORDS
from lutonwb.progress.series import Z95, se_from_limits
from lutonwb.stats import compare

LABEL = "descriptive, not causal"


@dataclass(frozen=True)
class BeforeAfter:
    before_period: str
    after_period: str
    home_change: float
    group_change: float
    difference: float  # home change minus group change (in the measure's unit)
    lower: float  # 95% interval of the difference, from the limits where they exist
    upper: float
    verdict: str = ""  # the difference by polarity: Better / Similar / Worse, or Higher / Lower
    verdict_method: str = ""  # how the verdict was reached, in readers' words


NO_CHANGE = BeforeAfter("", "", math.nan, math.nan, math.nan, math.nan, math.nan)


def judged(diff: float, lower: float, upper: float, polarity: str) -> tuple[str, str]:
    """The difference against no difference, oriented by polarity (stats.compare): Better, Similar
    or Worse when the interval decides and the measure has a polarity; Higher or Lower otherwise."""
    word, method = compare(diff, lower, upper, 0.0, polarity or "none")
    return word, METHOD_WORDS.get(method, method)


def before_row(paired: pd.DataFrame, designation_year: int) -> pd.Series | None:
    """The last period that ends before 1 January of the designation year."""
    before = paired[pd.to_datetime(paired["period_end"]).dt.year < designation_year]
    return before.iloc[-1] if len(before) else None


def _change_se(a: pd.Series, b: pd.Series) -> float:
    """SE of the home area's change, from its 95% limits at both periods (independent samples)."""
    se_a = se_from_limits(a["home_lower"], a["home_upper"])
    se_b = se_from_limits(b["home_lower"], b["home_upper"])
    return math.sqrt(se_a**2 + se_b**2)


def before_after(
    paired: pd.DataFrame, designation_year: int, polarity: str = "none"
) -> BeforeAfter:
    """The home and comparator changes from the last pre-designation period to the latest, and
    their difference judged by the measure's polarity."""
    b = before_row(paired, designation_year)
    if b is None or len(paired) == 0:
        return NO_CHANGE
    a = paired.iloc[-1]
    if pd.to_datetime(a["period_end"]).year < designation_year:
        return NO_CHANGE
    home = float(a["home"] - b["home"])
    group = float(a["group"] - b["group"])
    diff = home - group
    se = _change_se(a, b)  # the comparator mean has no limits: treated as known
    half = Z95 * se if not math.isnan(se) else math.nan
    lower, upper = diff - half, diff + half
    word, method = judged(diff, lower, upper, polarity)
    return BeforeAfter(
        str(b["period"]), str(a["period"]), home, group, diff, lower, upper, word, method
    )
