"""Fixtures for tests/ui: run a small script under AppTest with a link and session values."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest


def _run_script(script: Callable[[], None], session: dict, **params: str) -> AppTest:
    """Run `script` once with these query parameters and session values; it must not raise."""
    at = AppTest.from_function(script, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    for k, v in session.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture
def run_script() -> Callable[..., AppTest]:
    """run_script(script, {session key: value}, **query parameters) -> the AppTest after one run."""
    return _run_script


@pytest.fixture
def url_of() -> Callable[[AppTest], dict[str, str]]:
    """The address bar after a run (the last value of a repeated key)."""
    return lambda at: {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
