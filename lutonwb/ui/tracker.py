"""Streamlit side of the year-plan tracker: cached store, editor sign-in, and the page's sections.

Reading needs no account. Edit controls are drawn only for a signed-in editor, and the save
itself goes through lutonwb.tracker.service.save_status, which refuses anyone else.
Notes and other free text are drawn with st.text (never as Markdown or HTML).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from lutonwb import config
from lutonwb.text import split_list
from lutonwb.tracker import auth, views
from lutonwb.tracker.model import (
    MAX_NOTE,
    SHOWN_STATUSES,
    STATUSES,
    ConflictError,
    NotSignedIn,
    Update,
    note_too_long,
    status_label,
)
from lutonwb.tracker.service import save_status
from lutonwb.tracker.store import Store, StoreBusy, open_store
from lutonwb.ui import sections, urls
from lutonwb.ui.data import READER_TTL, by_build, warehouse
from lutonwb.ui.state import params_of, parse_url
from lutonwb.ui.widgets import kept, note, safe_name, static_text, table

EDITOR_KEY = "tracker_editor"
FLASH_KEY = "tracker_flash"
NOTE_KEY = "edit_note"
CLEAR_NOTE_KEY = "tracker_clear_note"
BUSY_WAIT = 5.0  # seconds one store operation may wait for a busy store before saying so
BUSY = "the store is busy, your note is kept. Save again in a moment."
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: str) -> str:
    """Text safe inside st.markdown: every Markdown/HTML character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


# -- configuration ------------------------------------------------------------------------------


def _secrets() -> Mapping:
    """st.secrets, or {} when there is no secrets file (reading must work without one)."""
    try:
        return {k: st.secrets[k] for k in st.secrets}
    except Exception:  # noqa: BLE001 (no secrets.toml: a normal, public read-only set-up)
        return {}


def database_url() -> str | None:
    """LUTONWB_DATABASE_URL, else st.secrets['database_url'], else None (DuckDB file)."""
    return config.database_url() or (str(_secrets().get("database_url") or "") or None)


@st.cache_resource(show_spinner=False, max_entries=4)
def _store(url: str | None, path: str, wait: float) -> Store:
    return open_store(url, Path(path), wait)


def store() -> Store:
    """One store per process for this configuration (a busy store answers within BUSY_WAIT)."""
    return _store(database_url(), str(config.tracker_path()), BUSY_WAIT)


def latest_updates(st_store: Store) -> dict[str, Update]:
    """Every action's latest update; {} with a notice when the store is busy (the page still
    shows the plan)."""
    try:
        return st_store.latest()
    except StoreBusy:
        st.warning(
            "Statuses could not be read just now (the store is busy); reload in a moment. "
            "The actions below show no status until then."
        )
        return {}


def oidc_configured() -> bool:
    """st.login is used when the secrets have an [auth] section."""
    return "auth" in _secrets()


@st.cache_resource(show_spinner=False, max_entries=2)
def _editors_from_file(path: str, mtime: float) -> dict[str, auth.Editor]:
    return auth.editors_from_file(Path(path))


def editors() -> dict[str, auth.Editor]:
    """Editor accounts from LUTONWB_EDITORS_FILE, else the [editors] table of the secrets."""
    path = auth.editors_file_from_env()
    if path is not None:
        return _editors_from_file(str(path), path.stat().st_mtime if path.exists() else 0.0)
    table = _secrets().get("editors")
    return auth.editors_from_mapping(table) if table else {}


def current_editor() -> auth.Editor | None:
    """The signed-in editor for this browser session, or None."""
    if oidc_configured():
        user = getattr(st, "user", None)
        if user is None or not user.get("is_logged_in"):
            return None
        email = str(user.get("email") or "")
        allowed = list(_secrets().get("tracker", {}).get("editor_emails", []))
        if allowed and email.lower() not in {a.lower() for a in allowed}:
            return None
        return auth.Editor(
            email or str(user.get("sub")), str(user.get("name") or email), via="oidc"
        )
    ed = st.session_state.get(EDITOR_KEY)
    return ed if isinstance(ed, auth.Editor) else None


def accounts_now() -> dict[str, auth.Editor] | None:
    """The password accounts configured now, checked on every write (None under single sign-on,
    whose allowed list current_editor applies on every run)."""
    return None if oidc_configured() else editors()


@st.cache_resource(show_spinner=False)
def _throttle() -> auth.Throttle:
    """Failed sign-ins counted across every session of this process."""
    return auth.Throttle()


def client_address() -> str:
    """The reader's address: the connecting one, or the one a local proxy reports for it."""
    ip = str(getattr(st.context, "ip_address", None) or "")
    try:
        behind_proxy = not ip or ipaddress.ip_address(ip).is_loopback
    except ValueError:
        behind_proxy = False
    if behind_proxy:
        headers = st.context.headers
        forwarded = str(headers.get("X-Forwarded-For") or "").split(",")[-1].strip()
        ip = str(headers.get("X-Real-IP") or "").strip() or forwarded or ip
    return ip or "unknown"


# -- data ---------------------------------------------------------------------------------------


@by_build(st.cache_resource, max_entries=2)  # shared, read-only
def _catalogue() -> tuple[views.Choices, dict[str, views.MeasureLink]]:
    return views.catalogue_bits(config.catalogue_path())


@by_build(st.cache_resource, max_entries=2)  # shared, read-only
def _plan() -> tuple[pd.DataFrame, pd.DataFrame]:
    wh = warehouse()
    return wh.plan_actions(), wh.plan_phases()


def load() -> tuple[pd.DataFrame, pd.DataFrame, views.Choices, dict[str, views.MeasureLink]]:
    """Plan actions and phases from the warehouse; choices and measures from the catalogue
    (shared by every session: read-only)."""
    actions, phases = _plan()
    choices, measures = _catalogue()
    choices = views.Choices(
        choices.boards, choices.outcomes, choices.principles, frozenset(actions["action_id"])
    )
    return actions, phases, choices, measures


@dataclass(frozen=True, eq=False)
class Statuses:
    """Every action's latest update as read on this rerun, with the stamp of their content
    (views.updates_stamp): the caches below hash the stamp alone, never every update."""

    latest: Mapping[str, Update]
    stamp: str


BY_STAMP = {Statuses: lambda s: s.stamp}  # the caches' hash_funcs: a Statuses is its stamp


# shared, read-only
@by_build(st.cache_resource, max_entries=4, ttl=READER_TTL, hash_funcs=BY_STAMP)
def _status_table(statuses: Statuses) -> pd.DataFrame:
    """Every action with its current status, once per state of the store (the latest one and,
    while readers' reruns catch up, a few before it)."""
    actions, _, _, measures = load()
    return views.actions_with_status(actions, statuses.latest, measures)


# shared, read-only
@by_build(st.cache_resource, max_entries=64, ttl=READER_TTL, hash_funcs=BY_STAMP)
def _plan_view(statuses: Statuses, sel: views.Selection) -> views.PlanView:
    """One view per state of the store and selection (a new grouping reuses the status table)."""
    _, _, choices, _ = load()
    return views.plan_view(_status_table(statuses), sel, choices)


def plan_view(latest: Mapping[str, Update], sel: views.Selection) -> views.PlanView:
    """The page's view of these statuses for the selection's filters and grouping, worked out
    once per state of the store and selection rather than on every rerun (the status table, its
    counts and groups were most of the page's CPU a rerun: bench/profile_rerun.py). The store is
    still read on every rerun, so a status another server saved shows on the next one."""
    statuses = Statuses(latest, views.updates_stamp(latest))
    return _plan_view(statuses, views.filters_of(sel))


# -- URL state ----------------------------------------------------------------------------------


def read_selection(choices: views.Choices) -> views.Selection:
    """Selection from the URL (the registry's plan keys); bad values get a short notice and fall
    back to defaults."""
    values, notices = parse_url(params_of("plan"), urls.current(), choices)
    notices += urls.carry_comparator()[1]  # the reader's comparator, kept for the next page
    for n in notices:
        st.warning(n, icon="⚠️")
    return views.Selection(**values)


def write_selection(sel: views.Selection) -> None:
    """Write the selection back to the URL, leaving other pages' keys alone."""
    urls.write("plan", views.to_params(sel))


def filters(sel: views.Selection, choices: views.Choices) -> views.Selection:
    """The filter widgets, started from the URL selection; returns the new selection."""
    boards = [""] + list(choices.boards)
    outcomes = [""] + list(choices.outcomes)
    principles = [None, *choices.principles]
    c1, c2, c3 = st.columns(3)
    board = c1.selectbox(
        "Board", boards, index=boards.index(sel.board), key="plan_board",
        format_func=lambda b: choices.boards.get(b, "All boards"),
    )  # fmt: skip
    status = c2.selectbox(
        "Status", ["", *SHOWN_STATUSES], index=["", *SHOWN_STATUSES].index(sel.status), key="plan_status",
        format_func=lambda s: status_label(s) if s else "Any status",
    )  # fmt: skip
    plan = c3.selectbox(
        "Plan", ["", *views.plans()], index=["", *views.plans()].index(sel.plan), key="plan_plan",
        format_func=lambda p: views.plans().get(p, "Both plans"),
    )  # fmt: skip
    c4, c5, c6 = st.columns(3)
    outcome = c4.selectbox(
        "2040 target outcome", outcomes, index=outcomes.index(sel.outcome), key="plan_outcome",
        format_func=lambda o: choices.outcomes.get(o, "Any outcome"),
    )  # fmt: skip
    principle = c5.selectbox(
        "Marmot principle", principles, index=principles.index(sel.principle), key="plan_principle",
        format_func=lambda p: f"{p}. {choices.principles[p]}" if p else "Any principle",
    )  # fmt: skip
    q = c6.text_input("Search actions", value=sel.q, key="plan_q", max_chars=100)
    return replace(
        sel, board=board, status=status, outcome=outcome, principle=principle, plan=plan,
        q=q.strip(),
    )  # fmt: skip


# -- sections -----------------------------------------------------------------------------------


def status_counts(view: views.PlanView) -> None:
    """Counts by status per board (a table: numbers with words, no colour-only meaning)."""
    st.header("Status by board")
    # a short table of numbers: static, so every column is on screen at 1,280 px; the total comes
    # second on screen, so a phone (which keeps the first columns) always shows it
    counts = view.counts
    text = kept(counts, "plan-counts", lambda: static_text(_total_second(counts)))
    table(counts, "plan_counts", "plan-status-by-board", static=True, text=text)


def _total_second(counts: pd.DataFrame) -> pd.DataFrame:
    """The counts as shown: the board, its total, then each status."""
    return counts[["Board", "Total", *[c for c in counts.columns if c not in ("Board", "Total")]]]


@st.cache_data(show_spinner=False, max_entries=64, ttl=READER_TTL)
def _timeline_spec(counts: pd.DataFrame) -> dict:
    """The phase chart as a finished Vega-Lite spec, built once per distinct count table
    (building and validating the Altair chart took tens of milliseconds on every rerun).

    One bar per phase and board, rows in phase order then board: each row is labelled with its
    phase and board and each bar with its count, so colour (by board) is never the only cue. The
    height is the plot's own (fit to the width only), so the bars always have room."""
    import altair as alt

    from lutonwb.ui.charts import FIT_WIDTH, chart_title, row_axis, rows_height, spec_of

    df = counts.sort_values(["order", "board_title"]).assign(
        row=lambda d: d["phase"].astype(str) + ": " + d["board_title"].astype(str),
        words=lambda d: d["row"] + ", " + d["actions"].astype(str) + " actions",
    )
    y = alt.Y("row:N", sort=list(df["row"]), title=None, axis=row_axis())
    x = alt.X("actions:Q", title="Actions", axis=alt.Axis(tickMinStep=1))
    base = alt.Chart(df).encode(y=y, x=x)
    bars = base.mark_bar().encode(
        color=alt.Color("board_title:N", legend=None, scale=alt.Scale(scheme="tableau10")),
        description="words:N",  # what a screen reader says: words, never field names
        tooltip=[alt.Tooltip("phase:N", title="Plan phase"),
                 alt.Tooltip("board_title:N", title="Board"),
                 alt.Tooltip("actions:Q", title="Actions")],
    )  # fmt: skip
    counts_text = base.mark_text(align="left", dx=3, color="#000000", aria=False).encode(
        text="actions:Q"
    )
    chart = (bars + counts_text).properties(
        title=chart_title("Actions per plan phase and board"),
        height=rows_height(len(df), df["row"]),
        autosize=FIT_WIDTH,
    )
    return spec_of(chart)


def timeline(view: views.PlanView, phases: pd.DataFrame, is_open: bool) -> None:
    """The plan phases in order: the chart of the actions per phase and board (drawn only while
    open: the `timeline` key; a chart is the page's costliest element to draw) and the expected
    outcomes of each phase."""
    st.header("Timeline of the plan phases")
    note(
        "Five-year plan: Year 1, Years 2-3, Years 4-5 (one-year review, Appendix 1); the refreshed "
        "2024-25 plan (section 6) replaces the Years 2-3 actions for year 2."
    )
    counts = view.phases
    if counts.empty:
        st.info("No actions match the filters.")
        return

    def draw() -> None:
        st.vega_lite_chart(
            _timeline_spec(counts), width="stretch", key="plan_timeline",
            alt="A bar per plan phase and board, in phase order, counting the actions in the selection.",
        )  # fmt: skip

    sections.section("", "timeline", "Chart of the actions per phase and board", "timeline",
                     is_open, draw, remember=False)  # fmt: skip
    sections.expander(
        "Expected outcomes per phase (five-year plan)", "plan_open_outcomes",
        lambda: _expected_outcomes(phases),
    )  # fmt: skip


def _expected_outcomes(phases: pd.DataFrame) -> None:
    """The five-year plan's expected outcomes, phase by phase and by stage of life."""
    for phase in views.phase_order()[1:]:
        sub = phases[phases["phase"] == phase]
        if sub.empty:
            continue
        st.markdown(f"**{phase}**")
        for lc, rows in sub.groupby("life_course", sort=False):
            title = {"start": "Start well", "live": "Live well", "age": "Age well"}[lc]
            st.text(f"{title}: " + "; ".join(rows["expected_outcome"]))


# on screen: the action, its status, when it was last updated and its phase first (what a phone
# keeps); the CSV keeps its own order
GROUP_SHOWN = ("Action", "Status", "Last update", "Phase", "Workstream", "Timescale")


def grouped(view: views.PlanView) -> None:
    """Actions under headings for the view's grouping, each heading's table made once per view."""
    for n, (heading, rows) in enumerate(view.groups):

        def draw(rows: pd.DataFrame = rows, n: int = n, heading: str = heading) -> None:
            text = kept(rows, "plan-group", lambda: static_text(rows[list(GROUP_SHOWN)]))
            table(rows, f"plan_group_{n}", f"plan-actions-{safe_name(heading)}", static=True,
                  text=text)  # fmt: skip

        # drawn only while open: every group's table on every run made /plan the slowest page
        sections.expander(f"{heading} ({len(rows)})", f"plan_open_{safe_name(heading)}", draw,
                          expanded=len(view.groups) == 1)  # fmt: skip


def recently_changed(view: views.PlanView) -> None:
    """The actions whose status editors changed most recently (a table; none → a short line)."""
    st.header("Recently changed")
    recent = view.recent
    if recent.empty:
        note("No editor has reported a status for these actions yet.")
        return
    note(f"Last status update: {recent['Updated'].iloc[0]}.")  # newest first
    text = kept(recent, "plan-recent", lambda: static_text(recent))
    # four columns: all kept on a phone
    table(recent, "plan_recent", "plan-recently-changed", static=True, text=text)


def _facts(row: Mapping, choices: views.Choices) -> dict[str, str]:
    """The plain facts of one action, by label."""
    return {
        "Board": choices.boards.get(row["board"], row["board"]),
        "Priority": row["priority"],
        "Workstream": row["workstream"],
        "2040 target outcomes": "; ".join(
            choices.outcomes.get(o, o) for o in split_list(row["outcomes"])
        ),
        "Lead": row["lead"] or "not stated",
        "Timescale": row["timescale"] or "not stated",
        "Plan and phase": f"{views.plans().get(row['plan'], row['plan'])}, {row['phase']}",
        "Source": f"{views.source_title(row)}, {row['section']}",
    }


def _review_text(row: Mapping) -> None:
    """What the plan's review said about the action, with the review's title as its source."""
    text = str(row["review_progress"] or "")
    if not text:
        return
    if views.review_note(row):
        st.markdown("**Progress reported in the review**")
    else:
        st.markdown("**How the review revised this action**")
    st.text(text)
    note(f"Source: {views.source_title(row)}.")


def _history(action_id: str, st_store: Store) -> list[Update] | None:
    """One action's updates, oldest first; None (with a notice) when the store is busy."""
    try:
        return st_store.history(action_id)
    except StoreBusy:
        st.warning(
            "The history of this action could not be read just now (the store is busy). "
            "Reload in a moment."
        )
        return None


def action_detail(
    row: Mapping, choices: views.Choices, measures: Mapping[str, views.MeasureLink], st_store: Store
) -> None:
    """One action: its text, targets, progress, linked measures, history and (for editors) the edit form."""
    st.subheader("Action")
    st.text(row["action"])
    for k, v in _facts(row, choices).items():
        st.text(f"{k}: {v}")
    _review_text(row)
    links = views.linked_measures(row, measures)
    st.markdown("**Measures this action aims to move**")
    if links:
        # plain relative links: they work from /plan in the app and under AppTest alike; each
        # carries the reader's comparator, as every page's links do
        kept = urls.carried()
        st.markdown(
            "\n".join(
                f"- [{md_escape(m.title)}](measure?{urlencode({'m': m.id, **kept}, safe=',')})"
                for m in links
            )
        )
    else:
        note("The plan data links no catalogue measure to this action.")
    history = _history(row["action_id"], st_store)
    current = history[-1] if history else None
    status_now = current.status_after if current else row["status"]
    st.markdown(f"**Current status: {md_escape(status_label(status_now))}**")
    editor = current_editor()
    if editor is not None:
        # a busy store keeps the version the editor was last shown, and the form (and its note)
        seen = st.session_state.get(_seen_key(row["action_id"]), 0)
        seen_now = current.seq if current else (0 if history is not None else seen)
        edit_form(row["action_id"], seen_now, status_now, editor, st_store)
        if history is not None:  # re-read: a refused stale save shows the newer update
            history = _history(row["action_id"], st_store)
    _history_list(history)


def _seen_key(action_id: str) -> str:
    """Session key of the version of an action its editor was shown."""
    return f"tracker_seen::{action_id}"


def _history_list(history: list[Update] | None) -> None:
    """Every update, newest first, with plain dates; notes as plain text."""
    st.markdown("**History of updates** (newest first)")
    if history is None:
        return
    if not history:
        note("No updates recorded yet.")
    for u in reversed(history):
        with st.container(border=True, key=f"upd_{u.seq}"):
            st.text(
                f"{views.plain_date(u.created_at)} · {u.author} · "
                f"{status_label(u.status_before)} → {status_label(u.status_after)}"
            )
            if u.note:
                st.text(u.note)


def edit_form(
    action_id: str, seen_now: int, status_now: str, editor: auth.Editor, st_store: Store
) -> None:
    """Status form; the save carries the version the editor was shown, so a stale save is refused.
    The typed note stays in the field until a save succeeds."""
    seen_key = _seen_key(action_id)
    if flash := st.session_state.pop(FLASH_KEY, None):
        st.success(flash)
    if st.session_state.pop(CLEAR_NOTE_KEY, False):
        st.session_state[NOTE_KEY] = ""  # before the widget exists: allowed
    options = list(STATUSES)
    with st.form(f"edit_{action_id}"):
        st.markdown(f"**Update the status** (signed in as {md_escape(editor.display)})")
        new = st.selectbox(
            "New status", options, index=options.index(status_now) if status_now in options else None,
            placeholder="Choose a status", format_func=status_label, key="edit_status",
        )  # fmt: skip
        text = st.text_area(
            f"Note (plain text, up to {MAX_NOTE:,} characters)", key=NOTE_KEY,
            help="A longer note is refused, not cut: shorten it and save again.",
        )  # fmt: skip
        submitted = st.form_submit_button("Save status")
    if not submitted:
        st.session_state[seen_key] = seen_now
        return
    _save(action_id, seen_key, st.session_state.get(seen_key, seen_now), new, text, status_now,
          st_store)  # fmt: skip


def _refusal(new: str | None, text: str, status_now: str) -> str:
    """Why an update is refused before it reaches the store ('' when it may be saved)."""
    if new is None:
        return "Not saved: choose a status."
    if problem := note_too_long(text):
        return f"Not saved: {problem}. Your note is kept below: shorten it and save again."
    if new == status_now and not text.strip():
        return "Nothing to save: choose a different status or write a note."
    return ""


def _save(
    action_id: str, seen_key: str, seen: int, new: str | None, text: str, status_now: str,
    st_store: Store,
) -> None:  # fmt: skip
    """Save one update, re-checking the editor's account; every failure keeps the typed note."""
    if refusal := _refusal(new, text, status_now):
        st.error(refusal)
        return
    try:
        upd = save_status(st_store, current_editor(), action_id, seen, str(new), text,
                          accounts_now())  # fmt: skip
    except ConflictError as exc:
        _conflict(exc, seen_key)
    except NotSignedIn:
        st.session_state.pop(EDITOR_KEY, None)
        st.error("Not saved: this editor account may no longer update statuses; your note is kept.")
    except StoreBusy:
        st.error(f"Not saved: {BUSY}")
    except ValueError as exc:
        st.error(f"Not saved: {exc}. Your note is kept.")
    else:
        st.session_state[seen_key] = upd.seq
        # rerun so the counts, the table and the current status above all show the new status
        st.session_state[FLASH_KEY] = f"Saved: {status_label(upd.status_after)}."
        st.session_state[CLEAR_NOTE_KEY] = True
        st.rerun()


def _conflict(exc: ConflictError, seen_key: str) -> None:
    """Tell the editor who saved first and what they wrote; the editor's own note stays typed."""
    cur = exc.current
    st.session_state[seen_key] = cur.seq if cur else 0
    st.error(
        "Not saved: someone else updated this action after you opened it. Their update is below; "
        "your note is kept: save again to replace it."
    )
    if cur is not None:
        st.text(
            f"Newer status: {status_label(cur.status_after)} by {cur.author} on "
            f"{views.plain_date(cur.created_at)}"
        )
        if cur.note:
            st.text(cur.note)


def sign_in_panel() -> None:
    """Sign in / sign out for editors. Readers need neither."""
    st.header("Editors")
    editor = current_editor()
    if oidc_configured():
        if editor is None:
            note("Editors sign in to update a status; reading needs no account.")
            st.button("Sign in", on_click=st.login, key="oidc_login")
        else:
            st.text(f"Signed in as {editor.display}")
            st.button("Sign out", on_click=st.logout, key="oidc_logout")
        return
    if editor is not None:
        st.text(f"Signed in as {editor.display}")
        if st.button("Sign out", key="tracker_sign_out"):
            st.session_state.pop(EDITOR_KEY, None)
            st.rerun()
        return
    try:
        accounts = editors()
    except (auth.EditorConfigError, OSError, ValueError) as exc:
        st.error(f"Editor accounts are misconfigured, so nobody can sign in: {exc}")
        return
    if not accounts:
        note("No editor accounts are configured; the tracker is read-only here.")
        return
    _sign_in_form(accounts)


def _sign_in_form(accounts: Mapping[str, auth.Editor]) -> None:
    """Username and password, throttled per account and per client after repeated failures."""
    with st.form("tracker_sign_in", clear_on_submit=True):
        note("Editors sign in to update a status; reading needs no account.")
        user = st.text_input("Username", key="signin_user")
        pw = st.text_input("Password", type="password", key="signin_password")
        ok = st.form_submit_button("Sign in")
    if not ok:
        return
    ed, wait = auth.sign_in(_throttle(), accounts, user, pw, client_address())
    if ed is not None:
        st.session_state[EDITOR_KEY] = ed
        st.rerun()
    elif wait > 0:
        st.error(
            f"Not signed in: too many failed sign-ins. Wait {max(1, round(wait))} seconds, "
            "then try again."
        )
    else:
        st.error("Wrong username or password.")
