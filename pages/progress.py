"""Progress: is the place becoming fairer? Roll-ups of on / off track toward the 2040 targets, the
measures moving away, before and after the Marmot designation, gaps inside the place over time,
and funnel plots."""

import streamlit as st

from lutonwb.ui import progress as up
from lutonwb.ui import widgets as w

state, own = up.setup()
home, group = up.names(state)

st.title(up.title())
w.show_share_link(state, "progress")
w.note(
    f"Progress of {home} toward its targets, with the gap to England over time and {group} as "
    "the comparator group. Progress uses every period up to each measure's latest (the sidebar's "
    "period applies to the other pages)."
)
t = up.table(state.area, state.cmp, state.custom)

st.header("On track or not", anchor="rollups")
up.rollup_section(state, t, own["by"])
st.subheader("The measures behind the counts", anchor="by-status")
up.status_section(state, t, own["track"])

st.header("Measures moving away", anchor="moving-away")
up.moving_away_section(state, t)

st.header("Before and after the Marmot designation", anchor="designation")
up.designation_section(state, t, own["designation_measure"])

st.header(f"Gaps inside {up.current_place().name}", anchor="inside")
up.inside_section()

st.header("Funnel plots", anchor="funnels")
up.funnel_section(state, own["funnel_measure"])

up.methods_link(state)
w.refresh_share_link()  # the link as the address bar ends the run, the page's own keys included
