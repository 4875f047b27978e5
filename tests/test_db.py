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
