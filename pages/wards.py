"""Ward maps: deprivation and inequality inside the place (e.g. Luton), a ward profile, and a
transparent composite."""

import pandas as pd
import streamlit as st

from lutonwb import wards
from lutonwb.place import current_place
from lutonwb.ui import maps
from lutonwb.ui.widgets import note

place = current_place()
if place.local_area is None:
    st.title("Ward maps")
    st.info(f"No ward files are configured for {place.name}: its place folder names none.")
    st.stop()
names = maps.ward_names("wd23")
old_names = maps.ward_names("wd13")
state = maps.read_url(names, old_names)

# the URL wins over remembered widget values (deep links, back button)
st.session_state["w_layer"] = state.layer
st.session_state["w_geo"] = state.geo
st.session_state["w_ward"] = state.ward
maps.write_url(state.layer, state.geo, state.ward)
lyr = wards.layer(state.layer)

st.title(f"Ward maps: deprivation inside {place.name}")
note(maps.summary_line())
for notice in state.notices:
    st.info(notice)

c1, c2 = st.columns([3, 2])
c1.selectbox(
    "Map layer",
    list(wards.LAYERS),
    key="w_layer",
    format_func=lambda i: wards.layer(i).title,
    on_change=maps.commit,
    args=("w_layer", "layer"),
)
c2.radio(
    "Geography",
    list(lyr.geographies),
    key="w_geo",
    format_func=lambda g: wards.GEOGRAPHIES[g],
    horizontal=True,
    on_change=maps.commit,
    args=("w_geo", "geo"),
)
note(f"{lyr.description} Source: {lyr.source}.")

table, legend_df = maps.layer_table(state.layer, state.geo)
fc = maps.feature_collection(state.layer, state.geo)
highlight = state.ward if state.geo == "wd23" else ""

left, right = st.columns([2, 1])
with left:
    event = st.pydeck_chart(
        maps.deck(fc, maps.view_centre(state.geo), highlight),
        on_select="rerun",
        selection_mode="single-object",
        key="ward_map",
        height=520,
    )
    valued = table.dropna(subset=["value"]).sort_values("rank")
    alt = (
        f"Map of {place.name}: {len(table)} {wards.GEOGRAPHIES[state.geo].lower()} coloured by {lyr.title} "
        f"({lyr.unit}) in {len(legend_df)} classes of about equal size, dark purple for the worst and "
        f"yellow for the best."
    )
    if len(valued):
        alt += (
            f" Worst: {valued.iloc[0]['name']} ({wards.fmt(valued.iloc[0]['value'])}); "
            f"best: {valued.iloc[-1]['name']} ({wards.fmt(valued.iloc[-1]['value'])})."
        )
    note(alt + " No background map is needed; click an area to open its ward profile.")
with right:
    maps.legend(legend_df, lyr.unit, lyr.polarity, int(table["value"].isna().sum()))
    if state.geo in ("wd23", "lsoa21") and lyr.kind in ("iod25", "census", "fuel", "composite"):
        note(
            wards.WEIGHTS_NOTE
            if lyr.kind == "iod25"
            else "Ward shares: households summed over the ward's LSOAs, then divided."
        )
    if state.geo == "wd23":
        note(maps.straddle_note())
    if state.geo == "wd13":
        note("These are the 19 wards used until May 2023, for which IMD 2019 was published.")

# a click on the map chooses a ward (an LSOA click chooses the ward it is assigned to)
clicked = maps.selected_code(event)
if clicked and clicked != st.session_state.get("_last_click"):
    st.session_state["_last_click"] = clicked
    ward = clicked if clicked in names else maps.lsoa_to_ward().get(clicked, "")
    if ward and ward != state.ward:
        maps.choose_ward(ward)

# -- ward profile -----------------------------------------------------------------------------
st.header("Ward profile")
st.selectbox(
    "Ward (May 2023 boundaries)",
    ["", *sorted(names, key=names.get)],
    key="w_ward",
    format_func=lambda c: "Choose a ward…" if not c else names[c],
    on_change=maps.commit,
    args=("w_ward", "ward"),
)
if state.ward:
    across = f"Range across {place.name}'s wards"
    p = maps.profile(state.ward)
    st.subheader(p["name"])
    vals = p["values"].assign(
        Value=lambda d: [wards.fmt(v) for v in d["value"]],
        Rank=lambda d: [f"{r} of {n}" for r, n in zip(d["rank"], d["n"], strict=True)],
    )
    st.dataframe(
        vals.rename(columns={"title": "Layer", "unit": "Unit", "luton_range": across})[
            ["Layer", "Value", "Unit", "Rank", across]
        ],
        hide_index=True,
        width="stretch",
    )
    note(f"Rank 1 = the most deprived (worst) of {place.name}'s {len(names)} wards on that layer.")
    ch = p["change"]
    st.markdown(
        f"**Neighbourhoods (LSOAs):** {ch['lsoas']} 2021 LSOAs are assigned to {p['name']}. "
        f"In England's most deprived 20%: **{ch['most_deprived_20_2025']}** in IoD 2025, "
        f"{ch['most_deprived_20_2019']} in IMD 2019 (same LSOAs). Median national decile "
        f"{wards.fmt(ch['median_decile_2025'])} (2025) vs {wards.fmt(ch['median_decile_2019'])} (2019)."
    )
    note(wards.CHANGE_NOTE)
    lsoas = p["lsoas"].rename(
        columns={
            "lsoa_code": "LSOA",
            "lsoa_name": "Name",
            "imd2025_decile": "IoD 2025 decile",
            "imd2019_decile": "IMD 2019 decile",
            "households": "Households (2021)",
            "straddles": "Straddles a ward boundary",
        }
    )
    st.dataframe(lsoas, hide_index=True, width="stretch")
    if p["straddling"]:
        note(
            "The ONS best-fit lookup assigns each LSOA whole to one ward. "
            f"{', '.join(p['straddling'])} straddle(s) this ward's boundary, so the ward figures are approximate."
        )
else:
    st.write("Click a ward on the map or choose one above to see its profile.")

# -- ranked table -----------------------------------------------------------------------------
st.header("Ranked table")
ranked = table.sort_values(["rank", "name"])[["rank", "code", "name", "value", "note"]].rename(
    columns={
        "rank": "Rank (1 = worst)",
        "code": "Code",
        "name": "Name",
        "value": f"Value ({lyr.unit})",
        "note": "No data reason",
    }
)
st.dataframe(ranked, hide_index=True, width="stretch")
st.download_button(
    "Download this table (CSV)",
    ranked.to_csv(index=False).encode("utf-8"),
    file_name=f"luton-{state.layer}-{state.geo}.csv",
    mime="text/csv",
    key="w_download",
)

# -- inequality -------------------------------------------------------------------------------
st.header(f"Inequality inside {place.name}")
ineq = maps.inequality()
st.dataframe(
    ineq.assign(
        worst_value=ineq["worst_value"].map(wards.fmt),
        best_value=ineq["best_value"].map(wards.fmt),
        gap=ineq["gap"].map(wards.fmt),
        ratio=ineq["ratio"].map(lambda r: "—" if pd.isna(r) else f"{r:.1f}×"),
        sii=ineq["sii"].map(lambda s: "—" if pd.isna(s) else wards.fmt(s)),
    ).rename(
        columns={
            "title": "Layer",
            "unit": "Unit",
            "worst_ward": "Worst ward",
            "worst_value": "Worst value",
            "best_ward": "Best ward",
            "best_value": "Best value",
            "gap": "Gap",
            "ratio": "Ratio (worst ÷ best)",
            "sii": "Slope index of inequality",
        }
    )[
        [
            "Layer",
            "Unit",
            "Worst ward",
            "Worst value",
            "Best ward",
            "Best value",
            "Gap",
            "Ratio (worst ÷ best)",
            "Slope index of inequality",
        ]
    ],
    hide_index=True,
    width="stretch",
)
note(
    "Gap: difference between the worst and best ward (2023 wards; pre-2023 wards for IMD 2019). "
    f"Slope index of inequality: {place.name}'s 2021 LSOAs are grouped by national IMD 2025 decile; each "
    "group's value is weighted by households; the slope of a weighted regression on the ridit (the "
    "cumulative share of households, most deprived first) gives the modelled gap from the most to "
    "the least deprived end. Negative = higher values at the deprived end. Ratios are shown only "
    "when both values are positive."
)

# -- composite --------------------------------------------------------------------------------
st.header("Thriving wards composite: method and sensitivity")
st.markdown(wards.composite_method())
comp = maps.composite_table()
st.dataframe(
    comp.rename(
        columns={
            "ward_name": "Ward",
            "basic-needs": "Basic human needs",
            "foundations": "Foundations of wellbeing",
            "opportunity": "Opportunity",
            "composite": "Composite",
            "rank": "Rank (1 = best)",
        }
    )
    .drop(columns=["ward_code"])
    .sort_values("Rank (1 = best)")
    .round(2),
    hide_index=True,
    width="stretch",
)
st.subheader("Sensitivity")
sens = maps.sensitivity_table()
moved = int((sens["change_50_25_25"] != 0).sum())
st.write(
    f"With weights of 50% basic human needs, 25% foundations of wellbeing and 25% opportunity, "
    f"{moved} of 20 wards change rank (the largest move is {int(sens['change_50_25_25'].abs().max())} "
    f"places). Scaling each indicator 0-1 between the worst and best ward instead of z-scores moves "
    f"{int((sens['change_minmax'] != 0).sum())} wards."
)
st.dataframe(
    sens.drop(columns=["ward_code"])
    .rename(
        columns={
            "ward_name": "Ward",
            "composite": "Composite (equal weights)",
            "rank_equal": "Rank: equal weights",
            "rank_50_25_25": "Rank: 50/25/25",
            "change_50_25_25": "Change (50/25/25)",
            "rank_minmax": "Rank: min-max scaling",
            "change_minmax": "Change (min-max)",
        }
    )
    .round(2),
    hide_index=True,
    width="stretch",
)

st.divider()
st.markdown(
    f"Link to this view: [`{maps.share_link(state.layer, state.geo, state.ward)}`]({maps.share_link(state.layer, state.geo, state.ward)})"
)
