"""`lutonwb scorecard`: one row per measure for a home area and comparator group, as CSV or JSON.

Columns are a public contract (engine.CONTRACT_COLUMNS first, then the engine's extra columns).
Lists (principles, outcomes, boards) are joined with ';' in CSV and stay arrays in JSON.
Errors (unknown area, comparator, board, missing warehouse) print one line and exit 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from lutonwb import config
from lutonwb.engine import CONTRACT_COLUMNS, Engine, EngineError, UnknownGroup

LIST_COLUMNS = ("principles", "outcomes", "boards")


def open_engine(out: Path | None = None) -> Engine:
    """The engine over the published warehouse and the catalogue."""
    from lutonwb.catalogue import load_catalogue
    from lutonwb.db import Warehouse

    return Engine(Warehouse(out or config.warehouse_dir()), load_catalogue())


def to_csv(df: pd.DataFrame) -> str:
    """CSV text with list columns joined by ';'."""
    flat = df.copy()
    for col in LIST_COLUMNS:
        if col in flat:
            flat[col] = [
                ";".join(str(x) for x in v) if isinstance(v, list | tuple) else ""
                for v in flat[col]
            ]
    return flat.to_csv(index=False, lineterminator="\n")


def _plain(v: Any) -> Any:
    """A JSON-ready scalar (NaN/NA -> null, numpy numbers -> Python)."""
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "item"):
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    return v


def to_json(df: pd.DataFrame, notes: list[str] | None = None) -> str:
    """JSON: {"notes": [...], "rows": [{column: value}, …]} with lists kept as arrays."""
    rows = [
        {c: _plain(v) for c, v in zip(df.columns, rec, strict=True)}
        for rec in df.itertuples(index=False)
    ]
    return json.dumps({"notes": notes or [], "rows": rows}, indent=1, ensure_ascii=False)


def scorecard_cli(
    args: argparse.Namespace, engine: Engine | None = None, stdout: TextIO | None = None
) -> int:
    """Run the scorecard command; returns the exit code (2 for a bad request)."""
    stdout = stdout or sys.stdout
    try:
        eng = engine or open_engine(args.out)
    except Exception as exc:  # missing warehouse or a broken catalogue: say which, exit 2
        print(f"error: {exc}", file=sys.stderr)
        return 2
    custom = [c for c in (args.with_ or "").split(",") if c.strip()]
    try:
        df = eng.scorecard(
            args.area,
            args.comparator,
            custom=custom,
            period=args.period,
            board=args.board,
            principle=args.principle,
        )
    except (EngineError, UnknownGroup) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    notes = list(df.attrs.get("notes", []))
    if custom and args.comparator != "custom":
        notes.append("--with is only used with --comparator custom: ignored")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    text = to_csv(df) if args.format == "csv" else to_json(df, notes)
    stdout.write(text)
    if not text.endswith("\n"):
        stdout.write("\n")
    return 0


__all__ = ["CONTRACT_COLUMNS", "open_engine", "scorecard_cli", "to_csv", "to_json"]
