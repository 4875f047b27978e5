"""Sections drawn only while open: a heading, then an expander bound to one URL key.

A section below the fold or behind a choice costs nothing (no query, no chart, no table sent to
the browser) until the reader opens it. Its open state is a URL key declared once in
lutonwb.ui.state (a link with `key=1` opens it; a hostile value shows the parser's notice and the
section stays closed) and written by lutonwb.ui.urls, like every choice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from lutonwb.ui import urls


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


@contextmanager
def lazy(
    heading: str,
    anchor: str,
    label: str,
    url_key: str,
    is_open: bool,
    *,
    remember: bool = True,
    always: bool = False,
    clears: tuple[str, ...] = (),
) -> Iterator[bool]:
    """A header, then an expander labelled `label` that is open when the link says so; yields,
    inside the expander, whether its content is to be drawn. `always`: the section is the page's
    main content here, drawn with no expander. `remember` keeps the choice when the reader moves
    between the monitor pages (the ward maps' keys are their own)."""
    st.header(heading, anchor=anchor)
    if always:
        yield True
        return
    key = widget_key(url_key)
    st.session_state[key] = is_open  # the URL owns the view: a deep link opens the section
    args = (key, url_key, remember, clears)
    box = st.expander(label, key=key, on_change=commit_open, args=args)
    with box:
        yield bool(box.open)
