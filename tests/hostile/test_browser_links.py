"""A hostile link opened in the running app (headless chromium): a friendly notice, the default
view, no traceback, no script run, and nothing fetched from another host."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, app_server, wait_for_app  # noqa: F401

pytestmark = pytest.mark.browser

EVIL_IMAGE = "![x](http://evil.example/p.png)"
XSS = '"><img src=x onerror="window.__pwned=1">'


@pytest.fixture(scope="module")
def in_browser() -> Callable:
    """Run fn(page) in headless chromium on a thread of its own.

    The Playwright sync API allows one instance per thread, and tests/browser's session-wide
    browser may already be running in this one.
    """
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}")
    pool = ThreadPoolExecutor(1)

    def run(fn: Callable) -> None:
        def job() -> None:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                try:
                    pg = b.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                    pg.set_default_timeout(120_000)
                    fn(pg)
                finally:
                    b.close()

        pool.submit(job).result()

    yield run
    pool.shutdown()


def _guard(pg, origin: str) -> dict[str, list]:
    """Record dialogs and block (and record) every request that leaves the app's own origin."""
    seen: dict[str, list] = {"dialogs": [], "external": []}

    def route(r):
        if r.request.url.startswith(origin) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            seen["external"].append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    pg.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    return seen


def _check_clean(pg, seen: dict[str, list]) -> str:
    body = pg.locator("body").inner_text()
    assert "Traceback" not in body
    assert pg.locator('[data-testid="stException"]').count() == 0
    assert seen["dialogs"] == [], seen["dialogs"]
    assert pg.evaluate("() => window.__pwned === undefined"), "injected markup ran"
    return body


def test_hostile_measure_link_shows_notice_and_default(in_browser, app_server) -> None:  # noqa: F811
    in_browser(lambda page: _measure_link(page, app_server))


def _measure_link(page, app_server: str) -> None:  # noqa: F811
    seen = _guard(page, app_server)
    query = {
        "m": "<script>alert(1)</script>",
        "cmp": "' OR 1=1 --",
        "area": EVIL_IMAGE,
        "period": XSS,
        "zz": "unknown key",
    }
    page.goto(f"{app_server}/measure?{urlencode(query)}")
    page.locator('[data-testid="stAlert"]').first.wait_for(timeout=120_000)
    page.get_by_role("heading", name="Life expectancy").first.wait_for(timeout=120_000)
    wait_for_app(page, timeout=120_000)
    body = _check_clean(page, seen)
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    text = " ".join(alerts)
    assert "not in the catalogue" in text and "showing the default measure" in text
    assert "Comparator" in text and "Home area" in text
    assert seen["external"] == [], seen["external"]
    assert "Life expectancy" in page.locator("h1").first.inner_text()
    assert "<script>" not in body
    # the page writes the canonical link back: the hostile values are gone from the URL
    url = urlparse(page.url)
    assert "script" not in url.query and "OR" not in url.query and "evil" not in url.query


def test_hostile_ward_link_fetches_nothing_external(in_browser, app_server) -> None:  # noqa: F811
    in_browser(lambda page: _ward_link(page, app_server))


def _ward_link(page, app_server: str) -> None:  # noqa: F811
    seen = _guard(page, app_server)
    page.goto(f"{app_server}/wards?{urlencode({'ward': EVIL_IMAGE, 'layer': XSS})}")
    page.locator('[data-testid="stAlert"]').first.wait_for(timeout=120_000)
    wait_for_app(page, timeout=120_000)
    _check_clean(page, seen)
    assert page.locator('[data-testid="stAlert"]').count() >= 1
    assert seen["external"] == [], seen["external"]
