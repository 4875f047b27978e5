"""The overview's "where the gaps are" lists, from one area's scorecard (plain pandas).

Ratings against England and trends do not depend on the comparator group, so these lists are
the same whichever group a reader picks; lutonwb.ui.engine.highlights caches them per view.
"""

from __future__ import annotations

import pandas as pd

from lutonwb import gaps

TOP = 8
COLUMNS = ["measure_id", "title", "period", "value", "england", "unit", "value_type", "decimals"]


def relative_gap_pct(sc: pd.DataFrame) -> pd.Series:
    """Signed gap to England as a % of England's value: positive is worse (lutonwb.gaps, the one
    convention of every page). A period with no data gives NaN, never an error."""
    return gaps.relative_gap_pct(sc["value"], sc["england"], sc["polarity"])


def _comparable(sc: pd.DataFrame) -> pd.DataFrame:
    rated = sc[sc["value"].notna() & sc["england"].notna() & (sc["polarity"] != "none")].copy()
    rated["gap_pct"] = relative_gap_pct(rated)
    rated["gap_words"] = [
        gaps.gap_words(g, p) for g, p in zip(rated["gap_pct"], rated["polarity"], strict=True)
    ]
    return rated


def biggest_gaps(sc: pd.DataFrame, top: int = TOP) -> pd.DataFrame:
    """Measures significantly worse than England, the largest relative gap first."""
    rated = _comparable(sc)
    worse = rated[rated["vs_england"] == "Worse"]
    worse = worse.sort_values("gap_pct", ascending=False, kind="stable")
    return worse.head(top)[[*COLUMNS, "gap_words", "gap_pct", "vs_england"]].reset_index(drop=True)


def clearest_improvements(sc: pd.DataFrame, top: int = TOP) -> pd.DataFrame:
    """Measures with a significant trend in the right direction: current data before stale data
    (a list led by old figures does not say what is improving now), then the longest series."""
    rated = _comparable(sc)
    better = rated[rated["trend"] == "Getting better"]
    better = better.assign(_stale=better["stale"].fillna(False).astype(bool))
    better = better.sort_values(["_stale", "n_points"], ascending=[True, False], kind="stable")
    return better.head(top)[[*COLUMNS, "trend", "trend_method"]].reset_index(drop=True)


def worse_and_worsening(sc: pd.DataFrame) -> pd.DataFrame:
    """Measures both significantly worse than England and getting worse, in catalogue order."""
    flagged = sc[sc["worse_and_worsening"].fillna(False).astype(bool)]
    return flagged[[*COLUMNS, "vs_england", "trend"]].reset_index(drop=True)
