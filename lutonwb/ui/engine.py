"""Cached access to the catalogue and the engine: one Engine per build, results keyed by small scalars.

Every cache follows ui.data.by_build: the published build's id is part of every key, so a new
build or an edited catalogue is picked up without a restart, and no DataFrame is hashed on a
rerun. Results keyed by reader input (areas, groups, custom lists, periods) are bounded in
entries and time (READER_TTL); the engine bounds its own store of custom groups and periods.
"""

from __future__ import annotations

import gc

import pandas as pd
import streamlit as st

from lutonwb import config
from lutonwb import highlights as highlights_lib
from lutonwb.catalogue import Catalogue, load_catalogue
from lutonwb.comparators import Group, area_choice_labels, label_in_sentence
from lutonwb.engine import Engine
from lutonwb.place import current_place
from lutonwb.text import period_words, split_list
from lutonwb.ui import charts
from lutonwb.ui.charts import UTLA_LAYERS, england_map, spec_of, utla_features_from
from lutonwb.ui.data import READER_TTL, by_build, warehouse
from lutonwb.ui.state import GROUP_IDS, State, Vocab, alias_map, period_order
from lutonwb.wards import areas_of


@by_build(st.cache_resource, max_entries=2)
def catalogue() -> Catalogue:
    """The loaded catalogue (reloaded when the file changes)."""
    return load_catalogue(config.catalogue_path())


@by_build(st.cache_resource, max_entries=2, show_spinner="Rating every measure…")
def _engine() -> Engine:
    eng = Engine(warehouse(), catalogue())
    freeze_long_lived()
    return eng


def freeze_long_lived() -> None:
    """Take everything loaded so far (libraries, catalogue, engine, warehouse) out of the cyclic
    garbage collector's scans: a full pass over them cost 60-110 ms, stalling whichever session
    was running. Refcounting still frees them; only cycles made before this call are kept (no
    collection first: it would add ~0.1 s to the first page a fresh server draws)."""
    gc.freeze()


def engine() -> Engine:
    """The engine for the current build and catalogue (its own store of reader-chosen results is
    bounded: lutonwb.engine.state.ResultStore)."""
    return _engine()


@by_build(st.cache_resource, max_entries=2)
def vocab() -> Vocab:
    """Valid URL values for this build."""
    cat = catalogue()
    auth = engine().authorities()
    areas = dict(zip(auth["area_code"].astype(str), auth["area_name"].astype(str), strict=False))
    measure_pairs = [(mid, mid) for mid in cat.measures]
    measure_pairs += [(alias, mid) for alias, mid in cat.aliases.items() if mid in cat.measures]
    board_pairs = [(bid, bid) for bid in cat.boards]
    for bid, b in cat.boards.items():
        board_pairs += [(b.title, bid), *((a, bid) for a in b.aliases)]
    headline = [m.id for m in cat.measures.values() if m.headline and not m.reported_only]
    with_data = [m.id for m in cat.measures.values() if not m.reported_only]
    default_measure = (headline or with_data or list(cat.measures) or [""])[0]
    default_area = (
        config.HOME_AREA_DEFAULT if config.HOME_AREA_DEFAULT in areas else next(iter(areas), "")
    )
    return Vocab(
        areas=areas,
        measures=alias_map(measure_pairs),
        boards=alias_map(board_pairs),
        principles=frozenset(cat.principles),
        groups=tuple(g.id for g in engine().groups()) or GROUP_IDS,
        default_area=default_area,
        default_measure=default_measure,
        default_board=next(iter(cat.boards), ""),
        periods=frozenset(engine().state.periods["period"].astype(str)),
    )


@by_build(st.cache_resource, max_entries=2)
def area_choices() -> dict[str, str]:
    """Authority code -> its name for the sidebar's choices (a shared name gets its region)."""
    return area_choice_labels(engine().authorities())


def sources(measure_id: str) -> tuple[str, list[str]]:
    """Publisher of the figures shown and of the other bound series (see Engine.sources)."""
    return engine().sources(measure_id)


def group_labels() -> dict[str, str]:
    """Comparator group id -> label."""
    return {g.id: g.label for g in engine().groups()}


# -- results, cached per build by small scalars -------------------------------------------------
# Keys made from reader input are bounded: READER caches hold at most max_entries for READER_TTL.


@by_build(max_entries=128, ttl=READER_TTL)
def scorecard(home: str, group: str, custom: tuple[str, ...] = (), period: str = "latest",
              board: str | None = None, principle: int | None = None) -> pd.DataFrame:  # fmt: skip
    """One rated row per measure (optionally one board's or one principle's: its rows of the
    whole scorecard, which every page shares, rather than worked out again per board)."""
    if board is None and principle is None:
        return engine().scorecard(home, group, custom=custom, period=period)
    whole = scorecard(home, group, custom, period)
    return engine().scorecard_part(whole, board=board, principle=principle)


@by_build(max_entries=64, ttl=READER_TTL)
def highlights(
    home: str, group: str, custom: tuple[str, ...] = (), period: str = "latest"
) -> dict[str, pd.DataFrame]:
    """The overview's lists: biggest gaps, clearest improvements, worse and getting worse."""
    sc = scorecard(home, group, custom, period)
    return {
        "gaps": highlights_lib.biggest_gaps(sc),
        "improving": highlights_lib.clearest_improvements(sc),
        "worsening": highlights_lib.worse_and_worsening(sc),
    }


@by_build(max_entries=64, ttl=READER_TTL)
def summary(
    home: str, group: str, custom: tuple[str, ...], period: str, by: str, against: str = "vs_group"
) -> pd.DataFrame:
    """Counts of better / similar / worse / not compared by principle or board, against England
    (vs_england), the region (vs_region) or the comparator group (vs_group)."""
    return engine().summary(scorecard(home, group, custom, period), by, against)


@by_build(max_entries=256, ttl=READER_TTL)
def measure_series(mid: str, home: str, group: str, custom: tuple[str, ...] = ()) -> pd.DataFrame:
    """Trend chart data for one measure."""
    return engine().measure_series(mid, home, group, custom)


@by_build(max_entries=256, ttl=READER_TTL)
def measure_group_values(
    mid: str, home: str, group: str, custom: tuple[str, ...] = (), period: str = "latest"
) -> pd.DataFrame:
    """Ranked bar data for one measure."""
    return engine().measure_group_values(mid, home, group, custom, period)


@by_build(max_entries=256, ttl=READER_TTL)
def measure_all_areas(mid: str, period: str = "latest") -> pd.DataFrame:
    """Every upper-tier authority's value for one measure (map, spine chart)."""
    return engine().measure_all_areas(mid, period)


@by_build(max_entries=256, ttl=READER_TTL)
def measure_breakdown(mid: str, home: str, period: str = "latest") -> pd.DataFrame:
    """Breakdown by sex or category where the data has it."""
    return engine().measure_breakdown(mid, home, period)


@by_build(max_entries=8, ttl=READER_TTL)
def table(name: str) -> pd.DataFrame | None:
    """A whole warehouse table, or None when this build does not have it (pages skip gracefully)."""
    wh = warehouse()
    return wh.table(name) if wh.has_table(name) else None


@by_build(max_entries=64, ttl=READER_TTL)
def plan_actions(board: str = "", measure: str = "") -> pd.DataFrame | None:
    """The year-plan actions of one board and/or those whose `measures` links (';'-separated
    catalogue ids) name one measure; None when this build has no plan actions."""
    actions = table("plan_actions")
    if actions is None:
        return None
    keep = pd.Series(True, index=actions.index)
    if board:
        keep &= actions["board"] == board
    if measure:
        keep &= actions["measures"].map(lambda cell: measure in split_list(cell))
    return actions[keep].reset_index(drop=True)


@by_build(st.cache_resource, max_entries=2)  # shared, never copied: ~0.5 MB of outlines
def utla_features() -> list[dict]:
    """GeoJSON features of England's upper-tier authorities from the warehouse, [] when absent."""
    wh = warehouse()
    if not wh.has_table("boundaries"):
        return []
    return utla_features_from(wh.boundaries(UTLA_LAYERS[0]))


@by_build(st.cache_resource, max_entries=64, ttl=READER_TTL)
def england_map_spec(measure_id: str, period: str, home: str) -> tuple[dict, str]:
    """The England map as a finished Vega-Lite spec and its caption, built once per view (read-only)."""
    m = catalogue().measure(measure_id)
    allv = measure_all_areas(measure_id, period)
    chart, caption = england_map(utla_features(), allv, m.title, m.unit, home, m.places)
    return spec_of(chart), caption


def period_options(state: State, page: str) -> list[str]:
    """Periods to offer, newest first: the measure's own on the measure page, the board's or the
    principle's measures' on theirs, else every measure's in the home's latest scorecard."""
    measure = state.measure if page == "measure" else ""
    board = state.board if page == "board" and state.board else None
    principle = state.principle if page == "principle" else None
    return list(_period_options(state.area, measure, board, principle))


@by_build(st.cache_resource, max_entries=256, ttl=READER_TTL)  # shared, read-only
def _period_options(
    home: str, measure: str, board: str | None, principle: int | None
) -> tuple[str, ...]:
    """period_options, worked out once per home area and page subject (not every rerun)."""
    try:
        if measure:
            s = measure_series(measure, home, "england")
            periods = set(s.loc[s["role"] == "home", "period"].astype(str))
        else:
            sc = scorecard(home, "england", board=board, principle=principle)
            periods = {str(p) for p in sc.loc[sc["value"].notna(), "period"].dropna() if str(p)}
    except Exception:  # noqa: BLE001 (no periods to offer is not worth a failure)
        return ()
    return tuple(sorted(periods, key=period_order, reverse=True))


@by_build(max_entries=2)
def series_summary() -> pd.DataFrame:
    """One row per data series: source file, periods (the latest in words, never an ISO date),
    rows (freshness and provenance)."""
    summary = warehouse().series_summary()
    return summary.assign(latest_period=summary["latest_period"].map(period_words))


@by_build(max_entries=32, ttl=READER_TTL)
def spread(ids: tuple[str, ...], period: str = "latest") -> pd.DataFrame:
    """Lowest, 25th and 75th percentile and highest value over every authority, per measure (spine chart)."""
    rows = []
    for mid in ids:
        a = engine().measure_all_areas(mid, period)["value"].dropna()
        if a.empty:
            continue
        rows.append(
            {
                "measure_id": mid,
                "lowest": a.min(),
                "q25": a.quantile(0.25),
                "q75": a.quantile(0.75),
                "highest": a.max(),
                "areas": len(a),
            }
        )
    return pd.DataFrame(rows, columns=["measure_id", "lowest", "q25", "q75", "highest", "areas"])


def home_count(mid: str, home: str, period: object) -> float | None:
    """The home area's count of events behind its value at that period (spine chart's Count
    column); None where the data has no count."""
    a = measure_all_areas(mid, "latest" if pd.isna(period) else str(period))
    row = a[(a["area_code"] == home) & (a["period"] == period)]
    return None if row.empty or pd.isna(row["count"].iloc[0]) else float(row["count"].iloc[0])


# -- finished chart specs, built once per view ----------------------------------------------
# Building an Altair chart and validating it took 25-40 ms a chart on every rerun; these return
# the finished Vega-Lite spec (shared, read-only) and its caption, keyed by the URL state.


@by_build(st.cache_resource, max_entries=256, ttl=READER_TTL)
def trend_spec(
    mid: str, home: str, group: str, custom: tuple[str, ...] = ()
) -> tuple[dict, str] | None:
    """The measure page's trend chart (spec, caption); None when there is no series."""
    series = measure_series(mid, home, group, custom)
    if series.empty:
        return None
    m = catalogue().measure(mid)
    home_name = vocab().areas.get(home, home)
    chart, caption = charts.trend_chart(series, m.title, m.unit, home_name, m.places)
    return spec_of(chart), caption


@by_build(st.cache_resource, max_entries=256, ttl=READER_TTL)
def ranked_spec(
    mid: str, home: str, group: str, custom: tuple[str, ...] = (), period: str = "latest"
) -> tuple[dict, str] | None:
    """The measure page's ranked bar chart of the group (spec, caption); None without values."""
    gv = measure_group_values(mid, home, group, custom, period)
    if gv["value"].notna().sum() == 0:
        return None
    m = catalogue().measure(mid)
    bench = gv["benchmark"].dropna()
    name = group_labels().get(group, group)
    label = "England" if group == "england" else f"{name} average"
    value = bench.iloc[0] if len(bench) else None
    chart, caption = charts.ranked_bar(
        gv, m.title, m.unit, value, label, m.polarity, name, m.places
    )
    return spec_of(chart), caption


@by_build(st.cache_resource, max_entries=128, ttl=READER_TTL)
def spine(
    home: str, group: str, custom: tuple[str, ...], period: str, board: str
) -> tuple[dict, str, pd.DataFrame] | None:
    """A board's spine chart (spec, caption, the rows behind it); None when no measure fits."""
    sc = scorecard(home, group, custom, period, board=board)
    with_data = sc[sc["value"].notna() & (sc["polarity"] != "none")]
    rows = with_data.merge(spread(tuple(with_data["measure_id"]), period), on="measure_id")
    if rows.empty:
        return None
    rows["count"] = [
        home_count(m, home, p) for m, p in zip(rows["measure_id"], rows["period"], strict=True)
    ]
    # the markers say the verdict against the chosen comparator, named in the chart's title
    col, label = {"england": ("vs_england", "England"), "region": ("vs_region", "the region")}.get(
        group, ("vs_group", label_in_sentence(group_labels().get(group, group)))
    )
    subtitle = charts.spine_subtitle(rows, warehouse().manifest)
    chart, caption = charts.spine_chart(rows, vocab().areas.get(home, home), col, label, subtitle)
    return spec_of(chart), caption, rows


# -- the methods page's texts ---------------------------------------------------------------------


def method_texts() -> dict[str, str]:
    """The rating rules in words, by rule (from the engine, so the page says what it does)."""
    return engine().methods_text()


def comparator_groups() -> list[Group]:
    """The comparator groups this build offers (id, label, description)."""
    return list(engine().groups())


@by_build(max_entries=2)
def key_examples() -> dict[str, str]:
    """Values for the methods page's link examples, from the place's own data (its home area,
    first ward, board, outcome, plan and action), so no code names a place's ids."""
    place = current_place()
    cat = catalogue()
    wards = areas_of(warehouse(), "wd23") if place.local_area else None
    actions = table("plan_actions")
    found = {
        "area": vocab().default_area,
        "board": next(iter(cat.boards), ""),
        "plan_board": next(iter(cat.boards), ""),
        "outcome": next(iter(cat.outcomes), ""),
        "plan": next(iter(place.plan_titles), ""),
        "plans": " or ".join(place.plan_titles),
        "boards": ", ".join(cat.boards),
        "ward": str(wards["code"].iloc[0]) if wards is not None and len(wards) else "",
        "action": str(actions["action_id"].iloc[0]) if actions is not None and len(actions) else "",
    }
    return {k: v for k, v in found.items() if v}
