"""Deep links connect at once: the launcher's base-URL hint (lutonwb.ui.serve) in real chromium."""

from __future__ import annotations

import pytest

from lutonwb.ui import serve
from tests.browser.conftest import wait_for_app


def _health_requests(page, url: str) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if "_stcore/health" in r.url else None)
    page.goto(url)
    wait_for_app(page)
    return seen


def test_deep_link_asks_health_only_at_the_base(page, app_server) -> None:
    seen = _health_requests(page, app_server + "/measure?m=life-expectancy-male")
    assert seen == [app_server + "/_stcore/health"]
    assert "Life expectancy" in page.locator("h1").first.inner_text()


def test_unknown_path_still_finds_the_app(page, app_server) -> None:
    """A path that is no page gets no hint: Streamlit's own probing finds the base as before."""
    seen = _health_requests(page, app_server + "/no-such-page")
    assert seen[0] == app_server + "/no-such-page/_stcore/health"
    assert app_server + "/_stcore/health" in seen


@pytest.mark.parametrize(
    ("path", "base"),
    [
        ("/", None),
        ("/measure", "https://example.org/"),
        ("/wards/", "https://example.org/"),
        ("/monitor/board", "https://example.org/monitor/"),
        ("/health/monitor/plan", "https://example.org/health/monitor/"),
        ("/monitor", None),
        ("/no-such-page", None),
    ],
)
def test_hint_base_for_proxy_prefixes(browser, path: str, base: str | None) -> None:
    """The hint keeps any prefix a proxy or server.baseUrlPath puts before the page."""
    shell = serve.page_shell_with_base_hint('<script type="module" src="x.js"></script>')
    code = shell[shell.index("(function") : shell.index("</script>")]
    ctx = browser.new_context()
    try:
        pg = ctx.new_page()
        got = pg.evaluate(
            """([code, path]) => {
                const window = {location: {pathname: path, origin: "https://example.org"}};
                new Function("window", code)(window);
                return window.__streamlit ? window.__streamlit.BACKEND_BASE_URL : null;
            }""",
            [code, path],
        )
    finally:
        ctx.close()
    assert got == base
