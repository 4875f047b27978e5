"""The catalogue's typed, frozen objects: measures, principles, a place's outcomes and boards."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class CatalogueError(Exception):
    """A problem in the catalogue file, located by line and key path."""

    def __init__(self, file: str, line: int | None, key: str, problem: str):
        self.file, self.line, self.key, self.problem = file, line, key, problem
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.key:
            where += f", key {self.key}"
        return f"{where}: {self.problem}"


# places a figure of each value_type is shown to when its measure sets no `decimals` of its own
DECIMALS_BY_TYPE = {"count": 0, "currency": 0, "ratio": 2}
DEFAULT_DECIMALS = 1
MAX_DECIMALS = 3


def places(value_type: object, decimals: object = None) -> int:
    """The decimal places a measure's figures are shown to: its catalogue `decimals` when set,
    else its value_type's rule (counts and money whole, ratios two places, the rest one). The
    one rule every page, table, caption and CSV follows (Measure.places; frames carry it as the
    `decimals` column)."""
    if decimals is not None and not (isinstance(decimals, float) and decimals != decimals):
        return int(decimals)  # type: ignore[call-overload]
    return DECIMALS_BY_TYPE.get(str(value_type or ""), DEFAULT_DECIMALS)


@dataclass(frozen=True)
class Binding:
    """One data series that feeds a measure."""

    series: str
    sex: str = "Persons"
    age: str | None = None
    category_type: str = ""
    category: str = ""
    scale: float = 1.0
    note: str = ""
    source: str = ""  # publisher of this series when it differs from the measure's source
    years: int | None = None  # keep only periods spanning this many years (series that mix shapes)


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    aliases: tuple[str, ...]
    definition: str
    unit: str
    value_type: str
    polarity: str
    source: str
    licence: str
    data: tuple[Binding, ...]
    default_comparator: str
    principles: tuple[int, ...]
    outcomes: tuple[str, ...]
    boards: tuple[str, ...]
    life_course: tuple[str, ...]
    headline: bool
    geographies: tuple[str, ...]
    seed_refs: tuple[str, ...]
    status_note: str
    trend: str = "auto"  # 'auto' = recent-trend test; 'none' = no trend judgement (see trend_note)
    trend_note: str = ""  # why there is no trend judgement (cumulative series, nominal money)
    trend_from: str = ""  # 'YYYY-MM-DD': a break in the series; earlier points are not trended
    fingertips_id: int | None = None  # the Fingertips indicator that publishes it (refresh)
    decimals: int | None = None  # places its figures are shown to, as the source publishes them

    @property
    def places(self) -> int:
        """The decimal places this measure's figures are shown to (see `places`)."""
        return places(self.value_type, self.decimals)

    @property
    def reported_only(self) -> bool:
        """No open data series: only the seeds' reported figures exist."""
        return not self.data


@dataclass(frozen=True)
class Principle:
    number: int
    title: str
    short_title: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    id: str
    title: str
    priority: str
    document: str
    set: str


@dataclass(frozen=True)
class Board:
    id: str
    title: str
    aliases: tuple[str, ...]
    remit: str
    priorities: tuple[str, ...]
    workstreams: tuple[str, ...]
    outcomes: tuple[str, ...]


@dataclass(frozen=True)
class LifeCourse:
    id: str
    title: str


@dataclass(frozen=True)
class UnboundSeries:
    series: str
    reason: str


@dataclass(frozen=True)
class Catalogue:
    path: Path
    measures: dict[str, Measure]
    principles: dict[int, Principle]
    outcomes: dict[str, Outcome]
    boards: dict[str, Board]
    aliases: dict[str, str]
    life_course: dict[str, LifeCourse] = field(default_factory=dict)
    unbound_series: dict[str, UnboundSeries] = field(default_factory=dict)

    def measure(self, id_or_alias: str) -> Measure:
        """The measure by id or alias; KeyError when unknown."""
        mid = self.resolve(id_or_alias)
        if mid is None:
            raise KeyError(id_or_alias)
        return self.measures[mid]

    def resolve(self, id_or_alias: str) -> str | None:
        """Canonical id for an id, alias or old id (case-insensitive), or None."""
        if id_or_alias in self.measures:
            return id_or_alias
        return self.aliases.get(norm_name(id_or_alias))

    def for_board(self, board_id: str) -> list[Measure]:
        return [m for m in self.measures.values() if board_id in m.boards]

    def for_principle(self, n: int) -> list[Measure]:
        return [m for m in self.measures.values() if n in m.principles]

    def for_outcome(self, outcome_id: str) -> list[Measure]:
        return [m for m in self.measures.values() if outcome_id in m.outcomes]

    def search(self, text: str) -> list[Measure]:
        """Measures whose id, title, aliases or definition contain every word of text; title hits first."""
        words = norm_name(text).split()
        if not words:
            return []
        hits: list[tuple[int, Measure]] = []
        for m in self.measures.values():
            names = " ".join([m.id, m.title, *m.aliases]).lower()
            blob = names + " " + m.definition.lower()
            if all(w in blob for w in words):
                hits.append((0 if all(w in names for w in words) else 1, m))
        return [m for _, m in sorted(hits, key=lambda h: h[0])]

    def series_ids(self) -> set[str]:
        """Every series any measure binds to."""
        return {b.series for m in self.measures.values() for b in m.data}


def norm_name(text: str) -> str:
    """Lower-case text with runs of white space made one space: how names are compared."""
    return " ".join(str(text).lower().split())
