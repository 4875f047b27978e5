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
_BASE_HINT = r"""<script>
(function () {
  var pages = %s;
  var path = window.location.pathname.replace(/\/+$/, "");
  var cut = path.lastIndexOf("/");
  if (pages.indexOf(path.slice(cut + 1)) < 0) return;
  window.__streamlit = Object.assign({}, window.__streamlit, {
    BACKEND_BASE_URL: window.location.origin + path.slice(0, cut) + "/"
  });
})();
</script>
"""
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
    return index_html.replace(_BUNDLE_TAG, _BASE_HINT % pages + "    " + _BUNDLE_TAG, 1)


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


def main(argv: list[str] | None = None) -> int:
    PagesManager.uses_pages_directory = False
    _serve_page_shell_with_base_hint()
    threading.Thread(target=_warm_imports, name="lutonwb-warm-imports", daemon=True).start()
    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(APP), *args]
    return cli.main()


if __name__ == "__main__":
    raise SystemExit(main())
