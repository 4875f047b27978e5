"""The app starts from the bundled data and the overview says what it is."""

from __future__ import annotations

from tests.browser.conftest import screenshot, wait_for_app


def test_overview_loads(page, app_server) -> None:
    page.goto(app_server + "/")
    wait_for_app(page)
    assert "Luton Marmot Town monitor" in page.locator("h1").first.inner_text()
    screenshot(page, "overview-smoke")
