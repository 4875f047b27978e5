"""lutonwb.ui.sections: a section draws its content only while open, and opening or closing it
writes its URL key (closing the catalogue also clears the search that would reopen it)."""

from __future__ import annotations

import pytest

from lutonwb.ui.sections import widget_key


def _section_script() -> None:
    import streamlit as st

    from lutonwb.ui import sections

    is_open = st.query_params.get("ranked") == "1"
    always = st.query_params.get("always") == "1"
    sections.section(
        "Ranked", "ranked", "Show the ranking", "ranked", is_open,
        lambda: st.write("the ranked content"), always=always,
    )  # fmt: skip


def _commit_script() -> None:
    import streamlit as st

    from lutonwb.ui import sections

    st.session_state["open_catalogue"] = st.session_state["want_open"]
    sections.commit_open("open_catalogue", "catalogue", False, ("q",))


@pytest.mark.parametrize(
    ("params", "content", "expanders"),
    [({}, False, 1), ({"ranked": "1"}, True, 1), ({"always": "1"}, True, 0)],
)
def test_content_is_drawn_only_while_open(run_script, params, content, expanders) -> None:
    at = run_script(_section_script, {}, **params)
    assert [h.value for h in at.header] == ["Ranked"]
    assert len(at.expander) == expanders
    texts = [m.value for m in at.markdown]
    assert ("the ranked content" in texts) is content
    if expanders:
        assert at.expander[0].label == "Show the ranking"
        assert len(at.expander[0].children) == (1 if content else 0)


def test_opening_writes_the_key(run_script, url_of) -> None:
    at = run_script(_commit_script, {"want_open": True}, area="E06000032")
    assert url_of(at) == {"area": "E06000032", "catalogue": "1"}


def test_closing_removes_the_key_and_the_search(run_script, url_of) -> None:
    at = run_script(_commit_script, {"want_open": False}, catalogue="1", q="obesity", area="X")
    assert url_of(at) == {"area": "X"}


def test_widget_keys() -> None:
    assert widget_key("map") == "w_map"  # the England map's published widget key
    assert widget_key("ranked") == "open_ranked"
