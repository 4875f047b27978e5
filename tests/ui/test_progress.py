"""The progress page's helpers: figures to one precision for the same figure wherever it shows."""

from __future__ import annotations

from lutonwb.ui.progress import field_text


def test_a_change_a_year_shows_as_in_its_csv() -> None:
    # the table's CSV rounds to two places: the field table says the same 0.08, not 0.1
    assert field_text("required_annual_change", 0.0812, 1, "years") == "0.08 years a year"
    assert field_text("observed_annual_change", -0.001, 1, "%") == (
        "0.00 percentage points a year"  # never a negative zero
    )
    assert field_text("gap_latest", 1.06, 1, "years") == "1.1 years"
    assert field_text("target_year", 2040) == "2040"
    assert field_text("progress", "some progress") == "Some progress"


def test_every_figure_has_its_unit() -> None:
    # "Gap to England 1.1", "Required change a year 0.08" once had no unit
    assert field_text("gap_latest", 2.9, 1, "%") == "2.9 percentage points"
    assert field_text("gap_latest", -12.0, 0, "per 100,000") == "-12 per 100,000"
    assert field_text("gap_latest", 120.4, 0, "£") == "£120"
    assert field_text("observed_annual_change", -35.0, 0, "£") == "-£35.00 a year"
    assert field_text("gap_latest", 3.0, 0, "count") == "3"  # a count needs no unit word
    assert field_text("required_annual_change", 0.5, 1, "score (0-10)") == (
        "0.50 points on the 0 to 10 scale a year"
    )
    assert field_text("target_value", 79.66, 1, "years") == "79.7 years"
    assert field_text("target_value", 4.0, 1, "%") == "4.0%"


def test_a_target_shows_to_its_measures_decimals_and_changes_keep_their_own() -> None:
    assert field_text("target_value", 959.6, 0, "per 100,000") == "960 per 100,000"
    assert field_text("target_value", 7.6449, 2) == "7.64"
    assert field_text("target_value", 12.34) == "12.3"  # no places given: one
    assert field_text("required_annual_change", 0.0812, 0) == "0.08 a year"  # a rate: two


def test_tables_round_each_column_to_its_places() -> None:
    import pandas as pd

    from lutonwb.ui.progress import shown

    df = pd.DataFrame({"value": [16.0412, 9.5], "count": [10520.0, 812.0], "ratio": [1.234, 0.5]})
    out = shown(
        df, {"value": "Value", "count": "Count", "ratio": "Ratio"}, {"Value": 1, "Count": 0}
    )
    assert list(out["Value"]) == [16.0, 9.5] and list(out["Count"]) == [10520.0, 812.0]
    assert list(out["Ratio"]) == [1.23, 0.5]  # a header without places: two
