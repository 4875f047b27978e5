"""Tables show their numbers: at 1,280 px no table on a board page, the overview or the other
pages built from lutonwb.ui.widgets.table scrolls sideways; at 390 px the board's tables keep
their first columns (measure, value and verdict) on screen without scrolling sideways. No page
draws a scrolling grid (st.dataframe): the measure's breakdown, the overview's data freshness,
the tracker's actions, every table of /progress and the methods page's tables are HTML tables
that screen readers read, each keeping its first four columns on a phone."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

# Every table on the page: Streamlit's HTML tables (st.table, the markdown tables every static
# table is drawn as) and its canvas grids (st.dataframe), with the width each needs and the
# width it has.
# An st.table scrolls inside the box around its <table> (the stTable element itself clips), so
# that box is the one measured.
TABLE_WIDTHS = """() => [
  ...[...document.querySelectorAll('[data-testid="stTable"] table')].map(t => [t, t.parentElement]),
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
    pg.locator('[data-testid="stMain"] table, [data-testid="stDataFrame"]').first.wait_for()
    pg.wait_for_timeout(1500)  # grids size their columns after drawing
    widths = pg.evaluate(TABLE_WIDTHS)
    for _ in range(20):  # a busy machine lays a long page out late: wait until it holds still
        pg.wait_for_timeout(500)
        again = pg.evaluate(TABLE_WIDTHS)
        if again == widths:
            break
        widths = again
    screenshot(pg, shot)
    return widths


@pytest.mark.parametrize(
    ("path", "shot"),
    [
        ("board?board=childrens-trust", "tables-board-1280"),
        ("board?board=health-equity-town&cmp=similar", "tables-board-group-1280"),
        ("", "tables-overview-1280"),
        ("principle?principle=4", "tables-principle-1280"),
        ("methods", "tables-methods-1280"),
        ("wards?ward=E05014737", "tables-wards-1280"),
        ("progress", "tables-progress-1280"),
        ("measure?m=life-expectancy-male&ranked=1&reported=1", "tables-measure-open-1280"),
        ("wards?ranked=1&composite=1", "tables-wards-open-1280"),
        ("measure?m=life-expectancy-male&breakdown=1", "tables-measure-breakdown-1280"),
        ("plan", "tables-plan-1280"),
    ],
)
def test_no_table_scrolls_sideways_at_1280(page, app_server, path, shot) -> None:
    tables = tables_on(page, f"{app_server}/{path}", 1280, shot)
    assert len(tables) >= 1, tables
    wide = [t for t in tables if t["needs"] > t["has"] + 1]
    assert not wide, wide


# The last column of the first table: the right edges of its header, of the table's visible box
# and of its widest cell's text, and whether any cell's text is wider than its cell.
LAST_COLUMN = """() => {
  const t = document.querySelector('[class*="st-key-phone-table-"] table');
  const box = t.parentElement.getBoundingClientRect();
  const heads = t.querySelectorAll('thead th');
  const last = heads[heads.length - 1];
  const cells = [last, ...t.querySelectorAll('tbody tr > :last-child')];
  const texts = cells.map(c => c.querySelector('p') || c);
  return {
    header: last.textContent.trim(), columns: heads.length,
    right: Math.max(...cells.map(c => c.getBoundingClientRect().right)),
    textRight: Math.max(...texts.map(p => p.getBoundingClientRect().right)),
    boxRight: box.right,
    cut: texts.filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.textContent.slice(0, 40)),
  };
}"""


@pytest.mark.parametrize(
    ("path", "columns"),
    [
        ("principle?principle=1", 11),
        ("board?board=childrens-trust", 11),
        ("board?board=health-equity-town&cmp=similar", 13),
        ("principle?principle=4&cmp=cssnbt-2021", 13),
    ],
)
def test_performance_table_shows_every_column_at_1280(page, app_server, path, columns) -> None:
    """At 1,280 px with the sidebar open the performance table needs no more width than it has
    and its last column, the strategy's own rating, is on screen whole, not cut mid-word."""
    shot = "tables-performance-" + re.sub(r"\W+", "-", path) + "-1280"
    tables = tables_on(page, f"{app_server}/{path}", 1280, shot)
    assert page.locator('[data-testid="stSidebar"]').first.is_visible()  # the sidebar is open
    wide = [t for t in tables if t["needs"] > t["has"] + 1]
    assert not wide, wide
    last = page.evaluate(LAST_COLUMN)
    assert last["header"] == "Strategy's own rating" and last["columns"] == columns, last
    assert last["right"] <= last["boxRight"] + 1, last
    assert last["textRight"] <= last["boxRight"] + 1, last
    assert not last["cut"], last
    ratings = page.locator(
        '[class*="st-key-phone-table-"] table tbody tr > :last-child'
    ).all_inner_texts()
    assert any(r.startswith("England: ") for r in ratings), ratings


def test_board_table_keeps_measure_value_and_verdict_on_a_phone(page, app_server) -> None:
    """No table scrolls sideways (a scrolling region the keyboard cannot reach): the wide ones
    keep their first four columns, measure, value and verdict first."""
    tables = tables_on(page, f"{app_server}/board?board=childrens-trust", 390, "tables-board-390")
    wide = [t for t in tables if t["needs"] > t["has"] + 1]
    assert not wide, wide
    heads = page.locator('[class*="st-key-phone-table-"] table').first.locator("thead th")
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


# The words of these cells that the browser has split over two lines (a word's letters on more
# than one line); a word with a hyphen or slash may break there and is left out.
SPLIT_WORDS = """sel => {
  const out = [];
  document.querySelectorAll(sel).forEach(cell => {
    if (cell.offsetParent === null) return;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const re = /\\S+/g;
      let m;
      while ((m = re.exec(n.data))) {
        if (/[-\\/\u2013]/.test(m[0])) continue;
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
        if (lines.size > 1) out.push(m[0]);
      }
    }
  });
  return out;
}"""


@pytest.mark.parametrize(
    ("path", "shot"),
    [("", "tables-overview-words-390"), ("board?board=childrens-trust", "tables-board-words-390")],
)
def test_phone_headers_wrap_at_spaces_never_inside_a_word(page, app_server, path, shot) -> None:
    """At 390 px a header wraps between its words ('Not / compared', never 'Not compar / ed'),
    and the names in a table of counts keep their words whole ('discrimination,' not
    'discrimination / ,'), while no table scrolls sideways."""
    tables = tables_on(page, f"{app_server}/{path}", 390, shot)
    wide = [t for t in tables if t["needs"] > t["has"] + 1]
    assert not wide, wide
    heads = '[data-testid="stMain"] table th'
    assert page.locator(heads).count() >= 5
    assert page.evaluate(SPLIT_WORDS, heads) == []
    names = '[class*="st-key-fit-table-"] table td:first-child'
    assert page.evaluate(SPLIT_WORDS, names) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 392


STATIC_WIDTHS = """() => [
  ...[...document.querySelectorAll('[data-testid="stTable"] table')].map(t => [t, t.parentElement]),
  ...[...document.querySelectorAll('[data-testid="stMarkdownContainer"] table')].map(
      t => [t, t.parentElement]),
].filter(([_, box]) => box && box.offsetParent !== null).map(([el, box]) => ({
  header: [...el.querySelectorAll('th')].map(h => h.textContent.trim()).join(' | ').slice(0, 120),
  needs: box.scrollWidth, has: box.clientWidth,
}))"""


def test_progress_tables_fit_a_phone(page, app_server) -> None:
    """Issue 18: the roll-up's target outcomes wrap whole and the status list keeps measure,
    status, value and gap on a 390 px screen without scrolling sideways."""
    tables_on(
        page,
        f"{app_server}/progress?by=outcome&track=off-track",
        390,
        "tables-progress-390",
    )
    tables = page.evaluate(STATIC_WIDTHS)
    assert any(t["header"].startswith("2040 target outcome") for t in tables), tables
    wide = [t for t in tables if t["needs"] > t["has"] + 1]
    assert not wide, wide
    heads = page.locator('[class*="st-key-phone-table-"] table').first.locator("thead th")
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
SHOWN_HEADERS = """() => [...document.querySelectorAll('[data-testid="stTable"] table, [class*="st-key-phone-table-"] table')]
  .filter(t => t.offsetParent !== null)
  .map(t => [...t.querySelectorAll('thead th')].filter(h => h.offsetParent !== null)
    .map(h => h.textContent.trim()))"""


def test_every_ward_table_fits_a_phone_with_its_names_values_and_verdicts(page, app_server) -> None:
    """At 390 px no table of the ward page scrolls sideways (the map's legend and the profile,
    neighbourhoods, ranked, inequality, composite and sensitivity tables are HTML tables), and
    each keeps its name, value and verdict columns on screen; the legend keeps all three."""
    url = f"{app_server}/wards?ward=E05014737&ranked=1&inequality=1&composite=1"
    tables = tables_on(page, url, 390, "tables-wards-all-390")
    page.locator('[data-testid="stTable"] table, [class*="st-key-phone-table-"] table').nth(
        6
    ).wait_for()
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
    assert shown[0] == ["Colour", "Class", "Areas"]  # the legend, its swatches beside words
    assert len(shown) == 7, shown
    assert page.locator('[data-testid="stDataFrame"]').count() == 0  # no scrolling grid


@pytest.mark.parametrize("width", [1280, 390])
def test_methods_catalogue_and_link_keys_wrap_to_the_screen(page, app_server, width) -> None:
    """The methods page's catalogue and its table of link keys are wrapping HTML tables: at
    1,280 px every column is on screen with no sideways scroll; at 390 px each keeps its first
    columns (title, or key and where it is used) whole on screen."""
    url = f"{app_server}/methods?catalogue=1&keys=1"
    tables_on(page, url, width, f"tables-methods-open-{width}")
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


GAP_HEADER = "Gap, most against least deprived fifth (percentage points; positive = worse)"
FUNNEL_FIRST = ["Area", "Value", "Position", "Position (limits adjusted for overdispersion)"]
# (page, what to open on it, the table's key as its class names it, its first four headers)
STATIC_TABLES = [
    ("measure?m=life-expectancy-male&breakdown=1", None, "breakdown",
     ["Group", "Value (years)", "vs England", "England"]),
    ("", "Latest period of every data series", "freshness",
     ["Indicator", "Latest period", "Areas"]),
    ("plan", re.compile(r"Board \(\d+\)"), "plan_group_",
     ["Action", "Status", "Last update", "Phase"]),
    ("progress", None, "progress-designation-table",
     ["Measure", "Difference", "Against the group", "Change (home area)"]),
    ("progress", None, "inside-0",
     ["Year", GAP_HEADER, "Most deprived fifth (%)", "Least deprived fifth (%)"]),
    ("progress", None, "inside-2",
     ["Ward", "Places moved (positive = more deprived)",
      "Rank in the place, IMD 2019 (1 = most deprived)",
      "Rank in the place, IoD 2025 (1 = most deprived)"]),
    ("progress", None, "funnel-", FUNNEL_FIRST),
    ("methods", None, "colours", ["Word", "Colour", "Meaning"]),
    ("methods?series=1", None, "series", ["Indicator", "From", "To", "Latest period"]),
]  # fmt: skip


def open_static_table(pg, url: str, width: int, opener, key: str, shot: str):
    """The page at this width with the table's expander opened; the table's first copy (its
    container is keyed `phone-table-KEY`), once drawn."""
    pg.set_viewport_size({"width": width, "height": 900})
    pg.goto(url)
    wait_for_app(pg)
    if opener is not None:
        pg.locator('[data-testid="stExpander"] summary').filter(has_text=opener).first.click()
    box = pg.locator(f'[class*="st-key-phone-table-{key}"]').first
    box.locator("thead th").first.wait_for()
    box.scroll_into_view_if_needed()
    pg.wait_for_timeout(500)
    screenshot(pg, shot)
    return box


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(
    ("path", "opener", "key", "first"), STATIC_TABLES, ids=[t[2] for t in STATIC_TABLES]
)
def test_former_grids_are_static_tables_that_fit(
    page, app_server, width, path, opener, key, first
) -> None:
    """Each table that was a scrolling grid is an HTML table (screen readers read its cells): at
    1,280 px every column is on screen, at 390 px its first four (name, value, verdict) are, and
    neither it nor the page scrolls sideways; the page draws no grid at all."""
    url = f"{app_server}/{path}"
    box = open_static_table(page, url, width, opener, key, f"tables-static-{key}-{width}")
    assert page.locator('[data-testid="stDataFrame"]').count() == 0  # no scrolling grid
    assert box.locator("table tbody tr").count() >= 2
    heads = box.locator("thead th").all()
    names = [h.inner_text().strip() for h in heads]
    visible = [n for h, n in zip(heads, names, strict=True) if h.is_visible()]
    assert names[: len(first)] == first, names
    assert visible == (names if width == 1280 else names[:4]), visible
    for h in [h for h in heads if h.is_visible()]:
        b = h.bounding_box()
        assert b is not None and b["x"] >= 0 and b["x"] + b["width"] <= width, (key, b)
    wide = [t for t in page.evaluate(STATIC_WIDTHS) if t["needs"] > t["has"] + 1]
    assert not wide, wide
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 2


def test_designation_verdicts_keep_their_colour_with_the_word(page, app_server) -> None:
    """The before-and-after table's verdict against the group is its word on its colour, the
    word always written (Better, Similar, Worse; Higher and Lower are not coloured)."""
    box = open_static_table(page, f"{app_server}/progress", 1280, None,
                            "progress-designation-table", "tables-designation-1280")  # fmt: skip
    cells = box.locator("tbody tr td:nth-child(3)").all()
    words = [c.inner_text().strip() for c in cells]
    assert words and all(words), words
    on_colour = "e => getComputedStyle(e.querySelector('.stMarkdownColoredBackground') || e)"
    fills = [c.evaluate(on_colour + ".backgroundColor") for c in cells]
    colours = {"Better": "rgb(0, 114, 178)", "Similar": "rgb(255, 191, 0)",
               "Worse": "rgb(213, 94, 0)"}  # fmt: skip
    assert set(words) & set(colours), words
    for word, fill in zip(words, fills, strict=True):
        if word in colours:
            assert fill == colours[word], (word, fill)
        else:
            assert fill not in colours.values(), (word, fill)


# Each word of each header of the progress page's counts, and how many line boxes it takes (a
# word broken inside itself, "Mea sure s", takes two or more), with the header's box.
HEADER_WORDS = """() => {
  const t = document.querySelector('[class*="st-key-fit-table-progress-by-"] table');
  return [...t.querySelectorAll('thead th')].flatMap(th => {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    const out = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (const m of n.textContent.matchAll(/\\S+/g)) {
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        const box = th.getBoundingClientRect();
        out.push({word: m[0], boxes: r.getClientRects().length, right: box.right});
      }
    }
    return out;
  });
}"""


@pytest.mark.parametrize("by", ["outcome", "board", "principle"])
def test_progress_count_headers_keep_their_words_whole_on_a_phone(page, app_server, by) -> None:
    """At 390 px the counts' headers broke inside words ("Mea sure s", "Targ et met"): each
    header word now sits whole on one line, and the table still fits the screen."""
    tables = tables_on(page, f"{app_server}/progress?by={by}", 390, f"tables-progress-by-{by}-390")
    wide = [t for t in tables if t["needs"] > t["has"] + 1]
    assert not wide, wide
    words = page.evaluate(HEADER_WORDS)
    assert {"Measures", "Target", "progress", "assessable"} <= {w["word"] for w in words}
    broken = [w for w in words if w["boxes"] != 1]
    assert not broken, broken
    assert max(w["right"] for w in words) <= 390
