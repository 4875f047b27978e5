"""The bundled data's notes on what is missing: the readers' list (data/raw/MISSING.md) that the
methods page shows, and the analysts' provenance file (data/raw/PROVENANCE.md)."""

from __future__ import annotations

import re
from pathlib import Path

from lutonwb import config

PROVENANCE_FILE = "PROVENANCE.md"
MISSING_FILE = "MISSING.md"
NOT_FOUND_HEADING = "## Not found"


def section(text: str, heading: str) -> str | None:
    """The body of the first level-2 section whose heading starts with `heading` (its heading
    line and any '---' rule dropped), or None when there is no such section."""
    start = text.find(heading)
    if start < 0:
        return None
    end = text.find("\n## ", start + len(heading))
    body = text[start : end if end > 0 else None].split("\n", 1)
    return body[1].replace("\n---", "").strip() if len(body) > 1 else ""


def not_found(raw_dir: Path | None = None) -> str | None:
    """The analysts' markdown list of the data searched for but not found, with the files and
    sources searched (None when the file or section is missing). Not for readers: see missing()."""
    path = (raw_dir or config.raw_dir()) / PROVENANCE_FILE
    if not path.exists():
        return None
    return section(path.read_text(encoding="utf-8"), NOT_FOUND_HEADING)


def missing(raw_dir: Path | None = None) -> str | None:
    """The readers' markdown list of the data searched for but not found, each item saying what
    is missing and why in plain words (its comment dropped); None when the file is missing or
    empty. The methods page's "what is missing" comes from the data folder, not from code."""
    path = (raw_dir or config.raw_dir()) / MISSING_FILE
    if not path.exists():
        return None
    text = re.sub(r"<!--.*?-->", "", path.read_text(encoding="utf-8"), flags=re.S).strip()
    return text or None
