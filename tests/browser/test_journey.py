"""The reader's journey in a real browser: overview -> board -> measure -> change comparator ->
copy the link -> open it in a fresh browser context -> the same view. Axe on every page."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


# Streamlit's own sidebar navigation puts <div> section headers inside its <ul> (axe rules
# 'list'/'listitem'); that markup belongs to st.navigation, not to these pages, so it is left out.
AXE_CONTEXT = {"exclude": [['[data-testid="stSidebarNavItems"]']]}


def axe_serious(pg) -> list[str]:
    """Serious or critical axe-core violations on the page, as 'rule: nodes' lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(pg, context=AXE_CONTEXT)
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']}"
        f" ({v['nodes'][0].get('failureSummary', '')[:200]}; html {v['nodes'][0].get('html', '')[:160]})"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def share_link(pg) -> str:
    """The page's own shareable link (inline code after 'Link to this view')."""
    para = pg.locator('[data-testid="stMarkdownContainer"] p', has_text="Link to this view").last
    return para.locator("code").inner_text().strip()


def h1(pg) -> str:
    return pg.locator("h1").first.inner_text().strip()


def wait_title(pg, text: str) -> None:
    pg.wait_for_function(
        "t => { const h = document.querySelector('h1'); return h && h.innerText.includes(t); }",
        arg=text,
    )
    wait_for_app(pg)


def settle(pg) -> None:
    """Wait for the rerun a click or a choice starts, then for the app to finish it."""
    pg.wait_for_timeout(500)
    wait_for_app(pg)


def test_journey_and_shared_link(page, browser, app_server) -> None:
    page.goto(app_server + "/")
    wait_title(page, "Luton Marmot Town monitor")
    assert page.get_by_text("no one should live in poverty").count() > 0
    screenshot(page, "journey-1-overview")

    # overview -> a board, through the link in the boards grid
    page.locator('a[href^="board?"][href*="board=childrens-trust"]').first.click()
    wait_title(page, "Children's Trust Board")
    assert "board=childrens-trust" in page.url and "area=E06000032" in page.url
    screenshot(page, "journey-2-board")

    # board -> a measure, through "Open a measure"
    page.get_by_role("button", name="Open measure").click()
    wait_title(page, "Life expectancy at birth, males")
    assert "/measure?" in page.url and "m=life-expectancy-male" in page.url
    screenshot(page, "journey-3-measure")

    # the same default comparator on every page, in the link; then change it in the sidebar
    assert "cmp=england" in page.url
    page.get_by_role("combobox", name="Comparator group").click()
    page.get_by_role("option", name="Similar areas (open method)", exact=True).click()
    page.wait_for_function("() => location.search.includes('cmp=similar')")
    settle(page)
    link = share_link(page)
    assert (
        "cmp=similar" in link and "m=life-expectancy-male" in link and link.startswith(app_server)
    )
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    screenshot(page, "journey-4-measure-england")

    # open the copied link in a fresh browser context: the same view
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        fresh = ctx.new_page()
        fresh.set_default_timeout(30_000)
        fresh.goto(link)
        wait_title(fresh, "Life expectancy at birth, males")
        assert share_link(fresh) == link
        # metrics are a lazily loaded component: wait for them to be drawn before comparing
        fresh.locator('[data-testid="stMetricValue"]').nth(len(metrics) - 1).wait_for()
        assert fresh.locator('[data-testid="stMetricValue"]').all_inner_texts() == metrics
        combo = fresh.get_by_role("combobox", name="Comparator group")
        assert combo.input_value() == "Similar areas (open method)"
        screenshot(fresh, "journey-5-shared-link")
    finally:
        ctx.close()


# every section open (they are drawn only when open), so their content is checked too
PAGES = [
    ("", "Luton Marmot Town monitor", "a11y-overview"),
    ("principle?principle=4", "Marmot principle 4", "a11y-principle"),
    (
        "board?board=health-equity-town&spine=1&actions=1",
        "Health Equity Town Partnership",
        "a11y-board",
    ),
    (
        "measure?m=infant-mortality&ranked=1&breakdown=1&map=1&reported=1&actions=1",
        "Infant mortality",
        "a11y-measure",
    ),
    ("methods?catalogue=1", "Data and methods", "a11y-methods"),
    ("wards?ward=E05014737&ranked=1&inequality=1&composite=1", "Ward maps", "a11y-wards"),
    ("plan?board=at-place", "Year-plan tracker", "a11y-plan"),
    ("progress", "becoming fairer", "a11y-progress"),
]


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize(("path", "title", "shot"), PAGES)
def test_no_serious_accessibility_violations(page, app_server, path, title, shot, width) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{app_server}/{path}")
    wait_title(page, title)
    page.wait_for_timeout(1500)  # charts finish drawing
    screenshot(page, f"{shot}-{width}")
    problems = axe_serious(page)
    assert not problems, "\n".join(problems)


def test_malformed_link_shows_notice_not_traceback(page, app_server) -> None:
    page.goto(f"{app_server}/board?area=XYZ&cmp=%3Cscript%3E&board=nope")
    wait_title(page, "Children's Trust Board")
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("Home area" in a for a in alerts) and any("Comparator" in a for a in alerts)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert re.search(r"area=E06000032", page.url)
    screenshot(page, "malformed-link")


def test_links_show_a_visible_focus_ring(page, app_server) -> None:
    """WCAG 2.4.7: a link reached by the keyboard shows a solid outline, not a faint grey fill."""
    page.goto(f"{app_server}/")
    wait_title(page, "Luton Marmot Town monitor")
    link = page.locator('a[href^="measure?"]').first
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
    style = link.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert style[0] == "solid" and float(style[1].removesuffix("px")) >= 2, style
    names = page.locator('a[href^="measure?"]').all_inner_texts()
    assert len(names) == len(set(names)) >= 4  # every headline link named for its measure


# The visible box of a dropdown (the bordered control around its text field) and what the
# reader sees of the focus ring: the control's outline, and the field's own (clipped) one.
DROPDOWN_RING = """el => {
  const control = el.closest('.react-aria-ComboBox').firstElementChild;
  const c = getComputedStyle(control), f = getComputedStyle(el);
  const r = control.getBoundingClientRect();
  return {control: [c.outlineStyle, parseFloat(c.outlineWidth), c.outlineColor],
          field: [f.outlineStyle, f.boxShadow], focused: document.activeElement === el,
          box: [r.x, r.y, r.width, r.height]};
}"""


@pytest.mark.parametrize(("path", "count"), [("board?board=childrens-trust", 4), ("plan", 4)])
def test_dropdowns_show_a_focus_ring_on_the_whole_control(page, app_server, path, count) -> None:
    """WCAG 2.4.7: a dropdown reached by the keyboard (the sidebar's home area, comparator group
    and period, the page's own choices) shows the black-and-yellow ring around its whole visible
    control, not a thin bar clipped beside the arrow."""
    page.goto(f"{app_server}/{path}")
    wait_for_app(page)
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"] input').first.wait_for()
    fields = page.locator('[data-testid="stSelectbox"] input[role="combobox"]').all()
    assert len(fields) >= count, len(fields)
    for i, field in enumerate(fields):
        field.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # by the keyboard, as a reader without a mouse reaches it
        ring = field.evaluate(DROPDOWN_RING)
        assert ring["focused"], (i, ring)
        assert ring["control"][:2] == ["solid", 3.0] and ring["control"][2] == "rgb(11, 12, 12)"
        assert ring["field"] == ["none", "none"], (i, ring)  # no clipped bar beside the arrow
        x, y, w, h = ring["box"]
        shot = page.screenshot(clip={"x": x - 12, "y": y - 12, "width": w + 24, "height": h + 24})
        image = Image.open(io.BytesIO(shot)).convert("RGB")
        # 3 px outside each edge of the control, on its middle: the ring's black line shows
        mid_x, mid_y = 12 + w / 2, 12 + h / 2
        for px in (
            (mid_x, 12 - 3.5),
            (mid_x, 12 + h + 3.5),
            (12 - 3.5, mid_y),
            (12 + w + 3.5, mid_y),
        ):
            colour = image.getpixel((round(px[0]), round(px[1])))
            assert max(colour) < 80, (i, px, colour)
    screenshot(page, "focus-dropdown-" + path.split("?")[0])


def test_board_is_usable_on_a_phone(browser, app_server) -> None:
    """At 390 px the board page does not scroll sideways and the spine chart keeps its width."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = ctx.new_page()
        pg.set_default_timeout(30_000)
        pg.goto(f"{app_server}/board?board=childrens-trust&spine=1")  # the spine chart open
        wait_title(pg, "Children's Trust Board")
        pg.wait_for_timeout(1500)  # charts finish drawing
        screenshot(pg, "board-390")
        assert pg.evaluate("document.documentElement.scrollWidth") <= 392
        charts = pg.locator('[data-testid="stVegaLiteChart"]')
        charts.first.wait_for(state="visible")  # a busy machine draws the open section late
        assert charts.first.bounding_box()["width"] >= 300
    finally:
        ctx.close()
