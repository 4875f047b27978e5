"""Table `areas`: England, the 9 regions, every current upper- and lower-tier authority, and the
legacy authority codes the indicator files still use (current=False), so the app can name them.

Current authorities come from the ONS LTLA23→UTLA23 lookup; regions from LTLA24→region24
(a UTLA's region is the region of its LTLAs). Wards and LSOAs are added by geography.py.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd

from lutonwb.ingest.errors import DataError
from lutonwb.ingest.local import CURRENT, resolve
from lutonwb.ingest.readers import LINE, check_pattern, display_name, read_table
from lutonwb.place import LocalArea

UTLA_FILE = "lookups/all_ltla23_to_utla23.csv"
REGION_FILE = "lookups/all_ltla24_to_region24.csv"
INPUTS: tuple[str, ...] = (UTLA_FILE, REGION_FILE)

ENGLAND = ("E92000001", "England")
LTLA = r"E0[6-9]\d{6}|W06\d{6}"
UTLA = r"E(0[689]|10)\d{6}|W06\d{6}"
# value builders whose codes may be legacy; areas names whatever they use that is not current
VALUE_SOURCES = ("fingertips", "ons_els", "lait", "dwp", "desnz", "mhclg")
LOCAL_ROLES: tuple[
    str, ...
] = ()  # none read here; the place's local area goes to the value loaders


def build(raw: Path, local: LocalArea | None | str = CURRENT) -> dict[str, pd.DataFrame]:
    """Current areas from the lookups, plus legacy codes seen in the indicator values."""
    current = current_areas(raw)
    legacy = legacy_areas(raw, set(current["area_code"]), resolve(local))
    return {"areas": pd.concat([current, legacy], ignore_index=True)}


def current_areas(raw: Path) -> pd.DataFrame:
    """England, regions, UTLAs and LTLAs (England only) with their parent region."""
    ut_path, rg_path = raw / UTLA_FILE, raw / REGION_FILE
    ut_name, rg_name = display_name(ut_path), display_name(rg_path)
    ut = read_table(ut_path, ["ltla23_code", "ltla23_name", "utla23_code", "utla23_name"])
    rg = read_table(rg_path, ["ltla24_code", "ltla24_name", "region24_code", "region24_name"])
    check_pattern(ut, "ltla23_code", LTLA, ut_name)
    check_pattern(ut, "utla23_code", UTLA, ut_name)
    check_pattern(rg, "ltla24_code", r"E0[6-9]\d{6}", rg_name)
    check_pattern(rg, "region24_code", r"E12\d{6}", rg_name)
    for df, col, name in ((ut, "ltla23_code", ut_name), (rg, "ltla24_code", rg_name)):
        _check_unique_col(df, col, name)
    for df, pairs, name in (
        (ut, (("ltla23_code", "ltla23_name"), ("utla23_code", "utla23_name")), ut_name),
        (rg, (("region24_code", "region24_name"),), rg_name),
    ):
        for code, label in pairs:
            _check_names(df, code, label, name)
    ut = ut[ut["ltla23_code"].str.startswith("E")]
    region_of = dict(zip(rg["ltla24_code"], rg["region24_code"], strict=True))
    missing = ut[~ut["ltla23_code"].isin(region_of)]
    if len(missing):
        row = missing.iloc[0]
        raise DataError(
            ut_name,
            int(row[LINE]),
            "ltla23_code",
            row["ltla23_code"],
            f"an LTLA listed in {rg_name}",
        )
    ut = ut.assign(region=ut["ltla23_code"].map(region_of))
    split = ut.groupby("utla23_code")["region"].nunique()
    if (split > 1).any():
        code = split[split > 1].index[0]
        line = int(ut.loc[ut["utla23_code"] == code, LINE].iloc[0])
        raise DataError(
            ut_name, line, "utla23_code", code, "an upper-tier authority inside one region"
        )
    return _area_rows(ut, rg)


def _area_rows(ut: pd.DataFrame, rg: pd.DataFrame) -> pd.DataFrame:
    """England, then regions, UTLAs and districts (sorted by code), each with its parent."""
    regions = rg.drop_duplicates("region24_code").sort_values("region24_code")
    rows = [
        pd.DataFrame(
            {
                "area_code": [ENGLAND[0]],
                "area_name": [ENGLAND[1]],
                "area_type": ["england"],
                "parent_code": [""],
            }
        ),
        pd.DataFrame(
            {
                "area_code": regions["region24_code"],
                "area_name": regions["region24_name"],
                "area_type": "region",
                "parent_code": ENGLAND[0],
            }
        ),
    ]
    utlas = ut.drop_duplicates("utla23_code").sort_values("utla23_code")
    rows.append(
        pd.DataFrame(
            {
                "area_code": utlas["utla23_code"],
                "area_name": utlas["utla23_name"],
                "area_type": "utla",
                "parent_code": utlas["region"],
            }
        )
    )
    districts = ut[ut["ltla23_code"].str.startswith("E07")].sort_values("ltla23_code")
    rows.append(
        pd.DataFrame(
            {
                "area_code": districts["ltla23_code"],
                "area_name": districts["ltla23_name"],
                "area_type": "ltla",
                "parent_code": districts["region"],
            }
        )
    )
    out = pd.concat(rows, ignore_index=True)
    out["vintage"] = [
        "2024" if t == "region" else ("" if t == "england" else "2023") for t in out["area_type"]
    ]
    out["current"] = True
    return out.reset_index(drop=True)


def legacy_areas(raw: Path, current: set[str], local: LocalArea | None) -> pd.DataFrame:
    """Authority and region codes in the indicator values that are not current (named as the data names them).

    A source that fails is skipped here: its own build step reports the error.
    """
    frames = []
    for name in VALUE_SOURCES:
        mod = importlib.import_module(f"lutonwb.ingest.{name}")
        try:
            args = (local,) if hasattr(mod, "LOCAL_ROLES") else ()
            values = mod.build(raw, *args).get("values")
        except (DataError, OSError):
            continue
        if values is not None and len(values):
            frames.append(values[["area_code", "area_name", "area_type"]])
    cols = ["area_code", "area_name", "area_type", "parent_code", "vintage", "current"]
    if not frames:
        return pd.DataFrame(columns=cols)
    seen = pd.concat(frames, ignore_index=True)
    seen = seen[
        seen["area_type"].isin(["region", "utla", "ltla"]) & ~seen["area_code"].isin(current)
    ]
    # the most common spelling of each code's name, ties broken alphabetically (deterministic)
    counts = seen.groupby(["area_code", "area_name", "area_type"], as_index=False).size()
    counts = counts.sort_values(["area_code", "size", "area_name"], ascending=[True, False, True])
    legacy = counts.drop_duplicates("area_code")[["area_code", "area_name", "area_type"]]
    legacy = legacy.assign(parent_code="", vintage="legacy", current=False)
    return legacy[cols].reset_index(drop=True)


def _check_unique_col(df: pd.DataFrame, col: str, file: str) -> None:
    dup = df[col].duplicated()
    if dup.any():
        i = dup.idxmax()
        raise DataError(
            file,
            int(df.loc[i, LINE]),
            col,
            f"a second row for {df.loc[i, col]}",
            "one row per code",
        )


def _check_names(df: pd.DataFrame, code: str, label: str, file: str) -> None:
    """Names are present, and one code has one name."""
    blank = df[label].fillna("").str.strip() == ""
    if blank.any():
        i = blank.idxmax()
        raise DataError(file, int(df.loc[i, LINE]), label, "an empty name", "the area's name")
    n = df.groupby(code)[label].nunique()
    if (n > 1).any():
        c = n[n > 1].index[0]
        rows = df[df[code] == c]
        usual = rows[label].value_counts().index[0]
        odd = rows[rows[label] != usual].iloc[0]
        raise DataError(
            file,
            int(odd[LINE]),
            label,
            f"{odd[label]!r} for {c}, elsewhere {usual!r}",
            "one name per code",
        )
