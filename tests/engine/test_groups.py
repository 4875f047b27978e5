"""Comparator groups and their members (lutonwb/engine/groups.py)."""

from __future__ import annotations

import re

import pytest

from lutonwb.engine import EngineError, UnknownArea, UnknownGroup
from tests.engine.build import B_, C_, E_, EAST_UTLAS, G_, H_, LEGACY, LONDON_UTLAS, LUTON


# -- groups ---------------------------------------------------------------------------------------
def test_authorities_are_current_utlas(eng):
    a = eng.authorities()
    assert set(a["area_code"]) == set(EAST_UTLAS + LONDON_UTLAS)
    assert a.set_index("area_code").loc[LUTON, "region_name"] == "East of England"


@pytest.mark.parametrize(
    ("group", "custom", "members"),
    [
        ("england", (), set(EAST_UTLAS + LONDON_UTLAS) - {LUTON}),
        ("all", (), set(EAST_UTLAS + LONDON_UTLAS) - {LUTON}),
        ("region", (), set(EAST_UTLAS) - {LUTON}),
        ("cssnbt-2021", (), {B_, G_, E_}),  # legacy Northamptonshire dropped
        ("cssnbt-2025", (), set()),
        ("custom", (C_, H_, "E99999999", "bad", LUTON), {C_, H_}),
    ],
)
def test_group_members(eng, group, custom, members):
    assert set(eng.group_members(group, LUTON, custom)) == members


def test_group_notes_name_what_was_dropped(eng):
    notes = eng.group_notes("cssnbt-2021", LUTON)
    assert any("Northamptonshire (E10000021)" in n for n in notes)
    notes = eng.group_notes("custom", LUTON, ["E99999999", C_])
    assert len(notes) == 1 and "E99999999" in notes[0]
    assert eng.group_notes("cssnbt-2025", LUTON)[0] == (
        "Statistical neighbours (CSSNBT 2025): none are published for this authority."
    )


def test_unknown_area_and_group(eng):
    with pytest.raises(UnknownArea):
        eng.scorecard("E99999999", "england")
    with pytest.raises(UnknownArea, match="not a current"):
        eng.scorecard(LEGACY, "england")
    with pytest.raises(UnknownGroup):
        eng.scorecard(LUTON, "cipfa")
    with pytest.raises(EngineError):
        eng.scorecard(LUTON, "england", board="no-such-board")


def test_real_similar_areas_are_fifteen_open_neighbours(real):
    members = real.group_members("similar", "E06000032")
    assert len(members) == 15 and "E06000032" not in members
    text = real.similar_areas_method()
    assert "licensed product" in text and "Variables used in this build" in text


def test_real_similar_group_uses_deprivation(real):
    from lutonwb.comparators import SIMILAR_VARIABLES

    members = real.group_members("similar", "E06000032")
    assert len(members) == 15 and set(members) <= set(real.authorities()["area_code"])
    text = real.similar_areas_method()
    for var in SIMILAR_VARIABLES:
        assert var.label in text
    assert "Not available in this build" not in text
    # in words for readers: no table or series names, no ISO dates
    assert not re.search(r"\b[a-z]+_[a-z0-9_]+\b|\d{4}-\d{2}-\d{2}", text), text
