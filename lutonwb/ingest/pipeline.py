"""Run every source builder, validate, and publish the warehouse atomically.

Each source module in SOURCES exposes INPUTS (glob patterns under the raw folder) and
build(raw: Path) -> dict[table name, DataFrame]; a module that reads the place's own ward and
LSOA files also declares LOCAL_ROLES and is called build(raw, local) with the place's local
area (None: it returns those tables empty). Frames for the same table are stacked.
The published folder is a symlink swapped in one rename, so readers see the old build or
the new one, never half of each, and a failed build leaves the last good one in place.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lutonwb.ingest.errors import BuildError, DataError
from lutonwb.ingest.local import missing_files, section_hash
from lutonwb.ingest.readers import display_name
from lutonwb.ingest.schema import TABLES, conform
from lutonwb.place import LocalArea, Place, current_place

# Order matters only for the progress display.
SOURCES: tuple[str, ...] = (
    "lutonwb.ingest.areas",
    "lutonwb.ingest.neighbours",
    "lutonwb.ingest.fingertips",
    "lutonwb.ingest.ons_els",
    "lutonwb.ingest.lait",
    "lutonwb.ingest.dwp",
    "lutonwb.ingest.desnz",
    "lutonwb.ingest.mhclg",
    "lutonwb.ingest.geography",
    "lutonwb.ingest.deprivation",
    "lutonwb.ingest.census",
    "lutonwb.ingest.reported",
    "lutonwb.ingest.plan",
)

MANIFEST = "manifest.json"
PLACE_KEY = "place:local_area"  # manifest input key for the place's local-area section
BUILD_VERSION = 1  # bump when the warehouse layout changes, so old builds are rebuilt


@dataclass
class SourceResult:
    name: str
    tables: dict[str, pd.DataFrame]
    seconds: float


def source_inputs(raw: Path, place: Place | None = None) -> list[Path]:
    """Every raw file some source reads (the place's own files too), sorted, for the manifest."""
    local = _local(place)
    files: set[Path] = set()
    for mod in _modules():
        for pattern in getattr(mod, "INPUTS", ()):
            files.update(p for p in raw.glob(pattern) if p.is_file())
        for role in getattr(mod, "LOCAL_ROLES", ()) if local else ():
            if role in local.files and (raw / local.files[role].path).is_file():
                files.add(raw / local.files[role].path)
    return sorted(files)


def fingerprint(raw: Path, place: Place | None = None) -> dict[str, str]:
    """sha256 of each input, keyed by its path under the raw folder, and of the place's section."""
    found = {p.relative_to(raw).as_posix(): _sha256(p) for p in source_inputs(raw, place)}
    return {**found, PLACE_KEY: section_hash(_local(place))}


def is_current(raw: Path, out: Path, place: Place | None = None) -> bool:
    """The published warehouse was built from exactly these inputs and place by this version."""
    manifest = read_manifest(out)
    return (
        bool(manifest)
        and manifest.get("version") == BUILD_VERSION
        and manifest.get("inputs") == fingerprint(raw, place)
    )


def read_manifest(out: Path) -> dict:
    """The published manifest, or {} when nothing is published."""
    path = out / MANIFEST
    if not path.exists():
        return {}
    return json.loads(path.read_text())


def builds_folder(out: Path) -> Path:
    """Where published builds live; `out` is a symlink to one of them."""
    return out.parent / f".{out.name}-builds"


def newest_build(out: Path) -> Path | None:
    """The newest complete build kept beside `out` (its manifest written), or None."""
    store = builds_folder(out)
    kept = [
        p
        for p in (store.iterdir() if store.is_dir() else ())
        if not p.name.endswith(".partial") and (p / MANIFEST).is_file()
    ]
    return max(kept, key=os.path.getmtime, default=None)


def build(
    raw: Path, out: Path, progress: Callable[[str], None] = print, place: Place | None = None
) -> dict:
    """Build every table from raw for `place` (default: the configured one) and publish it."""
    raw, out = Path(raw), Path(out)
    if not raw.is_dir():
        raise BuildError([DataError(str(raw), None, None, "no such folder", "the raw data folder")])
    started = time.perf_counter()
    local = _local(place)
    roles = [r for mod in _modules() for r in getattr(mod, "LOCAL_ROLES", ())]
    errors = missing_files(raw, local, roles)
    if errors:
        raise BuildError(errors)
    results, errors = _run_sources(raw, local, progress)
    if errors:
        raise BuildError(errors)
    tables = _stack(results)
    inputs = fingerprint(raw, place)
    manifest = {
        "version": BUILD_VERSION,
        "inputs": inputs,
        "tables": {name: int(len(df)) for name, df in sorted(tables.items())},
        "sources": {r.name: {t: int(len(df)) for t, df in r.tables.items()} for r in results},
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "seconds": round(time.perf_counter() - started, 2),
    }
    _publish(tables, manifest, out)
    progress(
        f"published {sum(manifest['tables'].values()):,} rows in {len(tables)} tables to {out}"
    )
    return manifest


def _modules():
    return [importlib.import_module(name) for name in SOURCES]


def _local(place: Place | None) -> LocalArea | None:
    return (place if place is not None else current_place()).local_area


def _run_sources(
    raw: Path, local: LocalArea | None, progress: Callable[[str], None]
) -> tuple[list[SourceResult], list[Exception]]:
    results: list[SourceResult] = []
    errors: list[Exception] = []
    mods = _modules()
    for i, mod in enumerate(mods, 1):
        short = mod.__name__.rsplit(".", 1)[-1]
        t0 = time.perf_counter()
        try:
            args = (local,) if hasattr(mod, "LOCAL_ROLES") else ()
            tables = mod.build(raw, *args)
        except DataError as exc:
            errors.append(exc)
            progress(f"[{i}/{len(mods)}] {short}: ERROR {exc}")
            continue
        except BuildError as exc:
            errors.extend(exc.errors)
            progress(f"[{i}/{len(mods)}] {short}: {len(exc.errors)} errors")
            continue
        except OSError as exc:  # a missing or unreadable input: name it like any data error
            name = display_name(Path(exc.filename)) if exc.filename else short
            err = DataError(name, None, None, exc.strerror or str(exc), "a readable input file")
            errors.append(err)
            progress(f"[{i}/{len(mods)}] {short}: ERROR {err}")
            continue
        secs = time.perf_counter() - t0
        rows = sum(len(df) for df in tables.values())
        progress(f"[{i}/{len(mods)}] {short}: {rows:,} rows in {secs:.2f} s")
        results.append(SourceResult(short, tables, secs))
    return results, errors


def _stack(results: list[SourceResult]) -> dict[str, pd.DataFrame]:
    grouped: dict[str, list[pd.DataFrame]] = {}
    for r in results:
        for name, df in r.tables.items():
            if name in TABLES:
                df = conform(df, TABLES[name])
            grouped.setdefault(name, []).append(df)
    return {
        name: pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        for name, frames in grouped.items()
    }


def _publish(tables: dict[str, pd.DataFrame], manifest: dict, out: Path) -> None:
    """Write a new build folder, then swap the `out` symlink to it in one atomic rename."""
    store = builds_folder(out)
    store.mkdir(parents=True, exist_ok=True)
    target = (
        store / f"build-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.perf_counter_ns()}"
    )
    tmp = target.with_name(target.name + ".partial")
    tmp.mkdir()
    try:
        for name, df in tables.items():
            df.to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    link_tmp = out.parent / f".{out.name}.link-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(target.relative_to(out.parent), target_is_directory=True)
    if out.exists() and not out.is_symlink():
        # a plain folder from elsewhere: move it aside once, then use the symlink scheme
        out.rename(store / f"legacy-{time.strftime('%Y%m%dT%H%M%S')}")
    os.replace(link_tmp, out)
    _prune(store, keep=target)


def _prune(store: Path, keep: Path, n: int = 2) -> None:
    """Keep the newest n builds (a running app may still read the previous one)."""
    builds = sorted(
        (p for p in store.iterdir() if p.is_dir() and not p.name.endswith(".partial")),
        key=os.path.getmtime,
    )
    for old in builds[:-n]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
