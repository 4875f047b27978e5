"""Data and methods: sources and provenance, the rating rules, the catalogue, what is missing, link keys."""

import streamlit as st

from lutonwb.ui import engine as ue
from lutonwb.ui import progress as up
from lutonwb.ui import reference as ref
from lutonwb.ui import sections, urls
from lutonwb.ui import widgets as w
from lutonwb.ui.state import coerce_query

state = w.setup("methods")
cat = ue.catalogue()

st.title("Data and methods")
w.show_share_link(state, "methods")
st.write(
    "Where every number comes from, how it is rated, and what we could not find. Every figure on "
    "these pages is computed from the files listed here; nothing is typed in by hand."
)

st.header("Sources", anchor="sources")
tables = ref.methods_tables()
ref.draw_static(tables["sources"], "sources", "sources-and-licences")


# the long reference tables below are drawn only while open; each is a URL key of this page
sections.section("Data series and their periods", "series",
                 f"Every data series ({len(ue.series_summary())}), from when to when", "series",
                 state.series_open, ref.draw_series, subheader=True)  # fmt: skip
manifest = ue.warehouse().manifest
w.note(
    f"Data built {w.built_date(manifest)} from {len(manifest.get('inputs', {}))} published sources; "
    "each series' source file is named in the analysts' download of the data series."
)

st.header("How measures are rated", anchor="rules")
texts = ue.method_texts()
titles = {
    "source": "Which source a measure's figures come from",
    "significance": "Better, similar or worse",
    "quintile": "Fifths among all authorities, where there is no interval",
    "computed": "Intervals computed from counts, and benchmarks summed from them",
    "reported": "The strategy documents' own figures and ratings",
    "group_average": "The comparator group average",
    "rank": "Rank and quartile",
    "trend": "Trend",
    "rag": "Red, amber, green",
    "similar": "Similar areas (our open alternative to CIPFA's nearest neighbours)",
}
for key, text in texts.items():
    st.subheader(titles.get(key, key.replace("_", " ").capitalize()), anchor=f"rule-{key}")
    w.note(text)
st.subheader("Colours and their words", anchor="colours")
w.note(
    "Colours are chosen to be distinguishable with colour-blindness, and the word is always shown "
    "with the colour. Higher and Lower judge nothing (the measure has no polarity, or the "
    "difference was not tested), so they are not coloured, like Not compared."
)
ref.draw_static(tables["colours"], "colours", "rating-colours")
st.subheader("Comparator groups", anchor="groups")
w.note(
    "One comparator for every page: England unless you choose another in the sidebar. England is "
    "the one benchmark every measure has, and the monitor mixes children's, adult and place "
    "measures. Your choice is kept in every page's link and carried from page to page. Counts on "
    "the overview are shown against England, the region and the chosen group side by side."
)
ref.draw_static(tables["groups"], "groups", "comparator-groups")
st.subheader("Similar, not tested and not compared", anchor="no-verdict")
w.note(
    "Three words say how far a comparison went: Similar, Not tested and Not compared. They are the "
    "same on every page, in every chart's key, table and download, and in the overview's counts; "
    "the colour key above says what each means."
)

up.methods_page_section()


def draw_catalogue() -> None:
    """The search box and the measures it finds. A search reruns this section alone, so the
    query is read from the box (the page's `state` holds the one of the last full run)."""
    if not sections.fragment_run():
        st.session_state["w_q"] = state.query  # the URL owns the view
    st.text_input(
        "Search measures (title, alias or definition)",
        key="w_q",
        on_change=lambda: urls.set_key("q", st.session_state["w_q"][:80], remember=True),
        max_chars=80,
    )
    query = coerce_query(st.session_state["w_q"], None).value
    found = cat.search(query) if query else list(cat.measures.values())
    if not found:  # no empty table and no empty download; the reader's words shown as text
        w.note(f"No measure matches “{query}”.")
        return
    rows = w.catalogue_rows(found, cat)
    w.note(f"{len(rows)} of {len(cat.measures)} measures.")
    w.table(rows, "catalogue", "catalogue", static=True)  # wraps: every column at 1,280 px


# a search in the link opens the catalogue; closing it clears the search
sections.section("The catalogue", "catalogue", f"Search and list all {len(cat.measures)} measures",
                 "catalogue", state.catalogue_open or bool(state.query), draw_catalogue,
                 clears=("q",))  # fmt: skip


sections.section("What is missing, and why", "missing",
                 "Measures without open data, and data searched for but not found", "missing",
                 state.missing_open, lambda: ref.draw_missing(cat))  # fmt: skip

sections.section("Words and abbreviations", "glossary", "Every word and abbreviation explained",
                 "glossary", state.glossary_open,
                 lambda: w.glossary_table(None, "glossary"))  # fmt: skip


st.header("Links to an exact view", anchor="links")
st.write(
    "Every choice lives in the page address, so a link opens the same view for anyone. Unknown or "
    "malformed values show a short notice and fall back to the default."
)
sections.section("", "keys", "Every key of a page's address, with an example", "keys",
                 state.keys_open, ref.draw_keys)  # fmt: skip
