"""DfE Local Authority Interactive Tool (LAIT) benchmarking extract → table `values`, series lait/<Short Desc>.

Areas are identified by DfE "LA Number": authorities map to ONS codes through the CSSNBT
neighbours file, England is 970, regions are matched by name to the ONS region lookup.
Inner/Outer London (987/988) are not a geography the app uses and are left out. Values are
strings with float artefacts ("67.900000000000006"): rounded to 10 significant digits.
LAIT labels every school, financial and calendar year by one bare end year ("2025" is the 2024/25
school year): YEAR_TYPE relabels each item to the shape the other sources use (see PERIODS).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lutonwb.ingest import neighbours
from lutonwb.ingest.errors import DataError
from lutonwb.ingest.periods import period_columns
from lutonwb.ingest.readers import (
    LINE,
    check_pattern,
    check_range,
    check_unique,
    display_name,
    finish_values,
    memo_by_inputs,
    read_table,
    to_number,
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

ACADEMIC, FINANCIAL, CALENDAR, AS_GIVEN = "academic", "financial", "calendar", "as given"
# What LAIT's bare year means for each item; "Year_Type" is the column of that name in DfE's
# LAIT data dictionary (01_data/02_prod/lait_data_dictionary.csv, same repository as the extract).
# Checked against our other sources where they overlap (PROVENANCE.md §6).
YEAR_TYPE: dict[str, str] = {
    # EYFSP is assessed in the summer term; DfE publishes by school year. England "2023" = 67.2 =
    # the 2022/23 GLD the APHR 2023 prints; FSM split "2017" = Fingertips school readiness 2016/17.
    "FSP_NEW_GOODDEV": ACADEMIC,
    "FSP_Gooddev_FSM": ACADEMIC,
    "FSP_Gooddev_FSM_Other": ACADEMIC,
    # NCMP measures through the school year (dictionary: Academic Year); England Year 6 "2020" =
    # 35.19 = ONS ELS 2019/20, "2021" missing = the 2020/21 sample-only year.
    "ExcessYr6": ACADEMIC,
    "ExcessRec": ACADEMIC,
    # January school census: "2025" is the census of January 2025, school year 2024/25.
    "PriFSM": ACADEMIC,
    "SecFSM": ACADEMIC,
    # DfE NEET for academic age 16-17 (age on 31 August) is the average of end-December, January
    # and February, so it falls inside one school year; "2025" (latest in an April 2026 extract,
    # published June 2025) is December 2024 to February 2025, school year 2024/25.
    "16-17 NEET": ACADEMIC,
    "16-17_not known_NEET": ACADEMIC,
    # OHID hospital admissions and 6-8 week breastfeeding (dictionary: Financial Year) by end
    # year: "2024" is 2023/24.
    "HospAd0-14": FINANCIAL,
    "CMH_0-17yrs": FINANCIAL,
    "6wksBreast": FINANCIAL,
    # Already a pooled financial-year range ("2021/22-23/24"): parsed as printed.
    "Hosp_Adm_Alc_<18yrs": AS_GIVEN,
    # ONS single calendar years (dictionary: Calendar Year). Infant mortality is NOT the 3-year
    # pooled rate Fingertips shows: England moves 3.6, 3.8, 3.5, 3.9 (2019-22) and Luton 5.0 →
    # 7.3 → 5.2 (2021-23), which overlapping 3-year pools cannot do; Luton pooled 2019-21 is 5.7
    # in the JSNA, LAIT "2021" is 5.0. Low birth weight 2020/2021 and under-18 conceptions
    # 2019/2020 equal the JSNA's calendar-year figures.
    "InfMort": CALENDAR,
    "Low_Birth_Weight_Babies": CALENDAR,
    "Under18concep": CALENDAR,
}


@memo_by_inputs(INPUTS)
def build(raw: Path) -> dict[str, pd.DataFrame]:
    """LAIT values for England, regions and every upper-tier authority."""
    path = raw / FILE
    name = display_name(path)
    df = read_table(path, COLUMNS)
    check_pattern(df, "LA Number", r"\d{3}", name)
    check_pattern(df, "Short Desc", r"[A-Za-z0-9_<>\- ]+", name)
    df = df[~df["LA Number"].isin(LONDON_PARTS)].copy()
    df["area_code"] = _area_codes(df, raw, name)
    value = to_number(df, "Values", name, na=NA)
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
    out = out.join(periods(df, name))
    out = out[out["value"].notna()].copy()
    return {"values": finish_values(out, name)}


def periods(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Period columns with LAIT's end-year labels turned into school, financial or calendar years."""
    kind = df["Short Desc"].map(YEAR_TYPE)
    unknown = kind.isna()
    if unknown.any():
        i = unknown.idxmax()
        raise DataError(
            name,
            int(df.loc[i, LINE]),
            "Short Desc",
            str(df.loc[i, "Short Desc"]),
            "an item whose year type lait.YEAR_TYPE knows",
        )
    years = df["Years"].fillna("").str.strip()
    bare = kind != AS_GIVEN
    check_pattern(df[bare], "Years", r"\d{4}", name)
    end = pd.Series(0, index=df.index, dtype="int64")
    end[bare] = years[bare].astype("int64")
    label = years.copy()
    school = kind.isin([ACADEMIC, FINANCIAL])
    label[school] = [f"{y - 1}/{y % 100:02d}" for y in end[school]]  # parsed as April-March
    out = period_columns(df.assign(Years=label), "Years", name)
    acad = kind == ACADEMIC  # the school year: 1 September to 31 July
    out.loc[acad, "period_start"] = [np.datetime64(f"{y - 1}-09-01", "ms") for y in end[acad]]
    out.loc[acad, "period_end"] = [np.datetime64(f"{y}-07-31", "ms") for y in end[acad]]
    return out


def _area_codes(df: pd.DataFrame, raw: Path, name: str) -> pd.Series:
    """ONS code for each LA Number: neighbours file for authorities, 970 England, region names for 98x/99x."""
    codes = neighbours.la_number_codes(raw)
    codes[ENGLAND_NUMBER] = "E92000001"
    regions = read_table(raw / REGION_FILE, ["region24_code", "region24_name"])
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
