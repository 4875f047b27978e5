"""Shared fixtures for the progress tests: one engine over the session's warehouse."""

from __future__ import annotations

import pytest

from lutonwb.catalogue import load_catalogue
from lutonwb.engine import Engine


@pytest.fixture(scope="session")
def engine(wh) -> Engine:
    return Engine(wh, load_catalogue())
