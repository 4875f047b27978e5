"""Cached access to the warehouse for pages: built on first start, opened once per process."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from lutonwb import config
from lutonwb.db import Warehouse
from lutonwb.ingest import build, is_current, read_manifest
from lutonwb.ingest.pipeline import MANIFEST

RECHECK_SECONDS = 30.0  # how often a running app looks for changed raw files (hashing costs ~10 ms)
_last_check: dict[tuple[str, str], float] = {}
_built_at_seen: dict[str, tuple[tuple[int, int, int], str]] = {}


def ensure_built() -> None:
    """Build the warehouse when it is missing or stale, showing a status while it runs.

    The raw inputs are fingerprinted at most every RECHECK_SECONDS per process, not on every
    rerun: a refresh is picked up within that time, and warm reruns stay cheap.
    """
    raw, out = config.raw_dir(), config.warehouse_dir()
    key = (str(raw), str(out))
    now = time.monotonic()
    if key in _last_check and now - _last_check[key] < RECHECK_SECONDS:
        return
    if not is_current(raw, out):
        with st.status("Preparing the data for first use…", expanded=True) as status:
            build(raw, out, progress=status.write)
            status.update(label="Data ready", state="complete", expanded=False)
    _last_check[key] = now


@st.cache_resource(show_spinner=False, max_entries=2)  # the current build and, briefly, the last
def _warehouse(folder: str, built_at: str) -> Warehouse:
    return Warehouse(config.warehouse_dir())


def built_at(out: Path) -> str:
    """built_at of the published build. Pages ask for the warehouse many times a rerun, so the
    manifest is parsed again only when its file changes (a publish writes a new one)."""
    path = out / MANIFEST
    try:
        info = path.stat()
    except FileNotFoundError:
        return ""
    sig = (info.st_ino, info.st_mtime_ns, info.st_size)
    seen = _built_at_seen.get(str(path))
    if seen is None or seen[0] != sig:
        seen = (sig, str(read_manifest(out).get("built_at", "")))
        _built_at_seen[str(path)] = seen
    return seen[1]


def warehouse() -> Warehouse:
    """The open warehouse for the current build (reopened when a new build is published)."""
    ensure_built()
    out = config.warehouse_dir()
    return _warehouse(str(out), built_at(out))
