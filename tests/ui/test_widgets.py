"""Widgets' words: comparison sentences per method, verdict counts that add up, notes, blanks."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

from lutonwb.catalogue import load_catalogue
from lutonwb.engine import Engine
from lutonwb.ui.widgets import (
    BADGE_COLOURS,
    _cell_style,
    badge_md,
    benchmarks_words,
    blank_missing,
    card_line,
    comparison_sentence,
    counts_from_summary,
    counts_text,
    csv_bytes,
    measure_label,
    name_in_words,
    performance_frames,
    period_notice_text,
    plain_csv,
    reported_frame,
    row_notes,
    row_places,
    spine_frames,
    trend_words,
    values_in_words,
    verdict_counts,
    with_unit,
)


@pytest.mark.parametrize(
    ("method", "words"),
    [
        ("ci", "Compared with England by its 95% confidence interval as published"),
        ("ci (computed)", "95% confidence interval computed here from the count and denominator"),
        ("source", "using the source's own significance judgement"),
        ("not tested", "Not tested against England"),
        ("", "Not compared with England: no value or no England figure"),
        (None, "Not compared with England"),
    ],
)
def test_comparison_sentence_for_each_method(method, words) -> None:
    text = comparison_sentence(method)
    assert words in text
    assert " by not tested" not in text and "by no test" not in text


def test_verdict_counts_add_up_to_the_measures() -> None:
    sc = pd.DataFrame(
        {
            "vs_group": ["Better", "Similar", "Worse", "Higher", "Lower", "Not compared", "", None],
            "vs_group_method": ["ci", "source", "ci (computed)", "not tested", "not tested", "", "", None],
        }
    )  # fmt: skip
    counts = verdict_counts(sc)
    assert counts == {"better": 1, "similar": 1, "worse": 1, "not tested": 2, "not compared": 3}
    assert sum(counts.values()) == len(sc)
    assert counts_text(counts).startswith("1 better, 1 similar, 1 worse, 2 not tested")
    # an engine summary row with not_tested gives the same five numbers
    row = {
        "better": 0,
        "similar": 5,
        "worse": 1,
        "not_compared": 8,
        "not_tested": 6,
        "measures": 20,
    }
    c = counts_from_summary(row)
    assert c == {"better": 0, "similar": 5, "worse": 1, "not tested": 6, "not compared": 8}
    assert sum(c.values()) == row["measures"]


def test_row_notes_and_blank_missing() -> None:
    row = {
        "region_note": "the source publishes no region figure",
        "england_note": "",
        "stale_note": None,
    }
    assert row_notes(row) == ["Region: the source publishes no region figure"]
    assert row_notes({}) == []
    df = pd.DataFrame({"value": [77.94, None], "lower_ci": [None, None], "name": ["a", "b"]})
    out = blank_missing(df, ["value", "lower_ci"])
    assert list(out["value"]) == ["77.9", "–"] and list(out["lower_ci"]) == ["–", "–"]
    assert df["value"].isna().sum() == 1  # the original (CSV) keeps its numbers


def test_no_polarity_measures_show_higher_lower_without_colour(wh) -> None:
    """Brief section 3: a measure with no polarity is not coloured; its Higher / Lower cells and
    badges look like 'Not compared' (white cell, black text, gray badge), the word kept."""
    cat = load_catalogue()
    sc = Engine(wh, cat).scorecard("E06000032", "cssnbt-2021")
    none = sc[(sc["polarity"] == "none") & sc["vs_england"].isin(["Higher", "Lower"])]
    assert len(none) > 0, "no measure without polarity is rated Higher / Lower for Luton"
    display, _ = performance_frames(none, "Luton", "CSSNBT")
    plain = _cell_style("Not compared")
    assert plain == "background-color: #FFFFFF; color: #000000"
    for col in ("vs England", "vs region", "vs group"):
        for cell in display[col]:
            if re.split(r" \(|, ", cell)[0] in ("Higher", "Lower"):
                assert _cell_style(cell) == plain, (col, cell)
    assert {re.split(r" \(|, ", w)[0] for w in display["vs England"]} <= {"Higher", "Lower"}
    # every verdict names how it was reached, beside it
    assert all(", " in w for w in display["vs England"]), list(display["vs England"])
    for word in ("Higher", "Lower"):
        assert BADGE_COLOURS[word] == BADGE_COLOURS["Not compared"] == "gray"
        assert badge_md(word, "vs England: ") == f":gray-badge[vs England: {word}]"
    # tested ratings keep their colours
    assert _cell_style("Worse (R)") != plain and BADGE_COLOURS["Better"] != "gray"


def _csv(df: pd.DataFrame) -> pd.DataFrame:
    import io

    return pd.read_csv(io.BytesIO(csv_bytes(plain_csv(df))), dtype=str, keep_default_na=False)


def test_csv_has_plain_headers_and_no_internal_columns() -> None:
    df = pd.DataFrame(
        {"measure_id": ["le"], "title": ["Life expectancy"], "value": [78.67999999999999],
         "vs_group": ["Worse"], "vs_group_method": ["ci"], "seed_document": ["000_x.txt"],
         "lower_ci": [77.1], "area_code": ["E06000032"]}
    )  # fmt: skip
    out = _csv(df)
    assert list(out.columns) == [
        "Measure", "Value", "Compared with group", "How compared with group", "Lower 95% limit",
        "Area",
    ]  # fmt: skip
    assert out.loc[0, "Area"] == "Luton"  # the code's name: a reader's file carries no codes
    assert out.loc[0, "Value"] == "78.68"  # no float noise
    assert out.loc[0, "Lower 95% limit"] == "77.1"


def test_csv_keeps_real_precision_and_blank_missing_values() -> None:
    out = _csv(pd.DataFrame({"value": [0.000123456, 123456.0, None], "rank": [1.0, 2.0, None]}))
    assert list(out["Value"]) == ["0.000123456", "123456", ""]
    assert list(out["Rank"]) == ["1", "2", ""]


def test_csv_rounds_figures_to_each_measures_precision() -> None:
    df = pd.DataFrame(
        {"title": ["Life expectancy", "Deaths", "Ratio"], "value": [78.67999999999999, 1234.6, 1.23456],
         "england": [79.04, 1300.2, 1.0], "rank": [3.0, 1.0, 2.0],
         "value_type": ["years", "count", "ratio"]}
    )  # fmt: skip
    out = _csv(df)
    assert list(out.columns) == ["Measure", "Value", "England", "Rank"]  # no value_type column
    assert list(out["Value"]) == ["78.7", "1235", "1.23"]
    assert list(out["England"]) == ["79", "1300", "1"]


def test_spine_figures_carry_a_count_where_the_data_has_one() -> None:
    rows = pd.DataFrame(
        {"title": ["Fuel poverty", "Life expectancy"], "unit": ["%", "years"],
         "period": ["2022", "2023-25"], "value": [16.04, 78.64], "england": [13.1, 79.7],
         "polarity": ["lower-better", "higher-better"], "lowest": [5.0, 74.2],
         "q25": [10.0, 77.8], "q75": [14.0, 80.4], "highest": [20.0, 83.3],
         "count": [10520.0, None], "value_type": ["percentage", "years"]}
    )  # fmt: skip
    shown, csv = spine_frames(rows, "Luton")
    assert list(shown.columns[:3]) == ["Measure", "Count", "Luton"]
    assert list(shown["Count"]) == ["10,520", ""]
    assert list(shown["Worst"]) == ["20.0", "74.2"] and list(shown["Best"]) == ["5.0", "83.3"]
    out = _csv(csv)
    assert list(out.columns) == [
        "Measure", "Unit", "Period", "Count", "Luton", "England", "Worst", "25th percentile",
        "75th percentile", "Best",
    ]  # fmt: skip
    assert list(out["Count"]) == ["10520", ""] and list(out["Luton"]) == ["16", "78.6"]


@pytest.mark.parametrize(
    ("value", "unit", "value_type", "text"),
    [(78.6449, "years", "years", "78.6 years"), (23.45, "%", "percentage", "23.4%"),
     (12345.4, "£", "currency", "£12,345"), (1234.0, "count", "count", "1,234"),
     (1.2345, "ratio", "ratio", "1.23 ratio"), (None, "%", "percentage", "")],
)  # fmt: skip
def test_values_to_their_measure_precision_with_units(value, unit, value_type, text) -> None:
    assert with_unit(value, unit, value_type) == text


def test_trend_methods_in_words_never_codes() -> None:
    for code in ("ols", "wls", "chi2", "none"):
        text = trend_words("No significant change", code, 4)
        assert code not in text.split() and "squares" not in text and "chi" not in text
    assert trend_words("Getting worse", "ols", 5) == (
        "Trend over the last 5 points, tested at 95% confidence."
    )
    assert trend_words("Getting better", "wls", 3.0) == (
        "Trend over the last 3 points, tested at 95% confidence."
    )
    assert trend_words("Getting better", "chi2", 5).startswith("Trend in the proportion over")
    assert trend_words("Not enough data", "none", 0) == (
        "No trend is tested: too few points in the recent series."
    )
    assert "strategy documents" in trend_words("Not enough data", "reported figures only", 0)
    assert "catalogue says so" in trend_words("Not applicable", "")


def test_reported_figures_in_words_once_each() -> None:
    rows = pd.DataFrame(
        [{"measure_id": "le", "document": "000_82e.txt", "section": "000 §4 Overarching table",
          "table": "JSNA", "period": "2018-20", "area": "Luton", "value": 78.1,
          "value_text": "78.1", "rank_text": "3/16", "rag_england": "R", "rag_region": "A",
          "rag_neighbours": "G", "trend": "", "questionable": False, "note": ""}] * 2
    )  # fmt: skip
    out = reported_frame(rows, {"000_82e.txt": "One year on review (2024)"})
    assert len(out) == 1  # printed twice in the data, shown once
    row = out.iloc[0]
    assert (
        row["Document"] == "One year on review (2024)"
        and row["Section"] == "Section 4: Overarching table"
    )
    assert (row["Rating vs England"], row["Rating vs region"]) == ("Worse", "Similar")
    assert "measure_id" not in out.columns
    # columns blank for every figure are left out (none questionable, no note, no trend)
    assert not {"Questionable", "Note", "Trend as printed"} & set(out.columns)
    assert "Rank as printed" in out.columns


def test_grid_columns_fit_1280_px() -> None:
    """A wide table's columns are cut to a common cap until they fit; short ones keep their
    natural width; a column's own settings (its number format) are kept."""
    from lutonwb.ui.widgets import FIT_PX, MIN_PX, fitted_columns

    df = pd.DataFrame({"Area": ["Luton"], "Note": ["x" * 300], "Other": ["y" * 200], "n": [1]})
    fitted = fitted_columns(df, {"n": {"type_config": {"format": "%.1f"}}})
    widths = {c: cfg["width"] for c, cfg in fitted.items()}
    assert sum(widths.values()) <= FIT_PX and min(widths.values()) >= MIN_PX
    assert widths["Note"] == widths["Other"] > widths["Area"]  # the long ones share the cap
    assert fitted["n"]["type_config"] == {"format": "%.1f"}
    narrow = fitted_columns(pd.DataFrame({"Area": ["Luton"]}), {})
    assert narrow["Area"]["width"] < 100


def test_reader_csv_names_each_verdicts_method_beside_it() -> None:
    df = pd.DataFrame(
        {
            "title": ["A", "B"],
            "vs_england": ["Worse", "Best fifth"],
            "vs_england_method": ["ci", "quintile"],
            "value": [1.0, 2.0],
        }
    )
    out = plain_csv(df)
    assert list(out.columns) == [
        "Measure",
        "Compared with England",
        "How compared with England",
        "Value",
    ]
    assert list(out["How compared with England"]) == ["by 95% interval", "position only"]
    assert "vs_england_method" in df.columns and "vs_england_how" not in df.columns


AREAS = {"E06000032": "Luton", "E06000039": "Slough"}
GROUP_LABELS = {"england": "England", "cssnbt-2021": "Statistical neighbours (CSSNBT 2021)"}


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("principle-4-E06000032-england", "luton-principle-4-against-england"),
        ("life-expectancy-male-trend-E06000032", "luton-life-expectancy-male-trend"),
        (
            "life-expectancy-male-group-E06000039-cssnbt-2021",
            "slough-life-expectancy-male-group-against-statistical-neighbours-cssnbt-2021",
        ),
        ("data-series", "data-series"),
        ("spine-E99999999", "spine-e99999999"),  # an unknown code is left for the checks to catch
    ],
)
def test_download_names_carry_names_in_words_not_codes(given, name):
    assert name_in_words(given, AREAS, GROUP_LABELS) == name


def test_download_names_are_kept_per_name_and_build(monkeypatch, warehouse_dir) -> None:
    """A page names its downloads on every rerun: each name is worked out once per build."""
    from lutonwb.ui import widgets

    made: list[str] = []
    real = widgets.name_in_words
    monkeypatch.setattr(widgets, "name_in_words", lambda t, *a: made.append(t) or real(t, *a))
    widgets._download_name.cache_clear()
    given = "principle-4-E06000032-england"
    assert widgets.download_name(given) == "luton-principle-4-against-england"
    assert widgets.download_name(given) == "luton-principle-4-against-england"
    assert made == [given]
    monkeypatch.setattr(widgets, "build_id", lambda: "another build")
    assert widgets.download_name(given) == "luton-principle-4-against-england"
    assert made == [given, given]  # a new build's names are worked out again
    assert widgets._download_name.cache_info().maxsize == 1024  # bounded
    widgets._download_name.cache_clear()


def test_csv_values_in_words_not_codes():
    df = pd.DataFrame(
        {
            "polarity": ["lower-better", "higher-better", "none"],
            "seed_rag_england": ["R", "A", None],
            "seed_rag_region": ["G", "", "R"],
            "role": ["home", "england", "region"],
            "area_code": ["E06000032", "E92000001", "E12000006"],
            "area_name": ["Luton", "England", "East of England"],
        }
    )
    out = values_in_words(df.copy())
    assert list(out["polarity"]) == [
        "Lower is better",
        "Higher is better",
        "No judgement (not coloured)",
    ]
    assert list(out["seed_rag_england"]) == ["Worse", "Similar", ""]
    assert list(out["seed_rag_region"]) == ["Better", "", "Worse"]
    assert list(out["role"]) == ["Luton", "England", "Region"]
    assert "area_code" not in out.columns and list(out["area_name"]) == list(df["area_name"])


def test_numbers_never_show_negative_zero_or_a_needless_decimal() -> None:
    from lutonwb.ui.widgets import num

    assert (num(-0.02), num(-0.04, 1), num(-0.001, 2), num(-0.3)) == ("0.0", "0.0", "0.00", "-0.3")
    # a one-place figure from 1,000 up (a rate per 100,000) shows no decimal
    assert (num(6362.0, 1), num(999.5, 1), num(1234.5, 2)) == ("6,362", "999.5", "1,234.50")
    assert num(None) == "" and num(float("nan"), 1) == ""


def test_tables_never_print_missing_as_none() -> None:
    from lutonwb.ui.widgets import no_missing_words

    df = pd.DataFrame({"Area": ["Luton", None], "Value": [78.1, float("nan")]})
    html = no_missing_words(df)  # an HTML table: every column
    assert html["Area"].tolist() == ["Luton", ""] and html["Value"].tolist() == [78.1, ""]
    grid = no_missing_words(df, every_column=False)  # a grid keeps its numbers sortable
    assert grid["Area"].tolist() == ["Luton", ""] and grid["Value"].dtype == float
    full = pd.DataFrame({"Area": ["Luton"]})
    assert no_missing_words(full) is full  # nothing to blank: no copy


def test_static_text_blanks_missing_cells_and_colours_only_present_rating_columns() -> None:
    from lutonwb.ui.widgets import RATING_COLOURS, RATING_COLUMNS, static_text

    df = pd.DataFrame(
        {"Measure": ["Smoking", None], "Value": [12.5, float("nan")], "vs England": ["Worse", ""]}
    )
    lines = static_text(df, RATING_COLUMNS).splitlines()  # vs region, vs group absent: ignored
    assert lines[0] == "| Measure | Value | vs England |" and lines[1] == "|---|--:|---|"
    # numbers with a gap stay right-aligned (--: above) and escaped
    assert lines[2].startswith("| Smoking | 12\\.5 | :color[Worse]")
    assert f'background="{RATING_COLOURS["Worse"]}"' in lines[2]
    assert lines[3] == "|  |  |  |"  # no 'None' or 'nan' on screen
    plain = static_text(df)  # no rating columns named: the word without its colour
    assert plain.splitlines()[2] == "| Smoking | 12\\.5 | Worse |"


def test_reported_figures_put_area_value_verdict_period_first() -> None:
    rows = pd.DataFrame(
        [{"document": "d", "section": "s", "table": "JSNA", "period": "2018-20", "area": "Luton",
          "value_text": "78.1", "rank_text": "3/16", "rag_england": "R", "rag_region": "A",
          "rag_neighbours": "G", "trend": "", "questionable": False, "note": ""}]
    )  # fmt: skip
    out = reported_frame(rows, {})
    # a phone keeps the first four columns
    assert list(out.columns[:4]) == ["Area", "Value as printed", "Rating vs England", "Period"]


def test_reported_figures_shown_compactly_with_every_column_in_the_csv() -> None:
    from lutonwb.ui.widgets import reported_shown

    rows = pd.DataFrame(
        [{"document": "d.txt", "section": "000 §4 Overarching table", "table": "JSNA",
          "period": "2018-20", "area": "Luton", "value_text": "78.1", "rank_text": "3/16",
          "rag_england": "R", "rag_region": "A", "rag_neighbours": "G", "trend": "",
          "questionable": False, "note": ""}]
    )  # fmt: skip
    full = reported_frame(rows, {"d.txt": "One year on review (2024)"})
    shown = reported_shown(full)
    assert list(shown.columns) == [
        "Area", "Value as printed", "Rating vs England", "Period", "Also printed", "Printed in",
    ]  # fmt: skip
    row = shown.iloc[0]
    assert row["Also printed"] == "rank 3/16; vs region: Similar; vs neighbours: Better"
    assert (
        row["Printed in"] == "One year on review (2024), Section 4: Overarching table, table: JSNA"
    )
    assert {"Document", "Section", "Table", "Rating vs region"} <= set(full.columns)


def test_a_measures_own_decimals_win_over_its_value_type() -> None:
    """The scorecard's decimals column sets the places in tables and readers' CSVs: a rate of
    whole numbers shows none, a percentage published to two places shows two; no decimals column
    falls back to the value type's rule."""
    df = pd.DataFrame(
        {"title": ["Apprenticeship starts", "School absence", "Ratio"], "unit": ["per 100,000", "%", "ratio"],
         "value": [970.4, 7.5912, 7.6649], "england": [959.6, 6.9149, 8.2], "rank": [3.0, 1.0, 2.0],
         "value_type": ["rate", "percentage", "ratio"], "decimals": [0, 2, None]}
    )  # fmt: skip
    assert row_places(df) == [0, 2, 2]
    assert row_places(df.drop(columns="decimals")) == [1, 1, 2]
    out = _csv(df)
    assert "decimals" not in out.columns and "value_type" not in out.columns
    assert list(out["Value"]) == ["970", "7.59", "7.66"]
    assert list(out["England"]) == ["960", "6.91", "8.2"]
    sc = df.assign(polarity="higher-better", period="2024", rank=[1, 2, 3], group_size=[3, 3, 3],
                   region=[900.0, 7.0, 8.0], group_average=None, trend="", vs_england="Similar",
                   vs_region="Similar", vs_group="Similar", rag_england="A", rag_region="A",
                   rag_group="A")  # fmt: skip
    display, _ = performance_frames(sc, "Luton", None)
    assert list(display["Luton"]) == ["970", "7.59", "7.66"]
    assert list(display["England"]) == ["960", "6.91", "8.20"]


@pytest.mark.parametrize(
    ("value", "unit", "value_type", "decimals", "text"),
    [(970.4, "per 100,000", "rate", 0, "970 per 100,000"), (7.5912, "%", "percentage", 2, "7.59%"),
     (631.46, "£", "currency", None, "£631"), (78.64, "years", "years", 1, "78.6 years")],
)  # fmt: skip
def test_with_unit_to_the_measures_decimals(value, unit, value_type, decimals, text) -> None:
    assert with_unit(value, unit, value_type, decimals) == text


def test_card_line_gives_benchmarks_to_the_measures_decimals() -> None:
    r = {"period": "2024", "england": 959.6, "region": 1012.4, "group_average": 880.2,
         "value_type": "rate", "decimals": 0}  # fmt: skip
    assert card_line(r, "england", "England") == "2024. England 960, region 1,012."
    assert card_line({**r, "decimals": 2}, "similar", "Similar areas").endswith(
        "England 959.60, region 1,012.40, similar areas average 880.20."
    )


def test_spine_figures_without_any_count_have_no_count_column() -> None:
    """Most sources publish no counts: a table with none says nothing rather than a blank column."""
    rows = pd.DataFrame(
        {"title": ["Life expectancy", "Apprenticeship starts"], "unit": ["years", "per 100,000"],
         "period": ["2021-23", "2024/25"], "value": [78.64, 970.4], "england": [79.7, 959.6],
         "polarity": ["higher-better", "higher-better"], "lowest": [74.2, 500.0],
         "q25": [77.8, 800.0], "q75": [80.4, 1100.0], "highest": [83.3, 1530.0],
         "count": [None, None], "value_type": ["years", "rate"], "decimals": [1, 0]}
    )  # fmt: skip
    shown, csv = spine_frames(rows, "Luton")
    assert list(shown.columns[:3]) == ["Measure", "Luton", "England"]
    assert "Count" not in shown.columns
    assert list(shown["Luton"]) == ["78.6", "970"] and list(shown["Best"]) == ["83.3", "1,530"]
    out = _csv(csv)
    assert "Count" not in out.columns and list(out["Luton"]) == ["78.6", "970"]
    no_column = spine_frames(rows.drop(columns="count"), "Luton")[0]
    assert list(no_column.columns) == list(shown.columns)


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        deepest = max(deepest, depth)
    return deepest


@pytest.mark.parametrize(
    ("title", "unit", "label"),
    [
        ("Life expectancy at birth, males", "years", "Life expectancy at birth, males (years)"),
        ("Average Progress 8 score", "score", "Average Progress 8 score"),
        ("Housing affordability ratio", "ratio", "Housing affordability ratio"),
        ("Life satisfaction (mean score)", "score (0-10)", "Life satisfaction (mean score, 0-10)"),
        ("Greenhouse gas emissions per person", "tCO2e per person",
         "Greenhouse gas emissions per person (tCO2e)"),
        ("Child poverty (after housing costs)", "%", "Child poverty (after housing costs) (%)"),
        ("Wellbeing", "score (0-10)", "Wellbeing (score, 0-10)"),
        ("Infant mortality rate", "per 1,000", "Infant mortality rate (per 1,000)"),
        ("Households", None, "Households"),
    ],
)  # fmt: skip
def test_measure_label_says_its_unit_once(title, unit, label) -> None:
    assert measure_label(title, unit) == label


def test_no_measure_label_nests_brackets_or_repeats_its_unit() -> None:
    cat = load_catalogue()
    for m in cat.measures.values():
        label = measure_label(m.title, m.unit)
        assert _bracket_depth(label) <= 1, label
        for word in re.findall(r"[A-Za-z][A-Za-z0-9]+", m.unit or ""):
            n = len(re.findall(rf"\b{re.escape(word)}\b", label, flags=re.IGNORECASE))
            assert n <= 1, (label, word)
        assert label.startswith(m.title.rstrip(")"))


def test_benchmarks_words_list_england_and_the_region_with_and() -> None:
    state = SimpleNamespace(cmp="england")
    assert benchmarks_words(state, "England") == "England and its region"
    state = SimpleNamespace(cmp="region")
    assert benchmarks_words(state, "Region") == "England and its region"
    state = SimpleNamespace(cmp="cssnbt-2025")
    group = "Statistical neighbours (CSSNBT 2025)"
    assert benchmarks_words(state, group) == f"England, its region and s{group[1:]}"
    state = SimpleNamespace(cmp="similar")
    assert benchmarks_words(state, "Similar areas") == "England, its region and similar areas"


def test_period_notice_counts_only_measures_with_dated_open_data() -> None:
    sc = pd.DataFrame(
        {"value": [1.0, None, 5.0, None], "reported_only": [False, False, True, False]}
    )
    assert period_notice_text(sc, "latest", "Luton") is None
    level, words = period_notice_text(sc, "2019", "Luton")
    assert (level, words) == (
        "info",
        "1 of 3 measures on this page have data for Luton in 2019; the others show no value.",
    )
    # the documents' figures are shown whatever the period: they never make one look covered
    only_reported = sc.assign(value=[None, None, 5.0, None])
    assert period_notice_text(only_reported, "1999", "Luton") == (
        "warning",
        "No measure on this page has data for Luton in 1999; choose another period or 'Latest "
        "for each measure'.",
    )


def test_period_notice_speaks_even_when_every_measure_has_data() -> None:
    sc = pd.DataFrame({"value": [1.0, 2.0], "reported_only": [False, False]})
    assert period_notice_text(sc, "2099", "Luton") == (
        "info",
        "All 2 measures on this page have data for Luton up to 2099; each shows its latest "
        "period by then.",
    )


# -- what a cached view's drawing keeps (widgets.kept) and how its charts travel ---------------


@pytest.fixture
def memo(monkeypatch):
    """widgets.kept with a memo of its own (the module's is shared by the whole process)."""
    from collections import OrderedDict

    from lutonwb.ui import widgets

    monkeypatch.setattr(widgets, "_KEPT", OrderedDict())
    return widgets


def test_kept_makes_once_per_object_and_afresh_for_another(memo) -> None:
    made: list[int] = []
    a, b = pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [1]})  # equal, but two objects

    def make(n: int):
        return lambda: made.append(n) or f"text {n}"

    assert memo.kept(a, "how", make(1)) == "text 1"
    assert memo.kept(a, "how", make(2)) == "text 1"  # the same frame: kept
    assert memo.kept(a, "other", make(3)) == "text 3"  # made another way
    assert memo.kept(b, "how", make(4)) == "text 4"  # an equal frame is another object
    assert made == [1, 3, 4]


def test_kept_never_serves_a_dead_objects_text_at_a_reused_id(memo) -> None:
    import gc
    import weakref

    gone = pd.DataFrame({"x": [0]})
    dead = weakref.ref(gone)
    del gone
    gc.collect()
    assert dead() is None
    new = pd.DataFrame({"x": [2]})
    memo._KEPT[(id(new), "how")] = (dead, "stale")  # as if `new` took the dead frame's id
    assert memo.kept(new, "how", lambda: "fresh") == "fresh"
    assert memo.kept(new, "how", lambda: "again") == "fresh"


def test_kept_drops_what_was_made_from_objects_that_have_gone(memo) -> None:
    import gc

    first = pd.DataFrame({"x": [1]})
    memo.kept(first, "how", lambda: "first")
    del first
    gc.collect()
    memo.kept(pd.DataFrame({"x": [2]}), "how", lambda: "second")  # the next thing made
    assert [text for _, text in memo._KEPT.values()] == ["second"]


def test_kept_drops_the_least_recently_used(memo, monkeypatch) -> None:
    monkeypatch.setattr(memo, "KEPT_MAX", 3)
    frames = [pd.DataFrame({"x": [i]}) for i in range(4)]
    for i, f in enumerate(frames[:3]):
        memo.kept(f, "how", lambda i=i: i)
    assert memo.kept(frames[0], "how", lambda: "again") == 0  # used again: now the newest
    memo.kept(frames[3], "how", lambda: 3)
    assert len(memo._KEPT) == 3
    assert memo.kept(frames[0], "how", lambda: "again") == 0  # kept
    assert memo.kept(frames[1], "how", lambda: "again") == "again"  # the least recent went


def test_kept_makes_afresh_what_cannot_be_referred_to_weakly(memo) -> None:
    plain = {"a": 1}  # a plain dict cannot be referred to weakly
    assert memo.kept(plain, "how", lambda: 1) == 1
    assert memo.kept(plain, "how", lambda: 2) == 2
    assert not memo._KEPT


def test_a_cached_charts_arrow_data_is_made_once(memo, monkeypatch) -> None:
    """widgets.chart draws a cached spec's rows as Arrow bytes made on its first rerun only."""
    from streamlit.testing.v1 import AppTest

    calls: list[int] = []
    real = memo.arrow_datasets
    monkeypatch.setattr(memo, "arrow_datasets", lambda spec: calls.append(1) or real(spec))

    def script() -> None:
        import altair as alt
        import pandas as pd
        import streamlit as st

        from lutonwb.ui import widgets
        from lutonwb.ui.charts import spec_of

        @st.cache_resource
        def cached_spec():
            df = pd.DataFrame({"area": ["Luton", "Slough"], "value": [78.6, 80.1]})
            return spec_of(alt.Chart(df).mark_bar().encode(x="area", y="value"))

        widgets.chart(cached_spec(), "Two bars.", "bars", "bars")

    at = AppTest.from_function(script)
    at.run()
    at.run()
    assert not at.exception
    assert calls == [1]


def test_a_chart_with_arrow_datasets_reaches_the_page_as_the_spec_itself() -> None:
    """st.vega_lite_chart sends the same spec and the same Arrow bytes whether it is given the
    rows or the bytes arrow_datasets made from them; GeoJSON stays in the spec."""
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        import altair as alt
        import pandas as pd
        import streamlit as st

        from lutonwb.ui.charts import spec_of
        from lutonwb.ui.widgets import arrow_datasets

        df = pd.DataFrame({"area": ["Luton", "Slough"], "value": [78.6, None]})
        spec = spec_of(alt.Chart(df).mark_bar().encode(x="area", y="value"))
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 51]}}
        spec["datasets"]["shapes"] = [feature]
        st.vega_lite_chart(spec=spec, key="rows")
        st.vega_lite_chart(spec=arrow_datasets(spec), key="bytes")

    at = AppTest.from_function(script)
    at.run()
    assert not at.exception
    rows, sent = (el.proto for el in at.main.children.values())
    assert rows.spec == sent.spec
    assert '"shapes"' in sent.spec  # GeoJSON features stay in the spec
    assert len(rows.datasets) == len(sent.datasets) == 1
    assert rows.datasets[0].data.data == sent.datasets[0].data.data
    assert rows.datasets[0].name == sent.datasets[0].name
