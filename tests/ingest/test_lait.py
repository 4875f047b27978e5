"""DfE LAIT loader: LA numbers → ONS codes, float artefacts rounded, end-year labels relabelled."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from lutonwb.ingest import lait
from lutonwb.ingest.errors import DataError


@pytest.fixture(scope="module")
def v(raw_dir: Path) -> pd.DataFrame:
    return lait.build(raw_dir)["values"]


def _one(v: pd.DataFrame, item: str, area: str, period: str) -> pd.Series:
    rows = v[(v["series"] == f"lait/{item}") & (v["area_code"] == area) & (v["period"] == period)]
    assert len(rows) == 1, (
        item,
        area,
        period,
        sorted(set(v[v["series"] == f"lait/{item}"]["period"])),
    )
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("area", "value"), [("E06000032", 64.0), ("E92000001", 68.3), ("E12000006", 68.7)]
)
def test_good_level_of_development_2024_25(v, area: str, value: float) -> None:
    # LAIT's "2025" is the 2024/25 school year (summer-term EYFSP assessment)
    row = _one(v, "FSP_NEW_GOODDEV", area, "2024/25")
    assert row["value"] == value
    assert row["unit"] == "%"
    assert (row["period_start"], row["period_end"]) == (
        pd.Timestamp("2024-09-01"),
        pd.Timestamp("2025-07-31"),
    )
    assert (row["start_year"], row["end_year"]) == (2024, 2025)


def test_gld_2022_23_is_the_aphr_figure(v) -> None:
    # APHR 2023: Luton 61.1%, England 67.2% for 2022/23 (LAIT "2023")
    assert _one(v, "FSP_NEW_GOODDEV", "E06000032", "2022/23")["value"] == 61.1
    assert _one(v, "FSP_NEW_GOODDEV", "E92000001", "2022/23")["value"] == 67.2


@pytest.mark.parametrize(
    ("item", "period", "start", "end", "value"),
    [
        ("ExcessYr6", "2019/20", date(2019, 9, 1), date(2020, 7, 31), 35.19),  # ONS ELS 2019/20
        ("ExcessRec", "2021/22", date(2021, 9, 1), date(2022, 7, 31), 22.3),
        ("FSP_Gooddev_FSM", "2016/17", date(2016, 9, 1), date(2017, 7, 31), 56.0),
        ("PriFSM", "2024/25", date(2024, 9, 1), date(2025, 7, 31), 24.7),
        ("16-17 NEET", "2024/25", date(2024, 9, 1), date(2025, 7, 31), 3.4),
        ("HospAd0-14", "2023/24", date(2023, 4, 1), date(2024, 3, 31), 72.71),
        ("6wksBreast", "2023/24", date(2023, 4, 1), date(2024, 3, 31), 52.71),
        ("CMH_0-17yrs", "2023/24", date(2023, 4, 1), date(2024, 3, 31), 80.2),
        ("Hosp_Adm_Alc_<18yrs", "2021/22-23/24", date(2021, 4, 1), date(2024, 3, 31), 22.56),
        ("InfMort", "2023", date(2023, 1, 1), date(2023, 12, 31), 3.9),
        ("Low_Birth_Weight_Babies", "2020", date(2020, 1, 1), date(2020, 12, 31), 2.86),
        ("Under18concep", "2019", date(2019, 1, 1), date(2019, 12, 31), 15.7),
    ],
)
def test_period_per_year_type(v, item: str, period: str, start: date, end: date, value: float):
    row = _one(v, item, "E92000001", period)
    assert row["value"] == pytest.approx(value, abs=0.006)
    assert (row["period_start"].date(), row["period_end"].date()) == (start, end)


def test_no_bare_end_year_left_on_school_or_financial_items(v) -> None:
    kinds = {lait.ACADEMIC, lait.FINANCIAL}
    items = {f"lait/{k}" for k, t in lait.YEAR_TYPE.items() if t in kinds}
    sel = v[v["series"].isin(items)]
    assert len(sel) > 10_000
    assert sel["period"].str.fullmatch(r"\d{4}/\d{2}").all()
    # ... and every item in the extract has a year type
    assert set(v["series"].str.removeprefix("lait/")) == set(lait.YEAR_TYPE)


def test_infant_mortality_is_single_year(v) -> None:
    inf = v[(v["series"] == "lait/InfMort") & (v["area_code"] == "E06000032")]
    assert set(inf["period"]) == {str(y) for y in range(2016, 2024)}
    assert (inf["start_year"] == inf["end_year"]).all()  # one calendar year, not a 3-year pool


def test_unknown_item_is_refused(raw_dir: Path, tmp_path: Path) -> None:
    src = raw_dir / lait.FILE
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    df.loc[df["Short Desc"] == "PriFSM", "Short Desc"] = "NewItem"
    for rel in lait.INPUTS:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes((raw_dir / rel).read_bytes())
    with gzip.open(tmp_path / lait.FILE, "wt", newline="") as f:
        df.to_csv(f, index=False)
    with pytest.raises(DataError) as exc:
        lait.build(tmp_path)
    assert "NewItem" in str(exc.value) and "Short Desc" in str(exc.value)


def test_float_artefacts_and_pooled_periods(v) -> None:
    # raw "10.199999999999999" for Barnet under-18 conceptions 2016
    assert _one(v, "Under18concep", "E09000003", "2016")["value"] == 10.2
    alc = v[v["series"] == "lait/Hosp_Adm_Alc_<18yrs"]
    assert "2021/22-23/24" in set(alc["period"])
    assert set(v["area_type"]) == {"england", "region", "utla"}
    assert not v["area_code"].str.startswith("E13").any()  # Inner/Outer London left out
