"""Benchmark plumbing: a `streamlit run` server, headless Debian chromium, and a "settled" clock.

"Settled" after an action means: the server has sent `script_finished` for every script run the
action started (read from the WebSocket frames, parsed with Streamlit's own protobuf classes), and
then the page shows no status widget and no element marked stale (data-stale="true"). A short
quiet window catches follow-up runs (st.rerun, query-parameter writes); it is not counted.

The Playwright async API is used so one process can drive 50 concurrent sessions; the same code
measures the single-session numbers, so every ratio compares like with like.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("LUTONWB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
    # many tabs in one browser: do not throttle the ones that are not in front
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
QUIET_S = 0.25  # a follow-up run must start within this window to count as part of the action

SETTLED_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !!document.querySelector('[data-testid="stMain"]')"""


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB, from /proc/<pid>/status (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def browser_cpu_seconds() -> float:
    """CPU time used so far by every chromium process on the machine (the sessions' browser)."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if b"chromium" in (proc / "cmdline").read_bytes()[:200]:
                total += cpu_seconds(int(proc.name))
        except (OSError, IndexError, ValueError):
            continue
    return total


@dataclass
class Server:
    """One `streamlit run` process on a free port, with the project's hosted config."""

    script: Path
    env: dict[str, str] = field(default_factory=dict)
    # started as production starts the app (lutonwb.ui.serve: router only, the page shell's
    # base-URL hint); always so for app.py, and for a script that stands in for its pages
    as_app: bool = False
    port: int = 0
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, log_dir: Path) -> Server:
        """Launch the process (returns at once; see wait_healthy)."""
        self.port = free_port()
        env = dict(os.environ)
        env.update(self.env)
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = log_dir / f"{self.script.stem}-{self.port}.log"
        log = open(self.log_path, "w")  # noqa: SIM115 (closed with the process)
        self.started_at = time.perf_counter()
        if self.script.resolve() == (ROOT / "app.py").resolve():
            launcher = ["-m", "lutonwb.ui.serve"]
        elif self.as_app:
            launcher = ["-m", "bench.serve_script", str(self.script)]
        else:
            launcher = ["-m", "streamlit", "run", str(self.script)]
        self.proc = subprocess.Popen(
            [
                sys.executable, *launcher,
                "--server.port", str(self.port), "--server.address", "127.0.0.1",
                "--server.headless", "true", "--server.fileWatcherType", "none",
                "--browser.gatherUsageStats", "false",
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        return self

    def wait_healthy(self, timeout: float = 120) -> None:
        """Block until /_stcore/health answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with {self.proc.returncode}; see {self.log_path}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise TimeoutError(f"streamlit did not answer at {self.url}")

    def rss_mb(self) -> float:
        assert self.proc is not None
        return rss_mb(self.proc.pid)

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


class Runs:
    """Counts script runs on one page from its WebSocket frames (new_session … script_finished)."""

    def __init__(self) -> None:
        self.started = 0
        self.finished = 0
        self.exceptions = 0
        self.changed = asyncio.Event()
        self.sent_at: list[float] = []  # perf_counter of each message the page sent the server
        self.finished_at = 0.0  # perf_counter of the last script_finished received
        # per timed action: (action -> first message sent, -> last script_finished, -> settled),
        # as the page's main thread saw them (Chromium reports frames when the page handles them)
        self.phases: list[tuple[float, float, float]] = []

    def attach(self, page) -> None:
        page.on("websocket", self._on_socket)

    def _on_socket(self, ws) -> None:
        if "_stcore/stream" in ws.url:
            ws.on("framereceived", self._on_frame)
            ws.on("framesent", lambda _payload: self.sent_at.append(time.perf_counter()))

    def _on_frame(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if isinstance(payload, str):
            return
        msg = ForwardMsg.FromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.started += 1
        elif kind == "script_finished":
            self.finished += 1
            self.finished_at = time.perf_counter()
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            if msg.delta.new_element.WhichOneof("type") == "exception":
                self.exceptions += 1
        else:
            return
        self.changed.set()

    async def wait(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait until predicate() holds (re-checked on every counted frame)."""
        deadline = time.perf_counter() + timeout
        while not predicate():
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return False
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True


@dataclass
class Session:
    """One browser context and page with its run counter."""

    context: object
    page: object
    runs: Runs


async def new_session(browser, viewport=(1400, 1000)) -> Session:
    ctx = await browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = await ctx.new_page()
    page.set_default_timeout(120_000)
    runs = Runs()
    runs.attach(page)
    return Session(ctx, page, runs)


async def timed(s: Session, action: Callable[[], Awaitable[object]], timeout: float = 120) -> float:
    """Seconds from the start of action() until the page has settled (see module docstring)."""
    page, runs = s.page, s.runs
    before = runs.finished
    runs.sent_at.clear()
    t0 = time.perf_counter()
    await action()
    # at least one run finishes after the action, and every run started has finished
    ok = await runs.wait(lambda: runs.finished > before and runs.finished >= runs.started, timeout)
    if not ok:
        raise TimeoutError(f"no script run finished within {timeout:.0f} s")
    while True:
        await page.wait_for_function(SETTLED_JS, polling="raf", timeout=timeout * 1000)
        t_end = time.perf_counter()
        seen = runs.started
        await asyncio.sleep(QUIET_S)
        if runs.started == seen and runs.finished >= runs.started:
            sent = runs.sent_at[0] if runs.sent_at else t0
            runs.phases.append((sent - t0, runs.finished_at - sent, t_end - runs.finished_at))
            return t_end - t0
        await runs.wait(lambda: runs.finished >= runs.started, timeout)


async def goto(s: Session, url: str) -> float:
    """Open a URL and time it until settled."""
    return await timed(s, lambda: s.page.goto(url, wait_until="commit"))


async def launch(playwright):
    """Headless Debian chromium (no browser download)."""
    return await playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )


def median(xs: list[float]) -> float:
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def percentile(xs: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(-(-q * len(s) // 100)) - 1))
    return s[k]
