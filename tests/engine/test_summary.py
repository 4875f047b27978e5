"""Verdict counts per principle, board and outcome (lutonwb/engine/summary.py)."""

from __future__ import annotations

from lutonwb.engine import TESTED, verdict_counts
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


def test_verdict_counts_agree_with_the_summary(eng):
    """The overview's five counts and the per-principle summary come from one definition."""
    sc = eng.scorecard(LUTON, "england")
    counts = verdict_counts(sc)
    s = eng.summary(sc.assign(principles=[[1]] * len(sc)), "principle").iloc[0]
    assert counts["better"] == s["better"] and counts["worse"] == s["worse"]
    assert counts["similar"] == s["similar"] and counts["not tested"] == s["not_tested"]
    assert counts["not compared"] == s["not_compared"]
    assert sum(counts.values()) == len(sc) == 5


def test_widgets_use_the_engines_counts_and_tested_methods():
    from lutonwb.ui import widgets

    assert widgets.verdict_counts is verdict_counts
    assert not hasattr(widgets, "TESTED")
    assert TESTED == ("ci", "ci (computed)", "source", "reported")


def test_fifths_count_as_not_tested_and_the_documents_rag_as_tested():
    """A position in fifths is no significance test; the documents' own RAG is their test."""
    import pandas as pd

    sc = pd.DataFrame(
        {
            "vs_group": ["Worst fifth", "Middle three fifths", "Worse", "Better", "Not compared"],
            "vs_group_method": ["quintile", "quintile", "reported", "ci", ""],
        }
    )
    counts = verdict_counts(sc)
    assert counts == {"better": 1, "similar": 0, "worse": 1, "not tested": 2, "not compared": 1}
