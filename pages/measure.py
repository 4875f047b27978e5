"""Measure: definition and source, trend, ranked group, breakdown, England map, the seeds' figures."""

import pandas as pd
import streamlit as st

from lutonwb.place import current_place
from lutonwb.ui import engine as ue
from lutonwb.ui import progress as up
from lutonwb.ui import widgets as w

state = w.setup("measure", lambda s: ue.default_group(measure=s.measure))
cat = ue.catalogue()
areas = ue.vocab().areas
home = areas.get(state.area, state.area)
group = ue.group_labels().get(state.cmp, state.cmp)
m = cat.measures[state.measure]

st.title(m.title)
w.comparator_note(state, "this measure (the catalogue's comparator for it)")
w.choose(
    "Measure",
    sorted(cat.measures, key=lambda i: cat.measures[i].title.lower()),
    m.id,
    "w_measure",
    "m",
    format_func=lambda i: cat.measures[i].title,
)
st.write(m.definition)
polarity = {
    "higher-better": "Higher is better",
    "lower-better": "Lower is better",
    "none": "No judgement (not coloured)",
}
used_source, other_sources = ue.sources(m.id) if m.data else (m.source, [])
about = {
    "Measure id": m.id,
    "Unit": m.unit,
    "Polarity": polarity.get(m.polarity, m.polarity),
    "Source": used_source,
    **({"Other sources we hold for it": "; ".join(other_sources)} if other_sources else {}),
    "Licence": m.licence,
    "Marmot principles": ", ".join(
        f"{n}. {cat.principles[n].short_title}" for n in m.principles if n in cat.principles
    )
    or "none",
    "Boards": ", ".join(cat.boards[b].title for b in m.boards if b in cat.boards) or "none",
    "Headline measure": "Yes" if m.headline else "No",
}
w.field_table(about)  # one markdown table: a real <table>, far lighter to draw than st.table
if m.status_note:
    st.info(m.status_note)

sc = ue.scorecard(state.area, state.cmp, state.custom, state.period)
row = sc[sc["measure_id"] == m.id]
if m.reported_only or row.empty or pd.isna(row.iloc[0]["value"]):
    st.write(
        "No open data for this measure at this period: only the figures reported in the strategy documents "
        "are shown below."
        if m.reported_only
        else f"{home} has no value for this measure at this period."
    )
else:
    r = row.iloc[0]
    st.header(f"{home}, {r['period']}", anchor="latest")
    c = st.columns(5)
    c[0].metric(home, f"{w.num(r['value'])} {m.unit}")
    c[1].metric("England", w.num(r["england"]) or "n/a")
    c[2].metric("Region", w.num(r["region"]) or "n/a")
    c[3].metric(f"{group} average", w.num(r["group_average"]) or "n/a")
    c[4].metric(
        "Rank (1 = highest)" if m.polarity == "none" else "Rank (1 = best)",
        f"{int(r['rank'])} of {int(r['group_size'])}" if pd.notna(r["rank"]) else "n/a",
    )
    if pd.notna(r["lower_ci"]):
        w.note(
            f"95% confidence interval {w.num(r['lower_ci'])} to {w.num(r['upper_ci'])} {m.unit}."
        )
    notes = w.row_notes(r)
    if notes:
        w.bullets(notes)
    st.markdown(  # the three ratings and the trend in one element (each word beside its colour)
        " ".join(
            [
                w.badge_md(r["vs_england"] or "Not compared", "vs England: "),
                w.badge_md(r["vs_region"] or "Not compared", "vs region: "),
                w.badge_md(r["vs_group"] or "Not compared", "vs group: "),
                w.md_escape(f"Trend: {r['trend']}"),
            ]
        )
    )
    trend_method = r["trend_method"] if isinstance(r["trend_method"], str) else ""
    if r["trend"] == "Not applicable":
        trend_text = (
            f"No trend is judged for this measure: {trend_method or 'the catalogue says so'}."
        )
    else:
        trend_text = f"Trend method: {trend_method or 'none'}."
    w.note(f"{w.comparison_sentence(r['vs_england_method'])} {trend_text}")

if not m.reported_only:
    st.header("Trend", anchor="trend")
    series = ue.measure_series(m.id, state.area, state.cmp, state.custom)
    trend = ue.trend_spec(m.id, state.area, state.cmp, state.custom)
    if trend is None:
        st.write("No time series for this measure.")
    else:
        w.chart(trend[0], trend[1], "trend", f"{m.id}-trend-{state.area}")
        w.csv_download(series, "trend-data", f"{m.id}-trend-{state.area}-{state.cmp}")

    st.header(f"{group}: ranked", anchor="ranked")
    gv = ue.measure_group_values(m.id, state.area, state.cmp, state.custom, state.period)
    ranked_chart = ue.ranked_spec(m.id, state.area, state.cmp, state.custom, state.period)
    if ranked_chart is None:
        st.write("No values for the group at this period.")
    else:
        w.chart(*ranked_chart, "ranked", f"{m.id}-ranked-{state.area}-{state.cmp}")
        ranked = gv[
            [
                "area_name",
                "area_code",
                "period",
                "value",
                "lower_ci",
                "upper_ci",
                "rank",
                "vs_home_benchmark",
            ]
        ].rename(columns={"vs_home_benchmark": "vs benchmark"})
        shown = w.blank_missing(ranked, ["value", "lower_ci", "upper_ci"])
        shown["rank"] = ranked["rank"].map(lambda v: "–" if pd.isna(v) else str(int(v)))
        w.table(
            shown,
            "ranked-table",
            f"{m.id}-group-{state.area}-{state.cmp}",
            rating_columns=["vs benchmark"],
            csv=ranked,
        )

    st.header("Breakdown", anchor="breakdown")
    bd = ue.measure_breakdown(m.id, state.area, state.period)
    split = bd[~bd["is_primary"].astype(bool)] if not bd.empty else bd
    if split.empty:
        st.write("The data for this measure has no breakdown by sex or deprivation.")
    else:
        w.note(f"{home} by sex, age or category at the same period, with England beside it.")
        nums = [c for c in ("value", "lower_ci", "upper_ci", "england") if c in bd.columns]
        w.table(
            w.blank_missing(bd, nums),
            "breakdown",
            f"{m.id}-breakdown-{state.area}",
            rating_columns=["vs_england"],
            csv=bd,
        )

    st.header("England map", anchor="map")
    features = ue.utla_features()
    if not features:
        st.write("Authority boundaries are not in this build, so the map is not shown.")
    else:
        # Secondary to this page, and the heaviest drawing on it (153 outlines): drawn only while
        # the reader has it open, and the open state is in the link (?map=1) like every choice.
        st.session_state["w_map"] = state.map_open
        box = st.expander(
            "Map of every upper-tier authority in England, coloured by the comparison with England",
            key="w_map",
            on_change=w.commit_flag,
            args=("w_map", "map"),
        )
        with box:
            if box.open:
                allv = ue.measure_all_areas(m.id, state.period)
                if allv["value"].notna().sum() == 0:
                    st.write("No authority has a value at this period.")
                else:
                    spec, caption = ue.england_map_spec(m.id, state.period, state.area)
                    w.chart(spec, caption, "map", f"{m.id}-map")
                    w.csv_download(allv, "map-data", f"{m.id}-all-authorities")

up.measure_section(state)

st.header("Figures reported in the strategy documents", anchor="reported")
reported = ue.table("reported")
mine = reported[reported["measure_id"] == m.id] if reported is not None else None
if mine is None or mine.empty:
    st.write(
        "The strategy documents report no figures for this measure (or they are not in this build)."
    )
else:
    cols = [c for c in ("table", "period", "area", "value_text", "rank_text", "rag_england", "rag_region",
                        "rag_neighbours", "trend", "questionable", "note", "document", "section") if c in mine.columns]  # fmt: skip
    w.note(
        "As printed in the seed documents; questionable figures are flagged and not used for ratings."
    )
    seeds = current_place().seeds  # readers see each document's title, never its file name
    mine = mine.assign(document=mine["document"].map(lambda d: seeds.get(d, d)))
    w.table(mine[cols], "reported", f"{m.id}-reported")

st.header("Plan actions aiming to move this measure", anchor="actions")
w.plan_actions(
    ue.plan_actions(measure=m.id),
    "of the refreshed 2024-25 plan and the five-year plan aimed at moving this measure, as the "
    "plan data links them.",
    "No action in the year plan is linked to this measure.",
    "measure-actions",
    f"{m.id}-plan-actions",
)

w.show_share_link(state, "measure")
