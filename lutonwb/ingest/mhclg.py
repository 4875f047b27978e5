"""MHCLG homelessness snapshot Oct–Dec 2023 (period '2023 Q4') → table `values`.

Temporary accommodation and assessed homeless per 1,000 households for every lower-tier
authority; "NA" (no return) rows are dropped.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

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

HOMELESS = "extra/homelessness/mhclg_homelessness_ta_per_1000_ltla23_oct_dec_2023_healthyr.csv"
NAMES = "lookups/all_ltla23_to_utla23.csv"
INPUTS: tuple[str, ...] = (HOMELESS, NAMES)


@memo_by_inputs(INPUTS)
def build(raw: Path) -> dict[str, pd.DataFrame]:
    """Homelessness rates for every lower-tier authority."""
    return {"values": load_homelessness(raw / HOMELESS, raw / NAMES)}


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
    df = read_table(path, ("ltla23_code", *HOMELESS_COLUMNS))
    check_pattern(df, "ltla23_code", r"E0[6-9]\d{6}", name)
    check_unique(df, ["ltla23_code"], name)
    lookup = read_table(names_path, ["ltla23_code", "ltla23_name"])
    names = dict(zip(lookup["ltla23_code"], lookup["ltla23_name"], strict=True))
    parts = []
    for col, (series, label) in HOMELESS_COLUMNS.items():
        value = to_number(df, col, name, na=("", "NA"))
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
