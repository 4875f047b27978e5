"""Fingertips quintiles for measures without confidence intervals, and the seeds' rank-based RAG.

Pure functions (numpy only, no I/O): the rating engine passes the values of one measure and period
for every authority in the comparison (all English upper-tier authorities, or a comparator group)
and gets back the home area's fifth, its outcome word and its colour.

The quintile is a *position*, not a significance test: it says where the home area's value sits
among the others, never whether it differs from them beyond chance. Its words therefore always say
"fifth" and its colours (a purple sequential scheme, as Fingertips uses for quintiles) share none
of the significance palette (blue / amber / vermilion in lutonwb/ui/charts.py RATING_COLOURS).

Method: FingertipsNext (dhsc-govuk/FingertipsNext), stored procedure
``GetIndicatorDetailsWithQuintileBenchmarkComparison``, used where an indicator's
``BenchmarkComparisonMethod`` is ``Quintiles``: ``NTILE(5) OVER (PARTITION BY Year ORDER BY Value)``
over every area of the same type within the benchmark area (England, or a region), then for
'High is good' quintile 1..5 is WORST, WORSE, MIDDLE, BETTER, BEST; for 'Low is good'
BEST .. WORST; for 'No judgement' LOWEST, LOW, MIDDLE, HIGH, HIGHEST (``BenchmarkOutcome``); and
NOT COMPARED when fewer than five areas have a value. NTILE puts the N values in ascending order and cuts them into five groups whose sizes
differ by at most one, the larger groups first: with N = 5q + r, groups 1..r hold q + 1 values and
groups r+1..5 hold q. NTILE leaves tied values to row order; here every tied value takes the group
of the first of them in ascending order, so equal values never fall in different fifths and the
result does not depend on the order the rows arrive in.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

METHOD = "quintile"
FIFTHS = 5

# Words by fifth, index 0 = fifth 1. With polarity fifth 1 is the best; without, the lowest.
# FingertipsNext BenchmarkOutcome words.
OUTCOMES_POLARITY = ("Best", "Better", "Middle", "Worse", "Worst")
OUTCOMES_NO_POLARITY = ("Lowest", "Low", "Middle", "High", "Highest")
# What a reader sees: always "... fifth", so a quintile can never read as a significance verdict.
LABELS_POLARITY = tuple(f"{w} fifth" for w in OUTCOMES_POLARITY)
LABELS_NO_POLARITY = tuple(f"{w} fifth" for w in OUTCOMES_NO_POLARITY)

# Sequential purples (ColorBrewer 'Purples', colour-blind safe): dark = best fifth, the lightest
# still tinted so the worst fifth never reads as uncoloured. None of them is the blue, amber or
# vermilion of the significance verdicts. No polarity: uncoloured.
QUINTILE_COLOURS = ("#4A1486", "#6A51A3", "#807DBA", "#BCBDDC", "#DADAEB")
QUINTILE_TEXT = ("#FFFFFF", "#FFFFFF", "#000000", "#000000", "#000000")
NO_POLARITY_COLOUR = "#FFFFFF"

# The seeds' neighbour RAG from rank (see `seed_neighbour_rag`).
SEED_RAG_BEST = 0.2
SEED_RAG_WORST = 0.8


def ntile5(values, groups=None) -> np.ndarray:
    """NTILE(5) of each value in ascending order within its group (1 = lowest fifth).

    Group sizes as SQL's NTILE: N = 5q + r gives the first r fifths q + 1 values. Tied values
    share the fifth of the first of them, so the answer does not depend on row order. NaN for a
    missing value and for every value of a group with fewer than five values (FingertipsNext:
    'NOT COMPARED'). `groups` (one label per value, e.g. the period) defaults to one group.
    """
    v = pd.Series(np.asarray(values, dtype=float))
    g = pd.Series(np.zeros(len(v)) if groups is None else np.asarray(groups))
    n = v.groupby(g).transform("count").to_numpy(dtype=float)
    pos = v.groupby(g).rank(method="min").to_numpy() - 1  # values below, ties at their first
    q, r = np.floor(n / FIFTHS), np.mod(n, FIFTHS)
    big = r * (q + 1)  # positions held by the r larger fifths
    with np.errstate(invalid="ignore", divide="ignore"):
        tile = np.where(pos < big, np.floor(pos / (q + 1)) + 1, r + np.floor((pos - big) / q) + 1)
    return np.where(np.isnan(pos) | (n < FIFTHS), np.nan, tile)


def fifth_by_polarity(ntile, polarity):
    """NTILE fifth (1 = lowest) to the scorecard's fifth: 1 = best by polarity, or lowest if none.

    `polarity` is one word or one per value.
    """
    f = np.asarray(ntile, dtype=float)
    out = np.where(np.asarray(polarity, dtype=object) == "higher-better", FIFTHS + 1 - f, f)
    return out if out.ndim else float(out)


def quintile_of(values, home_value: float, polarity: str) -> float:
    """The home value's fifth among values (1 = best by polarity; 1 = lowest with no polarity).

    `values` are every area's values (the home area's among them); NaN where the home value is
    missing or there are fewer than five values to cut into fifths.
    """
    v = np.asarray(values, dtype=float)
    if home_value is None or math.isnan(home_value):
        return math.nan
    if not np.any(v == home_value):
        v = np.append(v, home_value)
    tiles = ntile5(v)
    return float(fifth_by_polarity(tiles[np.flatnonzero(v == home_value)[0]], polarity))


def quintile_word(fifth: float, polarity: str) -> str:
    """FingertipsNext's outcome word for a fifth (1 = best / lowest); '' when there is none."""
    if fifth is None or math.isnan(fifth):
        return ""
    words = OUTCOMES_NO_POLARITY if polarity == "none" else OUTCOMES_POLARITY
    return words[int(fifth) - 1]


def quintile_label(fifth: float, polarity: str) -> str:
    """What a reader sees for a fifth, e.g. 'Worst fifth' or 'Highest fifth'; '' when none."""
    word = quintile_word(fifth, polarity)
    return f"{word} fifth" if word else ""


def quintile_colour(fifth: float, polarity: str) -> str:
    """Fill colour of a fifth: purples by polarity; uncoloured for no polarity, no fifth and the
    middle fifth (it judges nothing, as engine.vocab.VERDICT_STYLES)."""
    if polarity == "none" or fifth is None or math.isnan(fifth) or int(fifth) == 3:
        return NO_POLARITY_COLOUR
    return QUINTILE_COLOURS[int(fifth) - 1]


def seed_neighbour_rag(rank: float, n: float) -> str:
    """The strategy documents' neighbour RAG from the rank 'r of N' (1 = best): G, A or R.

    Inferred rule: the rank's percentile position p = (r - 1) / (N - 1) (Excel's PERCENTRANK.INC
    on the ranks); G when p <= 0.2 (the best fifth), R when p >= 0.8 (the worst fifth), A between.
    Evidence: data/raw/reported/reported_figures.csv, every row with a neighbour rank and a
    neighbour RAG (128 rows, JSNA 2021/22 and 2022/23 tables of seeds 000 and 003): of 16,
    ranks 1-3 are G and 13-16 R (the rule also makes 4 of 16 G: no row has that rank, so it is
    inferred); of 5, 1 is G and 5 R; of 6, 2 is G and 5-6 R (a plain
    "rank <= N/5" rule gives 2 of 6 A and so fits one row fewer); 121 rows agree. The 7 that do
    not (infant mortality 2/16 'A' twice, child mortality 5/6 'A', MMR 5/5 'A', cervical
    screening 12/16 'R' twice, preventable respiratory deaths 13/16 'G') are listed in the tests
    as the documents' own departures. '' when there is no rank or fewer than two areas.
    """
    nan = float("nan")
    return str(seed_neighbour_rags(np.array([nan if rank is None else rank]),
                                   np.array([nan if n is None else n]))[0])  # fmt: skip


SEED_FIFTH_LETTERS = ("", "G", "A", "R")  # by seed_neighbour_fifths' number


def seed_neighbour_rags(rank: np.ndarray, n: np.ndarray) -> np.ndarray:
    """`seed_neighbour_rag` for whole arrays at once: the rule's letters, '' where no position."""
    return np.array(SEED_FIFTH_LETTERS, dtype=object)[seed_neighbour_fifths(rank, n)]


def seed_neighbour_fifths(rank: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The rule's one implementation, as numbers: 1 the best fifth (G), 2 the middle three
    fifths (A), 3 the worst fifth (R), 0 no position. Numbers, not letters, so the engine,
    which rates millions of rows at 100x the data, picks its words by position."""
    rank, n = np.asarray(rank, dtype="float64"), np.asarray(n, dtype="float64")
    rated = ~np.isnan(rank) & ~np.isnan(n) & (n >= 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = (rank - 1) / (n - 1)
    fifth = np.where(p <= SEED_RAG_BEST + 1e-9, 1, np.where(p >= SEED_RAG_WORST - 1e-9, 3, 2))
    return np.where(rated, fifth, 0)
