"""What readers must never see in a page's words: the code-like fragments of developer notes."""

from __future__ import annotations

import re

# each: (what it is, the pattern that finds it)
INTERNALS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("section sign", re.compile("§")),
    ("file name", re.compile(r"\b[\w-]+\.(csv|md|py|yaml|parquet|json|xlsx|ods|gz|rda)\b", re.I)),
    ("folder path", re.compile(r"\b(data|raw|lutonwb|pages|tests)/\w")),
    (
        "repository",
        re.compile(
            r"\b[A-Za-z][\w-]*/[a-z][\w.]*-[\w.-]+|\b(github|repo|repository|traffordDataLab|humaniverse)\b",
            re.I,
        ),
    ),
    ("hex colour", re.compile(r"#[0-9A-Fa-f]{6}\b")),
    ("snake_case", re.compile(r"\b[a-z]+_[a-z_]+\b")),
    ("method code", re.compile(r"'(ci \(computed\)|reported|computed|quintile|ci|source)'")),
    ("commit", re.compile(r"\b[0-9a-f]{8,40}\b")),
)


def internals(text: str) -> list[str]:
    """Each code-like fragment in `text`, named by what it is ('file name: PROVENANCE.md')."""
    return [f"{what}: {m.group(0)}" for what, rx in INTERNALS for m in rx.finditer(text)]
