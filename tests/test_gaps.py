"""The one gap convention (lutonwb.gaps): positive = worse, higher with no polarity."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lutonwb import gaps


def test_positive_means_worse_for_either_polarity() -> None:
    assert gaps.signed_gap(12.0, 10.0, "lower-better") == pytest.approx(2.0)
    assert gaps.signed_gap(60.0, 80.0, "higher-better") == pytest.approx(20.0)
    assert gaps.signed_gap(90.0, 80.0, "higher-better") == pytest.approx(-10.0)
    assert gaps.signed_gap(9.0, 10.0, "none") == pytest.approx(-1.0)  # lower, not better


def test_relative_gap_is_a_share_of_englands_value() -> None:
    assert gaps.relative_gap_pct(60.0, 80.0, "higher-better") == pytest.approx(25.0)
    assert gaps.relative_gap_pct(-3.0, -2.0, "lower-better") == pytest.approx(-50.0)
    assert math.isnan(gaps.relative_gap_pct(1.0, 0.0, "lower-better"))  # no share of zero
    got = gaps.relative_gap_pct(
        pd.Series([12.0, None, 5.0]), pd.Series([10.0, 4.0, 0.0]),
        pd.Series(["lower-better", "higher-better", "none"]),
    )  # fmt: skip
    assert got[0] == pytest.approx(20.0) and got[1:].isna().all()


@pytest.mark.parametrize(
    ("gap", "polarity", "words"),
    [
        (12.34, "lower-better", "12.3% worse than England"),
        (-4.0, "higher-better", "4.0% better than England"),
        (2.5, "none", "2.5% higher than England"),
        (-2.5, "none", "2.5% lower than England"),
        (0.01, "lower-better", "the same as England"),
        (float("nan"), "lower-better", ""),
    ],
)
def test_gap_words(gap: float, polarity: str, words: str) -> None:
    assert gaps.gap_words(gap, polarity) == words


def test_headers_say_what_the_sign_means() -> None:
    assert "positive = worse" in gaps.GAP_HEADER and "positive = worse" in gaps.GAP_PCT_HEADER
    assert "higher if no polarity" in gaps.GAP_PCT_HEADER
