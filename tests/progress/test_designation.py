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
