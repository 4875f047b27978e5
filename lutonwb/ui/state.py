"""URL state: one registry of query-parameter keys, read once per run into a typed State.

The URL owns shareable state. Each key has a pure coercer (string -> value and maybe a notice)
that never raises, a default, and a plain-English description that the methods page lists.
Choices also live in the session's memory, so they survive moving between pages through the
sidebar navigation (which drops query parameters); a value in the URL always wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from lutonwb.text import shown

GROUP_IDS: tuple[str, ...] = (
    "england",
    "region",
    "cssnbt-2021",
    "cssnbt-2025",
    "similar",
    "all",
    "custom",
)
DEFAULT_GROUP = (
    "cssnbt-2021"  # the seeds' own comparator for the performance tables we can reproduce
)
# Keys whose default depends on the page (a board's or a measure's own comparator): while the
# reader has not chosen one, they stay out of the URL and the session memory, so each page can
# apply its own default; once chosen (URL or sidebar) the URL is the source of truth.
AUTO_KEYS: tuple[str, ...] = ("cmp",)
MAX_CUSTOM = 60
MAX_QUERY = 80

# url_path of each page (public contract) -> the page-specific keys it shows in its URL.
PAGE_KEYS: dict[str, tuple[str, ...]] = {
    "": (),
    "principle": ("principle",),
    "board": ("board",),
    "measure": ("m", "map"),
    "methods": ("q",),
}
# every page's url_path, as app.py declares them (a test checks they agree)
PAGE_PATHS: tuple[str, ...] = ("", "principle", "board", "measure", "wards", "plan", "methods")
GLOBAL_KEYS: tuple[str, ...] = ("area", "cmp", "with", "period")
PAGE_FILES: dict[str, str] = {
    "": "pages/overview.py",
    "principle": "pages/principle.py",
    "board": "pages/board.py",
    "measure": "pages/measure.py",
    "methods": "pages/methods.py",
}

_AREA_RE = re.compile(r"^E(0[6-9]|10)\d{6}$")
_PERIOD_RE = re.compile(
    r"^([A-Z][a-z]{2} )?(19[5-9]\d|20\d\d)([-/]\d{2}(\d{2})?)?(-\d{2})?( Q[1-4])?$"
)


@dataclass(frozen=True)
class Vocab:
    """The values a key may take in this build (from the warehouse and the catalogue)."""

    areas: Mapping[str, str]  # current upper-tier authority code -> name
    measures: Mapping[str, str] = field(default_factory=dict)  # lower-case id or alias -> id
    boards: Mapping[str, str] = field(default_factory=dict)  # lower-case id, alias or slug -> id
    principles: frozenset[int] = frozenset(range(1, 9))
    groups: tuple[str, ...] = GROUP_IDS
    default_area: str = ""  # the place's home area (ui/engine.py sets it)
    default_measure: str = ""
    default_board: str = ""


@dataclass(frozen=True)
class Coerced:
    """A coerced value and, when the input was unusable, a short notice saying so."""

    value: Any
    notice: str | None = None


def _area_label(code: str, vocab: Vocab) -> str:
    return vocab.areas.get(code, code)


def coerce_area(raw: str, vocab: Vocab) -> Coerced:
    """Home area: an upper-tier authority code (any case); else the default with a notice."""
    code = str(raw).strip().upper()
    if code in vocab.areas:
        return Coerced(code)
    why = (
        "is not an area code"
        if not _AREA_RE.match(code)
        else "is not a current upper-tier authority"
    )
    return Coerced(
        vocab.default_area,
        f"Home area {shown(raw)} {why}; showing {_area_label(vocab.default_area, vocab)} instead.",
    )


def coerce_group(raw: str, vocab: Vocab) -> Coerced:
    """Comparator group id (any case); else the default group with a notice."""
    gid = str(raw).strip().lower()
    if gid in vocab.groups:
        return Coerced(gid)
    return Coerced(
        DEFAULT_GROUP,
        f"Comparator {shown(raw)} is not known; showing {DEFAULT_GROUP} instead. "
        f"Known: {', '.join(vocab.groups)}.",
    )


def coerce_members(raw: str, vocab: Vocab) -> Coerced:
    """Custom group members: comma-separated authority codes; unknown codes dropped with a notice."""
    parts = [p.strip().upper() for p in str(raw).split(",") if p.strip()]
    good: list[str] = []
    bad: list[str] = []
    for p in parts:
        if p in vocab.areas:
            if p not in good:
                good.append(p)
        else:
            bad.append(p)
    notice = None
    if not parts and str(raw).strip():  # only commas or spaces: say so rather than ignore silently
        notice = "The custom group list has no authority codes; add some with ?with=CODE,CODE."
    if bad:
        notice = f"Ignored {len(bad)} unknown code(s) in the custom group: {shown(','.join(bad))}."
    if len(good) > MAX_CUSTOM:
        good = good[:MAX_CUSTOM]
        notice = (notice + " " if notice else "") + f"Kept the first {MAX_CUSTOM} members."
    return Coerced(tuple(good), notice)


def coerce_period(raw: str, vocab: Vocab) -> Coerced:
    """Period: 'latest', or a period label as the data prints it ('2020-22', '2022/23', '2023')."""
    text = str(raw).strip()
    if text.lower() in ("", "latest"):
        return Coerced("latest")
    if _PERIOD_RE.match(text):
        return Coerced(text)
    return Coerced(
        "latest",
        f"Period {shown(raw)} is not 'latest' or a period such as 2020-22; showing the latest data.",
    )


def coerce_measure(raw: str, vocab: Vocab) -> Coerced:
    """Measure id or alias (renamed ids keep working); else the default measure with a notice."""
    key = str(raw).strip().lower()
    if key in vocab.measures:
        return Coerced(vocab.measures[key])
    return Coerced(
        vocab.default_measure,
        f"Measure {shown(raw)} is not in the catalogue; showing the default measure.",
    )


def coerce_board(raw: str, vocab: Vocab) -> Coerced:
    """Board id or alias; else the first board with a notice."""
    key = str(raw).strip().lower()
    if key in vocab.boards:
        return Coerced(vocab.boards[key])
    return Coerced(
        vocab.default_board, f"Board {shown(raw)} is not known; showing the first board."
    )


def coerce_principle(raw: str, vocab: Vocab) -> Coerced:
    """Marmot principle number 1-8; else principle 1 with a notice."""
    text = str(raw).strip()
    if text.isascii() and text.isdigit() and len(text) <= 2 and int(text) in vocab.principles:
        return Coerced(int(text))
    first = min(vocab.principles) if vocab.principles else 1
    return Coerced(
        first,
        f"Marmot principle {shown(raw)} does not exist (1 to 8); showing principle {first}.",
    )


def coerce_flag(raw: str, vocab: Vocab) -> Coerced:
    """An on/off choice: 1 / true / yes / on, or 0 / false / no / off / empty; else off with a notice."""
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return Coerced(True)
    if text in ("", "0", "false", "no", "off"):
        return Coerced(False)
    return Coerced(False, f"Map {shown(raw)} is not 1 or 0; the England map stays closed.")


def coerce_query(raw: str, vocab: Vocab) -> Coerced:
    """Free search text for the catalogue table: trimmed and shortened, never interpreted."""
    return Coerced(str(raw).strip()[:MAX_QUERY])


@dataclass(frozen=True)
class Param:
    """One URL key: how to read it, its default, and what it means (listed on the methods page)."""

    key: str
    attr: str
    coerce: Callable[[str, Vocab], Coerced]
    default: Callable[[Vocab], Any]
    to_url: Callable[[Any], str]
    pages: str
    description: str
    example: str


PARAMS: tuple[Param, ...] = (
    Param("area", "area", coerce_area, lambda v: v.default_area, str, "every page",
          "Home area: the upper-tier local authority (county or unitary) whose figures are rated. Default: the place's home area.",
          "area=E06000032"),
    Param("cmp", "cmp", coerce_group, lambda v: DEFAULT_GROUP, str, "every page",
          "Comparator group for the group average, rank and the third RAG column: "
          + ", ".join(GROUP_IDS) + ".",
          "cmp=cssnbt-2021"),
    Param("with", "members", coerce_members, lambda v: (), lambda t: ",".join(t), "every page (with cmp=custom)",
          "Members of a custom comparator group: comma-separated authority codes.",
          "cmp=custom&with=E06000039,E08000025"),
    Param("period", "period", coerce_period, lambda v: "latest", str, "every page",
          "Period: 'latest' (default) or a year, meaning the latest data ending in or before that year.",
          "period=2019"),
    Param("m", "measure", coerce_measure, lambda v: v.default_measure, str, "measure page",
          "Measure id from the catalogue (old ids keep working through aliases).",
          "m=life-expectancy-male"),
    Param("board", "board", coerce_board, lambda v: v.default_board, str, "board page",
          "Board id: childrens-trust, health-equity-town, at-place, health-protection, community-safety.",
          "board=childrens-trust"),
    Param("principle", "principle", coerce_principle, lambda v: 1, str, "principle page",
          "Marmot principle number, 1 to 8.", "principle=4"),
    Param("map", "map_open", coerce_flag, lambda v: False, lambda b: "1" if b else "", "measure page",
          "Open the England map of every authority (1 = open; it is drawn only when open).",
          "m=infant-mortality&map=1"),
    Param("q", "query", coerce_query, lambda v: "", str, "methods page",
          "Search text for the catalogue table.", "q=obesity"),
)  # fmt: skip
BY_KEY: dict[str, Param] = {p.key: p for p in PARAMS}


@dataclass(frozen=True)
class State:
    """Every choice of the current view, validated."""

    area: str
    cmp: str
    members: tuple[str, ...]
    period: str
    measure: str
    board: str
    principle: int
    query: str
    notices: tuple[str, ...] = ()
    defaulted: frozenset[str] = frozenset()  # AUTO_KEYS the reader has not chosen
    map_open: bool = False  # the measure page's England map

    @property
    def custom(self) -> tuple[str, ...]:
        """Custom members when the custom group is chosen, else ()."""
        return self.members if self.cmp == "custom" else ()

    def url_values(self) -> dict[str, str]:
        """Every key's URL form (empty for 'with' unless the custom group is chosen)."""
        out = {p.key: p.to_url(getattr(self, p.attr)) for p in PARAMS}
        if self.cmp != "custom":
            out["with"] = ""
        return out

    def params_for(self, page: str, **overrides: Any) -> dict[str, str]:
        """Query parameters for one page: the shared keys plus that page's own, blanks left out."""
        st = (
            replace(self, **{BY_KEY[k].attr: v for k, v in overrides.items()})
            if overrides
            else self
        )
        values = st.url_values()
        keys = GLOBAL_KEYS + PAGE_KEYS.get(page, ())
        unchosen = {k for k in self.defaulted if k not in overrides}
        return {k: values[k] for k in keys if values.get(k) and k not in unchosen}


def read_state(
    url: Mapping[str, str], memory: Mapping[str, str], vocab: Vocab
) -> tuple[State, dict[str, str]]:
    """URL values win, then the session's memory, then defaults; returns the state and new memory.

    Only URL values raise notices: remembered values were already checked once.
    """
    values: dict[str, Any] = {}
    notices: list[str] = []
    defaulted: set[str] = set()
    for p in PARAMS:
        if p.key in url:
            c = p.coerce(url[p.key], vocab)
            if c.notice:
                notices.append(c.notice)
        elif p.key in memory:
            c = p.coerce(memory[p.key], vocab)
        else:
            c = Coerced(p.default(vocab))
            if p.key in AUTO_KEYS:
                defaulted.add(p.key)
        values[p.attr] = c.value
    if values["cmp"] == "custom" and not values["members"]:
        if "cmp" in url:
            notices.append(
                f"The custom group has no valid members; showing {DEFAULT_GROUP} instead. "
                "Add authorities with ?with=CODE,CODE."
            )
        values["cmp"] = DEFAULT_GROUP
    state = State(**values, notices=tuple(notices), defaulted=frozenset(defaulted))
    remembered = {k: v for k, v in state.url_values().items() if v != "" and k not in defaulted}
    return state, remembered


def share_url(base: str, page: str, params: Mapping[str, str]) -> str:
    """A shareable link: app base URL, page path and query string (commas kept readable)."""
    base = base.rstrip("/")
    path = f"{base}/{page}" if page else (base + "/")
    query = urlencode(dict(params), safe=",")
    return f"{path}?{query}" if query else path


def base_from_url(url: str | None, page: str) -> str:
    """The app's base URL from the browser URL of a page (its url_path trimmed from the end)."""
    if not url:
        return ""
    url = url.split("?", 1)[0].rstrip("/")
    if page and url.endswith("/" + page):
        url = url[: -(len(page) + 1)]
    return url


# Keys read by the ward-map and plan pages' own parsers (lutonwb.ui.maps.read_state and
# lutonwb.tracker.views.parse_selection); listed here so the methods page documents every key.
OTHER_PAGE_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("layer", "ward maps", "Map layer id, e.g. IoD 2025 overall or a domain, census, the composite.", "/wards?layer=iod25-income"),
    ("geo", "ward maps", "Geography: wd23 (wards from May 2023), lsoa21, wd13 or lsoa11 where the layer has it.", "/wards?geo=lsoa21"),
    ("ward", "ward maps", "A 2023 ward code whose profile is shown.", "/wards?ward=E05014737"),
    ("board", "plan tracker", "Show one board's actions (board id as on the board page).", "/plan?board=at-place"),
    ("status", "plan tracker", "Show actions with this current status: not-started, on-track, at-risk, off-track, complete.", "/plan?status=at-risk"),
    ("outcome", "plan tracker", "Show actions serving one target outcome (id as in the catalogue).", "/plan?outcome=pw-housing"),
    ("p", "plan tracker", "Show actions linked (through their measures) to Marmot principle 1 to 8.", "/plan?p=3"),
    ("plan", "plan tracker", "Which plan: refreshed-2024-25 or five-year.", "/plan?plan=five-year"),
    ("q", "plan tracker", "Search text over the actions.", "/plan?q=housing"),
    ("group", "plan tracker", "Group actions by board, workstream, outcome, principle, status or phase.", "/plan?group=status"),
    ("action", "plan tracker", "Open one action and its history of updates.", "/plan?action=<action id>"),
)  # fmt: skip


def describe_keys() -> list[dict[str, str]]:
    """Every URL key of every page as rows for the methods page (key, where, meaning, example)."""
    rows = [
        {"key": p.key, "used on": p.pages, "meaning": p.description, "example": "?" + p.example}
        for p in PARAMS
    ]
    rows += [
        {"key": k, "used on": where, "meaning": text, "example": ex}
        for k, where, text, ex in OTHER_PAGE_KEYS
    ]
    return rows


def alias_map(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Lower-cased lookup from (name, id) pairs; the first pair for a name wins."""
    out: dict[str, str] = {}
    for name, ident in pairs:
        out.setdefault(str(name).strip().lower(), ident)
    return out
