"""Public-health statistics in the conventions of OHID Fingertips (and the PHE technical guides).

- Confidence intervals: Wilson score interval for proportions; Byar's approximation for counts and
  rates (Poisson), with the exact Poisson interval for small counts.
- Significance against one benchmark value: the home area's 95% interval excludes the benchmark ->
  Higher / Lower, mapped through polarity to Better / Worse; an interval that includes or touches
  the benchmark -> Similar. Without limits, the source's own judgement (Fingertips'
  `compared_to_England`) is used where given ('source'); otherwise 'not tested' and only
  Higher / Lower. Measures without polarity are never Better / Worse.
- Ranking "n of N": 1 = best by polarity, ties share the best rank; no polarity ranks the highest
  value 1. Quartile q = floor(4 (rank - 1) / N) + 1, so Q1 is the best quarter.
- Recent trend over the most recent points (at most 5, see `trend`).
- Slope index of inequality (population-weighted regression on the ridit of deprivation rank).

Every function here is pure (no I/O); vectorised forms work on numpy arrays / DataFrames so the
engine can rate every measure for every authority at once.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

Z95 = NormalDist().inv_cdf(0.975)  # 1.959964…
TREND_POINTS = 5  # Fingertips' recent trend uses the last five points
MIN_TREND_POINTS = 3

POLARITIES = ("higher-better", "lower-better", "none")
SOURCE_WORDS = ("Better", "Similar", "Worse", "Higher", "Lower")

# Two-sided 95% critical values of Student's t (df 1..30); beyond 30 the normal value is close enough.
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def z_for(confidence: float = 0.95) -> float:
    """Two-sided normal critical value for a confidence level (0.95 -> 1.96)."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


# -- confidence intervals -------------------------------------------------------------------------
def wilson_ci(count: float, denominator: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for count/denominator, as proportions 0-1 (PHE's method)."""
    if denominator is None or denominator <= 0 or count is None or count < 0:
        return (math.nan, math.nan)
    z = z_for(confidence)
    p = count / denominator
    n = denominator
    centre = 2 * n * p + z * z
    spread = z * math.sqrt(z * z + 4 * n * p * (1 - p))
    bottom = 2 * (n + z * z)
    return (max(0.0, (centre - spread) / bottom), min(1.0, (centre + spread) / bottom))


def byar_ci(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Byar's approximation to the Poisson interval for an observed count (limits as counts)."""
    if count is None or count < 0 or math.isnan(count):
        return (math.nan, math.nan)
    z = z_for(confidence)
    lower = 0.0 if count == 0 else count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    o1 = count + 1
    upper = o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3
    return (max(0.0, lower), upper)


def _poisson_cdf(k: int, lam: float) -> float:
    """P(X <= k) for X ~ Poisson(lam), summed in log space."""
    if lam <= 0:
        return 1.0
    total, term = 0.0, -lam
    for i in range(k + 1):
        if i:
            term += math.log(lam) - math.log(i)
        total += math.exp(term)
    return min(1.0, total)


def _bisect(f, lo: float, hi: float) -> float:
    for _ in range(200):
        mid = (lo + hi) / 2
        if f(mid):
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


def poisson_exact_ci(count: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) Poisson interval for an observed count; PHE uses it for small counts."""
    alpha = 1 - confidence
    k = int(count)
    hi_bound = k + 20 * math.sqrt(k + 1) + 20
    lower = (
        0.0
        if k == 0
        else _bisect(lambda lam: 1 - _poisson_cdf(k - 1, lam) >= alpha / 2, 0, hi_bound)
    )
    upper = _bisect(lambda lam: _poisson_cdf(k, lam) <= alpha / 2, 0, hi_bound)
    return (lower, upper)


def poisson_ci(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Interval for a count: exact below 10 events, Byar's method from 10 (PHE practice)."""
    if count is None or math.isnan(count) or count < 0:
        return (math.nan, math.nan)
    if count < 10 and float(count).is_integer():
        return poisson_exact_ci(int(count), confidence)
    return byar_ci(count, confidence)


def rate_ci(
    count: float, denominator: float, per: float = 100_000, confidence: float = 0.95
) -> tuple[float, float]:
    """Interval for a crude rate count/denominator*per from the Poisson interval of the count."""
    lo, hi = poisson_ci(count, confidence)
    if not denominator or denominator <= 0:
        return (math.nan, math.nan)
    return (lo / denominator * per, hi / denominator * per)


# -- significance against a benchmark ----------------------------------------------------------
def _orient(raw: np.ndarray, polarity: np.ndarray) -> np.ndarray:
    """Map Higher/Lower through polarity to Better/Worse (no polarity stays Higher/Lower)."""
    hb = polarity == "higher-better"
    lb = polarity == "lower-better"
    out = raw.copy()
    out[(raw == "Higher") & hb] = "Better"
    out[(raw == "Lower") & hb] = "Worse"
    out[(raw == "Higher") & lb] = "Worse"
    out[(raw == "Lower") & lb] = "Better"
    return out


def compare_vec(
    value, lower, upper, benchmark, polarity, source=None
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised `compare`: arrays in, (words, methods) arrays out."""
    v = np.asarray(value, dtype=float)
    lo = np.asarray(lower, dtype=float)
    hi = np.asarray(upper, dtype=float)
    b = np.asarray(benchmark, dtype=float)
    pol = np.asarray(polarity, dtype=object)
    n = v.shape[0]
    src = np.full(n, "", dtype=object) if source is None else np.asarray(source, dtype=object)
    src = np.where(pd.isna(src), "", src).astype(object)

    raw = np.full(n, "Not compared", dtype=object)
    method = np.full(n, "", dtype=object)
    have = ~np.isnan(v) & ~np.isnan(b)
    has_ci = have & ~np.isnan(lo) & ~np.isnan(hi)
    # the interval excludes the benchmark (touching it counts as including it)
    raw[has_ci] = "Similar"
    raw[has_ci & (lo > b)] = "Higher"
    raw[has_ci & (hi < b)] = "Lower"
    method[has_ci] = "ci"
    words = _orient(raw, pol)

    use_src = have & ~has_ci & np.isin(src, SOURCE_WORDS)
    if use_src.any():
        s = src.copy()
        # a source judgement of Better/Worse on a measure we hold without polarity: keep direction only
        none_pol = use_src & (pol == "none") & np.isin(src, ("Better", "Worse"))
        s[none_pol] = np.where(
            v[none_pol] > b[none_pol],
            "Higher",
            np.where(v[none_pol] < b[none_pol], "Lower", "Similar"),
        )
        words[use_src] = s[use_src]
        method[use_src] = "source"

    untested = have & ~has_ci & ~use_src
    words[untested] = np.where(
        v[untested] > b[untested], "Higher", np.where(v[untested] < b[untested], "Lower", "Similar")
    )
    method[untested] = "not tested"
    return words, method


def compare(
    value: float,
    lower: float | None,
    upper: float | None,
    benchmark: float | None,
    polarity: str,
    source: str | None = None,
) -> tuple[str, str]:
    """One value and its 95% limits against a benchmark: (word, method 'ci'|'source'|'not tested'|'')."""

    def f(x):
        return math.nan if x is None or pd.isna(x) else float(x)

    words, methods = compare_vec(
        [f(value)], [f(lower)], [f(upper)], [f(benchmark)], [polarity], [source or ""]
    )
    return str(words[0]), str(methods[0])


RAG = {"Worse": "R", "Similar": "A", "Better": "G"}


def rag(word: str) -> str:
    """Seeds' performance-table letter: R worse, A similar, G better, '' otherwise."""
    return RAG.get(word, "")


# -- ranks and quartiles ------------------------------------------------------------------------
def rank_key(values, polarity) -> np.ndarray:
    """Sort key where smaller is better: lower-better ranks low values first, else high values."""
    v = np.asarray(values, dtype=float)
    pol = np.asarray(polarity, dtype=object)
    return np.where(pol == "lower-better", v, -v)


def rank_values(values, polarity: str) -> np.ndarray:
    """Rank 1 = best by polarity; ties share the best rank; 'none' ranks the highest value 1; NaN stays NaN."""
    key = rank_key(values, np.full(len(values), polarity, dtype=object))
    return pd.Series(key).rank(method="min").to_numpy()


def quartile(rank, n):
    """Quartile 1 (best quarter) .. 4 of a rank among n: floor(4 (rank-1) / n) + 1; NaN when unranked."""
    r = np.asarray(rank, dtype=float)
    nn = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = np.floor(4 * (r - 1) / nn) + 1
    q = np.where(np.isnan(r) | ~(nn > 0), np.nan, q)
    return q if q.ndim else float(q)


# -- recent trend -------------------------------------------------------------------------------
TREND_METHODS = {
    "chi2": "chi-squared test for trend (Cochran-Armitage) on counts and denominators, last {n} points, 95%",
    "wls": "weighted least-squares slope, inverse-variance weights from the 95% limits, last {n} points, 95%",
    "ols": "unweighted least-squares slope (no confidence limits), last {n} points, t-test at 95%",
    "none": "fewer than 3 points with limits (or 5 without)",
}


# The same methods in readers' words; the exact wording above is for the methods page and the
# analysts' CLI output (whose columns keep it).
TREND_PLAIN = {
    "chi2": "trend in the proportion over the last {n} points, tested at 95% confidence",
    "wls": "trend over the last {n} points, tested at 95% confidence",
    "ols": "trend over the last {n} points, tested at 95% confidence",
    "none": "too few points to judge a trend",
}
_TREND_PATTERNS = {
    code: re.compile(re.escape(text).replace(re.escape("{n}"), r"(?P<n>\d+)"))
    for code, text in TREND_METHODS.items()
}


def trend_plain(method: str, n_points: object = 5) -> str:
    """A trend method code ('ols') in readers' words: 'trend over the last 5 points, tested at
    95% confidence'; '' for a code that is not a trend test."""
    template = TREND_PLAIN.get(str(method), "")
    try:
        n = int(n_points)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        n = 5
    return template.format(n=n)


def plain_trend_description(description: object) -> str:
    """A trend description made from TREND_METHODS, with or without a label ('gap to England:
    unweighted least-squares slope ..., last 5 points, t-test at 95%'), in readers' words ('gap
    to England: trend over the last 5 points, tested at 95% confidence'); other text unchanged."""
    text = "" if description is None else str(description)
    label, sep, rest = text.rpartition(": ")
    for body in (text, rest) if sep else (text,):
        for code, pattern in _TREND_PATTERNS.items():
            found = pattern.fullmatch(body)
            if found:
                plain = trend_plain(code, found.groupdict().get("n", 5))
                return f"{label}: {plain}" if body is rest and sep else plain
    return text


@dataclass(frozen=True)
class Trend:
    word: str  # engine.TREND_WORDS
    method: str  # 'chi2' | 'wls' | 'ols' | 'none'
    n_points: int
    slope: float  # change in value per year (sign gives direction)
    statistic: float  # chi-squared (chi2) or z / t (wls, ols)
    description: str


def _trend_word(direction: float, significant: bool, polarity: str) -> str:
    if not significant or direction == 0 or math.isnan(direction):
        return "No significant change"
    up = direction > 0
    if polarity == "higher-better":
        return "Getting better" if up else "Getting worse"
    if polarity == "lower-better":
        return "Getting worse" if up else "Getting better"
    return "Increasing" if up else "Decreasing"


def trend(
    times,
    values,
    lower=None,
    upper=None,
    counts=None,
    denominators=None,
    polarity: str = "higher-better",
    proportion: bool = False,
) -> Trend:
    """Recent trend over the most recent points (times in years, ascending or not).

    Method, in order: (1) chi-squared test for trend (Cochran-Armitage, 1 df) on the last 5 points
    when the measure is a proportion and every point has a count and denominator (Fingertips: it
    needs 5 points; with 3-4 the fallback below runs);
    (2) otherwise a weighted least-squares slope on the last 3-5 points with limits, weights
    1/SE^2 where SE = (upper - lower) / (2 x 1.96), significant when |slope / SE(slope)| > 1.96;
    (3) with no limits, an unweighted regression on the last 5 points (t-test, n - 2 df);
    else "Not enough data". All tests at 95%.
    """
    frame = pd.DataFrame(
        {
            "key": 0,
            "t": np.asarray(times, dtype=float),
            "value": np.asarray(values, dtype=float),
            "lower_ci": np.nan if lower is None else np.asarray(lower, dtype=float),
            "upper_ci": np.nan if upper is None else np.asarray(upper, dtype=float),
            "count": np.nan if counts is None else np.asarray(counts, dtype=float),
            "denominator": np.nan
            if denominators is None
            else np.asarray(denominators, dtype=float),
            "polarity": polarity,
            "proportion": proportion,
        }
    )
    out = trend_frame(frame, ["key"])
    if out.empty:
        return Trend("Not enough data", "none", 0, math.nan, math.nan, TREND_METHODS["none"])
    r = out.iloc[0]
    return Trend(
        r["trend"],
        r["trend_method"],
        int(r["n_points"]),
        float(r["slope"]),
        float(r["statistic"]),
        r["trend_description"],
    )


def trend_frame(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Vectorised recent trend: one row per key group of `df`.

    `df` columns: keys, t (years), value, lower_ci, upper_ci, count, denominator, polarity,
    proportion (bool). Rows with no value are ignored; the most recent 5 points are used.
    Returns keys + trend, trend_method, n_points, slope, statistic, trend_description.
    """
    cols = ["trend", "trend_method", "n_points", "slope", "statistic", "trend_description"]
    d = df[df["value"].notna() & df["t"].notna()].copy()
    if d.empty:
        return pd.DataFrame(columns=[*keys, *cols])
    d = _recent_points(d, keys)
    _choose_trend_method(d, keys)
    sums = _trend_sums(d, keys)
    m = sums["method"].to_numpy()
    stat, sig, direction = _trend_tests(sums)
    words = [
        "Not enough data" if mm == "none" else _trend_word(dd, bool(ss), pp)
        for mm, dd, ss, pp in zip(m, direction, sig, sums["polarity"], strict=True)
    ]
    out = sums[keys].copy()
    out["trend"] = words
    out["trend_method"] = m
    out["n_points"] = sums["n_points"].astype(int)
    out["slope"] = np.where(m == "none", np.nan, direction)
    out["statistic"] = stat
    out["trend_description"] = [
        TREND_METHODS[mm].format(n=k) for mm, k in zip(m, sums["n_points"], strict=True)
    ]
    return out


def _recent_points(d: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The last TREND_POINTS rows of each key group, in time order."""
    d = d.sort_values([*keys, "t"])
    d["_pos"] = d.groupby(keys, sort=False).cumcount(ascending=False)
    return d[d["_pos"] < TREND_POINTS]


def _choose_trend_method(d: pd.DataFrame, keys: list[str]) -> None:
    """Add each group's test (`_method`: chi2, wls, ols or none) and each point's weight `_w`."""
    n = d.groupby(keys, sort=False)["value"].transform("size")
    # (1) chi-squared for trend on proportions with counts and denominators for every point
    has_cd = d["count"].notna() & d["denominator"].notna() & (d["denominator"] > 0)
    all_cd = has_cd.groupby([d[k] for k in keys], sort=False).transform("all")
    chi_ok = all_cd & d["proportion"].astype(bool) & (n >= TREND_POINTS)  # Fingertips: 5 points
    # (2) WLS where every point has limits wider than zero
    se = (d["upper_ci"] - d["lower_ci"]) / (2 * Z95)
    has_se = se.notna() & (se > 0)
    all_se = has_se.groupby([d[k] for k in keys], sort=False).transform("all")
    wls_ok = ~chi_ok & all_se & (n >= MIN_TREND_POINTS)
    ols_ok = ~chi_ok & ~wls_ok & (n >= TREND_POINTS)

    d["_method"] = np.select([chi_ok, wls_ok, ols_ok], ["chi2", "wls", "ols"], "none")
    d["_w"] = np.where(wls_ok, 1 / se.where(has_se, np.nan) ** 2, 1.0)
    d["_w"] = d["_w"].fillna(1.0)


def _trend_sums(d: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group: method, polarity, n_points and the sums both regression forms and chi2 need."""
    # centre time on each group's first point so sums of squares of years keep their precision
    w, y = d["_w"], d["value"]
    t = d["t"] - d.groupby(keys, sort=False)["t"].transform("min")
    d["_sw"], d["_swt"], d["_swy"] = w, w * t, w * y
    d["_swtt"], d["_swty"], d["_swyy"] = w * t * t, w * t * y, w * y * y
    x, nn = d["count"].fillna(0), d["denominator"].fillna(0)
    d["_n"], d["_x"], d["_nt"], d["_xt"], d["_ntt"] = nn, x, nn * t, x * t, nn * t * t
    sums = d.groupby(keys, sort=False).agg(
        method=("_method", "first"),
        polarity=("polarity", "first"),
        n_points=("value", "size"),
        sw=("_sw", "sum"),
        swt=("_swt", "sum"),
        swy=("_swy", "sum"),
        swtt=("_swtt", "sum"),
        swty=("_swty", "sum"),
        swyy=("_swyy", "sum"),
        N=("_n", "sum"),
        X=("_x", "sum"),
        NT=("_nt", "sum"),
        XT=("_xt", "sum"),
        NTT=("_ntt", "sum"),
    )
    return sums.reset_index()


def _trend_tests(sums: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(statistic, significant, direction) per group from its sums, by the group's method."""
    m = sums["method"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        stt = sums["swtt"] - sums["swt"] ** 2 / sums["sw"]
        sty = sums["swty"] - sums["swt"] * sums["swy"] / sums["sw"]
        syy = sums["swyy"] - sums["swy"] ** 2 / sums["sw"]
        slope = sty / stt
        # WLS with known variances: Var(b) = 1 / Stt
        z_wls = slope * np.sqrt(stt)
        # OLS: residual variance on n - 2 df
        k = sums["n_points"]
        s2 = (syy - slope * sty) / (k - 2)
        t_ols = slope / np.sqrt(s2 / stt)
        tcrit = np.array(
            [_T975[int(v) - 1] if 1 <= v <= 30 else Z95 for v in (k - 2).clip(lower=1)]
        )
        # Cochran-Armitage: T = sum x (t - tbar), Var = p (1 - p) sum n (t - tbar)^2
        p = sums["X"] / sums["N"]
        tbar = sums["NT"] / sums["N"]
        T = sums["XT"] - tbar * sums["X"]
        var_t = p * (1 - p) * (sums["NTT"] - sums["N"] * tbar**2)
        chi2 = T**2 / var_t
        chi_slope = T / (sums["NTT"] - sums["N"] * tbar**2)  # direction (proportion per year)
    stat = np.select([m == "chi2", m == "wls", m == "ols"], [chi2, z_wls, t_ols], np.nan)
    sig = np.select(
        [m == "chi2", m == "wls", m == "ols"],
        [chi2 > Z95**2, np.abs(z_wls) > Z95, np.abs(t_ols) > tcrit],
        False,
    )
    direction = np.select([m == "chi2"], [chi_slope], slope)
    # NaN statistics (a flat series: 0/0) compare False, so they read as no significant change
    sig = sig & (m != "none")
    return stat, sig, direction


# -- slope index of inequality -----------------------------------------------------------------
def slope_index_of_inequality(values, deprivation_rank, population) -> float:
    """SII: population-weighted regression of value on the ridit of deprivation rank.

    deprivation_rank orders areas from most deprived (1) to least; the ridit is the cumulative
    population share at each area's midpoint. The slope is the modelled gap between the least and
    most deprived ends (positive = higher values in less deprived areas).
    """
    frame = pd.DataFrame(
        {
            "v": np.asarray(values, dtype=float),
            "r": np.asarray(deprivation_rank, dtype=float),
            "w": np.asarray(population, dtype=float),
        }
    ).dropna()
    frame = frame[frame["w"] > 0].sort_values("r")
    if len(frame) < 2:
        return math.nan
    share = frame["w"] / frame["w"].sum()
    ridit = share.cumsum() - share / 2
    w, x, y = share.to_numpy(), ridit.to_numpy(), frame["v"].to_numpy()
    xm, ym = np.sum(w * x), np.sum(w * y)
    sxx = np.sum(w * (x - xm) ** 2)
    if sxx == 0:
        return math.nan
    return float(np.sum(w * (x - xm) * (y - ym)) / sxx)
