"""ONS Explore Local Statistics (ELS) indicator files → table `values`.

Series: ons-els/<file stem>/<slug(indicator)>. Both layouts are read by column NAME: the
12-column one (areacd … notes) and the legacy 16/14-column one (AREACD … Value|Observation,
Observation Status, Polarity, Notes). Only England, regions and local authorities are kept.

Rows with an empty observation are kept when the source gives a status (x, c, z, u or free
text), with value NaN, so the app can say "suppressed" rather than "missing"; rows with neither
are dropped. A geography repeated under two labels (the culture file's E47 rows) is kept once.
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
    display_name,
    finish_values,
    map_unique,
    memo_by_inputs,
    read_table,
    to_number,
)
from lutonwb.ingest.schema import slug

INPUTS: tuple[str, ...] = (
    "ons_els/*.csv.gz",
    "extra/child_poverty/ons_els_*.csv",
    "extra/labour_market/ons_els_*.csv",
    "extra/labour_market/ons_els_*.csv.gz",
)
# legacy 16/14-column header → the current 12-column names (read_table matches exact names)
RENAME = {
    "AREACD": "areacd",
    "AREANM": "areanm",
    "Geography": "geography",
    "Indicator": "indicator",
    "Period": "period",
    "Value": "observation",
    "Observation": "observation",
    "Measure": "measure",
    "Unit": "unit",
    "Lower Confidence Interval (95%)": "lci_95",
    "Upper Confidence Interval (95%)": "uci_95",
    "Observation Status": "status",
    "Polarity": "polarity",
    "Notes": "notes",
}
REQUIRED = (
    "areacd",
    "areanm",
    "indicator",
    "period",
    "observation",
    "unit",
    "lci_95",
    "uci_95",
    "status",
)
GSS = r"[EWSNK]\d{8}|TL[A-Z0-9]{1,3}"
NA = ("",)
# files whose unit column is wrong, with the unit the values really have
UNIT_FIX = {"housing-affordability-ratio": "ratio"}
RANGES = {"%": (0, 100), "yrs": (40, 100), "score out of 10": (0, 10), "ratio": (0, 100)}


@memo_by_inputs(INPUTS)
def build(raw: Path) -> dict[str, pd.DataFrame]:
    """Every ELS file, stacked."""
    files = sorted({p for pat in INPUTS for p in raw.glob(pat) if p.is_file()})
    if not files:
        raise DataError(
            str(raw / "ons_els"), None, None, "no ELS files", f"files matching {INPUTS}"
        )
    return {"values": pd.concat([load_file(p) for p in files], ignore_index=True)}


def load_file(path: Path) -> pd.DataFrame:
    """One ELS CSV (either layout) → values rows."""
    name = display_name(path)
    stem = path.name.split(".", 1)[0]
    df = read_table(path, REQUIRED, rename=RENAME)
    check_pattern(df, "areacd", GSS, name)
    for col in ("indicator", "period"):
        blank = df[col].fillna("").str.strip() == ""
        if blank.any():
            i = blank.idxmax()
            raise DataError(name, int(df.loc[i, LINE]), col, "an empty cell", f"the {col}")
    # every row is checked (numbers, periods), then only England, regions and authorities kept
    periods = period_columns(df, "period", name)
    numbers = {c: to_number(df, c, name, na=NA) for c in ("observation", "lci_95", "uci_95")}
    df = df[area_types(df["areacd"]).isin(VALUE_AREA_TYPES)].copy()
    if df.empty:
        raise DataError(
            name, None, "areacd", "no England, region or authority rows", "at least one such row"
        )
    value, lo, hi = (numbers[c][df.index] for c in ("observation", "lci_95", "uci_95"))
    status = df["status"].fillna("").str.strip()
    unit = UNIT_FIX.get(stem) or df["unit"].fillna("").str.strip()
    unit = pd.Series(unit, index=df.index) if isinstance(unit, str) else unit
    for u in unit.str.lower().unique():
        lo_hi = RANGES.get(u, (-1e12, 1e12))
        rows = unit.str.lower() == u
        check_range(value[rows], df[rows], "observation", *lo_hi, name)
    _check_ci(value, lo, hi, df, name)
    indicator = df["indicator"].str.strip()
    sex = indicator.str.extract(
        r"^(Male|Female)\b", flags=re.IGNORECASE, expand=False
    ).str.capitalize()
    out = pd.DataFrame(
        {
            "series": f"ons-els/{stem}/" + map_unique(indicator, slug),
            "indicator": indicator,
            "area_code": df["areacd"],
            "area_name": df["areanm"],
            "sex": sex.fillna("Persons"),
            "value": value,
            "lower_ci": lo,
            "upper_ci": hi,
            "status": status,
            "unit": unit,
            LINE: df[LINE],
        },
        index=df.index,
    )
    out = out.join(periods.loc[df.index])
    out = out[out["value"].notna() | (out["status"] != "")]
    # the same area listed under two geography labels with the same figures: keep one
    same = ["series", "area_code", "period", "value", "lower_ci", "upper_ci", "status"]
    out = out[~out[same].astype("string").fillna("<NA>").duplicated()]
    return finish_values(out.copy(), name)


def _check_ci(value: pd.Series, lo: pd.Series, hi: pd.Series, df: pd.DataFrame, name: str) -> None:
    """Where the limits and the value exist, lower ≤ value ≤ upper (rounding tolerated)."""
    tol = np.maximum(1e-6 * value.abs().fillna(0), 0.051)
    bad = (
        lo.notna()
        & hi.notna()
        & value.notna()
        & ((lo > value + tol) | (hi < value - tol) | (lo > hi))
    )
    if bad.any():
        i = bad.idxmax()
        raise DataError(
            name,
            int(df.loc[i, LINE]),
            "lci_95",
            f"{lo[i]}–{hi[i]} around {value[i]}",
            "limits either side of the value",
        )
