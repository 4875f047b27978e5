"""Profiling aid: server script time per page on a warm rerun (AppTest), and elements drawn.

    .venv/bin/python -m bench.profile_pages [--repeats 5] [--cprofile measure]

Not part of the benchmark; it shows how much of a page's browser time is the server's.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections import Counter
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "overview": "pages/overview.py",
    "principle": "pages/principle.py",
    "board": "pages/board.py",
    "measure": "pages/measure.py",
    "wards": "pages/wards.py",
    "plan": "pages/plan.py",
    "methods": "pages/methods.py",
}


def _kinds(at: AppTest) -> Counter:
    c: Counter = Counter()

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            c[getattr(child, "type", type(child).__name__)] += 1
            walk(child)

    walk(at._tree)
    return c


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--cprofile", default="")
    p.add_argument("--only", default="")
    a = p.parse_args()
    names = a.only.split(",") if a.only else list(PAGES)
    for name in names:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.switch_page(PAGES[name])
        t0 = time.perf_counter()
        at.run()
        first = time.perf_counter() - t0
        times = []
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
        times.sort()
        kinds = _kinds(at)
        top = ", ".join(f"{k} {n}" for k, n in kinds.most_common(8))
        print(
            f"{name:10s} first {first:6.3f}s warm median {times[len(times) // 2]:.3f}s  "
            f"min {times[0]:.3f}s  elements {sum(kinds.values())}: {top}",
            flush=True,
        )
        if a.cprofile == name:
            pr = cProfile.Profile()
            pr.enable()
            at.run()
            pr.disable()
            pstats.Stats(pr, stream=sys.stdout).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
