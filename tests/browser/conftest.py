"""Browser fixtures: the real app served by `streamlit run` and headless Debian chromium via Playwright.

No browser download: Playwright drives /usr/bin/chromium through executable_path.
Screenshots go to test-output/screenshots/ for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

# One definition of the browser and port helpers, shared with the benchmark.
from bench.harness import CHROMIUM, CHROMIUM_ARGS, free_port

ROOT = Path(__file__).resolve().parents[2]

SHOTS = ROOT / "test-output" / "screenshots"

pytestmark = pytest.mark.browser


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url}")


@pytest.fixture(scope="session")
def app_server(warehouse_dir: Path, tmp_path_factory) -> Iterator[str]:
    """The app on a free loopback port, on the project's warehouse and a throwaway tracker file."""
    yield from serve_app(dict(os.environ), tmp_path_factory)


def serve_app(env: dict[str, str], tmp_path_factory, base: str = "") -> Iterator[str]:
    """`streamlit run` of the app with this environment (plus a throwaway tracker); yields its URL
    (ending in `/base` when the app is served under that path, server.baseUrlPath)."""
    port = free_port()
    if base:
        env["STREAMLIT_SERVER_BASE_URL_PATH"] = base
    env["LUTONWB_TRACKER_DB"] = str(tmp_path_factory.mktemp("tracker") / "tracker.duckdb")
    env.setdefault("LUTONWB_EDITORS_FILE", str(ROOT / "tests" / "browser" / "editors.toml"))
    log = open(tmp_path_factory.mktemp("logs") / "streamlit.log", "w")  # noqa: SIM115 (lives as long as the server)
    proc = start_app(env, port, log)
    url = f"http://127.0.0.1:{port}" + (f"/{base}" if base else "")
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def start_app(env: dict[str, str], port: int, log) -> subprocess.Popen:
    """`python -m lutonwb.ui.serve` on a loopback port with this environment, output to log."""
    return subprocess.Popen(
        [
            sys.executable, "-m", "lutonwb.ui.serve",
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM} (scripts/test.sh installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_server):
    """A fresh browser context (no shared state) with a page at a desktop size."""
    yield from fresh_page(browser)


def fresh_page(browser, timeout: float = 30_000):
    """A page in a new browser context at a desktop size; the context closes after use."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.set_default_timeout(timeout)
    yield pg
    ctx.close()


def wait_for_app(pg, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script (no 'running' indicator, main block drawn)."""
    pg.wait_for_selector('[data-testid="stMain"]', timeout=timeout)
    pg.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
               && document.querySelectorAll('[data-testid="stMarkdownContainer"], h1').length > 0""",
        timeout=timeout,
    )
    pg.wait_for_timeout(300)


def screenshot(pg, name: str) -> Path:
    """Save a full-page screenshot under test-output/screenshots/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path
