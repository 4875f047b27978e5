"""Paths and defaults, each overridable from the environment (one settings module)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

HOME_AREA_DEFAULT = os.environ.get("LUTONWB_HOME_AREA", "E06000032")  # Luton
ENGLAND = "E92000001"


def place_dir() -> Path:
    """Folder of the place served (its place.yaml, boards, plan, ...); default Luton's."""
    return Path(os.environ.get("LUTONWB_PLACE", PROJECT_ROOT / "data" / "places" / "luton"))


def raw_dir() -> Path:
    """Folder of the bundled raw inputs."""
    return Path(os.environ.get("LUTONWB_RAW", PROJECT_ROOT / "data" / "raw"))


def warehouse_dir() -> Path:
    """Folder of the published parquet warehouse."""
    return Path(os.environ.get("LUTONWB_WAREHOUSE", PROJECT_ROOT / "data" / "warehouse"))


def catalogue_path() -> Path:
    """The catalogue, the one source of truth for measures."""
    return Path(os.environ.get("LUTONWB_CATALOGUE", PROJECT_ROOT / "catalogue.yaml"))


def tracker_path() -> Path:
    """Embedded DuckDB file for tracker status updates (git-ignored)."""
    return Path(os.environ.get("LUTONWB_TRACKER_DB", PROJECT_ROOT / "data" / "tracker.duckdb"))


def database_url() -> str | None:
    """PostgreSQL URL for the tracker when configured (environment wins over secrets)."""
    return os.environ.get("LUTONWB_DATABASE_URL") or None
