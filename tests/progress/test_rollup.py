"""Roll-ups: counts per key and the measures behind each count."""

from __future__ import annotations

import pandas as pd
import pytest

from lutonwb.progress.rollup import rollup


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measure_id": ["a", "b", "c", "d"],
            "progress": ["on track", "off track", "on track", "not assessable"],
            "boards": [["x"], ["x", "y"], ["y"], []],
            "principles": [[1], [1], [2], [2]],
            "outcomes": [["o1"], ["o1"], ["o2"], ["o2"]],
        }
    )


def test_counts_and_measures_per_board():
    r = rollup(_table(), "board").set_index("key")
    assert r.loc["x", "measures"] == 2
    assert (r.loc["x", "on track"], r.loc["x", "off track"]) == (1, 1)
    assert r.loc["y", "on track measures"] == ["c"]
    assert r.loc["y", "off track measures"] == ["b"]
    assert "d" not in sum(r["not assessable measures"], [])  # no board: in no board's count


def test_per_principle_counts_add_up_to_the_measures():
    r = rollup(_table(), "principle").set_index("key")
    assert r.loc[2, "not assessable"] == 1 and r.loc[2, "on track"] == 1
    statuses = ["target met", "on track", "some progress", "off track", "moving away"]
    assert (r[[*statuses, "not assessable"]].sum(axis=1) == r["measures"]).all()


def test_unknown_rollup_is_refused():
    with pytest.raises(ValueError, match="unknown roll-up"):
        rollup(_table(), "ward")
