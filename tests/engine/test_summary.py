"""Verdict counts per principle, board and outcome (lutonwb/engine/summary.py)."""

from __future__ import annotations

from tests.engine.build import LUTON


def test_summary(eng):
    s = eng.summary(eng.scorecard(LUTON, "england"), "principle").set_index("key")
    assert s.loc[6, ["measures", "better", "worse", "improving"]].tolist() == [2, 0, 2, 1]
    assert s.loc[3, "not_compared"] == 1


def test_summary_splits_not_tested_from_not_compared(extra):
    sc = extra.scorecard(LUTON, "england")
    s = extra.summary(sc, "board").set_index("key").loc["health-equity-town"]
    # tie (11 v 11) and chk (50 v 25) have no limits: not tested; brk has no England value;
    # fp is Worse and inj Similar on computed limits
    cols = ["measures", "better", "similar", "worse", "not_tested", "not_compared"]
    assert s[cols].tolist() == [5, 0, 1, 1, 2, 1]
