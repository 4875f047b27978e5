"""numpy's huge-page advice: turned off by the engine unless the operator chose a setting."""

from __future__ import annotations

import pytest
from numpy._core.multiarray import _get_madvise_hugepage, _set_madvise_hugepage

from lutonwb.catalogue import load_catalogue
from lutonwb.engine import Engine
from lutonwb.engine.memory import HUGE_PAGES_VARIABLE, ordinary_pages


@pytest.fixture
def advice_on(monkeypatch):
    """numpy advising huge pages (its default on Linux), restored to what it was after."""
    before = _set_madvise_hugepage(True)
    monkeypatch.delenv(HUGE_PAGES_VARIABLE, raising=False)
    yield
    _set_madvise_hugepage(before)


def test_ordinary_pages_turns_the_advice_off(advice_on) -> None:
    assert _get_madvise_hugepage() is True
    assert ordinary_pages() is False
    assert _get_madvise_hugepage() is False


@pytest.mark.parametrize("chosen, kept", [("1", True), (" 0 ", False)])
def test_an_operators_setting_is_left_alone(advice_on, monkeypatch, chosen, kept) -> None:
    monkeypatch.setenv(HUGE_PAGES_VARIABLE, chosen)
    _set_madvise_hugepage(kept)
    assert ordinary_pages() is kept
    assert _get_madvise_hugepage() is kept


def test_an_unclear_setting_counts_as_none(advice_on, monkeypatch) -> None:
    monkeypatch.setenv(HUGE_PAGES_VARIABLE, "yes")
    assert ordinary_pages() is False
    assert _get_madvise_hugepage() is False


def test_an_engine_over_a_build_turns_the_advice_off(advice_on, wh) -> None:
    Engine(wh, load_catalogue())
    assert _get_madvise_hugepage() is False
