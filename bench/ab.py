"""Profiling aid: A/B page-open and interaction times of two checkouts of the app, interleaved.

    .venv/bin/python -m bench.ab /tmp/base-checkout [--repeats 7] [--pages /,/measure]
    .venv/bin/python -m bench.ab /tmp/base-checkout --sidebar [--repeats 15]  # page switches

Both servers run on this project's warehouse; each page is opened in alternating blocks on A (the
other checkout), B (this tree) and the empty floor app, so a busy machine slows all three alike.
Uses the benchmark's own clock (bench.harness.goto / timed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.harness import ROOT, free_port, goto, launch, median, new_session
from bench.run import page_rounds, pick


def start(cwd: Path, script: str | None, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    launcher = ["-m", "lutonwb.ui.serve"] if script is None else ["-m", "streamlit", "run", script]
    e = dict(os.environ)
    e.update(env)
    log = open(Path(tempfile.gettempdir()) / f"ab-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, *launcher, "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=cwd, env=e, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    return proc, f"http://127.0.0.1:{port}"


async def wait_up(url: str) -> None:
    import urllib.request

    for _ in range(600):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                return
        except OSError:
            await asyncio.sleep(0.1)
    raise TimeoutError(url)


async def run(
    base: Path, repeats: int, pages: list[str], interactions: bool, sidebar: bool = False
) -> None:
    from playwright.async_api import async_playwright

    from lutonwb import config

    work = Path(tempfile.mkdtemp(prefix="lutonwb-ab-"))
    env = {"LUTONWB_WAREHOUSE": str(config.warehouse_dir())}
    servers = {
        "A": start(base, None, {**env, "LUTONWB_TRACKER_DB": str(work / "a.duckdb")}),
        "B": start(ROOT, None, {**env, "LUTONWB_TRACKER_DB": str(work / "b.duckdb")}),
        "floor": start(ROOT, str(ROOT / "bench" / "empty_app.py"), {}),
    }
    try:
        for _, url in servers.values():
            await wait_up(url)
        async with async_playwright() as p:
            browser = await launch(p)
            if sidebar:  # rounds through the pages from the sidebar, A's and B's in turn
                a, b = await page_rounds(browser, (servers["A"][1], servers["B"][1]), repeats)
                for name in a:
                    print(f"sidebar {name:10s} A {median(a[name]):.3f}  B {median(b[name]):.3f}")
                await browser.close()
                return
            sess = {k: await new_session(browser) for k in servers}
            for k, (_, url) in servers.items():  # warm every page once
                for path in pages if k != "floor" else ["/"]:
                    await goto(sess[k], url + path)
                    await goto(sess[k], url + path)
            floor = []
            for path in pages:
                t: dict[str, list[float]] = {"A": [], "B": []}
                # blocks of opens of the same page, as bench.run does: work a page defers past
                # "settled" (deck.gl's WebGL start-up) then lands on the next open of that page,
                # not on the other app's
                for block in range(2):
                    for k in ("A", "B") if block == 0 else ("B", "A"):
                        for _ in range((repeats + 1) // 2):
                            t[k].append(await goto(sess[k], servers[k][1] + path))
                    for _ in range((repeats + 1) // 2):
                        floor.append(await goto(sess["floor"], servers["floor"][1] + "/"))
                print(
                    f"open {path:12s} A {median(t['A']):.3f}  B {median(t['B']):.3f}  "
                    f"floor so far {median(floor):.3f}",
                    flush=True,
                )
            if interactions:
                for label, path in (("Comparator group", "/"), ("Measure", "/measure")):
                    t = {"A": [], "B": []}
                    for k in ("A", "B"):
                        await goto(sess[k], servers[k][1] + path)
                        await pick(sess[k], label, 0)
                    for i in range(repeats):
                        for k in ("A", "B"):
                            t[k].append(await pick(sess[k], label, i % 10))
                    print(
                        f"pick {label:18s} A {median(t['A']):.3f}  B {median(t['B']):.3f}",
                        flush=True,
                    )
                clicks = [
                    await __import__("bench.run", fromlist=["click_button"]).click_button(
                        sess["floor"], "Click"
                    )
                    for _ in range(repeats)
                ]
                print(f"floor click {median(clicks):.3f}", flush=True)
            await browser.close()
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait(timeout=10)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("base", type=Path)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--pages", default="/,/principle,/board,/measure,/wards,/plan,/methods")
    ap.add_argument("--no-interactions", action="store_true")
    ap.add_argument("--sidebar", action="store_true", help="only page switches from the sidebar")
    a = ap.parse_args()
    asyncio.run(run(a.base, a.repeats, a.pages.split(","), not a.no_interactions, a.sidebar))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
