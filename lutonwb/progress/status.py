"""On / off track toward a target, after the Open SDG progress measure.

Open SDG (open-sdg/sdg-build, sdg/ProgressMeasure.py, "methodology 2" for a quantitative target)
divides the observed annual growth by the growth required to reach the target by the target year
and reads the ratio against fixed thresholds: target achieved when the latest value already meets
the target; ratio >= 0.95 substantial progress; 0.6 <= ratio < 0.95 moderate progress;
0 <= ratio < 0.6 limited progress; ratio < 0 deterioration. This is the same actual-over-required
idea as UN ESCAP's Asia-Pacific SDG progress assessment.

Adaptations, said on the methods page: the observed change is the least-squares slope of the recent
points (not the growth between two points) and the required change is linear (target minus latest,
over the years left), so series near zero or with negative values work; "on track" also needs the
slope to be significant in the right direction, and "moving away" a significant slope in the wrong
one (a non-significant slope never earns either). The reason beside a status says when the slope
is not significant: a lean that could be chance, in words, so the status never reads as a claim
the measure's trend test does not support.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lutonwb.stats import Trend

ON_TRACK_RATIO = 0.95  # Open SDG 'high' threshold: substantial progress
SOME_PROGRESS_RATIO = 0.6  # Open SDG 'med' threshold: moderate progress
MOVING_AWAY_RATIO = 0.0  # Open SDG 'low' threshold: below it is deterioration

STATUSES = (
    "target met",
    "on track",
    "some progress",
    "off track",
    "moving away",
    "not assessable",
)


@dataclass(frozen=True)
class Assessment:
    status: str  # one of STATUSES
    required_annual_change: float
    observed_annual_change: float
    ratio: float  # observed / required (NaN when not computed)
    reason: str  # plain English: why this status


def target_met(latest: float, target: float, polarity: str) -> bool:
    """Whether the latest value is already at or beyond the target in the good direction."""
    return latest >= target if polarity == "higher-better" else latest <= target


def required_change(latest: float, latest_year: float, target: float, target_year: int) -> float:
    """Change per year needed to go from the latest value to the target by the target year."""
    years = target_year - latest_year
    return (target - latest) / years if years > 0 else math.nan


def status_for_ratio(ratio: float, significant: bool) -> str:
    """The Open SDG band of the ratio, with significance required for the two strong statuses
    (the reason says when the slope is not significant)."""
    if ratio >= ON_TRACK_RATIO:
        return "on track" if significant else "some progress"
    if ratio >= SOME_PROGRESS_RATIO:
        return "some progress"
    if ratio >= MOVING_AWAY_RATIO:
        return "off track"
    return "moving away" if significant else "off track"


def _not_assessable(reason: str, required: float = math.nan, observed: float = math.nan):
    return Assessment("not assessable", required, observed, math.nan, reason)


def assess(
    latest: float,
    latest_year: float,
    target: float,
    target_year: int,
    polarity: str,
    tr: Trend,
    no_target: str = "no target value",
) -> Assessment:
    """Progress of one measure toward its target, from its latest value and recent trend;
    `no_target` says why the target is missing when it is (the caller knows: e.g. no England
    figure to set the default target)."""
    if polarity not in ("higher-better", "lower-better"):
        return _not_assessable("no polarity: no direction counts as progress")
    if math.isnan(latest):
        return _not_assessable("no latest value for this area")
    if math.isnan(target):
        return _not_assessable(no_target)
    if target_met(latest, target, polarity):
        return Assessment(
            "target met", 0.0, tr.slope, math.nan, "the latest value meets the target"
        )
    required = required_change(latest, latest_year, target, target_year)
    if math.isnan(required):
        return _not_assessable("the target year has passed")
    if tr.method == "none" or math.isnan(tr.slope):
        return _not_assessable(f"too few points for a trend: {tr.description}", required)
    ratio = tr.slope / required
    significant = tr.word in ("Getting better", "Getting worse")
    status = status_for_ratio(ratio, significant)
    return Assessment(status, required, tr.slope, ratio, pace_words(ratio, significant))


def pace_words(ratio: float, significant: bool) -> str:
    """The observed change against the change needed, in words a reader follows (no bare
    ratio): the direction first, then the pace as a whole multiple or a share of what is needed.
    A slope that is not significant is a lean, not a claim, and the reason says it could be
    chance."""
    if ratio == 0:
        return "not changing, while the target needs change each year"
    if not significant:
        return f"the recent points lean {_lean(ratio)}, but not significantly: it could be chance"
    if ratio < 0:
        return "moving away from the target"
    return f"changing in the right direction at {_pace(ratio)}"


def _lean(ratio: float) -> str:
    """The direction (and pace) of a slope that is not significant, as a lean, not a claim."""
    if ratio < 0:
        return "away from the target"
    return f"toward the target, at {_pace(ratio)}"


def _pace(ratio: float) -> str:
    """A positive ratio as a whole multiple or a share of the pace needed."""
    if ratio >= 1.5:
        pace = f"{ratio:,.0f} times the pace needed"
    elif ratio > 1.05:
        pace = "a little faster than the pace needed"
    elif ratio >= ON_TRACK_RATIO:
        pace = "about the pace needed"
    else:
        pace = f"{max(1, round(ratio * 100))}% of the pace needed"
    return pace
