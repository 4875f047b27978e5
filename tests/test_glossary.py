"""The glossary: the monitor's words and the place's own, whole-word matching, named errors."""

from __future__ import annotations

import pytest

from lutonwb import glossary


def test_the_place_adds_its_own_abbreviations() -> None:
    words = glossary.glossary()
    assert words["HETP"] == "Health Equity Town Partnership"  # Luton's own file
    assert words["NEET"] == "Not in education, employment or training"  # the monitor's
    assert list(words) == sorted(words, key=str.casefold)


def test_terms_in_matches_whole_words_and_plurals() -> None:
    found = glossary.terms_in(["Support people with LTCs and LD", "Link hubs to the ICB."])
    assert set(found) >= {"LTC", "LD", "ICB"}
    assert "SEN" not in glossary.terms_in(["SEND reforms"])  # a word inside another is not it
    assert "SEND" in glossary.terms_in(["SEND reforms"])
    assert glossary.terms_in(["nothing here"]) == {}


def test_a_place_term_replaces_the_monitors(tmp_path, monkeypatch) -> None:
    (tmp_path / "glossary.yaml").write_text("ICB: Our own wording\n")
    monkeypatch.setenv("LUTONWB_PLACE", str(tmp_path))
    assert glossary.glossary()["ICB"] == "Our own wording"
    assert "HETP" not in glossary.glossary()  # Luton's terms stay in Luton's folder


@pytest.mark.parametrize(
    ("text", "names"),
    [("ICB: [unclosed\n", "line"), ("- a list\n", "expected 'term: meaning'"), ("ICB:\n", "'ICB'")],
)
def test_a_malformed_glossary_names_file_and_term(tmp_path, text, names) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text(text)
    with pytest.raises(glossary.GlossaryError, match=names) as err:
        glossary.read_terms(path)
    assert str(path) in str(err.value)


def test_the_comparator_and_fuel_poverty_names_are_explained_in_words() -> None:
    words = glossary.glossary()
    assert words["CSSNBT"].startswith(
        "Children's Services Statistical Neighbour Benchmarking Tool, the Department for Education's"
    )
    # the older fuel poverty measure's title spells the definition out rather than abbreviating it
    title = "Households in fuel poverty (Low Income High Costs, to 2018)"
    found = glossary.terms_in([title])
    assert found["Low Income High Costs"].startswith("The definition of fuel poverty in England")
    assert "above the national median" in found["Low Income High Costs"]
    assert "CSSNBT" in glossary.terms_in(["Statistical neighbours (CSSNBT 2025)"])
