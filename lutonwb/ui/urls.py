"""The one writer of the address bar: every page reads and writes its URL keys through here.

The keys themselves are declared once, in lutonwb.ui.state.REGISTRY (key, pages, parser, default,
help, example); this module refuses to write a key that is not declared there, so a page cannot
grow an undocumented key. Choices also go into the session's memory, so they survive the sidebar
navigation (which drops query parameters).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from lutonwb.ui.state import CARRIED_PARAMS, REGISTRY, keys_of, params_of, read_carried

MEMORY = "_url_memory"
DECLARED: frozenset[str] = frozenset(p.key for p in REGISTRY)
CARRIED_KEYS: tuple[str, ...] = tuple(p.key for p in CARRIED_PARAMS)


def _declared(key: str, page: str | None = None) -> None:
    """Refuse a key the registry does not declare (for that page, when one is named)."""
    if key not in (DECLARED if page is None else keys_of(page)):
        raise KeyError(f"URL key {key!r} is not declared in lutonwb.ui.state.REGISTRY")


def current() -> dict[str, str]:
    """The link's query parameters (the last value of a repeated key)."""
    return st.query_params.to_dict()


def replace_all(wanted: Mapping[str, str]) -> None:
    """Make the whole query string exactly `wanted` (a monitor page's canonical link)."""
    for key in wanted:
        _declared(key)
    if current() != dict(wanted):
        st.query_params.from_dict(dict(wanted))


def set_key(key: str, value: object, remember: bool = False) -> None:
    """One key to one value ('' or None removes it); `remember` keeps it in the session's memory."""
    _declared(key)
    text = "" if value is None else str(value)
    if text:
        if st.query_params.get(key) != text:
            st.query_params[key] = text
    elif key in st.query_params:
        del st.query_params[key]
    if remember:
        memory = dict(st.session_state.get(MEMORY, {}))
        if text:
            memory[key] = text
        else:
            memory.pop(key, None)
        st.session_state[MEMORY] = memory


def write(page: str, wanted: Mapping[str, str]) -> None:
    """Set one page's own keys to `wanted` (the others of that page removed), other keys untouched."""
    for key in wanted:
        _declared(key, page)
    for key in (p.key for p in params_of(page)):  # the comparator it carries is left as it is
        set_key(key, wanted.get(key, ""))


def carried() -> dict[str, str]:
    """The comparator keys a page that compares with nothing keeps in its link (carry_comparator
    wrote them), for its links to other pages."""
    url = current()
    return {key: url[key] for key in CARRIED_KEYS if url.get(key)}


def carry_comparator() -> tuple[dict[str, str], list[str]]:
    """On a page that compares with nothing (ward maps, plan tracker): the reader's comparator
    (and a custom group's members) from the link, else the session's memory, else the default,
    written into the link and the memory, so a shared link and the next page keep it. Returns
    those keys for the page's own links, and notices for unusable values in the link."""
    kept, notices = read_carried(current(), memory())
    for key in CARRIED_KEYS:
        set_key(key, kept.get(key, ""), remember=True)
    return kept, notices


def memory() -> dict[str, str]:
    """The session's remembered choices."""
    return dict(st.session_state.get(MEMORY, {}))


def remember_all(values: Mapping[str, str]) -> None:
    """Replace the session's remembered choices."""
    st.session_state[MEMORY] = dict(values)


def link(page: str, shared: Mapping[str, str], **own: str) -> dict[str, str]:
    """A link's query parameters: the shared choices plus that page's own keys (each must be
    declared for that page: KeyError otherwise), blanks left out."""
    for key in own:
        _declared(key, page)
    return {**shared, **{k: v for k, v in own.items() if v}}
