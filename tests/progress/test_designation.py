"""Before and after the designation: changes and the difference in differences, by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lutonwb.progress.designation import LABEL, before_after
from lutonwb.progress.series import Z95


def _paired(rows) -> pd.DataFrame:
    cols = ["period", "period_end", "home", "home_lower", "home_upper", "group"]
    return pd.DataFrame(rows, columns=cols).assign(t=0.0)


def test_changes_and_interval_by_hand():
    p = _paired(
        [
            ("2020", "2020-12-31", 10.0, 9.0, 11.0, 8.0),
            ("2021", "2021-12-31", 11.0, 10.0, 12.0, 9.0),  # last before 2022
            ("2023", "2023-12-31", 14.0, 13.0, 15.0, 10.0),
        ]
    )
    ba = before_after(p, 2022)
    assert (ba.before_period, ba.after_period) == ("2021", "2023")
    assert (ba.home_change, ba.group_change, ba.difference) == (3.0, 1.0, 2.0)
    se = math.sqrt(2 * (1 / Z95) ** 2)  # each limit is 1 from the value: SE = 1 / 1.96
    assert ba.lower == pytest.approx(2.0 - Z95 * se)
    assert ba.upper == pytest.approx(2.0 + Z95 * se)
    assert LABEL == "descriptive, not causal"


def test_no_period_before_or_after_gives_no_change():
    after_only = _paired([("2023", "2023-12-31", 1.0, math.nan, math.nan, 1.0)])
    before_only = _paired([("2020", "2020-12-31", 1.0, math.nan, math.nan, 1.0)])
    assert math.isnan(before_after(after_only, 2022).home_change)
    assert math.isnan(before_after(before_only, 2022).home_change)


def test_without_limits_there_is_no_interval():
    p = _paired(
        [
            ("2021", "2021-12-31", 5.0, math.nan, math.nan, 4.0),
            ("2024", "2024-12-31", 4.0, math.nan, math.nan, 4.5),
        ]
    )
    ba = before_after(p, 2022)
    assert ba.difference == pytest.approx(-1.5)
    assert math.isnan(ba.lower) and math.isnan(ba.upper)


def _changes(home_after: float, group_after: float, limits: bool = True) -> pd.DataFrame:
    """Home and group both at 10 before 2022; the home area's limits are +-0.5 when given."""
    half = 0.5 if limits else math.nan
    return _paired(
        [
            ("2021", "2021-12-31", 10.0, 10.0 - half, 10.0 + half, 10.0),
            ("2024", "2024-12-31", home_after, home_after - half, home_after + half, group_after),
        ]
    )


@pytest.mark.parametrize(
    ("polarity", "home_after", "word"),
    [
        # the home area rose 6, the group 2: better only where higher is better
        ("higher-better", 16.0, "Better"),
        ("lower-better", 16.0, "Worse"),
        ("none", 16.0, "Higher"),
        # it fell 2 while the group rose 2
        ("higher-better", 8.0, "Worse"),
        ("lower-better", 8.0, "Better"),
        ("none", 8.0, "Lower"),
    ],
)
def test_difference_is_judged_by_polarity(polarity, home_after, word):
    ba = before_after(_changes(home_after, 12.0), 2022, polarity)  # the group rose 2
    assert abs(ba.difference) == pytest.approx(4.0)  # the figure keeps its unit and sign
    assert ba.verdict == word
    assert ba.verdict_method == "by 95% interval"


def test_a_difference_inside_its_interval_is_similar():
    # home +0.5, group 0: the interval of the difference (+-0.98) includes no difference
    ba = before_after(_changes(10.5, 10.0), 2022, "lower-better")
    assert ba.difference == pytest.approx(0.5)
    assert ba.verdict == "Similar"


def test_without_limits_the_difference_is_higher_or_lower_never_better_or_worse():
    for polarity in ("higher-better", "lower-better", "none"):
        ba = before_after(_changes(16.0, 12.0, limits=False), 2022, polarity)
        assert (ba.verdict, ba.verdict_method) == ("Higher", "not tested")


def test_no_change_has_no_verdict():
    after_only = _paired([("2023", "2023-12-31", 1.0, math.nan, math.nan, 1.0)])
    assert before_after(after_only, 2022, "higher-better").verdict == ""
