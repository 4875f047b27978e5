"""catalogue.yaml → the shared catalogue: principles, life-course stages, measures and the
series left unbound on purpose (no place's boards or outcomes yet: see programme.py)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from lutonwb import config
from lutonwb.catalogue.model import (
    MAX_DECIMALS,
    Binding,
    Catalogue,
    LifeCourse,
    Measure,
    Principle,
    UnboundSeries,
    norm_name,
)
from lutonwb.catalogue.yamlfile import Spec, YamlFile, children
from lutonwb.comparators import GROUP_IDS
from lutonwb.refresh.provenance import downloaded_series

POLARITIES = ("higher-better", "lower-better", "none")
VALUE_TYPES = ("percentage", "rate", "years", "count", "ratio", "score", "currency", "mean")
COMPARATORS = GROUP_IDS  # one list of comparator groups: lutonwb.comparators
LIFE_COURSE = ("start", "live", "age")
GEOGRAPHIES = ("england", "region", "utla", "ltla", "ward", "lsoa")
TRENDS = ("auto", "none")
SEXES = ("Persons", "Male", "Female")
Downloads = dict[int, tuple[str, str, str | None]]  # Fingertips id → (series, sex, age)

_SPEC_MEASURE: Spec = {
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
    "decimals": (int, False),
}
_SPEC_BINDING: Spec = {
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
_SPEC_PRINCIPLE: Spec = {
    "number": (int, True),
    "title": (str, True),
    "short_title": (str, True),
    "aliases": (list, False),
}
_SPEC_LIFE: Spec = {"id": (str, True), "title": (str, True)}
_SPEC_UNBOUND: Spec = {"series": (str, True), "reason": (str, True)}
_TOP = {
    "principles": True,
    "life_course": True,
    "measures": True,
    "unbound_series": False,
}


def read_catalogue(path: Path) -> Catalogue:
    """The catalogue's measures and principles (no place's boards or outcomes yet)."""
    downloads = downloaded_series(config.raw_dir())
    f = YamlFile(path)
    data, nodes = f.read(_TOP)
    principles = _principles(f, data["principles"], nodes["principles"][1])
    life = _life(f, data["life_course"], nodes["life_course"][1])
    items, seq = data["measures"], nodes["measures"][1]
    measures = {}
    for label, it, kids in f.items("measures", items, seq, _SPEC_MEASURE, "id"):
        meas = _measure(f, label, it, kids, (principles, life, downloads))
        measures[meas.id] = meas
    aliases = _aliases(f, measures, items, seq)
    unbound = _unbound(
        f, data.get("unbound_series") or [], nodes.get("unbound_series", (None, None))[1], measures
    )
    return Catalogue(path, measures, principles, {}, {}, aliases, life, unbound)


def _principles(f: YamlFile, items: list, seq: yaml.Node) -> dict[int, Principle]:
    out: dict[int, Principle] = {}
    for label, it, kids in f.items("principles", items, seq, _SPEC_PRINCIPLE, "number"):
        if not 1 <= it["number"] <= 8:
            raise f.fail(
                kids["number"][1],
                f"{label}.number",
                f"{it['number']} is not a Marmot principle 1-8",
            )
        aliases = f.optional_strs(it, kids, "aliases", label)
        out[it["number"]] = Principle(it["number"], it["title"], it["short_title"], aliases)
    return out


def _life(f: YamlFile, items: list, seq: yaml.Node) -> dict[str, LifeCourse]:
    out: dict[str, LifeCourse] = {}
    for label, it, kids in f.items("life_course", items, seq, _SPEC_LIFE, "id"):
        if it["id"] not in LIFE_COURSE:
            raise f.fail(
                kids["id"][1],
                f"{label}.id",
                f"{it['id']!r} is not one of {', '.join(LIFE_COURSE)}",
            )
        out[it["id"]] = LifeCourse(it["id"], it["title"])
    return out


def _measure(f: YamlFile, label: str, it: dict, kids: dict, known: tuple) -> Measure:
    """One checked measure entry; `known` is (principles, life-course stages, downloads)."""
    principles, life, downloads = known
    _check_measure(f, label, it, kids)

    def refs(key: str, allowed, what: str) -> tuple:
        return f.refs(it[key], kids[key][1], f"{label}.{key}", allowed, what)

    meas = Measure(
        id=it["id"],
        title=it["title"],
        aliases=f.optional_strs(it, kids, "aliases", label),
        definition=it["definition"],
        unit=it["unit"],
        value_type=it["value_type"],
        polarity=it["polarity"],
        source=it["source"],
        licence=it["licence"],
        data=_bindings(f, it["data"], kids["data"][1], f"{label}.data")
        + _api_binding(f, it, kids, label, downloads),
        default_comparator=it["default_comparator"],
        principles=refs("principles", principles, "principle"),
        outcomes=(),
        boards=(),
        life_course=refs("life_course", life or LIFE_COURSE, "life-course stage"),
        headline=False,
        geographies=refs("geographies", GEOGRAPHIES, "geography"),
        seed_refs=f.strs(it["seed_refs"], kids["seed_refs"][1], f"{label}.seed_refs"),
        status_note=it.get("status_note") or "",
        **_trend_fields(f, it, kids, label),
        fingertips_id=it.get("fingertips_id"),
        decimals=it.get("decimals"),
    )
    if meas.reported_only and not meas.status_note.strip():
        raise f.fail(
            kids["data"][1],
            f"{label}.status_note",
            "a measure with no data needs a status_note saying why",
        )
    return meas


def _check_measure(f: YamlFile, label: str, it: dict, kids: dict) -> None:
    """A measure's id is a slug, its choices are allowed values and its principles are numbers."""
    f.slug(it["id"], kids["id"][1], f"{label}.id")
    for key, allowed in (
        ("polarity", POLARITIES),
        ("value_type", VALUE_TYPES),
        ("default_comparator", COMPARATORS),
    ):
        if it[key] not in allowed:
            raise f.fail(
                kids[key][1],
                f"{label}.{key}",
                f"{it[key]!r} is not one of {', '.join(allowed)}",
            )
    for v, n in zip(it["principles"], kids["principles"][1].value, strict=True):
        if isinstance(v, bool) or not isinstance(v, int):
            raise f.fail(n, f"{label}.principles", f"{v!r} is not a principle number")
    places = it.get("decimals")
    if places is not None and not 0 <= places <= MAX_DECIMALS:
        raise f.fail(
            kids["decimals"][1],
            f"{label}.decimals",
            f"{places} is not a number of decimal places from 0 to {MAX_DECIMALS}",
        )


def _aliases(f: YamlFile, measures: dict[str, Measure], items: list, seq: yaml.Node):
    """Normalised name → measure id: every id, title and alias resolves to exactly one measure."""
    aliases: dict[str, str] = {}
    alias_line: dict[str, int] = {}
    for meas, (_, _, kids) in zip(
        measures.values(), f.items("measures", items, seq, _SPEC_MEASURE, "id"), strict=True
    ):
        names = [(meas.id, kids["id"][1]), (meas.title, kids["title"][1])]
        if meas.aliases:
            names += list(zip(meas.aliases, kids["aliases"][1].value, strict=True))
        for name, node in names:
            key = norm_name(name)
            owner = aliases.get(key)
            if owner is not None and owner != meas.id:
                raise f.fail(
                    node,
                    f"measures[{meas.id}].aliases",
                    f"{name!r} already names measure {owner!r} (line {alias_line[key]})",
                )
            aliases[key] = meas.id
            alias_line.setdefault(key, node.start_mark.line + 1)
    return aliases


def _api_binding(
    f: YamlFile, it: dict, kids: dict, label: str, downloads: Downloads
) -> tuple[Binding, ...]:
    """The downloaded Fingertips series of a positive fingertips_id (`lutonwb refresh`), if any."""
    fid = it.get("fingertips_id")
    if fid is None:
        return ()
    if fid <= 0:
        raise f.fail(kids["fingertips_id"][1], f"{label}.fingertips_id", f"{fid} is not positive")
    if fid not in downloads:
        return ()
    series, sex, age = downloads[fid]
    sex = it["data"][0].get("sex", "Persons") if it.get("data") else sex  # e.g. LE males
    note = "Downloaded from the Fingertips API"
    return (Binding(series, sex=sex, age=age, note=note, source="OHID Fingertips"),)


def _trend_fields(f: YamlFile, it: dict, kids: dict, label: str) -> dict[str, str]:
    """trend / trend_note / trend_from, checked: 'none' needs a note; trend_from is a date."""
    trend = it.get("trend") or "auto"
    note = (it.get("trend_note") or "").strip()
    start = (it.get("trend_from") or "").strip()
    if trend not in TRENDS:
        raise f.fail(
            kids["trend"][1], f"{label}.trend", f"{trend!r} is not one of {', '.join(TRENDS)}"
        )
    if trend == "none" and not note:
        node = kids["trend"][1]
        raise f.fail(node, f"{label}.trend_note", "trend: none needs a trend_note saying why")
    if start:
        try:
            date.fromisoformat(start)
        except ValueError:
            raise f.fail(
                kids["trend_from"][1],
                f"{label}.trend_from",
                f"{start!r} is not a date like 2021-08-01",
            ) from None
    return {"trend": trend, "trend_note": note, "trend_from": start}


def _bindings(f: YamlFile, items: list, seq: yaml.Node, label: str) -> tuple[Binding, ...]:
    out: list[Binding] = []
    for i, (item, node) in enumerate(zip(items, seq.value, strict=True)):
        key = f"{label}[{i}]"
        if not isinstance(item, dict):
            raise f.fail(node, key, "must be a mapping with at least 'series'")
        kids = children(node)
        _check_binding(f, item, node, kids, key)
        out.append(
            Binding(
                series=item["series"],
                sex=item.get("sex", "Persons"),
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


def _check_binding(f: YamlFile, item: dict, node: yaml.Node, kids: dict, key: str) -> None:
    """One binding's keys are known and typed, its sex is allowed, its series is 'family/name'."""
    f.check_entry(item, node, kids, key, _SPEC_BINDING, _binding_type_problem)
    sex = item.get("sex", "Persons")
    if sex not in SEXES:
        raise f.fail(kids["sex"][1], f"{key}.sex", f"{sex!r} is not one of {', '.join(SEXES)}")
    if not re.match(r"^[a-z0-9-]+/\S+", item["series"]):
        raise f.fail(
            kids["series"][1],
            f"{key}.series",
            f"{item['series']!r} is not a series id like 'family/name'",
        )


def _binding_type_problem(val: object, typ: Any, required: bool) -> str | None:
    """A binding's value of the wrong type (never a true/false), or None."""
    return (
        None
        if isinstance(val, typ) and not isinstance(val, bool)
        else f"{val!r} has the wrong type"
    )


def _unbound(
    f: YamlFile, items: list, seq: yaml.Node, measures: dict[str, Measure]
) -> dict[str, UnboundSeries]:
    out: dict[str, UnboundSeries] = {}
    if not items:
        return out
    bound = {b.series for m in measures.values() for b in m.data}
    for label, it, kids in f.items("unbound_series", items, seq, _SPEC_UNBOUND, "series"):
        if it["series"] in bound:
            raise f.fail(
                kids["series"][1],
                f"{label}.series",
                "is bound to a measure, so it cannot also be unbound",
            )
        out[it["series"]] = UnboundSeries(it["series"], it["reason"])
    return out
