"""Table `area_groups`: DfE CSSNBT statistical neighbours (April 2021 and May 2025) for every authority.

The same file also maps DfE LA numbers to ONS codes, which the LAIT loader needs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lutonwb.ingest.errors import DataError
from lutonwb.ingest.readers import (
    LINE,
    check_pattern,
    check_range,
    check_unique,
    check_whole,
    display_name,
    read_table,
    to_number,
)

FILE = "neighbours/cssnbt_statistical_neighbours_all_la_long.csv"
INPUTS: tuple[str, ...] = (FILE,)
VERSIONS = {"CSSNBT April 2021": "cssnbt-2021", "CSSNBT May 2025": "cssnbt-2025"}
COLUMNS = (
    "version",
    "la_number",
    "la_name",
    "la_ons_code",
    "sn_rank",
    "sn_la_number",
    "sn_la_name",
    "sn_ons_code",
    "closeness",
)
CODE = r"E(0[6-9]|10)\d{6}"
CLOSENESS = ("extremely close", "very close", "close", "somewhat close", "not close")


def build(raw: Path) -> dict[str, pd.DataFrame]:
    """One row per (group, authority, neighbour), rank 1 = closest."""
    df, name = _read(raw)
    out = pd.DataFrame(
        {
            "group_id": df["version"].map(VERSIONS),
            "area_code": df["la_ons_code"],
            "member_code": df["sn_ons_code"],
            "member_name": df["sn_la_name"],
            "rank": df["rank"].astype("int64"),
            # the source mixes 'Very Close' and 'Very close': one spelling
            "closeness": df["closeness"].str.strip().str.capitalize(),
        }
    )
    out = out.sort_values(["group_id", "area_code", "rank"]).reset_index(drop=True)
    return {"area_groups": out}


def la_number_codes(raw: Path) -> dict[str, str]:
    """DfE LA number (e.g. '821') → ONS code (e.g. 'E06000032'), from both sides of the neighbour pairs."""
    df, name = _read(raw)
    pairs = pd.concat(
        [
            df[["la_number", "la_ons_code", LINE]].set_axis(["num", "code", LINE], axis=1),
            df[["sn_la_number", "sn_ons_code", LINE]].set_axis(["num", "code", LINE], axis=1),
        ]
    ).drop_duplicates(["num", "code"])
    clash = pairs["num"].duplicated(keep=False) | pairs["code"].duplicated(keep=False)
    if clash.any():
        row = pairs[clash].iloc[-1]
        raise DataError(
            name,
            int(row[LINE]),
            "la_number",
            f"{row['num']} → {row['code']}",
            "one ONS code per LA number",
        )
    return dict(zip(pairs["num"], pairs["code"], strict=True))


def _read(raw: Path) -> tuple[pd.DataFrame, str]:
    path = raw / FILE
    name = display_name(path)
    df = read_table(path, COLUMNS)
    bad = ~df["version"].isin(list(VERSIONS))
    if bad.any():
        i = bad.idxmax()
        raise DataError(
            name,
            int(df.loc[i, LINE]),
            "version",
            df.loc[i, "version"],
            f"one of {sorted(VERSIONS)}",
        )
    check_pattern(df, "la_ons_code", CODE, name)
    check_pattern(df, "sn_ons_code", CODE, name)
    check_pattern(df, "la_number", r"\d{3}", name)
    check_pattern(df, "sn_la_number", r"\d{3}", name)
    rank = to_number(df, "sn_rank", name, na=())
    check_range(rank, df, "sn_rank", 1, 20, name)
    check_whole(rank, df, "sn_rank", name)
    df["rank"] = rank
    close = df["closeness"].str.strip().str.lower()
    bad = ~close.isin(CLOSENESS)
    if bad.any():
        i = bad.idxmax()
        raise DataError(
            name, int(df.loc[i, LINE]), "closeness", df.loc[i, "closeness"], f"one of {CLOSENESS}"
        )
    self_ref = df["la_ons_code"] == df["sn_ons_code"]
    if self_ref.any():
        i = self_ref.idxmax()
        raise DataError(
            name,
            int(df.loc[i, LINE]),
            "sn_ons_code",
            df.loc[i, "sn_ons_code"],
            "a code other than the LA's own",
        )
    check_unique(df, ["version", "la_ons_code", "sn_rank"], name)
    check_unique(df, ["version", "la_ons_code", "sn_ons_code"], name)
    return df, name
