"""DESNZ sub-regional fuel poverty on the bundled files: authorities and Luton's LSOAs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lutonwb.ingest import desnz
from lutonwb.ingest.errors import DataError


@pytest.fixture(scope="module")
def tables(raw_dir: Path) -> dict[str, pd.DataFrame]:
    return desnz.build(raw_dir)


@pytest.fixture(scope="module")
def v(tables) -> pd.DataFrame:
    return tables["values"]


def test_fuel_poverty(v, one) -> None:
    row = one(v, series="desnz-fuel-poverty/lilee", area_code="E06000032", period="2022")
    assert (row["value"], row["count"], row["denominator"]) == (13.026, 10520, 80760)
    assert (
        one(v, series="desnz-fuel-poverty/lilee", area_code="E92000001", period="2022")["value"]
        == 13.051
    )
    lihc = v[v["series"] == "desnz-fuel-poverty/lihc"]
    assert (
        lihc["end_year"].max() == 2018
        and v.loc[v["series"] == "desnz-fuel-poverty/lilee", "start_year"].min() == 2019
    )
    lsoa = v[
        (v["series"] == "desnz-fuel-poverty/lilee")
        & (v["area_type"] == "lsoa")
        & (v["period"] == "2022")
    ]
    assert len(lsoa) == 125


def test_fuel_poverty_lsoa_table(tables) -> None:
    fp = tables["fuel_poverty_lsoa"]
    y22 = fp[fp["year"] == 2022]
    assert len(y22) == 125 and (y22["lsoa_vintage"] == "LSOA21").all()
    assert set(y22["metric"]) == {"LILEE"}
    assert len(fp[fp["year"] == 2020]) == 121 and len(fp) == 1339


def test_lsoa_file_feeds_both_tables_alike(tables) -> None:
    """One reader: the table and the values rows carry the same 2022 figures."""
    fp = tables["fuel_poverty_lsoa"].set_index(["year", "lsoa_code"])
    v = tables["values"]
    lsoa = v[(v["area_type"] == "lsoa") & (v["period"] == "2022")].set_index("area_code")
    row = fp.loc[(2022, "E01015693")]
    assert (row["pct"], row["households"]) == (
        lsoa.loc["E01015693", "value"],
        lsoa.loc["E01015693", "denominator"],
    )


def test_without_a_local_area_the_lsoa_table_is_empty(raw_dir: Path) -> None:
    t = desnz.build(raw_dir, None)
    assert t["fuel_poverty_lsoa"].empty and "pct" in t["fuel_poverty_lsoa"].columns
    assert len(t["values"]) and not (t["values"]["area_type"] == "lsoa").any()


LSOA_ROW = "2012,LIHC,E01015693,Luton 007A,E06000032,Luton,East of England,508,58,11.4"
LSOA_CASES = [
    (LSOA_ROW, LSOA_ROW.replace(",508,58,", ",508,580,"), "fuel_poor_households"),
    (LSOA_ROW, LSOA_ROW.replace(",11.4", ",114"), "pct_households_fuel_poor"),
    (LSOA_ROW, LSOA_ROW.replace(",E06000032,", ",E06000033,"), "la_code"),
    (LSOA_ROW, LSOA_ROW.replace(",508,", ",50800,"), "households"),
]


@pytest.mark.parametrize(("old", "new", "field"), LSOA_CASES)
def test_malformed_lsoa_file(raw_dir, tmp_path, luton, old, new, field) -> None:
    rel = luton.files["fuel_poverty_lsoa"].path
    dst = tmp_path / "raw" / rel
    dst.parent.mkdir(parents=True)
    text = (raw_dir / rel).read_text(encoding="utf-8-sig")
    assert old in text
    dst.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        desnz.load_fuel_lsoa(dst, luton.authority)
    assert (err.value.file, err.value.line, err.value.field) == (rel, 2, field)
