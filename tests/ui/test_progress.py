"""The progress page's helpers: figures to one precision for the same figure wherever it shows."""

from __future__ import annotations

from lutonwb.ui.progress import field_text


def test_a_change_a_year_shows_as_in_its_csv() -> None:
    # the table's CSV rounds to two places: the field table says the same 0.08, not 0.1
    assert field_text("required_annual_change", 0.0812) == "0.08"
    assert field_text("observed_annual_change", -0.001) == "0.00"  # never a negative zero
    assert field_text("gap_latest", 1.06) == "1.1" and field_text("target_year", 2040) == "2040"
    assert field_text("progress", "some progress") == "some progress"


def test_a_target_shows_to_its_measures_decimals_and_changes_keep_their_own() -> None:
    assert field_text("target_value", 959.6, 0) == "960"  # a whole-number rate's target
    assert field_text("target_value", 7.6449, 2) == "7.64"
    assert field_text("target_value", 12.34) == "12.3"  # no places given: one
    assert field_text("required_annual_change", 0.0812, 0) == "0.08"  # a rate of change: two


def test_tables_round_each_column_to_its_places() -> None:
    import pandas as pd

    from lutonwb.ui.progress import shown

    df = pd.DataFrame({"value": [16.0412, 9.5], "count": [10520.0, 812.0], "ratio": [1.234, 0.5]})
    out = shown(
        df, {"value": "Value", "count": "Count", "ratio": "Ratio"}, {"Value": 1, "Count": 0}
    )
    assert list(out["Value"]) == [16.0, 9.5] and list(out["Count"]) == [10520.0, 812.0]
    assert list(out["Ratio"]) == [1.23, 0.5]  # a header without places: two
