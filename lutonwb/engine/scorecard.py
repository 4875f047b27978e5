"""A home area's scorecard: one row per measure, its ratings against one group, the catalogue's
words about it and the seed documents' own ratings (the latest JSNA table's RAG and trend); a
measure with no open data shows the documents' latest figure and RAG (engine.reported)."""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np
import pandas as pd

from lutonwb.catalogue import Measure
from lutonwb.engine.bindings import alternates, binding, source
from lutonwb.engine.groups import NEIGHBOUR_GROUPS, group_notes, same_members_group
from lutonwb.engine.rate import rate_all
from lutonwb.engine.reported import apply_reported
from lutonwb.engine.state import State
from lutonwb.engine.vocab import CONTRACT_COLUMNS, EXTRA_COLUMNS, EngineError

SEED_COLS = {
    "rag_england": "seed_rag_england", "rag_region": "seed_rag_region",
    "rag_neighbours": "seed_rag_neighbours", "trend": "seed_trend", "period": "seed_period",
    "table": "seed_table", "document": "seed_document",
}  # fmt: skip
BLANK_TEXT = (
    "rag_england", "rag_region", "rag_group", "period", "group_average_method", "trend_note",
    "stale_note", "rank_note", "region_note", "england_note",
)  # fmt: skip


def select(
    st: State, board: str | None, principle: int | None, outcome: str | None
) -> list[Measure]:
    """The catalogue's measures, filtered by board, Marmot principle and target outcome."""
    ms, cat = st.measures, st.cat
    if board:
        if board not in cat.boards:
            raise EngineError(f"unknown board {board!r}: choose one of {', '.join(cat.boards)}")
        ids = {m.id for m in cat.for_board(board)}
        ms = [m for m in ms if m.id in ids]
    if principle is not None:
        if int(principle) not in cat.principles:
            raise EngineError(f"unknown Marmot principle {principle!r}: use 1-8")
        ms = [m for m in ms if int(principle) in m.principles]
    if outcome:
        if outcome not in cat.outcomes:
            raise EngineError(f"unknown target outcome {outcome!r}")
        ms = [m for m in ms if outcome in m.outcomes]
    return ms


def seed_ratings(st: State, home: str) -> pd.DataFrame:
    """The latest JSNA table's ratings for the home area, matched by its name in the areas table."""
    cols = ["measure_id", *SEED_COLS.values()]
    name = st.names.get(home, "")
    r = st.reported[(st.reported["area"] == name) & (name != "")]
    rated = r[(r[["rag_england", "rag_region", "rag_neighbours", "trend"]] != "").any(axis=1)]
    if rated.empty:
        return pd.DataFrame(columns=cols)
    rated = rated.assign(jsna=rated["table"].str.upper().str.startswith("JSNA"))
    rated = rated.sort_values(["measure_id", "jsna", "table", "period"]).drop_duplicates(
        "measure_id", keep="last"
    )
    return rated.rename(columns=SEED_COLS)[cols]


def _catalogue_part(st: State, ms: list[Measure]) -> pd.DataFrame:
    """The catalogue's words about each measure and the series used."""
    return pd.DataFrame(
        {
            "measure_id": [m.id for m in ms],
            "title": [m.title for m in ms],
            "principles": [list(m.principles) for m in ms],
            "outcomes": [list(m.outcomes) for m in ms],
            "boards": [list(m.boards) for m in ms],
            "source": [source(st, m) for m in ms],
            "unit": [m.unit for m in ms],
            "polarity": [m.polarity for m in ms],
            "headline": [bool(m.headline) for m in ms],
            "value_type": [m.value_type for m in ms],
            "decimals": [m.places for m in ms],
            "series": [b.series if (b := binding(st, m)) else "" for m in ms],
            "source_note": [b.note if (b := binding(st, m)) else "" for m in ms],
            "alternate_series": ["; ".join(b.series for b in alternates(st, m)) for m in ms],
            "reported_only": [not m.data for m in ms],
        }
    )


def _fill_blanks(out: pd.DataFrame) -> pd.DataFrame:
    """Words for measures without ratings (reported only, no value)."""
    for col in ("vs_england", "vs_region", "vs_group"):
        out[col] = out[col].fillna("Not compared")
        out[f"{col}_method"] = out[f"{col}_method"].fillna("")
    for col in BLANK_TEXT:
        out[col] = out[col].fillna("")
    out["stale"] = out["stale"].fillna(False).astype(bool)
    out["trend"] = out["trend"].fillna("Not enough data")
    out["trend_method"] = np.where(
        out["reported_only"], "reported figures only", out["trend_method"].fillna("none")
    )
    out["n_points"] = out["n_points"].fillna(0).astype(int)
    out["worse_and_worsening"] = out["worse_and_worsening"].fillna(False).astype(bool)
    return out


def _rated_as(st: State, home: str, group_id: str, custom: Sequence[str]) -> tuple[str, tuple]:
    """The group and members whose ratings give the home area's rows: a custom group with exactly
    a neighbour group's members for the home area is rated as that group (the same members, the
    same average, rank and verdicts; its ratings are saved by the build, so the first custom view
    is not rated live), labelled custom by the scorecard."""
    if group_id == "custom":
        same = same_members_group(st, home, custom, NEIGHBOUR_GROUPS)
        if same is not None:
            return same, ()
    return group_id, tuple(custom)


def part(whole: pd.DataFrame, ms: list[Measure]) -> pd.DataFrame:
    """The rows of a scorecard of every measure (`whole`) for ms, in their order, as scorecard()
    makes them for ms alone; EngineError when `whole` lacks one of them."""
    ids = [m.id for m in ms]
    at = pd.Series(range(len(whole)), index=whole["measure_id"].to_numpy()).reindex(ids)
    if at.isna().any():
        missing = ", ".join(at.index[at.isna()])
        raise EngineError(f"the scorecard has no row for {missing}: pass one of every measure")
    out = whole.iloc[at.astype(int).to_numpy()].reset_index(drop=True)
    out.attrs = copy.deepcopy(whole.attrs)
    return out


def scorecard(
    st: State, home: str, group_id: str, custom: Sequence[str], period: str, ms: list[Measure]
) -> pd.DataFrame:
    """One row per measure of ms for a checked home area and group; df.attrs['notes'] carries
    the group's notes."""
    full = rate_all(st, *_rated_as(st, home, group_id, custom), period)
    rows = full[full["home_area"] == home].set_index("measure_id")
    rows = rows.reindex([m.id for m in ms]).reset_index()
    out = _catalogue_part(st, ms).merge(rows, on="measure_id", how="left")
    out["home_area"] = home
    out["home_name"] = str(st.names.get(home, ""))
    out["comparator"] = group_id
    out["region_code"] = st.region_of.get(home, "")
    out = apply_reported(st, _fill_blanks(out), home, group_id)
    out = out.merge(seed_ratings(st, home), on="measure_id", how="left")
    for col in SEED_COLS.values():
        out[col] = out[col].fillna("")
    out = out[CONTRACT_COLUMNS + EXTRA_COLUMNS]
    out.attrs["notes"] = group_notes(st, group_id, home, custom)
    return out
