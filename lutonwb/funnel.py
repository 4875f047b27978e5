"""Funnel plots (PHE method): each area's value against its denominator, with control limits around
a target (England, or the place's own rate for its neighbourhoods) at 95% and 99.8%.

Limits follow PHE's "Technical guide: funnel plots": for a proportion, the Wilson score interval
of the target proportion at each denominator; for a rate, Byar's interval of the expected count.
Large denominators make the limits very narrow, so real differences between areas beyond chance
(overdispersion) put many areas outside them. We measure it with Spiegelhalter's dispersion ratio
(z-scores winsorised at 10% each side) and, where it exceeds 1, also give limits widened by an
additive random effect (Spiegelhalter, Stat Med 2005;24:1185-1202, DerSimonian-Laird estimate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from lutonwb.comparators import ENGLAND
from lutonwb.stats import byar_ci, wilson_ci, z_for

LEVELS = (0.95, 0.998)
WINSOR = 0.10  # Spiegelhalter's 10% winsorisation of the z-scores
MIN_AREAS = 10  # fewer areas than this: no funnel
POSITIONS = (
    "above the 99.8% limit",
    "above the 95% limit",
    "within the 95% limits",
    "below the 95% limit",
    "below the 99.8% limit",
)


@dataclass(frozen=True)
class Funnel:
    """Points with their limits and position, the limit curves to draw, and the dispersion."""

    points: pd.DataFrame  # area_code, area_name, count, denominator, value, limits, position
    curve: pd.DataFrame  # denominator, lower_95, upper_95, lower_998, upper_998 (+ _adjusted)
    target: float  # in the display unit (% or per `per`)
    kind: str  # 'proportion' | 'rate'
    per: float
    phi: float  # dispersion ratio: about 1 when the areas differ only by chance
    tau2: float  # between-area variance added to the adjusted limits (0 when phi <= 1)
    method: str
    period: str = ""


def _suffix(level: float) -> str:
    return "95" if level == 0.95 else "998"


def limits(target: float, denominator: float, kind: str, level: float) -> tuple[float, float]:
    """PHE control limits (as fractions or per-one rates) at one denominator and level."""
    if kind == "proportion":
        return wilson_ci(target * denominator, denominator, level)
    lo, hi = byar_ci(target * denominator, level)
    return (lo / denominator, hi / denominator)


def _se(target: float, n: np.ndarray, kind: str) -> np.ndarray:
    """Standard error of an area's value under the target (binomial or Poisson)."""
    var = target * (1 - target) if kind == "proportion" else target
    return np.sqrt(var / n)


def dispersion(y: np.ndarray, n: np.ndarray, target: float, kind: str) -> tuple[float, float]:
    """Spiegelhalter's dispersion ratio phi (mean of the 10%-winsorised squared z-scores) and the
    additive between-area variance tau2 (0 unless phi x areas exceeds areas - 1)."""
    s = _se(target, n, kind)
    z = (y - target) / s
    lo, hi = np.quantile(z, [WINSOR, 1 - WINSOR])
    zw = np.clip(z, lo, hi)
    k = len(z)
    phi = float(np.mean(zw**2))
    if k * phi <= k - 1:
        return phi, 0.0
    w = 1 / s**2
    tau2 = (k * phi - (k - 1)) / (w.sum() - (w**2).sum() / w.sum())
    return phi, float(tau2)


def _limit_columns(
    target: float, n: np.ndarray, kind: str, tau2: float, scale: float
) -> dict[str, np.ndarray]:
    """PHE limits and the random-effects adjusted limits at each denominator, in display units."""
    out: dict[str, np.ndarray] = {}
    for level in LEVELS:
        lim = np.array([limits(target, x, kind, level) for x in n])
        half = z_for(level) * np.sqrt(_se(target, n, kind) ** 2 + tau2)
        out[f"lower_{_suffix(level)}"] = lim[:, 0] * scale
        out[f"upper_{_suffix(level)}"] = lim[:, 1] * scale
        out[f"lower_{_suffix(level)}_adjusted"] = np.maximum(target - half, 0) * scale
        out[f"upper_{_suffix(level)}_adjusted"] = (target + half) * scale
    return out


def position(value: float, row: pd.Series | dict[str, Any], adjusted: bool = False) -> str:
    """Where a value lies against the limits (higher / lower, never better / worse)."""
    tail = "_adjusted" if adjusted else ""
    if value > row[f"upper_998{tail}"]:
        return POSITIONS[0]
    if value > row[f"upper_95{tail}"]:
        return POSITIONS[1]
    if value < row[f"lower_998{tail}"]:
        return POSITIONS[4]
    if value < row[f"lower_95{tail}"]:
        return POSITIONS[3]
    return POSITIONS[2]


def _method(kind: str, target_name: str, phi: float, tau2: float) -> str:
    """The funnel's method in plain words, with its dispersion."""
    how = "Wilson score limits" if kind == "proportion" else "Byar's limits of the expected count"
    text = (
        f"Control limits at 95% and 99.8% around {target_name} ({how}, PHE funnel plot method). "
        f"Dispersion ratio {phi:.1f} (1 means the areas differ only by chance; z-scores "
        "winsorised at 10% each side)."
    )
    if tau2 > 0:
        text += (
            " Because the areas differ by more than chance would give (the ratio exceeds "
            "(areas - 1) / areas, Spiegelhalter's test), adjusted limits that allow for real differences between "
            "areas (an additive random effect, Spiegelhalter 2005) are given too; an area outside "
            "them stands out even after allowing for that."
        )
    else:
        text += " No adjustment for overdispersion is needed."
    return text


def funnel(
    points: pd.DataFrame, kind: str = "proportion", per: float = 100, target: float | None = None,
    target_name: str = "the total",
) -> Funnel | None:  # fmt: skip
    """A funnel from area_code, area_name, count, denominator (target: a fraction or per-one rate;
    default the total count over the total denominator). None with fewer than MIN_AREAS areas."""
    p = points.dropna(subset=["count", "denominator"])
    p = p[p["denominator"] > 0].reset_index(drop=True)
    if len(p) < MIN_AREAS:
        return None
    t = float(p["count"].sum() / p["denominator"].sum()) if target is None else float(target)
    n = p["denominator"].to_numpy(dtype=float)
    y = p["count"].to_numpy(dtype=float) / n
    phi, tau2 = dispersion(y, n, t, kind)
    p = p.assign(value=y * per, **_limit_columns(t, n, kind, tau2, per))
    p["position"] = [position(v, r) for v, (_, r) in zip(p["value"], p.iterrows(), strict=True)]
    p["position_adjusted"] = [
        position(v, r, adjusted=True) for v, (_, r) in zip(p["value"], p.iterrows(), strict=True)
    ]
    grid = np.unique(np.geomspace(max(n.min() * 0.8, 1), n.max() * 1.1, 80).round())
    curve = pd.DataFrame({"denominator": grid, **_limit_columns(t, grid, kind, tau2, per)})
    return Funnel(p, curve, t * per, kind, per, phi, tau2, _method(kind, target_name, phi, tau2))


# -- the measures and neighbourhoods the progress page draws ------------------------------------


def _per(rows: pd.DataFrame) -> float:
    """The rate's multiplier (100 for a percentage, 100,000 for a rate per 100,000)."""
    ratio = (rows["value"] * rows["denominator"] / rows["count"]).replace([np.inf, -np.inf], np.nan)
    return float(10 ** round(math.log10(ratio.median())))


def counted_rows(engine: Any, measure_id: str) -> pd.DataFrame:
    """The measure's upper-tier rows with a count and a denominator, at the latest period that
    most authorities have (after any series break)."""
    st = engine.state
    r = st.rows[(st.rows["measure_id"] == measure_id) & ~st.rows["before_break"].astype(bool)]
    r = r[r["count"].notna() & r["denominator"].notna() & (r["denominator"] > 0)]
    r = r[r["area_code"].isin(st.utla_set) | (r["area_code"] == ENGLAND)]
    if r.empty:
        return r
    per_period = r.groupby("period_end")["area_code"].nunique()
    best = per_period[per_period >= per_period.max() * 0.9].index.max()
    r = r[r["period_end"] == best]
    return r if _crude(r) else r.iloc[0:0]


def _crude(rows: pd.DataFrame) -> bool:
    """Whether the values are the plain ratio of count to denominator (within rounding) for
    nearly all areas: a funnel of counts says nothing about an age-standardised rate."""
    per = _per(rows)
    crude = rows["count"] / rows["denominator"] * per
    close = (rows["value"] - crude).abs() <= np.maximum(0.06, 0.005 * crude.abs())
    return bool(close.mean() >= 0.9)


def funnel_measures(engine: Any) -> list[str]:
    """Ids of the measures with counts and denominators for at least MIN_AREAS authorities."""
    r = engine.state.rows
    r = r[
        r["count"].notna() & r["denominator"].notna() & r["area_code"].isin(engine.state.utla_set)
    ]
    n = r.groupby("measure_id")["area_code"].nunique()
    return [m for m in engine.cat.measures if n.get(m, 0) >= MIN_AREAS]


def measure_funnel(engine: Any, measure_id: str) -> Funnel | None:
    """Every upper-tier authority against England for one measure (None when not countable)."""
    rows = counted_rows(engine, measure_id)
    if rows.empty:
        return None
    m = engine.cat.measures[measure_id]
    kind = "proportion" if m.value_type == "percentage" else "rate"
    eng = rows[rows["area_code"] == ENGLAND]
    areas = rows[rows["area_code"] != ENGLAND]
    if len(eng):  # England's own figure; else the sum of its authorities' counts
        target = float(eng["count"].iloc[0] / eng["denominator"].iloc[0])
    else:
        target = float(areas["count"].sum() / areas["denominator"].sum())
    points = areas[["area_code", "count", "denominator"]].assign(
        area_name=[engine.area_name(c) for c in areas["area_code"]]
    )
    f = funnel(points, kind, _per(areas), target, "England's value")
    return None if f is None else replace(f, period=str(rows["period"].iloc[0]))


def lsoa_funnel(wh: Any, place: Any) -> Funnel | None:
    """The place's neighbourhoods (LSOAs) for fuel poverty in the latest year against the place's
    own rate (None when the place has no neighbourhood data)."""
    if place.local_area is None or not wh.has_table("fuel_poverty_lsoa"):
        return None
    fp = wh.table("fuel_poverty_lsoa")
    if fp.empty:
        return None
    year = int(fp["year"].max())
    fp = fp[fp["year"] == year]
    layer = str(fp["lsoa_vintage"].iloc[0]).lower()
    names = wh.boundaries(layer).set_index("code")["name"]
    points = pd.DataFrame(
        {
            "area_code": fp["lsoa_code"].to_numpy(),
            "area_name": names.reindex(fp["lsoa_code"]).fillna(fp["lsoa_code"]).to_numpy(),
            "count": fp["fuel_poor_households"].to_numpy(dtype=float),
            "denominator": fp["households"].to_numpy(dtype=float),
        }
    )
    f = funnel(points, "proportion", 100, None, f"{place.name}'s own rate")
    return None if f is None else replace(f, period=str(year))
