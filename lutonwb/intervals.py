"""Intervals from counts that lutonwb.stats does not already give: Dobson's DSR limits, and region
or England figures aggregated from counts.

Wilson (proportions), Byar and the exact Poisson interval (counts and crude rates) live in
lutonwb.stats and are reused here; the engine marks limits it computes as method 'ci (computed)'.
Methods as the PHE/OHID technical guidance and its official Python port PHStatsMethods
(``ph_dsr``: Byar's limits of the total count with Dobson's adjustment; no DSR below 10 events).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lutonwb.stats import byar_ci, rate_ci, wilson_ci

METHOD = "ci (computed)"
DSR_MIN_COUNT = 10  # PHE: a DSR (and its limits) is not published from fewer than 10 events


def dsr_with_ci(
    counts, populations, standard_populations, per: float = 100_000, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Directly standardised rate and Dobson's 95% limits from counts by age band.

    DSR = sum(w_i x_i / n_i) / sum(w_i) * per, with w the standard population, x the events and
    n the population of each band; var = sum(w_i^2 x_i / n_i^2) / sum(w_i)^2; limits
    DSR + sqrt(var / O) (O_limit - O) * per, where O is the total count and O_limit its Byar
    limit (Dobson et al., Stat Med 1991;10:457-62). NaN for all three below 10 events.
    """
    x = np.nan_to_num(np.asarray(counts, dtype=float))
    n = np.asarray(populations, dtype=float)
    w = np.asarray(standard_populations, dtype=float)
    total = float(x.sum())
    if total < DSR_MIN_COUNT or np.any(~(n > 0)):
        return (math.nan, math.nan, math.nan)
    value = float((w * x / n).sum() / w.sum())
    var = float((w**2 * x / n**2).sum() / w.sum() ** 2)
    lo, hi = byar_ci(total, confidence)
    scale = math.sqrt(var / total)
    return (
        value * per,
        (value + scale * (lo - total)) * per,
        (value + scale * (hi - total)) * per,
    )


def aggregate_from_counts(
    counts, denominators, kind: str, per: float = 100_000, confidence: float = 0.95
) -> tuple[float, float, float]:
    """A region's or England's value and 95% limits from its areas' counts and denominators.

    Sum of counts over sum of denominators (never an unweighted mean of the areas' rates);
    kind 'percentage' gives Wilson limits on a 0-100 scale, 'rate' the exact/Byar Poisson limits
    per `per`. Areas missing a count or a denominator are left out of both sums; NaN when no
    area has both.
    """
    x = np.asarray(counts, dtype=float)
    d = np.asarray(denominators, dtype=float)
    ok = ~np.isnan(x) & ~np.isnan(d)
    count, denom = float(x[ok].sum()), float(d[ok].sum())
    if not ok.any() or denom <= 0:
        return (math.nan, math.nan, math.nan)
    if kind == "percentage":
        lo, hi = wilson_ci(count, denom, confidence)
        return (count / denom * 100, lo * 100, hi * 100)
    if kind == "rate":
        lo, hi = rate_ci(count, denom, per, confidence)
        return (count / denom * per, lo, hi)
    raise ValueError(f"kind must be 'percentage' or 'rate', not {kind!r}")


def aggregate_frame(
    rows: pd.DataFrame, keys: list[str], kind: str, per: float = 100_000
) -> pd.DataFrame:
    """`aggregate_from_counts` for each group of rows (e.g. region and period): one row per group
    with keys, count, denominator, value, lower_ci and upper_ci; rows need count and denominator.
    """
    ok = rows[rows["count"].notna() & rows["denominator"].notna()]
    sums = ok.groupby(keys, as_index=False, sort=True)[["count", "denominator"]].sum()
    limits = [
        aggregate_from_counts([x], [n], kind, per) for x, n in sums[["count", "denominator"]].values
    ]
    out = pd.DataFrame(limits, columns=["value", "lower_ci", "upper_ci"], index=sums.index)
    return pd.concat([sums, out], axis=1)
