"""The progress page's helpers: figures to one precision for the same figure wherever it shows."""

from __future__ import annotations

from lutonwb.ui.progress import field_text


def test_a_change_a_year_shows_as_in_its_csv() -> None:
    # the table's CSV rounds to two places: the field table says the same 0.08, not 0.1
    assert field_text("required_annual_change", 0.0812) == "0.08"
    assert field_text("observed_annual_change", -0.001) == "0.00"  # never a negative zero
    assert field_text("gap_latest", 1.06) == "1.1" and field_text("target_year", 2040) == "2040"
    assert field_text("progress", "some progress") == "some progress"
