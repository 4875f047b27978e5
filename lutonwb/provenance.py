"""The bundled data's provenance file (data/raw/PROVENANCE.md): the parts the methods page shows."""

from __future__ import annotations

from pathlib import Path

from lutonwb import config

PROVENANCE_FILE = "PROVENANCE.md"
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
    """Markdown list of the data searched for but not found (None when the file or section is
    missing): the methods page's "what is missing" comes from the data folder, not from code."""
    path = (raw_dir or config.raw_dir()) / PROVENANCE_FILE
    if not path.exists():
        return None
    return section(path.read_text(encoding="utf-8"), NOT_FOUND_HEADING)
