"""Paths and defaults, each overridable from the environment (one settings module)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ENGLAND = "E92000001"
DEFAULT_PLACE = PROJECT_ROOT / "data" / "places" / "luton"


def place_dir() -> Path:
    """Folder of the place served (its place.yaml, boards, plan, ...); default Luton's."""
    return Path(os.environ.get("LUTONWB_PLACE", DEFAULT_PLACE))


def home_area_default() -> str:
    """The home area rated by default: LUTONWB_HOME_AREA, else the place's home_area."""
    from lutonwb.place import current_place  # place.py reads this module's place_dir

    return os.environ.get("LUTONWB_HOME_AREA") or current_place().home_area


def __getattr__(name: str) -> str:
    """`config.HOME_AREA_DEFAULT` is read at each use, so it follows the configured place."""
    if name == "HOME_AREA_DEFAULT":
        return home_area_default()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def raw_dir() -> Path:
    """Folder of the bundled raw inputs."""
    return Path(os.environ.get("LUTONWB_RAW", PROJECT_ROOT / "data" / "raw"))


def warehouse_dir() -> Path:
    """Folder of the published parquet warehouse: data/warehouse for the default place, and
    data/warehouses/<place folder name> for any other, so switching places never rebuilds or
    overwrites another place's build."""
    if "LUTONWB_WAREHOUSE" in os.environ:
        return Path(os.environ["LUTONWB_WAREHOUSE"])
    place = place_dir()
    return _place_warehouse(str(place), "" if place.is_absolute() else os.getcwd())


@functools.lru_cache(maxsize=8)
def _place_warehouse(place_folder: str, cwd: str) -> Path:
    """The warehouse of a place folder (`cwd` for a relative one). Resolving both folders took
    ~40 file-system calls, on every cached call of every page."""
    place = (Path(cwd) / place_folder).resolve()
    if place == DEFAULT_PLACE.resolve():
        return PROJECT_ROOT / "data" / "warehouse"
    return PROJECT_ROOT / "data" / "warehouses" / place.name


def catalogue_path() -> Path:
    """The catalogue, the one source of truth for measures."""
    return Path(os.environ.get("LUTONWB_CATALOGUE", PROJECT_ROOT / "catalogue.yaml"))


def tracker_path() -> Path:
    """Embedded DuckDB file for tracker status updates (git-ignored)."""
    return Path(os.environ.get("LUTONWB_TRACKER_DB", PROJECT_ROOT / "data" / "tracker.duckdb"))


def database_url() -> str | None:
    """PostgreSQL URL for the tracker when configured (environment wins over secrets)."""
    return os.environ.get("LUTONWB_DATABASE_URL") or None
