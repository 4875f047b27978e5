"""The place's progress settings and targets: data/places/<name>/targets.yaml.

Default target: England's latest value by the place's default target year (the Marmot framing).
Explicit targets are those the strategy documents state, each with its document and quote.
Errors name the file, the line and the key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lutonwb import config
from lutonwb.yamlio import LOADER

TARGETS_FILE = "targets.yaml"
REQUIRED_KEYS = ("measure", "value", "year", "document", "section", "quote")


class TargetsError(ValueError):
    """targets.yaml is missing or malformed; the message names file, line and key."""


@dataclass(frozen=True)
class Target:
    measure_id: str
    value: float
    year: int
    source: str  # how the target is described to readers
    explicit: bool  # stated by a document (True) or the default (False)


@dataclass(frozen=True)
class PlaceTargets:
    designation_year: int
    default_target_year: int
    explicit: dict[str, Target]

    def for_measure(self, measure_id: str, england_latest: float) -> Target:
        """The explicit target when a document states one, else England's latest by the default
        year (value NaN when England has no figure)."""
        if measure_id in self.explicit:
            return self.explicit[measure_id]
        source = (
            f"a default target: England's latest value, to be reached by "
            f"{self.default_target_year} (no strategy document states a target for this measure)"
        )
        return Target(measure_id, england_latest, self.default_target_year, source, False)


def _fail(path: Path, node: yaml.Node, key: str, problem: str) -> TargetsError:
    return TargetsError(f"{path}, line {node.start_mark.line + 1}, key {key}: {problem}")


def _mapping(node: yaml.Node | None) -> dict[str, yaml.Node]:
    return {k.value: v for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}


def _number(path: Path, node: yaml.Node, key: str, kind: type) -> Any:
    try:
        return kind(yaml.safe_load(yaml.serialize(node)))
    except (TypeError, ValueError):
        raise _fail(path, node, key, f"must be a number, got {node.value!r}") from None


def _target(path: Path, node: yaml.Node, i: int) -> Target:
    fields = _mapping(node)
    for key in REQUIRED_KEYS:
        if key not in fields or str(fields[key].value).strip() == "":
            raise _fail(path, node, f"targets[{i}].{key}", "required")
    mid = str(fields["measure"].value)
    value = _number(path, fields["value"], f"targets[{mid}].value", float)
    year = _number(path, fields["year"], f"targets[{mid}].year", int)
    doc, sec = fields["document"].value, fields["section"].value
    source = f"{doc}, {sec}: “{fields['quote'].value}”"
    if "note" in fields:
        source += f" ({fields['note'].value})"
    return Target(mid, value, year, source, True)


def _root(path: Path) -> yaml.Node | None:
    """The file's YAML node tree (line numbers kept for the error messages)."""
    if not path.is_file():
        raise TargetsError(f"{path}: no targets file (each place folder has one)")
    try:
        return yaml.compose(path.read_text(encoding="utf-8"), Loader=LOADER)
    except yaml.YAMLError as exc:
        raise TargetsError(f"{path}: not valid YAML: {exc}") from exc


def load_targets(folder: Path | None = None) -> PlaceTargets:
    """The place's targets file, validated (default: the configured place folder)."""
    path = Path(folder or config.place_dir()) / TARGETS_FILE
    top = _mapping(_root(path))
    if not top:
        raise TargetsError(f"{path}: expected a mapping of keys")
    for key in ("designation_year", "default_target_year"):
        if key not in top:
            raise TargetsError(f"{path}, key {key}: required")
    entries = top.get("targets")
    nodes = entries.value if isinstance(entries, yaml.SequenceNode) else []
    explicit = {t.measure_id: t for t in (_target(path, n, i) for i, n in enumerate(nodes))}
    return PlaceTargets(
        designation_year=_number(path, top["designation_year"], "designation_year", int),
        default_target_year=_number(path, top["default_target_year"], "default_target_year", int),
        explicit=explicit,
    )
