"""The content floor (see bench/replay.py): re-sends a page of the app as captured, doing nothing
else. `?page=<name>` picks the page; each rerun in a session shows its next stored view, as a
reader's choice shows other content. The navigation names this script as the page shown, so the
sidebar marks that page and the browser stays on this script's address."""

import os
from pathlib import Path

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from bench.replay import REPLAY_DIR_ENV, REPLAYED, read_frames, views_of  # run from the root


def as_this_script(fwd: ForwardMsg, own: str) -> None:
    """The captured navigation, with the page it showed standing for this script."""
    nav = fwd.navigation
    for page in nav.app_pages:
        if page.page_script_hash == nav.page_script_hash:
            page.page_script_hash, page.url_pathname, page.is_default = own, "", True
        elif page.is_default:
            page.is_default, page.url_pathname = False, "overview"
    nav.page_script_hash = own


views = views_of(Path(os.environ[REPLAY_DIR_ENV]), st.query_params.get("page", "overview"))
run = st.session_state.get("_replay_runs", 0)
st.session_state["_replay_runs"] = run + 1
ctx = get_script_run_ctx()
for frame in read_frames(views[run % len(views)]):
    fwd = ForwardMsg.FromString(frame)
    kind = fwd.WhichOneof("type")
    if kind not in REPLAYED:
        continue
    if kind == "navigation":
        as_this_script(fwd, ctx.page_script_hash)
        fwd.ClearField("hash")  # changed: worked out again on sending
    ctx.enqueue(fwd)  # the rest as the app sent them, its choice of what the browser may cache
