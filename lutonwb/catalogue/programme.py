"""A place's programme.yaml → its target outcomes, boards and overarching (headline) measures,
assigned onto the shared catalogue's measures."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import yaml

from lutonwb.catalogue.model import Board, Catalogue, Outcome
from lutonwb.catalogue.yamlfile import Spec, YamlFile

PROGRAMME_FILE = "programme.yaml"
_TOP_PROGRAMME = {"overarching": False, "outcomes": False, "boards": False}
_SPEC_OUTCOME: Spec = {
    "id": (str, True),
    "title": (str, True),
    "priority": (str, True),
    "document": (str, True),
    "set": (str, True),
    "measures": (list, True),
}
_SPEC_BOARD: Spec = {
    "id": (str, True),
    "title": (str, True),
    "aliases": (list, False),
    "remit": (str, True),
    "priorities": (list, True),
    "workstreams": (list, True),
    "outcomes": (list, True),
    "measures": (list, True),
}


def with_programme(path: Path, cat: Catalogue) -> Catalogue:
    """`cat` with the outcomes, boards and overarching measures of the programme file at `path`."""
    f = YamlFile(path)
    data, nodes = f.read(_TOP_PROGRAMME)
    empty = ([], yaml.SequenceNode("tag:yaml.org,2002:seq", []))

    def section(key: str) -> tuple[list, yaml.Node]:
        return (data[key], nodes[key][1]) if data.get(key) else empty

    outcomes, by_outcome = _outcomes(f, *section("outcomes"), cat.measures)
    boards, by_board = _boards(f, *section("boards"), outcomes, cat.measures)
    items, node = section("overarching")
    overarching = set(f.refs(items, node, "overarching", cat.measures, "measure"))
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


def _covers(f: YamlFile, it: dict, kids: dict, label: str, measures: dict) -> set[str]:
    """The measure ids an outcome or board lists, each a known measure id."""
    return set(
        f.refs(it["measures"], kids["measures"][1], f"{label}.measures", measures, "measure")
    )


def _outcomes(
    f: YamlFile, items: list, seq: yaml.Node, measures: dict
) -> tuple[dict[str, Outcome], dict[str, set[str]]]:
    """id → outcome, and id → the measure ids it covers."""
    out: dict[str, Outcome] = {}
    covers: dict[str, set[str]] = {}
    for label, it, kids in f.items("outcomes", items, seq, _SPEC_OUTCOME, "id"):
        f.slug(it["id"], kids["id"][1], f"{label}.id")
        out[it["id"]] = Outcome(it["id"], it["title"], it["priority"], it["document"], it["set"])
        covers[it["id"]] = _covers(f, it, kids, label, measures)
    return out, covers


def _boards(
    f: YamlFile, items: list, seq: yaml.Node, outcomes: dict[str, Outcome], measures: dict
) -> tuple[dict[str, Board], dict[str, set[str]]]:
    """id → board, and id → the measure ids it covers."""
    out: dict[str, Board] = {}
    covers: dict[str, set[str]] = {}
    for label, it, kids in f.items("boards", items, seq, _SPEC_BOARD, "id"):
        f.slug(it["id"], kids["id"][1], f"{label}.id")
        out[it["id"]] = Board(
            it["id"],
            it["title"],
            f.optional_strs(it, kids, "aliases", label),
            it["remit"],
            f.strs(it["priorities"], kids["priorities"][1], f"{label}.priorities"),
            f.strs(it["workstreams"], kids["workstreams"][1], f"{label}.workstreams"),
            f.refs(it["outcomes"], kids["outcomes"][1], f"{label}.outcomes", outcomes, "outcome"),
        )
        covers[it["id"]] = _covers(f, it, kids, label, measures)
    return out, covers
