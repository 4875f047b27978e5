"""The progress table: one row per measure (the `lutonwb progress` columns are a public contract)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from lutonwb.progress.designation import LABEL, before_after
from lutonwb.progress.series import gap_series, paired_series
from lutonwb.progress.status import assess
from lutonwb.progress.targets import PlaceTargets, load_targets
from lutonwb.progress.trend import gap_trend, home_trend
from lutonwb.stats import TREND_POINTS

PROGRESS_COLUMNS = [
    "measure_id",
    "baseline_period",
    "baseline_value",
    "baseline_england",
    "latest_period",
    "latest_value",
    "latest_england",
    "gap_latest",
    "gap_trend",
    "target_value",
    "target_year",
    "required_annual_change",
    "observed_annual_change",
    "progress",
    "change_since_designation",
    "group_change_since_designation",
]
EXTRA_COLUMNS = [
    "title",
    "unit",
    "polarity",
    "principles",
    "outcomes",
    "boards",
    "gap_trend_method",
    "gap_annual_change",
    "target_source",
    "progress_ratio",
    "progress_reason",
    "trend_method",
    "designation_year",
    "designation_before_period",
    "difference_in_differences",
    "difference_lower",
    "difference_upper",
    "designation_note",
    "home_area",
    "comparator",
]


def _num(v: Any) -> float:
    return float(v) if v is not None and not pd.isna(v) else math.nan


def _england_latest(frame: pd.DataFrame) -> float:
    """England's most recent value after any series break (NaN when it has none)."""
    e = frame[(frame["role"] == "england") & ~frame["before_break"].astype(bool)]
    e = e[e["value"].notna()]
    return float(e["value"].iloc[-1]) if len(e) else math.nan


def _points(paired: pd.DataFrame) -> dict[str, Any]:
    """Baseline (first of the trend's recent points) and latest values, with England beside."""
    if paired.empty:
        return {}
    base, last = paired.tail(TREND_POINTS).iloc[0], paired.iloc[-1]
    return {
        "baseline_period": str(base["period"]),
        "baseline_value": _num(base["home"]),
        "baseline_england": _num(base["england"]),
        "latest_period": str(last["period"]),
        "latest_value": _num(last["home"]),
        "latest_england": _num(last["england"]),
    }


def _gap_fields(paired: pd.DataFrame, polarity: str) -> dict[str, Any]:
    gaps = gap_series(paired, polarity)
    gt = gap_trend(gaps)
    latest = (
        _num(gaps["gap"].iloc[-1])
        if len(gaps) and gaps["t"].iloc[-1] == paired["t"].iloc[-1]
        else math.nan
    )
    return {
        "gap_latest": latest,
        "gap_trend": gt.word,
        "gap_trend_method": gt.method,
        "gap_annual_change": gt.slope,
    }


def _progress_fields(
    paired: pd.DataFrame, frame: pd.DataFrame, mid: str, polarity: str, targets: PlaceTargets
) -> dict[str, Any]:
    target = targets.for_measure(mid, _england_latest(frame))
    tr = home_trend(paired, polarity)
    last = paired.iloc[-1]
    a = assess(_num(last["home"]), float(last["t"]), target.value, target.year, polarity, tr)
    return {
        "target_value": target.value,
        "target_year": target.year,
        "target_source": target.source,
        "required_annual_change": a.required_annual_change,
        "observed_annual_change": a.observed_annual_change,
        "progress": a.status,
        "progress_ratio": a.ratio,
        "progress_reason": a.reason,
        "trend_method": tr.description,
    }


def _designation_fields(paired: pd.DataFrame, year: int) -> dict[str, Any]:
    ba = before_after(paired, year)
    return {
        "change_since_designation": ba.home_change,
        "group_change_since_designation": ba.group_change,
        "designation_year": year,
        "designation_before_period": ba.before_period,
        "difference_in_differences": ba.difference,
        "difference_lower": ba.lower,
        "difference_upper": ba.upper,
        "designation_note": LABEL,
    }


def measure_row(
    engine: Any,
    sc_row: pd.Series,
    home: str,
    group_id: str,
    custom: Sequence[str],
    targets: PlaceTargets,
) -> dict[str, Any]:
    """One measure's progress row from its series (blank figures and 'not assessable' when the
    measure has no data for the home area)."""
    mid, polarity = sc_row["measure_id"], sc_row["polarity"]
    row: dict[str, Any] = {"measure_id": mid, "progress": "not assessable"}
    row["gap_trend"] = "not enough data"
    frame = engine.measure_series(mid, home, group_id, custom)
    paired = paired_series(frame, group_id)
    if paired.empty:
        row["progress_reason"] = "no data for this area"
        return row
    row.update(_points(paired))
    row.update(_gap_fields(paired, polarity))
    row.update(_progress_fields(paired, frame, mid, polarity, targets))
    row.update(_designation_fields(paired, targets.designation_year))
    return row


def progress_table(
    engine: Any,
    home: str,
    group_id: str,
    custom: Sequence[str] = (),
    board: str | None = None,
    principle: int | None = None,
    targets: PlaceTargets | None = None,
) -> pd.DataFrame:
    """One row per catalogue measure (optionally one board's or one principle's), contract columns
    first. Area, group and board are validated by the engine (its errors propagate)."""
    targets = targets or load_targets()
    sc = engine.scorecard(home, group_id, custom=custom, board=board, principle=principle)
    rows = [measure_row(engine, r, home, group_id, custom, targets) for _, r in sc.iterrows()]
    out = pd.DataFrame(rows, columns=[*PROGRESS_COLUMNS, *EXTRA_COLUMNS])
    for col in ("title", "unit", "polarity", "principles", "outcomes", "boards"):
        out[col] = sc[col].to_numpy()
    out["home_area"], out["comparator"] = home, group_id
    for col in ("target_year", "designation_year"):
        out[col] = out[col].astype("Int64")
    out.attrs["notes"] = list(sc.attrs.get("notes", []))
    return out
