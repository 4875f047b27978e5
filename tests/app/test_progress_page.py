"""AppTest: the progress page ("Is <place> becoming fairer?") for Luton and for the example place
(Coventry, no ward files): roll-ups first, every chart savable, every table with a CSV, its own
URL keys read and written back, and the overview's and measure page's short progress sections."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import pytest

from lutonwb.catalogue import load_catalogue
from lutonwb.engine import Engine
from lutonwb.progress import progress_table, status_counts
from lutonwb.progress.status import STATUSES
from lutonwb.ui.widgets import shown_share_link
from tests.app.test_example_place import (
    _clear_caches,
    example,  # noqa: F401  (the example place fixture)
)
from tests.app.test_pages import open_view, tables, text_of
from tests.progress.conftest import saved_build  # noqa: F401  (a build with its saved tables)
from tests.tables import static_tables

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/progress.py"


@pytest.fixture(scope="module", autouse=True)
def _built(warehouse_dir):
    return warehouse_dir


def headers(at) -> list[str]:
    return [h.value for h in at.header]


def test_luton_progress_page_in_order() -> None:
    at = open_view(PAGE, by="board", dm="claimant-count", fm="fuel-poverty")
    assert at.title[0].value == "Is Luton becoming fairer?"
    assert headers(at)[:5] == [
        "On track or not",
        "Measures moving away",
        "Before and after the Marmot designation",
        "Gaps inside Luton",
        "Funnel plots",
    ]
    text = text_of(at)
    assert "Children's Trust Board" in text or "Board" in at.dataframe[0].value.columns
    assert "narrowing" in text  # fuel poverty gap between fifths, 2019-2022 (LILEE)
    assert "Low Income High Costs" in text and "Low Income Low Energy Efficiency" in text
    assert at.query_params["by"] == "board" and at.query_params["dm"] == "claimant-count"
    # each chart has PNG and SVG downloads; each table a CSV
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("Save chart (PNG)") == labels.count("Save chart (SVG)") >= 5
    assert labels.count("Download table (CSV)") >= 7


def markdown_table(at, first_header: str) -> pd.DataFrame:
    """A table drawn as one wrapping markdown table (it fits any width), read back as a frame."""
    md = next(m.value for m in at.markdown if m.value.startswith(f"| {first_header} |"))
    rows = [[c.strip() for c in line.strip("|").split(" | ")] for line in md.splitlines()]
    return pd.DataFrame(rows[2:], columns=rows[0])


def test_rollup_table_has_plain_headers_and_no_ids() -> None:
    at = open_view(PAGE, by="principle")
    t = markdown_table(at, "Marmot principle")
    assert list(t.columns[:3]) == ["Marmot principle", "Measures", "Target met"]
    assert t["Marmot principle"].iloc[0].startswith("1\\. ")  # escaped: not a numbered list
    assert t["Measures"].astype(int).sum() >= 40


def test_outcome_rollup_wraps_whole_titles_and_the_status_table_is_static(wh) -> None:
    # issue 18: the target outcomes' titles were cut off at 1,280 px, and a phone scrolled sideways
    at = open_view(PAGE, by="outcome", track="off-track")
    t = markdown_table(at, "2040 target outcome")
    assert not t["2040 target outcome"].str.endswith("…").any()
    assert not [d for d in at.dataframe if "Progress" in d.value.columns]  # no scrolling grid
    static = next(x.value for x in static_tables(at) if "Progress" in x.value.columns)
    # what a phone keeps (the first four columns): measure, status and the key figures
    assert list(static.columns[:4]) == ["Measure", "Progress", "Value", "Gap to England"]
    assert set(static["Progress"]) == {"Off track"}
    fresh = progress_table(Engine(wh, load_catalogue()), "E06000032", "england")
    hle = fresh.set_index("measure_id").loc["healthy-life-expectancy-male"]
    assert hle["progress"] == "off track"  # 56.9 years against England's 60.9
    row = static[static["Measure"].str.startswith("Healthy life expectancy at birth, male")].iloc[0]
    assert row["Gap to England"] == "6.6% worse than England"
    assert row["Value"] == "56.9"


def test_bad_progress_keys_give_notices_and_defaults() -> None:
    at = open_view(PAGE, by="<b>x</b>", fm="no-such-measure")
    warnings = " ".join(w.value for w in at.warning)
    assert "Roll-up" in warnings and "not in the catalogue" in warnings
    assert at.query_params["by"] == "outcome" and "fm" not in at.query_params


def status_links(at) -> dict[str, tuple[int, dict[str, str]]]:
    """The overview's status links: status -> (count in the label, the link's query)."""
    out = {}
    for link in at.get("page_link"):
        m = re.fullmatch(r"(.+): (\d+) measures?", link.proto.label)
        if m and m.group(1).lower() in STATUSES:
            query = {k: v[-1] for k, v in parse_qs(link.proto.query_string).items()}
            out[m.group(1).lower()] = (int(m.group(2)), query)
    return out


@pytest.mark.parametrize("cmp", ["england", "cssnbt-2021"])
def test_overview_counts_add_up_and_open_the_progress_page(wh, cmp) -> None:
    at = open_view("pages/overview.py", cmp=cmp)
    assert "Becoming fairer?" in headers(at)
    links = status_links(at)
    assert list(links) == list(STATUSES)  # every status, in order, zeros kept
    fresh = progress_table(Engine(wh, load_catalogue()), "E06000032", cmp)
    assert {s: n for s, (n, _) in links.items()} == status_counts(fresh)
    assert sum(n for n, _ in links.values()) == len(fresh)
    assessed = len(fresh) - links["not assessable"][0]
    assert assessed >= 40
    assert f"Of {len(fresh)} measures, {assessed} can be assessed" in text_of(at)
    for status, (_n, query) in links.items():
        assert query["track"] == status.replace(" ", "-") and query["cmp"] == cmp
        assert query["area"] == "E06000032"
    # a count's link opens the progress page listing exactly those measures
    n, query = links["off track"]
    page = open_view(PAGE, **query)
    assert page.query_params["track"] == "off-track"
    assert page.query_params["cmp"] == cmp
    assert f"{measures(n)} of {len(fresh)}." in text_of(page)
    listed = [d for d in tables(page) if "Progress" in d.columns]
    assert n > 0
    assert any(len(d) == n and set(d["Progress"]) == {"Off track"} for d in listed)


def link_query(at) -> dict[str, str]:
    """The query of the link shown under the page's title ("Link to this view")."""
    link = shown_share_link([str(m.value) for m in at.markdown])
    assert link.startswith("/progress?") or "/progress?" in link, link
    return {k: v[-1] for k, v in parse_qs(link.split("?", 1)[1]).items()}


@pytest.mark.parametrize(
    "keys",
    [
        {"track": "target-met"},
        {},
        {"by": "board", "track": "off-track"},
        {"by": "principle", "dm": "claimant-count", "fm": "fuel-poverty"},
        {"cmp": "similar", "track": "moving-away", "fm": "fuel-poverty"},
        {"by": "<b>x</b>", "track": "sideways"},  # bad values: the link keeps the defaults written
    ],
)
def test_share_link_is_the_address_bar(keys) -> None:
    # the link once read "/progress?area=…&cmp=england&period=latest" while the address bar
    # said "by=outcome&track=target-met": a shared link lost the page's own keys
    at = open_view(PAGE, **keys)
    url = dict(at.query_params)
    assert link_query(at) == url
    for key, value in keys.items():
        if "<" not in value and value != "sideways":
            assert url[key] == value
    assert url["by"] in ("outcome", "board", "principle")  # the page's own key, always written


def test_overview_count_link_opens_a_page_whose_share_link_keeps_the_status() -> None:
    _n, query = status_links(open_view("pages/overview.py"))["target met"]
    at = open_view(PAGE, **query)
    assert link_query(at)["track"] == "target-met" and link_query(at) == dict(at.query_params)


def test_bad_status_falls_back_to_every_status() -> None:
    at = open_view(PAGE, track="sideways")
    assert "Progress status" in " ".join(w.value for w in at.warning)
    assert "track" not in at.query_params


def test_first_load_after_a_build_reads_the_saved_tables(saved_build, wh, monkeypatch) -> None:  # noqa: F811
    """The build saved the tables: the progress, overview and measure pages read them and never
    work one out (a spy refuses), and what they show equals a fresh computation."""
    from lutonwb.progress import snapshot

    fresh = progress_table(Engine(wh, load_catalogue()), "E06000032", "similar")

    def refuse(*_a, **_k):
        raise AssertionError("a page load worked out a progress table the build saved")

    monkeypatch.setenv("LUTONWB_WAREHOUSE", str(saved_build.folder))
    monkeypatch.setattr(snapshot, "progress_table", refuse)
    monkeypatch.setattr(snapshot, "measure_progress", refuse)
    _clear_caches()
    try:
        at = open_view(PAGE, cmp="similar", track="target-met")
        n = int((fresh["progress"] == "target met").sum())
        assert f"{measures(n)} of {len(fresh)}." in text_of(at)
        links = status_links(open_view("pages/overview.py", cmp="similar"))
        assert {s: c for s, (c, _) in links.items()} == status_counts(fresh)
        at = open_view("pages/measure.py", m="claimant-count", cmp="similar")
        status = fresh.set_index("measure_id").loc["claimant-count", "progress"]
        assert status.capitalize() in text_of(at)
    finally:
        _clear_caches()


def measures(n: int) -> str:
    return f"{n} measure" if n == 1 else f"{n} measures"


def test_methods_page_explains_progress_and_progress_page_links_there() -> None:
    at = open_view("pages/methods.py")
    assert "How progress is judged" in headers(at)
    subs = [s.value for s in at.subheader]
    for title in ("Is the gap narrowing or widening?", "On track or not", "Funnel plots",
                  "The change in the definition of fuel poverty"):  # fmt: skip
        assert title in subs
    text = " ".join(text_of(at).split())  # the prose wraps its lines
    for source in ("Progress Measurement Methodology for the Sustainable Development Goals",
                   "Asia and the Pacific SDG Progress Report", "The Magenta Book",
                   "Measuring the gap", "Handling over-dispersion of performance indicators"):  # fmt: skip
        assert source in text
    assert ".md" not in text and ".yaml" not in text
    at = open_view(PAGE)
    link = [m.value for m in at.markdown if "How progress is judged" in m.value]
    assert link and "/methods?" in link[0] and link[0].rstrip(").").endswith("#progress")
    assert not [e for e in at.expander if e.label == "How progress is judged"]


def test_overview_links_to_progress_and_measure_page_shows_its_row() -> None:
    at = open_view("pages/overview.py")
    assert "Becoming fairer?" in headers(at)
    at = open_view("pages/measure.py", m="claimant-count")
    assert "Progress" in headers(at)
    assert "Progress toward the target" in text_of(at)
    keys = [b.proto.id for b in at.get("download_button")]
    assert any("png-measure-designation" in k for k in keys)  # its designation chart, savable
    assert any("svg-measure-designation" in k for k in keys)
    assert any("progress-row-claimant-count" in k for k in keys)  # its row, as a CSV


def progress_facts(at) -> dict[str, str]:
    """The measure page's progress block (one two-column markdown table) as label -> text."""
    md = next(m.value for m in at.markdown if m.value.startswith("| Progress toward the target |"))
    rows = [line.strip().strip("|").split(" | ") for line in md.splitlines()[2:]]
    return {_unescaped(k): _unescaped(v) for k, v in rows}


def _unescaped(text: str) -> str:
    """A markdown cell's text without its escapes."""
    return re.sub(r"\\(.)", r"\1", text.strip())


def test_measure_progress_agrees_with_its_trend_and_gives_units_once() -> None:
    # life expectancy, male: 78.2 to 78.6 years, no significant trend; the block once said
    # "some progress" at "5 times the pace needed" as if the change were sure, with bare figures
    # and the facts drawn twice: the reason now says the lean could be chance, as the trend does
    at = open_view("pages/measure.py", m="life-expectancy-male")
    assert "Trend: No significant change" in text_of(at)
    facts = progress_facts(at)
    assert facts["Status"] == "Some progress"
    assert "could be chance" in facts["Why"] and "right direction" not in facts["Why"]
    assert facts["Gap to England (positive = worse, or higher if no polarity)"] == "1.1 years"
    assert facts["Gap to England"] == "1.4% worse than England"
    assert facts["Target"] == "79.7 years"
    assert facts["Required change a year"] == "0.08 years a year"
    assert facts["Observed change a year"] == "0.43 years a year"
    assert facts["Where the target comes from"].startswith("a default target: England's latest")
    assert "Progress toward the target" not in facts  # the heading, not also a row
    assert "(default)" not in text_of(at)
    # said once: no wide table of the same row, its CSV still beside the list
    assert not [t for t in tables(at) if "Progress" in t.columns]
    keys = [b.proto.id for b in at.get("download_button")]
    assert any("progress-row-life-expectancy-male" in k for k in keys)


def test_a_stated_target_says_its_document_and_section() -> None:
    facts = progress_facts(open_view("pages/measure.py", m="greenhouse-gas-emissions"))
    where = facts["Where the target comes from"]
    assert where.startswith(
        "Director of Public Health candidate pack (December 2024), Role profile"
    )
    assert "Carbon Neutral by 2040" in where


def test_unassessable_measures_say_precisely_why() -> None:
    # issue 18: not "no latest value or no target value", but what is missing
    at = open_view("pages/measure.py", m="fuel-poverty-lihc")
    assert "no England figure to compare with, so no 2040 target" in text_of(at)
    assert "no latest value or no target value" not in text_of(at)


def test_example_place_progress_page(example) -> None:  # noqa: F811
    at = open_view(PAGE)
    text = text_of(at)
    assert at.title[0].value == "Is Coventry becoming fairer?"
    assert "Coventry has no ward or neighbourhood data in its place folder" in text
    assert "Luton" not in text
