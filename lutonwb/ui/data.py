"""Cached access to the warehouse for pages: built on first start, opened once per process."""

from __future__ import annotations

import time

import streamlit as st

from lutonwb import config
from lutonwb.build import build, is_current, read_manifest
from lutonwb.db import Warehouse

RECHECK_SECONDS = 30.0  # how often a running app looks for changed raw files (hashing costs ~10 ms)
_last_check: dict[tuple[str, str], float] = {}


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


def warehouse() -> Warehouse:
    """The open warehouse for the current build (reopened when a new build is published)."""
    ensure_built()
    out = config.warehouse_dir()
    return _warehouse(str(out), read_manifest(out).get("built_at", ""))
