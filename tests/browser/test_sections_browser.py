"""Lazy sections in a real browser: a click opens a section (its content drawn, its key in the
address bar), a second click closes it, and the link with the key opens it again."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def _toggle(page, label: str) -> None:
    page.locator('[data-testid="stExpander"] summary').filter(has_text=label).click()


def test_a_click_opens_the_ranked_section_and_writes_its_key(page, app_server) -> None:
    page.goto(app_server + "/measure?m=life-expectancy-male&cmp=england")
    wait_for_app(page)
    assert page.get_by_text("Ranked bar chart of").count() == 0  # closed: nothing drawn
    _toggle(page, "Chart and table ranking")
    page.wait_for_function("() => window.location.search.includes('ranked=1')", timeout=30_000)
    page.get_by_text("Ranked bar chart of").first.wait_for(timeout=30_000)
    _toggle(page, "Chart and table ranking")
    page.wait_for_function("() => !window.location.search.includes('ranked=')", timeout=30_000)
    page.goto(app_server + "/measure?m=life-expectancy-male&cmp=england&ranked=1")
    wait_for_app(page)
    page.get_by_text("Ranked bar chart of").first.wait_for(timeout=30_000)


def test_the_board_spine_chart_opens_on_click(page, app_server) -> None:
    page.goto(app_server + "/board?board=childrens-trust")
    wait_for_app(page)
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 0
    _toggle(page, "Spine chart of every measure")
    page.wait_for_function("() => window.location.search.includes('spine=1')", timeout=30_000)
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=30_000)
