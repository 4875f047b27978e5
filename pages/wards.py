"""Ward maps: deprivation and inequality inside the place (e.g. Luton), a ward profile, and a
transparent composite. Thin: the URL's view → lutonwb.wards (via ui.maps) → drawing."""

import streamlit as st

from lutonwb.place import current_place
from lutonwb.ui import maps, sections
from lutonwb.ui.widgets import note

place = current_place()
if place.local_area is None:
    st.title("Ward maps")
    st.info(f"No ward files are configured for {place.name}: its place folder names none.")
    st.stop()

state = maps.page_state()
st.title(f"Ward maps: deprivation inside {place.name}")
note(maps.summary_line())
maps.show_share_link(state)
for notice in state.notices:
    st.info(notice)

maps.ward_finder()
lyr = maps.controls(state)
table = maps.draw_map(state, lyr)

st.header("Ward profile")
if state.ward:
    maps.draw_profile(state.ward)
else:
    st.write("Find your ward above, or click an area on the map, to see its profile.")

# the tables below the map are drawn only while open; each is a URL key of this page
sections.section("Ranked table", "ranked", "Every area ranked, worst first", "ranked",
                 state.ranked_open, lambda: maps.draw_ranked(state, lyr, table),
                 remember=False)  # fmt: skip
sections.section(f"Inequality inside {place.name}", "inequality",
                 "Gaps between the best and worst wards", "inequality", state.inequality_open,
                 maps.draw_inequality, remember=False)  # fmt: skip
sections.section("Thriving wards composite: method and sensitivity", "composite",
                 "The composite's method, its table and how stable its ranks are", "composite",
                 state.composite_open, maps.draw_composite, remember=False)  # fmt: skip
