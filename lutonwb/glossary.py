"""Words and abbreviations explained for readers: the monitor's own list (glossary.yaml beside
this module) and the place's (glossary.yaml in its folder), so a plan's local shorthand is
explained without code. Pages show the whole list (methods) or the terms a text uses (the plan)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from lutonwb import config
from lutonwb.yamlio import LOADER

GENERAL = Path(__file__).with_name("glossary.yaml")
PLACE_FILE = "glossary.yaml"


class GlossaryError(ValueError):
    """A glossary file that is not a list of 'term: meaning' lines (the message names file and
    term)."""


def read_terms(path: Path) -> dict[str, str]:
    """One glossary file's terms and meanings; {} when the file is absent."""
    if not path.exists():
        return {}
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)  # noqa: S506 or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        raise GlossaryError(f"{path}{line}: not valid YAML ({e})") from e
    if not isinstance(doc, dict):
        raise GlossaryError(f"{path}: expected 'term: meaning' lines, found {type(doc).__name__}")
    for term, meaning in doc.items():
        if not isinstance(meaning, str) or not meaning.strip():
            raise GlossaryError(f"{path}: term {term!r} has no meaning written as text")
    return {str(t): m.strip() for t, m in doc.items()}


def _stamp(path: Path) -> int:
    """A file's modification time (0 when absent): an edited glossary is read again."""
    return path.stat().st_mtime_ns if path.exists() else 0


@functools.lru_cache(maxsize=8)
def _glossary(place_folder: str, _stamps: tuple[int, int]) -> tuple[tuple[str, str], ...]:
    terms = {**read_terms(GENERAL), **read_terms(Path(place_folder) / PLACE_FILE)}
    return tuple(sorted(terms.items(), key=lambda kv: kv[0].casefold()))


def glossary() -> dict[str, str]:
    """Every term the reader may meet, A to Z: the monitor's, then the place's (which win)."""
    folder = config.place_dir()
    stamps = (_stamp(GENERAL), _stamp(folder / PLACE_FILE))
    return dict(_glossary(str(folder), stamps))


def _pattern(term: str) -> re.Pattern[str]:
    """A term as a whole word (an abbreviation also in its plural: 'LTCs', 'PCNs')."""
    plural = "s?" if term.isupper() else ""
    return re.compile(rf"(?<![\w-]){re.escape(term)}{plural}(?![\w-])")


def terms_in(texts: Iterable[str]) -> dict[str, str]:
    """The glossary's terms that the texts use (abbreviations matched in capitals, as written)."""
    text = "\n".join(t for t in texts if isinstance(t, str))
    return {t: m for t, m in glossary().items() if _pattern(t).search(text)}
