"""Serve a script the way production serves the app: `python -m bench.serve_script SCRIPT
[streamlit run options]` (lutonwb.ui.serve with another script: no legacy pages/ folder, and the
page shell's base-URL hint, so its deep links load as the app's do). The content floor is
started so, or its page opens would pay a health probe and a retry that the app's do not."""

import sys
from pathlib import Path

from lutonwb.ui.serve import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[2:], script=Path(sys.argv[1])))
