"""Value rows as the engine holds them: the columns it reads, and 95% limits it computes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lutonwb import stats

NEEDED = {
    "series": "", "area_code": "", "period": "", "period_start": None, "period_end": None,
    "start_year": None, "sex": "", "age": "", "category_type": "", "category": "", "value": None,
    "lower_ci": None, "upper_ci": None, "count": None, "denominator": None, "significance": "",
}  # fmt: skip
PER = {"%": 100.0, "per 100": 100.0, "per 1,000": 1e3, "per 10,000": 1e4, "per 100,000": 1e5}


def prepare_values(values: pd.DataFrame) -> pd.DataFrame:
    """Only the VALUES columns the engine uses; text as Python objects (fast row selection)."""
    out = {}
    n = len(values)
    for col, text in NEEDED.items():
        if col in values.columns:
            s = values[col]
        else:
            s = pd.Series([text if text is not None else np.nan] * n, index=values.index)
        if text == "":
            s = s.astype("str").fillna("")
        elif col in ("period_start", "period_end"):
            s = pd.to_datetime(s)
        else:
            s = pd.to_numeric(s, errors="coerce").astype("float64")
        out[col] = s
    return pd.DataFrame(out).reset_index(drop=True)


def empty_frame(columns: dict[str, str]) -> pd.DataFrame:
    """A frame with no rows and the given column types."""
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in columns.items()})


def positions_in(texts: pd.Series, values: Sequence[str], missing: int = -1) -> np.ndarray:
    """Each text's position in values (missing where absent), found in Arrow without making a
    Python string per row (20x faster than an Index lookup on 10 million rows)."""
    arr = pa.array(texts, from_pandas=True)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = arr.cast(pa.large_string())
    pos = pc.index_in(arr, value_set=pa.array(list(values), type=arr.type))
    return pc.fill_null(pos, missing).to_numpy(zero_copy_only=False).astype(np.int64)


def _wilson(x: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score 95% limits of proportions x / n, in percent."""
    z = stats.Z95
    p = x / n
    centre, bottom = 2 * n * p + z * z, 2 * (n + z * z)
    spread = z * np.sqrt(z * z + 4 * n * p * (1 - p))
    return np.maximum(0.0, (centre - spread) / bottom) * 100, np.minimum(
        1.0, (centre + spread) / bottom
    ) * 100


def _poisson(x: np.ndarray) -> np.ndarray:
    """The counts' Poisson limits (Byar, exact below 10), once per distinct count: (len, 2)."""
    counts, which = np.unique(x, return_inverse=True)
    limits = np.array([stats.rate_ci(float(c), 1.0, 1.0) for c in counts]).reshape(-1, 2)
    return limits[which]


def computed_ci(rows: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """95% limits from count and denominator where the source gives none (column ci_computed).

    Only where the value is the crude ratio of its count and denominator (within rounding), so an
    age-standardised rate never gets a crude interval: Wilson for percentages, Byar (exact Poisson
    below 10 events, PHE practice) for rates per 1,000 / 100,000.
    """
    rows = rows.assign(ci_computed=False)
    need = (
        rows["lower_ci"].isna()
        & rows["upper_ci"].isna()
        & rows["count"].notna()
        & (rows["denominator"] > 0)
        & (rows["count"] >= 0)
    )
    if not need.any():
        return rows
    at = np.flatnonzero(need.to_numpy())
    sub = rows.iloc[at]  # only the rows without limits: measure lookups on a fraction of them
    vt = sub["measure_id"].map(meta["value_type"]).to_numpy(dtype=object)
    per = sub["measure_id"].map(meta["unit"]).map(PER).to_numpy(dtype=float)
    pct = vt == "percentage"
    rate = (vt == "rate") & ~np.isnan(per) & (per != 100.0)
    mult = np.where(pct, 100.0, per)
    x, n = sub["count"].to_numpy(dtype=float), sub["denominator"].to_numpy(dtype=float)
    crude = x / n * mult
    close = np.abs(sub["value"].to_numpy(dtype=float) - crude) <= np.maximum(
        0.06, 0.005 * np.abs(crude)
    )
    lo = rows["lower_ci"].to_numpy(dtype=float, copy=True)
    hi = rows["upper_ci"].to_numpy(dtype=float, copy=True)
    pmask = pct & close
    if pmask.any():
        lo[at[pmask]], hi[at[pmask]] = _wilson(x[pmask], n[pmask])
    rmask = rate & close
    if rmask.any():
        limits = _poisson(x[rmask])  # scaled to each row's rate, as stats.rate_ci does
        lo[at[rmask]] = limits[:, 0] / n[rmask] * mult[rmask]
        hi[at[rmask]] = limits[:, 1] / n[rmask] * mult[rmask]
    done = np.zeros(len(rows), dtype=bool)
    done[at[pmask | rmask]] = True
    return rows.assign(lower_ci=lo, upper_ci=hi, ci_computed=done)


def computed_method(methods: np.ndarray, computed: pd.Series) -> np.ndarray:
    """'ci' becomes 'ci (computed)' where the limits were computed here, not published."""
    c = np.asarray(pd.Series(computed).fillna(False).astype(bool))
    return np.where((methods == "ci") & c, "ci (computed)", methods)
