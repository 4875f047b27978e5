"""The progress table: one row per measure (the `lutonwb progress` columns are a public contract)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from lutonwb import gaps as gap_rules
from lutonwb.progress.designation import LABEL, before_after
from lutonwb.progress.series import gap_series, paired_many
from lutonwb.progress.status import assess
from lutonwb.progress.targets import PlaceTargets, load_targets
from lutonwb.progress.trend import GapTrend, gap_trends, home_trends
from lutonwb.stats import TREND_POINTS, Trend

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
    "gap_latest_pct",
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
    "designation_verdict",
    "designation_verdict_method",
    "home_area",
    "comparator",
    "observed_trend",  # the home series' trend test: Getting better / worse, No significant change
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


def _gap_fields(
    gaps: pd.DataFrame, paired: pd.DataFrame, gt: GapTrend, polarity: str
) -> dict[str, Any]:
    """The latest gap, also as a % of England's value (only when England has the home's latest
    period; positive = worse, lutonwb.gaps) and the gap trend."""
    same = len(gaps) and gaps["t"].iloc[-1] == paired["t"].iloc[-1]
    last = paired.iloc[-1]
    pct = gap_rules.relative_gap_pct(_num(last["home"]), _num(last["england"]), polarity)
    return {
        "gap_latest": _num(gaps["gap"].iloc[-1]) if same else math.nan,
        "gap_latest_pct": pct if same else math.nan,
        "gap_trend": gt.word,
        "gap_trend_method": gt.method,
        "gap_annual_change": gt.slope,
    }


def _progress_fields(s: MeasureSeries, tr: Trend, targets: PlaceTargets) -> dict[str, Any]:
    target = targets.for_measure(s.measure_id, _england_latest(s.frame))
    last = s.paired.iloc[-1]
    why = no_target_reason(s.reported_only, targets.default_target_year)
    a = assess(_num(last["home"]), float(last["t"]), target.value, target.year, s.polarity, tr, why)
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
        "observed_trend": tr.word,
    }


def no_target_reason(reported_only: bool, target_year: int) -> str:
    """Why a measure has no target: the default target is England's latest value, so a measure
    with no England figure (often one with only the strategy documents' figures) has none."""
    if reported_only:
        return (
            "only the strategy documents' figures, no open data series: no England figure to "
            f"compare with, so no {target_year} target (England's latest value)"
        )
    return f"no England figure to compare with, so no {target_year} target (England's latest value)"


def no_data_reason(reported_only: bool) -> str:
    """Why a measure has no figures at all for the area."""
    if reported_only:
        return "no open data series, and the strategy documents report no figure for this area"
    return "no data for this area"


def _designation_fields(paired: pd.DataFrame, year: int, polarity: str) -> dict[str, Any]:
    ba = before_after(paired, year, polarity)
    return {
        "change_since_designation": ba.home_change,
        "group_change_since_designation": ba.group_change,
        "designation_year": year,
        "designation_before_period": ba.before_period,
        "difference_in_differences": ba.difference,
        "difference_lower": ba.lower,
        "difference_upper": ba.upper,
        "designation_note": LABEL,
        "designation_verdict": ba.verdict,
        "designation_verdict_method": ba.verdict_method,
    }


@dataclass(frozen=True)
class MeasureSeries:
    measure_id: str
    polarity: str
    frame: pd.DataFrame  # Engine.measure_series
    paired: pd.DataFrame  # series.paired_series (made by paired_many)
    gaps: pd.DataFrame  # series.gap_series
    no_trend: str = ""  # the catalogue's reason for no trend judgement (nominal money, cumulative)
    reported_only: bool = False  # only the strategy documents' figures: no open series


def measure_row(s: MeasureSeries, gt: GapTrend, tr: Trend, targets: PlaceTargets) -> dict[str, Any]:
    """One measure's progress row (blank figures and 'not assessable' when the measure has no
    data for the home area)."""
    row: dict[str, Any] = {"measure_id": s.measure_id, "progress": "not assessable"}
    row["gap_trend"] = "not enough data"
    if s.paired.empty:
        row["progress_reason"] = no_data_reason(s.reported_only)
        return row
    row.update(_points(s.paired))
    row.update(_gap_fields(s.gaps, s.paired, gt, s.polarity))
    row.update(_progress_fields(s, tr, targets))
    row.update(_designation_fields(s.paired, targets.designation_year, s.polarity))
    if s.no_trend:  # a rising nominal or cumulative series is no progress: not judged
        row.update(progress="not assessable", progress_reason=s.no_trend)
    return row


def measure_series(
    engine: Any, sc: pd.DataFrame, home: str, group_id: str, custom: Sequence[str]
) -> list[MeasureSeries]:
    """Each scorecard measure's series from the engine, paired with England and as a gap."""
    out = []
    frames = engine.measures_series(list(sc["measure_id"]), home, group_id, custom)
    pairs = paired_many(frames, group_id)
    for _, r in sc.iterrows():
        frame, paired = frames[r["measure_id"]], pairs[r["measure_id"]]
        gaps = gap_series(paired, r["polarity"])
        no_trend = r["trend_method"] if r["trend"] == "Not applicable" else ""
        reported = bool(r.get("reported_only", False))
        ms = MeasureSeries(r["measure_id"], r["polarity"], frame, paired, gaps, no_trend, reported)
        out.append(ms)
    return out


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
    sc = engine.scorecard(home, group_id, custom=custom, board=board, principle=principle)
    return rows_for(engine, sc, home, group_id, custom, targets)


def measure_progress(
    engine: Any,
    measure_id: str,
    home: str,
    group_id: str,
    custom: Sequence[str] = (),
    targets: PlaceTargets | None = None,
) -> pd.DataFrame:
    """The progress row of one measure (the measure page's), the same as its progress_table row."""
    sc = engine.scorecard(home, group_id, custom=custom)
    sc = sc[sc["measure_id"] == measure_id].reset_index(drop=True)
    return rows_for(engine, sc, home, group_id, custom, targets)


def rows_for(
    engine: Any,
    sc: pd.DataFrame,
    home: str,
    group_id: str,
    custom: Sequence[str],
    targets: PlaceTargets | None = None,
) -> pd.DataFrame:
    """Progress rows for the measures of a scorecard."""
    targets = targets or load_targets()
    series = measure_series(engine, sc, home, group_id, custom)
    gts = gap_trends({s.measure_id: s.gaps for s in series})
    trs = home_trends(
        {s.measure_id: s.paired for s in series}, {s.measure_id: s.polarity for s in series}
    )
    rows = [measure_row(s, gts[s.measure_id], trs[s.measure_id], targets) for s in series]
    out = pd.DataFrame(rows, columns=[*PROGRESS_COLUMNS, *EXTRA_COLUMNS])
    for col in ("title", "unit", "polarity", "principles", "outcomes", "boards"):
        out[col] = sc[col].to_numpy()
    out["home_area"], out["comparator"] = home, group_id
    for col in ("target_year", "designation_year"):
        out[col] = out[col].astype("Int64")
    out.attrs["notes"] = list(sc.attrs.get("notes", []))
    return out
