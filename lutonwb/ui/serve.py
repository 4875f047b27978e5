"""Start the app: `python -m lutonwb.ui.serve [streamlit run options]`.

Why not plain `streamlit run app.py`? Streamlit still honours the old "pages/ folder" convention
for the first session after start-up until app.py has called st.navigation once, so a deep link
such as /measure?m=… opened first on a fresh server would run the page script without the router
(no page config, file names in the sidebar). This launcher turns that legacy mode off before the
server starts; every page then runs through app.py.
"""

from __future__ import annotations

import importlib
import sys
import threading
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parents[2] / "app.py"
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


def main(argv: list[str] | None = None) -> int:
    PagesManager.uses_pages_directory = False
    threading.Thread(target=_warm_imports, name="lutonwb-warm-imports", daemon=True).start()
    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(APP), *args]
    return cli.main()


if __name__ == "__main__":
    raise SystemExit(main())
