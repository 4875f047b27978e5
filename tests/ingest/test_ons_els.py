"""ONS Explore Local Statistics loader on the bundled files (both layouts, statuses, ISO periods)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lutonwb.ingest import ons_els


@pytest.fixture(scope="module")
def els(raw_dir: Path) -> pd.DataFrame:
    return ons_els.build(raw_dir)["values"]


def test_hle_luton_male(els, one) -> None:
    row = one(
        els,
        series="ons-els/healthy-life-expectancy/male-healthy-life-expectancy",
        area_code="E06000032",
        period="2022-24",
    )
    assert (row["value"], row["lower_ci"], row["upper_ci"]) == (56.9, 53.2, 60.7)
    assert row["sex"] == "Male" and row["unit"] == "yrs"
    assert (row["period_start"], row["period_end"]) == (
        pd.Timestamp("2022-01-01"),
        pd.Timestamp("2024-12-31"),
    )


def test_claimant_count_luton_2025(els, one) -> None:
    row = one(
        els,
        series="ons-els/ons_els_claimant_count_all_areas_2001_2025/claimant-count",
        area_code="E06000032",
        period="2025",
    )
    assert row["value"] == 6.9


@pytest.mark.parametrize(
    ("series", "period", "value"),
    [
        (
            "ons-els/personal-wellbeing-estimates/anxiety",
            "2022/23",
            2.6,
        ),  # measure/observation swapped
        ("ons-els/adult-obesity-prevalence/adult-obesity-prevalence", "Nov 2024-25", 32.5),
        ("ons-els/early-years/communication-and-language", "2024/25", 75.2),
        ("ons-els/gigabit-capable-broadband/gigabit-capable-broadband", "2026-01-01", 98.1),
        (
            "ons-els/persistent-absences-for-pupils-eligible-for-free-school-meals/persistent-absences-for-pupils-eligible-for-free-school-meals",
            "2024/25",
            25.8,
        ),
    ],
)
def test_luton_latest_values(els, series: str, period: str, value: float, one) -> None:
    assert round(one(els, series=series, area_code="E06000032", period=period)["value"], 1) == value


def test_legacy_layouts(els, one) -> None:
    row = one(
        els,
        series="ons-els/overweight-children-at-year-6-age-aged-10-to-11-years/overweight-children-at-year-6-age-aged-10-to-11-years",
        area_code="E06000032",
        period="2021/22",
    )
    assert round(row["value"], 1) == 43.6 and round(row["lower_ci"], 1) == 42.0
    assert row["period_start"] == pd.Timestamp("2021-08-01")
    sick = els[
        els["series"].str.startswith("ons-els/proportion-of-people-who-are-economically-inactive")
    ]
    assert round(one(sick, area_code="E06000032", period="2022")["value"], 2) == 16.71
    school = one(
        els,
        series="ons-els/schools-and-nursery-schools-rated-good-or-outstanding/state-funded-schools-rated-good-or-outstanding",
        area_code="E06000032",
    )
    assert school["period"] == "2024-09-30"


def test_status_rows_kept_geographies_filtered_units(els) -> None:
    suppressed = els[els["value"].isna()]
    assert len(suppressed) and (suppressed["status"] != "").all()
    assert set(els["area_type"]) == {"england", "region", "utla", "ltla"}
    aff = els[els["series"].str.startswith("ons-els/housing-affordability-ratio/")]
    assert set(aff["unit"]) == {"ratio"}
    culture = els[els["series"].str.startswith("ons-els/engagement-with-culture-and-heritage/")]
    assert not culture.duplicated(["series", "area_code", "period"]).any()
    assert "Value for Somerset Cty applied to Somerset UA" in set(els["status"])
    assert els["series"].nunique() == 56
