"""Profiling aid: V8 CPU profile of one warm page open; self time by JS file and by function.

.venv/bin/python -m bench.js_profile http://127.0.0.1:PORT/measure
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter

from bench.harness import goto, launch, new_session


async def run(url: str, top: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await launch(p)
        s = await new_session(browser)
        await goto(s, url)
        await goto(s, url)
        cdp = await s.context.new_cdp_session(s.page)
        await cdp.send("Profiler.enable")
        await cdp.send("Profiler.setSamplingInterval", {"interval": 200})
        await cdp.send("Profiler.start")
        t = await goto(s, url)
        prof = (await cdp.send("Profiler.stop"))["profile"]
        await browser.close()
    nodes = {n["id"]: n for n in prof["nodes"]}
    dt = dict.fromkeys(nodes, 0.0)
    deltas = prof["timeDeltas"]
    for sid, d in zip(prof["samples"], deltas, strict=False):
        dt[sid] += d / 1000
    by_file: Counter = Counter()
    by_fn: Counter = Counter()
    for nid, ms in dt.items():
        cf = nodes[nid]["callFrame"]
        f = cf["url"].rsplit("/", 1)[-1] or cf["functionName"] or "(native)"
        by_file[f] += ms
        by_fn[f"{cf['functionName'] or '(anon)'} @ {f}:{cf['lineNumber']}"] += ms
    print(f"settled {t:.3f}s; sampled {sum(dt.values()):.0f} ms")
    print("by file:", ", ".join(f"{k} {v:.0f}" for k, v in by_file.most_common(top)))
    for k, v in by_fn.most_common(top):
        print(f"  {v:6.1f} ms  {k}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args()
    asyncio.run(run(a.url, a.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
