"""Profiling aid: browser time to open a page of n elements of one kind, vs none (same server).

.venv/bin/python -m bench.element_costs [--repeats 5] [--rerun] dataframe:3 table:3 altair:1 ...

With --rerun, each line is the time of a button click that reruns the page (the elements are
re-sent and redrawn, as on a comparator change) instead of the page open.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bench.harness import ROOT, Server, goto, launch, median, new_session

APP = ROOT / "bench" / "element_costs_app.py"


async def run(specs: list[str], repeats: int, url_base: str | None, rerun: bool = False) -> None:
    from playwright.async_api import async_playwright

    srv = None
    if url_base is None:
        srv = Server(APP).start(Path("/tmp/lutonwb-bench-logs"))
        await asyncio.to_thread(srv.wait_healthy)
        url_base = srv.url
    try:
        async with async_playwright() as p:
            browser = await launch(p)
            s = await new_session(browser)
            for spec in ["none:1", *specs]:
                if spec.startswith("/"):
                    url = url_base + spec
                else:
                    kind, n = spec.split(":")
                    url = f"{url_base}/?kind={kind}&n={n}"
                await goto(s, url)
                if rerun:
                    from bench.run import click_button

                    ts = [await click_button(s, "Click") for _ in range(repeats)]
                else:
                    ts = [await goto(s, url) for _ in range(repeats)]
                print(f"{spec:24s} median {median(ts):.3f}s  min {min(ts):.3f}s", flush=True)
            await browser.close()
    finally:
        if srv:
            srv.stop()


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("specs", nargs="*")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--url", default=None, help="a running server (specs are then /paths)")
    p.add_argument("--rerun", action="store_true", help="time a rerun (button click), not an open")
    a = p.parse_args()
    asyncio.run(run(a.specs, a.repeats, a.url, a.rerun))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
