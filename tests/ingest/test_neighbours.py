"""CSSNBT statistical neighbour groups for every authority, and the LA number → ONS code map."""

from __future__ import annotations

from pathlib import Path

from lutonwb.ingest import neighbours


def test_groups_for_every_authority(raw_dir: Path) -> None:
    g = neighbours.build(raw_dir)["area_groups"]
    assert set(g["group_id"]) == {"cssnbt-2021", "cssnbt-2025"}
    luton21 = g[(g["group_id"] == "cssnbt-2021") & (g["area_code"] == "E06000032")].sort_values(
        "rank"
    )
    assert luton21["member_name"].tolist()[:3] == ["Birmingham", "Slough", "Sandwell"]
    luton25 = g[(g["group_id"] == "cssnbt-2025") & (g["area_code"] == "E06000032")].sort_values(
        "rank"
    )
    assert luton25["member_code"].iloc[0] == "E06000039"  # Slough
    assert g["area_code"].nunique() > 150
    assert set(g["closeness"]) <= {
        "Extremely close",
        "Very close",
        "Close",
        "Somewhat close",
        "Not close",
    }


def test_la_number_codes(raw_dir: Path) -> None:
    codes = neighbours.la_number_codes(raw_dir)
    assert codes["821"] == "E06000032" and len(codes) == 158
