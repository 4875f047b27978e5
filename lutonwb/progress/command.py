"""`lutonwb progress`: the progress table for a home area and comparator group, as CSV or JSON.

Options, validation and output mirror `lutonwb scorecard`: lists are ';'-joined in CSV and arrays
in JSON; a bad request (unknown area, comparator, board, missing warehouse) prints one line and
exits 2."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

import pandas as pd

from lutonwb.progress.table import progress_table
from lutonwb.scorecard import open_engine, to_csv, to_json


def _table(args: argparse.Namespace, engine: Any) -> pd.DataFrame:
    """The progress table the arguments ask for (raises on a bad request or missing data)."""
    eng = engine or open_engine(args.out)
    members = [c for c in (args.with_ or "").split(",") if c.strip()]
    return progress_table(
        eng, args.area, args.comparator, members, board=args.board, principle=args.principle
    )


def progress_cli(args: argparse.Namespace, engine: Any = None, stdout: TextIO | None = None) -> int:
    """Run the progress command; returns the exit code (2 for a bad request)."""
    try:
        df = _table(args, engine)
    except Exception as exc:  # bad area/group/board, no warehouse, broken catalogue or targets
        print(f"error: {exc}", file=sys.stderr)
        return 2
    notes = list(df.attrs.get("notes", []))
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    text = to_csv(df) if args.format == "csv" else to_json(df, notes)
    (stdout or sys.stdout).write(text if text.endswith("\n") else text + "\n")
    return 0
