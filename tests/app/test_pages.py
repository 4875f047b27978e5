"""AppTest: every page for several home areas and every comparator group; deep links; bad links.

Each test opens the app the way a link does: query parameters set, the page chosen, one run.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lutonwb.catalogue import load_catalogue
from lutonwb.engine import VS_WORDS, Engine
from lutonwb.engine.vocab import METHOD_WORDS, QUINTILE_WORDS
from lutonwb.place import load_place
from lutonwb.ui.state import GROUP_IDS
from lutonwb.ui.widgets import measure_label, shown_share_link
from tests.conftest import SEEDS_DIR
from tests.plain_text import internals
from tests.tables import COLOUR_DIRECTIVE, static_tables

ROOT = Path(__file__).resolve().parents[2]
PAGES = {
    "": "pages/overview.py",
    "principle": "pages/principle.py",
    "board": "pages/board.py",
    "measure": "pages/measure.py",
    "methods": "pages/methods.py",
}
LUTON, SLOUGH, BIRMINGHAM, CORNWALL = "E06000032", "E06000039", "E08000025", "E06000052"
NAMES = {LUTON: "Luton", SLOUGH: "Slough", BIRMINGHAM: "Birmingham", CORNWALL: "Cornwall"}
CUSTOM = f"{SLOUGH},{BIRMINGHAM},{CORNWALL}"


@pytest.fixture(scope="module", autouse=True)
def _built(warehouse_dir):
    """Every test here needs the project warehouse (built once under a lock)."""
    return warehouse_dir


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


@pytest.fixture(scope="module")
def engine(wh, cat):
    return Engine(wh, cat)


def open_view(page: str, **params: str) -> AppTest:
    """The app as a link opens it: query parameters, then the page, then one run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(PAGES.get(page, page))  # a key of PAGES or a page script's path
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def text_of(at: AppTest) -> str:
    """All plain text the page drew (titles, headers, markdown, captions, text, warnings), the
    static tables aside (their cells are in tables())."""
    parts: list[str] = []
    tables = {t.text for t in static_tables(at) if hasattr(t, "text")}  # their cells: tables()
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "warning", "info"):
        parts += [str(e.value) for e in getattr(at, kind) if str(e.value) not in tables]
    shown = COLOUR_DIRECTIVE.sub(r"\1", "\n".join(parts))  # a rating's words, not its colour codes
    return re.sub(r"\\(.)", r"\1", shown)  # markdown escapes removed


def tables(at: AppTest) -> list[pd.DataFrame]:
    """Every table on the page: the static (wrapping) tables first, then the grids."""
    return [t.value for t in static_tables(at)] + [d.value for d in at.dataframe]


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has this column (AppTest does not expose table keys)."""
    return next(t for t in tables(at) if column in t.columns)


def share_link_of(at: AppTest) -> str:
    """The page's own shareable link (drawn as inline code at the foot of the page)."""
    link = shown_share_link([str(m.value) for m in at.markdown])
    assert link, "no share link on the page"
    return link


def view(at: AppTest) -> dict:
    """What a reader sees, reduced to comparable values (titles, tables, link, URL)."""
    return {
        "titles": [t.value for t in at.title],
        "headers": [h.value for h in at.header],
        "tables": [t.to_csv(index=False) for t in tables(at)],
        "link": share_link_of(at),
        "url": dict(at.query_params),
    }


CASES = [(LUTON, g) for g in GROUP_IDS] + [
    (a, g) for a in (SLOUGH, BIRMINGHAM, CORNWALL) for g in ("similar", "cssnbt-2025")
]


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize(("area", "cmp"), CASES)
def test_every_page_every_group(page: str, area: str, cmp: str) -> None:
    params = {"area": area, "cmp": cmp}
    if cmp == "custom":
        params["with"] = CUSTOM
    at = open_view(page, **params)
    assert not at.warning, [w.value for w in at.warning]
    url = dict(at.query_params)
    assert url["area"] == area and url["cmp"] == cmp
    assert at.selectbox(key="w_area").value == area
    assert at.selectbox(key="w_cmp").value == cmp
    if cmp == "custom":
        assert url["with"] == CUSTOM
        assert at.multiselect(key="w_with").value == CUSTOM.split(",")
    # the page's own shareable link is the canonical URL of this view
    link = share_link_of(at)
    assert (
        link.startswith(f"/{page}?" if page else "/?")
        and f"area={area}" in link
        and f"cmp={cmp}" in link
    )
    if page in ("principle", "board"):
        table = static_tables(at)[0].value
        assert NAMES[area] in table.columns  # the home area's own column
        assert table[NAMES[area]].astype(str).str.len().gt(0).sum() > 0


@pytest.mark.parametrize(
    ("area", "cmp"), [(LUTON, "cssnbt-2021"), (LUTON, "england"), (SLOUGH, "similar")]
)
def test_board_table_has_the_boards_measures_and_home_values(area, cmp, cat, engine, wh) -> None:
    at = open_view("board", area=area, cmp=cmp, board="childrens-trust", actions="1")
    assert at.title[0].value == "Children's Trust Board"
    table = static_tables(at)[0].value
    expected = engine.scorecard(area, cmp, board="childrens-trust")
    # each measure named with its unit, so the table needs no unit column
    labels = [measure_label(t, u) for t, u in zip(expected["title"], expected["unit"], strict=True)]
    assert list(table["Measure"]) == labels
    assert {m.title for m in cat.for_board("childrens-trust")} == set(expected["title"])
    home_col = NAMES[area]
    by_title = table.set_index("Measure")
    le = expected.set_index("measure_id").loc["life-expectancy-male"]
    assert 70 < le["value"] < 90  # a real life expectancy, in years
    row = f"{le['title']} (years)"
    assert by_title.loc[row, home_col] == f"{le['value']:,.1f}"
    assert by_title.loc[row, "England"] == f"{le['england']:,.1f}"
    assert by_title.loc[row, "Period"] == le["period"]
    # the first three columns are the ones a phone keeps: measure, value, verdict
    assert list(table.columns[:3]) == ["Measure", home_col, "vs England"]
    # every rating cell carries its word
    for col in [c for c in table.columns if c.startswith("vs ")]:
        words = set(table[col].str.split(r" \(|, ", regex=True).str[0])
        assert words <= set(VS_WORDS + QUINTILE_WORDS)  # significance words or a fifth
        rated = table[col][~table[col].isin(["Not compared"])]
        assert rated.str.contains(", ").all(), list(rated)  # each names how it was reached
    # the board's actions from the plan tracker
    if wh.has_table("plan_actions"):
        actions = table_with(at, "Action")
        assert len(actions) > 0 and {"Workstream", "Phase"} <= set(actions.columns)
        assert not any("_" in c for c in actions.columns)  # plain headers, no ids


def test_overview_headline_and_grids(engine) -> None:
    at = open_view("", area=LUTON, cmp="cssnbt-2021")
    text = text_of(at)
    place = load_place(ROOT / "data" / "places" / "luton")
    assert place.mission.text in text
    assert "Quoted from Director of Public Health candidate pack (December 2024)" in text
    assert ".txt" not in text  # readers see the document's title, never its file name
    sc = engine.scorecard(LUTON, "cssnbt-2021").set_index("measure_id")
    metrics = {m.label: m.value for m in at.metric}
    le = sc.loc["life-expectancy-female"]
    assert metrics[le["title"]] == f"{le['value']:,.1f} years"
    assert "1. Give every child the best start in life" in text
    assert "Children's Trust Board" in text
    assert {"Marmot principles", "Boards", "Where the gaps are", "Data freshness"} <= {
        h.value for h in at.header
    }


@pytest.mark.parametrize(
    ("cmp", "column", "label"),
    [("region", "vs_region", "vs the region: "), ("cssnbt-2021", "vs_group", "vs Statistical")],
)
def test_headline_cards_judge_against_the_chosen_comparator(engine, cmp, column, label) -> None:
    """With the region or a group chosen, each card says its verdict against it beside England's."""
    at = open_view("", area=LUTON, cmp=cmp)
    text = text_of(at)
    sc = engine.scorecard(LUTON, cmp).set_index("measure_id")
    verdict = sc.loc["healthy-life-expectancy-male", column]
    assert text.count(label) == 4
    assert verdict in ("Better", "Similar", "Worse")
    assert re.search(rf"{re.escape(label)}[^\]]*{verdict}\]", text)  # the card's own verdict
    assert text.count("vs England: ") == 4


@pytest.fixture
def downloads(monkeypatch) -> dict[str, tuple[str, object]]:
    """The deferred downloads each run registers: file id -> (file name, data callable).

    The CSV downloads build their bytes only when pressed, which AppTest cannot do; recording the
    callables lets a test read the CSV a reader would get.
    """
    from streamlit.runtime.media_file_manager import MediaFileManager

    seen: dict[str, tuple[str, object]] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        file_id = original(self, data_callable, mimetype, coordinates, file_name, **kw)
        seen[file_id] = (file_name or "", data_callable)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return seen


def test_overview_count_tables_have_csv_downloads(engine, cat, downloads) -> None:
    files, pages = {}, {}
    for vs in ("", "region", "group"):  # the open tab (only its counts are drawn)
        at = open_view("", area=LUTON, cmp="cssnbt-2021", **({"vs": vs} if vs else {}))
        pages[vs or "england"] = at
        for button in at.get("download_button"):
            if button.proto.HasField("deferred_file_id"):
                name, data = downloads[button.proto.deferred_file_id]
                files[name] = (button.label, data)
    sc = engine.scorecard(LUTON, "cssnbt-2021")
    cases = [
        ("principle", "Marmot principle", cat.principles, lambda m: m.principles),
        ("board", "Board", cat.boards, lambda m: m.boards),
    ]
    benchmarks = [("vs_england", "england"), ("vs_region", "region"),
                  ("vs_group", "statistical-neighbours-cssnbt-2021")]  # fmt: skip
    for (by, what, keys, of), (against, bench) in itertools.product(cases, benchmarks):
        name = f"luton-{by}-counts-against-{bench}.csv"  # names in words, never a code
        assert name in files, sorted(files)
        label, data = files[name]
        assert label == "Download table (CSV)"
        frame = pd.read_csv(io.BytesIO(data()))
        # plain headers: the name of each row, never its id
        assert list(frame.columns) == [
            what, "Measures", "Better", "Similar", "Worse", "Not tested", "Not compared"
        ]  # fmt: skip
        got = frame.set_axis([str(k) for k in keys])
        # the same counts as the engine's summary the page draws from, against that benchmark
        want = engine.summary(sc, by, against)
        want = want.assign(key=lambda d: d["key"].astype(str)).set_index("key")
        for col, src in [("Measures", "measures"), ("Better", "better"), ("Similar", "similar"),
                         ("Worse", "worse"), ("Not tested", "not_tested"),
                         ("Not compared", "not_compared")]:  # fmt: skip
            assert got.loc[want.index, col].tolist() == want[src].tolist(), (col, bench)
        # real numbers: each row adds up to the measures that serve it, as the catalogue says
        counts = got[["Better", "Similar", "Worse", "Not tested", "Not compared"]]
        assert (counts.sum(axis=1) == got["Measures"]).all()
        for key in keys:
            n = sum(1 for m in cat.measures.values() if key in of(m))
            assert got.loc[str(key), "Measures"] == n, key
        # and a markdown table on the page shows the same numbers
        page = pages["group" if against == "vs_group" else bench]
        tables = [m.value for m in page.markdown if m.value.startswith(f"| {what} |")]
        row = got.loc[str(next(iter(keys)))]
        cells = " | ".join(str(row[c]) for c in counts.columns)
        assert any(f"| {cells} |" in t for t in tables)
    # against England the counts differ from those against the group (what changed is named)
    assert "Against England" in [t.label for t in at.tabs]


def test_overview_draws_only_the_open_count_tab(downloads) -> None:
    """The count tabs are lazy: the link's `vs` opens one benchmark's tab in both tab sets and
    only its counts are drawn; a hostile value shows a notice and England's."""
    at = open_view("", area=LUTON, cmp="cssnbt-2021", vs="region")
    names = sorted(n for n, _ in downloads.values() if "-counts-" in n)
    assert names == [
        "luton-board-counts-against-region.csv", "luton-principle-counts-against-region.csv"
    ]  # fmt: skip
    assert [t.label for t in at.tabs][:3] == [
        "Against England",
        "Against the region",
        "Against statistical neighbours (CSSNBT 2021)",
    ]
    assert dict(at.query_params)["vs"] in ("region", ["region"])
    downloads.clear()
    at = open_view("", area=LUTON, cmp="cssnbt-2021", vs="<b>x</b>")
    assert any("Counts against" in w.value for w in at.warning)
    names = sorted(n for n, _ in downloads.values() if "-counts-" in n)
    assert names == [
        "luton-board-counts-against-england.csv", "luton-principle-counts-against-england.csv"
    ]  # fmt: skip
    assert "vs" not in dict(at.query_params)


def test_mission_is_quoted_from_the_cited_seed() -> None:
    mission = load_place(ROOT / "data" / "places" / "luton").mission
    seeds = SEEDS_DIR / mission.seed
    if not seeds.exists():
        pytest.skip("seed documents not available")
    assert mission.text in seeds.read_text(encoding="utf-8")


def test_measure_page_contents(engine) -> None:
    at = open_view("measure", area=LUTON, cmp="cssnbt-2021", m="life-expectancy-male", ranked="1")
    assert at.title[0].value == "Life expectancy at birth, males"
    headers = [h.value for h in at.header]
    assert {
        "Trend",
        "Breakdown",
        "England map",
        "Figures reported in the strategy documents",
    } <= set(headers)
    row = engine.scorecard(LUTON, "cssnbt-2021").set_index("measure_id").loc["life-expectancy-male"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Luton"] == f"{row['value']:,.1f} years"
    assert metrics["Rank (1 = best)"] == f"{int(row['rank'])} of {int(row['group_size'])}"
    captions = text_of(at)
    assert "Trend chart of Life expectancy at birth, males (years). Luton went from" in captions
    assert "Ranked bar chart of" in captions
    labels = [b.label for b in at.get("download_button")]
    assert (
        "Save chart (PNG)" in labels
        and "Save chart (SVG)" in labels
        and "Download table (CSV)" in labels
    )


def test_measure_page_names_the_source_of_the_figures_shown(cat, wh) -> None:
    # year-6 excess weight is bound to ONS ELS (listed first) and DfE LAIT; the engine shows the
    # series with the latest period among England and the authorities, so the page must name it
    m = cat.measures["overweight-obese-year-6"]
    ends = {}
    for b in m.data:
        v = wh.series_values([b.series])
        v = v[v["area_code"].str.match(r"E(92|06|08|09|10|11)")]
        ends[b.series] = v["period_end"].max()
    used = max(m.data, key=lambda b: (ends[b.series], -m.data.index(b)))
    other = next(b for b in m.data if b is not used)
    assert (used.source or m.source) != (other.source or m.source)
    text = text_of(open_view("measure", area=LUTON, m=m.id))
    assert f"| Source | {used.source or m.source} |" in text
    assert f"| Other sources we hold for it | {other.source or m.source} |" in text


def test_measure_page_draws_the_england_map() -> None:
    closed = open_view("measure", area=LUTON, cmp="cssnbt-2021", m="life-expectancy-male")
    # drawn only while open (it is the page's heaviest drawing); the link carries the choice
    assert not any("geoshape" in c.proto.spec for c in closed.get("vega_lite_chart"))
    at = open_view("measure", area=LUTON, cmp="cssnbt-2021", m="life-expectancy-male", map="1")
    assert dict(at.query_params)["map"] == "1"
    text = text_of(at)
    assert "not in this build" not in text
    assert "Map of England's upper-tier authorities for Life expectancy at birth, males" in text
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert any("geoshape" in s for s in specs), "no map chart on the page"


def test_measure_page_comparison_sentence_and_notes(engine) -> None:
    at = open_view("measure", area=LUTON, cmp="cssnbt-2021", m="life-expectancy-male", ranked="1")
    text = text_of(at)
    row = engine.scorecard(LUTON, "cssnbt-2021").set_index("measure_id").loc["life-expectancy-male"]
    assert "by not tested" not in text and "by no test" not in text
    assert row["vs_england_method"] == "source"
    assert "Compared with England using the source's own significance judgement" in text
    # the region figure is blank, and the page says why
    assert pd.isna(row["region"]) and row["region_note"]
    assert f"Region: {row['region_note']}" in text
    # the ranked table never prints None for a missing limit
    ranked = table_with(at, "vs group average")
    for col in ("Lower 95% limit", "Upper 95% limit", "Value (years)"):
        assert not ranked[col].isna().any() and "None" not in set(ranked[col].astype(str))
    assert ranked.loc[ranked["Area"] == "Luton", "Value (years)"].iloc[0] == f"{row['value']:,.1f}"
    # the trend method in words, never its code
    n = int(row["n_points"])
    assert f"Trend over the last {n} points, tested at 95% confidence" in text
    assert "ols" not in text.split() and "Measure id" not in text


def test_measure_page_not_tested_sentence(engine) -> None:
    sc = engine.scorecard(LUTON, "cssnbt-2021").set_index("measure_id")
    open_data = sc["value"].notna() & ~sc["reported_only"]
    mid = sc.index[(sc["vs_england_method"] == "quintile") & open_data][0]
    text = text_of(open_view("measure", area=LUTON, cmp="cssnbt-2021", m=mid))
    assert "Placed in fifths" in text and "by quintile" not in text


def test_measure_page_explains_no_trend(engine) -> None:
    sc = engine.scorecard(LUTON, "cssnbt-2021").set_index("measure_id")
    na = sc[(sc["trend"] == "Not applicable") & sc["value"].notna()]
    assert len(na) > 0
    mid = na.index[0]
    text = text_of(open_view("measure", area=LUTON, cmp="cssnbt-2021", m=mid))
    assert f"No trend is judged for this measure: {na.loc[mid, 'trend_method']}" in text


def test_measure_page_trend_marks_the_definition_change(engine) -> None:
    series = engine.measure_series("good-level-of-development", LUTON, "cssnbt-2021")
    if "before_break" not in series.columns or not series["before_break"].any():
        pytest.skip("this engine marks no series break")
    home = series[series["role"] == "home"].sort_values("period_start")
    first_after = home.loc[~home["before_break"].astype(bool), "period"].iloc[0]
    at = open_view("measure", area=LUTON, cmp="cssnbt-2021", m="good-level-of-development")
    text = text_of(at)
    assert f"so the trend uses {first_after} onwards only" in text
    spec = next(c.proto.spec for c in at.get("vega_lite_chart") if "trend" in c.proto.spec)
    marks = [la.get("mark", {}) for la in json.loads(spec)["layer"]]
    assert any(mk.get("type") == "rule" and mk.get("strokeDash") for mk in marks)  # the break
    assert any(mk.get("color") == "#8C8C8C" for mk in marks)  # earlier points in grey


def linked_actions(measure_id: str) -> set[str]:
    """Ids of the plan actions whose `measures` cell (';'-separated) names this measure, read
    straight from the raw CSV (not through the warehouse or the page's helpers)."""
    with open(
        ROOT / "data" / "raw" / "plan" / "plan_actions.csv", newline="", encoding="utf-8"
    ) as f:
        return {
            r["action_id"]
            for r in csv.DictReader(f)
            if measure_id in {x.strip() for x in (r["measures"] or "").split(";")}
        }


def test_measure_page_lists_the_plan_actions_aimed_at_it(cat) -> None:
    mid = "alcohol-admissions-under-18"  # linked from actions of two boards
    expected = linked_actions(mid)
    assert len(expected) >= 2
    at = open_view("measure", area=LUTON, cmp="cssnbt-2021", m=mid, actions="1")
    assert "Plan actions aiming to move this measure" in [h.value for h in at.header]
    actions = table_with(at, "Action")
    assert len(actions) == len(expected) and "action_id" not in actions.columns
    with open(
        ROOT / "data" / "raw" / "plan" / "plan_actions.csv", newline="", encoding="utf-8"
    ) as f:
        raw = {r["action_id"]: r for r in csv.DictReader(f) if r["action_id"] in expected}
    shown = set(zip(actions["Action"], actions["Board"], strict=True))
    for r in raw.values():
        assert (r["action"], cat.boards[r["board"]].title) in shown  # the board's title, not its id
    assert not actions["Target outcomes"].str.contains("pw-").any()  # outcome titles, no slugs
    assert len({r["board"] for r in raw.values()}) == 2
    text = text_of(at)
    assert f"{len(expected)} actions of the refreshed 2024-25 plan" in text
    assert any(b.proto.id.endswith("csv-measure-actions") for b in at.get("download_button"))


def test_measure_page_says_when_no_plan_action_is_aimed_at_it(cat) -> None:
    mid = next(i for i in sorted(cat.measures) if not linked_actions(i))
    at = open_view("measure", area=LUTON, cmp="cssnbt-2021", m=mid, actions="1")
    assert "No action in the year plan is linked to this measure." in text_of(at)
    assert not any("Action" in t.columns for t in tables(at))
    assert not any(b.proto.id.endswith("csv-measure-actions") for b in at.get("download_button"))


def test_principle_counts_add_up_to_the_measures(engine) -> None:
    at = open_view("principle", area=LUTON, cmp="cssnbt-2021", principle="3")
    text = text_of(at)
    sc = engine.scorecard(LUTON, "cssnbt-2021", principle=3)
    m = re.search(
        r"(\d+) measures serve this principle\. Against .*?: (\d+) better, (\d+) similar, "
        r"(\d+) worse, (\d+) not tested \(placed in fifths, or higher or lower only\), "
        r"(\d+) not compared \(no value or no benchmark figure\)",
        text,
    )
    assert m, text[:2000]
    total, *parts = (int(g) for g in m.groups())
    assert total == len(sc) and sum(parts) == total
    assert parts[3] == int(
        (
            sc["vs_group_method"].isin(["not tested", "quintile"])
            & (sc["vs_group"] != "Not compared")
        ).sum()
    )


@pytest.mark.parametrize(
    ("page", "params"),
    [("", {}), ("board", {"board": "at-place"}), ("measure", {"m": "good-level-of-development"}),
     ("measure", {"m": "life-expectancy-male"}), ("principle", {"principle": "1"})],
)  # fmt: skip
def test_every_page_has_the_same_default_comparator_in_its_link(page, params) -> None:
    at = open_view(page, area=LUTON, **params)
    assert at.selectbox(key="w_cmp").value == "england"
    assert dict(at.query_params)["cmp"] == "england"  # written into the link, never implied
    assert "cmp=england" in share_link_of(at)


def test_the_comparator_chosen_on_one_page_holds_on_the_next() -> None:
    at = open_view("", area=LUTON)
    at.selectbox(key="w_cmp").set_value("similar").run()
    at.switch_page(PAGES["measure"]).run()
    assert at.selectbox(key="w_cmp").value == "similar"
    assert dict(at.query_params)["cmp"] == "similar"


def test_methods_page_lists_keys_rules_and_missing(cat) -> None:
    at = open_view("methods", q="obesity", keys="1", missing="1")
    text = text_of(at)
    assert "95% confidence interval" in text
    keys = table_with(at, "Used on")
    assert set(keys["Key"]) >= {"area", "cmp", "with", "m", "board", "principle", "period"}
    catalogue = table_with(at, "Polarity")
    assert list(catalogue["Title"]) == [m.title for m in cat.search("obesity")]
    assert "id" not in catalogue.columns and catalogue["Headline"].isin(["Yes", ""]).all()
    assert "One comparator for every page: England unless you choose another" in text
    assert 0 < len(catalogue) < len(cat.measures)
    assert "CIPFA" in text  # why the seeds' adult comparator is missing
    subheaders = [h.value for h in at.subheader]
    assert "Which source a measure's figures come from" in subheaders
    assert "the one with the most recent data for England and the authorities" in text


def test_methods_page_shows_no_internals(cat) -> None:
    """Issue 18: readers see plain words on the methods page: no section signs, file or
    repository names, method codes, colour codes or snake_case (the link keys' own table, which
    documents the link's keys and values, aside), and every table header capitalised."""
    at = open_view("methods", catalogue="1", series="1", missing="1", glossary="1", keys="1")
    shown = [t for t in tables(at) if "Used on" not in t.columns]
    cells = "\n".join(t.to_csv(index=False) for t in shown)
    text = text_of(at)
    assert internals(text + "\n" + cells) == []
    assert all(str(c)[:1].isupper() for t in tables(at) for c in t.columns)
    # not found: what is missing and why, in a partner's words
    assert "CIPFA's nearest neighbours" in text and "licensed product" in text
    assert "could not be reached when this build was made" in text
    assert "PROVENANCE" not in text and "traffordDataLab" not in cells + text
    # the methods in the words the tables use beside each verdict
    assert f"“{METHOD_WORDS['ci (computed)']}”" in text
    assert f"“{METHOD_WORDS['reported']}”" in text
    # the colour key: each word drawn in its colour, the colour named, never its code
    colours = table_with(at, "Colour").set_index("Word")["Colour"]
    assert colours["Better"] == "Blue" and colours["Worse"] == "Vermilion (orange-red)"
    assert colours["Higher"] == "No colour"
    # an overall outcome is said to be one, never left blank
    catalogue = table_with(at, "Principles").set_index("Title")["Principles"]
    assert catalogue[cat.measures["life-expectancy-male"].title] == "All (overall outcome)"
    assert catalogue.ne("").all()
    why = table_with(at, "Why")["Why"]
    assert why.str[0].str.isupper().all()


@pytest.mark.parametrize(
    "measure",
    ["life-expectancy-male", "life-expectancy-female", "healthy-life-expectancy-male"],
)
def test_an_overall_outcome_names_all_principles_never_none(measure: str) -> None:
    at = open_view("measure", area=LUTON, cmp="england", m=measure)
    fields = next(
        str(m.value) for m in at.markdown if str(m.value).startswith("| About this measure |")
    )
    assert "| Marmot principles | An overall outcome of all eight Marmot principles |" in fields
    assert "| none |" not in fields


LINKS = [
    ("", {"area": SLOUGH, "cmp": "england"}),
    ("principle", {"area": LUTON, "cmp": "region", "principle": "4"}),
    ("board", {"area": BIRMINGHAM, "cmp": "cssnbt-2025", "board": "at-place"}),
    ("board", {"area": LUTON, "cmp": "custom", "with": CUSTOM, "board": "health-equity-town"}),
    ("measure", {"area": CORNWALL, "cmp": "all", "m": "infant-mortality"}),
    (
        "measure",
        {"area": LUTON, "cmp": "cssnbt-2021", "m": "life-expectancy-female", "period": "2020-22"},
    ),
    ("methods", {"q": "poverty"}),
]


@pytest.mark.parametrize(("page", "params"), LINKS)
def test_deep_links_reproduce_exact_views(page, params) -> None:
    first = open_view(page, **params)
    second = open_view(page, **params)  # a new session: nothing remembered
    assert view(first) == view(second)
    url = dict(first.query_params)
    for key, value in params.items():
        assert url[key] == value
    # the link the page shows opens the same view again
    link = share_link_of(first)
    query = dict(p.split("=", 1) for p in link.split("?", 1)[1].split("&"))
    assert view(open_view(page, **query)) == view(first)


def test_choices_survive_moving_between_pages() -> None:
    at = open_view("board", area=SLOUGH, cmp="england", board="community-safety")
    at.switch_page(PAGES["measure"]).run()  # the sidebar navigation drops the query string
    url = dict(at.query_params)
    assert url["area"] == SLOUGH and url["cmp"] == "england" and "m" in url
    at.switch_page(PAGES["board"]).run()
    assert dict(at.query_params)["board"] == "community-safety"
    assert at.title[0].value == "Community Safety Partnership"


def test_changing_the_comparator_rerates_and_updates_the_link() -> None:
    at = open_view("board", area=LUTON, cmp="cssnbt-2021", board="childrens-trust")
    before = static_tables(at)[0].value
    at.selectbox(key="w_cmp").set_value("england").run()
    assert dict(at.query_params)["cmp"] == "england"
    after = static_tables(at)[0].value
    # England is already a column of its own: no group columns repeat it
    assert "Group average" in before.columns and "vs group" in before.columns
    assert not any(c.startswith("Group average") for c in after.columns)
    assert "cmp=england" in share_link_of(at)
    at.selectbox(key="w_area").set_value(CORNWALL).run()
    assert (
        "Cornwall" in static_tables(at)[0].value.columns
        and dict(at.query_params)["area"] == CORNWALL
    )


def test_choosing_custom_starts_from_the_current_group() -> None:
    at = open_view("", area=LUTON, cmp="cssnbt-2021")
    at.selectbox(key="w_cmp").set_value("custom").run()
    url = dict(at.query_params)
    assert url["cmp"] == "custom" and len(url["with"].split(",")) >= 5
    assert not at.exception


def test_renamed_measure_ids_keep_working(cat) -> None:
    alias = next(a for a, mid in cat.aliases.items() if mid == "life-expectancy-male" and a != mid)
    at = open_view("measure", m=alias)
    assert at.title[0].value == "Life expectancy at birth, males"
    assert dict(at.query_params)["m"] == "life-expectancy-male"
    assert not at.warning


BAD = [
    ("", {"area": "XYZ"}, "Home area", {"area": LUTON}),
    ("", {"cmp": "<script>alert(1)</script>"}, "Comparator", {"cmp": "england"}),
    ("measure", {"m": "nope"}, "Measure", {"m": "life-expectancy-male"}),
    ("principle", {"principle": "99"}, "Marmot principle", {"principle": "1"}),
    ("board", {"board": "../../etc"}, "Board", {"board": "childrens-trust"}),
    (
        "board",
        {"cmp": "custom", "with": f"{SLOUGH},BAD"},
        "unknown code",
        {"cmp": "custom", "with": SLOUGH},
    ),
    ("", {"cmp": "custom", "with": "BAD"}, "no valid members", {"cmp": "england"}),
    ("measure", {"period": "<b>x</b>"}, "Period", {"period": "latest"}),
]


@pytest.mark.parametrize(("page", "params", "words", "fallback"), BAD)
def test_malformed_links_show_a_notice_and_fall_back(page, params, words, fallback) -> None:
    at = open_view(page, **params)
    notices = [w.value for w in at.warning]
    assert any(words in n for n in notices), notices
    assert not any("<" in n for n in notices)  # the bad value is never echoed as markup
    url = dict(at.query_params)
    for key, value in fallback.items():
        assert url[key] == value
    assert at.title  # the page still drew


def test_warm_rerun_is_cheap() -> None:
    import time

    at = open_view("board", area=LUTON, cmp="cssnbt-2021", board="childrens-trust")
    start = time.perf_counter()
    at.run()
    assert time.perf_counter() - start < 5  # generous: CI machines vary; locally ~0.2 s
    assert isinstance(static_tables(at)[0].value, pd.DataFrame)


def test_open_measure_button_carries_the_choices() -> None:
    at = open_view("board", area=SLOUGH, cmp="england", board="at-place")
    first = table_with(at, "Measure")["Measure"].iloc[0]
    at.button(key="board-open-go").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert first.startswith(f"{at.title[0].value} (")  # the table names it with its unit
    url = dict(at.query_params)
    assert url["area"] == SLOUGH and url["cmp"] == "england" and "m" in url


def test_reported_figures_cite_documents_by_title() -> None:
    at = open_view("measure", m="life-expectancy-male", area=LUTON, reported="1")
    docs = set(table_with(at, "Printed in")["Printed in"])  # document, section, table
    assert any(d.startswith("Annual Public Health Report 2023: Luton, a Health Equity Town, ")
               for d in docs), docs  # fmt: skip
    assert not any(".txt" in str(d) for d in docs), docs


@pytest.mark.parametrize("period", ["1950", "2099", "2019-20", "Jan 2020", "2020 Q1"])
def test_overview_survives_a_well_formed_period_with_no_data(period) -> None:
    at = open_view("", area=LUTON, period=period)  # open_view asserts no exception
    notices = [n.value for n in at.warning] + [n.value for n in at.info]
    assert any("measure" in n and "data for Luton" in n for n in notices), notices
    assert at.title[0].value and "Where the gaps are" in [h.value for h in at.header]


def test_period_control_offers_only_the_boards_periods_newest_first(engine) -> None:
    from lutonwb.ui.state import period_order, period_words

    at = open_view("board", area=LUTON, board="health-protection")
    options = at.selectbox(key="w_period").options
    sc = engine.scorecard(LUTON, "england", board="health-protection")
    have = {str(p) for p in sc.loc[sc["value"].notna(), "period"]}
    shown = [o for o in options if o != "Latest for each measure"]
    assert shown and len(shown) == len(have)
    assert shown[0] == period_words(max(have, key=period_order))  # newest first, in words


def test_reported_only_measure_headline_reads_like_any_other(engine) -> None:
    """A measure with no open data leads with the documents' latest figure, its period and the
    document it comes from, in the same headline as an open measure."""
    mid = "minimum-income-standard-destitution"
    row = engine.scorecard(LUTON, "england").set_index("measure_id").loc[mid]
    at = open_view("measure", m=mid, area=LUTON)
    metrics = {e.label: e.value for e in at.metric}
    assert metrics["Luton"] == "10.5%" and row["value"] == 10.5
    assert f"Luton, {row['period']}" in [h.value for h in at.header]
    text = text_of(at)
    assert "Figure reported in Annual Public Health Report 2023" in text
    assert "seed" not in text.lower() and ".txt" not in text


def test_measure_page_region_note_agrees_with_the_reported_figures() -> None:
    """Life expectancy: no region figure in the open data, East of England's in the documents."""
    at = open_view("measure", area=LUTON, cmp="england", m="life-expectancy-male", reported="1")
    text = text_of(at)
    assert "the source publishes no" not in text
    assert (
        "Region: the open data has no figure for East of England; the strategy documents report "
        "one" in text
    )
    reported = table_with(at, "Value as printed")
    assert "East of England" in set(reported["Area"])


def test_a_gap_reads_the_same_on_the_overview_and_the_measure_page(engine, downloads) -> None:
    # issue 18: the overview said -x% (negative = worse) where the measure page said positive =
    # worse; now every page says "x% worse than England" and a CSV's positive number is worse
    from lutonwb import highlights

    sc = engine.scorecard(LUTON, "england")
    top = highlights.biggest_gaps(sc).iloc[0]
    r = sc.set_index("measure_id").loc[top["measure_id"]]
    sign = -1 if r["polarity"] == "higher-better" else 1
    pct = sign * (r["value"] - r["england"]) / abs(r["england"]) * 100
    assert r["vs_england"] == "Worse" and pct > 0
    words = f"{abs(pct):,.1f}% worse than England"
    at = open_view("", area=LUTON, cmp="england")
    gaps_shown = table_with(at, "Gap to England")
    assert gaps_shown["Gap to England"].iloc[0] == words
    assert gaps_shown["Gap to England"].str.endswith("% worse than England").all()
    files = {downloads[b.proto.deferred_file_id][0]: downloads[b.proto.deferred_file_id][1]
             for b in at.get("download_button") if b.proto.HasField("deferred_file_id")}  # fmt: skip
    csv_gaps = pd.read_csv(io.BytesIO(files["biggest-gaps.csv"]()))
    header = "Gap to England (% of England's value; positive = worse, or higher if no polarity)"
    assert csv_gaps[header].iloc[0] == pytest.approx(round(pct, 1)) and (csv_gaps[header] > 0).all()
    page = open_view("measure", area=LUTON, cmp="england", m=top["measure_id"])
    assert f"Gap to England: **{words}**." in [m.value for m in page.markdown]


def test_the_board_table_gives_each_gap_in_words_with_its_sign(engine) -> None:
    at = open_view("board", area=LUTON, cmp="england", board="health-equity-town")
    shown = static_tables(at)[0].value
    sc = engine.scorecard(LUTON, "england", board="health-equity-town")
    words = dict(zip(shown["Measure"], shown["Gap to England"], strict=True))
    for r in sc.to_dict("records"):
        label = measure_label(r["title"], r["unit"])
        if pd.isna(r["value"]) or pd.isna(r["england"]) or r["england"] == 0:
            assert words[label] == ""
            continue
        worse = (r["value"] - r["england"]) * (-1 if r["polarity"] == "higher-better" else 1) > 0
        if r["polarity"] == "none":
            assert words[label].endswith(("higher than England", "lower than England"))
        elif round(abs(r["value"] - r["england"]) / abs(r["england"]) * 100, 1) > 0:
            assert words[label].endswith("worse than England" if worse else "better than England")


def test_the_fuel_poverty_verdict_names_its_series() -> None:
    # issue 18: two fuel-poverty definitions exist; the page says which one it compares, from data
    at = open_view("measure", area=LUTON, cmp="england", m="fuel-poverty")
    text = text_of(at)
    assert "on one data series: Fuel poverty (low income low energy efficiency)" in text
    assert "2019 to 2022" in text
    old = open_view("measure", area=LUTON, cmp="england", m="fuel-poverty-lihc")
    assert "Fuel poverty (low income high costs), % of households, 2012 to 2018" in text_of(old)


def test_methods_page_explains_words_and_abbreviations() -> None:
    at = open_view("methods", glossary="1")
    frame = next(t.value for t in static_tables(at) if "Word or abbreviation" in t.value.columns)
    words = dict(zip(frame["Word or abbreviation"], frame["Meaning"], strict=True))
    assert words["JSNA"].startswith("Joint Strategic Needs Assessment")
    assert words["HETP"] == "Health Equity Town Partnership"  # the place's own list
    assert "Slope index of inequality" in words and "glossary" in {h.anchor for h in at.header}


@pytest.mark.parametrize("page", ["pages/wards.py", "pages/plan.py"])
def test_the_comparator_passes_through_the_ward_and_plan_pages(page, tmp_path, monkeypatch) -> None:
    """/wards and /plan compare with nothing but keep cmp in their link, and the next page (the
    sidebar drops the query string: the session's memory carries it) keeps the reader's choice."""
    monkeypatch.setenv("LUTONWB_TRACKER_DB", str(tmp_path / "tracker.duckdb"))
    at = open_view(page, cmp="region")
    assert dict(at.query_params)["cmp"] == "region"
    for key in list(at.query_params):
        del at.query_params[key]  # as a sidebar link opens the next page: no query string
    at.switch_page(PAGES["measure"]).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key="w_cmp").value == "region"
    assert dict(at.query_params)["cmp"] == "region"


def test_methods_catalogue_and_link_keys_are_wrapping_tables_with_csvs(cat, downloads) -> None:
    """Both wrap (HTML tables: every column at 1,280 px, no scrolling grid), the catalogue still
    behind its section, and each has a readers' CSV beside it with the same plain headers."""
    at = open_view("methods", catalogue="1", keys="1")
    assert not at.dataframe  # no grid left on the page
    shown = {tuple(t.value.columns): t.value for t in static_tables(at)}
    catalogue = shown[("Title", "Unit", "Polarity", "Principles", "Boards", "Headline", "Data",
                       "Source")]  # fmt: skip
    assert len(catalogue) == len(cat.measures)
    keys = shown[("Key", "Used on", "Meaning", "Example")]
    assert {"m", "cmp", "catalogue"} <= set(keys["Key"])
    files = {}
    for button in at.get("download_button"):
        if button.proto.HasField("deferred_file_id"):
            name, data = downloads[button.proto.deferred_file_id]
            files[name] = (button.label, pd.read_csv(io.BytesIO(data())))
    for name, frame in (("catalogue.csv", catalogue), ("deep-link-keys.csv", keys)):
        label, csv = files[name]
        assert label == "Download table (CSV)" and list(csv.columns) == list(frame.columns)
        assert csv.iloc[:, 0].tolist() == frame.iloc[:, 0].tolist()
    closed = open_view("methods")
    assert not [t for t in static_tables(closed) if "Polarity" in t.value.columns]
