"""The engine's result store: results for the defaults stay, reader-chosen ones are bounded."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from lutonwb.engine import Engine
from lutonwb.engine.state import READER_KEPT, ResultStore, reader_keyed
from tests.engine.build import (
    EAST_UTLAS,
    LONDON_UTLAS,
    LUTON,
    make_areas,
    make_catalogue,
    make_groups,
    make_reported,
    make_values,
)


@pytest.mark.parametrize(
    ("key", "reader"),
    [
        (("members", "custom", ("E06000001",)), True),
        (("rate", "custom", ("E06000001",), "latest"), True),
        (("rate", "england", (), "2019"), True),
        (("grid", "2019"), True),
        (("grid_codes", "2019"), True),
        (("rate", "england", (), "latest"), False),
        (("members", "cssnbt-2021", ()), False),
        (("grid", "latest"), False),
        ("similar", False),
        ("pair_codes", False),
    ],
)
def test_reader_keyed(key, reader) -> None:
    assert reader_keyed(key) is reader


def test_store_keeps_the_newest_reader_results_and_every_fixed_one() -> None:
    store = ResultStore(keep=3)
    store["similar"] = 1
    store[("grid", "latest")] = 2
    for i in range(20):
        store[("rate", "custom", (f"E{i}",), "latest")] = i
    assert list(store) == [
        "similar",
        ("grid", "latest"),
        *(("rate", "custom", (f"E{i}",), "latest") for i in (17, 18, 19)),
    ]


def test_remembered_makes_once_and_returns_what_it_made() -> None:
    store = ResultStore(keep=1)
    calls: list[int] = []
    key = ("grid", "2019")
    assert store.remembered(key, lambda: calls.append(1) or "made") == "made"
    assert store.remembered(key, lambda: calls.append(1) or "again") == "made"
    assert calls == [1]


def test_custom_groups_leave_the_engine_store_bounded() -> None:
    eng = Engine.from_frames(
        make_catalogue(), make_values(), make_areas(), make_groups(), make_reported()
    )
    others = [c for c in (*EAST_UTLAS, *LONDON_UTLAS) if c != LUTON]
    groups = list(itertools.combinations(others, 2))[: READER_KEPT + 4]
    for g in groups:
        assert len(eng.scorecard(LUTON, "custom", custom=g))
    kept = [k for k in eng.state.cache if k[:2] == ("rate", "custom")]
    assert 0 < len(kept) <= READER_KEPT
    assert ("rate", "custom", groups[-1], "latest") in kept, "the newest group is kept"
    assert ("rate", "custom", groups[0], "latest") not in kept
    assert len([k for k in eng.state.cache if reader_keyed(k)]) == READER_KEPT
    assert ("grid", "latest") in eng.state.cache, "the default period's grid stays"


def _by_mask(frame, measure_id):
    return frame[frame["measure_id"] == measure_id]


def test_measure_rows_are_the_masked_rows_in_order(real) -> None:
    st = real._st
    for mid in st.cat.measures:
        got, want = st.measure_rows(mid), _by_mask(st.rows, mid)
        assert got.index.tolist() == want.index.tolist()
        pd.testing.assert_frame_equal(got, want)
        got, want = st.reported_rows(mid), _by_mask(st.reported, mid)
        assert got.index.tolist() == want.index.tolist()
    none = st.measure_rows("no-such-measure")
    assert none.empty and list(none.columns) == list(st.rows.columns)


def test_measure_rows_follow_a_replaced_frame_and_scattered_rows() -> None:
    st = Engine.from_frames(
        make_catalogue(), make_values(), make_areas(), make_groups(), make_reported()
    )._st
    assert len(st.measure_rows("le")) > 0
    rows = st.rows
    scattered = rows.sample(frac=1.0, random_state=7)  # one measure's rows no longer in one run
    st.rows = scattered  # as bindings.bind replaces the frame: the index is made again
    for mid in set(rows["measure_id"]):
        got = st.measure_rows(mid)
        assert got.index.tolist() == _by_mask(scattered, mid).index.tolist()
    st.rows = rows[rows["measure_id"] != "le"]
    assert st.measure_rows("le").empty
