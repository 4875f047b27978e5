"""DfE Local Authority Interactive Tool (LAIT) benchmarking extract → table `values`, series lait/<Short Desc>.

Areas are identified by DfE "LA Number": authorities map to ONS codes through the CSSNBT
neighbours file, England is 970, regions are matched by name to the ONS region lookup.
Inner/Outer London (987/988) are not a geography the app uses and are left out. Values are
strings with float artefacts ("67.900000000000006"): rounded to 10 significant digits.
"Years" is kept as given (for pooled indicators it is the end year).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lutonwb.build import neighbours
from lutonwb.build.errors import DataError
from lutonwb.build.periods import period_columns
from lutonwb.build.readers import (
    LINE,
    check_pattern,
    check_range,
    check_unique,
    display_name,
    finish_values,
    memo_by_inputs,
    parse_numbers,
    read_rows,
)

FILE = "dfe_lait/lait_bds_health_early_years_all_la.csv.gz"
REGION_FILE = "lookups/all_ltla24_to_region24.csv"
INPUTS: tuple[str, ...] = (FILE, neighbours.FILE, REGION_FILE)
COLUMNS = ("Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number", "Region")
ENGLAND_NUMBER = "970"
LONDON_PARTS = {"987", "988"}  # Inner / Outer London
# indicators whose values are percentages (the LAIT item names say so)
PERCENT = {
    "FSP_NEW_GOODDEV",
    "FSP_Gooddev_FSM",
    "FSP_Gooddev_FSM_Other",
    "ExcessYr6",
    "ExcessRec",
    "6wksBreast",
    "Low_Birth_Weight_Babies",
    "16-17 NEET",
    "16-17_not known_NEET",
    "PriFSM",
    "SecFSM",
}
NA = ("", "-", "NA", "x", "c")


@memo_by_inputs(INPUTS)
def build(raw: Path) -> dict[str, pd.DataFrame]:
    """LAIT values for England, regions and every upper-tier authority."""
    path = raw / FILE
    name = display_name(path)
    df = read_rows(path, COLUMNS)
    check_pattern(df, "LA Number", r"\d{3}", name)
    check_pattern(df, "Short Desc", r"[A-Za-z0-9_<>\- ]+", name)
    df = df[~df["LA Number"].isin(LONDON_PARTS)].copy()
    df["area_code"] = _area_codes(df, raw, name)
    value = parse_numbers(df, "Values", name, na=NA)
    value = _round_sig(value, 10)
    check_range(value, df, "Values", 0, 1e6, name)
    pct = df["Short Desc"].isin(PERCENT)
    check_range(value[pct], df[pct], "Values", 0, 100, name)
    check_unique(df, ["Short Desc", "Years", "LA Number"], name)
    item = df["Data item"].fillna("").str.strip()
    out = pd.DataFrame(
        {
            "series": "lait/" + df["Short Desc"],
            "indicator": item.where(item != "", df["Short Desc"]),
            "area_code": df["area_code"],
            "area_name": df["LA and Regions"],
            "value": value,
            "unit": np.where(pct, "%", ""),
            LINE: df[LINE],
        },
        index=df.index,
    )
    out = out.join(period_columns(df, "Years", name))
    out = out[out["value"].notna()].copy()
    return {"values": finish_values(out, name)}


def _area_codes(df: pd.DataFrame, raw: Path, name: str) -> pd.Series:
    """ONS code for each LA Number: neighbours file for authorities, 970 England, region names for 98x/99x."""
    codes = neighbours.la_number_codes(raw)
    codes[ENGLAND_NUMBER] = "E92000001"
    regions = read_rows(raw / REGION_FILE, ["region24_code", "region24_name"])
    by_name = {
        n.strip().lower(): c
        for n, c in zip(regions["region24_name"], regions["region24_code"], strict=True)
    }
    region_rows = df["Region"].fillna("").isin(["", "NA"]) & (df["LA Number"] != ENGLAND_NUMBER)
    for num, area in (
        df.loc[region_rows, ["LA Number", "LA and Regions"]]
        .drop_duplicates()
        .itertuples(index=False)
    ):
        if area.strip().lower() in by_name:
            codes.setdefault(num, by_name[area.strip().lower()])
    out = df["LA Number"].map(codes)
    missing = out.isna()
    if missing.any():
        i = missing.idxmax()
        raise DataError(
            name,
            int(df.loc[i, LINE]),
            "LA Number",
            f"{df.loc[i, 'LA Number']} ({df.loc[i, 'LA and Regions']})",
            "an LA number in the CSSNBT neighbours file, 970 for England, or a region named as in the region lookup",
        )
    return out.astype("string")


def _round_sig(x: pd.Series, digits: int) -> pd.Series:
    """Round to significant digits, removing binary float artefacts such as 67.900000000000006."""
    v = x.to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        mag = np.where((v == 0) | ~np.isfinite(v), 0, np.floor(np.log10(np.abs(v))))
    scale = 10.0 ** (digits - 1 - mag)
    return pd.Series(np.round(v * scale) / scale, index=x.index, dtype="float64")
