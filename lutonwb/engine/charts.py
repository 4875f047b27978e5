"""Chart data for one measure: its series over time, the group's values, every authority, and
the home area's breakdown by sex, age and category."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from lutonwb import stats
from lutonwb.catalogue import Measure
from lutonwb.comparators import ENGLAND
from lutonwb.engine.bindings import binding
from lutonwb.engine.grid import period_keys
from lutonwb.engine.groups import group_label, group_members
from lutonwb.engine.rate import rate_all
from lutonwb.engine.reported import reported_series_many
from lutonwb.engine.state import State
from lutonwb.engine.vocab import source_word

SERIES_COLS = [
    "period", "period_start", "period_end", "role", "area_code", "area_name", "value",
    "lower_ci", "upper_ci", "before_break",
]  # fmt: skip
GROUP_COLS = [
    "area_code", "area_name", "period", "value", "lower_ci", "upper_ci", "rank", "is_home",
    "vs_home_benchmark", "vs_method", "benchmark",
]  # fmt: skip
BREAKDOWN_COLS = [
    "period", "sex", "age", "category_type", "category", "value", "lower_ci", "upper_ci",
    "england", "vs_england", "is_primary",
]  # fmt: skip


FIRSTS = ["period_start", "period_end", "before_break"]  # a group average's: its first member's


def group_means(values: pd.Series, group: np.ndarray, n: int) -> np.ndarray:
    """Each of n groups' mean of the values present (NaN when none is). The sum is correctly
    rounded (math.fsum), so it does not depend on the rows' order: a measure's group average is
    the same to the last bit whether worked out alone or with every measure at once."""
    v = values.to_numpy(dtype=float, na_value=np.nan)
    keep = ~np.isnan(v)
    v, g = v[keep], group[keep]
    order = np.argsort(g, kind="stable")
    v, g = v[order], g[order]
    starts = np.searchsorted(g, np.arange(n + 1))
    return np.array([_mean(v[a:b]) for a, b in itertools.pairwise(starts)], dtype=float)


def _mean(v: np.ndarray) -> float:
    """The mean of values present: an exact sum where every value is finite (fsum would raise on
    an infinity), numpy's otherwise; NaN when there is none."""
    if not len(v):
        return np.nan
    if np.isfinite(v).all():
        return math.fsum(v) / len(v)
    with np.errstate(invalid="ignore"):  # infinities of both signs: NaN, as pandas gives
        return float(np.mean(v))


def measure_series(
    st: State, m: Measure, home: str, group_id: str, custom: Sequence[str] = ()
) -> pd.DataFrame:
    """Trend chart data in period-end order: home, England, region and the group average (for a
    reported-only measure, the documents' figures)."""
    return measures_series(st, [m], home, group_id, custom)[m.id]


def measures_series(
    st: State, measures: Sequence[Measure], home: str, group_id: str, custom: Sequence[str] = ()
) -> dict[str, pd.DataFrame]:
    """measure_series of many measures in one pass over their rows (a live progress table needs
    every measure's; one by one cost ~10 ms a measure): home, England and region rows, then the
    group average's, each measure's in period and role order."""
    out = reported_series_many(st, [m.id for m in measures if not m.data], home, SERIES_COLS)
    ids = [m.id for m in measures if m.data]
    if not ids:  # reported-only measures alone: no pass over every measure's rows
        return out
    rows = st.measure_rows(ids[0]) if len(ids) == 1 else st.rows[st.rows["measure_id"].isin(ids)]
    codes = rows["area_code"].to_numpy(dtype=object)
    region = st.region_of.get(home, "")
    roles = (("home", home), ("england", ENGLAND), ("region", region))
    at = [np.flatnonzero(codes == code) for _, code in roles]
    part = np.repeat(np.arange(len(roles)), [len(a) for a in at])
    parts = [
        rows.iloc[np.concatenate(at)].assign(
            role=np.repeat([role for role, _ in roles], [len(a) for a in at]),
            _part=part,
            _pos=np.concatenate(at),
        )
    ]
    with_region = set(rows["measure_id"].iloc[at[2]])
    averaged = [] if group_id == "england" else [
        i for i in ids if not (group_id == "region" and i in with_region)
    ]  # fmt: skip
    if averaged:
        members = group_members(st, group_id, home, custom)
        x = rows[rows["measure_id"].isin(averaged) & rows["area_code"].isin(members)]
        by = x.groupby(["measure_id", "period", "pkey"])  # the members' rows at each period
        avg = by[FIRSTS].first().reset_index()
        avg.insert(3, "value", group_means(x["value"], by.ngroup().to_numpy(), len(avg)))
        parts.append(
            avg.assign(
                role="group average",
                area_code="",
                lower_ci=np.nan,
                upper_ci=np.nan,
                _part=len(roles),
                _pos=np.arange(len(avg)),
            )  # fmt: skip
        )
    both = pd.concat(parts, ignore_index=True)
    both["area_name"] = [
        group_label(group_id) if c == "" else str(st.names.get(c, "")) for c in both["area_code"]
    ]
    # each measure's rows by period and role, ties in the order of the parts and the rows
    both = both.sort_values(["measure_id", "pkey", "role", "_part", "_pos"], kind="stable")
    for mid, found in both.groupby("measure_id", sort=False).indices.items():
        out[mid] = both.iloc[found[0] : found[-1] + 1][SERIES_COLS].reset_index(drop=True)
    for mid in ids:
        out.setdefault(mid, pd.DataFrame(columns=SERIES_COLS))
    return out


def home_pkey(st: State, mid: str, home: str | None, period: str) -> float:
    """The period key shown: the named period's (grid.period_keys), else the home's (or any
    authority's) latest."""
    if period != "latest":
        keys = period_keys(st.periods[st.periods["measure_id"] == mid], period)
        return float(keys.get(mid, np.nan))
    r = st.measure_rows(mid)
    r = r[r["kind"] == "utla"]
    if home is not None:
        r = r[r["area_code"] == home]
    return float(r["pkey"].max()) if len(r) else np.nan


def _group_benchmark(
    st: State, m: Measure, home: str, group_id: str, custom: Sequence[str], period: str
) -> float:
    """The home's group average for one measure (NaN when none)."""
    row = rate_all(st, group_id, custom, period)
    row = row[(row["home_area"] == home) & (row["measure_id"] == m.id)]
    if len(row) and pd.notna(row["group_average"].iloc[0]):
        return float(row["group_average"].iloc[0])
    return np.nan


def measure_group_values(
    st: State, m: Measure, home: str, group_id: str, custom: Sequence[str], period: str
) -> pd.DataFrame:
    """Ranked bar data for the group and home, each compared with the home's group benchmark."""
    codes = [home, *group_members(st, group_id, home, custom)]
    pk = home_pkey(st, m.id, home, period)
    r = st.measure_rows(m.id)
    r = r[(r["pkey"] == pk) & r["area_code"].isin(codes)]
    out = pd.DataFrame({"area_code": codes}).merge(
        r[["area_code", "period", "value", "lower_ci", "upper_ci", "significance", "key"]],
        on="area_code",
        how="left",
    )
    out["area_name"] = out["area_code"].map(lambda c: str(st.names.get(c, "")))
    rank = pd.Series(out["key"].to_numpy(dtype=float)).rank(method="min")
    out["rank"] = pd.array(rank.to_numpy(), dtype="Int64")
    out["is_home"] = out["area_code"] == home
    bench = _group_benchmark(st, m, home, group_id, custom, period)
    words, methods = stats.compare_vec(
        out["value"], out["lower_ci"], out["upper_ci"], np.full(len(out), bench),
        np.full(len(out), m.polarity, dtype=object),
        out["significance"] if group_id == "england" else None,
    )  # fmt: skip
    out["vs_home_benchmark"], out["vs_method"], out["benchmark"] = words, methods, bench
    out["period"] = out["period"].fillna("")
    out = out.sort_values(["rank", "area_name"], na_position="last")
    return out[GROUP_COLS].reset_index(drop=True)


def measure_all_areas(st: State, m: Measure, period: str) -> pd.DataFrame:
    """Every current UTLA at one period: value, count of events (where the data has one),
    vs_england, rank, quartile."""
    pk = home_pkey(st, m.id, None, period)
    r = st.measure_rows(m.id)
    r = r[r["pkey"] == pk]
    u = r[r["kind"] == "utla"][
        ["area_code", "period", "value", "count", "lower_ci", "upper_ci", "significance"]
    ]
    out = st.auth[["area_code", "area_name", "region_code"]].merge(u, on="area_code", how="left")
    eng = r.loc[r["kind"] == "england", "value"]
    e = float(eng.iloc[0]) if len(eng) else np.nan
    words, methods = stats.compare_vec(
        out["value"], out["lower_ci"], out["upper_ci"], np.full(len(out), e),
        np.full(len(out), m.polarity, dtype=object), out["significance"],
    )  # fmt: skip
    out["england"] = e
    out["vs_england"], out["vs_england_method"] = words, methods
    rank = stats.rank_values(out["value"], m.polarity)
    n = int(out["value"].notna().sum())
    out["rank"] = pd.array(rank, dtype="Int64")
    out["quartile"] = pd.array(stats.quartile(rank, np.full(len(out), n)), dtype="Int64")
    out["period"] = out["period"].fillna("")
    return out.drop(columns="significance").reset_index(drop=True)


def measure_breakdown(st: State, m: Measure, home: str, period: str) -> pd.DataFrame:
    """The home area's values by sex, age and category with England's beside them."""
    b = binding(st, m)
    pk = home_pkey(st, m.id, home, period)
    p = st.periods[(st.periods["measure_id"] == m.id) & (st.periods["pkey"] == pk)]
    if b is None or p.empty:
        return pd.DataFrame(columns=BREAKDOWN_COLS)
    s = st.series_rows[st.series_rows["series"] == b.series]
    s = s[(s["period"] == p["period"].iloc[0]) & s["value"].notna()]
    if b.age is not None:
        s = s[s["age"] == b.age]
    s = s.assign(**{c: s[c] * b.scale for c in ("value", "lower_ci", "upper_ci")})
    keys = ["sex", "age", "category_type", "category"]
    e = s[s["area_code"] == ENGLAND].drop_duplicates(keys)[[*keys, "value"]]
    out = s[s["area_code"] == home].drop_duplicates(keys)
    out = out.merge(e.rename(columns={"value": "england"}), on=keys, how="left")
    words, _ = stats.compare_vec(
        out["value"], out["lower_ci"], out["upper_ci"], out["england"],
        np.full(len(out), m.polarity, dtype=object), out["significance"].map(source_word),
    )  # fmt: skip
    out["vs_england"] = words
    sexes = {b.sex, ""} if b.sex == "Persons" else {b.sex}
    out["is_primary"] = (
        out["sex"].isin(sexes)
        & (out["category_type"] == b.category_type)
        & (out["category"] == b.category)
    )
    return out.sort_values(["category_type", "category", "sex"])[BREAKDOWN_COLS].reset_index(
        drop=True
    )
