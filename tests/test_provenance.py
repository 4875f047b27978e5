"""The provenance file's sections: the methods page's "not found" list comes from data/raw."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lutonwb.provenance import missing, not_found, section
from tests.plain_text import internals

DOC = """# Provenance

## 1. boundaries/
Files.

---

## Not found / gaps
- **CIPFA neighbours**: not found.
- IMD 2019 LSOA scores: not found.

---

## 8. extra/
More files.
"""


@pytest.mark.parametrize(
    ("text", "heading", "body"),
    [
        (DOC, "## Not found", "- **CIPFA neighbours**: not found.\n- IMD 2019 LSOA scores: not found."),
        (DOC, "## 8. extra", "More files."),
        ("## Not found\n- last section, no rule", "## Not found", "- last section, no rule"),
        ("## Not found", "## Not found", ""),
        (DOC, "## Sources", None),
    ],
)  # fmt: skip
def test_section(text: str, heading: str, body: str | None) -> None:
    assert section(text, heading) == body


def test_not_found_reads_the_file(tmp_path: Path) -> None:
    assert not_found(tmp_path) is None  # no provenance file
    (tmp_path / "PROVENANCE.md").write_text(DOC, encoding="utf-8")
    assert not_found(tmp_path).startswith("- **CIPFA neighbours**")
    (tmp_path / "PROVENANCE.md").write_text("# Provenance\n", encoding="utf-8")
    assert not_found(tmp_path) is None


def test_bundled_provenance_lists_what_was_not_found(raw_dir: Path) -> None:
    text = not_found(raw_dir)
    assert text is not None and "CIPFA 15 nearest neighbours for Luton" in text
    assert "---" not in text and "## " not in text


def test_missing_reads_the_readers_file(tmp_path: Path) -> None:
    assert missing(tmp_path) is None  # no readers' file
    (tmp_path / "MISSING.md").write_text("<!-- a note for editors -->\n\n", encoding="utf-8")
    assert missing(tmp_path) is None  # only its comment
    (tmp_path / "MISSING.md").write_text(
        "<!-- a note\nfor editors -->\n- **CIPFA's nearest neighbours**: licensed.\n",
        encoding="utf-8",
    )
    assert missing(tmp_path) == "- **CIPFA's nearest neighbours**: licensed."


def test_bundled_missing_list_is_plain_english(raw_dir: Path) -> None:
    """Each item says what is missing and why, with no file, folder, repository or section."""
    text = missing(raw_dir)
    assert text is not None and internals(text) == []
    items = [" ".join(item.split()) for item in ("\n" + text).split("\n- ")[1:]]
    assert len(items) >= 5 and all(re.fullmatch(r"\*\*[^*]+\*\*: \w.{20,}\.", i) for i in items)
    assert "CIPFA's nearest neighbours" in text and "licensed" in text
    assert "Fingertips" in text and "refresh" in text and "<!--" not in text


def test_internals_finds_the_provenance_notes(raw_dir: Path) -> None:
    """The analysts' notes are exactly what readers must not see: the checker catches them."""
    found = internals(not_found(raw_dir))
    assert any(f.startswith("section sign") for f in found)
    assert any(f.startswith("repository") for f in found)
