"""Group members' values for every (measure, home, period) at once, by integer lookups.

Each period the grid shows for a measure gets a row of a table holding every authority's value
and rank key at that period, so a member's value is found by two integer positions: no joins on
text keys and no hash lookups. The (grid row, member) pairs are made a slice of the grid at a
time (about a million pairs), so the work arrays stay a few MB: a custom group is rated in
milliseconds, and at 100x the data it does not ask the system for gigabytes of fresh memory at
each rating (see bench/README.md, "The group sums at 100x the data").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from lutonwb.engine.rows import positions_in

PAIRS_PER_STEP = 1 << 20  # (grid row, member) pairs made at once: a few MB per work array


class GridCodes(NamedTuple):
    """One period's grid as integer positions, and the authorities' values at its periods."""

    home: np.ndarray  # each grid row's home position (len(utla) where unknown)
    slot: np.ndarray  # each grid row's row of the tables (-1: no value at a known period)
    key: np.ndarray  # each grid row's home rank key
    value_at: np.ndarray  # slots x areas: each authority's value at the slot's period
    key_at: np.ndarray  # slots x areas: its rank key (smaller is better)


class PairCodes:
    """Integer codes of the authority rows (made once, then reused for every period's grid)."""

    def __init__(self, rows: pd.DataFrame, utla: Sequence[str], keep: np.ndarray | None = None):
        """rows: measure_id, area_code, pkey, value and key; keep: which rows are the
        authorities' (all when None). The text columns are coded whole, then the kept rows
        taken as numbers: selecting millions of text rows first cost more than the coding."""
        keep = np.ones(len(rows), dtype=bool) if keep is None else np.asarray(keep, dtype=bool)
        self.utla = list(utla)
        self.n_areas = len(self.utla) + 1
        self.mids = list(pd.unique(rows["measure_id"]))
        pkey = rows["pkey"].to_numpy(dtype=float)
        self.n_keys = int(np.nanmax(pkey, initial=0)) + 2
        self.area = positions_in(rows["area_code"], self.utla, -1)[keep]
        self.period = self.code(rows["measure_id"], rows["pkey"])[keep]
        self.value = rows["value"].to_numpy(dtype=float)[keep]
        self.key = rows["key"].to_numpy(dtype=float)[keep]

    def code(self, mid: pd.Series, pkey: pd.Series) -> np.ndarray:
        """One int64 per (measure, period key); -1 where either is unknown."""
        m = positions_in(mid, self.mids)
        k = pkey.to_numpy(dtype=float)
        ok = (m >= 0) & ~np.isnan(k)
        return np.where(
            ok, m.astype(np.int64) * self.n_keys + np.nan_to_num(k).astype(np.int64), -1
        )

    def grid(self, grid: pd.DataFrame) -> GridCodes:
        """The grid's home positions, table rows and home keys, and the tables of every
        authority's value and key at each (measure, period) the grid shows."""
        home = positions_in(grid["home_area"], self.utla, len(self.utla))
        period = self.code(grid["measure_id"], grid["pkey"])
        shown, slot = np.unique(period, return_inverse=True)
        slot = np.where(period >= 0, slot, -1)
        value_at = np.full((len(shown), self.n_areas), np.nan)
        key_at = np.full((len(shown), self.n_areas), np.nan)
        if len(shown):
            at = np.minimum(np.searchsorted(shown, self.period), len(shown) - 1)
            hit = (self.period >= 0) & (self.area >= 0) & (shown[at] == self.period)
            value_at[at[hit], self.area[hit]] = self.value[hit]
            key_at[at[hit], self.area[hit]] = self.key[hit]
        return GridCodes(home, slot, grid["key"].to_numpy(dtype=float), value_at, key_at)


def member_lists(codes: PairCodes, members: pd.DataFrame) -> np.ndarray:
    """areas x width: each home's member positions in the pairs' order, -1 past its last."""
    h = positions_in(members["home"], codes.utla, -1)
    mem = positions_in(members["member"], codes.utla, -1)
    keep = (h >= 0) & (mem >= 0)
    order = np.argsort(h[keep], kind="stable")
    h, mem = h[keep][order], mem[keep][order]
    counts = np.bincount(h, minlength=codes.n_areas)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    lists = np.full((codes.n_areas, int(counts.max(initial=0))), -1, dtype=np.int64)
    lists[h, np.arange(len(h)) - starts[h]] = mem
    return lists


def member_sums(
    codes: PairCodes, grid_codes: GridCodes, members: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each grid row (measure, home, period): the sum and count of its group members' values
    at that period, and how many members rank better than the home (lower key)."""
    g = grid_codes
    n = len(g.home)
    lists = member_lists(codes, members)
    width = (lists >= 0).sum(axis=1)  # each home's number of members
    total, count, better = np.full(n, np.nan), np.zeros(n), np.zeros(n)
    step = max(1, PAIRS_PER_STEP // max(lists.shape[1], 1))
    for first in range(0, n, step):
        part = slice(first, min(first + step, n))
        total[part], count[part], better[part] = _sums_of_rows(g, lists, width, part)
    return total, count, better


def _sums_of_rows(
    g: GridCodes, lists: np.ndarray, width: np.ndarray, part: slice
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """member_sums for some grid rows: their (row, member) pairs made only for these rows."""
    home, slot, key = g.home[part], g.slot[part], g.key[part]
    per_row = width[home]
    row = np.repeat(np.arange(len(home)), per_row)
    nth = np.arange(len(row)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    member = lists[home[row], nth]
    at = slot[row]
    found = at >= 0
    at = np.where(found, at, 0)
    value = np.where(found, g.value_at[at, member], np.nan)
    has = ~np.isnan(value)
    count = np.bincount(row[has], minlength=len(home)).astype(float)
    better = np.bincount(row[has & (g.key_at[at, member] < key[row])], minlength=len(home))
    # summed as pandas sums sorted groups (numpy's reduceat), so every figure is the same as the
    # grouped sum gave: a mean that touches an interval's end keeps its verdict
    total = np.full(len(home), np.nan)
    some = count > 0
    starts = (np.cumsum(count) - count)[some].astype(np.int64)
    total[some] = np.add.reduceat(value[has], starts) if len(starts) else []
    return total, count, better.astype(float)
