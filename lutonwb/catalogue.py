"""catalogue.yaml and the place's programme → typed, frozen objects, validated on load.

catalogue.yaml holds the measures and the Marmot principles, shared by every place. The place
folder's programme.yaml (optional) holds what is one town's: its target outcomes and boards, each
listing the measures it covers, and its overarching (headline) measures; the loader fills
`Measure.outcomes`, `Measure.boards` and `Measure.headline` from it.

Every problem raises CatalogueError naming the file, the YAML line and the key path, e.g.
``catalogue.yaml, line 412, key measures[good-level-of-development].polarity: 'up' is not one of
higher-better, lower-better, none`` so an analyst knows exactly what to edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from lutonwb import config
from lutonwb.comparators import GROUP_IDS
from lutonwb.refresh.provenance import PROVENANCE, api_folder, downloaded_series

POLARITIES = ("higher-better", "lower-better", "none")
VALUE_TYPES = ("percentage", "rate", "years", "count", "ratio", "score", "currency", "mean")
COMPARATORS = GROUP_IDS  # one list of comparator groups: lutonwb.comparators
LIFE_COURSE = ("start", "live", "age")
GEOGRAPHIES = ("england", "region", "utla", "ltla", "ward", "lsoa")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


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
        return self.aliases.get(_norm(id_or_alias))

    def for_board(self, board_id: str) -> list[Measure]:
        return [m for m in self.measures.values() if board_id in m.boards]

    def for_principle(self, n: int) -> list[Measure]:
        return [m for m in self.measures.values() if n in m.principles]

    def for_outcome(self, outcome_id: str) -> list[Measure]:
        return [m for m in self.measures.values() if outcome_id in m.outcomes]

    def search(self, text: str) -> list[Measure]:
        """Measures whose id, title, aliases or definition contain every word of text; title hits first."""
        words = _norm(text).split()
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


def _norm(text: str) -> str:
    return " ".join(str(text).lower().split())


# ------------------------------------------------------------------------------------------
# Loading


def load_catalogue(path: Path | None = None, place_dir: Path | None = None) -> Catalogue:
    """Read and validate the catalogue (default config.catalogue_path()) with a place's programme.

    The configured catalogue comes with the configured place's programme (config.place_dir());
    another catalogue file loads on its own unless `place_dir` names a place. A place without
    programme.yaml has no boards, target outcomes or overarching measures.
    """
    configured = config.catalogue_path()
    path = Path(path) if path is not None else configured
    if place_dir is None and path.resolve() == configured.resolve():
        place_dir = config.place_dir()
    cat = _Loader(path).load()
    programme = Path(place_dir) / PROGRAMME_FILE if place_dir is not None else None
    return _Loader(programme).programme(cat) if programme and programme.exists() else cat


def catalogue_inputs() -> tuple[Path, ...]:
    """The files the configured catalogue is read from: catalogue.yaml, the place's programme and
    the record of Fingertips downloads (an edit to any of them changes what pages show)."""
    return (
        config.catalogue_path(),
        config.place_dir() / PROGRAMME_FILE,
        api_folder(config.raw_dir()) / PROVENANCE,
    )


_SPEC_MEASURE: dict[str, tuple[type | tuple[type, ...], bool]] = {
    # key: (type, required)
    "id": (str, True),
    "title": (str, True),
    "aliases": (list, False),
    "definition": (str, True),
    "unit": (str, True),
    "value_type": (str, True),
    "polarity": (str, True),
    "source": (str, True),
    "licence": (str, True),
    "data": (list, True),
    "default_comparator": (str, True),
    "principles": (list, True),
    "life_course": (list, True),
    "geographies": (list, True),
    "seed_refs": (list, True),
    "status_note": (str, False),
    "trend": (str, False),
    "trend_note": (str, False),
    "trend_from": (str, False),
    "fingertips_id": (int, False),
}
TRENDS = ("auto", "none")
_SPEC_BINDING = {
    "series": (str, True),
    "sex": (str, False),
    "age": (str, False),
    "category_type": (str, False),
    "category": (str, False),
    "scale": ((int, float), False),
    "note": (str, False),
    "source": (str, False),
    "years": (int, False),
}
_SPEC_PRINCIPLE = {
    "number": (int, True),
    "title": (str, True),
    "short_title": (str, True),
    "aliases": (list, False),
}
_SPEC_OUTCOME = {
    "id": (str, True),
    "title": (str, True),
    "priority": (str, True),
    "document": (str, True),
    "set": (str, True),
    "measures": (list, True),
}
_SPEC_BOARD = {
    "id": (str, True),
    "title": (str, True),
    "aliases": (list, False),
    "remit": (str, True),
    "priorities": (list, True),
    "workstreams": (list, True),
    "outcomes": (list, True),
    "measures": (list, True),
}
_SPEC_LIFE = {"id": (str, True), "title": (str, True)}
_SPEC_UNBOUND = {"series": (str, True), "reason": (str, True)}
_TOP = {
    "principles": True,
    "life_course": True,
    "measures": True,
    "unbound_series": False,
}
PROGRAMME_FILE = "programme.yaml"
_TOP_PROGRAMME = {"overarching": False, "outcomes": False, "boards": False}
SEXES = ("Persons", "Male", "Female")


class _Loader:
    """Walks the parsed YAML alongside its node tree so every key has a line number."""

    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        self.downloads = downloaded_series(config.raw_dir())  # id → (series, sex, age)

    def fail(self, node: yaml.Node | None, key: str, problem: str) -> CatalogueError:
        line = node.start_mark.line + 1 if node is not None else None
        return CatalogueError(self.name, line, key, problem)

    # -- YAML → (python value, node) --------------------------------------------------------
    def read(self, top: dict[str, bool]) -> tuple[dict, dict]:
        """The file's sections and their nodes, checked against `top` (section → required)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise CatalogueError(self.name, None, "", f"no such file {self.path}") from exc
        except UnicodeDecodeError as exc:
            line = exc.object[: exc.start].count(b"\n") + 1
            raise CatalogueError(
                self.name, line, "", f"byte 0x{exc.object[exc.start]:02x} is not UTF-8 text"
            ) from exc
        try:
            # libyaml when present (10x faster: the catalogue is read at every cold start)
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            root = yaml.compose(text, Loader=loader)
            data = yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc)
            raise CatalogueError(self.name, line, "", f"not valid YAML: {problem}") from exc
        if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
            raise self.fail(root, "", "the file must be a mapping with sections " + ", ".join(top))
        nodes = _children(root)
        if (dup := _repeated_key(root)) is not None:
            raise self.fail(dup, str(dup.value), "section appears twice; keep one")
        for key in data:
            if key not in top:
                raise self.fail(
                    nodes.get(key, (root, None))[0],
                    str(key),
                    f"unknown section; expected one of {', '.join(top)}",
                )
        for key, required in top.items():
            if required and key not in data:
                raise self.fail(root, key, "missing required section")
            if key in data and not isinstance(data[key], list):
                raise self.fail(
                    nodes[key][1], key, f"must be a list, not {type(data[key]).__name__}"
                )
        return data, nodes

    def load(self) -> Catalogue:
        """The catalogue's measures and principles (no place's boards or outcomes yet)."""
        data, nodes = self.read(_TOP)
        principles = self._principles(data["principles"], nodes["principles"][1])
        life = self._life(data["life_course"], nodes["life_course"][1])
        measures, aliases = self._measures(data["measures"], nodes["measures"][1], principles, life)
        unbound = self._unbound(
            data.get("unbound_series") or [], nodes.get("unbound_series", (None, None))[1], measures
        )
        return Catalogue(self.path, measures, principles, {}, {}, aliases, life, unbound)

    def programme(self, cat: Catalogue) -> Catalogue:
        """`cat` with this place's outcomes, boards and overarching measures assigned."""
        data, nodes = self.read(_TOP_PROGRAMME)
        empty = ([], yaml.SequenceNode("tag:yaml.org,2002:seq", []))

        def section(key: str) -> tuple[list, yaml.Node]:
            return (data[key], nodes[key][1]) if data.get(key) else empty

        outcomes, by_outcome = self._outcomes(*section("outcomes"), cat.measures)
        boards, by_board = self._boards(*section("boards"), outcomes, cat.measures)
        items, node = section("overarching")
        overarching = set(self._refs(items, node, "overarching", cat.measures, "measure"))
        measures = {
            mid: replace(
                m,
                outcomes=tuple(o for o, ids in by_outcome.items() if mid in ids),
                boards=tuple(b for b, ids in by_board.items() if mid in ids),
                headline=mid in overarching,
            )
            for mid, m in cat.measures.items()
        }
        return replace(cat, measures=measures, outcomes=outcomes, boards=boards)

    def _items(self, section: str, items: list, seq: yaml.Node, spec: dict, id_key: str):
        """Yield (label, item, key→node map) for each entry, checking keys, requireds and types."""
        seen: dict[Any, int] = {}
        for i, (item, node) in enumerate(zip(items, seq.value, strict=True)):
            if not isinstance(item, dict):
                raise self.fail(node, f"{section}[{i}]", "must be a mapping")
            kids = _children(node)
            ident = item.get(id_key)
            label = f"{section}[{ident if ident is not None else i}]"
            if (dup := _repeated_key(node)) is not None:
                raise self.fail(
                    dup, f"{label}.{dup.value}", "appears twice in this entry; keep one"
                )
            for key in item:
                if key not in spec:
                    raise self.fail(
                        kids.get(str(key), (node, None))[0],
                        f"{label}.{key}",
                        f"unknown key; expected one of {', '.join(spec)}",
                    )
            for key, (typ, required) in spec.items():
                if key not in item or item[key] is None:
                    if required:
                        raise self.fail(node, f"{label}.{key}", "missing required field")
                    continue
                val = item[key]
                bad = not isinstance(val, typ) or (typ is int and isinstance(val, bool))
                if typ is str and isinstance(val, str) and not val.strip() and required:
                    raise self.fail(kids[key][1], f"{label}.{key}", "must not be empty")
                if bad:
                    want = typ.__name__ if isinstance(typ, type) else "number"
                    raise self.fail(
                        kids[key][1],
                        f"{label}.{key}",
                        f"{val!r} is a {type(val).__name__}, expected {want}",
                    )
            if ident in seen:
                raise self.fail(
                    kids[id_key][1],
                    f"{label}.{id_key}",
                    f"duplicate id {ident!r} (first at line {seen[ident]})",
                )
            seen[ident] = kids[id_key][1].start_mark.line + 1
            yield label, item, kids

    def _strs(self, val: list, node: yaml.Node, key: str) -> tuple[str, ...]:
        for v, n in zip(val, node.value, strict=True):
            if not isinstance(v, str) or not v.strip():
                raise self.fail(n, key, f"{v!r} must be non-empty text")
        return tuple(val)

    def _slug(self, value: str, node: yaml.Node, key: str) -> None:
        if not SLUG.match(value):
            raise self.fail(
                node,
                key,
                f"{value!r} is not a slug (lower-case letters, digits and single hyphens)",
            )

    def _principles(self, items: list, seq: yaml.Node) -> dict[int, Principle]:
        out: dict[int, Principle] = {}
        for label, it, kids in self._items("principles", items, seq, _SPEC_PRINCIPLE, "number"):
            if not 1 <= it["number"] <= 8:
                raise self.fail(
                    kids["number"][1],
                    f"{label}.number",
                    f"{it['number']} is not a Marmot principle 1-8",
                )
            aliases = (
                self._strs(
                    it.get("aliases") or [],
                    kids["aliases"][1] if "aliases" in kids else None,
                    f"{label}.aliases",
                )
                if it.get("aliases")
                else ()
            )
            out[it["number"]] = Principle(it["number"], it["title"], it["short_title"], aliases)
        return out

    def _life(self, items: list, seq: yaml.Node) -> dict[str, LifeCourse]:
        out: dict[str, LifeCourse] = {}
        for label, it, kids in self._items("life_course", items, seq, _SPEC_LIFE, "id"):
            if it["id"] not in LIFE_COURSE:
                raise self.fail(
                    kids["id"][1],
                    f"{label}.id",
                    f"{it['id']!r} is not one of {', '.join(LIFE_COURSE)}",
                )
            out[it["id"]] = LifeCourse(it["id"], it["title"])
        return out

    def _covers(self, it: dict, kids: dict, label: str, measures: dict) -> set[str]:
        """The measure ids an outcome or board lists, each a known measure id."""
        return set(
            self._refs(
                it["measures"], kids["measures"][1], f"{label}.measures", measures, "measure"
            )
        )

    def _outcomes(
        self, items: list, seq: yaml.Node, measures: dict
    ) -> tuple[dict[str, Outcome], dict[str, set[str]]]:
        out: dict[str, Outcome] = {}
        covers: dict[str, set[str]] = {}
        for label, it, kids in self._items("outcomes", items, seq, _SPEC_OUTCOME, "id"):
            self._slug(it["id"], kids["id"][1], f"{label}.id")
            out[it["id"]] = Outcome(
                it["id"], it["title"], it["priority"], it["document"], it["set"]
            )
            covers[it["id"]] = self._covers(it, kids, label, measures)
        return out, covers

    def _refs(self, values: list, node: yaml.Node, key: str, known, what: str) -> tuple:
        for v, n in zip(values, node.value, strict=True):
            if v not in known:
                choices = (
                    ", ".join(str(k) for k in known) if len(known) <= 20 else "the catalogue's ids"
                )
                raise self.fail(n, key, f"{v!r} is not a known {what}; expected one of {choices}")
        return tuple(values)

    def _boards(
        self, items: list, seq: yaml.Node, outcomes: dict[str, Outcome], measures: dict
    ) -> tuple[dict[str, Board], dict[str, set[str]]]:
        out: dict[str, Board] = {}
        covers: dict[str, set[str]] = {}
        for label, it, kids in self._items("boards", items, seq, _SPEC_BOARD, "id"):
            self._slug(it["id"], kids["id"][1], f"{label}.id")
            out[it["id"]] = Board(
                it["id"],
                it["title"],
                self._strs(it.get("aliases") or [], kids["aliases"][1], f"{label}.aliases")
                if it.get("aliases")
                else (),
                it["remit"],
                self._strs(it["priorities"], kids["priorities"][1], f"{label}.priorities"),
                self._strs(it["workstreams"], kids["workstreams"][1], f"{label}.workstreams"),
                self._refs(
                    it["outcomes"], kids["outcomes"][1], f"{label}.outcomes", outcomes, "outcome"
                ),
            )
            covers[it["id"]] = self._covers(it, kids, label, measures)
        return out, covers

    def _measures(self, items, seq, principles, life) -> tuple[dict[str, Measure], dict[str, str]]:
        out: dict[str, Measure] = {}
        aliases: dict[str, str] = {}
        alias_line: dict[str, int] = {}
        for label, it, kids in self._items("measures", items, seq, _SPEC_MEASURE, "id"):
            self._slug(it["id"], kids["id"][1], f"{label}.id")
            for key, allowed in (
                ("polarity", POLARITIES),
                ("value_type", VALUE_TYPES),
                ("default_comparator", COMPARATORS),
            ):
                if it[key] not in allowed:
                    raise self.fail(
                        kids[key][1],
                        f"{label}.{key}",
                        f"{it[key]!r} is not one of {', '.join(allowed)}",
                    )
            for v, n in zip(it["principles"], kids["principles"][1].value, strict=True):
                if isinstance(v, bool) or not isinstance(v, int):
                    raise self.fail(n, f"{label}.principles", f"{v!r} is not a principle number")
            meas = Measure(
                id=it["id"],
                title=it["title"],
                aliases=self._strs(it.get("aliases") or [], kids["aliases"][1], f"{label}.aliases")
                if it.get("aliases")
                else (),
                definition=it["definition"],
                unit=it["unit"],
                value_type=it["value_type"],
                polarity=it["polarity"],
                source=it["source"],
                licence=it["licence"],
                data=self._bindings(it["data"], kids["data"][1], f"{label}.data")
                + self._api_binding(it, kids, label),
                default_comparator=it["default_comparator"],
                principles=self._refs(
                    it["principles"],
                    kids["principles"][1],
                    f"{label}.principles",
                    principles,
                    "principle",
                ),
                outcomes=(),
                boards=(),
                life_course=self._refs(
                    it["life_course"],
                    kids["life_course"][1],
                    f"{label}.life_course",
                    life or LIFE_COURSE,
                    "life-course stage",
                ),
                headline=False,
                geographies=self._refs(
                    it["geographies"],
                    kids["geographies"][1],
                    f"{label}.geographies",
                    GEOGRAPHIES,
                    "geography",
                ),
                seed_refs=self._strs(it["seed_refs"], kids["seed_refs"][1], f"{label}.seed_refs"),
                status_note=it.get("status_note") or "",
                **self._trend_fields(it, kids, label),
                fingertips_id=it.get("fingertips_id"),
            )
            if meas.reported_only and not meas.status_note.strip():
                raise self.fail(
                    kids["data"][1],
                    f"{label}.status_note",
                    "a measure with no data needs a status_note saying why",
                )
            out[meas.id] = meas
        # aliases: every id, title and alias resolves to exactly one measure
        for meas, (_, _, kids) in zip(
            out.values(), self._items("measures", items, seq, _SPEC_MEASURE, "id"), strict=True
        ):
            names = [(meas.id, kids["id"][1]), (meas.title, kids["title"][1])]
            if meas.aliases:
                names += list(zip(meas.aliases, kids["aliases"][1].value, strict=True))
            for name, node in names:
                key = _norm(name)
                owner = aliases.get(key)
                if owner is not None and owner != meas.id:
                    raise self.fail(
                        node,
                        f"measures[{meas.id}].aliases",
                        f"{name!r} already names measure {owner!r} (line {alias_line[key]})",
                    )
                aliases[key] = meas.id
                alias_line.setdefault(key, node.start_mark.line + 1)
        return out, aliases

    def _api_binding(self, it: dict, kids: dict, label: str) -> tuple[Binding, ...]:
        """The downloaded Fingertips series of a positive fingertips_id (`lutonwb refresh`), if any."""
        fid = it.get("fingertips_id")
        if fid is None:
            return ()
        if fid <= 0:
            raise self.fail(
                kids["fingertips_id"][1], f"{label}.fingertips_id", f"{fid} is not positive"
            )
        if fid not in self.downloads:
            return ()
        series, sex, age = self.downloads[fid]
        sex = it["data"][0].get("sex", "Persons") if it.get("data") else sex  # e.g. LE males
        note = "Downloaded from the Fingertips API"
        return (Binding(series, sex=sex, age=age, note=note, source="OHID Fingertips"),)

    def _trend_fields(self, it: dict, kids: dict, label: str) -> dict[str, str]:
        """trend / trend_note / trend_from, checked: 'none' needs a note; trend_from is a date."""
        trend = it.get("trend") or "auto"
        note = (it.get("trend_note") or "").strip()
        start = (it.get("trend_from") or "").strip()
        if trend not in TRENDS:
            raise self.fail(
                kids["trend"][1], f"{label}.trend", f"{trend!r} is not one of {', '.join(TRENDS)}"
            )
        if trend == "none" and not note:
            node = kids["trend"][1]
            raise self.fail(
                node, f"{label}.trend_note", "trend: none needs a trend_note saying why"
            )
        if start:
            try:
                date.fromisoformat(start)
            except ValueError:
                raise self.fail(
                    kids["trend_from"][1],
                    f"{label}.trend_from",
                    f"{start!r} is not a date like 2021-08-01",
                ) from None
        return {"trend": trend, "trend_note": note, "trend_from": start}

    def _bindings(self, items: list, seq: yaml.Node, label: str) -> tuple[Binding, ...]:
        out: list[Binding] = []
        for i, (item, node) in enumerate(zip(items, seq.value, strict=True)):
            key = f"{label}[{i}]"
            if not isinstance(item, dict):
                raise self.fail(node, key, "must be a mapping with at least 'series'")
            kids = _children(node)
            for k in item:
                if k not in _SPEC_BINDING:
                    raise self.fail(
                        kids[k][0],
                        f"{key}.{k}",
                        f"unknown key; expected one of {', '.join(_SPEC_BINDING)}",
                    )
            for k, (typ, required) in _SPEC_BINDING.items():
                if k not in item or item[k] is None:
                    if required:
                        raise self.fail(node, f"{key}.{k}", "missing required field")
                    continue
                if not isinstance(item[k], typ) or isinstance(item[k], bool):
                    raise self.fail(kids[k][1], f"{key}.{k}", f"{item[k]!r} has the wrong type")
            sex = item.get("sex", "Persons")
            if sex not in SEXES:
                raise self.fail(
                    kids["sex"][1], f"{key}.sex", f"{sex!r} is not one of {', '.join(SEXES)}"
                )
            if not re.match(r"^[a-z0-9-]+/\S+", item["series"]):
                raise self.fail(
                    kids["series"][1],
                    f"{key}.series",
                    f"{item['series']!r} is not a series id like 'family/name'",
                )
            out.append(
                Binding(
                    series=item["series"],
                    sex=sex,
                    age=item.get("age"),
                    category_type=item.get("category_type", ""),
                    category=item.get("category", ""),
                    scale=float(item.get("scale", 1.0)),
                    note=item.get("note", ""),
                    source=item.get("source", ""),
                    years=item.get("years"),
                )
            )
        return tuple(out)

    def _unbound(
        self, items: list, seq: yaml.Node, measures: dict[str, Measure]
    ) -> dict[str, UnboundSeries]:
        out: dict[str, UnboundSeries] = {}
        if not items:
            return out
        bound = {b.series for m in measures.values() for b in m.data}
        for label, it, kids in self._items("unbound_series", items, seq, _SPEC_UNBOUND, "series"):
            if it["series"] in bound:
                raise self.fail(
                    kids["series"][1],
                    f"{label}.series",
                    "is bound to a measure, so it cannot also be unbound",
                )
            out[it["series"]] = UnboundSeries(it["series"], it["reason"])
        return out


def _repeated_key(node: yaml.Node) -> yaml.Node | None:
    """The second key node of a mapping whose key text repeats (safe_load would keep the last silently)."""
    if not isinstance(node, yaml.MappingNode):
        return None
    seen: set[str] = set()
    for k, _v in node.value:
        if k.value in seen:
            return k
        seen.add(k.value)
    return None


def _children(node: yaml.Node) -> dict[Any, tuple[yaml.Node, yaml.Node]]:
    """key → (key node, value node) for a mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: (k, v) for k, v in node.value}
