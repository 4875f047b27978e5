"""Marmot principle: the measures under one of the eight principles, rated for the home area."""

import streamlit as st

from lutonwb.ui import engine as ue
from lutonwb.ui import widgets as w

state = w.setup("principle")
cat = ue.catalogue()
home = ue.vocab().areas.get(state.area, state.area)
group = ue.group_labels().get(state.cmp, state.cmp)
principle = cat.principles[state.principle]

st.title(f"Marmot principle {principle.number}: {principle.title}")
w.choose(
    "Marmot principle",
    sorted(cat.principles),
    state.principle,
    "w_principle",
    "principle",
    format_func=lambda n: f"{n}. {cat.principles[n].title}",
)
w.show_share_link(state, "principle")

own = w.own_group(state)
view = w.performance_view(state, home, group if own else None, principle=state.principle)
sc = view.scorecard
w.period_notice(sc, state, home)
summary = ue.summary(state.area, state.cmp, state.custom, state.period, "principle")
mine = summary[summary["key"] == state.principle] if "not_tested" in summary.columns else None
if mine is not None and len(mine) == 1 and int(mine.iloc[0].get("measures", len(sc))) == len(sc):
    counts = w.counts_from_summary(mine.iloc[0].to_dict())
else:  # an engine without not_tested: the scorecard's words and methods say it
    counts = w.verdict_counts(sc)
st.write(
    f"{len(sc)} measures serve this principle. Against {w.label_in_sentence(group)}: {w.counts_text(counts)}."
)

st.header("Performance", anchor="performance")
w.note(
    f"{home} against {w.benchmarks_words(state, group)}. Rank 1 is best among "
    f"{w.rank_among(state, group)} (the highest value for measures with no polarity). "
    f"{w.RATING_COLOURS_SENTENCE}"
)
w.performance_table(
    view, "principle-table", f"principle-{state.principle}-{state.area}-{state.cmp}"
)
w.open_measure(state, list(zip(sc["measure_id"], sc["title"], strict=True)), "principle-open")
