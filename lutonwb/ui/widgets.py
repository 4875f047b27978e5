"""Shared page furniture: URL state and sidebar controls, rating badges, tables and downloads.

Pages call `setup(page)` first: it reads the URL once (falling back to the session's memory and
then defaults), shows a notice for any unusable value, writes the canonical URL back, draws the
sidebar controls and returns the typed State. Widget on_change callbacks write choices to the URL.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple, TypeVar

import pandas as pd
import streamlit as st

from lutonwb import gaps
from lutonwb.catalogue.model import places
from lutonwb.comparators import label_in_sentence as label_in_sentence  # pages use it
from lutonwb.engine import COUNT_WORDS
from lutonwb.engine import verdict_counts as verdict_counts  # pages count with it
from lutonwb.engine.vocab import METHOD_WORDS, RAG_WORDS, VERDICT_BADGES
from lutonwb.place import current_place
from lutonwb.stats import trend_plain
from lutonwb.text import section_words, sentence, split_list, titled_with_unit, unit_words
from lutonwb.ui import engine as ue
from lutonwb.ui import sections, urls
from lutonwb.ui.charts import (
    RATING_COLOURS,
    RATING_TEXT,
    chart_bytes,
    date_words,
    spine_positions,
)

if TYPE_CHECKING:  # altair is imported only by pages that draw a chart (cold start)
    import altair as alt

    from lutonwb.catalogue import Catalogue, Measure

from lutonwb.ui.data import READER_TTL, build_id, by_build
from lutonwb.ui.nav import link_target
from lutonwb.ui.state import (
    DEFAULT_GROUP,
    PAGE_FILES,
    SHARED_PAGES,
    State,
    base_from_url,
    keys_of,
    link_params,
    period_words,
    read_state,
    share_url,
)

WIDGET_KEYS = {"area": "w_area", "cmp": "w_cmp", "with": "w_with", "period": "w_period"}
BADGE_COLOURS = VERDICT_BADGES  # verdict words and colours: one place, the engine's vocab


# -- text ----------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~$])")  # $: no maths


def md_escape(text: str) -> str:
    """Text made inert for markdown: special characters and a leading 'N.' escaped."""
    out = _MD_SPECIAL.sub(r"\\\1", str(text))
    return re.sub(r"^(\d+)\.", r"\1\\.", out)


def note(text: str) -> None:
    """Secondary text at full contrast (st.caption's grey fails WCAG AA), markdown characters escaped."""
    st.markdown(md_escape(text))


def field_table(
    fields: Mapping[str, object], heading: str, links: Mapping[str, str] | None = None
) -> None:
    """A two-column table of facts under a plain heading ('About this measure'; the second
    column's header left empty, no 'Field / Value') as one markdown element (values escaped,
    '|' kept inert). `links`: a markdown link (methods_link) put after a field's value."""

    def cell(v: object) -> str:
        return md_escape(str(v)).replace("\n", " ")

    def linked(k: str) -> str:
        link = (links or {}).get(k, "")
        return f" ({link})" if link else ""

    rows = "\n".join(f"| {cell(k)} | {cell(v)}{linked(k)} |" for k, v in fields.items())
    st.markdown(f"| {cell(heading)} | |\n|---|---|\n{rows}")


def bullets(items: Sequence[str]) -> None:
    """A bulleted list of plain texts (escaped)."""
    if items:
        st.markdown("\n".join(f"- {md_escape(i)}" for i in items))


# -- URL state -------------------------------------------------------------------------------


def setup(page: str) -> State:
    """Read the URL into State, show notices, write the canonical URL back and draw the sidebar.

    Every page shares one comparator (England unless the reader picks another), always in the link.
    """
    vocab = ue.vocab()
    url = urls.current()
    state, memory = read_state(url, urls.memory(), vocab)
    urls.remember_all(memory)
    st.session_state["_page"] = page
    urls.replace_all(state.params_for(page))
    for notice in state.notices:
        st.warning(notice, icon="⚠️")
    sidebar(state, vocab.areas)
    return state


WHOLE_GROUPS = ("england", "region", "all")  # benchmarks, not neighbour sets


def _commit(key: str) -> None:
    """on_change: copy one sidebar widget into the session memory and the URL."""
    value = st.session_state[WIDGET_KEYS[key]]
    memory = urls.memory()
    text = ",".join(value) if isinstance(value, (list, tuple)) else str(value)
    memory[key] = text
    if key == "cmp" and value == "custom" and not memory.get("with"):
        # start a custom group from the neighbour group the reader was looking at (from England,
        # the region or all authorities: from the similar areas), then let them edit it
        previous = st.session_state.get("_last_cmp", DEFAULT_GROUP)
        if previous in WHOLE_GROUPS:
            previous = "similar"
        home = memory.get("area", ue.vocab().default_area)
        try:
            members = ue.engine().group_members(previous, home)
        except Exception:  # noqa: BLE001 (any engine refusal just means "start empty")
            members = []
        memory["with"] = ",".join(m for m in members if m != home)
    urls.remember_all(memory)
    params = urls.current()
    params[key] = text
    if key == "cmp" and value == "custom":
        params["with"] = memory.get("with", "")
    urls.replace_all({k: v for k, v in params.items() if v and k in urls.DECLARED})


def commit_flag(key: str, url_key: str) -> None:
    """on_change of an open/closed choice (an expander): into the session memory and the URL."""
    urls.set_key(url_key, "1" if st.session_state[key] else "", remember=True)


def sidebar(state: State, areas: Mapping[str, str]) -> None:
    """Home area, comparator group (with custom members) and period, each written back to the URL."""
    labels = ue.group_labels()
    names = {**areas, **ue.area_choices()}  # by name in words; a shared name gets its region
    codes = sorted(areas, key=lambda c: names[c])
    st.session_state[WIDGET_KEYS["area"]] = state.area
    st.session_state[WIDGET_KEYS["cmp"]] = state.cmp
    periods = ["latest", *ue.period_options(state, st.session_state.get("_page", ""))]
    if state.period not in periods:
        periods.append(state.period)
    st.session_state[WIDGET_KEYS["period"]] = state.period
    st.session_state["_last_cmp"] = state.cmp
    with st.sidebar:
        st.header("Compare", anchor=False)
        st.selectbox(
            "Home area",
            codes,
            key=WIDGET_KEYS["area"],
            format_func=lambda c: names.get(c, c),
            on_change=_commit,
            args=("area",),
            help="Any English county or unitary authority. Every number is rated for this area.",
        )
        st.selectbox(
            "Comparator group",
            list(labels),
            key=WIDGET_KEYS["cmp"],
            format_func=lambda g: labels.get(g, g),
            on_change=_commit,
            args=("cmp",),
            help=COMPARATOR_HELP,
        )
        if state.cmp == "custom":
            st.session_state[WIDGET_KEYS["with"]] = [c for c in state.members if c in areas]
            st.multiselect(
                "Custom group members",
                codes,
                key=WIDGET_KEYS["with"],
                format_func=lambda c: names.get(c, c),
                on_change=_commit,
                args=("with",),
            )
        st.selectbox(
            "Period",
            periods,
            key=WIDGET_KEYS["period"],
            format_func=lambda p: "Latest for each measure" if p == "latest" else period_words(p),
            on_change=_commit,
            args=("period",),
            help="Only periods this page's measures have; measures without data for the chosen "
            "period show no value, and the page says how many.",
        )
        note(describe_selection(state, areas, labels))


COMPARATOR_HELP = (
    "Used for the group average, the rank and the third rating column. Statistical neighbours "
    "(CSSNBT) come from the Department for Education's Children's Services Statistical "
    "Neighbour Benchmarking Tool: the ten councils most like the home area, in its 2021 or 2025 "
    "list. The methods page describes every group."
)


def period_notice_text(sc: pd.DataFrame, period: str, home: str) -> tuple[str, str] | None:
    """('warning' | 'info', words) saying how many measures have data for a chosen period (all
    of them too: a period is never accepted silently), or None on the latest view. Only open-data measures count: the strategy documents' reported
    figures are shown as printed whatever the period, so they never make a period look covered."""
    if period == "latest" or sc.empty:
        return None
    dated = sc[~sc["reported_only"].astype(bool)] if "reported_only" in sc else sc
    with_data = int(dated["value"].notna().sum())
    when = period_words(period)
    if with_data == 0:
        return ("warning", f"No measure on this page has data for {home} in {when}; choose "
                "another period or 'Latest for each measure'.")  # fmt: skip
    if with_data < len(dated):
        return ("info", f"{with_data} of {len(dated)} measures on this page have data for {home} "
                f"in {when}; the others show no value.")  # fmt: skip
    return ("info", f"All {len(dated)} measures on this page have data for {home} up to {when}; "
            "each shows its latest period by then.")  # fmt: skip


def period_notice(sc: pd.DataFrame, state: State, home: str) -> None:
    """Says how many of the page's measures have data for a chosen period (never a silent blank)."""
    said = period_notice_text(sc, state.period, home)
    if said:
        (st.warning if said[0] == "warning" else st.info)(said[1])


def period_notice_for(state: State, home: str) -> None:
    """period_notice for every measure of the view; the scorecard is read only for a chosen
    period (the latest view has no notice)."""
    if state.period != "latest":
        period_notice(ue.scorecard(state.area, state.cmp, state.custom, state.period), state, home)


def measure_period_notice(sc: pd.DataFrame, m: Measure, state: State, home: str) -> bool:
    """On a measure's page with a chosen period: a notice when this measure (or every measure)
    has no figure for it; True when it was shown (the page then says nothing more of it)."""
    if state.period == "latest" or m.reported_only:
        return False
    row = sc[sc["measure_id"] == m.id]
    if not row.empty and pd.notna(row.iloc[0]["value"]):
        return False
    when = period_words(state.period)
    said = period_notice_text(sc, state.period, home)
    if said and said[0] == "warning":  # nothing at all for the period: say so of every measure
        st.warning(f"No measure has data for {home} in {when}; choose another period or "
                   "'Latest for each measure'.")  # fmt: skip
    else:
        st.warning(f"This measure has no figure for {home} in {when}; choose another period or "
                   "'Latest for each measure'.")  # fmt: skip
    return True


def describe_selection(state: State, areas: Mapping[str, str], labels: Mapping[str, str]) -> str:
    """The current choices in one plain sentence."""
    group = label_in_sentence(labels.get(state.cmp, state.cmp))
    if state.cmp == "custom":
        group += f" ({len(state.members)} authorities)"
    period = "the latest data" if state.period == "latest" else f"data up to {state.period}"
    return f"{areas.get(state.area, state.area)} against {group}, {period}."


def share_link(state: State, page: str, **overrides: object) -> str:
    """The shareable URL of this view."""
    return share_url(base_from_url(st.context.url, page), page, state.params_for(page, **overrides))


SHARE_LABEL = "Link to this view (copy to share; it opens the same view):"


def show_share_link(state: State | None, page: str) -> None:
    """The page's own link as inline code in one markdown element (selectable, copyable), under
    the page's title (the link is the address bar's keys; `state` may be None, as on the plan
    page, whose keys its own reader writes).

    Not st.code: its syntax highlighter is a lazily loaded bundle that cost about 0.2 s of
    browser time on every page open (bench/element_costs.py), for a single line of text. Drawn
    in a placeholder that a lazy section's own rerun rewrites from the link as it then stands.
    """
    slot = st.empty()

    def current() -> str:
        base = base_from_url(st.context.url, page)
        now = urls.current()
        params = (
            link_params(page, now)
            if page in SHARED_PAGES
            else {k: now[k] for k in keys_of(page) if now.get(k)}  # the plan's own keys
        )
        return link_markdown(share_url(base, page, params))

    slot.markdown(current())  # the address bar as it stands: the page's own keys included
    sections.keep_share_slot(slot, current)


def refresh_share_link() -> None:
    """Write the page's share link again, as the address bar stands at the end of the run (a
    choice drawn below the title may have written its key after the link was first drawn)."""
    sections.redraw_share_link()


def link_markdown(url: str) -> str:
    """A shareable URL after the plain label, as inline code (selectable, copyable)."""
    return f"{SHARE_LABEL} `{url.replace('`', '%60')}`"


def show_link(url: str) -> None:
    """A shareable URL after the plain label: the one way every page, the ward maps' included,
    shows its own link."""
    st.markdown(link_markdown(url))


def shown_share_link(markdown_texts: Sequence[str]) -> str:
    """The link show_share_link drew, found among a page's markdown texts ('' when none)."""
    for text in reversed(list(markdown_texts)):
        if text.startswith(SHARE_LABEL):
            return text[len(SHARE_LABEL) :].strip().strip("`")
    return ""


def page_link(state: State, page: str, label: str, **overrides: object) -> None:
    """A link to another page carrying the current choices (and any overrides) in its URL."""
    st.page_link(
        link_target(PAGE_FILES[page]), label=label, query_params=state.params_for(page, **overrides)
    )


# -- ratings ---------------------------------------------------------------------------------


def badge_md(word: str, prefix: str = "") -> str:
    """The same badge as a rating badge, as markdown to put inside a text element (fewer elements)."""
    word = word if word in BADGE_COLOURS else "Not compared"
    return f":{BADGE_COLOURS[word]}-badge[{md_escape(prefix + word)}]"


def rag_word(code: object) -> str:
    """'G'/'A'/'R' (or a word) -> 'Better'/'Similar'/'Worse'/''."""
    text = "" if code is None or (isinstance(code, float) and pd.isna(code)) else str(code).strip()
    if text.upper() in RAG_WORDS:
        return RAG_WORDS[text.upper()]
    return text


def _cell_style(value: object) -> str:
    word = re.split(r" \(|, ", value)[0] if isinstance(value, str) else ""
    if word in RATING_COLOURS:
        return f"background-color: {RATING_COLOURS[word]}; color: {RATING_TEXT[word]}"
    return ""


COMPARE_SENTENCES = {
    "ci": "Compared with {b} by its 95% confidence interval as published: Better or Worse when "
    "{b}'s value lies outside it, Similar when inside.",
    "ci (computed)": "Compared with {b} by a 95% confidence interval computed here from the count "
    "and denominator (the source publishes none): Better or Worse when {b}'s value lies outside it.",
    "source": "Compared with {b} using the source's own significance judgement (the data has no "
    "confidence interval).",
    "not tested": "Not tested against {b}: the data has no confidence interval or judgement of "
    "significance, so the value is only shown as higher or lower.",
    "quintile": "Placed in fifths (no confidence interval): among all English authorities when "
    "compared with England, by rank within the group otherwise. A position, not a significant "
    "difference.",
    "reported": "Rated by the strategy documents' own RAG rating (no open data for this measure).",
}


def comparison_sentence(method: object, benchmark: str = "England") -> str:
    """How the home area was compared with a benchmark, in a sentence, for each engine method."""
    text = "" if method is None or pd.isna(method) else str(method)  # type: ignore[arg-type]
    template = COMPARE_SENTENCES.get(text, "Not compared with {b}: no value or no {b} figure.")
    return template.format(b=benchmark)


NOTE_COLUMNS = (
    ("reported_note", ""),  # a reported-only measure: which document, table and period
    ("england_note", "England"),
    ("region_note", "Region"),
    ("stale_note", ""),
    ("rank_note", "Rank"),
    ("trend_note", "Trend"),
)


def row_notes(row: Mapping[str, object]) -> list[str]:
    """The scorecard's notes for one measure (why a figure is blank, old or unranked), when present."""
    out = []
    for col, label in NOTE_COLUMNS:
        v = row.get(col, "")
        if isinstance(v, str) and v.strip():
            text = v.strip()
            out.append(f"{label}: {text}" if label else text[0].upper() + text[1:])
    return out


def counts_from_summary(row: Mapping[str, object]) -> dict[str, int]:
    """The same five counts from an Engine.summary row (an older engine without not_tested counts
    Higher / Lower inside not_compared, so 'not tested' is 0 there)."""

    def n(key: str) -> int:
        v = row.get(key, 0)
        return 0 if v is None or pd.isna(v) else int(v)  # type: ignore[arg-type, call-overload]

    out = {w: n(w) for w in ("better", "similar", "worse")}
    out["not tested"] = n("not_tested")
    out["not compared"] = n("not_compared")
    return out


def counts_text(counts: Mapping[str, int]) -> str:
    """'2 better, 5 similar, 1 worse, 6 not tested (placed in fifths, or higher or lower only), 6
    not compared (no value or no benchmark figure)'."""
    words = {
        "not tested": "not tested (placed in fifths, or higher or lower only)",
        "not compared": "not compared (no value or no benchmark figure)",
    }
    return ", ".join(f"{counts.get(k, 0)} {words.get(k, k)}" for k in COUNT_WORDS)


def blank_missing(df: pd.DataFrame, columns: Sequence[str], dash: str = "–") -> pd.DataFrame:
    """A display copy with these numeric columns as text: one decimal place, `dash` when missing
    (st.dataframe would print 'None')."""
    out = df.copy()
    for c in columns:
        if c in out.columns:
            out[c] = out[c].map(lambda v: num(v) or dash)
    return out


# -- tables and downloads ----------------------------------------------------------------------


def safe_name(text: str) -> str:
    """A file-name-safe slug."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "table"


CODED_NAME = re.compile(r"^(?P<what>.*?)-(?P<code>[EWSNK]\d{8})(?:-(?P<group>.+))?$")


def name_in_words(text: str, areas: Mapping[str, str], labels: Mapping[str, str]) -> str:
    """A download's file name in words: 'principle-4-E06000032-england' ->
    'luton-principle-4-against-england' (the area's name first, the group by its label; the
    pages pass codes, the reader's file never carries one)."""
    m = CODED_NAME.match(str(text))
    if not m or m["code"] not in areas:
        return safe_name(text)
    group = m["group"]
    against = ["against", labels.get(group, group)] if group else []
    return safe_name("-".join([areas[m["code"]], m["what"], *against]))


def download_name(text: str) -> str:
    """A download's file name in words for this build's areas and groups (see name_in_words)."""
    return _download_name(text, build_id())


@functools.lru_cache(maxsize=1024)
def _download_name(text: str, build: str) -> str:
    """download_name once per name and build: a page names up to ~20 downloads on every rerun
    (~0.5 ms each: the build's area names and group labels looked up each time)."""
    return name_in_words(text, ue.vocab().areas, ue.group_labels())


PHONE_TABLE = "phone-table-"  # .streamlit/focus.css: under 640 px such a table keeps 4 columns
FIT_TABLE = "fit-table-"  # .streamlit/focus.css: under 640 px such a table wraps to the width


def table(
    df: pd.DataFrame,
    key: str,
    file_name: str,
    column_config: Mapping[str, object] | None = None,
    rating_columns: Sequence[str] = (),
    height: int | str = "auto",
    csv: pd.DataFrame | None = None,
    static: bool = False,
    text: str | None = None,
) -> None:
    """A table (rating cells coloured, word always shown) with a CSV download beside it (of `csv`
    when given: the raw numbers behind a formatted display). `static`: one markdown table (`text`
    when the caller keeps it with a cached view, else static_text of `df`; an
    HTML table whose text wraps, so every column fits the screen and screen readers read it;
    ratings as words on their colours). Every page's tables are static; the scrolling grid, a
    canvas screen readers reach only through a hidden copy, is kept for a caller that needs one.
    On a phone a static table shows its first four columns (the CSV has them all), so it never
    scrolls sideways."""
    if static:
        static_table(static_text(df, rating_columns) if text is None else text, key)
    else:
        shown = no_missing_words(df, every_column=False)
        data: pd.DataFrame | object = shown
        cols = [c for c in rating_columns if c in df.columns]
        if cols and not df.empty:
            data = shown.style.map(_cell_style, subset=cols)
        config = fitted_columns(df, column_config or {})
        st.dataframe(data, hide_index=True, column_config=config, key=key, height=height)
    csv_download(df if csv is None else csv, key, file_name)


def static_table(text: str, key: str) -> None:
    """A markdown table (markdown_table's text) in a box whose key's class lets the stylesheet
    keep a phone's table to its first columns."""
    st.container(key=f"{PHONE_TABLE}{key}").markdown(text)


def rating_cell(value: object) -> str:
    """A rating's words in a markdown table, on its colour (a coloured-text directive: the word is
    always shown); other text escaped."""
    text = md_escape(str(value)).replace("\n", " ")
    word = re.split(r" \(|, ", value)[0] if isinstance(value, str) else ""
    if word not in RATING_COLOURS:
        return text
    return f':color[{text}]{{background="{RATING_COLOURS[word]}" foreground="{RATING_TEXT[word]}"}}'


NUMBER_TEXT = re.compile(r"-?[\d,]*\d(\.\d+)?%?")  # '78.6', '1,234', '-0.5', '12.3%'


def numeric_column(col: pd.Series) -> bool:
    """Whether a column holds numbers (or numbers formatted as text): those are right-aligned."""
    if pd.api.types.is_numeric_dtype(col):
        return True
    # blank cells say nothing (no_missing_words blanks a number column's gaps to '')
    shown = [text for v in col if v is not None and (text := str(v).strip())]
    return bool(shown) and all(NUMBER_TEXT.fullmatch(v) for v in shown)


def markdown_table(df: pd.DataFrame, rating_columns: Sequence[str] = ()) -> str:
    """A frame as one markdown table: headers and cells escaped, numbers right-aligned, ratings
    on their colours. One element the browser draws at once: st.table draws every cell as a
    markdown element of its own, about 1 ms a cell (bench/element_costs.py), which made a
    153-row ranking or a board's performance table the slowest part of its page."""
    cols = [str(c) for c in df.columns]
    numeric = [numeric_column(df[c]) for c in df.columns]
    rated = [c in rating_columns for c in df.columns]

    def cell(v: object, rate: bool) -> str:
        if v is None or (not isinstance(v, str) and pd.isna(v)):  # type: ignore[arg-type]
            return ""
        return rating_cell(v) if rate else md_escape(str(v)).replace("\n", " ")

    lines = ["| " + " | ".join(md_escape(c) or " " for c in cols) + " |",
             "|" + "|".join("--:" if n else "---" for n in numeric) + "|"]  # fmt: skip
    lines += [
        "| " + " | ".join(cell(v, r) for v, r in zip(row, rated, strict=True)) + " |"
        for row in df.itertuples(index=False)
    ]
    return "\n".join(lines)


def static_text(df: pd.DataFrame, rating_columns: Sequence[str] = ()) -> str:
    """A static table's markdown: missing cells blank, those of the rating columns it has on
    their colours. The one recipe for every static table, drawn now or kept per view."""
    return markdown_table(no_missing_words(df), [c for c in rating_columns if c in df.columns])


_KEPT: OrderedDict[tuple[int, Hashable], tuple[weakref.ref, object]] = OrderedDict()
_KEPT_LOCK = threading.Lock()
KEPT_MAX = 1024  # things kept at most (the least recently used goes first)
T = TypeVar("T")


def kept(source: object, how: Hashable, make: Callable[[], T]) -> T:
    """What `make` makes from `source` (given how it is made), kept while that very object lives.
    A cached view's frame or chart spec is shared, read-only and the same object on every rerun,
    so what the page draws from it is made once rather than on every rerun (the progress page's
    tables were two thirds of its CPU a rerun, bench/profile_rerun.py); an object made during a
    run is new each time, so its drawing is made afresh. What was made from an object that has
    gone (a view dropped from its cache, an old build's) is dropped at the next thing made."""
    try:
        ref = weakref.ref(source)
    except TypeError:  # an object that cannot be referred to weakly (a plain dict): made afresh
        return make()
    key = (id(source), how)
    with _KEPT_LOCK:
        held = _KEPT.get(key)
        if held is not None and held[0]() is source:  # the same object, not one at a reused id
            _KEPT.move_to_end(key)
            return held[1]  # type: ignore[return-value]
    made = make()
    with _KEPT_LOCK:
        for gone in [k for k, (r, _) in _KEPT.items() if r() is None]:
            del _KEPT[gone]
        _KEPT[key] = (ref, made)
        _KEPT.move_to_end(key)
        while len(_KEPT) > KEPT_MAX:
            _KEPT.popitem(last=False)
    return made


def no_missing_words(df: pd.DataFrame, every_column: bool = True) -> pd.DataFrame:
    """A copy whose missing cells are blank rather than the words 'None' or 'nan': in every
    column (for an HTML table), or only in text columns (a grid keeps its numbers sortable)."""
    numeric = pd.api.types.is_numeric_dtype
    cols = [c for c in df.columns if (every_column or not numeric(df[c])) and df[c].isna().any()]
    if not cols:
        return df
    out = df.copy()
    for c in cols:
        out[c] = out[c].astype(object).where(out[c].notna(), "")
    return out


FIT_PX = 780  # a grid's width at 1,280 px with the sidebar open (818 px, less its frame)
CHAR_PX, CELL_PX, MIN_PX, MAX_PX = 7.5, 26, 64, 400  # the grid's text and cell sizes, px


def fitted_columns(df: pd.DataFrame, config: Mapping[str, object]) -> dict[str, object]:
    """Column widths (px) for a grid so every column is on screen at 1,280 px: each column as
    wide as its longest text, the widest cut down to a common cap until the total fits (a cut
    cell ends in '…'; the whole text is in the cell's tooltip and the CSV)."""
    natural = {
        str(c): min(MAX_PX, max(MIN_PX, CELL_PX + CHAR_PX * max([len(str(c)), *df[c].astype(str).str.len().head(500)])))
        for c in df.columns
    }  # fmt: skip
    cap = MAX_PX
    while cap > MIN_PX and sum(min(w, cap) for w in natural.values()) > FIT_PX:
        cap -= 4
    fitted: dict[str, object] = {}
    for c, w in natural.items():
        given = config.get(c)
        base = dict(given) if isinstance(given, Mapping) else {}
        fitted[c] = {**base, "width": int(min(w, cap))}
    return fitted


# Plain CSV headers for the engine's column names; ids and method codes stay out of readers' files
PLAIN_HEADERS = {
    "title": "Measure", "unit": "Unit", "polarity": "Polarity", "period": "Period",
    "home_area": "Area code", "area_code": "Area code", "area_name": "Area", "value": "Value",
    "lower_ci": "Lower 95% limit", "upper_ci": "Upper 95% limit", "england": "England",
    "region": "Region", "group_average": "Group average", "comparator": "Comparator group",
    "rank": "Rank", "group_size": "Group size", "quartile": "Quartile",
    "vs_england": "Compared with England", "vs_region": "Compared with region",
    "vs_group": "Compared with group", "vs_home_benchmark": "Compared with benchmark",
    "trend": "Trend", "england_note": "England note", "region_note": "Region note",
    "stale_note": "Note on age of data", "rank_note": "Rank note", "trend_note": "Trend note",
    "seed_rag_england": "Strategy rating vs England", "seed_rag_region": "Strategy rating vs region",
    "seed_rag_neighbours": "Strategy rating vs neighbours", "seed_trend": "Strategy trend",
    "seed_period": "Strategy period", "source": "Source", "gap_pct": gaps.GAP_PCT_HEADER,
    "gap_words": f"{gaps.GAP_WORDS_HEADER}, in words",
    "lowest": "Worst or lowest", "highest": "Best or highest", "q25": "25th percentile",
    "q75": "75th percentile", "role": "Series", "period_start": "Period start",
    "period_end": "Period end", "category": "Category", "category_type": "Breakdown",
    "count": "Count", "worst": "Worst", "best": "Best",
    "vs_england_how": "How compared with England", "vs_region_how": "How compared with region",
    "vs_group_how": "How compared with group", "vs_home_benchmark_how": "How compared",
}  # fmt: skip
VERDICT_METHOD = re.compile(r"^vs_\w+_method$")
INTERNAL_COLUMNS = re.compile(r"(^|_)(id|method|document|is_primary|is_home|before_break)$")


# the columns that carry a measure's figures, rounded to its precision in readers' CSVs
FIGURE_COLUMNS = (
    "value", "lower_ci", "upper_ci", "england", "region", "group_average", "lowest", "highest",
    "q25", "q75", "worst", "best",
)  # fmt: skip


PRECISION_COLUMNS = ("value_type", "decimals")  # what says a row's places; not for readers


def row_places(df: pd.DataFrame) -> list[int]:
    """Each row's decimal places: its measure's `decimals` column when the frame has one, else
    its value_type's rule (lutonwb.catalogue.places, the one rule)."""
    n = len(df)
    types = df["value_type"] if "value_type" in df.columns else pd.Series([""] * n, index=df.index)
    given = df["decimals"] if "decimals" in df.columns else pd.Series([None] * n, index=df.index)
    return [places(vt, d) for vt, d in zip(types, given, strict=True)]


def to_precision(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with each row's figures rounded to its measure's precision (its `decimals`, as the
    tables show them) and the value_type and decimals columns gone; unchanged without either."""
    if not any(c in df.columns for c in PRECISION_COLUMNS):
        return df
    rows = row_places(df)
    out = df.drop(columns=[c for c in PRECISION_COLUMNS if c in df.columns])
    for c in [c for c in FIGURE_COLUMNS if c in out.columns]:
        out[c] = [
            round(float(v), p) if pd.notna(v) else None
            for v, p in zip(pd.to_numeric(out[c], errors="coerce"), rows, strict=True)
        ]
    return out


PERIOD_COLUMNS = ("period", "period_start", "period_end", "seed_period")


def plain_csv(df: pd.DataFrame) -> pd.DataFrame:
    """A reader's copy of a table: internal columns (ids, method codes, file names) dropped,
    engine column names in words, periods and dates in words ('30 September 2024'), figures to
    their measure's precision and gaps to one decimal place (others to ten significant figures
    when written, see csv_bytes)."""
    df = to_precision(df).copy()
    for c in [c for c in df.columns if VERDICT_METHOD.match(str(c))]:  # method codes in words,
        verdict = c.removesuffix("_method")  # beside the verdict they explain
        at = df.columns.get_loc(verdict) + 1 if verdict in df.columns else len(df.columns)
        df.insert(at, f"{verdict}_how", df[c].map(lambda m: METHOD_WORDS.get(m, "")))
    keep = [c for c in df.columns if not INTERNAL_COLUMNS.search(str(c))]
    out = values_in_words(df[keep].copy())
    for c in [c for c in PERIOD_COLUMNS if c in out.columns]:
        out[c] = out[c].map(lambda p: "" if p is None or pd.isna(p) else period_words(p))
    if "gap_pct" in out.columns:
        out["gap_pct"] = pd.to_numeric(out["gap_pct"], errors="coerce").round(1)
    return out.rename(columns=PLAIN_HEADERS)


ROLE_WORDS = {"england": "England", "region": "Region", "group average": "Group average"}
SEED_RAG_COLUMNS = ("seed_rag_england", "seed_rag_region", "seed_rag_neighbours")


def values_in_words(out: pd.DataFrame) -> pd.DataFrame:
    """A reader's CSV's coded values in words: polarity ('Lower is better'), the comparator group
    by its label, the strategy's R / A / G as Worse / Similar / Better, a series' role as England
    or the area's name; an area's code by its name, or dropped beside the name."""
    if "polarity" in out.columns:
        out["polarity"] = out["polarity"].map(lambda p: POLARITY_WORDS.get(p, p))
    if "comparator" in out.columns:
        labels = ue.group_labels()
        out["comparator"] = out["comparator"].map(lambda g: labels.get(g, g))
    for c in [c for c in SEED_RAG_COLUMNS if c in out.columns]:
        out[c] = out[c].map(rag_word)
    if "role" in out.columns:
        names = out["area_name"] if "area_name" in out.columns else out["role"]
        out["role"] = [
            ROLE_WORDS.get(r, n if r == "home" and n else str(r).capitalize())
            for r, n in zip(out["role"], names, strict=True)
        ]
    for c in [c for c in ("home_area", "area_code") if c in out.columns]:
        if "area_name" in out.columns:
            out = out.drop(columns=c)
        else:
            out = out.rename(columns={c: "area_name"})
            out["area_name"] = out["area_name"].map(ue.vocab().areas).fillna(out["area_name"])
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV text with numbers to ten significant figures: no float noise such as 78.67999999999999."""
    return df.to_csv(index=False, float_format="%.10g").encode("utf-8")


def csv_download(df: pd.DataFrame, key: str, file_name: str, analysts: bool = False) -> None:
    """Download button for a frame as CSV (built only when clicked): plain headers, rounded
    numbers; `analysts=True` keeps the engine's column names and ids, and says so on the button."""
    st.download_button(
        "Download for analysts (CSV with ids)" if analysts else "Download table (CSV)",
        data=lambda: csv_bytes(df if analysts else plain_csv(df)),
        file_name=f"{download_name(file_name)}.csv",
        mime="text/csv",
        key=f"csv-{key}",
        on_click="ignore",
        icon=":material/download:",
    )


PLAN_ACTION_HEADERS = {
    "board": "Board", "phase": "Phase", "workstream": "Workstream", "action": "Action",
    "outcomes": "Target outcomes", "lead": "Lead", "timescale": "Timescale", "plan": "Plan",
}  # fmt: skip


def plan_action_frame(actions: pd.DataFrame, show_board: bool = True) -> pd.DataFrame:
    """Plan actions in words: boards, target outcomes and plans by their titles, no ids."""
    cat, place = ue.catalogue(), current_place()
    cols = [c for c in PLAN_ACTION_HEADERS if c in actions.columns and (show_board or c != "board")]
    out = actions[cols].copy()
    if "board" in cols:
        out["board"] = out["board"].map(lambda b: cat.boards[b].title if b in cat.boards else b)
    if "outcomes" in cols:
        out["outcomes"] = out["outcomes"].map(
            lambda cell: "; ".join(
                cat.outcomes[o].title if o in cat.outcomes else o for o in split_list(cell)
            )
        )
    if "plan" in cols:
        out["plan"] = out["plan"].map(lambda p: place.plan_titles.get(p, p))
    return out.rename(columns=PLAN_ACTION_HEADERS)


def plan_actions(
    actions: pd.DataFrame | None,
    what: str,
    none_text: str,
    key: str,
    file_name: str,
    show_board: bool = True,
) -> None:
    """Year-plan actions (from ue.plan_actions) as a table with a CSV download beside it and a link
    to the tracker, introduced by "N actions <what>"; `none_text` when there are none. Shared by
    the board and measure pages."""
    if actions is None:
        st.write("The plan tracker's actions are not in this build yet.")
        return
    if actions.empty:
        st.write(none_text)
        return
    note(f"{len(actions)} {'action' if len(actions) == 1 else 'actions'} {what}")
    table(plan_action_frame(actions, show_board), key, file_name, static=True)
    st.page_link(link_target("pages/plan.py"), label="Open the year-plan tracker")


def chart(chart_obj: alt.TopLevelMixin | dict, caption: str, key: str, file_name: str) -> None:
    """An Altair chart (or a ready Vega-Lite spec), its caption and PNG / SVG downloads made offline.

    A dict spec skips Altair's validation and copying on every rerun (the England map's 153
    outlines are the heavy case); the image downloads are rendered only when pressed.
    """
    if isinstance(chart_obj, dict):
        spec = kept(chart_obj, "arrow", lambda: arrow_datasets(chart_obj))
        st.vega_lite_chart(spec=spec, width="stretch", key=key, alt=caption)
    else:
        st.altair_chart(chart_obj, width="stretch", key=key, alt=caption)
    note(caption)
    with st.container(horizontal=True):  # one flex row, not a block of three columns
        st.download_button(
            "Save chart (PNG)",
            data=_renderer(chart_obj, "png"),
            file_name=f"{download_name(file_name)}.png",
            mime="image/png",
            key=f"png-{key}",
            on_click="ignore",
            icon=":material/image:",
        )
        st.download_button(
            "Save chart (SVG)",
            data=_renderer(chart_obj, "svg"),
            file_name=f"{download_name(file_name)}.svg",
            mime="image/svg+xml",
            key=f"svg-{key}",
            on_click="ignore",
            icon=":material/image:",
        )


def arrow_datasets(spec: Mapping[str, object]) -> dict:
    """A copy of a spec whose tables of rows are already Arrow bytes, as st.vega_lite_chart sends
    them: it converts rows to Arrow on every call (~7 ms a chart a rerun) but passes bytes on as
    they are. GeoJSON features stay as they are, in the spec, as Streamlit leaves them."""
    from streamlit.dataframe_util import convert_anything_to_arrow_bytes

    datasets = spec.get("datasets")
    if not isinstance(datasets, Mapping):
        return dict(spec)

    def tabular(rows: object) -> bool:
        first = rows[0] if isinstance(rows, list) and rows else None
        return isinstance(first, dict) and not (
            first.get("type") == "Feature" and "geometry" in first
        )

    converted = {
        name: convert_anything_to_arrow_bytes(rows) if tabular(rows) else rows
        for name, rows in datasets.items()
    }
    return {**spec, "datasets": converted}


def _renderer(chart_obj: alt.TopLevelMixin | dict, fmt: str) -> Callable[[], bytes]:
    """Deferred vl-convert rendering: the spec is serialised and drawn only when the button is pressed."""

    def render() -> bytes:
        spec = json.dumps(chart_obj) if isinstance(chart_obj, dict) else chart_obj.to_json()
        return chart_bytes(spec, fmt)

    return render


def num(value: object, decimals: int | None = None) -> str:
    """A number for a table cell, '' when missing: `decimals` places when given, else one decimal
    place; a one-place figure from 1,000 up shows none (a rate of 6,362 per 100,000, not 6,362.0).
    Never a negative zero: -0.04 to one place is '0.0'."""
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return ""
    v = float(value)  # type: ignore[arg-type]
    if decimals is None or (decimals == 1 and abs(v) >= 1000):
        decimals = 0 if abs(v) >= 1000 else 1
    text = f"{v:,.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def with_unit(value: object, unit: str, value_type: str = "", decimals: object = None) -> str:
    """A value to its measure's precision (its `decimals`, else its value_type's rule) with its
    unit ('78.7 years', '23.4%', '£1,234'), '' when missing."""
    text = num(value, places(value_type, decimals))
    if not text or unit in ("", "count"):
        return text
    if unit == "%":
        return f"{text}%"
    return f"£{text}" if unit == "£" else f"{text} {unit}"


def _word_rag(word: object, rag: object, method: object = "") -> str:
    """'Worse, by 95% interval': the verdict and how it was reached (the cell's colour, not a
    letter, carries the rest; `rag` is kept for the callers' shape)."""
    w = "" if word is None or pd.isna(word) else str(word)  # type: ignore[arg-type]
    if not w:
        return "Not compared"
    how = METHOD_WORDS.get(str(method), "") if isinstance(method, str) else ""
    return w + (f", {how}" if how else "")


def _seed_rating(row: pd.Series) -> str:
    parts = []
    for label, col in (
        ("England", "seed_rag_england"),
        ("region", "seed_rag_region"),
        ("nearest neighbours", "seed_rag_neighbours"),
    ):
        v = row.get(col, "")
        if isinstance(v, str) and v:
            parts.append(f"{label}: {rag_word(v) or v}")
    if not parts:
        return ""
    period = row.get("seed_period", "")
    return "; ".join(parts) + (f" ({period})" if isinstance(period, str) and period else "")


def measure_label(title: object, unit: object) -> str:
    """'Life expectancy at birth, male (years)': the unit beside the name, so a table needs no
    unit column ('Average Progress 8 score', not '... score (score)': lutonwb.text.with_unit)."""
    return titled_with_unit(title, unit)  # the unit said once, never in nested brackets


def _values(sc: pd.DataFrame, col: str) -> list[str]:
    """One column of figures, each to its measure's precision (the unit is in the measure name)."""
    return [num(v, p) for v, p in zip(sc[col], row_places(sc), strict=True)]


def gap_words_column(sc: pd.DataFrame) -> list[str]:
    """Each row's gap to England in words ('12.3% worse than England'; higher / lower for a
    measure with no polarity), by the one convention of lutonwb.gaps."""
    pct = gaps.relative_gap_pct(sc["value"], sc["england"], sc["polarity"])
    return [gaps.gap_words(g, p) for g, p in zip(pct, sc["polarity"], strict=True)]


def performance_frames(
    sc: pd.DataFrame, home_name: str, group_label: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(display, csv) frames of the strategy's performance table: measure (unit), the home value
    and its verdict first (kept on a phone), then period, England, region, group, rank n of N,
    the other verdicts, trend and the strategy's own rating. group_label None: the comparator is
    England or the region, already in the table, so no group columns. Headers are short words
    ('Group average', 'Rank (1 = best)') so thirteen columns fit 1,280 px: the note above the
    table names the group and the rank's rule, the CSV names every column in full."""
    if sc.empty:
        empty = pd.DataFrame(columns=["Measure"])
        return empty, empty
    rank = [
        f"{int(r)} of {int(n)}" if pd.notna(r) and pd.notna(n) else ""
        for r, n in zip(sc["rank"], sc["group_size"], strict=False)
    ]

    def verdicts(col: str, rag: str) -> list[str]:
        methods = sc.get(f"{col}_method", pd.Series("", index=sc.index))
        return [_word_rag(*wrm) for wrm in zip(sc[col], sc[rag], methods, strict=False)]

    display = pd.DataFrame(
        {
            "Measure": [measure_label(t, u) for t, u in zip(sc["title"], sc["unit"], strict=False)],
            home_name: _values(sc, "value"),
            "vs England": verdicts("vs_england", "rag_england"),
            "Period": sc["period"].fillna("").map(period_words),
            "England": _values(sc, "england"),
            gaps.GAP_WORDS_HEADER: gap_words_column(sc),
            "Region": _values(sc, "region"),
            "vs region": verdicts("vs_region", "rag_region"),
            **(
                {
                    "Group average": _values(sc, "group_average"),
                    "vs group": verdicts("vs_group", "rag_group"),
                }
                if group_label
                else {}
            ),
            "Rank (1 = best)": rank,
            "Trend": sc["trend"].fillna(""),
            "Strategy's own rating": sc.apply(_seed_rating, axis=1),
        }
    )
    csv_cols = [
        "title", "unit", "polarity", "period", "home_area", "value", "lower_ci", "upper_ci",
        "england", "region", "group_average", "comparator", "rank", "group_size", "quartile",
        "vs_england", "vs_england_method", "vs_region", "vs_region_method", "vs_group",
        "vs_group_method", "trend", "england_note", "region_note", "stale_note",
        "rank_note", "trend_note", "seed_rag_england", "seed_rag_region", "seed_rag_neighbours",
        "seed_trend", "seed_period", "source", "value_type", "decimals",
    ]  # fmt: skip
    csv = sc[[c for c in csv_cols if c in sc.columns]].copy()
    at = csv.columns.get_loc("england") + 1 if "england" in csv.columns else len(csv.columns)
    csv.insert(at, "gap_pct", gaps.relative_gap_pct(sc["value"], sc["england"], sc["polarity"]))
    return display, csv


ROW_PX = 35  # st.dataframe's row height: a table sized to its rows never scrolls inside itself


def full_height(rows: int) -> int:
    """The height that shows every row of an st.dataframe (header included, no scroll box)."""
    return ROW_PX * (rows + 1) + 3


RATING_COLUMNS = ("vs England", "vs region", "vs group")  # the performance table's verdicts


class PerformanceView(NamedTuple):
    """One view's performance table, ready to draw: shared by every reader of the view, so
    read-only."""

    scorecard: pd.DataFrame  # the rated rows it shows
    text: str  # the markdown table
    csv: pd.DataFrame  # its CSV download's frame
    notes: tuple[str, ...]  # why a figure is blank, old or unranked, per measure


@by_build(st.cache_resource, max_entries=128, ttl=READER_TTL)  # shared, read-only
def _performance_view(
    area: str, group: str, custom: tuple[str, ...], period: str, board: str | None,
    principle: int | None, home_name: str, group_label: str | None,
) -> PerformanceView:  # fmt: skip
    sc = ue.scorecard(area, group, custom, period, board=board, principle=principle)
    display, csv = performance_frames(sc, home_name, group_label)
    text = static_text(display, RATING_COLUMNS)
    notes = tuple(
        f"{measure_label(r['title'], r['unit'])}: {'; '.join(row_notes(r))}"
        for r in sc.to_dict("records")
        if row_notes(r)
    )
    return PerformanceView(sc, text, csv, notes)


def performance_view(
    state: State, home_name: str, group_label: str | None,
    board: str | None = None, principle: int | None = None,
) -> PerformanceView:  # fmt: skip
    """The performance table of the state's view (one board's or one principle's measures),
    made once per view rather than on every rerun: formatting ~60 rows was most of a board or
    principle page's CPU per rerun (bench/profile_rerun.py). group_label None: no group
    columns (the comparator is England or the region)."""
    return _performance_view(
        state.area, state.cmp, state.custom, state.period, board, principle, home_name,
        group_label,
    )  # fmt: skip


def performance_table(view: PerformanceView, key: str, file_name: str) -> None:
    """The strategy's performance table in full: an HTML table whose text wraps, so every column
    fits 1,280 px and screen readers read it (a phone keeps measure, value and verdict first),
    rating words coloured, with a CSV download and the figures' notes below."""
    static_table(view.text, key)
    csv_download(view.csv, key, file_name)
    if view.notes:  # below the table, so the table's columns fit the screen
        with st.expander(f"Notes on {len(view.notes)} blank, old or unranked figures"):
            bullets(list(view.notes))


def choose(
    label: str, options: list, current: object, key: str, url_key: str, format_func: Callable = str
) -> None:
    """A page's own selector bound to one URL key (board, principle, measure)."""
    st.session_state[key] = current if current in options else options[0]

    def commit() -> None:
        urls.set_key(url_key, st.session_state[key], remember=True)

    st.selectbox(label, options, key=key, format_func=format_func, on_change=commit)


def open_measure(state: State, measures: Sequence[tuple[str, str]], key: str) -> None:
    """Pick one of the listed measures and open its page (carrying every current choice)."""
    if not measures:
        return
    ids = [mid for mid, _ in measures]
    titles = dict(measures)
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    with c1:
        picked = st.selectbox(
            "Open a measure", ids, key=key, format_func=lambda m: titles.get(m, m)
        )
    with c2:
        if st.button("Open measure", key=f"{key}-go"):
            st.switch_page(
                link_target(PAGE_FILES["measure"]),
                query_params=state.params_for("measure", m=picked),
            )


# -- the overview's blocks ---------------------------------------------------------------------


class HeadlineCard(NamedTuple):
    """One headline card's words, ready to draw."""

    measure_id: str
    found: bool  # False: the place names a headline measure the catalogue does not have
    title: str
    value: str  # with its unit, or 'No value'
    text: str  # title, period and benchmarks, verdict badges (markdown)


@by_build(st.cache_resource, max_entries=128, ttl=READER_TTL)  # shared, read-only
def headline_view(
    area: str, cmp: str, custom: tuple[str, ...], period: str, ids: tuple[str, ...], group: str
) -> tuple[HeadlineCard, ...]:
    """The headline cards of one view, made once rather than on every rerun (the overview's most
    costly part per rerun after its counts: bench/profile_rerun.py)."""
    by_id = ue.scorecard(area, cmp, custom, period).set_index("measure_id")
    cards = []
    for mid in ids:
        if mid not in by_id.index:
            cards.append(HeadlineCard(mid, False, "", "", ""))
            continue
        r = by_id.loc[mid]
        value = with_unit(r["value"], r["unit"], r["value_type"], r.get("decimals"))
        text = (
            f"**{md_escape(r['title'])}**\n\n{md_escape(card_line(r, cmp, group))}\n\n"
            + card_badges(r, cmp, group)
        )
        cards.append(HeadlineCard(mid, True, str(r["title"]), value or "No value", text))
    return tuple(cards)


def headline_cards(state: State, ids: Sequence[str], group: str) -> None:
    """One card per headline measure: its full title (never cut), value, the benchmarks and the
    verdicts, and a link named for the measure."""
    cards = headline_view(state.area, state.cmp, state.custom, state.period, tuple(ids), group)
    for col, card in zip(st.columns(max(len(ids), 1)), cards, strict=False):
        with col.container(border=True):
            if not card.found:
                st.write("This headline measure is not in the catalogue.")
                continue
            st.metric(card.title, card.value, label_visibility="collapsed")
            st.markdown(card.text)  # title as text above the figure: a metric label is cut
            page_link(state, "measure", f"Open {card.title}", m=card.measure_id)


RATING_COLOURS_SENTENCE = (
    "Ratings use 95% confidence intervals: better (blue), similar (amber) or worse (vermilion). A "
    "figure with no interval is placed in fifths instead (of all English upper-tier authorities, or "
    "by rank within the comparator group), shaded purple: darkest for the best fifth, lightest for "
    "the worst. Every colour has its word."
)


def is_own_group(cmp: str) -> bool:
    """Whether a comparator (its id) is a group of its own (not England or the region, which
    every view shows anyway)."""
    return cmp not in ("england", "region")


def own_group(state: State) -> bool:
    """Whether the state's comparator is a group of its own (is_own_group)."""
    return is_own_group(state.cmp)


def benchmarks_words(state: State, group: str) -> str:
    """What the place is set against, as a list in a sentence: 'England and its region', or
    'England, its region and statistical neighbours (CSSNBT 2025)' for a group of its own."""
    if own_group(state):
        return f"England, its region and {label_in_sentence(group)}"
    return "England and its region"


def rank_among(state: State, group: str) -> str:
    """Who a rank is among, in words: 'all English upper-tier authorities', 'the region's
    authorities' or the group's name."""
    return {
        "england": "all English upper-tier authorities",
        "region": "the region's authorities",
    }.get(state.cmp, label_in_sentence(group))


NO_FIGURE = "no figure"  # a benchmark the data does not publish for this measure and period


def card_line(r: Mapping[str, object], cmp: str, group: str) -> str:
    """'2023-25. England 79.7, region 80.2, Statistical neighbours average 78.1.' (each to the
    measure's precision)."""
    dp = places(r.get("value_type"), r.get("decimals"))
    text = (
        f"{r['period']}. England {num(r['england'], dp) or NO_FIGURE}, "
        f"region {num(r['region'], dp) or NO_FIGURE}"
    )
    if is_own_group(cmp):
        text += f", {label_in_sentence(group)} average {num(r['group_average'], dp) or NO_FIGURE}"
    return text + "."


def card_badges(r: Mapping[str, object], cmp: str, group: str) -> str:
    """The verdicts against England and against the chosen comparator (`cmp`, its id): the
    region when it is chosen, else a group of its own (England chosen: England's alone)."""
    out = badge_md(str(r["vs_england"] or "Not compared"), "vs England: ")
    if cmp == "region":
        out += " " + badge_md(str(r["vs_region"] or "Not compared"), "vs the region: ")
    elif is_own_group(cmp):
        out += " " + badge_md(str(r["vs_group"] or "Not compared"), f"vs {group}: ")
    return out


COUNT_HEADERS = ("Better", "Similar", "Worse", "Not tested", "Not compared")


def count_rows(summary: pd.DataFrame, titles: Mapping[object, str], what: str) -> pd.DataFrame:
    """One row per principle or board: its name, measures and the five counts (blank when none)."""
    counts = summary.set_index("key") if not summary.empty else pd.DataFrame()
    rows = []
    for k, title in titles.items():
        c = counts_from_summary(counts.loc[k].to_dict()) if k in counts.index else None
        rows.append(
            {what: title, "Measures": int(counts.loc[k, "measures"]) if c else None}
            | {h: (c[w] if c else None) for h, w in zip(COUNT_HEADERS, COUNT_WORDS, strict=True)}
        )
    return pd.DataFrame(rows).astype(dict.fromkeys(["Measures", *COUNT_HEADERS], "Int64"))


def count_markdown(rows: pd.DataFrame, what: str) -> str:
    """The counts as one markdown table (a real table for screen readers)."""
    lines = [f"| {what} | " + " | ".join(COUNT_HEADERS) + " |", "|---|" + "--:|" * 5]
    for r in rows.to_dict("records"):
        cells = [str(r[h]) if pd.notna(r[h]) else "–" for h in COUNT_HEADERS]
        lines.append(f"| {md_escape(r[what])} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def count_table(
    rows: pd.DataFrame, what: str, key: str, file_name: str, text: str | None = None
) -> None:
    """The counts as one markdown table (`text`, when already made) and its CSV download.

    One markdown element, not a grid of cards: the browser's drawing time grows with the element
    count on every open and every comparator change."""
    text = count_markdown(rows, what) if text is None else text
    st.container(key=f"{FIT_TABLE}{key}").markdown(text)  # wraps to fit a phone
    csv_download(rows, key, file_name)


def fit_table(df: pd.DataFrame, key: str, file_name: str, csv: pd.DataFrame | None = None) -> None:
    """A short table (counts, for instance) as one markdown table whose text wraps to any width,
    first column the widest, so it fits 1,280 px and a phone without scrolling sideways; screen
    readers read it as a table. Its CSV download (of `csv` when given) sits beside it."""
    cols = list(df.columns)
    align = ["--:" if pd.api.types.is_numeric_dtype(df[c]) else "---" for c in cols]

    def cell(v: object) -> str:
        return "–" if v is None or (not isinstance(v, str) and pd.isna(v)) else md_escape(str(v))  # type: ignore[arg-type]

    lines = ["| " + " | ".join(md_escape(str(c)) for c in cols) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in df.itertuples(index=False)]
    st.container(key=f"{FIT_TABLE}{key}").markdown("\n".join(lines))
    csv_download(df if csv is None else csv, key, file_name)


@by_build(st.cache_resource, max_entries=128, ttl=READER_TTL)  # shared, read-only
def counts_view(
    home: str, group: str, custom: tuple[str, ...], period: str, by: str, against: str,
    titles: tuple[tuple[object, str], ...], what: str,
) -> tuple[pd.DataFrame, str]:  # fmt: skip
    """One tab's counts (rows and their markdown), made once per view rather than every rerun."""
    rows = count_rows(ue.summary(home, group, custom, period, by, against), dict(titles), what)
    return rows, count_markdown(rows, what)


BENCHMARKS = (("vs_england", "England"), ("vs_region", "the region"), ("vs_group", ""))


def _commit_tab(widget: str, values: Mapping[str, str]) -> None:
    """on_change of a count tab set: the chosen benchmark into the URL (both tab sets follow)."""
    urls.set_key("vs", values.get(st.session_state[widget], ""), remember=True)


def count_tabs(state: State, by: str, titles: Mapping[object, str], what: str, group: str) -> None:
    """The counts against England, the region and the comparator group, side by side in tabs
    (the group's tab only when it is not England or the region itself). Only the open tab's
    counts are drawn; the open tab is the link's `vs` key, shared by the page's tab sets."""
    benchmarks = [(col, name or label_in_sentence(group)) for col, name in BENCHMARKS]
    if not own_group(state):
        benchmarks = benchmarks[:2]
    labels = [f"Against {name}" for _, name in benchmarks]
    shown = [col.removeprefix("vs_") for col, _ in benchmarks]  # england, region, group
    key = f"tabs_{by}"
    # the URL owns the view: the link's tab is open (England's when the link's is not shown)
    st.session_state[key] = (
        labels[shown.index(state.counts_vs)] if state.counts_vs in shown else labels[0]
    )
    url_values = {
        label: "" if v == "england" else v for label, v in zip(labels, shown, strict=True)
    }
    tabs = st.tabs(labels, key=key, on_change=_commit_tab, args=(key, url_values))
    for tab, (col, name) in zip(tabs, benchmarks, strict=True):
        with tab:
            if not tab.open:
                continue
            note(f"Measures better, similar or worse than {name} (95% confidence).")
            rows, text = counts_view(state.area, state.cmp, state.custom, state.period, by,
                                     col, tuple(titles.items()), what)  # fmt: skip
            bench = col.removeprefix("vs_")
            count_table(
                rows,
                what,
                f"{by}-counts-{bench}",
                f"{by}-counts-{state.area}-{state.cmp if bench == 'group' else bench}",
                text,
            )


def highlight_table(
    state: State, which: str, home: str, extra: Mapping[str, str], key: str,
    empty: str = "No measure is on this list for the area and period chosen.",
) -> None:  # fmt: skip
    """One of the overview's lists (ue.highlights: 'gaps', 'improving', 'worsening'): measure
    (unit), home value, the list's own columns (its gap, verdict or trend: what a phone keeps),
    England and period, every column visible; its CSV carries the same columns as numbers.
    `empty`: what to say when the list is empty."""
    view = highlight_view(
        state.area, state.cmp, state.custom, state.period, which, home, tuple(extra.items())
    )
    if view is None:
        st.write(empty)
        return
    static_table(view[2], key)
    csv_download(view[1], key, key)


@by_build(st.cache_resource, max_entries=128, ttl=READER_TTL)  # shared, read-only
def highlight_view(
    area: str, group: str, custom: tuple[str, ...], period: str, which: str, home: str,
    extra: tuple[tuple[str, str], ...],
) -> tuple[pd.DataFrame, pd.DataFrame, str] | None:  # fmt: skip
    """One list's (display, csv) frames and the display's markdown table, made once per view
    rather than every rerun; None when the list is empty."""
    df = ue.highlights(area, group, custom, period)[which]
    if df.empty:
        return None
    shown, csv = highlight_frames(df, home, dict(extra))
    text = static_text(shown, RATING_COLUMNS)
    return shown, csv, text


def highlight_frames(
    df: pd.DataFrame, home: str, extra: Mapping[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(display, csv) frames of one of the overview's lists."""
    shown = pd.DataFrame(
        {
            "Measure": [measure_label(t, u) for t, u in zip(df["title"], df["unit"], strict=False)],
            home: _values(df, "value"),
            **{name: df[col].map(lambda v: num(v) if isinstance(v, float) else v)
               for col, name in extra.items()},
            "England": _values(df, "england"),
            "Period": df["period"].fillna("").map(period_words),
        }
    )  # fmt: skip
    raw = to_precision(df.drop(columns=[c for c in ("trend_method",) if c in df.columns]))
    return shown, raw.rename(columns={"value": home})


def built_date(manifest: Mapping[str, object]) -> str:
    """The warehouse's build date as readers write it ('5 December 2026'), 'unknown' without one."""
    return date_words(manifest.get("built_at")) or "unknown"


@by_build(st.cache_resource, max_entries=2)  # shared, read-only
def freshness() -> tuple[str, pd.DataFrame]:
    """The overview's data freshness: a sentence (build date, files, series, newest period) and
    the latest period of every data series, made once per build rather than every rerun."""
    manifest = ue.warehouse().manifest
    summary = ue.series_summary()
    sentence = (
        f"Data built {built_date(manifest)} from {len(manifest.get('inputs', {}))} files; "
        f"{len(summary)} data series, the newest ending {pd.to_datetime(summary['last_end']).max():%B %Y}."
        if not summary.empty
        else "No series of figures is loaded."
    )
    fresh = summary.rename(
        columns={"indicator": "Indicator", "latest_period": "Latest period", "areas": "Areas"}
    )[["Indicator", "Latest period", "Areas"]]
    return sentence, fresh


# -- the measure page's blocks -----------------------------------------------------------------

POLARITY_WORDS = {
    "higher-better": "Higher is better",
    "lower-better": "Lower is better",
    "none": "No judgement (not coloured)",
}
NO_TREND_TEST = {
    "none": "No trend is tested: too few points in the recent series.",
    "reported figures only": "No trend is tested: only the strategy documents' figures exist.",
}
# Where the methods page says exactly how each is worked out (its anchors)
TREND_RULE, COMPARISON_RULE, GAP_TREND_RULE = (
    "rule-trend",
    "rule-significance",
    "progress-gap-trend",
)
COMPARISON_RULES = {  # a comparison method -> its own section, where it has one
    "quintile": "rule-quintile", "ci (computed)": "rule-computed", "reported": "rule-reported",
}  # fmt: skip


def trend_words(trend: object, method: object, n_points: object = 5) -> str:
    """How the trend was judged, in plain words ('Trend over the last 5 points, tested at 95%
    confidence.'); the engine's method code and the exact statistics are never shown here (the
    methods page has them)."""
    code = method if isinstance(method, str) else ""
    if trend == "Not applicable":
        return f"No trend is judged for this measure: {code or 'the catalogue says so'}."
    plain = trend_plain(code, n_points) if code != "none" else ""
    if not plain:
        return NO_TREND_TEST.get(code, NO_TREND_TEST["none"])
    return f"{plain[0].upper()}{plain[1:]}."


def linked_sentence(text: str, link: str) -> str:
    """A plain sentence (escaped) with a markdown link in brackets before its full stop."""
    return f"{md_escape(text.rstrip().removesuffix('.'))} ({link})."


def methods_link(state: State, anchor: str, label: str, **opened: object) -> str:
    """A markdown link to a section of the methods page, carrying the view's choices (and
    `opened`: the lazy section it points at, by its URL key, open)."""
    url = share_link(state, "methods", **opened).replace(")", "%29")
    return f"[{md_escape(label)}]({url}#{anchor})"


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def overall_outcome(cat: Catalogue) -> str:
    """What a measure tied to no one principle is (catalogue.yaml: `principles: []` marks an
    overall outcome, such as life expectancy, that every principle works toward)."""
    n = len(cat.principles)
    count = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    return f"An overall outcome of all {count} Marmot principles"


def principles_words(m: Measure, cat: Catalogue) -> str:
    """A measure's Marmot principles by number and short title, or that it is an overall outcome."""
    named = [f"{n}. {cat.principles[n].short_title}" for n in m.principles if n in cat.principles]
    return ", ".join(named) or overall_outcome(cat)


NO_BOARD = "No board follows this measure"


def catalogue_rows(found: Sequence[Measure], cat: Catalogue) -> pd.DataFrame:
    """The methods page's catalogue: one row per measure in readers' words (no ids)."""
    return pd.DataFrame(
        [
            {
                "Title": m.title,
                "Unit": m.unit,
                "Polarity": POLARITY_WORDS.get(m.polarity, m.polarity),
                "Principles": ", ".join(str(n) for n in m.principles) or "All (overall outcome)",
                "Boards": ", ".join(cat.boards[b].title for b in m.boards if b in cat.boards),
                "Headline": "Yes" if m.headline else "",
                "Data": "Reported figures only" if m.reported_only else "Open data",
                "Source": m.source,
            }
            for m in found
        ]
    )


def missing_rows(cat: Catalogue) -> pd.DataFrame:
    """The measures without open data or with a caveat, and why (the catalogue's note)."""
    return pd.DataFrame(
        [
            {"Title": m.title, "Why": sentence(m.status_note)}
            for m in cat.measures.values()
            if m.status_note
        ]
    )


def about_measure(m: Measure, cat: Catalogue, used: str, others: Sequence[str]) -> dict[str, str]:
    """The measure's facts for its field table: unit, polarity, sources, principles, boards."""
    boards = [cat.boards[b].title for b in m.boards if b in cat.boards]
    return {
        "Unit": m.unit,
        "Polarity": POLARITY_WORDS.get(m.polarity, m.polarity),
        "Source": used,
        **({"Other sources we hold for it": "; ".join(others)} if others else {}),
        "Licence": m.licence,
        "Marmot principles": principles_words(m, cat),
        "Boards": ", ".join(boards) or NO_BOARD,
        "Headline measure": "Yes" if m.headline else "No",
    }


def latest_figures(
    r: Mapping[str, object], m: Measure, home: str, group: str, state: State
) -> None:
    """The home value beside England, the region, the group and its rank, the interval, the
    scorecard's notes, the verdicts (word beside colour) and how each was judged."""
    st.header(f"{home}, {r['period']}", anchor="latest")
    dp = m.places
    c = st.columns(5 if own_group(state) else 4)
    c[0].metric(home, with_unit(r["value"], m.unit, m.value_type, m.decimals))
    c[1].metric("England", num(r["england"], dp) or NO_FIGURE.capitalize())
    c[2].metric("Region", num(r["region"], dp) or NO_FIGURE.capitalize())
    if own_group(state):  # England and the region have their own figures already
        c[3].metric(f"{group} average", num(r["group_average"], dp) or NO_FIGURE.capitalize())
    rank, size = r["rank"], r["group_size"]
    c[-1].metric(
        "Rank (1 = highest)" if m.polarity == "none" else "Rank (1 = best)",
        f"{int(rank)} of {int(size)}" if pd.notna(rank) else "Not ranked",  # type: ignore[arg-type, call-overload]
    )
    if pd.notna(r["lower_ci"]):  # type: ignore[arg-type]
        note(
            f"95% confidence interval {num(r['lower_ci'], dp)} to {num(r['upper_ci'], dp)} {m.unit}."
        )
    gap = gaps.gap_words(gaps.relative_gap_pct(r["value"], r["england"], m.polarity), m.polarity)
    if gap:
        st.markdown(f"Gap to England: **{gap}**.")  # our own words and digits: nothing to escape
    bullets(row_notes(r))
    badges = [badge_md(str(r["vs_england"] or "Not compared"), "vs England: ")]
    badges.append(badge_md(str(r["vs_region"] or "Not compared"), "vs region: "))
    if own_group(state):
        badges.append(badge_md(str(r["vs_group"] or "Not compared"), f"vs {group}: "))
    st.markdown(" ".join([*badges, md_escape(f"Trend: {r['trend']}")]))
    rule = COMPARISON_RULES.get(str(r["vs_england_method"]), COMPARISON_RULE)
    how = methods_link(state, rule, "how comparisons are made")
    trend = trend_words(r["trend"], r["trend_method"], r.get("n_points"))
    rule = methods_link(state, TREND_RULE, "how the trend is tested")
    compared = comparison_sentence(r["vs_england_method"])
    st.markdown(f"{linked_sentence(compared, how)} {linked_sentence(trend, rule)}")
    on = series_words(r.get("series"))
    if on:
        note(f"These figures and verdicts are on one data series: {on}.")


def series_words(series_id: object) -> str:
    """The data series a measure's figures come from, as its publisher names it, with the years
    it covers ('Fuel poverty (low income low energy efficiency), % of households, 2019 to 2022');
    '' for a measure with no open series. From the warehouse, never typed."""
    summary = ue.series_summary()
    row = summary[summary["series"] == series_id] if isinstance(series_id, str) else summary[:0]
    if row.empty:
        return ""
    r = row.iloc[0]
    first, last = pd.to_datetime(r["first_start"]).year, r["latest_period"]
    span = str(last) if str(first) == str(last) else f"{first} to {period_words(last)}"
    return f"{r['indicator']}, {span}"


def ranked_table(
    gv: pd.DataFrame, m: Measure, key: str, file_name: str, benchmark: str = "group average"
) -> None:
    """The group's authorities ranked, as a wrapping table (every name whole at 1,280 px; a phone
    keeps area, value, verdict and rank): name, value to the measure's precision, the verdict
    against the named benchmark (England, or the group average), rank, limits and period; the
    CSV has the same rows as numbers."""
    dp = m.places
    verdict = f"vs {benchmark}"
    shown = pd.DataFrame(
        {
            "Area": gv["area_name"],
            f"Value ({unit_words(m.unit)})": gv["value"].map(lambda v: num(v, dp) or "–"),
            verdict: gv["vs_home_benchmark"].fillna("Not compared"),
            "Rank": gv["rank"].map(lambda v: "–" if pd.isna(v) else str(int(v))),
            "Lower 95% limit": gv["lower_ci"].map(lambda v: num(v, dp) or "–"),
            "Upper 95% limit": gv["upper_ci"].map(lambda v: num(v, dp) or "–"),
            "Period": gv["period"],
        }
    )
    csv = gv[["area_name", "area_code", "period", "value", "lower_ci", "upper_ci", "rank", "vs_home_benchmark"]]  # fmt: skip
    csv = csv.assign(decimals=dp)  # the CSV's figures to the same places (the column is dropped)
    table(shown, key, file_name, rating_columns=[verdict], csv=csv, static=True)


def breakdown_table(bd: pd.DataFrame, m: Measure, key: str, file_name: str) -> None:
    """The home area by sex, age or category with England beside it (no raw columns, no flags),
    as a wrapping table: the group, value, verdict against England and England's value first
    (what a phone keeps), then period and limits; the CSV has the same rows as numbers."""
    dp = m.places
    wanted = ["period", "sex", "age", "category_type", "category", "value", "lower_ci", "upper_ci"]
    bd = bd.reindex(columns=list(dict.fromkeys([*wanted, "england", "vs_england", *bd.columns])))
    parts = [bd["sex"], bd["age"], bd["category_type"].fillna("") + " " + bd["category"].fillna("")]
    group = [", ".join(str(p).strip() for p in row if pd.notna(p) and str(p).strip())
             for row in zip(*parts, strict=True)]  # fmt: skip
    shown = pd.DataFrame(
        {
            "Group": group,
            f"Value ({unit_words(m.unit)})": bd["value"].map(lambda v: num(v, dp) or "–"),
            "vs England": bd["vs_england"].fillna("Not compared"),
            "England": bd["england"].map(lambda v: num(v, dp) or "–"),
            "Period": bd["period"],
            "Lower 95% limit": bd["lower_ci"].map(lambda v: num(v, dp) or "–"),
            "Upper 95% limit": bd["upper_ci"].map(lambda v: num(v, dp) or "–"),
        }
    )
    shown = shown[[c for c in shown.columns if (shown[c] != "").any()]]  # no empty columns
    csv = bd.rename(columns={"sex": "Sex", "age": "Age"}).assign(decimals=dp)
    table(shown, key, file_name, rating_columns=["vs England"], csv=csv, static=True)


REPORTED_HEADERS = {  # area, value, verdict and period first: what a phone keeps
    "area": "Area", "value_text": "Value as printed", "rag_england": "Rating vs England",
    "period": "Period", "rag_region": "Rating vs region", "rag_neighbours": "Rating vs neighbours",
    "rank_text": "Rank as printed", "trend": "Trend as printed", "questionable": "Questionable",
    "note": "Note", "table": "Table", "document": "Document", "section": "Section",
}  # fmt: skip


def reported_frame(rows: pd.DataFrame, titles: Mapping[str, str]) -> pd.DataFrame:
    """The strategy documents' figures for one measure in words: each document by its title, the
    section without its file number, ratings as words, 'Questionable' as Yes or blank, and each
    figure once."""
    out = rows[[c for c in REPORTED_HEADERS if c in rows.columns]].copy()
    out["document"] = out["document"].map(lambda d: titles.get(d, "a strategy document"))
    out["section"] = out["section"].map(section_words)
    for col in ("rag_england", "rag_region", "rag_neighbours"):
        out[col] = out[col].map(rag_word)
    out["questionable"] = out["questionable"].map(
        lambda q: "Yes" if pd.notna(q) and bool(q) else ""
    )
    blank = out.isna() | (out.astype(str).apply(lambda c: c.str.strip()) == "")
    out = out.loc[:, ~blank.all()]  # no column that is empty for every figure
    return out.drop_duplicates().rename(columns=REPORTED_HEADERS)


REPORTED_ALSO = {  # the columns a compact table says in one, each with its words
    "Rank as printed": "rank {}", "Trend as printed": "trend: {}", "Rating vs region": "vs region: {}",
    "Rating vs neighbours": "vs neighbours: {}", "Note": "{}",
    "Questionable": "questionable, not used for ratings",
}  # fmt: skip
REPORTED_WHERE = {"Document": "{}", "Section": "{}", "Table": "table: {}"}


def reported_shown(frame: pd.DataFrame) -> pd.DataFrame:
    """The strategy documents' figures (a `reported_frame`) compact enough to wrap at 1,280 px:
    area, value, the rating against England and period (what a phone keeps), then everything
    else printed beside the figure in one column and where it was printed in another; the CSV
    keeps every column apart."""

    def joined(row: pd.Series, words: Mapping[str, str], sep: str) -> str:
        return sep.join(w.format(row[c]) for c, w in words.items() if c in row and str(row[c]))

    out = frame.copy()
    if any(c in out for c in REPORTED_ALSO):
        out["Also printed"] = out.apply(lambda r: joined(r, REPORTED_ALSO, "; "), axis=1)
    out["Printed in"] = out.apply(lambda r: joined(r, REPORTED_WHERE, ", "), axis=1)
    out = out.drop(columns=[c for c in [*REPORTED_ALSO, *REPORTED_WHERE] if c in out])
    first = [c for c in ("Area", "Value as printed", "Rating vs England", "Period") if c in out]
    return out[[*first, *[c for c in out.columns if c not in first]]]


def spine_frames(rows: pd.DataFrame, home: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(display, csv) of the figures beside each spine row, as Fingertips prints them: the count
    of events behind the home value, the home value, England, the worst, the middle half's range
    and the best, each to its measure's precision, and the period. The count is blank where the
    data has none; a table whose rows have no count at all has no Count column (in the CSV too)."""
    placed = spine_positions(rows)
    counted = "count" in placed.columns and bool(placed["count"].notna().any())
    lo, hi = _values(placed, "q25"), _values(placed, "q75")
    display = pd.DataFrame(
        {
            "Measure": [measure_label(t, u) for t, u in zip(placed["title"], placed["unit"], strict=False)],
            **({"Count": [num(c, 0) for c in placed["count"]]} if counted else {}),
            home: _values(placed, "value"),
            "England": _values(placed, "england"),
            "Worst": _values(placed, "worst"),
            "Range (25th to 75th percentile)": [f"{a} to {b}" if a and b else "" for a, b in zip(lo, hi, strict=True)],
            "Best": _values(placed, "best"),
            "Period": placed["period"].fillna("").map(period_words),
        }
    )  # fmt: skip
    cols = ["title", "unit", "period", *(["count"] if counted else []), "value", "england", "worst"]
    cols += ["q25", "q75", "best", *[c for c in PRECISION_COLUMNS if c in placed.columns]]
    csv = to_precision(placed[cols]).rename(columns={"value": home})
    return display, csv


def spine_table(rows: pd.DataFrame, home: str, key: str, file_name: str) -> None:
    """The spine chart's figures as a wrapping HTML table (every column on screen) with a CSV."""
    display, csv = spine_frames(rows, home)
    table(display, key, file_name, csv=csv, static=True)


def glossary_note(texts: Sequence[str], state: State) -> None:
    """The glossary's words these texts use, each with its meaning, and a link to the methods
    page's whole glossary (nothing when they use none, or the glossary cannot be read)."""
    from lutonwb import glossary

    try:
        terms = glossary.terms_in(texts)
    except glossary.GlossaryError:
        return
    if terms:
        words = "; ".join(f"{md_escape(t)}: {md_escape(m)}" for t, m in terms.items())
        link = methods_link(state, "glossary", "all words and abbreviations", glossary=True)
        st.markdown(f"Words used here: {words} ({link}).")


def glossary_table(texts: Sequence[str] | None, key: str) -> None:
    """The words and abbreviations explained: all of them (`texts` None) or those the texts use,
    as a table with its CSV; a malformed glossary file shows its error, not a traceback."""
    from lutonwb import glossary

    try:
        terms = glossary.glossary() if texts is None else glossary.terms_in(texts)
    except glossary.GlossaryError as e:
        st.warning(f"The glossary could not be read: {e}")
        return
    if not terms:
        st.write("No abbreviations to explain here.")
        return
    rows = pd.DataFrame({"Word or abbreviation": list(terms), "Meaning": list(terms.values())})
    table(rows, key, f"{key}-{current_place().name}", static=True)
