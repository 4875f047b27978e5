"""The place's progress tables, worked out once beside the build (like the engine's saved ratings),
so that no page load works them out.

`lutonwb build` saves the home area's progress table against every fixed comparator group into
`<build>/progress/<key>/`. The key hashes what the tables depend on besides the data: the engine's
snapshot key (the catalogue's measures and the rating code), the progress code, the place's
targets and the home area. A changed catalogue, rule, target or home area therefore never reads an
old table: the page then works out the one table it needs, and the next `lutonwb build
--if-needed` saves a fresh set. Other home areas are always worked out live, and so are custom
groups, except one with exactly the members of a fixed group compared by its members' average
(as every custom group starts): its table is that group's.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from lutonwb.catalogue import Catalogue
from lutonwb.db import Warehouse
from lutonwb.engine import SNAPSHOT_GROUPS, snapshot_key
from lutonwb.engine.groups import PUBLISHED_BENCHMARKS
from lutonwb.engine.snapshot import publish
from lutonwb.progress.table import measure_progress, progress_table
from lutonwb.progress.targets import PlaceTargets, load_targets

PROGRESS_DIR = "progress"
LIST_COLUMNS = ("principles", "outcomes", "boards")


def _code_hash() -> str:
    """The progress code as this process loaded it (read once, like the engine's)."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    shared = [here.parent / "gaps.py"]  # the one gap convention the tables follow
    for path in [*sorted([*here.glob("*.py"), *here.glob("*.md")]), *shared]:
        h.update(path.read_bytes())
    return h.hexdigest()


_CODE_HASH = _code_hash()


def progress_key(cat: Catalogue, targets: PlaceTargets, home: str) -> str:
    """What the saved tables depend on besides the data."""
    h = hashlib.sha256(snapshot_key(cat).encode())
    h.update(_CODE_HASH.encode())
    h.update(repr(targets).encode())
    h.update(home.encode())
    return h.hexdigest()[:20]


def progress_folder(wh: Warehouse, cat: Catalogue, targets: PlaceTargets, home: str) -> Path:
    """Where this build keeps the home area's progress tables for this catalogue and code."""
    return Path(wh.folder) / PROGRESS_DIR / progress_key(cat, targets, home)


def _file(folder: Path, group_id: str) -> Path:
    return folder / f"progress-{group_id}.parquet"


def save_progress(engine: Any, wh: Warehouse, home: str, targets: PlaceTargets) -> bool:
    """Work out and save the home area's progress table against every fixed group (atomically,
    as the engine saves its ratings; False when the build is read-only)."""

    def write(tmp: Path) -> None:
        for g in SNAPSHOT_GROUPS:
            progress_table(engine, home, g, targets=targets).to_parquet(_file(tmp, g), index=False)

    return publish(progress_folder(wh, engine.cat, targets, home), write)


def read_progress(folder: Path, group_id: str) -> pd.DataFrame | None:
    """A saved progress table, or None (a custom group, not saved, unreadable)."""
    if group_id not in SNAPSHOT_GROUPS:
        return None
    try:
        saved = pd.read_parquet(_file(folder, group_id))
    except (OSError, ValueError):
        return None
    for col in LIST_COLUMNS:  # parquet gives arrays back: lists, as progress_table makes them
        saved[col] = saved[col].map(lambda a: a.tolist() if hasattr(a, "tolist") else a)
    return saved


# a custom group is compared by its members' average, as these fixed groups are
AVERAGED_GROUPS = tuple(g for g in SNAPSHOT_GROUPS if g not in PUBLISHED_BENCHMARKS)


def same_members_group(engine: Any, home: str, custom: Sequence[str]) -> str | None:
    """The fixed group compared by its members' average whose members for `home` are exactly the
    custom group's, if any: its progress table is then the custom group's, only labelled
    custom."""
    return engine.same_members_group(home, custom, AVERAGED_GROUPS)


def saved(
    engine: Any,
    wh: Warehouse,
    home: str,
    group_id: str,
    targets: PlaceTargets,
    custom: Sequence[str] = (),
) -> pd.DataFrame | None:
    """The build's saved table for this home area and group, or None; for a custom group, the
    table of the fixed group with the same members (see same_members_group), labelled custom."""
    folder = progress_folder(wh, engine.cat, targets, home)
    if not folder.is_dir():  # another home area, or a build that has not saved them
        return None
    fixed = same_members_group(engine, home, custom) if group_id == "custom" else group_id
    table = read_progress(folder, fixed) if fixed else None
    if table is not None and fixed != group_id:
        table["comparator"] = group_id
    return table


def saved_or_live(
    engine: Any,
    wh: Warehouse,
    home: str,
    group_id: str,
    custom: tuple[str, ...] = (),
    targets: PlaceTargets | None = None,
) -> pd.DataFrame:
    """The progress table: the saved one when the build has it, else worked out now (never
    saved here: saving every group is the build's job)."""
    targets = targets or load_targets()
    table = saved(engine, wh, home, group_id, targets, custom)
    if table is None:
        table = progress_table(engine, home, group_id, custom, targets=targets)
    return table


def measure_saved_or_live(
    engine: Any,
    wh: Warehouse,
    measure_id: str,
    home: str,
    group_id: str,
    custom: tuple[str, ...] = (),
    targets: PlaceTargets | None = None,
) -> pd.DataFrame:
    """One measure's progress row: from the saved table when the build has it, else worked out
    for that measure alone (the measure page's)."""
    targets = targets or load_targets()
    table = saved(engine, wh, home, group_id, targets, custom)
    if table is None:
        return measure_progress(engine, measure_id, home, group_id, custom, targets)
    return table[table["measure_id"] == measure_id].reset_index(drop=True)


def precompute_progress(wh: Warehouse, cat: Catalogue) -> str:
    """Save the place's home-area progress tables unless this build has them already; returns
    a line for the build's log."""
    from lutonwb import config
    from lutonwb.engine import Engine

    targets, home = load_targets(), config.HOME_AREA_DEFAULT
    if progress_folder(wh, cat, targets, home).is_dir():
        return "progress: precomputed tables are up to date"
    t0 = time.perf_counter()
    done = save_progress(Engine(wh, cat), wh, home, targets)
    word = "precomputed" if done else "could not be saved"
    return f"progress: tables for the fixed comparator groups {word} in {time.perf_counter() - t0:.1f} s"
