"""The progress page's Streamlit side ("Is the place becoming fairer?"), and the short progress
sections the overview and measure pages draw: cached calls of lutonwb.progress and lutonwb.funnel,
the page's own URL keys (lutonwb.ui.state.PROGRESS_PARAMS), tables with their CSVs and charts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from lutonwb import funnel as funnel_lib
from lutonwb import gaps
from lutonwb.catalogue.model import places
from lutonwb.place import current_place
from lutonwb.progress import methods_sections, rollup, status_counts
from lutonwb.progress.inside import InsideGap, inside_gaps
from lutonwb.progress.snapshot import measure_saved_or_live, saved_or_live
from lutonwb.progress.status import STATUSES
from lutonwb.progress.targets import PlaceTargets, load_targets
from lutonwb.stats import plain_trend_description
from lutonwb.text import sentence
from lutonwb.ui import engine as ue
from lutonwb.ui import urls
from lutonwb.ui import widgets as w
from lutonwb.ui.charts import spec_of
from lutonwb.ui.data import READER_TTL, by_build, warehouse
from lutonwb.ui.nav import link_target
from lutonwb.ui.state import PAGE_FILES, PROGRESS_PARAMS, ROLLUPS, TRACKS, State, parse_url

PAGE = "progress"
ROLLUP_WORDS = {"outcome": "2040 target outcome", "board": "Board", "principle": "Marmot principle"}


# -- cached results ------------------------------------------------------------------------------


@by_build(st.cache_resource, max_entries=2)  # shared, read-only; its file is in the build id
def targets() -> PlaceTargets:
    """The place's targets, parsed once per build id, not on every rerun (~2 ms of YAML)."""
    return load_targets()


@by_build(max_entries=32, ttl=READER_TTL, show_spinner="Working out progress for every measure…")
def table(home: str, group: str, custom: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every measure's progress row for one home area and comparator group: the build's saved
    table when it has one (the place's home area, a fixed group or a custom group of a fixed
    group's members), else worked out now."""
    return saved_or_live(ue.engine(), warehouse(), home, group, custom, targets())


@by_build(max_entries=256, ttl=READER_TTL)
def measure_row(mid: str, home: str, group: str, custom: tuple[str, ...] = ()) -> pd.DataFrame:
    """One measure's progress row (the measure page's)."""
    return measure_saved_or_live(ue.engine(), warehouse(), mid, home, group, custom, targets())


@by_build(max_entries=64, ttl=READER_TTL)
def overview_counts(
    home: str, group: str, custom: tuple[str, ...] = ()
) -> tuple[dict[str, int], int]:
    """The overview's count of measures in each progress status, and of all measures (not the
    whole table on every rerun)."""
    t = table(home, group, custom)
    return status_counts(t), len(t)


@by_build(st.cache_resource, max_entries=256, ttl=READER_TTL)  # shared, read-only
def measure_shown(mid: str, home: str, group: str, custom: tuple[str, ...] = ()) -> ProgressView:
    """The measure page's progress row as readers see it (built once per view, not per rerun)."""
    return progress_view(measure_row(mid, home, group, custom))


@by_build(st.cache_resource, max_entries=256, ttl=READER_TTL)  # shared, read-only
def designation_spec(
    mid: str, home: str, group: str, custom: tuple[str, ...] = (), whole: bool = False
) -> tuple[dict, str] | None:
    """A measure's before-and-after chart as a finished Vega-Lite spec and its caption (building
    the Altair chart cost ~5 ms a rerun); None without a before and an after. From the measure
    page's row, or (`whole`) from the progress page's table."""
    from lutonwb.ui.progress_charts import designation_chart

    rows = table(home, group, custom) if whole else measure_row(mid, home, group, custom)
    rows = rows[rows["measure_id"] == mid]
    if rows.empty or pd.isna(rows.iloc[0]["difference_in_differences"]):
        return None
    home_name, group_name = ue.vocab().areas.get(home, home), ue.group_labels().get(group, group)
    chart, caption = designation_chart(rows.iloc[0], home_name, group_name)
    return spec_of(chart), caption


@by_build(max_entries=2)
def inside() -> list[InsideGap]:
    """The gaps inside the place (the place's own data: no reader input)."""
    return inside_gaps(warehouse(), current_place())


@by_build(max_entries=2)
def funnel_measures() -> list[str]:
    """Measures with counts and denominators for the authorities."""
    return funnel_lib.funnel_measures(ue.engine())


@by_build(max_entries=16, ttl=READER_TTL)
def measure_funnel(mid: str) -> funnel_lib.Funnel | None:
    return funnel_lib.measure_funnel(ue.engine(), mid)


@by_build(max_entries=2)
def lsoa_funnel() -> funnel_lib.Funnel | None:
    return funnel_lib.lsoa_funnel(warehouse(), current_place())


# -- state -----------------------------------------------------------------------------------------


def setup() -> tuple[State, dict[str, Any]]:
    """The shared choices (area, comparator, period: widgets.setup) and the page's own keys, all
    written back to the URL through the one writer."""
    own, notices = parse_url(PROGRESS_PARAMS, urls.current(), ue.vocab())
    state = w.setup(PAGE)
    mine = {p.key: p.to_url(own[p.attr]) for p in PROGRESS_PARAMS}
    urls.write(PAGE, {**state.params_for(PAGE), **{k: v for k, v in mine.items() if v}})
    for notice in notices:
        st.warning(notice, icon="⚠️")
    return state, own


def title() -> str:
    """The page title, from the place's name."""
    return f"Is {current_place().name} becoming fairer?"


def names(state: State) -> tuple[str, str]:
    """The home area's and the comparator group's names."""
    return ue.vocab().areas.get(state.area, state.area), ue.group_labels().get(state.cmp, state.cmp)


# -- tables ----------------------------------------------------------------------------------------


Digits = int | Mapping[str, int]  # places for every figure, or by header (others: 2)


def _digits(digits: Digits, column: object) -> int:
    return digits if isinstance(digits, int) else digits.get(str(column), 2)


def shown(df: pd.DataFrame, columns: Mapping[str, str], digits: Digits = 2) -> pd.DataFrame:
    """A table for readers and its CSV: plain headers, numbers rounded (to `digits`, or to the
    places given for a header), periods in words, no ids."""
    out = df[list(columns)].rename(columns=dict(columns))
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].round(_digits(digits, c))
        elif str(c).startswith(("Latest", "Before")):
            out[c] = out[c].map(lambda p: "" if pd.isna(p) else w.period_words(p))
    return out.reset_index(drop=True)


def draw_shown(
    table_shown: pd.DataFrame,
    key: str,
    digits: Digits = 2,
    first: Sequence[str] = (),
    verdicts: Sequence[str] = (),
) -> None:
    """A shown table (see `shown`) as an HTML table whose text wraps (it fits 1,280 px and a
    phone, and screen readers read it), its `first` columns leading (what a phone keeps: name,
    value and verdict) and its `verdicts` coloured (the word always shown), with its CSV beside
    it (the same rounded, plainly headed figures in their own order): each figure to `digits`
    places (or its header's) in every row ('1.30' beside '0.65', never '1.3'), blank when
    missing, never a negative zero. Every caller's table is a cached view's: its markdown is
    kept with it (widgets.kept)."""
    how = ("shown", repr(digits), tuple(first), tuple(verdicts))
    text = w.kept(table_shown, how, lambda: shown_text(table_shown, digits, first, verdicts))
    w.table(table_shown, key, f"{key}-{current_place().name}", static=True, text=text)


def shown_text(
    table_shown: pd.DataFrame, digits: Digits, first: Sequence[str], verdicts: Sequence[str]
) -> str:
    """draw_shown's markdown table: figures to their places, the `first` columns leading."""
    display = table_shown.copy()
    for c in display.columns:
        if pd.api.types.is_float_dtype(display[c]):
            d = _digits(digits, c)
            display[c] = display[c].map(lambda v, d=d: w.num(v, d))
    lead = [c for c in first if c in display.columns]
    display = display[[*lead, *(c for c in display.columns if c not in lead)]]
    return w.static_text(display, verdicts)


def with_gap_words(t: pd.DataFrame) -> pd.DataFrame:
    """The progress rows with each latest gap to England in words ('12.3% worse than England';
    higher / lower with no polarity), by the one convention of lutonwb.gaps."""
    pct = t["gap_latest_pct"] if "gap_latest_pct" in t else pd.Series(float("nan"), index=t.index)
    return t.assign(
        gap_words=[gaps.gap_words(g, p) for g, p in zip(pct, t["polarity"], strict=True)]
    )


ProgressView = tuple[pd.DataFrame, pd.DataFrame]  # what the table shows, and its CSV


def measure_places(ids: Iterable[object]) -> list[int]:
    """Each measure's decimal places (its catalogue `decimals`, lutonwb.catalogue.places); one
    place for an id the catalogue does not know."""
    measures = ue.catalogue().measures
    return [measures[m].places if m in measures else places("") for m in ids]


MEASURE_FIGURES = ("Value", "England", "Target")  # the measure's own figures, to its places


def progress_view(t: pd.DataFrame) -> ProgressView:
    """Progress rows as readers see them (measure, status, value and gap first: what a phone
    keeps) and their CSV (every figure as a number, the gap's sign said in its header): the
    value, England and the target to the measure's places, changes a year to their own."""
    rows = with_gap_words(t)
    dps = measure_places(rows["measure_id"])
    csv = shown(rows, PROGRESS_CSV)
    for c in MEASURE_FIGURES:
        csv[c] = [
            round(float(v), d) if pd.notna(v) else None for v, d in zip(csv[c], dps, strict=True)
        ]
    display = csv[list(PROGRESS_SHOWN.values())].copy()
    display["Measure"] = [
        w.measure_label(a, u) for a, u in zip(rows["title"], rows["unit"], strict=True)
    ]
    for c in MEASURE_FIGURES:
        display[c] = [w.num(v, d) for v, d in zip(display[c], dps, strict=True)]
    display["Target year"] = display["Target year"].map(lambda y: "" if pd.isna(y) else str(y))
    display["Progress"] = display["Progress"].map(
        lambda s: "" if pd.isna(s) else str(s).capitalize()
    )
    return display, csv


def draw_progress(view: ProgressView, key: str) -> None:
    """A progress view as an HTML table whose text wraps (it fits 1,280 px and a phone), with
    its CSV beside it. Every caller's view is cached: its markdown is kept with it."""
    display, csv = view
    text = w.kept(display, "progress", lambda: w.static_text(display))
    w.table(display, key, f"{key}-{current_place().name}", csv=csv, static=True, text=text)


PROGRESS_SHOWN = {  # measure, status and the key figures first: what a phone keeps
    "title": "Measure", "progress": "Progress", "latest_value": "Value",
    "gap_words": gaps.GAP_WORDS_HEADER, "latest_period": "Latest period",
    "latest_england": "England", "gap_trend": "Gap to England over time", "target_value": "Target",
    "target_year": "Target year", "progress_reason": "Why",
}  # fmt: skip
PROGRESS_CSV = {  # the readers' CSV: every figure as a number, signs said in the headers
    **PROGRESS_SHOWN, "gap_latest": gaps.GAP_HEADER, "gap_latest_pct": gaps.GAP_PCT_HEADER,
    "required_annual_change": "Required change a year", "observed_annual_change": "Change a year",
}  # fmt: skip
# on screen: the measure, the difference, the verdict and the home area's change first (what a
# phone keeps)
DESIGNATION_FIRST = ("Measure", "Difference", "Against the group", "Change (home area)")
DESIGNATION_SHOWN = {
    "title": "Measure", "designation_before_period": "Before", "latest_period": "Latest",
    "change_since_designation": "Change (home area)",
    "group_change_since_designation": "Change (group average)",
    "difference_in_differences": "Difference", "difference_lower": "Difference, lower 95% limit",
    "difference_upper": "Difference, upper 95% limit",
    "designation_verdict": "Against the group", "designation_verdict_method": "How judged",
}  # fmt: skip


# -- the page's sections ---------------------------------------------------------------------------


def key_title(by: str, key: object) -> str:
    """A roll-up key (outcome id, board id, principle number) as readers know it."""
    cat = ue.catalogue()
    if by == "outcome":
        return cat.outcomes[key].title if key in cat.outcomes else str(key)
    if by == "board":
        return cat.boards[key].title if key in cat.boards else str(key)
    p = cat.principles.get(int(key))  # type: ignore[call-overload]
    return f"{key}. {p.title}" if p else str(key)


@by_build(st.cache_resource, max_entries=64, ttl=READER_TTL)  # shared, read-only
def rollup_view(
    home: str, group: str, custom: tuple[str, ...], by: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roll-up's rows (titled) and its shown table, made once per view (~25 ms a rerun)."""
    r = rollup(table(home, group, custom), by)
    if r.empty:
        return r, r
    r.insert(0, "title", [key_title(by, k) for k in r["key"]])
    cols = {"title": ROLLUP_WORDS[by], "measures": "Measures"}
    return r, shown(r, {**cols, **{s: s.capitalize() for s in STATUSES}})


def rollup_section(state: State, t: pd.DataFrame, by: str) -> None:
    """Counts per status for each key of the chosen roll-up; each key opens its measures."""
    w.choose(
        "Count the measures by", list(ROLLUPS), by, "w_progress_by", "by",
        format_func=lambda b: ROLLUP_WORDS[b],
    )  # fmt: skip
    r, r_shown = rollup_view(state.area, state.cmp, state.custom, by)
    if r.empty:
        st.info(f"{current_place().name} defines no {ROLLUP_WORDS[by].lower()}s: choose another.")
        return
    w.fit_table(r_shown, f"progress-by-{by}", f"progress-by-{by}-{current_place().name}")
    titles = dict(zip(t["measure_id"], t["title"], strict=True))
    for _, row in r.iterrows():
        counts = ", ".join(f"{row[s]} {s}" for s in STATUSES if row[s])
        with st.expander(f"{str(row['title']).rstrip('.')}: {counts}"):
            w.bullets(
                [
                    f"{s.capitalize()}: " + "; ".join(titles[m] for m in row[f"{s} measures"])
                    for s in STATUSES
                    if row[s]
                ]
            )
    w.open_measure(state, list(titles.items()), "progress-open")


def status_section(state: State, t: pd.DataFrame, track: str) -> None:
    """The measures with one progress status (the overview's counts link here), or every
    measure's status when none is chosen."""
    options = ["", *TRACKS]
    w.choose("Show the measures whose progress is", options, track, "w_progress_track", "track",
             format_func=lambda s: TRACKS[s].capitalize() if s else "Any status")  # fmt: skip
    view = status_rows(state.area, state.cmp, state.custom, track)
    st.write(f"{measures_word(len(view[0]))} of {len(t)}.")
    if len(view[0]):
        # its own key: the list of the measures moving away below has "progress-moving-away"
        draw_progress(view, f"progress-status-{track or 'any'}")


@by_build(st.cache_resource, max_entries=128, ttl=READER_TTL)  # shared, read-only
def status_rows(home: str, group: str, custom: tuple[str, ...], track: str) -> ProgressView:
    """The progress view of the measures with one progress status ('' = every measure), made
    once per view rather than every rerun."""
    t = table(home, group, custom)
    return progress_view(t[t["progress"] == TRACKS[track]] if track else t)


def moving_away_section(state: State, t: pd.DataFrame) -> None:
    """The measures whose trend moves significantly away from their target."""
    away = status_rows(state.area, state.cmp, state.custom, "moving-away")
    if away[0].empty:
        st.write("No measure is moving significantly away from its target.")
        return
    st.write(
        f"{len(away[0])} of {len(t)} measures are moving significantly away from their target."
    )
    draw_progress(away, "progress-moving-away")


def designation_section(state: State, t: pd.DataFrame, picked: str) -> None:
    """Every measure's change before and after the designation, and the chosen measure's chart."""
    home, group = names(state)
    d = t[t["difference_in_differences"].notna()]
    if d.empty:
        st.write("No measure has figures both before and after the designation.")
        return
    w.note(
        f"The change from the last period before {int(d['designation_year'].iloc[0])} to the "
        f"latest, for {home} and the average of {w.label_in_sentence(group)}. Descriptive, not causal."
    )
    ids = list(d["measure_id"])
    mid = picked if picked in ids else ids[0]
    if picked and picked != mid:
        st.info(
            "That measure has no figures both before and after the designation; showing another."
        )
    titles = dict(zip(d["measure_id"], d["title"], strict=True))
    w.choose("Chart for the measure", ids, mid, "w_progress_dm", "dm", format_func=titles.get)
    spec, caption = designation_spec(mid, state.area, state.cmp, state.custom, whole=True)
    w.chart(spec, caption, "progress-designation", f"designation-{mid}")
    draw_shown(designation_rows(state.area, state.cmp, state.custom), "progress-designation-table",
               first=DESIGNATION_FIRST, verdicts=["Against the group"])  # fmt: skip


@by_build(st.cache_resource, max_entries=32, ttl=READER_TTL)  # shared, read-only
def designation_rows(home: str, group: str, custom: tuple[str, ...]) -> pd.DataFrame:
    """The shown before-and-after table (made once per view rather than every rerun)."""
    t = table(home, group, custom)
    return shown(t[t["difference_in_differences"].notna()], DESIGNATION_SHOWN)


INSIDE_SHOWN = {
    "year": "Year", "definition": "Definition", "period": "Financial year",
    "most_deprived_fifth": "Most deprived fifth (%)", "least_deprived_fifth": "Least deprived fifth (%)",
    "gap": "Gap, most against least deprived fifth (percentage points; positive = worse)",
    "gap_lower": "Gap, lower 95% limit", "gap_upper": "Gap, upper 95% limit",
    "sii": "Modelled gap, most against least deprived (percentage points; positive = worse)",
    "areas": "Areas", "ward": "Ward", "rank_2019": "Rank in the place, IMD 2019 (1 = most deprived)",
    "rank_2025": "Rank in the place, IoD 2025 (1 = most deprived)",
    "moved": "Places moved (positive = more deprived)",
}  # fmt: skip


# on screen: the year or ward, the gap (or the places a ward moved) and the two fifths first
# (what a phone keeps)
INSIDE_FIRST = (
    "Year", "Ward", INSIDE_SHOWN["gap"], "Places moved (positive = more deprived)",
    INSIDE_SHOWN["most_deprived_fifth"], INSIDE_SHOWN["least_deprived_fifth"],
)  # fmt: skip


def verdict_text(g: InsideGap) -> str:
    """Each part's verdict with its method in plain words, in one line each (the exact method
    is in the methods page's section on gaps inside the place)."""
    return "\n".join(
        f"- {part if len(g.verdicts) > 1 else 'Verdict'}: **{v.word}** "
        f"({w.md_escape(plain_trend_description(v.method))})"
        for part, v in g.verdicts.items()
    )


@by_build(st.cache_resource, max_entries=2)  # shared, read-only: the place's own data
def inside_views() -> list[tuple[InsideGap, dict, str, pd.DataFrame]]:
    """Each gap inside the place with its finished chart spec, caption and shown table (building
    three Altair charts and tables cost ~30 ms a rerun); no spec for an empty gap."""
    from lutonwb.ui.progress_charts import gap_chart, moves_chart

    out = []
    for g in inside():
        if g.table.empty:
            out.append((g, {}, "", pd.DataFrame()))
            continue
        chart, caption = (moves_chart if "ward" in g.table.columns else gap_chart)(g)
        table_shown = shown(g.table, {c: h for c, h in INSIDE_SHOWN.items() if c in g.table})
        out.append((g, spec_of(chart), caption, table_shown))
    return out


def inside_section() -> None:
    """The gaps inside the place over time, each with its verdict, method, chart and table."""
    for i, (g, spec, caption, table_shown) in enumerate(inside_views()):
        st.subheader(g.title, anchor=f"inside-{i}")
        if g.table.empty:
            st.info(g.notice)
            continue
        st.markdown(verdict_text(g))
        w.chart(spec, caption, f"progress-inside-{i}", f"inside-{i}")
        draw_shown(table_shown, f"inside-{i}", first=INSIDE_FIRST)
        with st.expander("Method"):
            w.note(g.method)


FUNNEL_SHOWN = {
    "area_name": "Area", "count": "Count", "denominator": "Denominator", "value": "Value",
    "lower_95": "Lower 95% limit", "upper_95": "Upper 95% limit", "lower_998": "Lower 99.8% limit",
    "upper_998": "Upper 99.8% limit", "position": "Position",
    "position_adjusted": "Position (limits adjusted for overdispersion)",
}  # fmt: skip


FunnelView = tuple[dict, str, str, str, pd.DataFrame, Digits]  # spec, caption, key, period,
# table and its places
# on screen: the area, its value and where it sits against both limits first (what a phone keeps)
FUNNEL_FIRST = ("Area", "Value", "Position", "Position (limits adjusted for overdispersion)")
FUNNEL_FIGURES = ("Value", "Lower 95% limit", "Upper 95% limit", "Lower 99.8% limit",
                  "Upper 99.8% limit")  # the measure's own figures, to its places  # fmt: skip


def funnel_view(
    f: funnel_lib.Funnel, roles: Mapping[str, str], what: tuple[str, str, str], decimals: int = 1
) -> FunnelView:
    """One funnel's finished chart spec, caption, key, period and shown table (home area and
    group first), the values and limits to the measure's `decimals`, counts whole."""
    from lutonwb.ui.progress_charts import funnel_chart

    title, unit, target_name = what
    chart, caption = funnel_chart(f, roles, title, unit, target_name, decimals)
    order = f.points["area_code"].map(roles).map({"home": 0, "group": 1}).fillna(2)
    pts = f.points.assign(_o=order.to_numpy()).sort_values(["_o", "area_name"])
    key = w.safe_name(f"funnel-{title}")
    digits = {"Count": 0, "Denominator": 0, **dict.fromkeys(FUNNEL_FIGURES, decimals)}
    return spec_of(chart), caption, key, f.period, shown(pts, FUNNEL_SHOWN, digits), digits


def draw_funnel(view: FunnelView, method: str) -> None:
    """One funnel: chart, method, and its table."""
    spec, caption, key, period, table_shown, digits = view
    w.chart(spec, caption, key, f"{key}-{period}")
    w.note(method)
    draw_shown(table_shown, f"{key}-table", digits, first=FUNNEL_FIRST)


@by_build(st.cache_resource, max_entries=64, ttl=READER_TTL)  # shared, read-only
def measure_funnel_view(
    mid: str, home: str, group: str, custom: tuple[str, ...] = ()
) -> tuple[FunnelView, str] | None:
    """A measure's funnel of every authority, the home area and group drawn on top, ready to
    draw (its Altair chart and table cost ~40 ms a rerun), and its method; None without one."""
    f = measure_funnel(mid)
    if f is None:
        return None
    members = ue.engine().group_members(group, home, custom)
    roles = {**dict.fromkeys(members, "group"), home: "home"}
    m = ue.catalogue().measures[mid]
    return funnel_view(f, roles, (m.title, m.unit, "England's value"), m.places), f.method


@by_build(st.cache_resource, max_entries=2)  # shared, read-only: the place's own data
def lsoa_funnel_view() -> tuple[FunnelView, str] | None:
    """The place's neighbourhoods against its own rate, ready to draw, and its method."""
    lf = lsoa_funnel()
    if lf is None:
        return None
    name = current_place().name
    what = (f"Fuel poverty in {name}'s neighbourhoods", "%", f"{name}'s own rate")
    return funnel_view(lf, {}, what), lf.method


def funnel_section(state: State, picked: str) -> None:
    """Authorities against England for a measure with counts, and the place's LSOAs against its
    own rate for fuel poverty."""
    cat = ue.catalogue()
    ids = funnel_measures()
    if ids:
        mid = picked if picked in ids else ids[0]
        if picked and picked != mid:
            st.info("That measure has no counts and denominators for a funnel; showing another.")
        w.choose("Funnel plot for", ids, mid, "w_progress_fm", "fm",
                 format_func=lambda m: cat.measures[m].title)  # fmt: skip
        view = measure_funnel_view(mid, state.area, state.cmp, state.custom)
        if view is not None:
            draw_funnel(*view)
    else:
        st.write("No measure has counts and denominators for every authority.")
    st.subheader("Neighbourhoods against the place's own rate", anchor="funnel-lsoa")
    lsoa = lsoa_funnel_view()
    if lsoa is None:
        st.info(f"{current_place().name} has no neighbourhood data in its place folder.")
        return
    draw_funnel(*lsoa)


METHODS_ANCHOR = "progress"  # the methods page's section on progress (its header anchor)


def methods_link(state: State) -> None:
    """Where every rule of this page is explained: the methods page's progress section."""
    url = w.share_link(state, "methods").replace(")", "%29") + f"#{METHODS_ANCHOR}"
    st.markdown(
        "Every rule behind these verdicts, with its published source, is on the Data and methods "
        f"page: [How progress is judged]({url})."
    )


def methods_page_section() -> None:
    """The methods page's "How progress is judged": every rule of the progress page, one
    subsection each (the one text: lutonwb/progress/methods.md)."""
    st.header("How progress is judged", anchor=METHODS_ANCHOR)
    for s in methods_sections(ue.catalogue(), targets()):
        st.subheader(s.title, anchor=f"{METHODS_ANCHOR}-{s.key}")
        st.markdown(s.text)  # our own methods file: bold words and bullet lists


# -- the overview's and the measure page's short sections -------------------------------------------


def measures_word(n: int) -> str:
    return f"{n} measure" if n == 1 else f"{n} measures"


def overview_section(state: State) -> None:
    """The overview's short "Becoming fairer?" section: how many measures are in each progress
    status for the home area and comparator, each count a link to the progress page listing
    those measures (the build's saved table: no heavy work on the overview)."""
    st.header("Becoming fairer?", anchor="becoming-fairer")
    home, group = names(state)
    counts, measures = overview_counts(state.area, state.cmp, state.custom)
    assessed = measures - counts["not assessable"]
    w.note(
        f"Is the gap between {home} and England closing, fast enough to reach the "
        f"{targets().default_target_year} targets? Of {measures_word(measures)}, "
        f"{assessed} can be assessed, with {w.label_in_sentence(group)} as the comparator group. Each count opens "
        "the measures behind it."
    )
    shared = state.params_for(PAGE)
    slugs, per_row = list(TRACKS), 3
    rows = [slugs[i : i + per_row] for i in range(0, len(slugs), per_row)]
    for row in rows:  # a row of columns each, so links read in status order (none left out)
        for col, slug in zip(st.columns(per_row), row, strict=False):
            col.page_link(
                link_target(PAGE_FILES[PAGE]),
                label=f"{TRACKS[slug].capitalize()}: {measures_word(counts[TRACKS[slug]])}",
                query_params=urls.link(PAGE, shared, track=slug),
            )
    w.page_link(state, PAGE, f"Open: {title()}")


MEASURE_FIELDS = {  # the status row is not called "Progress toward the target": that is the heading
    "progress": "Status", "progress_reason": "Why",
    "gap_words": gaps.GAP_WORDS_HEADER, "gap_latest": gaps.GAP_HEADER,
    "gap_trend": "Gap to England over time",
    "gap_trend_method": "How the gap's trend is judged", "target_value": "Target", "target_year": "Target year",
    "target_source": "Where the target comes from", "required_annual_change": "Required change a year",
    "observed_annual_change": "Observed change a year",
}  # fmt: skip
MEASURE_HEADING = "Progress toward the target"


ANNUAL_CHANGES = ("required_annual_change", "observed_annual_change")
DIFFERENCE_UNITS = {  # a measure's unit -> the unit of a difference of two of its figures
    "%": "percentage points", "count": "", "ratio": "", "score": "points",
    "score (0-10)": "points on the 0 to 10 scale",
}  # fmt: skip


def difference_text(value: float, unit: str, dp: int, per_year: bool = False) -> str:
    """A gap or a change in its unit: '1.1 years', '2.3 percentage points', '-£120',
    '0.08 years a year' (`per_year`); a count or a ratio has no unit word."""
    text = w.num(value, dp)
    if unit == "£":
        text = f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    words = "" if unit == "£" else DIFFERENCE_UNITS.get(unit, unit)
    text = f"{text} {words}" if words else text
    return f"{text} a year" if per_year else text


def field_text(column: str, value: object, dp: int | None = None, unit: str = "") -> str:
    """One progress field as the measure page shows it, each figure with its unit: a change a
    year to two places, as in the table's CSV (0.08, never 0.1 here and 0.08 there), the target
    to the measure's places `dp` in the measure's unit, the gap to them in the unit of a
    difference (percentage points for a %), the gap's trend method in plain words (the exact
    method is on the methods page), the status capitalised, other words as they are."""
    if column == "gap_trend_method":
        return sentence(plain_trend_description(value))
    if column == "progress":
        return str(value).capitalize()
    if not isinstance(value, float):
        return str(value)
    if column == "target_value":
        return w.with_unit(value, unit, "", 1 if dp is None else dp)
    if column in ANNUAL_CHANGES:
        return difference_text(value, unit, 2, per_year=True)
    return difference_text(value, unit, 1 if dp is None else dp)


def measure_section(state: State) -> None:
    """The measure page's progress: one list of facts, each figure with its unit (the table's
    CSV of the same row beside it, not the same facts drawn again as a wide table), and its
    before-and-after-designation chart."""
    st.header("Progress", anchor="progress")
    rows = measure_row(state.measure, state.area, state.cmp, state.custom)
    if rows.empty:
        st.write("This measure has no progress row for this area.")
        return
    rows = with_gap_words(rows)
    row = rows.iloc[0]
    dp = measure_places([state.measure])[0]
    unit = "" if pd.isna(row["unit"]) else str(row["unit"])
    link = w.methods_link(state, w.GAP_TREND_RULE, "how the gap's trend is tested")
    w.field_table({h: field_text(c, row[c], dp, unit) for c, h in MEASURE_FIELDS.items()
                   if pd.notna(row[c]) and row[c] != ""}, MEASURE_HEADING,
                  {MEASURE_FIELDS["gap_trend_method"]: link})  # fmt: skip
    key = f"progress-row-{state.measure}"
    _display, csv = measure_shown(state.measure, state.area, state.cmp, state.custom)
    w.csv_download(csv, key, f"{key}-{current_place().name}")
    spec = designation_spec(state.measure, state.area, state.cmp, state.custom)
    if spec is not None:
        w.chart(*spec, "measure-designation", f"designation-{state.measure}")
    w.page_link(state, PAGE, f"Open: {title()}")
