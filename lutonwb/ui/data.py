"""Cached access to the warehouse for pages: built on first start, opened once per process."""

from __future__ import annotations

import streamlit as st

from lutonwb import config
from lutonwb.build import build, is_current
from lutonwb.db import Warehouse


def ensure_built() -> None:
    """Build the warehouse when it is missing or stale, showing a status while it runs."""
    raw, out = config.raw_dir(), config.warehouse_dir()
    if is_current(raw, out):
        return
    with st.status("Preparing the data for first use…", expanded=True) as status:
        build(raw, out, progress=status.write)
        status.update(label="Data ready", state="complete", expanded=False)


@st.cache_resource(show_spinner=False)
def _warehouse(built_at: str) -> Warehouse:
    return Warehouse(config.warehouse_dir())


def warehouse() -> Warehouse:
    """The open warehouse for the current build (reopened when a new build is published)."""
    from lutonwb.build import read_manifest

    ensure_built()
    return _warehouse(read_manifest(config.warehouse_dir()).get("built_at", ""))
