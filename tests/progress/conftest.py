"""Shared fixtures for the progress tests: one engine over the session's warehouse."""

from __future__ import annotations

import pytest

from lutonwb.catalogue import load_catalogue
from lutonwb.engine import Engine


@pytest.fixture(scope="session")
def engine(wh) -> Engine:
    return Engine(wh, load_catalogue())


@pytest.fixture(scope="session")
def saved_build(warehouse_dir, tmp_path_factory):
    """A private copy of the built warehouse with the place's progress tables saved beside it, as
    `lutonwb build` leaves it (the shared warehouse is never written)."""
    import shutil

    from lutonwb.db import Warehouse
    from lutonwb.progress.snapshot import PROGRESS_DIR, precompute_progress

    folder = tmp_path_factory.mktemp("wh-progress") / "build"
    shutil.copytree(warehouse_dir.resolve(), folder, ignore=shutil.ignore_patterns(PROGRESS_DIR))
    wh = Warehouse(folder)
    assert precompute_progress(wh, load_catalogue()).startswith(
        "progress: tables for the fixed comparator groups precomputed"
    )
    return wh
