"""measures x home authorities at one period: the home's value, England and region beside it,
the comparisons with both, notes and the recent trend (everything that does not depend on the
comparator group)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lutonwb import quintiles, stats
from lutonwb.engine.aggregate import ENGLAND_NOTE, REGION_NOTE, aggregated_benchmarks
from lutonwb.engine.rows import computed_method
from lutonwb.engine.state import State
from lutonwb.engine.vocab import QUINTILE, STALE_YEARS, TESTED, VALUE_COLS

_YEARS = re.compile(r"((?:19|20)\d\d)(?:[-/](\d{4}|\d{2})(?!\d))?")
TREND_COLS = [
    "measure_id", "area_code", "t", "value", "lower_ci", "upper_ci", "count", "denominator",
    "polarity", "proportion",
]  # fmt: skip


def label_end_year(label: str) -> int | None:
    """The last year a period label covers: '2019' -> 2019, '2017-19' -> 2019, '2022/23' -> 2023,
    'Jan 2020' or '2020 Q1' -> 2020 (None when the label names no year)."""
    found = _YEARS.search(label)
    if found is None:
        return None
    start, tail = int(found.group(1)), found.group(2)
    if tail is None:
        return start
    end = int(tail) if len(tail) == 4 else start // 100 * 100 + int(tail)
    if end < start:  # '1999-00' crosses a century; '2020-03' is a month, not a range back
        end = end + 100 if end + 100 - start <= 10 else start
    return end


def period_keys(periods: pd.DataFrame, period: str) -> pd.Series:
    """Each measure's period key (measure_id -> pkey) for a period a reader named: the period
    with exactly that label, else the latest period ending in or before the label's last year
    (what the methods page promises for period=2019). Measures with neither are absent."""
    exact = periods[periods["period"] == period].groupby("measure_id")["pkey"].max()
    year = label_end_year(period)
    if year is None:
        return exact
    ends = pd.to_datetime(periods["period_end"])
    before = periods[ends < pd.Timestamp(year + 1, 1, 1)].groupby("measure_id")["pkey"].max()
    return pd.concat([before[~before.index.isin(exact.index)], exact])


def _home_rows(st: State, period: str) -> pd.DataFrame:
    """measures x homes with the period each home is shown at and the home's own values."""
    mids = st.meta["measure_id"].to_numpy(dtype=object)
    homes = np.array(st.utla, dtype=object)
    grid = pd.DataFrame(
        {"measure_id": np.repeat(mids, len(homes)), "home_area": np.tile(homes, len(mids))}
    )
    u = st.rows[st.rows["kind"] == "utla"]
    if period == "latest":
        latest = u.groupby(["measure_id", "area_code"], sort=False)["pkey"].max().rename("pkey")
        grid = grid.merge(latest, left_on=["measure_id", "home_area"], right_index=True, how="left")
    else:
        grid["pkey"] = grid["measure_id"].map(period_keys(st.periods, period))
    hv = u[["measure_id", "area_code", "pkey", "period", "period_end", *VALUE_COLS, "key"]]
    grid = grid.merge(
        hv.rename(columns={"area_code": "home_area"}),
        on=["measure_id", "home_area", "pkey"],
        how="left",
    )
    if period == "latest":
        grid["period"] = grid["period"].fillna("")
    else:  # the label of the period resolved for each measure; the reader's text where none
        labels = st.periods.set_index(["measure_id", "pkey"])["period"]
        shown = pd.MultiIndex.from_frame(grid[["measure_id", "pkey"]]).map(labels.get)
        grid["period"] = pd.Series(shown, index=grid.index).fillna(period)
    grid = grid.merge(
        st.meta[["measure_id", "polarity", "proportion"]], on="measure_id", how="left"
    )
    grid["region_code"] = grid["home_area"].map(st.region_of)
    return grid


def _benchmarks(st: State, grid: pd.DataFrame) -> pd.DataFrame:
    """England's and the region's values at the same period, and the home compared with each."""
    r = st.rows
    eng = r[r["kind"] == "england"][["measure_id", "pkey", "value"]]
    reg = r[r["kind"] == "region"][["measure_id", "area_code", "pkey", "value"]]
    grid = grid.merge(
        eng.rename(columns={"value": "england"}), on=["measure_id", "pkey"], how="left"
    )
    grid = grid.merge(
        reg.rename(columns={"area_code": "region_code", "value": "region"}),
        on=["measure_id", "region_code", "pkey"],
        how="left",
    )
    grid = aggregated_benchmarks(st, grid)
    w, m = stats.compare_vec(
        grid["value"], grid["lower_ci"], grid["upper_ci"], grid["england"], grid["polarity"],
        grid["significance"],
    )  # fmt: skip
    grid["vs_england"] = w
    grid["vs_england_method"] = computed_method(m, grid["ci_computed"])
    w, m = stats.compare_vec(
        grid["value"], grid["lower_ci"], grid["upper_ci"], grid["region"], grid["polarity"]
    )
    grid["vs_region"] = w
    grid["vs_region_method"] = computed_method(m, grid["ci_computed"])
    return _quintile_verdicts(st, grid)


def england_fifths(st: State) -> pd.DataFrame:
    """Every authority's NTILE(5) fifth among all English upper-tier authorities at each period
    (measure_id, home_area, pkey, fifth: 1 = lowest; NaN below five values), computed once."""

    def made() -> pd.DataFrame:
        u = st.rows.loc[(st.rows["kind"] == "utla").to_numpy(), ["measure_id", "area_code", "pkey"]]
        u = u.drop_duplicates()
        groups = u.groupby(["measure_id", "pkey"], sort=False).ngroup().to_numpy()
        tiles = quintiles.ntile5(st.rows.loc[u.index, "value"].to_numpy(), groups)
        return u.rename(columns={"area_code": "home_area"}).assign(fifth=tiles)

    return st.cache.remembered(("england_fifths",), made)


def fifth_words(fifth: pd.Series, polarity: pd.Series) -> np.ndarray:
    """A fifth (1 = best, or lowest with no polarity) as its reader's words ('Worst fifth'), ''."""
    f = fifth.to_numpy(dtype=float)
    i = np.where(np.isnan(f), 0, f).astype(int) - 1
    none = polarity.to_numpy(dtype=object) == "none"
    words = np.where(
        none,
        np.array(quintiles.LABELS_NO_POLARITY, dtype=object)[i],
        np.array(quintiles.LABELS_POLARITY, dtype=object)[i],
    )
    return np.where(np.isnan(f), "", words)


def _quintile_verdicts(st: State, grid: pd.DataFrame) -> pd.DataFrame:
    """england_quintile for every home with all-authority data, and the verdict against England
    by it wherever no interval or source judgement gives a tested one (method 'quintile')."""
    grid = grid.merge(england_fifths(st), on=["measure_id", "home_area", "pkey"], how="left")
    grid["england_quintile"] = quintiles.fifth_by_polarity(grid.pop("fifth"), grid["polarity"])
    use = grid["value"].notna() & grid["england_quintile"].notna()
    use &= ~grid["vs_england_method"].isin(TESTED)
    words = fifth_words(grid["england_quintile"], grid["polarity"])
    grid["vs_england"] = np.where(use, words, grid["vs_england"])
    grid["vs_england_method"] = np.where(use, QUINTILE, grid["vs_england_method"])
    return grid


def _stale(st: State, grid: pd.DataFrame, has: pd.Series, period: str) -> pd.DataFrame:
    """Stale when the home's figure ends more than STALE_YEARS before the reference: England's
    latest on the latest view; the end of the period the reader chose otherwise (a figure for
    the chosen period is not old for being older than England's latest)."""
    if period == "latest":
        r = st.rows
        eng = r[r["kind"] == "england"]
        latest = eng.groupby("measure_id")["period_end"].max()
        eng_label = eng.sort_values("period_end").groupby("measure_id")["period"].last()
        any_latest = r[r["kind"] == "utla"].groupby("measure_id")["period_end"].max()
        ref = grid["measure_id"].map(latest).fillna(grid["measure_id"].map(any_latest))
        ref_label = grid["measure_id"].map(eng_label).fillna("the latest any authority has")
        first, before = "Latest figure for this area is ", " years before England's latest ("
    else:
        year = label_end_year(period)
        ref = pd.Series(pd.Timestamp(year, 12, 31) if year else pd.NaT, index=grid.index)
        ref_label = pd.Series(period, index=grid.index)
        first = f"The newest figure for this area up to {period} is "
        before = " years before the period chosen ("
    cutoff = pd.to_datetime(ref) - pd.DateOffset(years=STALE_YEARS)
    stale = has & (pd.to_datetime(grid["period_end"]) < cutoff)
    grid["stale"] = stale.fillna(False).astype(bool)
    grid["stale_note"] = np.where(
        grid["stale"],
        first
        + grid["period"].astype(str)
        + f", more than {STALE_YEARS}{before}"
        + ref_label.astype(str)
        + ")",
        "",
    )
    return grid


def _no_open_figure(st: State, ids: pd.Series, areas: pd.Series, what: str) -> np.ndarray:
    """Why a benchmark is blank, per row: the open data has none, and whether the strategy
    documents' reported figures print one for that area, named (so the note never contradicts the
    reported-figures table beside it, whichever home area is chosen)."""
    rep = st.reported
    printed = set(
        zip(
            rep.loc[rep["value"].notna(), "measure_id"],
            rep.loc[rep["value"].notna(), "area"],
            strict=True,
        )
    )
    # the note names the area, so it reads true beside a table of another region's figures
    # (the strategy documents print their own place's region; another home area has another)
    notes = [
        f"the open data has no figure for {a or 'the ' + what}; the strategy documents report "
        "one (see 'Figures reported in the strategy documents' on the measure's page)"
        if (m, a) in printed
        else f"the source publishes no figure for {a or 'the ' + what}"
        for m, a in zip(ids, areas, strict=True)
    ]
    return np.asarray(notes, dtype=object)


def _notes(st: State, grid: pd.DataFrame, period: str = "latest") -> pd.DataFrame:
    """Stale data, unranked small-number zeros, and why a benchmark is blank."""
    has = grid["value"].notna()
    grid = _stale(st, grid, has, period)
    small = has & (grid["value"] == 0) & (grid["count"] < 5)
    grid["small_zero"] = small.fillna(False).astype(bool)
    grid["rank_note"] = np.where(
        grid["small_zero"], "not ranked: a zero from fewer than 5 events", ""
    )
    r = st.rows
    with_region = set(r.loc[r["kind"] == "region", "measure_id"])
    with_england = set(r.loc[r["kind"] == "england", "measure_id"])
    region_names = grid["home_area"].map(lambda h: st.names.get(st.region_of.get(h, ""), ""))
    grid["region_note"] = np.where(
        has & grid["region"].isna() & ~grid["measure_id"].isin(with_region),
        _no_open_figure(st, grid["measure_id"], region_names, "region"),
        np.where(has & grid["region_aggregated"], REGION_NOTE, ""),
    )
    # a UK figure is not used in England's place: it includes Scotland, Wales and Northern
    # Ireland, so a difference from it is not a difference from England
    grid["england_note"] = np.where(
        has & grid["england"].isna() & ~grid["measure_id"].isin(with_england),
        _no_open_figure(st, grid["measure_id"], pd.Series("England", index=grid.index), "England"),
        np.where(has & grid["england_aggregated"], ENGLAND_NOTE, ""),
    )
    return grid


def _trends(st: State, period: str, grid: pd.DataFrame) -> pd.DataFrame:
    """Recent trend for every (measure, UTLA) over points up to the period shown."""
    u = st.rows[(st.rows["kind"] == "utla") & ~st.rows["before_break"]]
    if period != "latest":
        upto = grid[["measure_id", "home_area", "pkey"]].rename(
            columns={"home_area": "area_code", "pkey": "upto"}
        )
        u = u.merge(upto, on=["measure_id", "area_code"])
        u = u[u["pkey"] <= u["upto"]]
    tr = stats.trend_frame(u[TREND_COLS], ["measure_id", "area_code"])
    return tr[["measure_id", "area_code", "trend", "trend_method", "n_points", "trend_description"]]


def grid(st: State, period: str) -> pd.DataFrame:
    """Every (measure, home) at one period with benchmarks, notes and trend (cached)."""

    def made() -> pd.DataFrame:
        g = _notes(st, _benchmarks(st, _home_rows(st, period)), period)
        return g.merge(
            _trends(st, period, g),
            left_on=["measure_id", "home_area"],
            right_on=["measure_id", "area_code"],
            how="left",
        ).drop(columns="area_code")

    return st.cache.remembered(("grid", period), made)
