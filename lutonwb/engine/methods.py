"""The rating rules in plain English for the methods page, read from methods.md beside this file."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

METHODS_FILE = Path(__file__).with_name("methods.md")


@cache
def methods_prose() -> dict[str, str]:
    """Topic -> paragraph, from methods.md's '## topic' sections (in file order)."""
    text = re.sub(r"<!--.*?-->", "", METHODS_FILE.read_text(encoding="utf-8"), flags=re.S)
    out: dict[str, str] = {}
    for block in re.split(r"^## ", text, flags=re.M)[1:]:
        topic, _, body = block.partition("\n")
        out[topic.strip()] = " ".join(body.split())
    return out
