"""Before and after the designation year: the home area's change from the last period before it to
the latest, beside the comparator's change over the same periods (a difference in differences).
Descriptive, not causal: other things changed too."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from lutonwb.progress.series import Z95, se_from_limits

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


NO_CHANGE = BeforeAfter("", "", math.nan, math.nan, math.nan, math.nan, math.nan)


def before_row(paired: pd.DataFrame, designation_year: int) -> pd.Series | None:
    """The last period that ends before 1 January of the designation year."""
    before = paired[pd.to_datetime(paired["period_end"]).dt.year < designation_year]
    return before.iloc[-1] if len(before) else None


def _change_se(a: pd.Series, b: pd.Series) -> float:
    """SE of the home area's change, from its 95% limits at both periods (independent samples)."""
    se_a = se_from_limits(a["home_lower"], a["home_upper"])
    se_b = se_from_limits(b["home_lower"], b["home_upper"])
    return math.sqrt(se_a**2 + se_b**2)


def before_after(paired: pd.DataFrame, designation_year: int) -> BeforeAfter:
    """The home and comparator changes from the last pre-designation period to the latest."""
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
    return BeforeAfter(
        str(b["period"]), str(a["period"]), home, group, diff, diff - half, diff + half
    )
