"""A catalogue with each kind of mistake gives a CatalogueError naming the file, the line and the
key; never a bare Python exception. Covers the kinds tests/test_catalogue.py does not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lutonwb.catalogue import CatalogueError, load_catalogue
from tests.catalogue_sample import GOOD, line_of

BETA_TAIL = '    seed_refs: ["000"]\n    status_note: reported figures only\n'
ALPHA_DATA = "    data:\n      - series: lait/FSP_NEW_GOODDEV\n"
ALPHA_POLARITY = "    polarity: higher-better\n"

# (case, (old, new), expected key, (line needle, nth) or None, problem fragment)
MISTAKES = [
    ("missing section", ("life_course:\n  - id: start\n    title: Start well\n", ""),
     "life_course", None, "missing required section"),
    ("unknown section", ("measures:\n", "colours:\n  - red\nmeasures:\n"),
     "colours", ("colours:", 1), "unknown section"),
    ("section not a list", ("life_course:\n  - id: start\n    title: Start well\n",
                            "life_course: start\n"), "life_course", ("life_course: start", 1), "must be a list"),
    ("item not a mapping", ("measures:\n", "measures:\n  - just a title\n"),
     "measures[0]", ("just a title", 1), "must be a mapping"),
    ("empty required text", ("    title: Beta measure", "    title: \"  \""),
     "measures[beta].title", ('title: "  "', 1), "must not be empty"),
    ("unknown life-course stage", ("    life_course: [start]\n    geographies", "    life_course: [cradle]\n    geographies"),
     "measures[alpha].life_course", ("life_course: [cradle]", 1), "not a known life-course stage"),
    ("life-course section id", ("  - id: start\n    title: Start well", "  - id: youth\n    title: Start well"),
     "life_course[youth].id", ("id: youth", 1), "not one of"),
    ("unknown geography", ("    geographies: [utla]\n    seed_refs: [\"000\"]\n    status_note: \"\"",
                           "    geographies: [county]\n    seed_refs: [\"000\"]\n    status_note: \"\""),
     "measures[alpha].geographies", ("geographies: [county]", 1), "not a known geography"),
    ("principle out of range", ("  - number: 1\n", "  - number: 9\n"),
     "principles[9].number", ("number: 9", 1), "not a Marmot principle"),
    ("reported-only without a reason", (BETA_TAIL, "    seed_refs: [\"000\"]\n    status_note: \"\"\n"),
     "measures[beta].status_note", ("    data: []", 1), "needs a status_note"),
    ("binding not a mapping", (ALPHA_DATA, "    data:\n      - lait/FSP_NEW_GOODDEV\n"),
     "measures[alpha].data[0]", ("- lait/FSP_NEW_GOODDEV", 1), "must be a mapping"),
    ("binding without series", (ALPHA_DATA, "    data:\n      - sex: Male\n"),
     "measures[alpha].data[0].series", ("- sex: Male", 1), "missing required field"),
    ("binding unknown key", (ALPHA_DATA, ALPHA_DATA + "        colour: red\n"),
     "measures[alpha].data[0].colour", ("colour: red", 1), "unknown key"),
    ("binding bad sex", (ALPHA_DATA, ALPHA_DATA + "        sex: Men\n"),
     "measures[alpha].data[0].sex", ("sex: Men", 1), "not one of"),
    ("binding bad scale", (ALPHA_DATA, ALPHA_DATA + "        scale: ten\n"),
     "measures[alpha].data[0].scale", ("scale: ten", 1), "wrong type"),
    ("binding bad series id", (ALPHA_DATA, "    data:\n      - series: FSP NEW GOODDEV\n"),
     "measures[alpha].data[0].series", ("series: FSP NEW GOODDEV", 1), "not a series id"),
    ("list given as text", ("    life_course: [start]\n    geographies", "    life_course: start\n    geographies"),
     "measures[alpha].life_course", ("life_course: start", 1), "expected list"),
    ("number given as text", ("  - number: 1\n", "  - number: one\n"),
     "principles[one].number", ("number: one", 1), "expected int"),
    ("html in an id", ("  - id: alpha", "  - id: <script>alert(1)</script>"),
     "measures[<script>alert(1)</script>].id", ("<script>", 1), "not a slug"),
    ("tab indentation", ("    definition: A thing.", "\tdefinition: A thing."), "", None, "not valid YAML"),
    ("unbound series that is bound", ("measures:\n", "unbound_series:\n  - series: lait/FSP_NEW_GOODDEV\n"
                                      "    reason: none\nmeasures:\n"),
     "unbound_series[lait/FSP_NEW_GOODDEV].series", ("- series: lait/FSP_NEW_GOODDEV", 1), "cannot also be unbound"),
    ("decimals above three", (ALPHA_POLARITY, ALPHA_POLARITY + "    decimals: 4\n"),
     "measures[alpha].decimals", ("decimals: 4", 1), "4 is not a number of decimal places from 0 to 3"),
    ("negative decimals", (ALPHA_POLARITY, ALPHA_POLARITY + "    decimals: -1\n"),
     "measures[alpha].decimals", ("decimals: -1", 1), "-1 is not a number of decimal places"),
    ("decimals as words", (ALPHA_POLARITY, ALPHA_POLARITY + "    decimals: one\n"),
     "measures[alpha].decimals", ("decimals: one", 1), "'one' is a str, expected int"),
    ("decimals as a fraction", (ALPHA_POLARITY, ALPHA_POLARITY + "    decimals: 1.5\n"),
     "measures[alpha].decimals", ("decimals: 1.5", 1), "1.5 is a float, expected int"),
    ("decimals as yes", (ALPHA_POLARITY, ALPHA_POLARITY + "    decimals: true\n"),
     "measures[alpha].decimals", ("decimals: true", 1), "True is a bool, expected int"),
    ("decimals in a binding", (ALPHA_DATA, ALPHA_DATA + "        decimals: 1\n"),
     "measures[alpha].data[0].decimals", ("        decimals: 1", 1), "unknown key"),
]  # fmt: skip

# mistakes the loader once let through as bare exceptions or silently (reasons kept as history)
KNOWN_GAPS = {
    "duplicate key": (
        ("    polarity: higher-better\n", "    polarity: higher-better\n    polarity: lower-better\n"),
        "measures[alpha].polarity",
        "lutonwb/catalogue.py:_Loader.load uses yaml.safe_load, which keeps the last of two equal keys "
        "silently; check each MappingNode for repeated keys in _children()",
    ),
    "non-text key": (
        ('    unit: "%"\n    value_type: percentage\n    polarity: higher-better',
         '    unit: "%"\n    1: one\n    value_type: percentage\n    polarity: higher-better'),
        "measures[alpha].1",
        "lutonwb/catalogue.py:_Loader._items looks up kids[key] with the parsed key (int 1) but "
        "_children() keys by the scalar text ('1'): KeyError instead of 'unknown key'",
    ),
    "non-text key in a binding": (
        ("      - series: lait/FSP_NEW_GOODDEV\n", "      - series: lait/FSP_NEW_GOODDEV\n        1: one\n"),
        "measures[alpha].data[0].1",
        "lutonwb/catalogue.py:_Loader._bindings looked up kids[k] with the parsed key (int 1): "
        "KeyError instead of 'unknown key'",
    ),
}  # fmt: skip


def _write(tmp_path: Path, old: str, new: str, case: str) -> tuple[Path, str]:
    assert old in GOOD, f"{case}: the valid catalogue changed; update the edit"
    text = GOOD.replace(old, new, 1)
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_the_valid_catalogue_loads(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert set(load_catalogue(path).measures) == {"alpha", "beta"}


@pytest.mark.parametrize(
    ("case", "edit", "key", "where", "problem"), MISTAKES, ids=[m[0] for m in MISTAKES]
)
def test_mistake_is_named(tmp_path: Path, case, edit, key, where, problem) -> None:
    path, text = _write(tmp_path, *edit, case)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    err, msg = info.value, str(info.value)
    assert msg.startswith("catalogue.yaml"), msg
    assert err.key == key, msg
    if key:
        assert f"key {key}:" in msg, msg
    if where is not None:
        assert err.line == line_of(text, *where), msg
    assert problem in msg, msg


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="no such file"):
        load_catalogue(tmp_path / "catalogue.yaml")


@pytest.mark.parametrize(
    "text", ["", "just a sentence\n", "- a\n- list\n"], ids=["empty", "scalar", "list"]
)
def test_not_a_mapping_is_named(tmp_path: Path, text: str) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match="must be a mapping"):
        load_catalogue(path)


def test_non_utf8_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_bytes(GOOD.replace("A thing.", "Caf\xe9 \u00a3").encode("latin-1"))
    with pytest.raises(CatalogueError, match="UTF-8"):
        load_catalogue(path)


@pytest.mark.parametrize("case", list(KNOWN_GAPS))
def test_former_gap_is_named(tmp_path: Path, case: str) -> None:
    (old, new), key, _ = KNOWN_GAPS[case]
    path, _ = _write(tmp_path, old, new, case)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert info.value.key == key, str(info.value)
