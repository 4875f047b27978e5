"""The provenance file's sections: the methods page's "not found" list comes from data/raw."""

from __future__ import annotations

from pathlib import Path

import pytest

from lutonwb.provenance import not_found, section

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
