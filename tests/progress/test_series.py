"""Paired series: points before a series break are dropped; the comparator's role is chosen."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lutonwb.progress.series import gap_series, group_role, paired_series


def _frame(before_break: list[bool]) -> pd.DataFrame:
    n = len(before_break)
    rows = []
    for i in range(n):
        end = f"{2016 + i}-12-31"
        for role, code, value in (
            ("home", "H", 10.0 + i),
            ("england", "E", 8.0),
            ("group average", "", 9.0),
        ):
            rows.append(
                {
                    "period": str(2016 + i),
                    "period_start": f"{2016 + i}-01-01",
                    "period_end": end,
                    "role": role,
                    "area_code": code,
                    "area_name": role,
                    "value": value,
                    "lower_ci": np.nan,
                    "upper_ci": np.nan,
                    "before_break": before_break[i],
                }
            )
    return pd.DataFrame(rows)


def test_points_before_a_break_are_dropped():
    p = paired_series(_frame([True, True, True, False, False, False]), "similar")
    assert list(p["period"]) == ["2019", "2020", "2021"]
    assert list(p["home"]) == [13.0, 14.0, 15.0]
    assert list(p["group"]) == [9.0, 9.0, 9.0]


def test_gap_limits_add_variances():
    p = paired_series(_frame([False, False]), "similar")
    p["home_lower"], p["home_upper"] = p["home"] - 1.96, p["home"] + 1.96  # SE 1
    p["england_lower"], p["england_upper"] = p["england"] - 1.96, p["england"] + 1.96  # SE 1
    g = gap_series(p, "lower-better")
    assert list(g["gap"]) == [2.0, 3.0]
    assert (g["gap_upper"] - g["gap"]).iloc[0] == pytest.approx(1.959964 * np.sqrt(2), rel=1e-4)


def test_group_role_falls_back_to_england_or_region():
    f = _frame([False])
    assert group_role(f, "similar") == "group average"
    no_avg = f[f["role"] != "group average"]
    assert group_role(no_avg, "england") == "england"
    assert (
        group_role(no_avg.assign(role=no_avg["role"].replace("england", "region")), "region")
        == "region"
    )
