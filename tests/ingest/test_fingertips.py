"""Fingertips loaders on the bundled files: raw export, tidy extracts, 2020 dashboard, metadata."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lutonwb.ingest import fingertips


@pytest.fixture(scope="module")
def ft(raw_dir: Path) -> dict[str, pd.DataFrame]:
    return fingertips.build(raw_dir)


@pytest.mark.parametrize(
    ("area", "period", "sex", "value"),
    [
        ("E06000032", "2020-22", "Male", 76.9),
        ("E06000032", "2020-22", "Female", 81.3),
        ("E92000001", "2023-25", "Male", 79.7),
    ],
)
def test_life_expectancy_spot_values(
    ft, area: str, period: str, sex: str, value: float, one
) -> None:
    row = one(
        ft["values"], series="fingertips/life_expectancy", area_code=area, period=period, sex=sex
    )
    assert row["value"] == value
    assert row["period_start"] == pd.Timestamp(f"{period[:4]}-01-01")
    assert row["period_end"] == pd.Timestamp(f"20{period[-2:]}-12-31")
    assert (
        row["unit"] == "years"
        and row["source_file"] == "fingertips/trafford_themes_all_la/life_expectancy.csv.gz"
    )


def test_luton_life_expectancy_significance_and_area_type(ft, one) -> None:
    row = one(
        ft["values"],
        series="fingertips/life_expectancy",
        area_code="E06000032",
        period="2023-25",
        sex="Male",
    )
    assert (row["value"], row["significance"], row["area_type"]) == (78.6, "Worse", "utla")


def test_raw_export_england_campylobacter(ft, one) -> None:
    v = ft["values"]
    row = one(
        v,
        series="fingertips-raw/93356",
        area_code="E92000001",
        period="2015",
        category="",
        age="All ages",
    )
    assert (
        round(row["value"], 2) == 94.73 and row["count"] == 51897 and row["denominator"] == 54786327
    )
    assert round(row["lower_ci"], 2) == 93.91 and round(row["upper_ci"], 2) == 95.54
    assert row["indicator"] == "Campylobacter incidence rate/100,000"  # embedded newline removed
    assert row["significance"] == "Not compared"
    deciles = v[
        (v["series"] == "fingertips-raw/93356")
        & (v["category_type"] != "")
        & (v["period"] == "2015")
    ]
    assert (
        deciles["category"].nunique() == 10
        and deciles["category_type"].str.contains("IMD2015").all()
    )
    assert set(v.loc[v["series"] == "fingertips-raw/93356", "area_type"]) == {
        "england",
        "region",
        "utla",
    }


def test_tidy_sex_quintiles_and_wards(ft) -> None:
    v = ft["values"]
    mort = v[v["series"] == "fingertips/mortality_rate"]
    assert set(mort["sex"]) == {"Male", "Female", "Persons"}  # sex comes from `unit` in this file
    y6 = v[v["series"] == "fingertips/obese_year6"]
    assert not y6["area_code"].str.startswith("E05").any()  # Trafford wards dropped
    q = y6[y6["category_type"] == "Deprivation quintile"]
    assert "E92000001" in set(q["area_code"]) and q["category"].nunique() == 5
    assert set(v.loc[v["series"] == "fingertips/children_dental_decay", "age"]) == {"5 years"}
    checks = v[v["series"] == "fingertips/nhs_health_checks"]
    assert "2021/22 Q1-2025/26 Q3" in set(checks["period"])


def test_dashboard_2020_drops_greater_manchester(ft, one) -> None:
    v = ft["values"]
    old = v[v["series"].str.startswith("fingertips-2020/")]
    assert not old["area_code"].str.startswith("E47").any()
    assert set(old["series"]) == {
        "fingertips-2020/admissions_self_harm",
        "fingertips-2020/admissions_self_harm_young_people",
        "fingertips-2020/low_income_families",
        "fingertips-2020/preventable_mortality_from_cancer",
        "fingertips-2020/school_readiness_fsm",
    }
    row = one(
        v,
        series="fingertips-2020/preventable_mortality_from_cancer",
        area_code="E92000001",
        period="2015-17",
    )
    assert row["period_start"] == pd.Timestamp("2015-01-01")


def test_metadata_table(ft) -> None:
    meta = ft["indicator_metadata"]
    assert len(meta) == 37 and {"indicator_id", "polarity"} <= set(meta.columns)
    assert meta.set_index("indicator_id").loc["108", "polarity"] == "Low is good"
