"""A home area's scorecard rows and the seed documents' ratings (lutonwb/engine/scorecard.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from lutonwb.engine import CONTRACT_COLUMNS, VS_WORDS, Engine
from lutonwb.engine.vocab import QUINTILE_WORDS
from tests.engine.build import (
    B_,
    LUTON,
    REAL_AREAS,
    make_areas,
    make_catalogue,
    make_groups,
    make_reported,
    make_values,
    row,
)


def test_reported_only_and_seed(eng):
    sc = eng.scorecard(LUTON, "england")
    r = row(sc, "lonely")
    assert pd.isna(r["value"]) and r["vs_england"] == "Not compared" and r["reported_only"]
    assert r["trend_method"] == "reported figures only"
    le = row(sc, "le")
    assert (le["seed_table"], le["seed_rag_region"], le["seed_trend"]) == (
        "JSNA 2022/23",
        "R",
        "No change",
    )
    assert row(eng.scorecard(B_, "england"), "le")["seed_table"] == ""  # seeds speak for Luton only


def test_scorecard_columns_and_filters(eng):
    sc = eng.scorecard(LUTON, "england")
    assert list(sc.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert list(sc["measure_id"]) == ["le", "smk", "pay", "gld", "lonely"]
    assert list(eng.scorecard(LUTON, "england", board="childrens-trust")["measure_id"]) == [
        "smk",
        "gld",
    ]
    assert list(eng.scorecard(LUTON, "england", principle=6)["measure_id"]) == ["le", "smk"]
    assert list(eng.scorecard(LUTON, "england", outcome="o1")["measure_id"]) == ["le"]


@pytest.mark.parametrize("area", REAL_AREAS)
@pytest.mark.parametrize(
    "group", ["england", "region", "cssnbt-2021", "cssnbt-2025", "similar", "all", "custom"]
)
def test_real_scorecards(real, area, group):
    custom = ["E06000039", "E08000025", "E06000001", "E99999999"] if group == "custom" else ()
    sc = real.scorecard(area, group, custom)
    assert list(sc.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert len(sc) == len(real.cat.measures) and set(sc["home_area"]) == {area}
    rated = sc[sc["value"].notna() & ~sc["reported_only"]]
    assert len(rated) > 30
    # every rated row has a rank within its group; vs words and RAG letters from the fixed sets
    assert rated["rank"].notna().all() and (rated["rank"] <= rated["group_size"]).all()
    assert set(sc["vs_group"]) <= set(VS_WORDS + QUINTILE_WORDS)
    assert set(sc["vs_england"]) <= set(VS_WORDS + QUINTILE_WORDS)
    # a fifth among all authorities for every measure with their data; a named method everywhere
    assert set(sc["england_quintile"].dropna()) <= {1, 2, 3, 4, 5}
    assert rated["england_quintile"].notna().mean() > 0.9
    named = {"ci", "ci (computed)", "source", "quintile", "reported", "not tested", ""}
    assert set(sc["vs_england_method"]) <= named and set(sc["vs_group_method"]) <= named
    assert set(sc["rag_group"]) <= {"R", "A", "G", ""}
    assert (sc.loc[sc["value"].isna(), "vs_england"] == "Not compared").all()
    if group == "custom":
        assert any("E99999999" in n for n in sc.attrs["notes"])
        assert (
            rated["group_size"].max() <= 4
        )  # three valid codes (or two + home) plus the home area
    if group in ("cssnbt-2021", "cssnbt-2025"):
        assert rated["group_size"].max() <= 11


def test_seed_ratings_follow_the_home_areas_name_in_the_areas_table():
    """Any home area gets its seed ratings: matched by its own name from the areas table."""
    rep = make_reported()
    bee = rep[rep["measure_id"] == "le"].assign(area="Bee", table="JSNA 2023/24", rag_england="G")
    e = Engine.from_frames(
        make_catalogue(), make_values(), make_areas(), make_groups(), pd.concat([rep, bee])
    )
    r = row(e.scorecard(B_, "england"), "le")
    assert (r["seed_table"], r["seed_rag_england"]) == ("JSNA 2023/24", "G")
    assert row(e.scorecard(LUTON, "england"), "le")["seed_table"] == "JSNA 2022/23"


@pytest.mark.parametrize("group", ["england", "cssnbt-2021", "similar"])
def test_a_board_or_principles_part_of_the_whole_scorecard_is_its_own_scorecard(real, group):
    """The board and principle pages take their rows from the whole scorecard every page shares:
    frame for frame, notes included, what the engine works out for that board or principle."""
    whole = real.scorecard(LUTON, group)
    parts = [{"board": b} for b in real.cat.boards] + [{"principle": p} for p in (1, 4, 8)]
    for part in [*parts, {"outcome": next(iter(real.cat.outcomes))}]:
        alone = real.scorecard(LUTON, group, **part)
        got = real.scorecard_part(whole, **part)
        pd.testing.assert_frame_equal(got, alone)
        assert got.attrs == alone.attrs
    assert len(real.scorecard_part(whole, board=next(iter(real.cat.boards)))) < len(whole)


@pytest.mark.parametrize("group", ["cssnbt-2021", "cssnbt-2025", "similar"])
def test_a_custom_group_of_a_neighbour_groups_members_is_rated_as_that_group(
    real, group, monkeypatch
):
    """A custom group starts as the group in view: with exactly its members it is rated as that
    group (the build saves those ratings), not live; every column but the label is the same."""
    from lutonwb.engine import rate as rate_mod

    members = real.group_members(group, LUTON)
    rated: list[str] = []
    real_rate = rate_mod.rate
    monkeypatch.setattr(rate_mod, "rate", lambda st, g, *a: rated.append(g) or real_rate(st, g, *a))
    # in another order and with the home area listed: a key no other test has rated
    sc = real.scorecard(LUTON, "custom", [LUTON, *reversed(members)])
    assert "custom" not in rated
    fixed = real.scorecard(LUTON, group)
    assert (sc["comparator"] == "custom").all()
    pd.testing.assert_frame_equal(sc.drop(columns="comparator"), fixed.drop(columns="comparator"))
    assert sc.attrs == {"notes": real.group_notes("custom", LUTON, [LUTON, *reversed(members)])}


def test_a_custom_group_unlike_every_neighbour_group_is_rated_live(real, monkeypatch):
    from lutonwb.engine import rate as rate_mod

    members = real.group_members("similar", LUTON)[:-1]  # one fewer than the similar areas
    rated: list[str] = []
    real_rate = rate_mod.rate
    monkeypatch.setattr(rate_mod, "rate", lambda st, g, *a: rated.append(g) or real_rate(st, g, *a))
    sc = real.scorecard(LUTON, "custom", [*reversed(members)])
    assert rated == ["custom"]
    assert sc["group_size"].max() == len(members) + 1  # the members with a value and the home


def test_a_part_of_a_scorecard_without_every_measure_is_refused(real):
    from lutonwb.engine import EngineError

    board = next(iter(real.cat.boards))
    some = real.scorecard(LUTON, "england", board=board)
    with pytest.raises(EngineError, match="no row for"):
        real.scorecard_part(some.iloc[1:], board=board)
