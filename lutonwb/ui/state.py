"""URL state: one registry of every page's query-parameter keys, read by one parser.

Each key (Param) declares the pages it applies to, a pure coercer (string -> value and maybe a
notice) that never raises, a default, a plain-English description and an example; the methods
page lists them all, and lutonwb.ui.urls (the one writer) refuses any key not declared here.
On the monitor pages choices also live in the session's memory, so they survive moving between
pages through the sidebar navigation (which drops query parameters); a value in the URL wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from lutonwb.comparators import GROUP_IDS, GROUPS
from lutonwb.engine.grid import label_end_year
from lutonwb.progress.status import STATUSES
from lutonwb.text import on_off, period_words, shown  # noqa: F401 (period_words: re-exported for ui)

# One comparator for every page, England unless the reader picks another: the monitor mixes
# children's, adult and place measures, and England is the one benchmark every measure has. The
# choice is shared by every page and always written into the page's link (the methods page
# says so), so a link means the same on every page.
DEFAULT_GROUP = "england"
MAX_CUSTOM = 60
MAX_QUERY = 80

# every page's url_path, as app.py declares them (a test checks they agree)
PAGE_PATHS: tuple[str, ...] = (
    "", "principle", "board", "measure", "progress", "wards", "plan", "methods",
)  # fmt: skip
PAGE_NAMES: dict[str, str] = {
    "": "overview",
    "principle": "principle",
    "board": "board",
    "measure": "measure",
    "progress": "progress",
    "wards": "ward maps",
    "plan": "plan tracker",
    "methods": "methods",
}
PAGE_FILES: dict[str, str] = {
    "": "pages/overview.py",
    "principle": "pages/principle.py",
    "board": "pages/board.py",
    "measure": "pages/measure.py",
    "progress": "pages/progress.py",
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
    periods: frozenset[str] = frozenset()  # every period label in the data


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
    """Comparator group id (any case); else the default group with a notice that names the
    groups by their labels, never by their ids."""
    gid = str(raw).strip().lower()
    if gid in vocab.groups:
        return Coerced(gid)
    labels = {g.id: g.label for g in GROUPS}
    return Coerced(
        DEFAULT_GROUP,
        f"Comparator {shown(raw)} is not known; showing {labels[DEFAULT_GROUP]} instead. "
        f"The groups are: {'; '.join(labels.get(g, g) for g in vocab.groups)}.",
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
        notice = "The custom group in the link names no authorities; choose them in the sidebar."
    if bad:
        notice = f"Ignored {len(bad)} unknown code(s) in the custom group: {shown(','.join(bad))}."
    if len(good) > MAX_CUSTOM:
        good = good[:MAX_CUSTOM]
        notice = (notice + " " if notice else "") + f"Kept the first {MAX_CUSTOM} members."
    return Coerced(tuple(good), notice)


_YEAR_RE = re.compile(r"((?:19|20)\d\d)(?:[-/](\d{2})(?!\d))?")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def period_order(label: str) -> tuple[int, str]:
    """Sort key putting periods in time order by the year they end ('2022/23' and '2021-23' end
    in 2023, 'Nov 2024-25' in 2025, '1999/00' in 2000), the label breaking ties; unreadable
    labels first."""
    text = str(label)
    if _ISO_DATE.match(text):
        return (int(text[:4]), text)
    ends = []
    for first, short in _YEAR_RE.findall(text):
        year = int(first)
        if short:  # a two-digit end year: the next one with those digits
            year = year // 100 * 100 + int(short) + (100 if int(short) < year % 100 else 0)
        ends.append(year)
    return (max(ends) if ends else 0, text)


def coerce_period(raw: str, vocab: Vocab) -> Coerced:
    """Period: 'latest', or a period label as the data prints it ('2020-22', '2022/23', '2023')."""
    text = str(raw).strip()
    if text.lower() in ("", "latest"):
        return Coerced("latest")
    if text in vocab.periods:
        return Coerced(text)
    if _PERIOD_RE.match(text):
        # a label the data does not print ('Jan 2019', '2019 Q1') means the latest period ending
        # by its last year: one canonical key, so equivalent labels share one computation
        end_year = label_end_year(text)
        return Coerced(str(end_year) if end_year else text)
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


def section_flag(name: str, section: str) -> Callable[[str, Any], Coerced]:
    """An on/off coercer for one section's open state: 1 / true / yes / on open it; 0 / false /
    no / off / empty close it; anything else keeps it closed with a notice naming `section`."""

    def coerce(raw: str, vocab: Any) -> Coerced:
        opened = on_off(raw)
        if opened is not None:
            return Coerced(opened)
        return Coerced(False, f"{name} {shown(raw)} is not 1 or 0; {section} stays closed.")

    return coerce


coerce_flag = section_flag("Map", "the England map")


def _open(key: str, attr: str, section: str, pages: tuple[str, ...], example: str) -> Param:
    """A section's open state (drawn only while open): key=1 opens it, closed by default."""
    return Param(key, attr, section_flag(key.capitalize(), section), lambda v: False,
                 lambda b: "1" if b else "", pages,
                 f"Open {section} (1 = open; it is drawn only when open).", example)  # fmt: skip


COUNTS_VS = ("england", "region", "group")  # the overview's count tabs, by benchmark


def coerce_vs(raw: str, vocab: Vocab) -> Coerced:
    """The benchmark of the overview's counts: england, region or group; else England with a
    notice."""
    text = str(raw).strip().lower()
    if text in COUNTS_VS:
        return Coerced(text)
    return Coerced(
        "england",
        f"Counts against {shown(raw)} is not England, region or group; showing the counts "
        "against England.",
    )


def coerce_query(raw: str, vocab: Vocab) -> Coerced:
    """Free search text for the catalogue table: trimmed and shortened, never interpreted."""
    return Coerced(str(raw).strip()[:MAX_QUERY])


@dataclass(frozen=True)
class Param:
    """One URL key of some pages: how to read it, its default, and what it means.

    `coerce` and `default` take the page's vocabulary (Vocab on the monitor pages, WardVocab on
    the ward maps, the tracker's Choices on the plan page). The methods page lists every Param.
    """

    key: str
    attr: str
    coerce: Callable[[str, Any], Coerced]
    default: Callable[[Any], Any]
    to_url: Callable[[Any], str]
    pages: tuple[str, ...]  # url_paths of the pages that read it
    description: str
    example: str  # a query string for the first of those pages


SHARED_PAGES: tuple[str, ...] = ("", "principle", "board", "measure", "progress", "methods")
PARAMS: tuple[Param, ...] = (
    Param("area", "area", coerce_area, lambda v: v.default_area, str, SHARED_PAGES,
          "Home area: the upper-tier local authority (county or unitary) whose figures are rated. Default: the place's home area.",
          "area={area}"),
    Param("cmp", "cmp", coerce_group, lambda v: DEFAULT_GROUP, str, SHARED_PAGES,
          "Comparator group for the group average, rank and the third rating column: "
          + ", ".join(GROUP_IDS) + ". Default: england, the same on every page.",
          "cmp=cssnbt-2021"),
    Param("with", "members", coerce_members, lambda v: (), lambda t: ",".join(t), SHARED_PAGES,
          "Members of a custom comparator group (with cmp=custom): comma-separated authority codes.",
          "cmp=custom&with=E06000039,E08000025"),
    Param("period", "period", coerce_period, lambda v: "latest", str, SHARED_PAGES,
          "Period: 'latest' (default) or a year, meaning the latest data ending in or before that year.",
          "period=2019"),
    Param("m", "measure", coerce_measure, lambda v: v.default_measure, str, ("measure",),
          "Measure id from the catalogue (old ids keep working through aliases).",
          "m=life-expectancy-male"),
    Param("board", "board", coerce_board, lambda v: v.default_board, str, ("board",),
          "Board id, one of the place's boards: {boards}.",
          "board={board}"),
    Param("principle", "principle", coerce_principle, lambda v: 1, str, ("principle",),
          "Marmot principle number, 1 to 8.", "principle=4"),
    Param("map", "map_open", coerce_flag, lambda v: False, lambda b: "1" if b else "", ("measure",),
          "Open the England map of every authority (1 = open; it is drawn only when open).",
          "m=infant-mortality&map=1"),
    Param("q", "query", coerce_query, lambda v: "", str, ("methods",),
          "Search text for the catalogue table (a search opens the catalogue).", "q=obesity"),
    _open("ranked", "ranked_open", "the ranked chart and table of the comparator group",
          ("measure",), "m=infant-mortality&ranked=1"),
    _open("breakdown", "breakdown_open", "the breakdown by sex, age or deprivation",
          ("measure",), "m=infant-mortality&breakdown=1"),
    _open("reported", "reported_open", "the figures reported in the strategy documents",
          ("measure",), "m=infant-mortality&reported=1"),
    _open("actions", "actions_open", "the plan's actions", ("board", "measure"),
          "board={board}&actions=1"),
    _open("spine", "spine_open", "the spine chart and its figures", ("board",),
          "board={board}&spine=1"),
    Param("vs", "counts_vs", coerce_vs, lambda v: "england",
          lambda b: "" if b == "england" else b, ("",),
          "The benchmark of the overview's counts (england, region or group): the tab shown; "
          "only its counts are drawn.", "vs=region"),
    _open("catalogue", "catalogue_open", "the catalogue of measures", ("methods",),
          "catalogue=1"),
    _open("series", "series_open", "the table of data series and their periods", ("methods",),
          "series=1"),
    _open("missing", "missing_open", "the lists of what is missing", ("methods",), "missing=1"),
    _open("glossary", "glossary_open", "the words and abbreviations", ("methods",),
          "glossary=1"),
    _open("keys", "keys_open", "the table of link keys", ("methods",), "keys=1"),
)  # fmt: skip
BY_KEY: dict[str, Param] = {p.key: p for p in PARAMS}
GLOBAL_KEYS: tuple[str, ...] = tuple(p.key for p in PARAMS if p.pages == SHARED_PAGES)
# url_path of each monitor page (public contract) -> the page-specific keys it shows in its URL
PAGE_KEYS: dict[str, tuple[str, ...]] = {
    page: tuple(p.key for p in PARAMS if page in p.pages and p.pages != SHARED_PAGES)
    for page in SHARED_PAGES
}


# -- the ward maps' keys -------------------------------------------------------------------------


@dataclass(frozen=True)
class WardVocab:
    """The ward maps' valid values: 2023 ward code -> name, pre-2023 ones, the layer chosen."""

    names: Mapping[str, str]
    old_names: Mapping[str, str] = field(default_factory=dict)
    layer: str = ""  # set once `layer` is read: `geo` is checked against it
    place: str = ""  # the place's name, for the notices ('Luton')


def _ward_layers():  # lutonwb.wards is loaded by the ward maps page only (cold start)
    from lutonwb import wards

    return wards


def _geo_words(geo: str) -> str:
    return _ward_layers().GEO_PHRASES[geo]


def default_layer(vocab: WardVocab) -> str:
    """The ward map's first view."""
    return _ward_layers().DEFAULT_LAYER


def default_geo(vocab: WardVocab) -> str:
    """The chosen layer's own geography."""
    wards = _ward_layers()
    return wards.layer(vocab.layer or wards.DEFAULT_LAYER).default_geo


def coerce_layer(raw: str, vocab: WardVocab) -> Coerced:
    """Map layer id (any case); else the default layer with a notice."""
    layer_id = str(raw).strip().lower()
    if layer_id in _ward_layers().LAYERS:
        return Coerced(layer_id)
    notice = f"There is no map layer called {shown(layer_id)}; showing the default layer."
    return Coerced(default_layer(vocab), notice)


def coerce_geo(raw: str, vocab: WardVocab) -> Coerced:
    """Geography id the chosen layer is drawn at; else the layer's own geography with a notice."""
    wards = _ward_layers()
    geo, fallback = str(raw).strip().lower(), default_geo(vocab)
    lyr = wards.layer(vocab.layer or wards.DEFAULT_LAYER)
    if geo not in wards.GEOGRAPHIES:
        why = f"{shown(geo)} is not a geography this page knows"
    elif geo not in lyr.geographies:
        why = f"{lyr.title} is not available for {_geo_words(geo)}"
    else:
        return Coerced(geo)
    return Coerced(fallback, f"{why}; showing {_geo_words(fallback)}.")


def coerce_ward(raw: str, vocab: WardVocab) -> Coerced:
    """A 2023 ward code (any case) or ''; a pre-2023 or unknown code gives '' with a notice."""
    ward = str(raw).strip().upper()
    if not ward or ward in vocab.names:
        return Coerced(ward)
    if ward in vocab.old_names:
        return Coerced(
            "",
            f"{vocab.old_names[ward]} is a pre-2023 ward; profiles use the wards in "
            "force since May 2023. Pick one below.",
        )
    whose = f"{vocab.place}'s" if vocab.place else "the"
    return Coerced(
        "",
        f"{shown(ward)} is not one of {whose} {len(vocab.names)} wards (boundaries from May "
        "2023). Pick one below.",
    )


WARD_PARAMS: tuple[Param, ...] = (
    Param("layer", "layer", coerce_layer, default_layer, str, ("wards",),
          "Map layer: IoD 2025 overall or a domain, IMD 2019, census, fuel poverty or the composite.",
          "layer=iod25-income"),
    Param("geo", "geo", coerce_geo, default_geo, str, ("wards",),
          "Geography: wd23 (wards from May 2023), lsoa21, wd13 or lsoa11 where the layer has it.",
          "geo=lsoa21"),
    Param("ward", "ward", coerce_ward, lambda v: "", str, ("wards",),
          "A ward code (May 2023 boundaries) whose profile is shown.", "ward={ward}"),
    _open("ranked", "ranked_open", "the ranked table of every area", ("wards",), "ranked=1"),
    _open("inequality", "inequality_open", "the table of gaps between the wards", ("wards",),
          "inequality=1"),
    _open("composite", "composite_open", "the composite's method, table and sensitivity",
          ("wards",), "composite=1"),
)  # fmt: skip


# -- the year-plan tracker's keys: validated by lutonwb.tracker.views, one key at a time --------


def plan_coercer(key: str) -> Callable[[str, Any], Coerced]:
    """Coerce one tracker key with the tracker's own rules (vocab: its Choices)."""

    def coerce(raw: str, choices: Any) -> Coerced:
        from lutonwb.tracker import views

        sel, notices = views.parse_selection({key: raw}, choices)
        return Coerced(getattr(sel, views.KEYS[key]), notices[0] if notices else None)

    return coerce


def plan_default(attr: str) -> Callable[[Any], Any]:
    """The tracker's default for one Selection field."""

    def default(choices: Any) -> Any:
        from lutonwb.tracker import views

        return getattr(views.Selection(), attr)

    return default


def _plan(key: str, attr: str, description: str, example: str) -> Param:
    to_url = lambda v: "1" if v is True else "" if v is None or v is False else str(v)  # noqa: E731
    return Param(key, attr, plan_coercer(key), plan_default(attr), to_url, ("plan",),
                 description, example)  # fmt: skip


PLAN_PARAMS: tuple[Param, ...] = (
    _plan("board", "board", "Show one board's actions (board id as on the board page).", "board={plan_board}"),
    _plan("status", "status", "Show actions with this current status: not-reported (no status reported yet), review-noted (progress noted in the plan's review), not-started, on-track, at-risk, off-track, complete.", "status=at-risk"),
    _plan("outcome", "outcome", "Show actions serving one 2040 target outcome (id as in the catalogue).", "outcome={outcome}"),
    _plan("p", "principle", "Show actions linked (through their measures) to Marmot principle 1 to 8.", "p=3"),
    _plan("plan", "plan", "Which of the place's plans to show: {plans}.", "plan={plan}"),
    _plan("q", "q", "Search text over the actions.", "q=housing"),
    _plan("group", "group", "Group actions by board, workstream, outcome, principle, status or phase.", "group=status"),
    _plan("action", "action", "Open one action and its history of updates (its id from the plan data).", "action={action}"),
    _plan("timeline", "timeline", "Open the chart of the actions per plan phase and board (1 = open; it is drawn only when open).", "timeline=1"),
)  # fmt: skip

# -- the progress page's own keys (it shares area, cmp, with and period with the monitor pages) --

ROLLUPS: tuple[str, ...] = ("outcome", "board", "principle")


def coerce_rollup(raw: str, vocab: Vocab) -> Coerced:
    """Roll-up: outcome, board or principle; else outcome with a notice."""
    text = str(raw).strip().lower()
    if text in ROLLUPS:
        return Coerced(text)
    return Coerced(
        ROLLUPS[0],
        f"Roll-up {shown(raw)} is not known; counting by 2040 target outcome (the others: by "
        "board or by Marmot principle).",
    )


def coerce_picked_measure(raw: str, vocab: Vocab) -> Coerced:
    """A measure chosen on the progress page ('' = the page's own first choice)."""
    key = str(raw).strip().lower()
    if key in vocab.measures:
        return Coerced(vocab.measures[key])
    if not key:
        return Coerced("")
    return Coerced("", f"Measure {shown(raw)} is not in the catalogue; showing the first one.")


TRACKS: dict[str, str] = {s.replace(" ", "-"): s for s in STATUSES}  # URL value -> progress status


def coerce_track(raw: str, vocab: Vocab) -> Coerced:
    """A progress status whose measures the page lists ('' = every status)."""
    key = str(raw).strip().lower().replace(" ", "-")
    if key in TRACKS or not key:
        return Coerced(key)
    return Coerced(
        "",
        f"Progress status {shown(raw)} is not known; showing every status (the statuses: "
        f"{'; '.join(TRACKS.values())}).",
    )


PROGRESS_PARAMS: tuple[Param, ...] = (
    Param("by", "by", coerce_rollup, lambda v: ROLLUPS[0], str, ("progress",),
          "Roll-up of the progress statuses: outcome (2040 target outcome), board or principle.",
          "by=board"),
    Param("dm", "designation_measure", coerce_picked_measure, lambda v: "", str, ("progress",),
          "Measure whose before-and-after-designation chart is shown (measure id).",
          "dm=claimant-count"),
    Param("fm", "funnel_measure", coerce_picked_measure, lambda v: "", str, ("progress",),
          "Measure whose funnel plot of every authority is shown (one with counts and denominators).",
          "fm=fuel-poverty"),
    Param("track", "track", coerce_track, lambda v: "", str, ("progress",),
          "List only the measures with this progress status: " + ", ".join(TRACKS) + ".",
          "track=moving-away"),
)  # fmt: skip

# -- the comparator kept by the pages that compare with nothing ---------------------------------

# The ward maps and the plan tracker compare the place with no other area, but keep the reader's
# comparator (and a custom group's members) in their links, so a shared link and the next page
# keep the reader's choice. Checked without the build's vocabulary (these pages do not load it):
# a group id, and codes that look like an authority's (the next monitor page checks them again).
CARRIED_PAGES: tuple[str, ...] = ("wards", "plan")


def coerce_carried_group(raw: str, vocab: Any) -> Coerced:
    """The comparator group id, as every monitor page reads it (the default with a notice)."""
    return coerce_group(raw, Vocab(areas={}))


def coerce_carried_members(raw: str, vocab: Any) -> Coerced:
    """A custom group's members: authority codes kept in order, others dropped with a notice."""
    parts = [p.strip().upper() for p in str(raw).split(",") if p.strip()]
    good = list(dict.fromkeys(p for p in parts if _AREA_RE.match(p)))[:MAX_CUSTOM]
    bad = [p for p in parts if not _AREA_RE.match(p)]
    notice = (
        f"Ignored {len(bad)} unknown code(s) in the custom group: {shown(','.join(bad))}."
        if bad
        else None
    )
    return Coerced(tuple(good), notice)


CARRIED_PARAMS: tuple[Param, ...] = (
    Param("cmp", "cmp", coerce_carried_group, lambda v: DEFAULT_GROUP, str, CARRIED_PAGES,
          "Comparator group chosen on the other pages (default: england). These pages compare "
          "with nothing but keep it in their links, so the next page and a shared link keep it.",
          "cmp=region"),
    Param("with", "members", coerce_carried_members, lambda v: (), lambda t: ",".join(t),
          CARRIED_PAGES,
          "Members of a custom comparator group (with cmp=custom), kept in the links as cmp is.",
          "cmp=custom&with=E06000039,E08000025"),
)  # fmt: skip


def read_carried(
    url: Mapping[str, str], memory: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The comparator (and a custom group's members) a page that compares with nothing keeps:
    the link's, else the session's memory, else the default; notices only for the link's values."""
    values, notices = parse_url(CARRIED_PARAMS, url, None)
    recalled, _ = parse_url(
        [p for p in CARRIED_PARAMS if p.key not in url and p.key in memory], memory, None
    )
    values.update(recalled)
    kept = {"cmp": values["cmp"]}
    if values["cmp"] == "custom":
        kept["with"] = ",".join(values["members"])
    return {k: v for k, v in kept.items() if v}, notices


# every URL key of every page, declared once: the one parser reads from it, the one writer
# (lutonwb.ui.urls) refuses keys not in it, and the methods page lists it
REGISTRY: tuple[Param, ...] = PARAMS + WARD_PARAMS + PLAN_PARAMS + PROGRESS_PARAMS + CARRIED_PARAMS
# a monitor page's own keys parsed apart from PARAMS (the progress page's), which its link
# carries too: a shared link must reopen the view the address bar shows
OWN_LINK_KEYS: dict[str, tuple[str, ...]] = {
    page: tuple(p.key for p in PROGRESS_PARAMS if page in p.pages) for page in SHARED_PAGES
}


def params_of(page: str) -> tuple[Param, ...]:
    """The keys one page reads for itself, in reading order (not those it only carries)."""
    return tuple(p for p in REGISTRY if page in p.pages and p not in CARRIED_PARAMS)


def keys_of(page: str) -> tuple[str, ...]:
    """The URL keys of one page's links: those it reads, then those it carries."""
    carried = tuple(p.key for p in CARRIED_PARAMS if page in p.pages)
    return tuple(p.key for p in params_of(page)) + carried


def take(p: Param, url: Mapping[str, str], vocab: Any) -> Coerced:
    """One key: the link's value coerced (with its notice), else the key's default."""
    return p.coerce(url[p.key], vocab) if p.key in url else Coerced(p.default(vocab))


def parse_url(
    params: Sequence[Param], url: Mapping[str, str], vocab: Any
) -> tuple[dict[str, Any], list[str]]:
    """The one parser: each key's value by attribute, and the notices for unusable values."""
    values: dict[str, Any] = {}
    notices: list[str] = []
    for p in params:
        c = take(p, url, vocab)
        values[p.attr] = c.value
        if c.notice:
            notices.append(c.notice)
    return values, notices


@dataclass(frozen=True)
class WardState:
    """The ward map's view, validated."""

    layer: str
    geo: str
    ward: str  # '' = no ward selected
    notices: tuple[str, ...]
    ranked_open: bool = False  # the tables below the map, each drawn only while open
    inequality_open: bool = False
    composite_open: bool = False
    kept: tuple[tuple[str, str], ...] = ()  # the comparator it carries (read_carried), as pairs

    def opened(self) -> tuple[str, ...]:
        """The URL keys of the open tables."""
        return tuple(p.key for p in WARD_PARAMS[3:] if getattr(self, p.attr))

    def params(self) -> dict[str, str]:
        """This view's URL keys: layer, geography, ward and the open tables."""
        return ward_params(self.layer, self.geo, self.ward, self.opened())


def read_ward_state(url: Mapping[str, str], vocab: WardVocab) -> WardState:
    """?layer=&geo=&ward= as a valid view: the layer first, then a geography that layer has."""
    first, notices = parse_url(WARD_PARAMS[:1], url, vocab)
    rest, more = parse_url(WARD_PARAMS[1:], url, replace(vocab, layer=first["layer"]))
    return WardState(**first, **rest, notices=tuple(notices + more))


def ward_params(layer: str, geo: str, ward: str, opened: Sequence[str] = ()) -> dict[str, str]:
    """The ward map's URL keys for a view (no ward: no key), with `opened` sections' keys = 1."""
    view = {k: v for k, v in (("layer", layer), ("geo", geo), ("ward", ward)) if v}
    return view | dict.fromkeys(opened, "1")


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
    map_open: bool = False  # the measure page's England map
    # sections drawn only while open (lutonwb.ui.sections), each with its URL key
    ranked_open: bool = False
    breakdown_open: bool = False
    reported_open: bool = False
    actions_open: bool = False
    spine_open: bool = False
    catalogue_open: bool = False
    series_open: bool = False  # the methods page's long reference tables
    missing_open: bool = False
    glossary_open: bool = False
    keys_open: bool = False
    counts_vs: str = "england"  # the overview's count tabs: the benchmark shown

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
        return link_params(page, st.url_values())


def _unusable_custom_group(cmp: str, members: tuple[str, ...], area: str) -> str:
    """Why a chosen custom group cannot be used ('' when it can): no valid members, or only the
    home area itself (which would rank it 1 of 1 against nobody)."""
    if cmp != "custom" or set(members) - {area}:
        return ""
    why = (
        "has no valid members"
        if not members
        else "holds only the home area, so nothing to compare with"
    )
    return (
        f"The custom group {why}; showing {DEFAULT_GROUP} instead. "
        "Add other authorities with ?with=CODE,CODE."
    )


def read_state(
    url: Mapping[str, str], memory: Mapping[str, str], vocab: Vocab
) -> tuple[State, dict[str, str]]:
    """URL values win, then the session's memory, then defaults; returns the state and new memory.

    Only URL values raise notices: remembered values were already checked once.
    """
    values, notices = parse_url(PARAMS, url, vocab)
    recalled, _ = parse_url(
        [p for p in PARAMS if p.key not in url and p.key in memory], memory, vocab
    )
    values.update(recalled)
    unusable = _unusable_custom_group(values["cmp"], values["members"], values["area"])
    if unusable:
        if url.keys() & {"cmp", "with", "area"}:
            notices.append(unusable)
        values["cmp"] = DEFAULT_GROUP
    state = State(**values, notices=tuple(notices))
    remembered = {k: v for k, v in state.url_values().items() if v != ""}
    return state, remembered


def link_params(page: str, values: Mapping[str, str]) -> dict[str, str]:
    """One page's link parameters from a mapping of key to value: the shared keys, then that
    page's own, in their declared order, blanks and other keys left out."""
    keys = GLOBAL_KEYS + PAGE_KEYS.get(page, ()) + OWN_LINK_KEYS.get(page, ())
    return {k: values[k] for k in keys if values.get(k)}


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


def used_on(p: Param) -> str:
    """The pages a key applies to, in words."""
    return ", ".join(PAGE_NAMES[page] for page in p.pages)


class _Examples(dict):
    """Example values by placeholder; one the place lacks reads as a plain stand-in."""

    def __missing__(self, key: str) -> str:
        return key.upper()


def describe_keys(examples: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """Every URL key of every page as rows for the methods page (key, where, meaning, example).
    Examples naming the place's own codes and ids ({area}, {ward}, {board}, {outcome}, {plan},
    {plans}, {action}) are filled from `examples` (from the place's data, never typed here)."""
    fill = _Examples(examples or {})
    return [
        {
            "key": p.key,
            "used on": used_on(p),
            "meaning": p.description.format_map(fill),
            "example": f"/{p.pages[0]}?{p.example.format_map(fill)}",
        }
        for p in REGISTRY
    ]


def alias_map(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Lower-cased lookup from (name, id) pairs; the first pair for a name wins."""
    out: dict[str, str] = {}
    for name, ident in pairs:
        out.setdefault(str(name).strip().lower(), ident)
    return out
