"""Figures transcribed from the seed documents → table `reported` (see data/raw/reported/README.md).

Checks every row (columns, numbers, slug-shaped measure ids, RAG letters) and flags implausible
figures as `questionable` with a note instead of trusting them: a region value equal to Luton's in
the same table, a Luton percentage under a fifth of England's, a value printed like '13.065' where
the others in its row are thousands. When catalogue.yaml exists, every measure id must be in it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lutonwb.ingest.errors import BuildError, DataError
from lutonwb.ingest.readers import LINE, display_name, read_table, to_number
from lutonwb.ingest.schema import REPORTED, conform
from lutonwb.place import current_place

INPUTS: tuple[str, ...] = ("reported/*.csv",)
FIGURES = "reported/reported_figures.csv"
COLUMNS = tuple(REPORTED)
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RAG = {"", "R", "A", "G"}
TRUE = {"true", "yes", "1"}
FALSE = {"", "false", "no", "0"}
GROUP = ["measure_id", "document", "section", "table", "period"]


def build(raw: Path) -> dict[str, pd.DataFrame]:
    """The reported table, or nothing when no transcription is bundled."""
    path = Path(raw) / FIGURES
    if not path.exists() or not current_place().seeds:  # a place with no seed documents
        return {}
    df = load(path)
    check_catalogue(df, path)
    return {"reported": conform(df.drop(columns=[LINE]), REPORTED)}


def load(path: Path) -> pd.DataFrame:
    """Read, validate and flag one reported-figures CSV."""
    name = display_name(path)
    df = read_table(path, COLUMNS)
    errors: list[DataError] = []
    for mid, line in zip(df["measure_id"], df[LINE], strict=True):
        if not SLUG.match(str(mid)):
            errors.append(
                DataError(
                    name, int(line), "measure_id", str(mid), "a slug such as 'life-expectancy-male'"
                )
            )
    for col in ("rag_england", "rag_region", "rag_neighbours"):
        for val, line in zip(df[col].fillna(""), df[LINE], strict=True):
            if val not in RAG:
                errors.append(DataError(name, int(line), col, val, "R, A, G or blank"))
    for val, line in zip(df["questionable"].fillna(""), df[LINE], strict=True):
        if val.lower() not in TRUE | FALSE:
            errors.append(DataError(name, int(line), "questionable", val, "true, false or blank"))
    for col in ("document", "section", "table", "period", "area", "value_text"):
        for val, line in zip(df[col].fillna(""), df[LINE], strict=True):
            if not val.strip():
                errors.append(
                    DataError(
                        name, int(line), col, "an empty cell", "text (every figure cites its place)"
                    )
                )
    if errors:
        raise BuildError(errors)
    value = to_number(df, "value", name, na=("",))
    _check_value_text(df, value, name)
    out = df.copy()
    out["value"] = value
    out["questionable"] = out["questionable"].fillna("").str.lower().isin(TRUE)
    out["note"] = out["note"].fillna("")
    return flag(out)


def _check_value_text(df: pd.DataFrame, value: pd.Series, name: str) -> None:
    """The number must be the one printed in value_text (first number, thousands commas dropped)."""
    errors = []
    for text, v, line in zip(df["value_text"], value, df[LINE], strict=True):
        m = re.match(r"^\s*(-?[\d,]*\.?\d+)", str(text))
        printed = float(m.group(1).replace(",", "")) if m else None
        if printed is None or pd.isna(v) or abs(printed - v) > 1e-9:
            errors.append(
                DataError(
                    name, int(line), "value", str(v), f"the number printed in value_text {text!r}"
                )
            )
    if errors:
        raise BuildError(errors)


def flag(df: pd.DataFrame) -> pd.DataFrame:
    """Mark implausible figures questionable, appending the reason to the note.

    The home rows and region rows are found by the place's name and region name as the seed
    tables print them (for Luton: 'Luton' and 'East of England')."""
    df = df.copy()
    place = current_place()
    home, region = place.name, place.region_name
    luton = df[df["area"] == home].set_index(GROUP)
    for i, row in df.iterrows():
        key = tuple(row[g] for g in GROUP)
        if key not in luton.index:
            continue
        lut = luton.loc[key]
        lut = lut.iloc[0] if isinstance(lut, pd.DataFrame) else lut
        reasons = []
        if (
            row["area"] == region
            and row["value"] == lut["value"]
            and row["value_text"] == lut["value_text"]
        ):
            reasons.append(
                f"region value equals {home}'s in the same table: probably a transcription error in the source"
            )
        if row["area"] == home and row["value_text"].strip().endswith("%"):
            eng = df[
                (df[GROUP] == pd.Series(dict(zip(GROUP, key, strict=True)))).all(axis=1)
                & (df["area"] == "England")
            ]
            if len(eng) and eng["value"].iloc[0] > 20 and row["value"] < eng["value"].iloc[0] / 5:
                reasons.append("implausible: under a fifth of the England value")
        if re.fullmatch(r"\d{1,3}\.\d{3}", row["value_text"].strip()):
            same = df[(df[GROUP] == pd.Series(dict(zip(GROUP, key, strict=True)))).all(axis=1)]
            if (same["value"] >= 1000).any():
                reasons.append("looks like a thousands separator printed as a decimal point")
        for reason in reasons:
            df.at[i, "questionable"] = True
            if reason not in df.at[i, "note"]:
                df.at[i, "note"] = f"{df.at[i, 'note']}; {reason}" if df.at[i, "note"] else reason
    return df


def check_catalogue(df: pd.DataFrame, path: Path) -> None:
    """Every measure id is in catalogue.yaml (when the catalogue exists and loads)."""
    from lutonwb import config
    from lutonwb.catalogue import CatalogueError, load_catalogue

    cat_path = config.catalogue_path()
    if not cat_path.exists():
        return
    try:
        cat = load_catalogue(cat_path)
    except CatalogueError as exc:
        raise DataError(
            str(cat_path.name), exc.line, exc.key, exc.problem, "a valid catalogue"
        ) from exc
    name = display_name(path)
    errors = [
        DataError(name, int(line), "measure_id", mid, "an id in catalogue.yaml")
        for mid, line in zip(df["measure_id"], df[LINE], strict=True)
        if cat.resolve(mid) != mid
    ]
    if errors:
        raise BuildError(errors)
