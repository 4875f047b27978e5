"""Year-plan tracker: every action of the 2024-25 plan and the five-year plan, with status updates."""

from dataclasses import replace

import streamlit as st

from lutonwb.place import current_place
from lutonwb.tracker import views
from lutonwb.ui import sections
from lutonwb.ui import tracker as ui
from lutonwb.ui.widgets import glossary_table, note, refresh_share_link, show_share_link

place = current_place()
st.title("Year-plan tracker")
if not place.plan_titles:
    st.info(f"{place.name} defines no plan: its place folder lists no year plan to track.")
    st.stop()
note(
    f"Actions of the {' and the '.join(t.lower() for t in place.plan_titles.values())}, "
    f"from {place.plan_document or 'its plan document'}. Editors update the status; "
    "everyone can read it. Until an editor reports a status, an action shows the progress its "
    "plan's review noted, or “No status reported”."
)

_, phases, choices, measures = ui.load()
sel = ui.read_selection(choices)
sel = ui.filters(sel, choices)
group = st.radio(
    "Group actions by", list(views.GROUPS), index=list(views.GROUPS).index(sel.group),
    format_func=views.GROUPS.get, horizontal=True, key="plan_group",
)  # fmt: skip
sel = replace(sel, group=group)

store = ui.store()
latest = ui.latest_updates(store)  # read on every rerun: another server may have saved a status
view = ui.plan_view(latest, sel)
if sel.action and sel.action not in view.labels:
    view = ui.plan_view(latest, views.Selection(group=group))
    st.info(
        "The action in the link does not match the filters; showing every action, its details below."
    )
ui.write_selection(sel)
show_share_link(None, "plan")

st.markdown(
    f"**{ui.md_escape(views.describe(sel, choices))}: {len(view.shown)} of {len(view.table)}**"
)
st.download_button(
    "Download these actions with their status (CSV)", lambda: views.export_csv(view.shown, choices),
    file_name="year-plan-actions.csv", mime="text/csv", key="plan_csv", on_click="ignore",
)  # fmt: skip

ui.status_counts(view)
ui.recently_changed(view)
ui.timeline(view, phases, sel.timeline)

st.header(f"Actions by {views.GROUPS[group].lower()}")
if view.shown.empty:
    st.info("No actions match these filters. Clear a filter to see more.")
else:
    ui.grouped(view)

sections.expander(
    "Abbreviations used in these actions", "plan_open_glossary",
    lambda: glossary_table(views.action_texts(view.shown), "plan-glossary"),
)  # fmt: skip


@st.fragment
def one_action(sel: views.Selection, view: views.PlanView, choices, measures, store) -> None:
    """Picking an action reruns this section alone: the filters and tables above stand (a saved
    status reruns the whole page, so the counts above take it in)."""
    ids = list(view.labels)
    picked = st.selectbox(
        "Action", ["", *ids], index=([""] + ids).index(sel.action) if sel.action in ids else 0,
        format_func=lambda a: view.labels.get(a, "Choose an action…"), key="plan_action",
    )  # fmt: skip
    # the chart's open state as the reader last set it (its section may have rerun alone since)
    opened = bool(st.session_state.get(sections.widget_key("timeline"), sel.timeline))
    ui.write_selection(replace(sel, action=picked, timeline=opened))
    refresh_share_link()  # the link above names the action picked
    if picked:
        ui.action_detail(
            view.table.set_index("action_id", drop=False).loc[picked].to_dict(), choices,
            measures, store,
        )  # fmt: skip


st.header("One action: details and history")
one_action(sel, view, choices, measures, store)

st.divider()
ui.sign_in_panel()
note("Every status update is kept: the history of an action is never overwritten.")
