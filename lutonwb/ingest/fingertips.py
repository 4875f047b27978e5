"""OHID Fingertips data in its three bundled shapes → table `values` (+ `indicator_metadata`).

- raw "all data" CSV exports          → series fingertips-raw/<Indicator ID>
- tidy extracts (trafford_themes)     → series fingertips/<file stem>
- older dashboard extracts (2020)     → series fingertips-2020/<file stem>
Rows without a value are dropped unless the source says why (its value note becomes `status`).
Only England, regions and local authorities are kept (wards and combined authorities dropped).
"""

from __future__ import annotations

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
    display_name,
    finish_values,
    memo_by_inputs,
    read_table,
    to_number,
)

RAW_GLOB = "fingertips/fingertips_raw_export_*.csv"
API_GLOB = "fingertips/api/[0-9]*.csv*"  # `lutonwb refresh fingertips` downloads: <id>.csv(.gz)
TIDY_GLOB = "fingertips/trafford_themes_all_la/*.csv.gz"
DASH_GLOB = "fingertips/trafford_dashboard_2020_all_la/*.csv.gz"
META_FILE = "fingertips/fingertipsnext_indicator_metadata.csv"
INPUTS: tuple[str, ...] = (RAW_GLOB, TIDY_GLOB, DASH_GLOB, META_FILE, API_GLOB)

AREA = r"E92000001|E12\d{6}|E(0[6-9]|10)\d{6}"
SEXES = ("Persons", "Male", "Female")
NA = ("", "NA")
# plausible ranges by the source's `measure` text (lower case); others only need to be finite
RANGES = {
    "percentage": (0, 100),
    "cumulative percentage from eligible": (0, 100),
    "life expectancy": (40, 100),
    "slope index of inequality": (-10, 40),
    "age-standardised rate": (0, 100_000),
    "age standardised rate per 100,000": (0, 100_000),
}
TIDY_AREA_TYPES = {"Country", "Region", "UA", "District", "County"}
TIDY_DROPPED_AREA_TYPES = {"Electoral Wards (2024)"}


@memo_by_inputs(INPUTS)
def build(raw: Path) -> dict[str, pd.DataFrame]:
    """All Fingertips values, stacked, plus the FingertipsNext indicator metadata."""
    frames = [load_raw_export(p) for p in sorted(raw.glob(RAW_GLOB))]
    frames += [load_raw_export(p, "fingertips-api") for p in sorted(raw.glob(API_GLOB))]
    frames += [load_tidy(p) for p in sorted(raw.glob(TIDY_GLOB))]
    frames += [load_dashboard(p) for p in sorted(raw.glob(DASH_GLOB))]
    if not frames:
        raise DataError(
            str(raw / "fingertips"),
            None,
            None,
            "no Fingertips files",
            f"files matching {INPUTS[:3]}",
        )
    out = {"values": pd.concat(frames, ignore_index=True)}
    if (raw / META_FILE).exists():
        out["indicator_metadata"] = load_metadata(raw / META_FILE)
    return out


RAW_COLUMNS = (
    "Indicator ID",
    "Indicator Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Count",
    "Denominator",
    "Value note",
    "Compared to England value or percentiles",
    "Time period Sortable",
)


def load_raw_export(path: Path, family: str = "fingertips-raw") -> pd.DataFrame:
    """A Fingertips 'all data' CSV (quoted newlines, short rows, blanks for NA) → series family/<id>."""
    name = display_name(path)
    df = read_table(path, RAW_COLUMNS, allow_short_rows=True)
    check_pattern(df, "Indicator ID", r"\d{1,7}", name)
    # every exported row ends with its sortable period: a row cut short (truncated file) has none
    check_pattern(df, "Time period Sortable", r"\d{8}", name)
    df = df[area_types(df["Area Code"]).isin(VALUE_AREA_TYPES)].copy()
    _not_empty(df, name)
    check_pattern(df, "Area Code", AREA, name)
    _check_sex(df, "Sex", name)
    value = to_number(df, "Value", name, na=("",))
    lo = to_number(df, "Lower CI 95.0 limit", name, na=("",))
    hi = to_number(df, "Upper CI 95.0 limit", name, na=("",))
    count = to_number(df, "Count", name, na=("",))
    denom = to_number(df, "Denominator", name, na=("",))
    check_range(value, df, "Value", -1e9, 1e9, name)
    check_range(count, df, "Count", 0, 1e10, name)
    check_range(denom, df, "Denominator", 0, 1e10, name)
    _check_ci(value, lo, hi, df, name, "Lower CI 95.0 limit")
    out = pd.DataFrame(
        {
            "series": family + "/" + df["Indicator ID"],
            "indicator": df["Indicator Name"].str.replace(r"\s+", " ", regex=True).str.strip(),
            "area_code": df["Area Code"],
            "area_name": df["Area Name"],
            "sex": df["Sex"],
            "age": df["Age"],
            "category_type": df["Category Type"],
            "category": df["Category"],
            "value": value,
            "lower_ci": lo,
            "upper_ci": hi,
            "count": count,
            "denominator": denom,
            "significance": df["Compared to England value or percentiles"],
            "status": df["Value note"].str.strip(),
            "unit": "",
            LINE: df[LINE],
        },
        index=df.index,
    )
    out = out.join(period_columns(df, "Time period", name))
    out = out[out["value"].notna() | (out["status"] != "")]
    return finish_values(out, name)


TIDY_COLUMNS = (
    "area_code",
    "area_name",
    "area_type",
    "period",
    "indicator",
    "measure",
    "unit",
    "value",
    "compared_to_England",
    "inequality",
)


def load_tidy(path: Path) -> pd.DataFrame:
    """A trafford_themes extract: sex or deprivation quintile in `inequality` (sex in `unit` for some)."""
    name = display_name(path)
    df = read_table(path, TIDY_COLUMNS)
    unknown = ~df["area_type"].isin(TIDY_AREA_TYPES | TIDY_DROPPED_AREA_TYPES)
    if unknown.any():
        i = unknown.idxmax()
        raise DataError(
            name,
            int(df.loc[i, LINE]),
            "area_type",
            df.loc[i, "area_type"],
            f"one of {sorted(TIDY_AREA_TYPES)}",
        )
    df = df[df["area_type"].isin(TIDY_AREA_TYPES)].copy()
    _not_empty(df, name)
    check_pattern(df, "area_code", AREA, name)
    value = to_number(df, "value", name, na=NA)
    _check_by_measure(value, df, name)
    ineq = df["inequality"].fillna("").str.strip()
    is_sex = ineq.isin(SEXES)
    is_quintile = ineq.str.lower().str.endswith("quintile")
    bad = ~(is_sex | is_quintile | ineq.isin(["", "NA"]))
    if bad.any():
        i = bad.idxmax()
        raise DataError(
            name,
            int(df.loc[i, LINE]),
            "inequality",
            ineq[i],
            "Male, Female, Persons, a deprivation quintile or NA",
        )
    unit = df["unit"].fillna("").str.strip()
    sex = np.where(is_sex, ineq, np.where(unit.isin(SEXES), unit, "Persons"))
    age = unit.str.extract(r"^(\d+(?:-\d+)? years?)\b", expand=False).fillna("")
    out = pd.DataFrame(
        {
            "series": "fingertips/" + _stem(path),
            "indicator": df["indicator"],
            "area_code": df["area_code"],
            "area_name": df["area_name"],
            "sex": sex,
            "age": age,
            "category_type": np.where(is_quintile, "Deprivation quintile", ""),
            "category": np.where(is_quintile, ineq, ""),
            "value": value,
            "significance": df["compared_to_England"].fillna(""),
            "unit": np.where(unit == "Years", "years", df["measure"]),
            LINE: df[LINE],
        },
        index=df.index,
    )
    out = out.join(period_columns(df, "period", name))
    return finish_values(out[out["value"].notna()].copy(), name)


DASH_COLUMNS = (
    "area_code",
    "area_name",
    "period",
    "value",
    "indicator",
    "measure",
    "unit",
    "significance",
)


def load_dashboard(path: Path) -> pd.DataFrame:
    """An older dashboard extract; its Greater Manchester (E47) row is dropped."""
    name = display_name(path)
    df = read_table(path, DASH_COLUMNS)
    df = df[~df["area_code"].str.startswith("E47")].copy()
    _not_empty(df, name)
    check_pattern(df, "area_code", AREA, name)
    _check_sex(df, "unit", name)
    value = to_number(df, "value", name, na=NA)
    _check_by_measure(value, df, name)
    out = pd.DataFrame(
        {
            "series": "fingertips-2020/" + _stem(path),
            "indicator": df["indicator"],
            "area_code": df["area_code"],
            "area_name": df["area_name"],
            "sex": df["unit"],
            "value": value,
            "significance": df["significance"].fillna(""),
            "unit": df["measure"],
            LINE: df[LINE],
        },
        index=df.index,
    )
    out = out.join(period_columns(df, "period", name))
    return finish_values(out[out["value"].notna()].copy(), name)


META_COLUMNS = {
    "IndicatorID": "indicator_id",
    "Polarity": "polarity",
    "BenchmarkComparisonMethod": "benchmark_method",
    "ValueType": "value_type",
    "IndicatorName": "indicator_name",
    "PeriodType": "period_type",
    "Frequency": "frequency",
}


def load_metadata(path: Path) -> pd.DataFrame:
    """FingertipsNext indicator metadata: polarity and benchmarking method per Fingertips indicator id."""
    name = display_name(path)
    df = read_table(path, tuple(META_COLUMNS))
    check_pattern(df, "IndicatorID", r"\d{1,7}", name)
    pol = {"High is good", "Low is good", "No judgement", ""}
    bad = ~df["Polarity"].isin(pol)
    if bad.any():
        i = bad.idxmax()
        raise DataError(
            name, int(df.loc[i, LINE]), "Polarity", df.loc[i, "Polarity"], f"one of {sorted(pol)}"
        )
    out = df[list(META_COLUMNS)].rename(columns=META_COLUMNS).astype("string")
    return out.sort_values("indicator_id").reset_index(drop=True)


def _stem(path: Path) -> str:
    return path.name.split(".", 1)[0]


def _not_empty(df: pd.DataFrame, name: str) -> None:
    if df.empty:
        raise DataError(
            name, None, None, "no England, region or local authority rows", "at least one such row"
        )


def _check_sex(df: pd.DataFrame, col: str, name: str) -> None:
    bad = ~df[col].isin(SEXES)
    if bad.any():
        i = bad.idxmax()
        raise DataError(name, int(df.loc[i, LINE]), col, df.loc[i, col], f"one of {SEXES}")


def _check_by_measure(value: pd.Series, df: pd.DataFrame, name: str) -> None:
    """Values inside the plausible range for their measure (percentages 0–100, life expectancy 40–100 …)."""
    measure = df["measure"].fillna("").str.strip().str.lower()
    for m in measure.unique():
        lo, hi = RANGES.get(m, (-1e9, 1e9))
        rows = measure == m
        check_range(value[rows], df[rows], "value", lo, hi, name)


def _check_ci(
    value: pd.Series, lo: pd.Series, hi: pd.Series, df: pd.DataFrame, name: str, col: str
) -> None:
    """Where both limits and the value exist, lower ≤ value ≤ upper."""
    tol = 1e-9 * value.abs().fillna(0) + 1e-9
    bad = lo.notna() & hi.notna() & value.notna() & ((lo > value + tol) | (hi < value - tol))
    if bad.any():
        i = bad.idxmax()
        raise DataError(
            name,
            int(df.loc[i, LINE]),
            col,
            f"{lo[i]}–{hi[i]} around {value[i]}",
            "limits on either side of the value",
        )
