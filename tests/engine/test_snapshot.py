"""Saved ratings beside a build equal the live computation (lutonwb/engine/snapshot.py)."""

from __future__ import annotations

from lutonwb.engine import Engine
from tests.engine.build import _same, make_catalogue


def test_snapshot_gives_exactly_the_live_ratings(wh_copy):
    from lutonwb.catalogue import load_catalogue
    from lutonwb.engine import SNAPSHOT_GROUPS, snapshot_folder

    cat = load_catalogue()
    folder = snapshot_folder(wh_copy, cat)
    assert not folder.exists()
    live = Engine(wh_copy, cat, snapshot=False)
    assert not folder.exists()  # snapshot=False never writes
    Engine(wh_copy, cat)  # no snapshot yet: computes and saves one
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["grid.parquet", "meta.json", "periods.parquet", "rows.parquet", "similar.parquet"]
        + [f"rate-{g}.parquet" for g in SNAPSHOT_GROUPS]
    )
    loaded = Engine(wh_copy, cat)
    assert loaded.state.snapshot == folder and loaded.state.raw_rows is None  # values not read yet
    for g in SNAPSHOT_GROUPS:
        _same(live.rate_all(g), loaded.rate_all(g))
    custom = ["E06000039", "E08000025", "E06000052"]
    _same(live.rate_all("custom", custom), loaded.rate_all("custom", custom))
    _same(live.rate_all("region", (), "2018 - 20"), loaded.rate_all("region", (), "2018 - 20"))
    for g in ("similar", "cssnbt-2021", "custom"):
        c = custom if g == "custom" else ()
        _same(live.scorecard("E06000032", g, c), loaded.scorecard("E06000032", g, c))
    for mid in ("life-expectancy-female", "good-level-of-development", "smoking-routine-manual"):
        _same(
            live.measure_series(mid, "E06000032", "similar"),
            loaded.measure_series(mid, "E06000032", "similar"),
        )
        _same(
            live.measure_group_values(mid, "E06000032", "cssnbt-2021"),
            loaded.measure_group_values(mid, "E06000032", "cssnbt-2021"),
        )
        _same(live.measure_breakdown(mid, "E06000032"), loaded.measure_breakdown(mid, "E06000032"))
    assert live.similar_areas_method() == loaded.similar_areas_method()
    _same(live.similar_areas(), loaded.similar_areas())


def test_a_custom_group_read_from_saved_ratings_equals_it_rated_live(wh_copy, monkeypatch):
    """A custom group with exactly the similar areas' members reads that group's saved ratings:
    the scorecard equals the custom group rated live, member by member, every column."""
    from lutonwb.catalogue import load_catalogue
    from lutonwb.engine import scorecard as sc_mod

    cat = load_catalogue()
    Engine(wh_copy, cat)  # computes and saves the snapshot
    loaded = Engine(wh_copy, cat)
    members = loaded.group_members("similar", "E06000032")
    read = loaded.scorecard("E06000032", "custom", members)
    monkeypatch.setattr(sc_mod, "_rated_as", lambda st, home, g, custom: (g, tuple(custom)))
    rated = Engine(wh_copy, cat, snapshot=False).scorecard("E06000032", "custom", members)
    _same(read, rated)
    assert read.attrs == rated.attrs


def test_snapshot_is_not_used_for_another_catalogue(wh_copy):
    """Change one measure's polarity: the key changes, so the old ratings are never served."""
    import dataclasses

    from lutonwb.catalogue import load_catalogue
    from lutonwb.engine import snapshot_folder

    cat = load_catalogue()
    before = Engine(wh_copy, cat).scorecard("E06000032", "england").set_index("measure_id")
    worse = before[
        (before["vs_england"] == "Worse")
        & (before["polarity"] == "higher-better")
        & (before["vs_england_method"] == "ci")  # our own test (a source's judgement is its own)
    ]
    mid = worse.index[0]  # a measure on which Luton is significantly below England
    m = cat.measures[mid]
    flipped = dataclasses.replace(m, polarity="lower-better")
    cat2 = dataclasses.replace(cat, measures={**cat.measures, m.id: flipped})
    assert snapshot_folder(wh_copy, cat2) != snapshot_folder(wh_copy, cat)
    after = Engine(wh_copy, cat2).scorecard("E06000032", "england").set_index("measure_id")
    assert after.loc[mid, "value"] == before.loc[mid, "value"]
    assert (after.loc[mid, "vs_england"], after.loc[mid, "polarity"]) == ("Better", "lower-better")


def test_damaged_snapshot_falls_back_to_live_ratings(wh_copy):
    from lutonwb.catalogue import load_catalogue
    from lutonwb.engine import snapshot_folder

    cat = load_catalogue()
    Engine(wh_copy, cat)
    folder = snapshot_folder(wh_copy, cat)
    live = Engine(wh_copy, cat, snapshot=False)
    (folder / "rate-similar.parquet").write_bytes(b"PAR1 truncated")
    _same(Engine(wh_copy, cat).rate_all("similar"), live.rate_all("similar"))
    (folder / "rows.parquet").write_bytes(b"not parquet")
    eng = Engine(wh_copy, cat)
    assert getattr(eng, "_snapshot", None) is None  # rebuilt from the values
    _same(eng.rate_all("england"), live.rate_all("england"))


def test_snapshot_groups_are_every_fixed_group():
    from lutonwb.comparators import GROUP_IDS
    from lutonwb.engine import SNAPSHOT_GROUPS

    assert tuple(g for g in GROUP_IDS if g != "custom") == SNAPSHOT_GROUPS


def test_snapshot_key_follows_the_measures():
    import dataclasses

    from lutonwb.engine import snapshot_key

    cat = make_catalogue()
    m = cat.measures["le"]
    other = dataclasses.replace(
        cat, measures={**cat.measures, "le": dataclasses.replace(m, unit="x")}
    )
    assert snapshot_key(cat) == snapshot_key(make_catalogue()) != snapshot_key(other)
