"""One YAML file read with its node tree, so every problem can name the file, line and key.

The catalogue and a place's programme are both read through `YamlFile`: its checks (sections,
entries against a spec, text lists, slugs, references to known ids) raise CatalogueError.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from lutonwb.catalogue.model import CatalogueError
from lutonwb.yamlio import LOADER

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
Spec = dict[str, tuple[type | tuple[type, ...], bool]]  # key → (type, required)
TypeCheck = Callable[[Any, Any, bool], str | None]  # (value, type, required) → problem or None


class YamlFile:
    """Walks the parsed YAML alongside its node tree so every key has a line number."""

    def __init__(self, path: Path):
        self.path = path
        self.name = path.name

    def fail(self, node: yaml.Node | None, key: str, problem: str) -> CatalogueError:
        """The error for `key` at `node`'s line (no line when there is no node)."""
        line = node.start_mark.line + 1 if node is not None else None
        return CatalogueError(self.name, line, key, problem)

    def read(self, top: dict[str, bool]) -> tuple[dict, dict]:
        """The file's sections and their nodes, checked against `top` (section → required)."""
        data, root = self._parse()
        if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
            raise self.fail(root, "", "the file must be a mapping with sections " + ", ".join(top))
        nodes = children(root)
        if (dup := repeated_key(root)) is not None:
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

    def _parse(self) -> tuple[Any, yaml.Node | None]:
        """(python value, node tree) of the file's text; errors for a missing file, bytes or YAML."""
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
            root = yaml.compose(text, Loader=LOADER)
            data = yaml.load(text, Loader=LOADER)  # noqa: S506 (a safe loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc)
            raise CatalogueError(self.name, line, "", f"not valid YAML: {problem}") from exc
        return data, root

    def items(
        self, section: str, items: list, seq: yaml.Node, spec: Spec, id_key: str
    ) -> Iterator[tuple[str, dict, dict]]:
        """Yield (label, item, key→node map) for each entry, checking keys, requireds and types."""
        seen: dict[Any, int] = {}
        for i, (item, node) in enumerate(zip(items, seq.value, strict=True)):
            if not isinstance(item, dict):
                raise self.fail(node, f"{section}[{i}]", "must be a mapping")
            kids = children(node)
            ident = item.get(id_key)
            label = f"{section}[{ident if ident is not None else i}]"
            if (dup := repeated_key(node)) is not None:
                raise self.fail(
                    dup, f"{label}.{dup.value}", "appears twice in this entry; keep one"
                )
            self.check_entry(item, node, kids, label, spec)
            if ident in seen:
                raise self.fail(
                    kids[id_key][1],
                    f"{label}.{id_key}",
                    f"duplicate id {ident!r} (first at line {seen[ident]})",
                )
            seen[ident] = kids[id_key][1].start_mark.line + 1
            yield label, item, kids

    def check_entry(
        self,
        item: dict,
        node: yaml.Node,
        kids: dict,
        label: str,
        spec: Spec,
        typed: TypeCheck | None = None,
    ) -> None:
        """Every key of one entry is in `spec`, every required one is there, each has its type.

        `typed(value, type, required)` is the problem with a present value, or None; the default
        also refuses required empty text."""
        typed = typed or _type_problem
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
            if (problem := typed(item[key], typ, required)) is not None:
                raise self.fail(kids[key][1], f"{label}.{key}", problem)

    def strs(self, val: list, node: yaml.Node, key: str) -> tuple[str, ...]:
        """The list as a tuple of text, each entry non-empty."""
        for v, n in zip(val, node.value, strict=True):
            if not isinstance(v, str) or not v.strip():
                raise self.fail(n, key, f"{v!r} must be non-empty text")
        return tuple(val)

    def optional_strs(self, it: dict, kids: dict, key: str, label: str) -> tuple[str, ...]:
        """An entry's optional list of text (e.g. aliases), () when absent or empty."""
        if not it.get(key):
            return ()
        return self.strs(it[key], kids[key][1], f"{label}.{key}")

    def slug(self, value: str, node: yaml.Node, key: str) -> None:
        """Fail unless `value` is a slug."""
        if not SLUG.match(value):
            raise self.fail(
                node,
                key,
                f"{value!r} is not a slug (lower-case letters, digits and single hyphens)",
            )

    def refs(self, values: list, node: yaml.Node, key: str, known, what: str) -> tuple:
        """The list as a tuple, each entry one of `known` (a `what`, in the error)."""
        for v, n in zip(values, node.value, strict=True):
            if v not in known:
                choices = (
                    ", ".join(str(k) for k in known) if len(known) <= 20 else "the catalogue's ids"
                )
                raise self.fail(n, key, f"{v!r} is not a known {what}; expected one of {choices}")
        return tuple(values)


def _type_problem(val: Any, typ: type | tuple[type, ...], required: bool) -> str | None:
    """Why an entry's value does not fit its spec (required text must not be blank), or None."""
    if typ is str and isinstance(val, str) and not val.strip() and required:
        return "must not be empty"
    if not isinstance(val, typ) or (typ is int and isinstance(val, bool)):
        want = typ.__name__ if isinstance(typ, type) else "number"
        return f"{val!r} is a {type(val).__name__}, expected {want}"
    return None


def repeated_key(node: yaml.Node) -> yaml.Node | None:
    """The second key node of a mapping whose key text repeats (safe_load would keep the last silently)."""
    if not isinstance(node, yaml.MappingNode):
        return None
    seen: set[str] = set()
    for k, _v in node.value:
        if k.value in seen:
            return k
        seen.add(k.value)
    return None


def children(node: yaml.Node) -> dict[Any, tuple[yaml.Node, yaml.Node]]:
    """key → (key node, value node) for a mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: (k, v) for k, v in node.value}
