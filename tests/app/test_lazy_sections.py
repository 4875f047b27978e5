"""AppTest: sections below the fold are drawn only while open (lutonwb.ui.sections), for Luton.

Closed by default: the heading and the closed expander are there, nothing inside it. A link with
the section's URL key opens it (content drawn, the key kept in the link and the page's own link);
a hostile value shows the parser's notice and the section stays closed.
"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lutonwb.catalogue import Catalogue, load_catalogue
from lutonwb.engine import Engine
from lutonwb.ui.sections import widget_key
from tests.app.test_pages import LUTON, open_view, share_link_of, table_with, tables, text_of
from tests.tables import static_tables

# (page, the view's own params, section key, the section's heading)
SECTIONS = [
    ("measure", {"m": "life-expectancy-male"}, "ranked", "England: ranked"),
    ("measure", {"m": "infant-mortality"}, "breakdown", "Breakdown"),
    ("measure", {"m": "life-expectancy-male"}, "map", "England map"),
    ("measure", {"m": "life-expectancy-male"}, "reported",
     "Figures reported in the strategy documents"),
    ("measure", {"m": "alcohol-admissions-under-18"}, "actions",
     "Plan actions aiming to move this measure"),
    ("board", {"board": "childrens-trust"}, "spine", "Spine chart"),
    ("board", {"board": "childrens-trust"}, "actions", "Actions from the plan"),
    ("methods", {}, "catalogue", "The catalogue"),
    ("methods", {}, "series", "Data series and their periods"),
    ("methods", {}, "missing", "What is missing, and why"),
    ("methods", {}, "glossary", "Words and abbreviations"),
    ("methods", {}, "keys", "Links to an exact view"),
    ("pages/wards.py", {}, "ranked", "Ranked table"),
    ("pages/wards.py", {}, "inequality", "Inequality inside Luton"),
    ("pages/wards.py", {}, "composite", "Thriving wards composite: method and sensitivity"),
    ("pages/plan.py", {}, "timeline", "Timeline of the plan phases"),
]  # fmt: skip
IDS = [f"{page.split('/')[-1]}-{key}" for page, _, key, _ in SECTIONS]


@pytest.fixture(scope="module", autouse=True)
def _built(warehouse_dir):
    return warehouse_dir


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def engine(wh, cat) -> Engine:
    return Engine(wh, cat)


def section(at: AppTest, heading: str):
    """The expander of the section under this heading (a header or subheader on the page), found
    by its widget key, which holds the section's URL key."""
    assert heading in [h.value for h in [*at.header, *at.subheader]], heading
    key = next((k for _, _, k, h in SECTIONS if h == heading), "ranked")  # '<group>: ranked'
    wanted = widget_key(key)
    return next(e for e in at.expander if e.proto.id.endswith(f"-{wanted}"))


def drawn(box) -> int:
    """How many elements the section drew inside its expander."""
    return len(box.children)


@pytest.mark.parametrize(("page", "params", "key", "heading"), SECTIONS, ids=IDS)
def test_closed_by_default_open_by_link(page, params, key, heading) -> None:
    closed = open_view(page, **params)
    assert drawn(section(closed, heading)) == 0, "a closed section draws nothing"
    assert key not in dict(closed.query_params)
    opened = open_view(page, **params, **{key: "1"})
    assert drawn(section(opened, heading)) > 0
    assert dict(opened.query_params)[key] == "1"
    link = share_link_of(opened)  # the ward maps show theirs as every page does
    assert f"{key}=1" in link  # the page's own link opens the same section
    assert not opened.warning


@pytest.mark.parametrize(("page", "params", "key", "heading"), SECTIONS, ids=IDS)
def test_a_hostile_value_shows_a_notice_and_stays_closed(page, params, key, heading) -> None:
    at = open_view(page, **params, **{key: "<b>x</b>"})
    notices = [n.value for n in at.warning] + [n.value for n in at.info]
    assert any("is not 1 or 0" in n and "stays closed" in n for n in notices), notices
    assert not any("<" in n for n in notices)
    assert drawn(section(at, heading)) == 0
    assert key not in dict(at.query_params)


def test_the_open_ranked_section_shows_the_engine_values(engine: Engine) -> None:
    at = open_view("measure", area=LUTON, cmp="cssnbt-2021", m="life-expectancy-male", ranked="1")
    row = engine.scorecard(LUTON, "cssnbt-2021").set_index("measure_id").loc["life-expectancy-male"]
    ranked = table_with(at, "vs group average")
    assert ranked.loc[ranked["Area"] == "Luton", "Value (years)"].iloc[0] == f"{row['value']:,.1f}"
    assert len(ranked) == int(row["group_size"])
    closed = open_view("measure", area=LUTON, cmp="cssnbt-2021", m="life-expectancy-male")
    assert not any("vs group average" in t.columns for t in tables(closed))
    assert "Ranked bar chart of" not in text_of(closed)


def test_the_open_spine_section_draws_the_chart() -> None:
    at = open_view("board", area=LUTON, board="childrens-trust", spine="1")
    assert len(at.get("vega_lite_chart")) == 1  # the board page's only chart
    assert "The figures behind each row, in the chart's order:" in text_of(at)
    closed = open_view("board", area=LUTON, board="childrens-trust")
    assert not closed.get("vega_lite_chart")


def test_the_open_timeline_draws_the_plan_chart() -> None:
    at = open_view("pages/plan.py", board="at-place", timeline="1")
    assert len(at.get("vega_lite_chart")) == 1  # the tracker's only chart
    closed = open_view("pages/plan.py", board="at-place")
    assert not closed.get("vega_lite_chart")
    assert not [t for t in closed.text if t.value.startswith(("Start well", "Live well"))]


def test_a_search_opens_the_catalogue() -> None:
    at = open_view("methods", q="obesity")
    catalogue = table_with(at, "Polarity")
    assert len(catalogue) > 0 and catalogue["Title"].str.contains("besity").any()
    assert at.text_input(key="w_q").value == "obesity"
    closed = open_view("methods")
    assert not any("Polarity" in t.columns for t in tables(closed))  # wrapping tables and grids
    assert any(
        "Polarity" in t.value.columns for t in static_tables(at)
    )  # the catalogue wraps, no grid


def test_a_reported_only_measure_shows_its_figures_without_opening(cat) -> None:
    mid = next(i for i, m in sorted(cat.measures.items()) if m.reported_only)
    at = open_view("measure", m=mid)
    assert isinstance(table_with(at, "Printed in"), pd.DataFrame)  # the page's main content


def test_sections_stay_open_when_the_comparator_changes() -> None:
    at = open_view("measure", area=LUTON, cmp="england", m="life-expectancy-male", ranked="1")
    at.selectbox(key="w_cmp").set_value("cssnbt-2021").run()
    assert dict(at.query_params)["ranked"] == "1"
    heading = next(h.value for h in at.header if h.value.endswith(": ranked"))
    assert heading != "England: ranked" and drawn(section(at, heading)) > 0


@pytest.mark.parametrize("typed", [False, True])
def test_a_search_that_finds_nothing_says_so_without_a_table_or_download(typed) -> None:
    query = "*zzz* <b>$x$</b>"  # matches no measure; markdown and HTML stay plain text
    if typed:  # typed into the box: the catalogue's fragment reruns alone
        at = open_view("methods", catalogue="1")
        at.text_input(key="w_q").input(query).run()
    else:
        at = open_view("methods", q=query)
    said = [str(m.value) for m in at.markdown if "No measure matches" in str(m.value)]
    assert said == ["No measure matches “\\*zzz\\* \\<b\\>\\$x\\$\\</b\\>”."]
    assert "No measure matches “*zzz* <b>$x$</b>”." in text_of(at)
    assert not any("Polarity" in t.columns for t in tables(at))
    assert "catalogue" not in " ".join(str(b.key) for b in at.get("download_button"))
    assert "empty" not in text_of(at).lower()
