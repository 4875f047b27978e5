"""The content floor (see bench/replay.py): re-sends a page of the app as captured, doing nothing
else. `?page=<name>` picks the page; each rerun in a session shows its next stored view, as a
reader's choice shows other content. The navigation names this script as the page shown, so the
sidebar marks that page and the browser stays on this script's address."""

import os
import struct
from pathlib import Path

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

REPLAYED = {"delta", "navigation", "page_config_changed"}  # as bench.replay.REPLAYED


def frames(path: Path) -> list[bytes]:
    data, out, at = path.read_bytes(), [], 0
    while at < len(data):
        (n,) = struct.unpack_from(">I", data, at)
        out.append(data[at + 4 : at + 4 + n])
        at += 4 + n
    return out


def as_this_script(fwd: ForwardMsg, own: str) -> None:
    """The captured navigation, with the page it showed standing for this script."""
    nav = fwd.navigation
    for page in nav.app_pages:
        if page.page_script_hash == nav.page_script_hash:
            page.page_script_hash, page.url_pathname, page.is_default = own, "", True
        elif page.is_default:
            page.is_default, page.url_pathname = False, "overview"
    nav.page_script_hash = own


folder = Path(os.environ["LUTONWB_BENCH_REPLAY_DIR"])
name = st.query_params.get("page", "overview")
views = [folder / f"{name}.bin"]
while (folder / f"{name}~{len(views) + 1}.bin").is_file():
    views.append(folder / f"{name}~{len(views) + 1}.bin")
run = st.session_state.get("_replay_runs", 0)
st.session_state["_replay_runs"] = run + 1
ctx = get_script_run_ctx()
for frame in frames(views[run % len(views)]):
    fwd = ForwardMsg.FromString(frame)
    kind = fwd.WhichOneof("type")
    if kind not in REPLAYED:
        continue
    if kind == "navigation":
        as_this_script(fwd, ctx.page_script_hash)
        fwd.ClearField("hash")  # changed: worked out again on sending
    ctx.enqueue(fwd)  # the rest as the app sent them, its choice of what the browser may cache
