"""Board: remit, priorities and workstreams, the performance table, a spine chart and the board's actions."""

import streamlit as st

from lutonwb.place import current_place
from lutonwb.ui import engine as ue
from lutonwb.ui import sections
from lutonwb.ui import widgets as w

cat = ue.catalogue()
if not cat.boards:
    st.title("Boards")
    st.info(f"{current_place().name} defines no boards: its place folder lists none.")
    st.stop()
state = w.setup("board")
home = ue.vocab().areas.get(state.area, state.area)
group = ue.group_labels().get(state.cmp, state.cmp)
board = cat.boards[state.board]

st.title(board.title)
w.choose(
    "Board",
    list(cat.boards),
    state.board,
    "w_board",
    "board",
    format_func=lambda b: cat.boards[b].title,
)
w.show_share_link(state, "board")
st.header("Remit, priorities and workstreams", anchor="remit")
st.write(board.remit)

left, right = st.columns(2)
with left:
    st.subheader("Priorities", anchor="priorities")
    w.bullets(board.priorities)
with right:
    st.subheader("Workstreams", anchor="workstreams")
    w.bullets(board.workstreams)
if board.outcomes:
    with st.expander("Target outcomes this board serves"):
        w.bullets([cat.outcomes[o].title if o in cat.outcomes else o for o in board.outcomes])

view = w.performance_view(state, home, group if w.own_group(state) else None, board=state.board)
sc = view.scorecard
w.period_notice(sc, state, home)
st.header("Performance table", anchor="performance")
w.note(
    f"{home} against {w.benchmarks_words(state, group)}, as in the strategy's "
    f"board tables. Rank 1 is best among {w.rank_among(state, group)} (the highest value for measures with no "
    f"polarity). {w.RATING_COLOURS_SENTENCE} The last column, the strategy's own rating, is the "
    "rating its documents give in the one-year review "
    "(their red, amber and green, in words: worse, similar, better) against England, the region "
    "and the nearest neighbours."
)
w.performance_table(view, "board-table", f"{state.board}-{state.area}-{state.cmp}")
w.open_measure(state, list(zip(sc["measure_id"], sc["title"], strict=True)), "board-open")


def draw_spine() -> None:
    spine = ue.spine(state.area, state.cmp, state.custom, state.period, state.board)
    if spine is None:
        st.write(
            "No measure of this board has values for every authority to place on a spine chart."
        )
        return
    spec, caption, rows = spine
    w.chart(spec, caption, "board-spine", f"spine-{state.board}-{state.area}-{state.cmp}")
    w.note("The figures behind each row, in the chart's order:")
    w.spine_table(rows, home, "spine-data", f"spine-{state.board}-{state.area}")


sections.section("Spine chart", "spine", "Spine chart of every measure, with its figures",
                 "spine", state.spine_open, draw_spine)  # fmt: skip


def draw_actions() -> None:
    w.plan_actions(
        ue.plan_actions(board=state.board),
        "of the refreshed 2024-25 plan and the five-year plan for this board.",
        "The plan data has no actions for this board.",
        "board-actions",
        f"actions-{state.board}",
        show_board=False,
    )


sections.section("Actions from the plan", "actions", "The board's actions in the plan",
                 "actions", state.actions_open, draw_actions)  # fmt: skip
