"""Profiling aid: for each app page opened warm, when the server finished vs when the page settled.

    .venv/bin/python -m bench.profile_browser [--repeats 5] [--url http://127.0.0.1:PORT] [/ /measure ...]

Prints per page: runs started, bytes of ForwardMsg received, time to the last script_finished
frame (server + transport) and time to settled (the benchmark's clock), so the browser's own
drawing time is the difference.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench.harness import ROOT, Server, goto, launch, new_session

DEFAULT = ["/", "/principle", "/board", "/measure", "/wards", "/plan", "/methods"]


async def run(paths: list[str], repeats: int, url: str | None) -> None:
    from playwright.async_api import async_playwright

    srv = None
    if url is None:
        work = Path(tempfile.mkdtemp(prefix="lutonwb-prof-"))
        srv = Server(ROOT / "app.py", env={"LUTONWB_TRACKER_DB": str(work / "t.duckdb")})
        srv.start(Path(tempfile.gettempdir()) / "lutonwb-bench-logs")
        await asyncio.to_thread(srv.wait_healthy)
        url = srv.url
    try:
        async with async_playwright() as p:
            browser = await launch(p)
            s = await new_session(browser)
            stamps: list[tuple[float, str, int]] = []

            def on_ws(ws) -> None:
                if "_stcore/stream" in ws.url:
                    ws.on("framereceived", on_frame)

            def on_frame(payload) -> None:
                from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

                if isinstance(payload, str):
                    return
                msg = ForwardMsg.FromString(payload)
                stamps.append((time.perf_counter(), msg.WhichOneof("type") or "", len(payload)))

            s.page.on("websocket", on_ws)

            for path in paths:
                await goto(s, url + path)  # warm
                rows = []
                for _ in range(repeats):
                    stamps.clear()
                    t0 = time.perf_counter()
                    settled = await goto(s, url + path)
                    fin = [t for t, k, _ in stamps if k == "script_finished"]
                    first = [t for t, k, _ in stamps if k == "delta"]
                    rows.append(
                        (
                            settled,
                            (fin[-1] - t0) if fin else float("nan"),
                            (first[0] - t0) if first else float("nan"),
                            sum(1 for _, k, _ in stamps if k == "new_session"),
                            sum(b for _, _, b in stamps),
                            sum(1 for _, k, _ in stamps if k == "delta"),
                        )
                    )
                rows.sort()
                m = rows[len(rows) // 2]
                dom = await s.page.evaluate("document.querySelectorAll('*').length")
                print(
                    f"{path:12s} settled {m[0]:.3f}s (min {rows[0][0]:.3f})  first delta {m[2]:.3f}s  "
                    f"server finished {m[1]:.3f}s  runs {m[3]}  deltas {m[5]}  "
                    f"bytes {m[4] / 1024:.0f} KB  DOM nodes {dom}",
                    flush=True,
                )
            await browser.close()
    finally:
        if srv:
            srv.stop()


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("paths", nargs="*")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--url", default=None)
    a = p.parse_args()
    asyncio.run(run(a.paths or DEFAULT, a.repeats, a.url))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
