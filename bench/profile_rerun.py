"""Profiling aid: the server's CPU per rerun when a reader changes the comparator group (AppTest).

    .venv/bin/python -m bench.profile_rerun [--pages overview,measure] [--repeats 10] [--top 25]

For each page: open it, then switch the sidebar's comparator between two groups until both are
warm (every cache filled, as on a server in use); then time `--repeats` such reruns with the
process's CPU clock (median and minimum), and profile one more with cProfile, listing the
project's own functions (lutonwb/, pages/, app.py) by cumulative time. Not part of the benchmark.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import pstats
import statistics
import time

from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
from streamlit.testing.v1 import AppTest

from bench.profile_pages import PAGES as PAGE_SCRIPTS
from bench.profile_pages import ROOT

PAGES = {**PAGE_SCRIPTS, "progress": "pages/progress.py"}  # the page scripts by short name
GROUPS = ("england", "cssnbt-2021")  # the comparator flips between these
OURS = ("lutonwb/", "pages/", "app.py")
PROFILER: list[cProfile.Profile] = []  # the profiler of the next script run, if any
_run_script = ScriptRunner._run_script


def _profiled_run(self: ScriptRunner, rerun_data) -> None:
    """AppTest runs the script in its own thread, out of sight of a profiler started here: this
    starts the profiler inside that thread."""
    if not PROFILER:
        return _run_script(self, rerun_data)
    pr = PROFILER[0]
    pr.enable()
    try:
        return _run_script(self, rerun_data)
    finally:
        pr.disable()


ScriptRunner._run_script = _profiled_run  # type: ignore[method-assign]


def _flip(at: AppTest, i: int) -> float:
    """Choose the other comparator and rerun; the CPU seconds the rerun took."""
    from lutonwb.ui.widgets import WIDGET_KEYS  # after logging is quietened (cache warnings)

    at.selectbox(key=WIDGET_KEYS["cmp"]).set_value(GROUPS[i % 2])
    t0 = time.process_time()
    at.run()
    return time.process_time() - t0


def _ours(stats: pstats.Stats, top: int, every: bool) -> str:
    """The project's own functions by cumulative time (`every`: all functions, by own time)."""
    out = io.StringIO()
    stats.stream = out
    if every:
        stats.sort_stats("tottime").print_stats(top)
    else:
        stats.sort_stats("cumulative").print_stats("|".join(OURS), top)
    return out.getvalue().split("ncalls", 1)[-1]


def profile_page(page: str, repeats: int, top: int, every: bool = False) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.switch_page(PAGES[page])
    at.run()
    for i in range(1, 5):  # both groups drawn twice: every cache of the view is warm
        _flip(at, i)
    assert not at.exception, at.exception
    cpu = sorted(_flip(at, i) for i in range(1, repeats + 1))
    pr = cProfile.Profile()
    PROFILER[:] = [pr]
    _flip(at, 1)
    PROFILER.clear()
    print(
        f"{page}: CPU per rerun median {statistics.median(cpu) * 1000:.0f} ms, "
        f"min {cpu[0] * 1000:.0f} ms over {repeats} comparator changes",
        flush=True,
    )
    print(_ours(pstats.Stats(pr), top, every), flush=True)


def main() -> int:
    logging.disable(logging.WARNING)  # AppTest's "no runtime" warnings
    p = argparse.ArgumentParser()
    p.add_argument("--pages", default="overview,measure")
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--every", action="store_true", help="every function, by its own time")
    a = p.parse_args()
    for page in a.pages.split(","):
        profile_page(page, a.repeats, a.top, a.every)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
