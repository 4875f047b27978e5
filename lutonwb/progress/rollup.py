"""Roll-ups of the progress table: per target outcome, board or Marmot principle, how many measures
are in each status, and which measures they are (each count opens the measures behind it)."""

from __future__ import annotations

import pandas as pd

from lutonwb.progress.status import STATUSES

BY_COLUMN = {"outcome": "outcomes", "board": "boards", "principle": "principles"}


def rollup(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per key (outcome id, board id or principle number): a count column per status and
    a `<status> measures` column listing the measure ids behind each count."""
    if by not in BY_COLUMN:
        raise ValueError(f"unknown roll-up {by!r}: expected one of {', '.join(BY_COLUMN)}")
    long = table[["measure_id", "progress", BY_COLUMN[by]]].explode(BY_COLUMN[by])
    long = long.rename(columns={BY_COLUMN[by]: "key"}).dropna(subset=["key"])
    rows = []
    for key, part in long.groupby("key", sort=True):
        row: dict[str, object] = {"key": key, "measures": len(part)}
        for status in STATUSES:
            ids = part.loc[part["progress"] == status, "measure_id"].tolist()
            row[status] = len(ids)
            row[f"{status} measures"] = ids
        rows.append(row)
    cols = ["key", "measures", *STATUSES, *(f"{s} measures" for s in STATUSES)]
    return pd.DataFrame(rows, columns=cols)


def status_counts(table: pd.DataFrame) -> dict[str, int]:
    """How many of the table's measures are in each status, every status listed (zeros kept);
    the counts add up to the number of measures."""
    counts = table["progress"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUSES}
