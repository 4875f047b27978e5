"""Widgets' words: comparison sentences per method, verdict counts that add up, notes, blanks."""

from __future__ import annotations

import pandas as pd
import pytest

from lutonwb.ui.widgets import (
    blank_missing,
    comparison_sentence,
    counts_from_summary,
    counts_text,
    row_notes,
    verdict_counts,
)


@pytest.mark.parametrize(
    ("method", "words"),
    [
        ("ci", "Compared with England by its 95% confidence interval as published"),
        ("ci (computed)", "95% confidence interval computed here from the count and denominator"),
        ("source", "using the source's own significance judgement"),
        ("not tested", "Not tested against England"),
        ("", "Not compared with England: no value or no England figure"),
        (None, "Not compared with England"),
    ],
)
def test_comparison_sentence_for_each_method(method, words) -> None:
    text = comparison_sentence(method)
    assert words in text
    assert " by not tested" not in text and "by no test" not in text


def test_verdict_counts_add_up_to_the_measures() -> None:
    sc = pd.DataFrame(
        {
            "vs_group": ["Better", "Similar", "Worse", "Higher", "Lower", "Not compared", "", None],
            "vs_group_method": ["ci", "source", "ci (computed)", "not tested", "not tested", "", "", None],
        }
    )  # fmt: skip
    counts = verdict_counts(sc)
    assert counts == {"better": 1, "similar": 1, "worse": 1, "not tested": 2, "no data": 3}
    assert sum(counts.values()) == len(sc)
    assert counts_text(counts).startswith("1 better, 1 similar, 1 worse, 2 not tested")
    # an engine summary row with not_tested gives the same five numbers
    row = {
        "better": 0,
        "similar": 5,
        "worse": 1,
        "not_compared": 8,
        "not_tested": 6,
        "measures": 20,
    }
    c = counts_from_summary(row)
    assert c == {"better": 0, "similar": 5, "worse": 1, "not tested": 6, "no data": 8}
    assert sum(c.values()) == row["measures"]


def test_row_notes_and_blank_missing() -> None:
    row = {
        "region_note": "the source publishes no region figure",
        "england_note": "",
        "stale_note": None,
    }
    assert row_notes(row) == ["Region: the source publishes no region figure"]
    assert row_notes({}) == []
    df = pd.DataFrame({"value": [77.94, None], "lower_ci": [None, None], "name": ["a", "b"]})
    out = blank_missing(df, ["value", "lower_ci"])
    assert list(out["value"]) == ["77.9", "–"] and list(out["lower_ci"]) == ["–", "–"]
    assert df["value"].isna().sum() == 1  # the original (CSV) keeps its numbers
