"""DWP CiLIF, DESNZ fuel poverty and MHCLG homelessness loaders on the bundled files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lutonwb.ingest import extra


@pytest.fixture(scope="module")
def v(raw_dir: Path) -> pd.DataFrame:
    return extra.build(raw_dir)["values"]


def one(v: pd.DataFrame, **where) -> pd.Series:
    rows = v
    for k, x in where.items():
        rows = rows[rows[k] == x]
    assert len(rows) == 1, f"{len(rows)} rows for {where}"
    return rows.iloc[0]


def test_cilif_relative_luton_fye2021(v) -> None:
    row = one(v, series="dwp-cilif/relative", area_code="E06000032", period="2020/21")
    assert (row["value"], row["count"], row["status"]) == (27.8, 14649, "p")
    assert (row["period_start"], row["period_end"]) == (
        pd.Timestamp("2020-04-01"),
        pd.Timestamp("2021-03-31"),
    )
    assert (
        one(v, series="dwp-cilif/absolute", area_code="E06000032", period="2020/21")["value"]
        == 23.4
    )
    assert not v["area_code"].str.match(r"[KSWN]").any()


def test_cilif_wards_keep_suppressed_cells(v) -> None:
    wards = v[(v["series"] == "dwp-cilif/relative") & (v["area_type"] == "ward")]
    assert wards["area_code"].nunique() == 19
    assert one(wards, area_code="E05002193", period="2014/15")["value"] == 14.0


def test_fuel_poverty(v) -> None:
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


def test_homelessness(v) -> None:
    row = one(v, series="mhclg-homelessness/temporary-accommodation", area_code="E06000032")
    assert (
        round(row["value"], 2) == 13.26
        and row["period"] == "2023 Q4"
        and row["area_name"] == "Luton"
    )
    assert (row["period_start"], row["period_end"]) == (
        pd.Timestamp("2023-10-01"),
        pd.Timestamp("2023-12-31"),
    )
    assert (
        round(
            one(v, series="mhclg-homelessness/assessed-homeless", area_code="E06000032")["value"], 2
        )
        == 3.85
    )
    assert v["value"].notna().sum() == len(
        v
    )  # "NA" rows dropped (no suppressed cells among these sources but wards)
