"""Shared fixtures: the bundled raw data and one warehouse built from it for the session."""

from __future__ import annotations

import fcntl
import functools
import os
from pathlib import Path

import pytest

from lutonwb import config
from lutonwb.db import Warehouse
from lutonwb.ingest import build, is_current

ROOT = Path(__file__).resolve().parent.parent


def _scan_components_once() -> None:
    """AppTest looks through every installed distribution's metadata for Streamlit components
    each time it starts an app (~0.12 s, for each of the suite's ~1,000 apps). What is installed
    does not change during a test run, so the suite looks once per process."""
    try:  # a Streamlit that moved the scan just makes the suite slower, never red
        from streamlit.components.v2 import manifest_scanner

        scan = manifest_scanner.scan_component_manifests
    except (ImportError, AttributeError):
        return
    manifest_scanner.scan_component_manifests = functools.cache(scan)


_scan_components_once()
# The strategy documents the place's data was transcribed from are not in the repository; tests
# that check a quote against them run where they sit beside the project (or LUTONWB_SEEDS_DIR).
SEEDS_DIR = Path(os.environ.get("LUTONWB_SEEDS_DIR", ROOT.parent / "shared" / "seeds"))
RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


@pytest.fixture(scope="session")
def warehouse_dir() -> Path:
    """The project's warehouse, built once (under a lock so parallel workers share it)."""
    out = config.warehouse_dir()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not is_current(RAW, out):
            build(RAW, out, progress=lambda _m: None)
    return out


@pytest.fixture(scope="session")
def wh(warehouse_dir: Path) -> Warehouse:
    return Warehouse(warehouse_dir)
