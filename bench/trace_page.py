"""Profiling aid: Chrome trace of one warm page open; renderer main-thread busy time by event.

    .venv/bin/python -m bench.trace_page http://127.0.0.1:PORT/measure [--repeats 3]

Prints the settled time, the renderer main thread's total busy time (top-level tasks) and the
busiest event names inside them (FunctionCall, Layout, Paint, ...), so a page's drawing cost can
be told apart from waiting for the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from collections import Counter
from pathlib import Path

from bench.harness import goto, launch, new_session


def summarise(trace: dict) -> tuple[float, Counter]:
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    names = {}
    for e in events:
        if e.get("name") == "thread_name":
            names[(e["pid"], e["tid"])] = e["args"]["name"]
    main = {k for k, v in names.items() if v == "CrRendererMain"}
    busy = 0.0
    by: Counter = Counter()
    for e in events:
        if (e.get("pid"), e.get("tid")) not in main or e.get("ph") != "X":
            continue
        d = e.get("dur", 0) / 1000
        if e["name"] in ("RunTask", "ThreadControllerImpl::RunTask"):
            busy += d
        elif e["name"] in (
            "FunctionCall",
            "EvaluateScript",
            "v8.compile",
            "Layout",
            "UpdateLayoutTree",
            "Paint",
            "PrePaint",
            "ParseHTML",
            "Layerize",
            "HitTest",
            "v8.compileModule",
            "EventDispatch",
            "TimerFire",
            "FireAnimationFrame",
            "RunMicrotasks",
            "v8.evaluateModule",
            "MajorGC",
            "MinorGC",
            "V8.GC_SCAVENGER",
            "ParseAuthorStyleSheet",
        ):
            by[e["name"]] += d
    return busy, by


async def run(url: str, repeats: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await launch(p)
        s = await new_session(browser)
        await goto(s, url)
        await goto(s, url)
        for _ in range(repeats):
            path = Path(tempfile.mktemp(suffix=".json"))
            await browser.start_tracing(
                page=s.page, path=str(path), categories=["devtools.timeline", "v8"]
            )
            t = await goto(s, url)
            await browser.stop_tracing()
            busy, by = summarise(json.loads(path.read_text()))
            path.unlink()
            top = ", ".join(f"{k} {v:.0f}" for k, v in by.most_common(8))
            print(f"settled {t:.3f}s  renderer main busy {busy:.0f} ms: {top}", flush=True)
        await browser.close()


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    asyncio.run(run(a.url, a.repeats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
