"""AppTest: every figure of a measure to its catalogue `decimals`, on its page, in the board's
table and the board's CSV; the spine table's Count column only where the data has counts."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from lutonwb.catalogue import load_catalogue
from lutonwb.engine import Engine
from tests.app.test_page_csvs import reader_csvs
from tests.app.test_pages import LUTON, downloads, open_view, table_with, text_of  # noqa: F401
from tests.tables import static_tables

WHOLE = "apprenticeship-starts"  # a rate per 100,000 published in whole numbers: decimals 0
SCORE = "mean-happiness"  # ONS publishes 0-10 wellbeing means to two places: decimals 2
BOARD = "health-equity-town"  # serves both (its value type alone would give 1 and 1 places)


@pytest.fixture(scope="module", autouse=True)
def _built(warehouse_dir):
    """Every test here needs the project warehouse (built once under a lock)."""
    return warehouse_dir


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


@pytest.fixture(scope="module")
def card(wh, cat) -> pd.DataFrame:
    return Engine(wh, cat).scorecard(LUTON, "england", board=BOARD).set_index("measure_id")


def test_the_measures_chosen_have_the_places_they_claim(cat, card) -> None:
    assert cat.measures[WHOLE].decimals == 0 and cat.measures[SCORE].decimals == 2
    assert card.loc[WHOLE, "decimals"] == 0 and card.loc[SCORE, "decimals"] == 2
    assert card.loc[WHOLE, "value"] > 100
    # a second place to show, so one place (the value type's rule) would differ
    score = card.loc[SCORE, "value"]
    assert 0 < score < 10 and round(score, 2) != round(score, 1)


def test_measure_page_shows_a_whole_number_measure_without_a_decimal(cat, card) -> None:
    at = open_view("measure", area=LUTON, cmp="england", m=WHOLE, ranked="1")
    r = card.loc[WHOLE]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Luton"] == f"{r['value']:,.0f} per 100,000"
    assert metrics["England"] == f"{r['england']:,.0f}"
    assert not re.search(r"\d\.\d", metrics["Luton"] + metrics["England"])
    ranked = table_with(at, "Value (per 100,000)")
    values = [v for v in ranked["Value (per 100,000)"] if v != "–"]
    assert len(values) > 5 and not any("." in v for v in values), values
    text = text_of(at)
    assert f"Luton: {r['value']:,.0f} per 100,000" in text  # the ranked chart's caption


def test_measure_page_shows_a_wellbeing_score_to_two_places(card) -> None:
    at = open_view("measure", area=LUTON, cmp="england", m=SCORE)
    r = card.loc[SCORE]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Luton"] == f"{r['value']:,.2f} score (0-10)"
    assert metrics["England"] == f"{r['england']:,.2f}"
    assert f"to {r['value']:,.2f} score (0-10) in" in text_of(at)  # the trend chart's caption


def test_board_table_and_csv_follow_each_measures_decimals(card, downloads) -> None:  # noqa: F811
    at = open_view("board", area=LUTON, cmp="england", board=BOARD)
    table = static_tables(at)[0].value.set_index("Measure")
    whole, score = card.loc[WHOLE], card.loc[SCORE]
    assert table.loc[f"{whole['title']} (per 100,000)", "Luton"] == f"{whole['value']:,.0f}"
    assert table.loc[f"{whole['title']} (per 100,000)", "England"] == f"{whole['england']:,.0f}"
    # its unit joins the title's own bracket: never "(mean score) (score (0-10))"
    assert table.loc["Happiness yesterday (mean score, 0-10)", "Luton"] == f"{score['value']:,.2f}"
    files = reader_csvs(at, downloads)
    name = next(n for n in files if "health-equity-town" in n)
    csv = pd.read_csv(io.StringIO(files[name]), dtype=str, keep_default_na=False)
    assert "decimals" not in csv.columns and "Decimals" not in csv.columns
    rows = csv.set_index("Measure")
    assert rows.loc[whole["title"], "Value"] == f"{whole['value']:.0f}"
    assert rows.loc[whole["title"], "England"] == f"{whole['england']:.0f}"
    assert rows.loc[score["title"], "Value"] == f"{round(score['value'], 2):g}"
    assert len(rows.loc[score["title"], "Value"].split(".")[1]) == 2


def test_spine_count_column_only_where_the_data_has_counts() -> None:
    """DWP's children in low income families carries counts; the at-place board's sources
    publish none, so its spine table has no Count column rather than a blank one."""
    at = open_view("board", area=LUTON, cmp="england", board="childrens-trust", spine="1")
    spine = table_with(at, "Range (25th to 75th percentile)").set_index("Measure")
    assert "Count" in spine.columns
    row = next(i for i in spine.index if i.startswith("Children in absolute low income families"))
    assert re.fullmatch(r"\d{1,3}(,\d{3})+", spine.loc[row, "Count"]), spine.loc[row, "Count"]
    assert (spine["Count"] == "").sum() > 0  # blank beside the measures whose data has none
    at = open_view("board", area=LUTON, cmp="england", board="at-place", spine="1")
    spine = table_with(at, "Range (25th to 75th percentile)")
    assert len(spine) > 3 and "Count" not in spine.columns
