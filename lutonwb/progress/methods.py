"""How progress is judged, in plain English: methods.md beside this file, one section per rule,
with the place's years and stated targets filled in. The one text both the methods page (which
shows it) and the progress page (which links to it) rely on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lutonwb.catalogue import Catalogue
from lutonwb.progress.targets import PlaceTargets, load_targets

METHODS_FILE = Path(__file__).with_name("methods.md")


@dataclass(frozen=True)
class MethodSection:
    key: str  # the section's anchor on the methods page (progress-<key>)
    title: str
    text: str  # markdown: bold words and bullet lists


def _stated(cat: Catalogue, t: PlaceTargets) -> str:
    """The place's stated targets as a bullet list, by measure title, each with its document."""
    lines = [
        f"- {cat.measure(x.measure_id).title}: {x.value:g} by {x.year}. {x.source}"
        for x in t.explicit.values()
    ]
    return "\n".join(lines) or "- none: every target is the default"


def methods_sections(cat: Catalogue, targets: PlaceTargets | None = None) -> list[MethodSection]:
    """The '## key: Title' sections of methods.md in file order, filled in for the place."""
    t = targets or load_targets()
    text = re.sub(r"<!--.*?-->", "", METHODS_FILE.read_text(encoding="utf-8"), flags=re.S)
    filled = text.format(
        default_target_year=t.default_target_year,
        designation_year=t.designation_year,
        stated_targets=_stated(cat, t),
    )
    out = []
    for block in re.split(r"^## ", filled, flags=re.M)[1:]:
        head, _, body = block.partition("\n")
        key, _, title = head.partition(":")
        out.append(MethodSection(key.strip(), title.strip(), body.strip()))
    return out


def methods_text(cat: Catalogue, targets: PlaceTargets | None = None) -> str:
    """Every section as one markdown text (titles in bold), for tools and tests."""
    return "\n\n".join(f"**{s.title}.** {s.text}" for s in methods_sections(cat, targets))
