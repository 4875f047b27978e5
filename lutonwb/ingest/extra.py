"""Extra sources added later → table `values`.

- DWP children in low income families (wide workbook sheets, fractions 0–1): dwp-cilif/relative|absolute,
  all English authorities and Luton's 19 wards; FYE 2021 is provisional (status 'p'); ward cells
  "[x]"/"[low]" are kept with value NaN and status 'x'/'low'.
- DESNZ sub-regional fuel poverty: desnz-fuel-poverty/lihc (2012–2018) and /lilee (2019–2022),
  authorities, England, regions and Luton LSOAs. Two definitions: never one trend line.
- MHCLG homelessness snapshot Oct–Dec 2023 (period '2023 Q4'): temporary accommodation and
  assessed homeless per 1,000 households; "NA" (no return) rows are dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from lutonwb.ingest.errors import DataError
from lutonwb.ingest.periods import period_columns
from lutonwb.ingest.readers import (
    LINE,
    VALUE_AREA_TYPES,
    area_types,
    check_pattern,
    check_range,
    check_unique,
    display_name,
    finish_values,
    memo_by_inputs,
    parse_numbers,
    read_rows,
)

CILIF_LA = "extra/child_poverty/dwp_cilif_children_low_income_families_all_la_fye2015_2021.csv"
CILIF_WARDS = (
    "extra/child_poverty/dwp_cilif_children_low_income_families_luton_wards_fye2015_2021.csv"
)
FUEL_LA = "extra/fuel_poverty/desnz_subregional_fuel_poverty_all_la_2012_2022.csv.gz"
FUEL_LSOA = "extra/fuel_poverty/desnz_subregional_fuel_poverty_luton_lsoa_2012_2022.csv"
HOMELESS = "extra/homelessness/mhclg_homelessness_ta_per_1000_ltla23_oct_dec_2023_healthyr.csv"
NAMES = "lookups/all_ltla23_to_utla23.csv"
INPUTS: tuple[str, ...] = (CILIF_LA, CILIF_WARDS, FUEL_LA, FUEL_LSOA, HOMELESS, NAMES)


@memo_by_inputs(INPUTS)
def build(raw: Path) -> dict[str, pd.DataFrame]:
    """All extra sources, stacked."""
    frames = [
        load_cilif(raw / CILIF_LA, "area_code", "area_name", r"[EWSNK]\d{8}"),
        load_cilif(raw / CILIF_WARDS, "ward_code", "ward_name", r"E05\d{6}"),
        load_fuel_la(raw / FUEL_LA),
        load_fuel_lsoa(raw / FUEL_LSOA),
        load_homelessness(raw / HOMELESS, raw / NAMES),
    ]
    return {"values": pd.concat(frames, ignore_index=True)}


_COUNT_COL = re.compile(r"Number of children\s*FYE (\d{4})(\[p\])?")
_PCT_COL = re.compile(r"Percentage of children\s*FYE (\d{4})\(%\)(\[p\])?.*")
CILIF_MEASURES = {"relative": "relative", "absolute": "absolute"}
CILIF_STATUS = {"[x]": "x", "[low]": "low", "[c]": "c", "[u]": "u"}


def load_cilif(path: Path, code_col: str, name_col: str, code_pattern: str) -> pd.DataFrame:
    """Wide DWP sheet (one count and one fraction column per FYE) → long rows in percent."""
    name = display_name(path)
    df = read_rows(path, ("measure", name_col, code_col))
    counts = {m[1]: (c, bool(m[2])) for c in df.columns if (m := _COUNT_COL.fullmatch(c))}
    pcts = {m[1]: (c, bool(m[2])) for c in df.columns if (m := _PCT_COL.fullmatch(c))}
    if not pcts:
        raise DataError(
            name,
            1,
            "Percentage of childrenFYE YYYY(%)",
            f"header {list(df.columns)}",
            "percentage columns per FYE",
        )
    if set(counts) != set(pcts):
        year = sorted(set(counts) ^ set(pcts))[0]
        raise DataError(
            name,
            1,
            f"FYE {year}",
            f"count years {sorted(counts)} vs percentage years {sorted(pcts)}",
            "both columns for every year",
        )
    bad = ~df["measure"].isin(list(CILIF_MEASURES))
    if bad.any():
        i = bad.idxmax()
        raise DataError(
            name,
            int(df.loc[i, LINE]),
            "measure",
            df.loc[i, "measure"],
            f"one of {sorted(CILIF_MEASURES)}",
        )
    check_pattern(df, code_col, code_pattern, name)
    check_unique(df, ["measure", code_col], name)
    keep = area_types(df[code_col]).isin(VALUE_AREA_TYPES | {"ward"})
    df = df[keep].copy()
    parts = []
    for year in sorted(pcts):
        pcol, provisional = pcts[year]
        ccol, _ = counts[year]
        frac = parse_numbers(df, pcol, name, na=("", *CILIF_STATUS))
        check_range(frac, df, pcol, 0, 1, name)
        count = parse_numbers(df, ccol, name, na=("", *CILIF_STATUS))
        check_range(count, df, ccol, 0, 1e8, name)
        flag = df[pcol].fillna("").str.strip().str.lower().map(CILIF_STATUS).fillna("")
        status = flag.where(flag != "", "p" if provisional else "")
        parts.append(
            pd.DataFrame(
                {
                    "series": "dwp-cilif/" + df["measure"],
                    "indicator": "Children in " + df["measure"] + " low income families",
                    "area_code": df[code_col],
                    "area_name": df[name_col]
                    .str.replace(r"\s*\[note \d+\]", "", regex=True)
                    .str.strip(),
                    "value": (frac * 100).round(10),
                    "count": count,
                    "status": status,
                    "unit": "%",
                    "fye": f"FYE {year}",
                    LINE: df[LINE],
                },
                index=df.index,
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out = out.join(period_columns(out, "fye", name))
    out = out[out["value"].notna() | (out["status"] != "")].copy()
    return finish_values(out, name)


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
    """DESNZ Table 2 rows: England, regions and authorities (metropolitan counties and London halves left out)."""
    name = display_name(path)
    df = read_rows(path, (*FUEL_COLUMNS, "area_code", "area_name"))
    check_pattern(df, "area_code", r"E\d{8}", name)
    df = df[area_types(df["area_code"]).isin(VALUE_AREA_TYPES)].copy()
    return _fuel(df, "area_code", "area_name", name)


def load_fuel_lsoa(path: Path) -> pd.DataFrame:
    """DESNZ Table 3 rows for Luton's LSOAs (2011 LSOAs to 2020, 2021 LSOAs from 2021)."""
    name = display_name(path)
    df = read_rows(path, (*FUEL_COLUMNS, "lsoa_code", "lsoa_name", "la_code"))
    check_pattern(df, "lsoa_code", r"E01\d{6}", name)
    check_pattern(df, "la_code", r"E0[6-9]\d{6}", name)
    return _fuel(df, "lsoa_code", "lsoa_name", name)


def _fuel(df: pd.DataFrame, code_col: str, name_col: str, name: str) -> pd.DataFrame:
    check_pattern(df, "data_year", r"20\d\d", name)
    bad = ~df["metric"].isin(list(FUEL_METRICS))
    if bad.any():
        i = bad.idxmax()
        raise DataError(
            name,
            int(df.loc[i, LINE]),
            "metric",
            df.loc[i, "metric"],
            f"one of {sorted(FUEL_METRICS)}",
        )
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
    households = parse_numbers(df, "households", name, na=("",))
    poor = parse_numbers(df, "fuel_poor_households", name, na=("",))
    pct = parse_numbers(df, "pct_households_fuel_poor", name, na=("",))
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


HOMELESS_COLUMNS = {
    "Households in temporary accommodation per 1,000": (
        "mhclg-homelessness/temporary-accommodation",
        "Households in temporary accommodation per 1,000 households (end of quarter)",
    ),
    "Households assessed as homeless per (000s)": (
        "mhclg-homelessness/assessed-homeless",
        "Households assessed as homeless per 1,000 households (quarter)",
    ),
}
HOMELESS_PERIOD = "2023 Q4"  # Oct–Dec 2023, from the file's provenance (Detailed_LA_202312)


def load_homelessness(path: Path, names_path: Path) -> pd.DataFrame:
    """Two rates per lower-tier authority for one quarter; names from the LTLA23 lookup."""
    name = display_name(path)
    df = read_rows(path, ("ltla23_code", *HOMELESS_COLUMNS))
    check_pattern(df, "ltla23_code", r"E0[6-9]\d{6}", name)
    check_unique(df, ["ltla23_code"], name)
    lookup = read_rows(names_path, ["ltla23_code", "ltla23_name"])
    names = dict(zip(lookup["ltla23_code"], lookup["ltla23_name"], strict=True))
    parts = []
    for col, (series, label) in HOMELESS_COLUMNS.items():
        value = parse_numbers(df, col, name, na=("", "NA"))
        check_range(value, df, col, 0, 1000, name)
        parts.append(
            pd.DataFrame(
                {
                    "series": series,
                    "indicator": label,
                    "area_code": df["ltla23_code"],
                    "area_name": df["ltla23_code"].map(names).fillna(""),
                    "value": value,
                    "unit": "per 1,000 households",
                    "period_text": HOMELESS_PERIOD,
                    LINE: df[LINE],
                },
                index=df.index,
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out = out.join(period_columns(out, "period_text", name))
    out = out[out["value"].notna()].copy()
    out["area_name"] = np.where(out["area_name"] == "", out["area_code"], out["area_name"])
    return finish_values(out, name)
