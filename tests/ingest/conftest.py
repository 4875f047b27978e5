"""Fixtures for the loaders: Luton's local area as its place folder names it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
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


def _one(v: pd.DataFrame, **where) -> pd.Series:
    rows = v
    for k, x in where.items():
        rows = rows[rows[k] == x]
    assert len(rows) == 1, f"{len(rows)} rows for {where}"
    return rows.iloc[0]


@pytest.fixture(scope="session")
def one():
    """one(frame, column=value, ...): the single row matching, failing if there are 0 or 2+."""
    return _one
