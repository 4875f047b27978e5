"""Overview: the 2040 mission, headline life expectancy, principles and boards at a glance."""

import streamlit as st

from lutonwb import config
from lutonwb.place import current_place
from lutonwb.ui import engine as ue
from lutonwb.ui import maps, sections
from lutonwb.ui import progress as up
from lutonwb.ui import widgets as w
from lutonwb.ui.nav import link_target

state = w.setup("")
cat = ue.catalogue()
home = ue.vocab().areas.get(state.area, state.area)
group = ue.group_labels().get(state.cmp, state.cmp)

place = current_place()
st.title(place.title)
w.show_share_link(state, "")
if place.mission is not None:
    st.markdown(f"**{place.mission.label}:** {place.mission.text}.")
    if place.citation():
        w.note(place.citation())
others = w.benchmarks_words(state, group)
st.write(
    f"How {home} compares with {others} on the measures of {place.programme}. Every colour has "
    "its word beside it; the counts below say which benchmark they use."
)

w.period_notice_for(state, home)

st.header("Life expectancy and healthy life expectancy", anchor="headline")
w.headline_cards(state, list(place.headline), group)

st.header("Marmot principles", anchor="principles")
w.count_tabs(
    state, "principle", {n: f"{n}. {p.title}" for n, p in sorted(cat.principles.items())},
    "Marmot principle", group,
)  # fmt: skip
with st.container(horizontal=True, gap="small"):
    for n in sorted(cat.principles):
        w.page_link(state, "principle", f"Open principle {n}", principle=n)

st.header("Boards", anchor="boards")
if not cat.boards:
    st.write(f"{place.name} defines no boards, so no measure is counted by board.")
else:
    w.count_tabs(state, "board", {b: x.title for b, x in cat.boards.items()}, "Board", group)
    with st.container(horizontal=True, gap="small"):
        for bid, b in cat.boards.items():
            w.page_link(state, "board", f"Open {b.title}", board=bid)

st.header("Where the gaps are", anchor="gaps")
st.subheader("Biggest gaps: significantly worse than England", anchor="biggest-gaps")
w.note("Ordered by the gap to England as a share of England's value, the largest first.")
w.highlight_table(
    state, "gaps", home, {"gap_words": "Gap to England", "vs_england": "vs England"},
    "biggest-gaps",
)  # fmt: skip
st.subheader("Clearest improvements: getting better", anchor="improvements")
w.note("A significant recent trend in the right direction; current data first, then the longest.")
w.highlight_table(state, "improving", home, {"trend": "Trend"}, "improvements")

st.subheader("Worse than England and getting worse", anchor="worse-and-worsening")
w.highlight_table(
    state, "worsening", home, {"vs_england": "vs England", "trend": "Trend"},
    "worse-and-getting-worse",
    f"No measure is both significantly worse than England and getting worse for {home}.",
)  # fmt: skip

if state.area == config.HOME_AREA_DEFAULT and place.local_area is not None:
    st.header(f"Inside {place.name}", anchor="inside-the-place")
    st.write(maps.summary_line())
    st.page_link(
        link_target("pages/wards.py"),
        label=f"See the ward maps and the inequality inside {place.name}",
    )

up.overview_section(state)

st.header("Data freshness", anchor="freshness")
sentence, fresh = w.freshness()
st.write(sentence)
sections.expander(
    "Latest period of every data series", "open_freshness",
    lambda: w.table(fresh, "freshness", "data-freshness", static=True),
)  # fmt: skip
