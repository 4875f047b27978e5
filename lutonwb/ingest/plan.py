"""Year-plan actions and five-year plan phases, transcribed from the one-year review (seed 000).

Reads data/raw/plan/plan_actions.csv and plan_phases.csv, checks every row against the
catalogue (boards, target outcomes, measures) and returns tables `plan_actions` and
`plan_phases`. Errors name the file, the line and the field, so the analyst knows what to fix.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lutonwb.catalogue import load_catalogue
from lutonwb.ingest.errors import BuildError, DataError
from lutonwb.ingest.readers import LINE, display_name, read_table
from lutonwb.place import current_place
from lutonwb.text import split_list

INPUTS: tuple[str, ...] = ("plan/*.csv",)

ACTIONS_FILE = "plan/plan_actions.csv"
PHASES_FILE = "plan/plan_phases.csv"

ACTION_COLUMNS = (
    "action_id",
    "board",
    "priority",
    "workstream",
    "action",
    "outcomes",
    "principles",
    "lead",
    "timescale",
    "phase",
    "plan",
    "review_progress",
    "measures",
    "document",
    "section",
)
PHASE_COLUMNS = (
    "phase",
    "life_course",
    "board",
    "expected_outcome",
    "measures",
    "document",
    "section",
)

LIFE_COURSE = ("start", "live", "age")
REQUIRED_TEXT = (
    "action_id",
    "board",
    "workstream",
    "action",
    "phase",
    "plan",
    "document",
    "section",
)
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_DOC = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


@dataclass(frozen=True)
class CatalogueKeys:
    """The ids the plan may refer to: the place's boards, outcomes and plans, and measure ids."""

    boards: frozenset[str]
    outcomes: frozenset[str]
    measures: dict[str, str]  # id or alias -> id
    plans: dict[str, tuple[str, ...]] = dataclasses.field(
        default_factory=dict
    )  # plan id -> its phases

    @property
    def phases(self) -> tuple[str, ...]:
        """Every phase in plan order (the order the timeline draws)."""
        return tuple(p for phases in self.plans.values() for p in phases)


def catalogue_keys(path: Path | None = None) -> CatalogueKeys:
    """Board, outcome and measure ids (with aliases) from the catalogue and the place."""
    cat = load_catalogue(path)
    measures = {m: m for m in cat.measures}
    for m in cat.measures.values():
        for alias in m.aliases:
            measures.setdefault(alias, m.id)
    return CatalogueKeys(
        boards=frozenset(cat.boards),
        outcomes=frozenset(cat.outcomes),
        measures=measures,
        plans=dict(current_place().plan_phases),
    )


def build(raw: Path) -> dict[str, pd.DataFrame]:
    """Tables plan_actions and plan_phases, validated against the catalogue."""
    keys = catalogue_keys()
    if not keys.plans:  # the place follows no plan: no tables, and the plan page says so
        return {}
    actions = load_actions(Path(raw) / ACTIONS_FILE, keys)
    phases = load_phases(Path(raw) / PHASES_FILE, keys)
    return {"plan_actions": actions, "plan_phases": phases}


def load_actions(path: Path, keys: CatalogueKeys) -> pd.DataFrame:
    """Read and check plan_actions.csv; every problem is collected into one BuildError."""
    name = display_name(path)
    df = read_table(path, ACTION_COLUMNS)
    errors: list[DataError] = []
    seen: dict[str, int] = {}
    measure_ids: list[str] = []
    for row in df.to_dict("records"):
        line = int(row[LINE])
        for field in REQUIRED_TEXT:
            if not str(row[field] or "").strip():
                errors.append(DataError(name, line, field, "an empty cell", "a value"))
        aid = str(row["action_id"] or "")
        if aid and not _ID.fullmatch(aid):
            errors.append(DataError(name, line, "action_id", aid, "a slug of a-z, 0-9 and '-'"))
        if aid in seen:
            errors.append(
                DataError(name, line, "action_id", aid, f"a unique id (also on line {seen[aid]})")
            )
        seen.setdefault(aid, line)
        errors.extend(_check_common(row, name, line, keys))
        plan, phase = str(row["plan"] or ""), str(row["phase"] or "")
        if plan not in keys.plans:
            errors.append(DataError(name, line, "plan", plan, f"one of {', '.join(keys.plans)}"))
        elif phase not in keys.plans[plan]:
            errors.append(
                DataError(
                    name,
                    line,
                    "phase",
                    phase,
                    f"one of {', '.join(keys.plans[plan])} for plan {plan}",
                )
            )
        outs = split_list(row["outcomes"])
        if not outs:
            errors.append(
                DataError(name, line, "outcomes", "no outcome", "at least one catalogue outcome id")
            )
        for o in outs:
            if o not in keys.outcomes:
                errors.append(
                    DataError(name, line, "outcomes", o, "an outcome id from catalogue.yaml")
                )
        for p in split_list(row["principles"]):
            if not (p.isdigit() and 1 <= int(p) <= 8):
                errors.append(
                    DataError(name, line, "principles", p, "a Marmot principle number 1 to 8")
                )
        resolved = [keys.measures.get(m, m) for m in split_list(row["measures"])]
        measure_ids.append(";".join(resolved))
    if errors:
        raise BuildError(errors)
    out = df.drop(columns=[LINE]).copy()
    out["measures"] = pd.Series(measure_ids, index=out.index, dtype="string")
    out["phase_order"] = out["phase"].map(keys.phases.index).astype("int64")
    out["source_file"] = name
    out["line"] = df[LINE].astype("int64")
    return out.reset_index(drop=True)


def load_phases(path: Path, keys: CatalogueKeys) -> pd.DataFrame:
    """Read and check plan_phases.csv: the five-year plan's expected outcomes per phase."""
    name = display_name(path)
    df = read_table(path, PHASE_COLUMNS)
    errors: list[DataError] = []
    for row in df.to_dict("records"):
        line = int(row[LINE])
        for field in ("phase", "life_course", "board", "expected_outcome", "document", "section"):
            if not str(row[field] or "").strip():
                errors.append(DataError(name, line, field, "an empty cell", "a value"))
        if row["phase"] not in keys.phases:
            errors.append(DataError(name, line, "phase", str(row["phase"]), ", ".join(keys.phases)))
        if row["life_course"] not in LIFE_COURSE:
            errors.append(
                DataError(name, line, "life_course", str(row["life_course"]), "start, live or age")
            )
        errors.extend(_check_common(row, name, line, keys))
    if errors:
        raise BuildError(errors)
    out = df.drop(columns=[LINE]).copy()
    out["phase_order"] = out["phase"].map(keys.phases.index).astype("int64")
    out["measures"] = [
        ";".join(keys.measures.get(m, m) for m in split_list(v)) for v in out["measures"]
    ]
    out["measures"] = out["measures"].astype("string")
    return out.reset_index(drop=True)


def _check_common(row: dict, name: str, line: int, keys: CatalogueKeys) -> list[DataError]:
    """Board, document and measure checks shared by both files."""
    errors: list[DataError] = []
    board = str(row["board"] or "")
    if board and board not in keys.boards:
        errors.append(
            DataError(name, line, "board", board, f"a board id: {', '.join(sorted(keys.boards))}")
        )
    doc = str(row["document"] or "")
    if doc and not _DOC.fullmatch(doc):
        errors.append(
            DataError(
                name, line, "document", doc, "a seed document named in the place's seeds list"
            )
        )
    for m in split_list(row["measures"]):
        if m not in keys.measures:
            errors.append(
                DataError(name, line, "measures", m, "a measure id (or alias) from catalogue.yaml")
            )
    return errors
