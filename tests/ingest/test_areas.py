"""Areas: England, regions, every current authority, legacy codes named from the data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lutonwb.ingest import areas


@pytest.fixture(scope="module")
def a(raw_dir: Path) -> pd.DataFrame:
    return areas.build(raw_dir)["areas"]


def test_current_areas(a) -> None:
    cur = a[a["current"]]
    assert cur["area_type"].value_counts().to_dict() == {
        "ltla": 164,
        "utla": 153,
        "region": 9,
        "england": 1,
    }
    luton = cur.set_index("area_code").loc["E06000032"]
    assert (luton["area_name"], luton["area_type"], luton["parent_code"]) == (
        "Luton",
        "utla",
        "E12000006",
    )
    herts = cur.set_index("area_code").loc["E10000015"]
    assert (herts["area_type"], herts["parent_code"]) == ("utla", "E12000006")
    assert cur.set_index("area_code").loc["E12000006", "parent_code"] == "E92000001"
    assert not a["area_code"].duplicated().any()


def test_legacy_codes_from_the_data(a) -> None:
    old = a[~a["current"]].set_index("area_code")
    assert old.loc["E06000028", "area_name"] == "Bournemouth"
    assert old.loc["E10000021", "area_name"].startswith("Northamptonshire")
    assert (old["vintage"] == "legacy").all()
