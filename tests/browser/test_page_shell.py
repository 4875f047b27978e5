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


@pytest.mark.parametrize(
    ("path", "lands_on", "heading"),
    [
        ("/measure/extra?m=life-expectancy-male", "/measure?", "Life expectancy"),
        ("/plan/x", "/plan", "Year-plan tracker"),
        ("/plan/x/y/", "/plan", "Year-plan tracker"),
    ],
)
def test_path_below_a_page_shows_the_page_with_a_notice(page, app_server, path, lands_on, heading):
    """Streamlit drew a blank page for these (its assets resolved under the extra path)."""
    page.goto(app_server + path)
    page.get_by_text(serve.SHELL_NOTICES["path"]).wait_for()
    wait_for_app(page)
    assert page.url.startswith(app_server + lands_on)
    assert "m=life-expectancy-male" in page.url or "measure" not in path
    assert heading in page.locator("h1").first.inner_text()
    page.goto(app_server + "/plan")  # the next load of the same browser has no notice
    wait_for_app(page)
    assert page.get_by_text(serve.SHELL_NOTICES["path"]).count() == 0


def test_too_many_query_parameters_are_said_not_dropped_silently(page, app_server) -> None:
    """Streamlit ignores a query string of more than 1,000 parameters whole: the reader is told."""
    query = "&".join(["m=life-expectancy-male", *(f"x{i}=1" for i in range(1000))])
    page.goto(app_server + "/measure?" + query)
    notice = serve.shell_notice({serve.NOTICE_COOKIE: "params"})
    assert notice.startswith("This link has more than 1,000 settings")
    page.get_by_text(notice).wait_for()
    wait_for_app(page)
    assert page.locator("h1").first.is_visible()


def test_the_running_app_trusts_no_origin_and_still_opens(page, app_server) -> None:
    """The server tells the page that no origin may control it (.streamlit/config.toml), and a
    deep link still opens its page."""
    import json
    import urllib.request

    with urllib.request.urlopen(app_server + "/_stcore/host-config", timeout=30) as r:
        assert json.load(r)["allowedOrigins"] == []
    page.goto(app_server + "/measure?m=life-expectancy-male")
    wait_for_app(page)
    assert "Life expectancy" in page.locator("h1").first.inner_text()
