"""Measure: definition and source, trend, ranked group, breakdown, England map, the seeds' figures."""

import pandas as pd
import streamlit as st

from lutonwb.place import current_place
from lutonwb.ui import engine as ue
from lutonwb.ui import progress as up
from lutonwb.ui import sections
from lutonwb.ui import widgets as w

state = w.setup("measure")
cat = ue.catalogue()
areas = ue.vocab().areas
home = areas.get(state.area, state.area)
group = ue.group_labels().get(state.cmp, state.cmp)
m = cat.measures[state.measure]

st.title(m.title)
w.choose(
    "Measure",
    sorted(cat.measures, key=lambda i: cat.measures[i].title.lower()),
    m.id,
    "w_measure",
    "m",
    format_func=lambda i: cat.measures[i].title,
)
w.show_share_link(state, "measure")
st.write(m.definition)
w.glossary_note([m.title, m.definition], state)  # its abbreviations and terms, said plainly
used_source, other_sources = ue.sources(m.id) if m.data else (m.source, [])
w.field_table(w.about_measure(m, cat, used_source, other_sources), "About this measure")
if m.status_note:
    st.info(m.status_note)

sc = ue.scorecard(state.area, state.cmp, state.custom, state.period)
row = sc[sc["measure_id"] == m.id]
if not row.empty and pd.notna(row.iloc[0]["value"]):
    w.latest_figures(row.iloc[0], m, home, group, state)
elif not w.measure_period_notice(sc, m, state, home):  # a chosen period without data: a notice
    st.write(
        "The strategy documents report no figure for this measure at this period."
        if m.reported_only
        else f"{home} has no value for this measure at this period."
    )

if not m.reported_only:
    st.header("Trend", anchor="trend")
    series = ue.measure_series(m.id, state.area, state.cmp, state.custom)
    trend = ue.trend_spec(m.id, state.area, state.cmp, state.custom)
    if trend is None:
        st.write("No time series for this measure.")
    else:
        w.chart(trend[0], trend[1], "trend", f"{m.id}-trend-{state.area}")
        w.csv_download(series.assign(decimals=m.places), "trend-data",
                       f"{m.id}-trend-{state.area}-{state.cmp}")  # fmt: skip

    def draw_ranked() -> None:
        gv = ue.measure_group_values(m.id, state.area, state.cmp, state.custom, state.period)
        ranked = ue.ranked_spec(m.id, state.area, state.cmp, state.custom, state.period)
        if ranked is None:
            st.write("No values for the group at this period.")
            return
        w.chart(*ranked, "ranked", f"{m.id}-ranked-{state.area}-{state.cmp}")
        bench = "England" if state.cmp == "england" else "group average"
        w.ranked_table(gv, m, "ranked-table", f"{m.id}-group-{state.area}-{state.cmp}", bench)

    sections.section(f"{group}: ranked", "ranked", f"Chart and table ranking {group}", "ranked",
                     state.ranked_open, draw_ranked)  # fmt: skip

    def draw_breakdown() -> None:
        bd = ue.measure_breakdown(m.id, state.area, state.period)
        split = bd[~bd["is_primary"].astype(bool)] if not bd.empty else bd
        if split.empty:
            st.write("The data for this measure has no breakdown by sex or deprivation.")
            return
        w.note(f"{home} by sex, age or category at the same period, with England beside it.")
        w.breakdown_table(bd, m, "breakdown", f"{m.id}-breakdown-{state.area}")

    sections.section("Breakdown", "breakdown", "Breakdown by sex, age or deprivation",
                     "breakdown", state.breakdown_open, draw_breakdown)  # fmt: skip

    def draw_map() -> None:
        allv = ue.measure_all_areas(m.id, state.period)
        if not ue.utla_features():
            st.write("Authority boundaries are not in this build, so the map is not shown.")
        elif allv["value"].notna().sum() == 0:
            st.write("No authority has a value at this period.")
        else:
            spec, caption = ue.england_map_spec(m.id, state.period, state.area)
            w.chart(spec, caption, "map", f"{m.id}-map")
            w.csv_download(allv.assign(decimals=m.places), "map-data", f"{m.id}-all-authorities")

    # the heaviest drawing on the page (153 outlines); ?map=1 opens it, like every section
    label = "Map of every upper-tier authority in England, coloured by the comparison with England"
    sections.section("England map", "map", label, "map", state.map_open, draw_map)

up.measure_section(state)


def draw_reported() -> None:
    reported = ue.table("reported")
    mine = reported[reported["measure_id"] == m.id] if reported is not None else None
    if mine is None or mine.empty:
        st.write("The strategy documents report no figures for this measure (or they are not in "
                 "this build).")  # fmt: skip
        return
    w.note("As printed in the strategy documents; questionable figures are flagged and not used "
           "for ratings.")  # fmt: skip
    figures = w.reported_frame(mine, current_place().seeds)
    w.table(w.reported_shown(figures), "reported", f"{m.id}-reported", csv=figures, static=True)


sections.section("Figures reported in the strategy documents", "reported",
                 "Figures as printed in the strategy documents", "reported", state.reported_open,
                 draw_reported, always=m.reported_only)  # fmt: skip


def draw_actions() -> None:
    w.plan_actions(
        ue.plan_actions(measure=m.id),
        "of the refreshed 2024-25 plan and the five-year plan aimed at moving this measure, "
        "as the plan data links them.",
        "No action in the year plan is linked to this measure.",
        "measure-actions",
        f"{m.id}-plan-actions",
    )


sections.section("Plan actions aiming to move this measure", "actions",
                 "Actions of the plan linked to this measure", "actions", state.actions_open,
                 draw_actions)  # fmt: skip
