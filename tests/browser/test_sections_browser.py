"""Lazy sections in a real browser: a click opens a section (its content drawn, its key in the
address bar), a second click closes it, and the link with the key opens it again."""

from __future__ import annotations

import random
import re

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
    link = page.get_by_text("Link to this view")  # one link, rewritten by the section's rerun
    page.wait_for_function(
        "() => [...document.querySelectorAll('code')].some(c => c.textContent.includes('ranked=1'))",
        timeout=30_000,
    )
    assert link.count() == 1 and "ranked=1" in link.inner_text()
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


def _share_links(texts: list[str]) -> list[str]:
    return [t for t in texts if t.startswith("Link to this view")]


def test_opening_a_section_reruns_that_section_alone(app_server) -> None:
    """A section is a fragment: opening it re-sends its own content and the page's share link
    (now naming the open section), not the title, the sidebar's controls or the other sections;
    the next full run still draws the section open, from the link; closing it is as cheap."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from bench.protocol import Reader

    async def journey() -> None:
        r = Reader(app_server)
        await r.connect()
        try:
            r.page, r.query = "measure", "m=life-expectancy-male&cmp=england"
            full = await r.rerun()
            assert {"Home area", "Comparator group", "Measure"} <= {
                w.label for w in r.widgets.values()
            }
            assert "ranked=" not in _share_links(r.texts)[-1]
            label = next(k for k in r.expanders if k.startswith("Chart and table ranking"))

            opened = await r.open_section(label)
            assert opened.exceptions == 0
            assert opened.elements <= 10 < full.elements  # the section's chart, table, downloads
            assert r.texts[0].startswith("Ranked bar chart of Life expectancy at birth, males")
            assert len(_share_links(r.texts)) == 1 and "&ranked=1" in _share_links(r.texts)[0]
            assert "ranked=1" in r.query.split("&")  # the address bar

            again = await r.rerun()  # a full run (a comparator change, say) keeps it open
            assert again.exceptions == 0 and again.elements > full.elements
            assert any(t.startswith("Ranked bar chart of") for t in r.texts)
            assert all("&ranked=1" in link for link in _share_links(r.texts))

            closed = await r.open_section(label, opened=False)
            assert closed.elements <= 2
            assert not any(t.startswith("Ranked bar chart of") for t in r.texts)
            assert "ranked=" not in _share_links(r.texts)[0] and "ranked=" not in r.query
        finally:
            await r.close()

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API holds this thread's event loop
        pool.submit(asyncio.run, journey()).result(timeout=300)


def _on_the_plan_page(app_server: str, steps) -> None:
    """Open the plan page over Streamlit's own protocol (bench.protocol.Reader: every message
    counted) and run `await steps(reader, first_run)`; in a thread of its own, away from the
    browser fixtures' event loop."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from bench.protocol import Reader

    async def journey() -> None:
        r = Reader(app_server)
        await r.connect()
        try:
            r.page = "plan"
            full = await r.rerun()
            assert full.exceptions == 0
            await steps(r, full)
        finally:
            await r.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, journey()).result(timeout=300)


def test_picking_a_plan_action_reruns_its_section_alone(app_server) -> None:
    """The plan page's 'one action' section is a fragment: picking an action re-sends that
    section (the action's text and status), not the filters, counts and tables above it; the
    address bar names the action."""

    async def steps(r, full) -> None:
        assert any(t.startswith("| Board | Total |") for t in r.texts)  # status by board
        assert r.widgets and any(w.label == "Action" and w.fragment for w in r.widgets.values())
        assert any(w.label == "Board" and not w.fragment for w in r.widgets.values())
        picked = await r.choose(random.Random(3), ("Action",))
        assert picked is not None and picked.exceptions == 0
        assert picked.elements < full.elements  # not the filters, counts and tables:
        assert not any(t.startswith("| Board | Total |") for t in r.texts)
        assert any(t.startswith("**Current status:") for t in r.texts)
        assert any(p.startswith("action=") for p in r.query.split("&"))

    _on_the_plan_page(app_server, steps)


def test_the_plan_chart_opens_alone_and_stays_in_the_link_when_an_action_is_picked(
    app_server,
) -> None:
    """The plan's timeline chart is drawn only while open; opening it reruns its section alone
    and puts timeline=1 in the address; a filter (a full run) and then an action (another
    section's own rerun) keep it there."""

    async def steps(r, full) -> None:
        assert "timeline=" not in r.query
        opened = await r.open_section("Chart of the actions per phase and board")
        assert opened.exceptions == 0 and opened.elements < full.elements / 2
        assert "timeline=1" in r.query.split("&")
        filtered = await r.choose(random.Random(3), ("Board",))  # a full run of the page
        assert filtered is not None and filtered.exceptions == 0
        assert "timeline=1" in r.query.split("&") and "board=" in r.query
        picked = await r.choose(random.Random(3), ("Action",))
        assert picked is not None and picked.exceptions == 0
        assert "timeline=1" in r.query.split("&")
        assert any(p.startswith("action=") for p in r.query.split("&"))

    _on_the_plan_page(app_server, steps)


def test_a_catalogue_search_filters_within_its_section(page, app_server) -> None:
    """The methods page's catalogue is a fragment: a search typed in it filters the table, goes
    into the address bar and the share link, and a link with the search opens it filtered."""
    page.goto(app_server + "/methods?catalogue=1")
    wait_for_app(page)
    box = page.get_by_label("Search measures (title, alias or definition)")
    box.fill("obesity")
    box.press("Enter")
    page.wait_for_function("() => window.location.search.includes('q=obesity')", timeout=30_000)
    count = page.get_by_text(re.compile(r"^\d+ of \d+ measures\.$"))
    count.first.wait_for(timeout=30_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('code')].some(c => c.textContent.includes('q=obesity'))",
        timeout=30_000,
    )
    shown, total = (int(x) for x in re.findall(r"\d+", count.first.inner_text()))
    assert 0 < shown < total
    page.goto(app_server + "/methods?q=obesity")
    wait_for_app(page)
    again = page.get_by_text(re.compile(r"^\d+ of \d+ measures\.$")).first
    again.wait_for(timeout=30_000)
    assert int(again.inner_text().split()[0]) == shown
