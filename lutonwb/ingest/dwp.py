"""DWP children in low income families (wide workbook sheets, fractions 0–1) → table `values`.

Series dwp-cilif/relative|absolute for every English authority and, when the place names a
`child_poverty_wards` file, its wards; FYE 2021 is provisional (status 'p'); ward cells
"[x]"/"[low]" are kept with value NaN and status 'x'/'low'.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lutonwb.ingest.errors import DataError
from lutonwb.ingest.local import local_path
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

CILIF_LA = "extra/child_poverty/dwp_cilif_children_low_income_families_all_la_fye2015_2021.csv"
INPUTS: tuple[str, ...] = (CILIF_LA,)
LOCAL_ROLES: tuple[str, ...] = ("child_poverty_wards",)


@memo_by_inputs(INPUTS, LOCAL_ROLES)
def build(raw: Path, local: LocalArea | None) -> dict[str, pd.DataFrame]:
    """Children in low income families for every authority, and the place's wards if it has any."""
    frames = [load_cilif(raw / CILIF_LA, "area_code", "area_name", r"[EWSNK]\d{8}")]
    if local is not None:
        wards = local_path(raw, local, "child_poverty_wards")
        frames.append(load_cilif(wards, "ward_code", "ward_name", r"E05\d{6}"))
    return {"values": pd.concat(frames, ignore_index=True)}


_COUNT_COL = re.compile(r"Number of children\s*FYE (\d{4})(\[p\])?")
_PCT_COL = re.compile(r"Percentage of children\s*FYE (\d{4})\(%\)(\[p\])?.*")
CILIF_MEASURES = {"relative": "relative", "absolute": "absolute"}
CILIF_STATUS = {"[x]": "x", "[low]": "low", "[c]": "c", "[u]": "u"}


def load_cilif(path: Path, code_col: str, name_col: str, code_pattern: str) -> pd.DataFrame:
    """Wide DWP sheet (one count and one fraction column per FYE) → long rows in percent."""
    name = display_name(path)
    df = read_table(path, ("measure", name_col, code_col))
    counts, pcts = _year_columns(df, name)
    check_allowed(df, "measure", CILIF_MEASURES, name)
    check_pattern(df, code_col, code_pattern, name)
    check_unique(df, ["measure", code_col], name)
    keep = area_types(df[code_col]).isin(VALUE_AREA_TYPES | {"ward"})
    df = df[keep].copy()
    parts = []
    for year in sorted(pcts):
        pcol, provisional = pcts[year]
        ccol, _ = counts[year]
        frac = to_number(df, pcol, name, na=("", *CILIF_STATUS))
        check_range(frac, df, pcol, 0, 1, name)
        count = to_number(df, ccol, name, na=("", *CILIF_STATUS))
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


def _year_columns(df: pd.DataFrame, name: str) -> tuple[dict, dict]:
    """{FYE year: (column, provisional)} for the count and the percentage columns, checked."""
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
    return counts, pcts
