"""Saved ratings beside a build, so the next process loads them instead of recomputing.

A snapshot holds the bound rows, the periods, the latest grid, every fixed group's ratings and
the similar-areas group. Its folder name is a key of the catalogue's measures and the rating
code, so ratings are never served from an older catalogue or an older rule.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from lutonwb import comparators, db, intervals, quintiles, stats
from lutonwb.catalogue import Catalogue
from lutonwb.comparators import GROUP_IDS
from lutonwb.engine.bindings import set_chosen
from lutonwb.engine.grid import grid
from lutonwb.engine.groups import similar
from lutonwb.engine.state import State

SNAPSHOT_GROUPS = tuple(g for g in GROUP_IDS if g != "custom")  # custom is always rated live
SNAPSHOT_DIR = "engine"
KEEP = 3


def _code_hash() -> str:
    """The rating code as this process loaded it (read once, so a running process is
    consistent with itself even if the files change under it)."""
    h = hashlib.sha256(f"{pd.__version__} {np.__version__}".encode())
    here = Path(__file__).parent
    engine_files = sorted([*here.glob("*.py"), *here.glob("*.md")])
    rating = (stats, comparators, db, intervals, quintiles)  # every module a rating reads
    for path in (*(m.__file__ for m in rating), *engine_files):
        h.update(Path(path).read_bytes())
    return h.hexdigest()


_CODE_HASH = _code_hash()


def snapshot_key(cat: Catalogue) -> str:
    """What the precomputed ratings depend on besides the data: the measures and this code."""
    h = hashlib.sha256(repr(tuple(cat.measures.values())).encode())
    h.update(_CODE_HASH.encode())
    return h.hexdigest()[:20]


def snapshot_folder(wh: db.Warehouse, cat: Catalogue) -> Path:
    """Where this build keeps the precomputed ratings for this catalogue and engine."""
    return Path(wh.folder) / SNAPSHOT_DIR / snapshot_key(cat)


def _prune(parent: Path, keep: Path, n: int = KEEP) -> None:
    """Keep the n most recent snapshots of a build (older catalogues or engine versions)."""
    done = sorted(
        (p for p in parent.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in done[n:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def publish(folder: Path, write: Callable[[Path], None]) -> bool:
    """Write into a temporary folder and rename it to folder, so a reader sees all of it or none;
    keep the KEEP most recent siblings. A read-only build just means nothing saved (False)."""
    tmp = folder.parent / f".{folder.name}.{os.getpid()}.tmp"
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        write(tmp)
        os.rename(tmp, folder)
        _prune(folder.parent, keep=folder)
        return True
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return False


def save(st: State, folder: Path, rate_all: Callable[[str], pd.DataFrame]) -> bool:
    """Rate every fixed group and write the results into folder (atomically: publish)."""

    def write(tmp: Path) -> None:
        st.rows.to_parquet(tmp / "rows.parquet", index=False)
        st.periods.to_parquet(tmp / "periods.parquet", index=False)
        grid(st, "latest").to_parquet(tmp / "grid.parquet", index=False)
        for g in SNAPSHOT_GROUPS:
            rate_all(g).to_parquet(tmp / f"rate-{g}.parquet", index=False)
        similar(st).to_parquet(tmp / "similar.parquet", index=False)
        meta = {"chosen": st.chosen, "similar_used": st.cache["similar_used"]}
        (tmp / "meta.json").write_text(json.dumps(meta, sort_keys=True))

    return publish(folder, write)


def load(st: State, folder: Path) -> None:
    """Fill st from a saved snapshot (each group's ratings are read when first asked for)."""
    meta = json.loads((folder / "meta.json").read_text())
    set_chosen(st, {k: int(v) for k, v in meta["chosen"].items()})
    st.rows = pd.read_parquet(folder / "rows.parquet")
    st.periods = pd.read_parquet(folder / "periods.parquet")
    st.cache[("grid", "latest")] = pd.read_parquet(folder / "grid.parquet")
    st.cache["similar"] = pd.read_parquet(folder / "similar.parquet")
    st.cache["similar_used"] = meta["similar_used"]
    st.snapshot = folder


def read_ratings(folder: Path | None, group_id: str) -> pd.DataFrame | None:
    """A fixed group's latest ratings from a snapshot, or None (not there, unreadable)."""
    if folder is None or group_id not in SNAPSHOT_GROUPS:
        return None
    try:
        return pd.read_parquet(folder / f"rate-{group_id}.parquet")
    except (OSError, ValueError):
        return None
