"""DESNZ sub-regional fuel poverty → table `values` and table `fuel_poverty_lsoa`.

Series desnz-fuel-poverty/lihc (2012–2018) and /lilee (2019–2022) for England, regions and
authorities and, when the place names a `fuel_poverty_lsoa` file, its LSOAs (2011 LSOAs to 2020,
2021 LSOAs from 2021). Two definitions: never one trend line. The LSOA file is read once and
feeds both tables.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lutonwb.ingest.errors import DataError
from lutonwb.ingest.local import empty, local_path
from lutonwb.ingest.periods import period_columns
from lutonwb.ingest.readers import (
    LINE,
    VALUE_AREA_TYPES,
    area_types,
    check_allowed,
    check_pattern,
    check_range,
    check_unique,
    display_name,
    finish_values,
    memo_by_inputs,
    read_table,
    to_number,
)
from lutonwb.place import LocalArea

FUEL_LA = "extra/fuel_poverty/desnz_subregional_fuel_poverty_all_la_2012_2022.csv.gz"
INPUTS: tuple[str, ...] = (FUEL_LA,)
LOCAL_ROLES: tuple[str, ...] = ("fuel_poverty_lsoa",)


@memo_by_inputs(INPUTS, LOCAL_ROLES)
def build(raw: Path, local: LocalArea | None) -> dict[str, pd.DataFrame]:
    """Fuel poverty for every authority, and the place's LSOAs (both tables) if it has any."""
    frames = [load_fuel_la(raw / FUEL_LA)]
    lsoa_table = empty("fuel_poverty_lsoa")
    if local is not None:
        values, lsoa_table = load_fuel_lsoa(
            local_path(raw, local, "fuel_poverty_lsoa"), local.authority
        )
        frames.append(values)
    return {"values": pd.concat(frames, ignore_index=True), "fuel_poverty_lsoa": lsoa_table}


FUEL_COLUMNS = (
    "data_year",
    "metric",
    "households",
    "fuel_poor_households",
    "pct_households_fuel_poor",
)
FUEL_METRICS = {"LIHC": "lihc", "LILEE": "lilee"}
FUEL_NAMES = {
    "LIHC": "Fuel poverty (low income high costs), % of households",
    "LILEE": "Fuel poverty (low income low energy efficiency), % of households",
}


def load_fuel_la(path: Path) -> pd.DataFrame:
    """DESNZ Table 2: England, regions and authorities (metropolitan counties, London halves out)."""
    name = display_name(path)
    df = read_table(path, (*FUEL_COLUMNS, "area_code", "area_name"))
    check_pattern(df, "area_code", r"E\d{8}", name)
    df = df[area_types(df["area_code"]).isin(VALUE_AREA_TYPES)].copy()
    return _fuel(df, "area_code", "area_name", name)


def load_fuel_lsoa(path: Path, authority: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """DESNZ Table 3 rows for one authority's LSOAs, read and validated once: (`values` rows,
    table fuel_poverty_lsoa). The only reader of that file."""
    name = display_name(path)
    df = read_table(path, (*FUEL_COLUMNS, "lsoa_code", "lsoa_name", "la_code"))
    check_pattern(df, "lsoa_code", r"E01\d{6}", name)
    check_pattern(df, "la_code", authority, name)
    households = to_number(df, "households", name, na=("",))
    check_range(households, df, "households", 0, 10_000, name)  # an LSOA, not an authority
    return _fuel(df, "lsoa_code", "lsoa_name", name), fuel_poverty_lsoa(df)


def fuel_poverty_lsoa(rows: pd.DataFrame) -> pd.DataFrame:
    """Table fuel_poverty_lsoa from load_fuel_lsoa's checked rows (2021 on are LSOA 2021, earlier 2011)."""
    year = rows["data_year"].astype(int)
    number = {c: to_number(rows, c, "", na=("",)) for c in FUEL_COLUMNS[2:]}
    return pd.DataFrame(
        {
            "year": year.astype("Int64"),
            "metric": rows["metric"],
            "lsoa_code": rows["lsoa_code"],
            "lsoa_vintage": year.map(lambda y: "LSOA21" if y >= 2021 else "LSOA11").astype(
                "string"
            ),
            "households": number["households"],
            "fuel_poor_households": number["fuel_poor_households"],
            "pct": number["pct_households_fuel_poor"],
        }
    ).reset_index(drop=True)


def _fuel(df: pd.DataFrame, code_col: str, name_col: str, name: str) -> pd.DataFrame:
    check_pattern(df, "data_year", r"20\d\d", name)
    check_allowed(df, "metric", FUEL_METRICS, name)
    # LIHC ran to 2018 and LILEE from 2019: a row on the wrong side is a mislabelled year or metric
    year = df["data_year"].astype(int)
    wrong = ((df["metric"] == "LIHC") & (year > 2018)) | ((df["metric"] == "LILEE") & (year < 2019))
    if wrong.any():
        i = wrong.idxmax()
        raise DataError(
            name,
            int(df.loc[i, LINE]),
            "metric",
            f"{df.loc[i, 'metric']} in {df.loc[i, 'data_year']}",
            "LIHC for 2012–2018, LILEE from 2019",
        )
    households = to_number(df, "households", name, na=("",))
    poor = to_number(df, "fuel_poor_households", name, na=("",))
    pct = to_number(df, "pct_households_fuel_poor", name, na=("",))
    check_range(households, df, "households", 0, 3e7, name)
    check_range(pct, df, "pct_households_fuel_poor", 0, 100, name)
    over = poor > households
    if over.any():
        i = over.idxmax()
        raise DataError(
            name,
            int(df.loc[i, LINE]),
            "fuel_poor_households",
            f"{poor[i]} of {households[i]} households",
            "no more than the households",
        )
    check_unique(df, ["metric", "data_year", code_col], name)
    out = pd.DataFrame(
        {
            "series": "desnz-fuel-poverty/" + df["metric"].map(FUEL_METRICS),
            "indicator": df["metric"].map(FUEL_NAMES),
            "area_code": df[code_col],
            "area_name": df[name_col],
            "value": pct,
            "count": poor,
            "denominator": households,
            "unit": "%",
            LINE: df[LINE],
        },
        index=df.index,
    )
    out = out.join(period_columns(df, "data_year", name))
    return finish_values(out[out["value"].notna()].copy(), name)
