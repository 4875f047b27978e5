"""Links name the router's page objects, so st.page_link never looks a page's file up on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.navigation.page import StreamlitPage
from streamlit.testing.v1 import AppTest

from lutonwb.ui import nav
from lutonwb.ui.state import PAGE_FILES, PAGE_PATHS

ROOT = Path(__file__).resolve().parents[2]
ROUTED_FILES = {**PAGE_FILES, "wards": "pages/wards.py", "plan": "pages/plan.py"}


@pytest.fixture(scope="module")
def overview() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    assert not at.exception
    return at


def test_before_the_router_runs_a_link_names_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nav, "_ROUTED", {})
    assert nav.link_target("pages/measure.py") == "pages/measure.py"


def test_after_a_run_every_page_file_names_its_page_object(overview: AppTest) -> None:
    assert set(ROUTED_FILES) == set(PAGE_PATHS)
    for url_path, file in ROUTED_FILES.items():
        page = nav.link_target(file)
        assert isinstance(page, StreamlitPage), file
        assert page.url_path == url_path


class _Forgetful(dict):
    """A registry that keeps nothing: every link then names its file, as before nav existed."""

    def __setitem__(self, key: str, value: object) -> None:
        pass


def _links(at: AppTest) -> list[tuple]:
    return [
        (p.label, p.page, p.page_script_hash, p.query_string, p.help, p.icon, p.external)
        for p in (el.proto for el in at.get("page_link"))
    ]


def test_links_by_page_object_are_the_links_by_file(
    overview: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_object = _links(overview)
    assert len(by_object) >= 20  # headline cards, principles, boards, progress counts
    assert {page for _, page, *_ in by_object} >= {"measure", "principle", "board", "progress"}
    monkeypatch.setattr(nav, "_ROUTED", _Forgetful())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    assert not at.exception
    assert _links(at) == by_object
