"""Start the app: `python -m lutonwb.ui.serve [streamlit run options]`.

Why not plain `streamlit run app.py`? Streamlit still honours the old "pages/ folder" convention
for the first session after start-up until app.py has called st.navigation once, so a deep link
such as /measure?m=… opened first on a fresh server would run the page script without the router
(no page config, file names in the sidebar). This launcher turns that legacy mode off before the
server starts; every page then runs through app.py. It also serves Streamlit's page shell with
a base-URL hint (see _BASE_HINT), which saves a deep link a failed health probe and a 100 ms retry.
"""

from __future__ import annotations

import atexit
import importlib
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

from streamlit import file_util
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from lutonwb.ui.state import PAGE_PATHS

APP = Path(__file__).resolve().parents[2] / "app.py"
LOG = logging.getLogger(__name__)
# Streamlit's page shell loads its bundle with this tag; the base-URL hint goes just before it.
_BUNDLE_TAG = '<script type="module"'
# Sets window.__streamlit.BACKEND_BASE_URL (the frontend's documented hosting hook) when the
# browser opens a page of this app, so the frontend connects at once instead of first asking
# <page>/_stcore/health (a 404) and retrying one level up 100 ms later. Any other path is left
# to Streamlit's own probing. The base keeps whatever prefix a proxy or server.baseUrlPath adds.
# Two addresses the server cannot serve are caught here first, each leaving a short-lived cookie
# that the page turns into a notice (show_shell_notice): a path below a page ('/plan/x', whose
# relative assets would resolve under '/plan/' and draw a blank page) is sent to the page itself,
# query kept; a query string over Streamlit's limits (which it drops whole) is left as it is.
_BASE_HINT = r"""<script>
(function () {
  var pages = %s, limits = %s, name = "%s", loc = window.location;
  var search = loc.search || "", why = "", moved = false;
  function note(value, age) {  // the notice cookie; storage may be refused (privacy settings)
    try { document.cookie = name + "=" + value + "; Max-Age=" + age + "; Path=/; SameSite=Lax"; } catch (e) {}
  }
  // a load that is the target of the redirect below keeps the notice; any other load clears it
  try { moved = sessionStorage.getItem(name) === "1"; sessionStorage.removeItem(name); } catch (e) {}
  if (!moved) note("", 0);
  var parts = loc.pathname.replace(/\/+$/, "").split("/"), at = -1;
  for (var i = parts.length - 1; i > 0 && at < 0; i--) if (pages.indexOf(parts[i]) >= 0) at = i;
  var query = search.slice(1);
  if (query && (query.split("&").length > limits[0] || query.length > limits[1])) why = "params";
  if (at > 0 && at < parts.length - 1) why = "path";
  if (why) note(why, 60);
  if (why === "path") {
    try { sessionStorage.setItem(name, "1"); } catch (e) {}
    loc.replace(loc.origin + parts.slice(0, at + 1).join("/") + search + (loc.hash || ""));
    return;
  }
  if (at < 0) return;
  window.__streamlit = Object.assign({}, window.__streamlit, {
    BACKEND_BASE_URL: loc.origin + parts.slice(0, at).join("/") + "/"
  });
})();
</script>
"""
NOTICE_COOKIE = "lutonwb_notice"
SHELL_NOTICES = {
    "path": "This address has extra parts after the page's name; showing the page itself.",
    "params": (
        "This link has more than {fields:,} settings or {chars:,} characters, so all of them were "
        "ignored; showing the default view."
    ),
}
_SHOWN_KEY = "_shell_notice_seen"
# what the first page needs beyond Streamlit itself: about a second of imports on a cold start
WARM_MODULES = ("pandas", "pyarrow", "pyarrow.parquet", "duckdb", "yaml", "lutonwb.ui.engine")


def _warm_imports() -> None:
    """Import the heavy libraries while the server starts and the first browser loads the page
    (the browser works in its own process), so the first script run finds them loaded. Python's
    import lock makes a script that needs a module meanwhile wait for it, never import it twice."""
    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 (a failed warm-up only costs the time it saved)
            return


def page_shell_with_base_hint(index_html: str) -> str:
    """Streamlit's index.html with the base-URL hint before its bundle (ValueError if the shell
    has no bundle tag: a Streamlit release that changed it then runs unpatched)."""
    if _BUNDLE_TAG not in index_html:
        raise ValueError("no module script tag in Streamlit's index.html")
    pages = json.dumps([p for p in PAGE_PATHS if p])
    hint = _BASE_HINT % (pages, json.dumps(list(_query_limits())), NOTICE_COOKIE)
    return index_html.replace(_BUNDLE_TAG, hint + "    " + _BUNDLE_TAG, 1)


def _query_limits() -> tuple[int, int]:
    """Streamlit's limits on a link's query string (fields, characters): beyond either it ignores
    the whole query string (streamlit.runtime.state.query_params; its values if it moves)."""
    from streamlit.runtime.state import query_params as qp

    return (
        int(getattr(qp, "CLIENT_STATE_QUERY_STRING_MAX_FIELDS", 1000)),
        int(getattr(qp, "CLIENT_STATE_QUERY_STRING_MAX_LENGTH", 512 * 1024)),
    )


def shell_notice(cookies: Mapping[str, str]) -> str:
    """The notice the page shell left for this page load in its cookie ('' for none)."""
    text = SHELL_NOTICES.get(str(cookies.get(NOTICE_COOKIE, "")), "")
    fields, chars = _query_limits()
    return text.format(fields=fields, chars=chars)


def show_shell_notice() -> None:
    """Draw the page shell's notice once per browser session (the router calls this)."""
    import streamlit as st

    if st.session_state.get(_SHOWN_KEY):
        return
    st.session_state[_SHOWN_KEY] = True
    text = shell_notice(st.context.cookies)
    if text:
        st.warning(text, icon="⚠️")


def static_dir_with_base_hint(original: Path, target: Path) -> Path:
    """A copy of Streamlit's static folder (links to every file but index.html, which gets the
    hint), so the installed package stays untouched."""
    target.mkdir(parents=True, exist_ok=True)
    for item in original.iterdir():
        if item.name != "index.html":
            os.symlink(item, target / item.name)
    shell = (original / "index.html").read_text(encoding="utf-8")
    (target / "index.html").write_text(page_shell_with_base_hint(shell), encoding="utf-8")
    return target


def _serve_page_shell_with_base_hint() -> None:
    """Point Streamlit's static route at the hinted copy; on any failure keep the original."""
    try:
        original = Path(file_util.get_static_dir())
        work = Path(tempfile.mkdtemp(prefix="lutonwb-static-"))
        atexit.register(shutil.rmtree, work, ignore_errors=True)
        hinted = static_dir_with_base_hint(original, work / "static")
    except (OSError, ValueError) as exc:
        LOG.warning("page shell served unpatched (deep links probe the base URL): %s", exc)
        return
    file_util.get_static_dir = lambda: str(hinted)


def main(argv: list[str] | None = None, script: Path = APP) -> int:
    """Serve the app (or, for the benchmark, another script the same way) with these `streamlit
    run` options."""
    PagesManager.uses_pages_directory = False
    _serve_page_shell_with_base_hint()
    threading.Thread(target=_warm_imports, name="lutonwb-warm-imports", daemon=True).start()
    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(script), *args]
    return cli.main()


if __name__ == "__main__":
    raise SystemExit(main())
