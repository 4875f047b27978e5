"""Tables show their numbers: at 1,280 px no table on a board page, the overview or the other
pages built from lutonwb.ui.widgets.table scrolls sideways (the tracker's own tables are not
checked here); at 390 px the board's tables keep their first columns (measure, value and verdict)
on screen without scrolling sideways."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

# Every table on the page: Streamlit's HTML tables (st.table, st.markdown tables) and its
# canvas grids (st.dataframe), with the width each needs and the width it has.
TABLE_WIDTHS = """() => [
  ...[...document.querySelectorAll('[data-testid="stTable"]')].map(el => [el, el]),
  ...[...document.querySelectorAll('[data-testid="stMarkdownContainer"] table')].map(
      t => [t, t.parentElement]),
  ...[...document.querySelectorAll('[data-testid="stDataFrame"]')].map(
      el => [el, el.querySelector('.dvn-scroller')]),
].filter(([_, box]) => box && box.offsetParent !== null).map(([el, box]) => ({
  header: [...el.querySelectorAll('th, [role=columnheader]')].map(h => h.textContent.trim())
    .join(' | ').slice(0, 120),
  needs: box.scrollWidth, has: box.clientWidth,
}))"""


def tables_on(pg, url: str, width: int, shot: str) -> list[dict]:
    """The widths of every visible table on the page at this viewport width."""
    pg.set_viewport_size({"width": width, "height": 900})
    pg.goto(url)
    wait_for_app(pg)
    pg.locator('[data-testid="stTable"], [data-testid="stDataFrame"]').first.wait_for()
    pg.wait_for_timeout(1500)  # grids size their columns after drawing
    screenshot(pg, shot)
    return pg.evaluate(TABLE_WIDTHS)


@pytest.mark.parametrize(
    ("path", "shot"),
    [
        ("board?board=childrens-trust", "tables-board-1280"),
        ("board?board=health-equity-town&cmp=similar", "tables-board-group-1280"),
        ("", "tables-overview-1280"),
        ("principle?principle=4", "tables-principle-1280"),
        ("measure?m=life-expectancy-male", "tables-measure-1280"),
        ("methods", "tables-methods-1280"),
        ("wards?ward=E05014737", "tables-wards-1280"),
        ("progress", "tables-progress-1280"),
        ("measure?m=life-expectancy-male&ranked=1&reported=1", "tables-measure-open-1280"),
        ("wards?ranked=1&composite=1", "tables-wards-open-1280"),
    ],
)
def test_no_table_scrolls_sideways_at_1280(page, app_server, path, shot) -> None:
    tables = tables_on(page, f"{app_server}/{path}", 1280, shot)
    assert len(tables) >= 1, tables
    wide = [t for t in tables if t["needs"] > t["has"] + 1]
    assert not wide, wide


def test_board_table_keeps_measure_value_and_verdict_on_a_phone(page, app_server) -> None:
    """No table scrolls sideways (a scrolling region the keyboard cannot reach): the wide ones
    keep their first four columns, measure, value and verdict first."""
    tables = tables_on(page, f"{app_server}/board?board=childrens-trust", 390, "tables-board-390")
    wide = [t for t in tables if t["needs"] > t["has"] + 1]
    assert not wide, wide
    heads = page.locator('[data-testid="stTable"]').first.locator("thead th")
    names = [h.inner_text().strip() for h in heads.all()[:3]]
    assert names == ["Measure", "Luton", "vs England"]
    for i in range(3):
        box = heads.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (i, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 392


def test_overview_tables_fit_a_phone(page, app_server) -> None:
    """The overview's lists keep measure, value and their own column; the counts wrap."""
    tables = tables_on(page, f"{app_server}/", 390, "tables-overview-390")
    assert len(tables) >= 3, tables
    wide = [t for t in tables if t["needs"] > t["has"] + 1]
    assert not wide, wide
    counts = page.locator('[class*="st-key-fit-table-"] table').first
    assert counts.locator("thead th").all_inner_texts()[-1].strip() == "Not compared"
    box = counts.locator("thead th").last.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390


STATIC_WIDTHS = """() => [
  ...[...document.querySelectorAll('[data-testid="stTable"]')].map(el => [el, el]),
  ...[...document.querySelectorAll('[data-testid="stMarkdownContainer"] table')].map(
      t => [t, t.parentElement]),
].filter(([_, box]) => box && box.offsetParent !== null).map(([el, box]) => ({
  header: [...el.querySelectorAll('th')].map(h => h.textContent.trim()).join(' | ').slice(0, 120),
  needs: box.scrollWidth, has: box.clientWidth,
}))"""


def test_progress_tables_fit_a_phone(page, app_server) -> None:
    """Issue 18: the roll-up's target outcomes wrap whole and the status list keeps measure,
    status, value and gap on a 390 px screen without scrolling sideways."""
    tables_on(page, f"{app_server}/progress?by=outcome&track=off-track", 390, "tables-progress-390")
    tables = page.evaluate(STATIC_WIDTHS)
    assert any(t["header"].startswith("2040 target outcome") for t in tables), tables
    wide = [t for t in tables if t["needs"] > t["has"] + 1]
    assert not wide, wide
    heads = page.locator('[data-testid="stTable"]').first.locator("thead th")
    names = [h.inner_text().strip() for h in heads.all() if h.is_visible()]
    assert names == ["Measure", "Progress", "Value", "Gap to England"]
    for i in range(4):
        box = heads.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (i, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 392


@pytest.mark.parametrize(
    ("path", "shot"),
    [
        ("measure?m=life-expectancy-male&ranked=1&reported=1", "tables-measure-open-390"),
        ("wards?ranked=1", "tables-wards-ranked-390"),
        ("principle?principle=4", "tables-principle-390"),
    ],
)
def test_wrapping_tables_fit_a_phone(page, app_server, path, shot) -> None:
    """The ranked tables, the strategy documents' figures and a principle's table keep their
    first columns (name, value, verdict) whole on a 390 px screen, never scrolling sideways."""
    tables = tables_on(page, f"{app_server}/{path}", 390, shot)
    html = [t for t in tables if t["header"] and t["needs"] > t["has"] + 1]
    assert not [t for t in html if "Rank" in t["header"] or "Printed in" in t["header"]], html
    assert page.evaluate("document.documentElement.scrollWidth") <= 392


# the header cells a reader sees (display: none cells left out), table by table
SHOWN_HEADERS = """() => [...document.querySelectorAll('[data-testid="stTable"] table')]
  .filter(t => t.offsetParent !== null)
  .map(t => [...t.querySelectorAll('thead th')].filter(h => h.offsetParent !== null)
    .map(h => h.textContent.trim()))"""


def test_every_ward_table_fits_a_phone_with_its_names_values_and_verdicts(page, app_server) -> None:
    """At 390 px no table of the ward page scrolls sideways (the profile, neighbourhoods, ranked,
    inequality, composite and sensitivity tables are wrapping tables), and each keeps its name,
    value and verdict columns on screen."""
    url = f"{app_server}/wards?ward=E05014737&ranked=1&inequality=1&composite=1"
    tables = tables_on(page, url, 390, "tables-wards-all-390")
    page.locator('[data-testid="stTable"]').nth(5).wait_for()
    tables = page.evaluate(TABLE_WIDTHS)
    wide = [t for t in tables if t["needs"] > t["has"] + 1]
    assert not wide, wide
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    shown = page.evaluate(SHOWN_HEADERS)
    assert ["Measure", "Worst ward", "Best ward",
            "Gap, worst ward against best (positive = worse)"] in shown  # fmt: skip
    assert ["Ward", "Composite", "Rank (1 = best)", "Basic human needs"] in shown
    assert ["Ward", "Rank: equal weights", "Change (50/25/25 weights)",
            "Change (0-to-1 scaling)"] in shown  # fmt: skip
    assert len(shown) == 6, shown


@pytest.mark.parametrize("width", [1280, 390])
def test_methods_catalogue_and_link_keys_wrap_to_the_screen(page, app_server, width) -> None:
    """The methods page's catalogue and its table of link keys are wrapping HTML tables: at
    1,280 px every column is on screen with no sideways scroll; at 390 px each keeps its first
    columns (title, or key and where it is used) whole on screen."""
    tables_on(page, f"{app_server}/methods?catalogue=1", width, f"tables-methods-open-{width}")
    tables = page.evaluate(STATIC_WIDTHS)
    headers = [t["header"] for t in tables]
    assert any(h.startswith("Title | Unit | Polarity | Principles | Boards") for h in headers)
    assert any(h.startswith("Key | Used on | Meaning | Example") for h in headers), headers
    wide = [t for t in tables if t["needs"] > t["has"] + 1]
    assert not wide, wide
    assert page.locator('[data-testid="stDataFrame"]').count() == 0  # no scrolling grid left
    for key, shown in (("catalogue", 8), ("keys", 4)):
        cells = page.locator(f'[class*="st-key-phone-table-{key}"] thead th').all()
        visible = [c for c in cells if c.is_visible()]
        assert len(visible) == (shown if width == 1280 else min(shown, 4)), key
        for c in visible:
            box = c.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, key
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 2
