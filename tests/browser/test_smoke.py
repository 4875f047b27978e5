"""The app starts from the bundled data and the overview says what it is."""

from __future__ import annotations

from tests.browser.conftest import screenshot, wait_for_app


def test_overview_loads(page, app_server) -> None:
    page.goto(app_server + "/")
    wait_for_app(page)
    assert page.get_by_role("heading", name="Luton Marmot Town monitor").is_visible()
    screenshot(page, "overview-smoke")
