"""The tracker page's selection: URL parameters → validated filters, the filtered actions with their
current status, counts and the CSV export. Plain pandas, so it is tested without Streamlit."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from lutonwb.catalogue import load_catalogue
from lutonwb.place import current_place
from lutonwb.text import on_off, shortened, shown, split_list
from lutonwb.tracker.model import (
    NOT_REPORTED,
    REVIEW_NOTED,
    SHOWN_STATUSES,
    Update,
    status_label,
)

GROUPS: dict[str, str] = {
    "board": "Board",
    "workstream": "Workstream",
    "outcome": "2040 target outcome",
    "principle": "Marmot principle",
    "status": "Status",
    "phase": "Plan phase",
}


def plans() -> dict[str, str]:
    """The configured place's plans (plan id -> title); empty when it follows no plan. Read per
    call, not at import, so a process that switches place never keeps the last one's plans."""
    return dict(current_place().plan_titles)


def phase_order() -> tuple[str, ...]:
    """The configured place's plan phases in order."""
    return tuple(p for ps in current_place().plan_phases.values() for p in ps)


# how the plan data marks a review's revised action, as opposed to its progress note
# (data/raw/plan/README.md, column review_progress)
REVISED_PREFIX = "Revised for Y2:"


@dataclass(frozen=True)
class Selection:
    """What the reader chose; each field is one short URL key (see KEYS)."""

    board: str = ""
    status: str = ""
    outcome: str = ""
    principle: int | None = None
    plan: str = ""
    q: str = ""
    group: str = "board"
    action: str = ""
    timeline: bool = False  # the chart of the plan phases open (drawn only while open)


# URL key -> Selection field (documented on the methods page)
# each URL key in a notice's words ("Ignored the board 'x' in the link")
KEY_WORDS: dict[str, str] = {
    "board": "board", "status": "status", "outcome": "outcome", "p": "Marmot principle",
    "plan": "plan", "q": "search", "group": "grouping", "action": "action",
    "timeline": "chart setting",
}  # fmt: skip
KEYS: dict[str, str] = {
    "board": "board",
    "status": "status",
    "outcome": "outcome",
    "p": "principle",
    "plan": "plan",
    "q": "q",
    "group": "group",
    "action": "action",
    "timeline": "timeline",
}


@dataclass(frozen=True)
class Choices:
    """The valid values, from the plan data and the catalogue."""

    boards: dict[str, str]  # id -> title
    outcomes: dict[str, str]  # id -> title
    principles: dict[int, str]  # number -> short title
    actions: frozenset[str] = field(default_factory=frozenset)


def parse_selection(params: Mapping[str, str], choices: Choices) -> tuple[Selection, list[str]]:
    """Validate URL parameters; unknown or malformed values fall back to defaults with a notice."""
    sel = Selection()
    notices: list[str] = []

    def get(key: str) -> str:
        value = params.get(key, "")
        if isinstance(value, list):  # tolerate repeated keys: the last one wins
            value = value[-1] if value else ""
        return str(value).strip()

    def bad(key: str, value: str, what: str) -> None:
        notices.append(f"Ignored the {KEY_WORDS[key]} {shown(value)} in the link: {what}.")

    def named(kind: str, names: Iterable[str]) -> str:  # the choices by name, never by id
        return f"not one of the {kind} ({'; '.join(names)})"

    def one_of(allowed: Mapping[str, object] | frozenset[str]) -> Callable[[str], str | None]:
        return lambda v: v if v in allowed else None

    def principle(v: str) -> int | None:
        ok = v.isascii() and v.isdecimal() and len(v) <= 2 and int(v) in choices.principles
        return int(v) if ok else None

    # URL key -> (the value it sets, or None when not valid; what an invalid value is not)
    rules: dict[str, tuple[Callable[[str], object], str]] = {
        "board": (one_of(choices.boards), named("boards", choices.boards.values())),
        "status": (one_of(SHOWN_STATUSES), named("statuses", SHOWN_STATUSES.values())),
        "outcome": (one_of(choices.outcomes), "not one of the 2040 target outcomes"),
        "p": (principle, "not a Marmot principle number (1 to 8)"),
        "plan": (one_of(plans()), named("plans", plans().values())),
        "q": (lambda v: v[:100], ""),
        "group": (one_of(GROUPS), named("groupings", GROUPS.values())),
        "action": (one_of(choices.actions), "not one of the plan's actions"),
        "timeline": (on_off, "it is not 1 or 0; the chart stays closed"),
    }
    for key, attr in KEYS.items():  # every documented key has a rule (KeyError otherwise)
        parse, what = rules[key]
        if v := get(key):
            value = parse(v)
            if value is None:
                bad(key, v, what)
            else:
                sel = replace(sel, **{attr: value})
    return sel, notices


def to_params(sel: Selection) -> dict[str, str]:
    """The URL parameters for a selection (defaults left out, so links stay short)."""
    default = Selection()
    out: dict[str, str] = {}
    for key, attr in KEYS.items():
        value = getattr(sel, attr)
        if value != getattr(default, attr) and value not in (None, ""):
            out[key] = "1" if value is True else str(value)
    return out


@dataclass(frozen=True)
class MeasureLink:
    """What the tracker needs to know about a catalogue measure."""

    id: str
    title: str
    boards: tuple[str, ...]
    outcomes: tuple[str, ...]
    principles: tuple[int, ...]


def catalogue_bits(path: Path) -> tuple[Choices, dict[str, MeasureLink]]:
    """Boards, outcomes, principles and measures from the catalogue and the place's programme."""
    cat = load_catalogue(Path(path))
    choices = Choices(
        boards={b.id: b.title for b in cat.boards.values()},
        outcomes={o.id: o.title for o in cat.outcomes.values()},
        principles={n: p.short_title or p.title for n, p in cat.principles.items()},
    )
    measures = {
        m.id: MeasureLink(m.id, m.title, m.boards, m.outcomes, m.principles)
        for m in cat.measures.values()
    }
    return choices, measures


def linked_measures(action: Mapping, measures: Mapping[str, MeasureLink]) -> list[MeasureLink]:
    """The catalogue measures the plan data says this action aims to move (its `measures` cell)."""
    return [measures[m] for m in split_list(action.get("measures", "")) if m in measures]


def plain_date(when: datetime | None) -> str:
    """A date as people write it, e.g. '5 December 2026' ('' for none)."""
    return f"{when.day} {when:%B %Y}" if when is not None else ""


def review_note(action: Mapping) -> str:
    """The review's own progress note on an action ('' when it has none, or only a revision)."""
    text = str(action.get("review_progress") or "").strip()
    return "" if text.startswith(REVISED_PREFIX) else text


def source_title(action: Mapping) -> str:
    """The title of the document an action (and its review note) comes from, never its file."""
    return current_place().seeds.get(action["document"], "the plan document")


def _status_of(action: Mapping, update: Update | None) -> str:
    if update is not None:
        return update.status_after
    return REVIEW_NOTED if review_note(action) else NOT_REPORTED


def _last_update(action: Mapping, update: Update | None) -> str:
    if update is not None:
        return plain_date(update.created_at)
    return source_title(action) if review_note(action) else ""


def actions_with_status(
    actions: pd.DataFrame, latest: Mapping[str, Update], measures: Mapping[str, MeasureLink]
) -> pd.DataFrame:
    """Actions plus current status (the latest update; else the review's progress note; else no
    status reported), when and by whom it was last updated, and linked measures."""
    df = actions.copy()
    ups = [latest.get(a) for a in df["action_id"]]
    rows = df.to_dict("records")
    df["status"] = [_status_of(r, u) for r, u in zip(rows, ups, strict=True)]
    df["status_label"] = [status_label(s) for s in df["status"]]
    df["version"] = [u.seq if u else 0 for u in ups]
    df["updated_at"] = [u.created_at if u else pd.NaT for u in ups]
    df["last_update"] = [_last_update(r, u) for r, u in zip(rows, ups, strict=True)]
    df["updated_by"] = [u.author if u else "" for u in ups]
    df["last_note"] = [u.note if u else review_note(r) for r, u in zip(rows, ups, strict=True)]
    links = [linked_measures(r, measures) for r in rows]
    df["linked_measures"] = [";".join(m.id for m in ls) for ls in links]
    df["principles_all"] = [
        ";".join(
            str(p)
            for p in sorted({int(x) for x in split_list(r)} | {p for m in ls for p in m.principles})
        )
        for r, ls in zip(df["principles"], links, strict=True)
    ]
    return df


def recently_changed(df: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The n actions whose status was updated most recently, newest first, as a plain table."""
    done = df[df["version"] > 0].sort_values("updated_at", ascending=False).head(n)
    return pd.DataFrame(
        {
            "Updated": done["last_update"],
            "Action": done["action"],
            "Status": done["status_label"],
            "By": done["updated_by"],
        }
    ).reset_index(drop=True)


def apply(df: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    """Rows matching every filter of the selection (the text search looks in action, workstream,
    lead and progress, case-insensitively)."""
    keep = pd.Series(True, index=df.index)
    if sel.board:
        keep &= df["board"] == sel.board
    if sel.status:
        keep &= df["status"] == sel.status
    if sel.outcome:
        keep &= df["outcomes"].map(lambda s: sel.outcome in split_list(s))
    if sel.principle is not None:
        keep &= df["principles_all"].map(lambda s: str(sel.principle) in split_list(s))
    if sel.plan:
        keep &= df["plan"] == sel.plan
    if sel.q:
        text = pd.Series(action_texts(df), index=df.index).str.lower()
        keep &= text.str.contains(sel.q.lower(), regex=False)
    return df[keep]


TEXT_COLUMNS = ("workstream", "action", "lead", "review_progress")


def action_texts(df: pd.DataFrame) -> list[str]:
    """Each action's words as readers see them (workstream, action, lead, the review's
    progress note): what the search looks in and the glossary explains."""
    cols = [c for c in TEXT_COLUMNS if c in df.columns]
    if df.empty or not cols:
        return []
    return df[cols].fillna("").astype(str).agg(" ".join, axis=1).tolist()


def describe(sel: Selection, choices: Choices) -> str:
    """The selection in plain English, e.g. 'Actions of the Children's Trust Board, at risk'."""
    parts = []
    if sel.plan:
        parts.append(f"in the {plans()[sel.plan].lower()}")
    if sel.board:
        parts.append(f"of the {choices.boards[sel.board]}")
    if sel.outcome:
        parts.append(f"serving “{choices.outcomes[sel.outcome]}”")
    if sel.principle is not None:
        parts.append(
            f"under Marmot principle {sel.principle} ({choices.principles[sel.principle]})"
        )
    if sel.status:
        parts.append(f"with status “{status_label(sel.status)}”")
    if sel.q:
        parts.append(f"mentioning “{sel.q}”")
    return "All actions" if not parts else "Actions " + ", ".join(parts)


# the columns of each group's table, in readers' words (its CSV's order)
GROUP_COLUMNS = {"action": "Action", "workstream": "Workstream", "phase": "Phase",
                 "status_label": "Status", "last_update": "Last update", "timescale": "Timescale"}  # fmt: skip


def group_rows(
    df: pd.DataFrame, group: str, choices: Choices
) -> tuple[tuple[str, pd.DataFrame], ...]:
    """Each heading of the chosen grouping with its actions' rows, headings in first-seen order
    (an action serving several outcomes or principles is under each of them)."""
    by: dict[str, list[int]] = {}
    for i, row in zip(df.index, df.to_dict("records"), strict=True):
        for k in group_keys(row, group, choices):
            by.setdefault(k, []).append(i)
    cols = list(GROUP_COLUMNS)
    return tuple((h, df.loc[idx, cols].rename(columns=GROUP_COLUMNS)) for h, idx in by.items())


def group_keys(row: Mapping, group: str, choices: Choices) -> list[str]:
    """The group headings one action falls under (an action can serve several outcomes)."""
    if group == "board":
        return [choices.boards.get(row["board"], row["board"])]
    if group == "workstream":
        return [f"{choices.boards.get(row['board'], row['board'])}: {row['workstream']}"]
    if group == "outcome":
        return [choices.outcomes.get(o, o) for o in split_list(row["outcomes"])]
    if group == "principle":
        ps = split_list(row["principles_all"])
        return [f"{p}. {choices.principles.get(int(p), '')}" for p in ps] or [
            "No linked measure yet"
        ]
    if group == "status":
        return [row["status_label"]]
    return [row["phase"]]


def counts_by_board(df: pd.DataFrame, choices: Choices) -> pd.DataFrame:
    """Actions per board and status (every status a column, in order), with a total."""
    table = pd.crosstab(df["board"].map(lambda b: choices.boards.get(b, b)), df["status"])
    table = table.reindex(columns=list(SHOWN_STATUSES), fill_value=0)
    table.columns = [status_label(c) for c in table.columns]
    table["Total"] = table.sum(axis=1)
    table.index.name = "Board"
    return table


def phase_counts(df: pd.DataFrame, choices: Choices) -> pd.DataFrame:
    """Actions per plan phase and board, for the timeline."""
    out = df.groupby(["phase", "board"]).size().rename("actions").reset_index()
    out["board_title"] = out["board"].map(lambda b: choices.boards.get(b, b))
    order = phase_order()
    out["order"] = out["phase"].map(lambda p: order.index(p) if p in order else len(order))
    return out.sort_values(["order", "board"]).reset_index(drop=True)


LABEL_CHARS = 110  # an action's title in the picker, cut at a word beyond this


def updates_stamp(latest: Mapping[str, Update]) -> str:
    """A short digest of every latest update, whole: the same stamp means the same statuses
    shown. The store is read on every rerun (another server may have saved a status); what is
    worked out from it is kept per stamp, since the read is cheap and the pandas after it is not.
    Every field counts, so two stores whose updates share ids and versions never share a stamp
    (~0.2 ms for an update on every action)."""
    fields = [(a, *vars(latest[a]).values()) for a in sorted(latest)]
    return hashlib.blake2b(repr(fields).encode(), digest_size=16).hexdigest()


def filters_of(sel: Selection) -> Selection:
    """The part of a selection that decides the rows and their headings: the action picked and
    the chart's open state change neither, so they are left out of a view's key."""
    return replace(sel, action="", timeline=False)


@dataclass(frozen=True, eq=False)
class PlanView:
    """What the page shows for one selection of the actions with their status, worked out at
    once so it can be kept per view (a cached view is shared by every reader of it: read-only)."""

    table: pd.DataFrame  # every action with its current status
    shown: pd.DataFrame  # the rows matching the filters
    counts: pd.DataFrame  # actions per board and status: Board, every status, Total
    phases: pd.DataFrame  # actions per plan phase and board (the timeline)
    recent: pd.DataFrame  # the actions whose status changed most recently
    groups: tuple[tuple[str, pd.DataFrame], ...]  # each heading with its actions' rows
    labels: Mapping[str, str]  # action id -> its title cut short, in the rows' order (read-only)


def plan_view(table: pd.DataFrame, sel: Selection, choices: Choices) -> PlanView:
    """The view of the status table (actions_with_status) for one selection: its rows, counts,
    phases, recent changes and groups (by sel.group)."""
    shown = apply(table, sel)
    return PlanView(
        table=table,
        shown=shown,
        counts=counts_by_board(shown, choices).reset_index(),
        phases=phase_counts(shown, choices),
        recent=recently_changed(shown),
        groups=group_rows(shown, sel.group, choices),
        labels=MappingProxyType(
            {
                a: shortened(t, LABEL_CHARS)
                for a, t in zip(shown["action_id"], shown["action"], strict=True)
            }
        ),
    )


EXPORT_COLUMNS = {
    "board_title": "Board",
    "priority": "Priority",
    "workstream": "Workstream",
    "action": "Action",
    "outcome_titles": "2040 target outcomes",
    "principles_all": "Marmot principles",
    "lead": "Lead",
    "timescale": "Timescale",
    "phase": "Phase",
    "plan_title": "Plan",
    "status_label": "Status",
    "last_update": "Last update",
    "updated_by": "Updated by",
    "last_note": "Latest note",
    "source_title": "Source document",
    "section": "Section",
    "action_id": "Action id (for analysts)",
}


def export_csv(df: pd.DataFrame, choices: Choices) -> bytes:
    """The selected actions with their current status as CSV (UTF-8 with BOM, opens in Excel),
    with plain headers and titles. Cells a spreadsheet would run as a formula get an apostrophe."""
    rows = df.to_dict("records")
    titles = plans()
    out = df.assign(
        board_title=[choices.boards.get(b, b) for b in df["board"]],
        outcome_titles=["; ".join(choices.outcomes.get(o, o) for o in split_list(v))
                        for v in df["outcomes"]],
        plan_title=[titles.get(p, p) for p in df["plan"]],
        source_title=[source_title(r) for r in rows],
    )  # fmt: skip
    out = out[list(EXPORT_COLUMNS)].rename(columns=EXPORT_COLUMNS).astype("string").fillna("")
    for col in out.columns:
        out[col] = out[col].map(lambda s: "'" + s if s[:1] in ("=", "+", "-", "@") else s)
    return out.to_csv(index=False).encode("utf-8-sig")
