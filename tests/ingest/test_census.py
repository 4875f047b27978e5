"""Census 2021 household deprivation: totals, shape and malformed inputs named by file, line, field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lutonwb.ingest import census
from lutonwb.ingest.errors import DataError
from lutonwb.place import load_place

ROOT = Path(__file__).resolve().parents[2]
FILE = load_place(ROOT / "data" / "places" / "luton").local_area.files[census.LOCAL_ROLES[0]].path


def test_totals_and_shape(raw_dir: Path) -> None:
    t = census.build(raw_dir)["census_household_deprivation"]
    assert len(t) == 625 and t["lsoa_code"].nunique() == 125
    assert t["count"].sum() == 78_950
    row = t[(t["lsoa_code"] == "E01015693") & (t["dimensions"] == 0)].iloc[0]
    assert (row["count"], row["percent"]) == (326, 61.6)
    assert sorted(t["dimensions"].unique().tolist()) == [0, 1, 2, 3, 4]


CASES = [
    ("E01015693,0,326,61.6", "E0101569,0,326,61.6", 2, "lsoa21_code"),
    ("E01015693,0,326,61.6", "E01015693,5,326,61.6", 2, "households_number_deprivation_dimensions"),
    ("E01015693,1,162,30.6", "E01015693,0,162,30.6", 3, "lsoa21_code,households_number_deprivation_dimensions"),
    ("E01015693,0,326,61.6", "E01015693,0,-3,61.6", 2, "count"),
    ("E01015693,0,326,61.6", "E01015693,0,326.5,61.6", 2, "count"),
    ("E01015693,0,326,61.6", "E01015693,0,326,", 2, "percent"),
    ("E01015693,0,326,61.6", "E01015693,0,326,16.6", 2, "percent"),
    ("E01015693,0,326,61.6", "E01015693,0,many,61.6", 2, "count"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "line", "field"), CASES)
def test_malformed(raw_dir: Path, tmp_path: Path, old, new, line, field) -> None:
    dst = tmp_path / "raw" / FILE
    dst.parent.mkdir(parents=True)
    shutil.copy(raw_dir / FILE, dst)
    text = dst.read_text()
    assert old in text
    dst.write_text(text.replace(old, new, 1))
    with pytest.raises(DataError) as err:
        census.read_household_deprivation(dst)
    assert (err.value.file, err.value.line, err.value.field) == (FILE, line, field)


def test_missing_dimension_row(raw_dir: Path, tmp_path: Path) -> None:
    dst = tmp_path / "raw" / FILE
    dst.parent.mkdir(parents=True)
    lines = (raw_dir / FILE).read_text().splitlines(keepends=True)
    dst.write_text("".join(lines[:3] + lines[4:]))  # drop E01015693 with 2 dimensions
    with pytest.raises(DataError, match="without dimension 2") as err:
        census.read_household_deprivation(dst)
    assert err.value.field == "households_number_deprivation_dimensions"


def test_without_a_local_area_the_table_is_empty(raw_dir: Path) -> None:
    t = census.build(raw_dir, None)["census_household_deprivation"]
    assert t.empty and list(t.columns) == [
        "lsoa_code",
        "lsoa_vintage",
        "dimensions",
        "count",
        "percent",
    ]
