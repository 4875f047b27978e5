"""The place's progress tables saved beside the build equal a fresh computation, are keyed so a
changed target or home area never reads them, and are what the app reads (no recompute)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from lutonwb.catalogue import load_catalogue
from lutonwb.engine import SNAPSHOT_GROUPS
from lutonwb.progress import progress_table
from lutonwb.progress import snapshot as snap
from lutonwb.progress.targets import load_targets

LUTON = "E06000032"


def test_build_saves_one_table_per_fixed_group(saved_build):
    folder = snap.progress_folder(saved_build, load_catalogue(), load_targets(), LUTON)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"progress-{g}.parquet" for g in SNAPSHOT_GROUPS
    )
    again = snap.precompute_progress(saved_build, load_catalogue())
    assert again == "progress: precomputed tables are up to date"


@pytest.mark.parametrize("group", ["england", "similar"])
def test_saved_table_equals_a_fresh_computation(saved_build, engine, group):
    saved = snap.saved(engine, saved_build, LUTON, group, load_targets())
    fresh = progress_table(engine, LUTON, group, targets=load_targets())
    assert saved is not None and len(saved) == len(fresh) >= 100
    pd.testing.assert_frame_equal(saved, fresh)
    assert saved["principles"].map(type).eq(list).all()  # lists, as progress_table gives them
    row = snap.measure_saved_or_live(engine, saved_build, "claimant-count", LUTON, group)
    pd.testing.assert_frame_equal(
        row, fresh[fresh["measure_id"] == "claimant-count"].reset_index(drop=True)
    )


def test_saved_table_is_read_without_recomputing(saved_build, engine, monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("recomputed a table the build saved")

    monkeypatch.setattr(snap, "progress_table", refuse)
    monkeypatch.setattr(snap, "measure_progress", refuse)
    t = snap.saved_or_live(engine, saved_build, LUTON, "cssnbt-2021")
    assert (t["comparator"] == "cssnbt-2021").all() and (t["home_area"] == LUTON).all()
    with pytest.raises(AssertionError, match="recomputed"):  # a custom group is always live
        snap.saved_or_live(engine, saved_build, LUTON, "custom", ("E06000039", "E08000025"))
    with pytest.raises(AssertionError, match="recomputed"):  # so is another home area
        snap.saved_or_live(engine, saved_build, "E08000026", "england")


@pytest.mark.parametrize("group", snap.AVERAGED_GROUPS)
def test_a_custom_group_of_a_fixed_groups_members_reads_its_table(
    saved_build, engine, group, monkeypatch
):
    """Choosing "Custom group" starts from the members of the group in view: that custom group's
    table is the fixed group's, labelled custom, equal to working it out live."""
    members = tuple(engine.group_members(group, LUTON))
    assert snap.same_members_group(engine, LUTON, members) == group
    assert snap.same_members_group(engine, LUTON, (*reversed(members), LUTON)) == group
    live = progress_table(engine, LUTON, "custom", members, targets=load_targets())

    def refuse(*_a, **_k):
        raise AssertionError("worked out a table the build saved")

    monkeypatch.setattr(snap, "progress_table", refuse)
    monkeypatch.setattr(snap, "measure_progress", refuse)
    read = snap.saved_or_live(engine, saved_build, LUTON, "custom", members)
    pd.testing.assert_frame_equal(read, live)
    assert (read["comparator"] == "custom").all()
    row = snap.measure_saved_or_live(
        engine, saved_build, "claimant-count", LUTON, "custom", members
    )
    pd.testing.assert_frame_equal(
        row, live[live["measure_id"] == "claimant-count"].reset_index(drop=True)
    )


def test_a_custom_group_with_one_member_more_or_less_is_worked_out_live(engine):
    members = engine.group_members("cssnbt-2021", LUTON)
    other = next(c for c in engine.group_members("all", LUTON) if c not in members)
    assert snap.same_members_group(engine, LUTON, members[:-1]) is None
    assert snap.same_members_group(engine, LUTON, (*members, other)) is None
    assert snap.same_members_group(engine, LUTON, ()) is None
    assert "england" not in snap.AVERAGED_GROUPS and "region" not in snap.AVERAGED_GROUPS


def test_key_changes_with_targets_home_and_catalogue():
    cat, t = load_catalogue(), load_targets()
    key = snap.progress_key(cat, t, LUTON)
    assert snap.progress_key(cat, dataclasses.replace(t, default_target_year=2035), LUTON) != key
    assert snap.progress_key(cat, t, "E08000026") != key
    m = cat.measures["claimant-count"]
    flipped = dataclasses.replace(m, polarity="higher-better")
    cat2 = dataclasses.replace(cat, measures={**cat.measures, m.id: flipped})
    assert snap.progress_key(cat2, t, LUTON) != key
