"""The browserless load test: many readers on one server process, over Streamlit's own protocol.

Each reader is a `bench.protocol.Reader` (a WebSocket session, no browser). The readers of a level
run in a few client processes (asyncio in each), so the server's own capacity is measured rather
than the cost of drawing 500 pages on the same cores. A reader arrives (readers spread evenly over
the ramp), opens the default page, then every `think` seconds on average (each pause drawn from
0.5-1.5× it) either opens another page (one time in three) or changes a choice on the page (the
comparator or the measure in the app; the button in the empty app), until the level's window ends.

Latency is from the rerun request leaving the client until its `script_finished` arrives: the
server's queueing, script run and streaming of the elements. Server CPU comes from
/proc/<pid>/stat, memory from the peak VmRSS during the level minus VmRSS before it.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.harness import Server, cpu_seconds, median, percentile, rss_mb
from bench.protocol import Reader, RunResult

APP_CHOICES = ("Comparator group", "Measure")  # what the browser journey changes, too
RUN_TIMEOUT = 60.0  # a rerun not finished by then is counted as an error and the reader leaves
CAPACITY_P95 = 1.0  # "carries": p95 rerun latency at or under this many seconds
GOAL_AT = 200  # the goal: at 200 readers, p95 ≤ 3× the single reader's
GOAL_RATIO = 3.0


@dataclass(frozen=True)
class ReaderPace:
    """Mean pause between a reader's actions, the window over which readers arrive, and how long
    a level lasts from its start (readers leave when it ends)."""

    name: str
    think: float
    ramp: float
    window: float

    @property
    def label(self) -> str:
        arrive = "all at once" if self.ramp == 0 else f"arriving over {self.ramp:g} s"
        return f"{self.name}: think {self.think:g} s, {arrive}, {self.window:g} s"


READER = ReaderPace("reader's pace", 30, 30, 90)
STRESS = ReaderPace("stress", 1, 0, 30)
SINGLE = ReaderPace("single reader", 1, 0, 30)  # 1 s pauses: ~25 reruns for the baseline


async def _act(r: Reader, rng: random.Random, labels: tuple[str, ...] | None) -> RunResult:
    """One reader action: another page one time in three, else a choice on this page."""
    if rng.random() >= 1 / 3:
        result = await r.choose(rng, labels)
        if result is not None:
            return result
    others = [p for p in r.pages if p != r.page] or [r.page]
    return await r.open_page(rng.choice(others))


async def _life(
    url: str, i: int, n: int, pace: ReaderPace, start: float, labels, seed: int
) -> dict:
    """One reader from arrival to the end of the window; latencies of its reruns."""
    rng = random.Random(seed)
    end = start + pace.window
    await asyncio.sleep(max(0.0, start + pace.ramp * i / n - time.monotonic()))
    out: dict = {"runs": [], "errors": [], "exceptions": 0}
    r = Reader(url)
    try:
        await asyncio.wait_for(r.connect(), RUN_TIMEOUT)
        res = await asyncio.wait_for(r.open_page(""), RUN_TIMEOUT)
        while True:
            out["runs"].append(res.seconds)
            out["exceptions"] += res.exceptions
            pause = pace.think * rng.uniform(0.5, 1.5)
            if time.monotonic() + pause > end:
                break
            await asyncio.sleep(pause)
            res = await asyncio.wait_for(_act(r, rng, labels), RUN_TIMEOUT)
        await asyncio.sleep(max(0.0, end - time.monotonic()))  # stay connected to the end
    except Exception as exc:  # noqa: BLE001 (a failed reader is a result to report)
        out["errors"].append(f"{type(exc).__name__}: {exc}"[:200])
    await r.close()
    return out


def _client(url: str, ids: list[int], n: int, pace: ReaderPace, start: float, labels, seed: int):
    """A client process: its share of the readers in one asyncio loop; its own CPU seconds."""

    async def main() -> list[dict]:
        return await asyncio.gather(*(_life(url, i, n, pace, start, labels, seed + i) for i in ids))

    lives = asyncio.run(main())
    t = os.times()
    return lives, t.user + t.system


def run_level(srv: Server, n: int, pace: ReaderPace, labels, seed: int, clients: int = 4) -> dict:
    """n readers at this pace against a running server, from up to `clients` processes."""
    pid = srv.proc.pid
    rss0, cpu0 = rss_mb(pid), cpu_seconds(pid)
    peak = [rss0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            try:
                peak[0] = max(peak[0], rss_mb(pid))
            except (OSError, RuntimeError):
                return

    k = max(1, min(clients, n))
    start = time.monotonic() + 3  # the client processes are up by then
    args = [(srv.url, list(range(j, n, k)), n, pace, start, labels, seed) for j in range(k)]
    with multiprocessing.get_context("fork").Pool(k) as pool:
        pending = pool.starmap_async(_client, args)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            parts = pending.get(timeout=3 + pace.ramp + pace.window + RUN_TIMEOUT + 30)
        finally:
            stop.set()
            sampler.join()
    wall = time.monotonic() - start
    lives = [life for part, _ in parts for life in part]
    lat = [x for life in lives for x in life["runs"]]
    server_cpu = cpu_seconds(pid) - cpu0
    return {
        "sessions": n,
        "pace": pace.name,
        "runs": lat,
        "p50": median(lat) if lat else float("nan"),
        "p95": percentile(lat, 95) if lat else float("nan"),
        "errors": [e for life in lives for e in life["errors"]],
        "exceptions": sum(life["exceptions"] for life in lives),
        "wall_s": wall,
        "server_cpu_s": server_cpu,
        "client_cpu_s": sum(cpu for _, cpu in parts),
        "rss_before_mb": rss0,
        "rss_peak_mb": peak[0],
        "mb_per_session": (peak[0] - rss0) / n,
    }


async def warm(url: str, labels, budget_s: float = 240) -> int:
    """Fill the server's shared caches as a day of use would: each option of each choice the
    readers make, on every page; bounded in time. Returns the number of reruns."""
    r = Reader(url)
    await r.connect()
    runs, t_end = 0, time.monotonic() + budget_s
    await r.open_page("")
    for page in r.pages or [""]:
        await r.open_page(page)
        runs += 1
        for box in r.selectboxes(labels):
            for option in box.options[:10]:
                if time.monotonic() > t_end:
                    break
                r.states[box.id] = _state(box.id, option)
                await r.rerun()
                runs += 1
    await r.close()
    return runs


def _state(widget_id: str, value: str):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    return WidgetState(id=widget_id, string_value=value)


def run_app(
    script: Path,
    env: dict[str, str],
    levels: tuple[int, ...],
    paces: tuple[ReaderPace, ...],
    labels,
    log_dir: Path,
) -> dict:
    """One server for one app: warmed, the single reader, then each pace's levels in turn."""
    srv = Server(script, env=env).start(log_dir)
    try:
        srv.wait_healthy()
        out: dict = {"warm_runs": asyncio.run(warm(srv.url, labels))}
        out["1"] = run_level(srv, 1, SINGLE, labels, 1)
        _say(script, SINGLE, out["1"])
        for pace in paces:
            out[pace.name] = {}
            for n in levels:
                time.sleep(5)  # the last level's sessions have gone
                res = run_level(srv, n, pace, labels, 1000 * n)
                out[pace.name][str(n)] = res
                _say(script, pace, res)
        return out
    finally:
        srv.stop()


def _say(script: Path, pace: ReaderPace, r: dict) -> None:
    print(
        f"  readers {script.name} {pace.name} {r['sessions']}: p50 {r['p50']:.3f} s, "
        f"p95 {r['p95']:.3f} s, {len(r['runs'])} runs, {len(r['errors'])} errors, "
        f"server CPU {r['server_cpu_s']:.0f} s over {r['wall_s']:.0f} s",
        flush=True,
    )


def capacity(level_p95: dict[int, float], limit: float = CAPACITY_P95) -> tuple[int, str]:
    """The largest level measured with p95 ≤ limit, and the crossing estimated linearly between
    it and the next level (0 if even the first level passed the limit)."""
    ns = sorted(level_p95)
    ok = [n for n in ns if level_p95[n] <= limit]
    if not ok:
        return 0, f"p95 passed {limit:g} s already at {ns[0]}"
    last = ok[-1]
    later = [n for n in ns if n > last]
    if not later:
        return last, f"p95 stayed ≤ {limit:g} s up to {last}, the largest level tried"
    nxt = later[0]
    a, b = level_p95[last], level_p95[nxt]
    cross = last + (limit - a) * (nxt - last) / (b - a) if b > a else last
    return last, f"p95 passed {limit:g} s between {last} and {nxt} (~{cross:.0f} by interpolation)"
