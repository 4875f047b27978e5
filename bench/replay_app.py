"""The content floor (see bench/replay.py): the app's pages re-sent as captured, doing nothing
else. The navigation is the app's own (the same sections, titles and URL paths, read from the
overview's captured navigation), so a page opens at its address and the sidebar switches pages as
the app's does. Each rerun of a page shows its next stored view, as a reader's choice shows other
content; coming from another page starts again at the view it opens on."""

import os
from pathlib import Path

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from bench.replay import REPLAY_DIR_ENV, REPLAYED, read_frames, views_of  # run from the root

FOLDER = Path(os.environ[REPLAY_DIR_ENV])


@st.cache_resource
def stored_views(name: str) -> list[list[ForwardMsg]]:
    """A page's stored views, parsed once for every session (what the replay re-sends)."""
    return [
        [
            fwd
            for fwd in map(ForwardMsg.FromString, read_frames(path))
            if fwd.WhichOneof("type") in REPLAYED
        ]
        for path in views_of(FOLDER, name)
    ]


def replay(name: str) -> None:
    """Re-send the page's next stored view (its first when the last run showed another page)."""
    views = stored_views(name)
    if not views:
        st.write("This page was not captured.")
        return
    same = st.session_state.get("_replay_page") == name
    run = st.session_state.get("_replay_run", -1) + 1 if same else 0
    st.session_state["_replay_page"], st.session_state["_replay_run"] = name, run
    ctx = get_script_run_ctx()
    for stored in views[run % len(views)]:
        if stored.WhichOneof("type") == "navigation":
            continue  # st.navigation sends its own
        fwd = ForwardMsg()
        fwd.CopyFrom(stored)  # the queue may change what it is given; the stored view stays
        fwd.ClearField("hash")  # hashed again by Streamlit, as the app's messages are
        ctx.enqueue(fwd)


def page(name: str):
    def show() -> None:
        replay(name)

    show.__name__ = f"replay_{name}"  # a distinct page for each name
    return show


def captured_navigation() -> dict[str, list[st.Page]]:
    """The app's navigation as the overview's capture has it: {section: its pages}."""
    for fwd in stored_views("overview")[0]:
        if fwd.WhichOneof("type") == "navigation":
            sections: dict[str, list[st.Page]] = {}
            for p in fwd.navigation.app_pages:
                name = p.url_pathname or "overview"
                sections.setdefault(p.section_header, []).append(
                    st.Page(
                        page(name),
                        title=p.page_name,
                        url_path=p.url_pathname or None,
                        default=p.is_default,
                    )  # fmt: skip
                )
            return sections
    raise LookupError("the overview's capture has no navigation")


st.navigation(captured_navigation()).run()
