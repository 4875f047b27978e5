"""Rating: where a home authority's measure stands against its comparator group.

Every current upper-tier authority is rated at once: `rate_all(st, group)` returns the full
areas x measures matrix for one group (cached, or read from the build's snapshot). The group
benchmark is England's value for 'england', the region's own value for 'region' (the other
members' mean when the source has no region rows), otherwise the unweighted mean of the other
members; rank n of N (1 = best by polarity, ties share the best rank), quartile, the three
comparisons with their RAG letters, and the trend with catalogue overrides.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lutonwb import quintiles, stats
from lutonwb.engine import snapshot
from lutonwb.engine.grid import grid
from lutonwb.engine.groups import check_group, custom_codes, membership
from lutonwb.engine.pairs import GridCodes, PairCodes, member_sums
from lutonwb.engine.rows import computed_method, positions_in
from lutonwb.engine.state import State
from lutonwb.engine.vocab import GROUP_FIFTHS, GROUP_FIFTHS_NO_POLARITY, QUINTILE, TESTED

RATED_COLUMNS = [
    "measure_id", "home_area", "comparator", "period", "value", "lower_ci", "upper_ci", "england",
    "region", "region_code", "group_average", "group_average_method", "rank", "group_size",
    "quartile", "vs_england", "vs_england_method", "vs_region", "vs_region_method", "vs_group",
    "vs_group_method", "rag_england", "rag_region", "rag_group", "trend", "trend_method",
    "n_points", "worse_and_worsening", "trend_note", "stale", "stale_note", "rank_note",
    "region_note", "england_note", "england_quintile",
]  # fmt: skip


def rate_all(
    st: State, group_id: str, custom: Sequence[str] = (), period: str = "latest"
) -> pd.DataFrame:
    """Ratings of every measure for every current UTLA as home area against one group (cached)."""
    check_group(group_id)
    custom_ok = tuple(custom_codes(st, custom)[0]) if group_id == "custom" else ()

    def made() -> pd.DataFrame:
        saved = snapshot.read_ratings(st.snapshot, group_id) if period == "latest" else None
        return saved if saved is not None else rate(st, group_id, custom_ok, period)

    return st.cache.remembered(("rate", group_id, custom_ok, period), made)


def _pair_codes(st: State) -> PairCodes:
    """The authority rows' integer codes, made once per engine (every group and period)."""
    return st.cache.remembered(
        "pair_codes", lambda: PairCodes(st.rows, st.utla, (st.rows["kind"] == "utla").to_numpy())
    )


def _grid_codes(st: State, period: str) -> GridCodes:
    return st.cache.remembered(
        ("grid_codes", period), lambda: _pair_codes(st).grid(grid(st, period))
    )


def _partition_average(st: State, g: pd.DataFrame, group_id: str) -> pd.DataFrame:
    """Group size, rank and average for England, region and all authorities (whole parts)."""
    has_home = g["value"].notna()
    part = group_id == "region"
    cols = ["measure_id", "pkey", "area_code", "value", "key"]
    uu = st.rows.loc[(st.rows["kind"] == "utla").to_numpy(), cols]
    uu["part"] = uu["area_code"].map(st.region_of) if part else ""
    g["part"] = g["region_code"] if part else ""
    by = uu.groupby(["measure_id", "pkey", "part"], sort=False)
    gs = by["value"].agg(gsum="sum", gcount="count").reset_index()
    uu["rank"] = by["key"].rank(method="min")
    g = g.merge(gs, on=["measure_id", "pkey", "part"], how="left")
    g = g.merge(
        uu[["measure_id", "pkey", "area_code", "rank"]].rename(columns={"area_code": "home_area"}),
        on=["measure_id", "pkey", "home_area"],
        how="left",
    )
    n_others = g["gcount"].fillna(0) - has_home
    mean_others = (g["gsum"].fillna(0) - g["value"].fillna(0)) / n_others.where(n_others > 0)
    g["group_size"] = g["gcount"].where(g["gcount"] > 0)
    if group_id == "england":
        g["group_average"] = g["england"]
        g["group_average_method"] = "England value"
    elif group_id == "region":
        # the region's own (or count-summed) figure only: an unweighted mean of its authorities'
        # rates would judge against a figure the region does not have (vs region says so too)
        g["group_average"] = g["region"]
        g["group_average_method"] = np.where(g["region"].notna(), "region value", "")
    else:
        g["group_average"] = mean_others
        g["group_average_method"] = "unweighted mean of the other authorities"
    return g


def _members_average(st: State, g: pd.DataFrame, members: pd.DataFrame, period: str):
    """Group size, rank and average for neighbour-type groups (home -> member pairs)."""
    has_home = g["value"].notna()
    msum, mcount, better = member_sums(_pair_codes(st), _grid_codes(st, period), members)
    g["group_average"] = msum / np.where(mcount > 0, mcount, np.nan)
    g["group_average_method"] = "unweighted mean of the group's members"
    g["rank"] = np.where(has_home, better + 1, np.nan)
    size = pd.Series(mcount + has_home.to_numpy(), index=g.index)
    g["group_size"] = size.where(size > 0)
    return g


def _verdicts(st: State, g: pd.DataFrame, group_id: str) -> pd.DataFrame:
    """vs_group, quartile, RAG letters, trend words with catalogue overrides, and flags."""
    has_home = g["value"].notna()
    if group_id == "england":
        g["vs_group"], g["vs_group_method"] = g["vs_england"], g["vs_england_method"]
    else:
        w, m = stats.compare_vec(
            g["value"], g["lower_ci"], g["upper_ci"], g["group_average"], g["polarity"]
        )
        g["vs_group"], g["vs_group_method"] = w, computed_method(m, g["ci_computed"])
    g["rank"] = g["rank"].where(has_home)
    g["quartile"] = stats.quartile(g["rank"], g["group_size"])
    for col in ("england", "region", "group"):
        # only a tested comparison of a measure with a polarity earns a colour ('not tested'
        # and no-polarity measures show the word alone)
        tested = (g[f"vs_{col}_method"].isin(TESTED) & g["polarity"].ne("none")).to_numpy()
        g[f"rag_{col}"] = np.where(tested, _rag_letters(g[f"vs_{col}"]), "")
    g["trend"] = g["trend"].fillna("Not enough data")
    g["trend_method"] = g["trend_method"].fillna("none")
    g["n_points"] = g["n_points"].fillna(0).astype(int)
    # no trend judgement for cumulative series and nominal money (catalogue trend: none)
    note = _trend_notes(st, g["measure_id"])
    g["trend_note"] = pd.Series(note, index=g.index, dtype=object)
    na = (note != "") & has_home.to_numpy()
    g.loc[na, "trend"] = "Not applicable"
    g.loc[na, "trend_method"] = note[na]
    # a zero from fewer than 5 events is not ranked (it says little about the area)
    g.loc[g["small_zero"], "rank"] = np.nan
    if group_id != "england":  # after ranking, so an unranked zero gets no position either
        g = _group_fifths(g)
    g["worse_and_worsening"] = (g["vs_england"] == "Worse") & (g["trend"] == "Getting worse")
    return g


def _trend_notes(st: State, measure_ids: pd.Series) -> np.ndarray:
    """Each row's reason for no trend judgement ('' where its measure is judged), found by
    position in Arrow (a dict lookup per row was a tenth of a custom rating at 1x)."""
    ids = list(st.no_trend)
    notes = np.array([*st.no_trend.values(), ""], dtype=object)
    return notes[positions_in(measure_ids, ids, len(ids))]


# the words of the seeds' rank rule by quintiles.seed_neighbour_fifths' number ('' for none)
_FIFTH_WORDS = np.array(
    ["", *(GROUP_FIFTHS[k] for k in quintiles.SEED_FIFTH_LETTERS[1:])], dtype=object
)
_FIFTH_WORDS_NO_POLARITY = np.array(
    ["", *(GROUP_FIFTHS_NO_POLARITY[k] for k in quintiles.SEED_FIFTH_LETTERS[1:])], dtype=object
)
_RAG_LETTERS = np.array([*stats.RAG.values(), ""], dtype=object)


def _rag_letters(words: pd.Series) -> np.ndarray:
    """stats.rag for a whole column, matched in Arrow (no Python string per row)."""
    return _RAG_LETTERS[positions_in(words, list(stats.RAG), len(stats.RAG))]


def _group_fifths(g: pd.DataFrame) -> pd.DataFrame:
    """Where no tested comparison with the group exists, the home's position in it by the seeds'
    rank rule (best fifth / middle three fifths / worst fifth), method 'quintile'."""
    rank = g["rank"].astype("float64").to_numpy()
    size = g["group_size"].astype("float64").to_numpy()
    fifth = quintiles.seed_neighbour_fifths(rank, size)
    none = (g["polarity"] == "none").to_numpy()
    words = np.where(none, _FIFTH_WORDS_NO_POLARITY[fifth], _FIFTH_WORDS[fifth])
    use = (fifth > 0) & g["value"].notna().to_numpy() & ~g["vs_group_method"].isin(TESTED)
    g["vs_group"] = np.where(use, words, g["vs_group"])
    g["vs_group_method"] = np.where(use, QUINTILE, g["vs_group_method"])
    return g


def rate(st: State, group_id: str, custom: tuple[str, ...], period: str) -> pd.DataFrame:
    """Every measure for every authority against one group at one period (not cached)."""
    g = grid(st, period).copy()
    members = membership(st, group_id, custom)
    if members is None:
        g = _partition_average(st, g, group_id)
    else:
        g = _members_average(st, g, members, period)
    g = _verdicts(st, g, group_id)
    g["comparator"] = group_id
    for col in ("rank", "group_size", "quartile"):
        g[col] = g[col].astype("Int64")
    return g[RATED_COLUMNS].reset_index(drop=True)
