"""AppTest: the progress page ("Is <place> becoming fairer?") for Luton and for the example place
(Coventry, no ward files): roll-ups first, every chart savable, every table with a CSV, its own
URL keys read and written back, and the overview's and measure page's short progress sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.test_example_place import example  # noqa: F401  (the example place fixture)
from tests.app.test_pages import open_view, text_of

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
        "Every measure's progress",
        "Gaps inside Luton",
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


def test_rollup_table_has_plain_headers_and_no_ids() -> None:
    at = open_view(PAGE, by="principle")
    t = at.dataframe[0].value
    assert list(t.columns[:3]) == ["Marmot principle", "Measures", "Target met"]
    assert t["Marmot principle"].iloc[0].startswith("1. ")
    assert t["Measures"].sum() >= 40


def test_bad_progress_keys_give_notices_and_defaults() -> None:
    at = open_view(PAGE, by="<b>x</b>", fm="no-such-measure")
    warnings = " ".join(w.value for w in at.warning)
    assert "Roll-up" in warnings and "not in the catalogue" in warnings
    assert at.query_params["by"] == "outcome" and "fm" not in at.query_params


def test_overview_links_to_progress_and_measure_page_shows_its_row() -> None:
    at = open_view("pages/overview.py")
    assert "Becoming fairer?" in headers(at)
    at = open_view("pages/measure.py", m="claimant-count")
    assert "Progress" in headers(at)
    assert "Progress toward the target" in text_of(at)


def test_example_place_progress_page(example) -> None:  # noqa: F811
    at = open_view(PAGE)
    text = text_of(at)
    assert at.title[0].value == "Is Coventry becoming fairer?"
    assert "Coventry has no ward or neighbourhood data in its place folder" in text
    assert "Luton" not in text
