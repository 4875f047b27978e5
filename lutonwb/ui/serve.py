"""Start the app: `python -m lutonwb.ui.serve [streamlit run options]`.

Why not plain `streamlit run app.py`? Streamlit still honours the old "pages/ folder" convention
for the first session after start-up until app.py has called st.navigation once, so a deep link
such as /measure?m=… opened first on a fresh server would run the page script without the router
(no page config, file names in the sidebar). This launcher turns that legacy mode off before the
server starts; every page then runs through app.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parents[2] / "app.py"


def main(argv: list[str] | None = None) -> int:
    PagesManager.uses_pages_directory = False
    args = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(APP), *args]
    return cli.main()


if __name__ == "__main__":
    raise SystemExit(main())
