"""One convention for every gap a reader sees (plain Python, no Streamlit).

A gap is signed so that **positive = worse**, oriented by the measure's polarity: for a measure
where lower is better, home minus comparator; where higher is better, comparator minus home. A
measure with no polarity has no better or worse: its gap is home minus comparator (positive =
higher) and its words say higher or lower, never better or worse. The overview, the measure page,
the board and principle tables, the progress page and readers' CSVs all take their gaps and their
headers from here, so they agree in sign and in words.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

GAP_PCT_HEADER = "Gap to England (% of England's value; positive = worse, or higher if no polarity)"
GAP_HEADER = "Gap to England (positive = worse, or higher if no polarity)"
GAP_WORDS_HEADER = "Gap to England"
SIGN_NOTE = (
    "A gap is positive when the area is worse than England (higher, for a measure with no better "
    "or worse) and negative when it is better (lower)."
)


def worse_sign(polarity: object) -> int:
    """+1 when a higher value is worse (lower-better) or there is no polarity, -1 otherwise:
    the one orientation of every gap."""
    return -1 if polarity == "higher-better" else 1


def _signs(polarity: object) -> object:
    if isinstance(polarity, pd.Series):
        return polarity.map(worse_sign).astype(float)
    return float(worse_sign(polarity))


def signed_gap(value: object, benchmark: object, polarity: object) -> object:
    """value minus benchmark, signed so that positive is worse (or higher, with no polarity);
    works on numbers and on pandas Series alike (missing or non-numeric values give NaN)."""
    v = pd.to_numeric(value, errors="coerce")
    b = pd.to_numeric(benchmark, errors="coerce")
    return _signs(polarity) * (v - b)


def relative_gap_pct(value: object, benchmark: object, polarity: object) -> object:
    """The signed gap as a % of the benchmark's size (positive = worse, or higher)."""
    b = pd.to_numeric(benchmark, errors="coerce")
    if isinstance(b, pd.Series):
        size = b.abs().where(b != 0)  # a benchmark of zero gives no relative gap
    else:
        size = abs(float(b)) if pd.notna(b) and b != 0 else math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        return signed_gap(value, benchmark, polarity) / size * 100


def gap_words(gap: object, polarity: object, suffix: str = "%", benchmark: str = "England") -> str:
    """'12.3% worse than England', '4.0% better', '2.5% higher' (no polarity), 'the same as
    England'; '' when there is no gap. `gap` is signed by this module's convention."""
    g = pd.to_numeric(pd.Series([gap]), errors="coerce").iloc[0]
    if g is None or math.isnan(g):
        return ""
    size = round(abs(float(g)), 1)
    if size == 0:
        return f"the same as {benchmark}"
    if polarity in ("higher-better", "lower-better"):
        word = "worse" if g > 0 else "better"
    else:  # positive = higher for a measure with no polarity
        word = "higher" if g > 0 else "lower"
    return f"{size:,.1f}{suffix} {word} than {benchmark}"
