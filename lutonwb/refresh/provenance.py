"""The record of Fingertips API downloads (data/raw/fingertips/api/PROVENANCE.csv), standard library only.

The catalogue reads it to bind a measure's `fingertips_id` to its downloaded series, so it must
stay cheap to import (no pandas).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

API_FOLDER = "fingertips/api"
PROVENANCE = "PROVENANCE.csv"
FIELDS = ("indicator_id", "indicator_name", "file", "url", "retrieved_utc", "bytes", "sha256",
          "rows", "sex", "age")  # fmt: skip
SERIES_FAMILY = "fingertips-api"


def api_folder(raw: Path) -> Path:
    """Where downloaded Fingertips 'all data' files live under the raw folder."""
    return Path(raw) / API_FOLDER


def read_provenance(raw: Path) -> dict[int, dict[str, str]]:
    """indicator id → its provenance row ({} when nothing was downloaded)."""
    path = api_folder(raw) / PROVENANCE
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if (r.get("indicator_id") or "").isdigit()]
    # a row counts only while its file is still there (an analyst may delete a download)
    return {int(r["indicator_id"]): r for r in rows if (api_folder(raw) / r["file"]).is_file()}


def write_provenance(raw: Path, rows: dict[int, dict[str, str]]) -> None:
    """Rewrite the record atomically, one row per indicator id in id order."""
    path = api_folder(raw) / PROVENANCE
    tmp = path.with_name(f".{PROVENANCE}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS, extrasaction="ignore")
        w.writeheader()
        for key in sorted(rows):
            w.writerow(rows[key])
    os.replace(tmp, path)


def downloaded_series(raw: Path) -> dict[int, tuple[str, str, str | None]]:
    """indicator id → (series id, sex and age of its headline rows) for every recorded download."""
    return {
        i: (f"{SERIES_FAMILY}/{i}", r.get("sex") or "Persons", r.get("age") or None)
        for i, r in read_provenance(raw).items()
    }
