"""The router's pages, and what a link to one of them names.

`st.page_link` given a page's file looks the file up on disk (two `realpath` calls) on every
call, and each of their file-system calls gives up the interpreter lock: under many readers the
script thread then waits its turn again and again (an overview draws 25 links). Given the page
object the router registered, it needs no file system. app.py makes its pages here, so every
link names the page object of the latest run (each run's are equal: same file, title and path).
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

# page file → the router's page: every run of app.py stores its pages (equal to every other
# run's), every session's links read them
_ROUTED: dict[str, st.Page] = {}


def routed_page(file: str, title: str, url_path: str, default: bool = False) -> st.Page:
    """st.Page for the router, remembered as the target of every link to `file`."""
    page = st.Page(file, title=title, url_path=url_path, default=default)
    if get_script_run_ctx(suppress_warning=True) is not None:  # outside a run it is half made
        _ROUTED[file] = page
    return page


def link_target(file: str) -> st.Page | str:
    """What st.page_link and st.switch_page are given for `file`: the router's page, or the file
    itself before the router has run (a page script run on its own)."""
    return _ROUTED.get(file, file)
