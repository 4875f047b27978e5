"""Measures with no open data, rated by the seed documents' own figures (method 'reported').

The latest figure the documents print for the home area is the measure's value, with its period,
the document's title (the place's seeds map, never a file name) and England's and the region's
figures from the same table; the documents' own RAG letters are the verdicts. A questionable
figure is shown with its flag and gives no verdict.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lutonwb import stats
from lutonwb.comparators import ENGLAND
from lutonwb.engine.state import State
from lutonwb.engine.vocab import RAG_WORDS, REPORTED
from lutonwb.place import current_place

KEYS = ["measure_id", "document", "table", "period"]
GROUP_RAG = {"england": "rag_england", "region": "rag_region"}
# The documents rate against their own neighbour sets (mostly CIPFA's 16, which this build does
# not hold), so their neighbour letter is shown as the strategy's rating, never as a verdict
# against a comparator group chosen here.
NEIGHBOURS_NOTE = (
    "the documents rate it against their own neighbours, not this group (see the strategy's rating)"
)


def _start_year(period: pd.Series) -> pd.Series:
    """The first year printed in a period ('2021/22' -> 2021), for ordering figures."""
    return pd.to_numeric(period.str.extract(r"((?:19|20)\d\d)")[0], errors="coerce").fillna(0)


def latest_reported(st: State, home: str) -> pd.DataFrame:
    """Per reported-only measure, the home area's latest figure in the documents (a figure that
    is not questionable first) with England's and the region's from the same table. Every
    area's figures are sorted once per engine (_reported_by_area): a scorecard for a new view
    no longer filters, sorts and merges the documents' table (~20 ms of its ~75 ms)."""
    latest, sound, empty = st.cache.remembered(("reported_by_area",), lambda: _reported_by_area(st))
    name = st.names.get(home, "")
    mine = latest.get(name) if name else None
    if mine is None:
        return empty.copy()
    mine = mine.copy()
    keys = list(zip(*(mine[k] for k in KEYS), strict=True))
    region = st.names.get(st.region_of.get(home, ""), "")
    for col, area in (("england", "England"), ("region", region)):
        figures = sound.get(area, {}) if area else {}
        mine[col] = pd.Series([figures.get(k, np.nan) for k in keys], index=mine.index, dtype=float)
    return mine


def _reported_by_area(st: State) -> tuple[dict[str, pd.DataFrame], dict[str, dict], pd.DataFrame]:
    """The documents' figures of reported-only measures by area name: each area's latest figure
    per measure (a sound one first, then the latest year; a stable sort, so ties keep the
    documents' order), each area's sound figures by (measure, document, table, period) (the
    first of any repeats), and an empty frame of the documents' columns."""
    only = {m.id for m in st.measures if not m.data}
    r = st.reported[st.reported["measure_id"].isin(only)]
    flagged = r["questionable"].fillna(False).astype(bool)
    mine = r[r["value"].notna()].copy()
    mine["_year"] = _start_year(mine["period"])
    mine["questionable"] = mine["questionable"].fillna(False).astype(bool)
    mine["_sound"] = ~mine["questionable"]
    mine = mine.sort_values(["area", "measure_id", "_sound", "_year", "table", "document"])
    mine = mine.drop_duplicates(["area", "measure_id"], keep="last")
    mine = mine.drop(columns=["_year", "_sound"])
    sound: dict[str, dict] = {}
    for row in r.loc[~flagged, ["area", *KEYS, "value"]].itertuples(index=False):
        sound.setdefault(str(row[0]), {}).setdefault(tuple(row[1:-1]), row[-1])  # the first
    latest = {str(a): rows for a, rows in mine.groupby("area", sort=False)}
    return latest, sound, r.iloc[:0]


def _area_roles(st: State, home: str) -> dict[str, tuple[str, str]]:
    """The documents' area names a series shows: name -> (role, area code)."""
    region = st.region_of.get(home, "")
    roles = {st.names.get(home, ""): ("home", home), "England": ("england", ENGLAND)}
    roles[st.names.get(region, "")] = ("region", region)
    return roles


def _series_rows(r: pd.DataFrame, roles: dict[str, tuple[str, str]], by: list[str]) -> pd.DataFrame:
    """The sound figures of `r` as trend rows, one per area and period (the latest table's), in
    period-end order; `by` (the measure column, or none) keeps many measures apart."""
    r = r[r["value"].notna() & r["area"].isin(roles.keys())]
    r = r[~r["questionable"].fillna(False).astype(bool) & (r["area"] != "")]
    r = r.sort_values([*by, "table", "document"]).drop_duplicates(
        [*by, "area", "period"], keep="last"
    )
    year = _start_year(r["period"]).astype(int).astype(str)
    out = r.assign(
        role=r["area"].map(lambda a: roles[a][0]),
        area_code=r["area"].map(lambda a: roles[a][1]),
        area_name=r["area"],
        period_start=_dates(year + "-01-01"),
        period_end=_dates(year + "-12-31"),
        lower_ci=np.nan,
        upper_ci=np.nan,
        before_break=False,
    )
    return out.sort_values([*by, "period_end", "role"])


def _dates(text: pd.Series) -> pd.Series:
    """Dates in the rows' own unit (microseconds), whatever the batch: pandas picks seconds for
    a batch with no valid date, so one measure alone and many at once would differ."""
    return pd.to_datetime(text, errors="coerce").astype("datetime64[us]")


def reported_series_many(
    st: State, measure_ids: list[str], home: str, columns: list[str]
) -> dict[str, pd.DataFrame]:
    """Reported-only measures' histories from the documents (home area, England, region), sound
    figures only, one per area and period (the latest table's), for the trend chart; all in one
    pass (~10 ms a measure one by one). No measures: nothing to do (every measure with data
    asks, and two passes over no rows cost ~20 ms)."""
    if not measure_ids:
        return {}
    if len(measure_ids) == 1:
        r = st.reported_rows(measure_ids[0])
    else:
        r = st.reported[st.reported["measure_id"].isin(measure_ids)]
    rows = _series_rows(r, _area_roles(st, home), ["measure_id"])
    out = {
        mid: rows.iloc[found][columns].reset_index(drop=True)
        for mid, found in rows.groupby("measure_id", sort=False).indices.items()
    }
    missing = [mid for mid in measure_ids if mid not in out]
    if missing:  # no sound figure: an empty frame of the same columns
        none = _series_rows(st.reported.iloc[:0], {}, [])[columns].reset_index(drop=True)
        out.update((mid, none.copy()) for mid in missing)
    return out


def _verdict(
    rag: pd.Series, sound: pd.Series, value: pd.Series, bench: pd.Series, polarity: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(word, method, letter) from the documents' RAG letters; none for a questionable figure.
    A measure with no polarity is never judged or coloured: a G or R keeps only its direction
    (Higher / Lower from the figures, Not compared without a benchmark), an A stays Similar."""
    letter = rag.fillna("").where(sound, "")
    word = letter.map(RAG_WORDS).fillna("Not compared")
    none = polarity.eq("none") & letter.isin(["G", "R"])
    direction = np.where(value > bench, "Higher", np.where(value < bench, "Lower", "Not compared"))
    word = word.where(~none, pd.Series(direction, index=rag.index))
    letter = letter.where(~polarity.eq("none"), "")
    keep = (letter != "") | (polarity.eq("none") & (word != "Not compared"))
    method = pd.Series(np.where(keep, REPORTED, ""), index=rag.index)
    return word, method, letter


def _note(rep: pd.DataFrame, group_id: str) -> pd.Series:
    """Where the figure comes from, and why it gives no verdict when questionable."""
    t = rep[["document", "table", "period", "note", "rag_neighbours"]].fillna("").astype(str)
    title = t["document"].map(current_place().seeds).fillna("the strategy documents")
    note = "Figure reported in " + title + " (" + t["table"] + ", " + t["period"] + ")"
    flagged = rep["questionable"].fillna(False).astype(bool)
    note = note.where(~flagged, note + "; questionable, so not rated: " + t["note"])
    if group_id not in GROUP_RAG:
        note = note.where(t["rag_neighbours"] == "", note + "; " + NEIGHBOURS_NOTE)
    return note


def apply_reported(st: State, out: pd.DataFrame, home: str, group_id: str) -> pd.DataFrame:
    """The scorecard with the documents' latest figure and RAG filled in for reported-only
    measures (columns value, period, england, region, vs_*, rag_*, value_text, reported_*)."""
    out = out.assign(value_text="", reported_note="", reported_document="")
    rep = latest_reported(st, home)
    if rep.empty:
        return out
    rep = rep.set_index("measure_id").reindex(out["measure_id"]).set_axis(out.index)
    at = rep["value"].notna() & out["reported_only"]
    sound = rep["questionable"].eq(False)
    for col in ("value", "period", "england", "region", "value_text"):
        out[col] = out[col].where(~at, rep[col])
    out["reported_document"] = rep["document"].map(current_place().seeds).where(at, "")
    out["reported_note"] = _note(rep, group_id).where(at, "")
    rags = {"england": "rag_england", "region": "rag_region"}
    if group_id in GROUP_RAG:
        rags["group"] = GROUP_RAG[group_id]
    for col, rag in rags.items():
        bench = out[group_id if col == "group" else col]
        word, method, letter = _verdict(rep[rag], sound, out["value"], bench, out["polarity"])
        out[f"vs_{col}"] = out[f"vs_{col}"].where(~at, word)
        out[f"vs_{col}_method"] = out[f"vs_{col}_method"].where(~at, method)
        out[f"rag_{col}"] = out[f"rag_{col}"].where(~at, letter)
    return _untested(out, at & sound, group_id)


def _untested(out: pd.DataFrame, at: pd.Series, group_id: str) -> pd.DataFrame:
    """A sound figure with England's or the region's beside it but no RAG: Higher / Lower,
    'not tested' (the documents give no interval), as for open data without one."""
    against = {"england": "england", "region": "region"}
    if group_id in GROUP_RAG:
        against["group"] = group_id
    for col, bench in against.items():
        w, m = stats.compare_vec(out["value"], np.nan, np.nan, out[bench], out["polarity"])
        use = at & (out[f"vs_{col}_method"] == "") & (m != "")
        out[f"vs_{col}"] = out[f"vs_{col}"].where(~use, w)
        out[f"vs_{col}_method"] = out[f"vs_{col}_method"].where(~use, m)
    return out
