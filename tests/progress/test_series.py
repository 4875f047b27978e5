"""Paired series: points before a series break are dropped; the comparator's role is chosen."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lutonwb.progress.series import (
    PAIRED_COLUMNS,
    decimal_year,
    gap_series,
    group_role,
    paired_series,
)


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


def test_a_repeated_period_keeps_its_last_row_and_a_missing_benchmark_is_blank():
    f = _frame([False, False, False])
    again = f[(f["role"] == "home") & (f["period"] == "2017")].assign(value=99.0)
    f = pd.concat([f, again], ignore_index=True)  # a later row for 2017: it wins
    f = f[~((f["role"] == "england") & (f["period"] == "2018"))]  # no England figure for 2018
    f = f[~((f["role"] == "group average") & (f["period"] == "2016"))]
    p = paired_series(f, "similar")
    assert list(p["period"]) == ["2016", "2017", "2018"]  # in time order
    assert list(p["home"]) == [10.0, 99.0, 12.0]
    assert p["england"].tolist()[:2] == [8.0, 8.0] and np.isnan(p["england"].iloc[2])
    assert np.isnan(p["group"].iloc[0]) and p["group"].tolist()[1:] == [9.0, 9.0]
    assert list(p.columns) == PAIRED_COLUMNS and p["t"].is_monotonic_increasing


def _paired_by_merges(frame: pd.DataFrame, group_id: str) -> pd.DataFrame:
    """The pairing as it was first written (a merge per role): the reference paired_many must
    reproduce on real data."""
    if frame.empty:
        return pd.DataFrame(columns=PAIRED_COLUMNS)

    def role_rows(kept: pd.DataFrame, role: str, prefix: str) -> pd.DataFrame:
        x = kept[kept["role"] == role].drop_duplicates("period", keep="last")
        return x[["period", "value", "lower_ci", "upper_ci"]].rename(
            columns={"value": prefix, "lower_ci": f"{prefix}_lower", "upper_ci": f"{prefix}_upper"}
        )

    kept = frame[~frame["before_break"].astype(bool)]
    home = role_rows(kept, "home", "home")
    ends = kept[kept["role"] == "home"].drop_duplicates("period", keep="last")
    home = home.merge(ends[["period", "period_end"]], on="period")
    eng = role_rows(kept, "england", "england")
    grp = role_rows(kept, group_role(kept, group_id), "group")[["period", "group"]]
    out = home.merge(eng, on="period", how="left").merge(grp, on="period", how="left")
    out = out[out["home"].notna()].copy()
    out["t"] = decimal_year(out["period_end"])
    return out.sort_values("t", kind="stable")[PAIRED_COLUMNS].reset_index(drop=True)


@pytest.mark.parametrize(
    ("home", "group", "custom"),
    [
        ("E06000032", "england", ()),
        ("E06000032", "cssnbt-2021", ()),
        ("E06000040", "region", ()),
        ("E08000025", "custom", ("E06000032", "E08000026", "E09000002")),
    ],
)
def test_paired_many_is_the_merge_pairing_for_every_real_measure(engine, home, group, custom):
    from lutonwb.progress.series import paired_many

    frames = engine.measures_series(list(engine.cat.measures), home, group, custom)
    pairs = paired_many(frames, group)
    checked = 0
    for mid, frame in frames.items():
        want = _paired_by_merges(frame, group)
        # an empty pairing's column types are the merges' own: only its columns are compared
        pd.testing.assert_frame_equal(
            pairs[mid], want, check_exact=True, check_dtype=not want.empty
        )
        checked += not want.empty
    assert checked > 60
