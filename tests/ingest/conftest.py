"""Fixtures for the loaders: Luton's local area as its place folder names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from lutonwb.place import LocalArea, load_place

ROOT = Path(__file__).resolve().parents[2]
LUTON_PLACE = ROOT / "data" / "places" / "luton"


@pytest.fixture(scope="session")
def luton() -> LocalArea:
    """Luton's local_area section (authority and its ward and LSOA files by role)."""
    local = load_place(LUTON_PLACE).local_area
    assert local is not None
    return local
