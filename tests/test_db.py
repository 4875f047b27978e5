"""Warehouse access: large parquet files are queried in place, small ones held in memory."""

from __future__ import annotations

import pandas as pd

from lutonwb import db


def _kinds(wh: db.Warehouse) -> dict[str, str]:
    rows = wh._query("SELECT table_name, table_type FROM information_schema.tables")
    return dict(zip(rows["table_name"], rows["table_type"], strict=True))


def test_large_files_are_views_with_the_same_answers(warehouse_dir, monkeypatch):
    held = db.Warehouse(warehouse_dir)
    assert set(_kinds(held).values()) == {"BASE TABLE"}  # every real file is small
    monkeypatch.setattr(db, "IN_PLACE_BYTES", 0)
    in_place = db.Warehouse(warehouse_dir)
    assert set(_kinds(in_place).values()) == {"VIEW"}
    assert in_place.tables() == held.tables()
    assert in_place.row_counts() == held.row_counts()
    assert in_place.series_names() and sorted(in_place.series_names()) == sorted(
        held.series_names()
    )
    cols = ["series", "rows", "areas", "first_start", "last_end"]  # any_value() may differ
    pd.testing.assert_frame_equal(held.series_summary()[cols], in_place.series_summary()[cols])
    assert len(in_place.table("areas")) == len(held.table("areas")) > 100


def test_each_series_latest_period_is_the_one_that_ends_last(wh):
    """The methods page shows a series' span ('To December 2024') beside its latest period: the
    latest period must end there, even where single years and pooled years are mixed."""
    summary = wh.series_summary().set_index("series")
    ends = wh._query('SELECT DISTINCT series, period, period_end FROM "values"')
    last = ends.merge(summary["last_end"], left_on="series", right_index=True)
    at_end = last[last["period_end"] == last["last_end"]].groupby("series")["period"].agg(set)
    for series, row in summary.iterrows():
        assert row["latest_period"] in at_end[series], (series, row["latest_period"])
    smoking = summary.loc["fingertips/adults_smoking_manual"]  # has '2023' and '2022-24'
    assert (smoking["latest_period"], str(smoking["last_end"])[:10]) == ("2022-24", "2024-12-31")
