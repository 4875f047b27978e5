"""Sections drawn only while open: a heading, then an expander bound to one URL key.

A section below the fold or behind a choice costs nothing (no query, no chart, no table sent to
the browser) until the reader opens it. Its open state is a URL key declared once in
lutonwb.ui.state (a link with `key=1` opens it; a hostile value shows the parser's notice and the
section stays closed) and written by lutonwb.ui.urls, like every choice.

`section()` runs the expander and its content as a fragment (`st.fragment`): opening or closing
it reruns that section alone, not the page around it, whose inputs did not change. The page's
share link, drawn outside the fragment, is rewritten in place by the fragment's run so that it
still names the open sections.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lutonwb.ui import urls

SHARE_SLOT = "_share_slot"  # session key: (placeholder, function giving the link) of this page


def widget_key(url_key: str) -> str:
    """The expander's widget key for a section (the England map keeps its published 'w_map')."""
    return "w_map" if url_key == "map" else f"open_{url_key}"


def commit_open(widget: str, url_key: str, remember: bool, clears: tuple[str, ...]) -> None:
    """on_change of a section's expander: its open state into the URL (and the session's memory);
    closing it also clears the keys that would open it again (a search opens the catalogue)."""
    opened = bool(st.session_state[widget])
    urls.set_key(url_key, "1" if opened else "", remember=remember)
    for key in () if opened else clears:
        urls.set_key(key, "", remember=remember)


def fragment_run() -> bool:
    """Whether this script run is a fragment's own rerun (the rest of the page is not redrawn)."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def forget_share_slot() -> None:
    """Called by the router on every full run: a page that draws no share link leaves none of
    another page's to rewrite."""
    st.session_state.pop(SHARE_SLOT, None)


def keep_share_slot(slot: object, link: Callable[[], str]) -> None:
    """Remember where this page drew its share link and how to write it as it then stands."""
    st.session_state[SHARE_SLOT] = (slot, link)


def redraw_share_link() -> None:
    """Write the page's share link again in its place, as the link now stands: on a section's own
    rerun the open state has changed, so the link has too (Streamlit asks a fragment to write to
    an outside container on full runs as well, to keep its place)."""
    kept = st.session_state.get(SHARE_SLOT)
    if kept is not None:
        slot, link = kept
        slot.markdown(link())


def _open_now(key: str, is_open: bool) -> bool:
    """The section's open state: on a full run the link's (the URL owns the view: a deep link
    opens the section); on the section's own rerun the expander's, as the reader just set it."""
    if not fragment_run():
        st.session_state[key] = is_open
    return bool(st.session_state.get(key, is_open))


@st.fragment
def _body(
    label: str,
    url_key: str,
    is_open: bool,
    draw: Callable[[], None],
    remember: bool,
    clears: tuple[str, ...],
) -> None:
    """The expander and, while it is open, its content: a fragment of the page."""
    key = widget_key(url_key)
    _open_now(key, is_open)
    args = (key, url_key, remember, clears)
    box = st.expander(label, key=key, on_change=commit_open, args=args)
    with box:
        if box.open:
            draw()
    redraw_share_link()


def section(
    heading: str,
    anchor: str,
    label: str,
    url_key: str,
    is_open: bool,
    draw: Callable[[], None],
    *,
    remember: bool = True,
    always: bool = False,
    clears: tuple[str, ...] = (),
    subheader: bool = False,
) -> None:
    """A header (a subheader with `subheader`; none when `heading` is empty), then an expander labelled `label`, open when the link says so, that calls `draw`
    to fill itself only while open. `always`: the section is the page's main content here, drawn
    with no expander. `remember` keeps the choice when the reader moves between the monitor
    pages (the ward maps' keys are their own). `draw` runs inside the section's fragment: it
    must draw only into the section."""
    if heading:
        (st.subheader if subheader else st.header)(heading, anchor=anchor)
    if always:
        draw()
        return
    _body(label, url_key, is_open, draw, remember, clears)


@st.fragment
def _lazy_box(label: str, key: str, expanded: bool, draw: Callable[[], None]) -> None:
    """An expander that draws its content only while open: a fragment of the page."""
    box = st.expander(label, expanded=expanded, key=key, on_change="rerun")
    with box:
        if box.open:
            draw()


def expander(label: str, key: str, draw: Callable[[], None], expanded: bool = False) -> None:
    """An expander (no heading, no URL key) whose content `draw` fills only while it is open;
    opening or closing it reruns it alone. For long tables the reader opens on demand: a closed
    expander's HTML table would still be sent and drawn on every run."""
    _lazy_box(label, key, expanded, draw)
