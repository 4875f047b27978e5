"""Which series feeds a measure, and the measures' rows from it.

Bindings of one measure measure the same thing (the catalogue says so), so the engine uses the
binding with the most recent data: the latest period end among England and the authorities;
ties go to the first listed. The others stay available as alternates.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lutonwb import stats
from lutonwb.catalogue import Binding, Measure
from lutonwb.comparators import ENGLAND
from lutonwb.db import bind_values
from lutonwb.engine.rows import computed_ci
from lutonwb.engine.state import State
from lutonwb.engine.vocab import VALUE_COLS, source_word

ROW_COLS = ["measure_id", "area_code", "period", "period_start", "period_end", "start_year"]
PERIOD_COLS = ["measure_id", "period", "pkey", "period_start", "period_end"]
EMPTY_ROWS = {
    **{c: "object" for c in [*ROW_COLS, *VALUE_COLS]},
    "pkey": "int64", "t": "float64", "kind": "object", "polarity": "object",
    "proportion": "bool", "key": "float64", "before_break": "bool",
}  # fmt: skip


def binding(st: State, m: Measure) -> Binding | None:
    """The binding the engine uses for a measure (most recent data), or None."""
    if not m.data:
        return None
    return m.data[st.chosen.get(m.id, 0)]


def alternates(st: State, m: Measure) -> list[Binding]:
    """The measure's other bindings (same definition, older or shorter series)."""
    used = binding(st, m)
    return [b for b in m.data if b is not used]


def source(st: State, m: Measure) -> str:
    """Who published the series actually used: the binding's source, else the measure's."""
    b = binding(st, m)
    return (b.source if b is not None else "") or m.source


def set_chosen(st: State, chosen: dict[str, int]) -> None:
    """Record the chosen bindings and the series they point to."""
    st.chosen = chosen
    st.meta["series"] = [b.series if (b := binding(st, m)) else "" for m in st.measures]


def choose(st: State, latest: pd.DataFrame) -> pd.DataFrame:
    """Per measure, the binding with the latest period end (England + UTLAs); ties: first listed.

    latest: measure_id, b_idx, end; returns the chosen measure_id, b_idx pairs.
    """
    latest = latest.assign(b_idx=latest["b_idx"].astype("int64"))
    latest = latest.sort_values(["measure_id", "end", "b_idx"], ascending=[True, False, True])
    best = latest.drop_duplicates("measure_id").set_index("measure_id")["b_idx"]
    set_chosen(st, {m.id: int(best.get(m.id, 0)) for m in st.measures if m.data})
    return pd.DataFrame({"measure_id": list(st.chosen), "b_idx": list(st.chosen.values())})


def _bindings_frame(st: State) -> pd.DataFrame:
    """Every binding of every measure, one row each, in bind_values' columns."""
    return pd.DataFrame(
        [
            (m.id, i, b.series, b.sex, b.age, b.category_type or "", b.category or "",
             float(b.scale), b.years)
            for m in st.measures
            for i, b in enumerate(m.data)
        ],
        columns=[
            "measure_id", "b_idx", "series", "b_sex", "b_age", "b_ctype", "b_cat", "b_scale",
            "b_years",
        ],
    ).astype({"b_age": object, "b_years": "Int64"})  # fmt: skip


def _ordered_periods(rows: pd.DataFrame) -> pd.DataFrame:
    """Each measure's periods ordered by when they end (pkey 0, 1, …): a cumulative series has
    one start for every point."""
    periods = (
        rows[["measure_id", "period", "period_start", "period_end"]]
        .drop_duplicates(["measure_id", "period"])
        .sort_values(["measure_id", "period_end", "period_start", "period"], na_position="first")
    )
    periods["pkey"] = periods.groupby("measure_id").cumcount()
    return periods[PERIOD_COLS].reset_index(drop=True)


def _add_keys(st: State, rows: pd.DataFrame) -> pd.DataFrame:
    """Time, series break, area kind, polarity and rank key of each row."""
    end = pd.to_datetime(rows["period_end"])
    t = end.dt.year + (end.dt.day_of_year - 1) / 365.25
    rows["t"] = t.fillna(rows["pkey"].astype(float))
    # a break in the series (catalogue trend_from): earlier points are not trended
    brk = pd.to_datetime(rows["measure_id"].map(st.trend_from))
    rows["before_break"] = (pd.to_datetime(rows["period_start"]) < brk).fillna(False)
    rows["before_break"] = rows["before_break"].astype(bool)
    code = rows["area_code"]
    rows["kind"] = np.where(
        code == ENGLAND, "england", np.where(code.isin(st.regions), "region", "utla")
    )
    rows = rows.merge(st.meta[["measure_id", "polarity", "proportion"]], on="measure_id")
    rows["key"] = stats.rank_key(rows["value"], rows["polarity"])
    # a zero from fewer than 5 events is not ranked (and does not push others down)
    rows.loc[(rows["value"] == 0) & (rows["count"] < 5), "key"] = np.nan
    return rows


def bind(st: State, values: pd.DataFrame | Path) -> None:
    """Set st.rows (every measure's chosen-binding rows, with a period order key per measure)
    and st.periods, from a prepared frame or values.parquet."""
    keep = sorted(st.utla_set | st.regions | {ENGLAND})
    j = bind_values(values, _bindings_frame(st), keep, [ENGLAND, *st.utla], lambda x: choose(st, x))
    if not len(j):
        st.rows = pd.DataFrame({c: pd.Series(dtype=d) for c, d in EMPTY_ROWS.items()})
        st.periods = pd.DataFrame(columns=PERIOD_COLS)
        return
    scale = j["b_scale"]
    j = j.assign(**{c: j[c] * scale for c in ("value", "lower_ci", "upper_ci")})
    j = computed_ci(j.assign(period_end=j["_end"]), st.meta.set_index("measure_id"))
    rows = j[[*ROW_COLS, *VALUE_COLS]].reset_index(drop=True)
    uniq = {x: source_word(x) for x in rows["significance"].unique()}
    rows["significance"] = rows["significance"].map(uniq)
    st.periods = _ordered_periods(rows)
    rows = rows.merge(st.periods[["measure_id", "period", "pkey"]], on=["measure_id", "period"])
    st.rows = _add_keys(st, rows)
