"""Paired home / England / comparator series for one measure, from `Engine.measure_series`."""

from __future__ import annotations

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


def _last_rows(roles: np.ndarray, periods: np.ndarray, role: str) -> dict[object, int]:
    """Position of each period's last row of one role (the row drop_duplicates(keep="last")
    keeps), in the order of those rows."""
    last: dict[object, int] = {}
    for i in np.flatnonzero(roles == role):
        last.pop(periods[i], None)  # re-inserted: the dict keeps the last rows' order
        last[periods[i]] = int(i)
    return last


def _column(frame: pd.DataFrame, col: str, at: dict[object, int], periods: list) -> np.ndarray:
    """One role's values of a column at these periods (NaN where the role has none)."""
    values = frame[col].to_numpy(dtype=float, na_value=np.nan)
    return np.array([values[at[p]] if p in at else np.nan for p in periods], dtype=float)


def group_role(frame: pd.DataFrame, group_id: str) -> str:
    """The role that carries the comparator's values: the group average, else England / region."""
    roles = set(frame["role"])
    if "group average" in roles:
        return "group average"
    return "region" if group_id == "region" and "region" in roles else "england"


def paired_series(frame: pd.DataFrame, group_id: str) -> pd.DataFrame:
    """One row per home period after any series break: home and England values with limits, and
    the comparator's value, in time order. `frame` is `Engine.measure_series` output. Worked
    with positions, not merges: a live progress table pairs every measure's series (a merge per
    role cost ~15 ms a measure)."""
    if frame.empty:
        return pd.DataFrame(columns=PAIRED_COLUMNS)
    kept = frame[~frame["before_break"].astype(bool)]
    roles = kept["role"].to_numpy(dtype=object)
    periods = kept["period"].to_numpy(dtype=object)
    home = _last_rows(roles, periods, "home")
    out = kept.iloc[list(home.values())][["period", "period_end"]].reset_index(drop=True)
    shown = list(home)
    for prefix, role in (("home", "home"), ("england", "england")):
        at = home if role == "home" else _last_rows(roles, periods, role)
        out[prefix] = _column(kept, "value", at, shown)
        out[f"{prefix}_lower"] = _column(kept, "lower_ci", at, shown)
        out[f"{prefix}_upper"] = _column(kept, "upper_ci", at, shown)
    group = _last_rows(roles, periods, group_role(kept, group_id))
    out["group"] = _column(kept, "value", group, shown)
    out = out[out["home"].notna()].copy()
    out["t"] = decimal_year(out["period_end"])
    return out.sort_values("t")[PAIRED_COLUMNS].reset_index(drop=True)


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
