"""Paired home / England / comparator series for one measure, from `Engine.measure_series`."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from lutonwb.gaps import signed_gap

Z95 = 1.959964  # two-sided 95% normal quantile: limits are value +/- Z95 x SE

PAIRED_COLUMNS = [
    "period",
    "period_end",
    "t",
    "home",
    "home_lower",
    "home_upper",
    "england",
    "england_lower",
    "england_upper",
    "group",
]


def decimal_year(dates: pd.Series) -> np.ndarray:
    """Period ends as decimal years (2021-12-31 -> about 2022.0), the time axis of every slope."""
    d = pd.to_datetime(dates)
    return (d.dt.year + (d.dt.day_of_year - 1) / 365.25).to_numpy(dtype=float)


def group_role(frame: pd.DataFrame, group_id: str) -> str:
    """The role that carries the comparator's values: the group average, else England / region."""
    return comparator_role(set(frame["role"]), group_id)


def comparator_role(roles: set[str], group_id: str) -> str:
    """group_role of a series with these roles."""
    if "group average" in roles:
        return "group average"
    return "region" if group_id == "region" and "region" in roles else "england"


def paired_series(frame: pd.DataFrame, group_id: str) -> pd.DataFrame:
    """One row per home period after any series break: home and England values with limits, and
    the comparator's value, in time order. `frame` is `Engine.measure_series` output."""
    return paired_many({"": frame}, group_id)[""]


def paired_many(frames: Mapping[str, pd.DataFrame], group_id: str) -> dict[str, pd.DataFrame]:
    """paired_series of many measures' series at once, the same frames: a live progress table
    pairs every measure's, and a merge per role and measure cost ~15 ms a measure."""
    out = {k: pd.DataFrame(columns=PAIRED_COLUMNS) for k, f in frames.items() if f.empty}
    alike: dict[tuple, list[str]] = {}  # frames whose columns share types (a concat keeps them)
    for k, f in frames.items():
        if not f.empty:
            alike.setdefault(tuple(map(str, f.dtypes)), []).append(k)
    for keys in alike.values():
        out.update(_paired_alike(frames, keys, group_id))
    return out


def _paired_alike(
    frames: Mapping[str, pd.DataFrame], keys: list[str], group_id: str
) -> dict[str, pd.DataFrame]:
    """paired_many of non-empty frames whose columns have the same types."""
    out: dict[str, pd.DataFrame] = {}
    both = pd.concat([frames[k] for k in keys], ignore_index=True)
    both["_m"] = np.repeat(np.arange(len(keys)), [len(frames[k]) for k in keys])
    kept = both[~both["before_break"].astype(bool)].reset_index(drop=True)
    m = kept["_m"].to_numpy()
    roles = kept["role"].to_numpy(dtype=object)
    rows = zip(m.tolist(), roles, kept["period"].tolist(), strict=True)
    last = {key: i for i, key in enumerate(rows)}  # each (measure, role, period): its last row
    present: dict[int, set[str]] = {}
    for mm, role, _ in last:
        present.setdefault(mm, set()).add(role)
    comparator = {mm: comparator_role(r, group_id) for mm, r in present.items()}
    home = sorted(i for (_, role, _), i in last.items() if role == "home")  # drop_duplicates' order
    paired = kept.iloc[home][["_m", "period", "period_end"]].reset_index(drop=True)
    at = [(mm, p) for mm, p in zip(paired["_m"].tolist(), paired["period"].tolist(), strict=True)]
    for role, prefix in (("home", "home"), ("england", "england"), ("", "group")):
        rows = [last.get((mm, role or comparator[mm], p), -1) for mm, p in at]  # -1: none
        cols = [("value", prefix)]
        if role:  # home and England carry their limits; the comparator its value alone
            cols += [("lower_ci", f"{prefix}_lower"), ("upper_ci", f"{prefix}_upper")]
        for source, col in cols:
            values = np.append(kept[source].to_numpy(dtype=float, na_value=np.nan), np.nan)
            paired[col] = values[rows]  # -1: the NaN at the end (no figure for that period)
    paired = paired[paired["home"].notna()].copy()
    paired["t"] = decimal_year(paired["period_end"])
    paired = paired.sort_values(["_m", "t"], kind="stable")  # each measure's rows in time order
    empty = paired.iloc[:0][PAIRED_COLUMNS]
    found = paired.groupby("_m", sort=False).indices
    for n, k in enumerate(keys):
        rows = found.get(n)
        out[k] = (paired.iloc[rows] if rows is not None else empty)[PAIRED_COLUMNS].reset_index(
            drop=True
        )
    return out


def se_from_limits(lower: pd.Series, upper: pd.Series) -> pd.Series:
    """Standard error from 95% limits, assuming symmetry: (upper - lower) / (2 x 1.96)."""
    return (upper - lower) / (2 * Z95)


def gap_series(paired: pd.DataFrame, polarity: str) -> pd.DataFrame:
    """period, t, gap, gap_lower, gap_upper: home minus England, signed so that positive is worse
    (lutonwb.gaps), with 95% limits from both areas' limits (variances add) where both have them."""
    both = paired[paired["england"].notna()]
    gap = signed_gap(both["home"], both["england"], polarity)
    se = np.sqrt(
        se_from_limits(both["home_lower"], both["home_upper"]) ** 2
        + se_from_limits(both["england_lower"], both["england_upper"]) ** 2
    )
    return pd.DataFrame(
        {
            "period": both["period"],
            "t": both["t"],
            "gap": gap,
            "gap_lower": gap - Z95 * se,
            "gap_upper": gap + Z95 * se,
        }
    ).reset_index(drop=True)
