"""Census 2021 TS011 "Households by deprivation dimensions" for the place's LSOAs (2021).

Table census_household_deprivation: lsoa_code, lsoa_vintage ('LSOA21'), dimensions (0-4: how many
of the four census dimensions - employment, education, health and disability, housing - the
household is deprived in), count (households), percent (of the LSOA's households, as published).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lutonwb.ingest.errors import DataError
from lutonwb.ingest.local import CURRENT, empty, local_path, resolve
from lutonwb.ingest.readers import (
    LINE,
    check_filled,
    check_pattern,
    check_range,
    check_unique,
    check_whole,
    display_name,
    read_table,
    to_number,
)
from lutonwb.place import LocalArea

INPUTS: tuple[str, ...] = ()  # the LSOA file is the place's own (role below)
LOCAL_ROLES: tuple[str, ...] = ("census_household_deprivation",)
DIMENSIONS = (0, 1, 2, 3, 4)
PERCENT_TOLERANCE = 0.6  # published percents are rounded to 1 dp, so the five add to 100 ± a little


def build(raw: Path, local: LocalArea | None | str = CURRENT) -> dict[str, pd.DataFrame]:
    """Tables this source contributes (empty when the place has no LSOA file)."""
    table, local = LOCAL_ROLES[0], resolve(local)
    if local is None:
        return {table: empty(table)}
    return {table: read_household_deprivation(local_path(raw, local, table))}


def read_household_deprivation(path: Path) -> pd.DataFrame:
    """Long table with five rows per LSOA; counts whole and non-negative, percents consistent."""
    file = display_name(path)
    cols = ["lsoa21_code", "households_number_deprivation_dimensions", "count", "percent"]
    df = read_table(path, cols)
    check_pattern(df, "lsoa21_code", r"E01\d{6}", file)
    check_pattern(df, "households_number_deprivation_dimensions", r"[0-4]", file)
    check_unique(df, ["lsoa21_code", "households_number_deprivation_dimensions"], file)
    count = to_number(df, "count", file, thousands=True)
    pct = to_number(df, "percent", file)
    for name, vals in (("count", count), ("percent", pct)):
        check_filled(vals, df, name, file, "a number (no blanks)")
    check_range(count, df, "count", 0, 5_000, file)
    check_range(pct, df, "percent", 0, 100, file)
    check_whole(count, df, "count", file, "a whole number of households")
    out = pd.DataFrame(
        {
            "lsoa_code": df["lsoa21_code"].astype("string"),
            "lsoa_vintage": pd.Series("LSOA21", index=df.index, dtype="string"),
            "dimensions": df["households_number_deprivation_dimensions"]
            .astype(int)
            .astype("Int64"),
            "count": count,
            "percent": pct,
            LINE: df[LINE],
        }
    )
    _check_each_lsoa(out, file)
    return out.drop(columns=[LINE]).reset_index(drop=True)


def _check_each_lsoa(out: pd.DataFrame, file: str) -> None:
    """Every LSOA has a row for 0-4 dimensions, and each percent matches count / households."""
    for code, g in out.groupby("lsoa_code", sort=False):
        if sorted(g["dimensions"].tolist()) != list(DIMENSIONS):
            missing = sorted(set(DIMENSIONS) - set(g["dimensions"].tolist()))
            raise DataError(
                file,
                int(g[LINE].max()),
                "households_number_deprivation_dimensions",
                f"LSOA {code} without dimension {missing[0]}",
                "rows for 0, 1, 2, 3 and 4 dimensions",
            )
        total = g["count"].sum()
        for c, p, line in zip(g["count"], g["percent"], g[LINE], strict=True):
            if total and abs(100 * c / total - p) > PERCENT_TOLERANCE:
                raise DataError(
                    file,
                    int(line),
                    "percent",
                    f"{p}",
                    f"{100 * c / total:.1f} (count / the LSOA's households)",
                )
