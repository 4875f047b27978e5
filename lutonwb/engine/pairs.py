"""Group members' values for every (measure, home, period) at once, by integer lookups.

(measure, period key, authority) -> one int64, so each member's value is found through one
index instead of joins on text keys: a custom group is rated in milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lutonwb.engine.rows import positions_in

GridCodes = tuple[np.ndarray, np.ndarray, np.ndarray]


class PairCodes:
    """Integer codes of the authority rows and of one period's grid (made once, then reused)."""

    def __init__(self, utla_rows: pd.DataFrame, utla: Sequence[str]):
        self.utla = list(utla)
        self.n_areas = len(self.utla) + 1
        self.mids = list(pd.unique(utla_rows["measure_id"]))
        self.n_keys = int(np.nanmax(utla_rows["pkey"].to_numpy(dtype=float), initial=0)) + 2
        area = positions_in(utla_rows["area_code"], self.utla, -1)
        self.index = pd.Index(self.code(utla_rows["measure_id"], utla_rows["pkey"], area))
        self.value = utla_rows["value"].to_numpy(dtype=float)
        self.key = utla_rows["key"].to_numpy(dtype=float)

    def code(self, mid: pd.Series, pkey: pd.Series, area: np.ndarray) -> np.ndarray:
        """One int64 per (measure, period key, area position); -1 where any is unknown."""
        m = positions_in(mid, self.mids)
        k = pkey.to_numpy(dtype=float)
        ok = (m >= 0) & ~np.isnan(k) & (area >= 0)
        out = (m.astype(np.int64) * self.n_keys + np.nan_to_num(k).astype(np.int64)) * self.n_areas
        return np.where(ok, out + area, -1)

    def grid(self, grid: pd.DataFrame) -> GridCodes:
        """The grid's home positions, base codes (area 0) and home keys."""
        home = positions_in(grid["home_area"], self.utla, len(self.utla))
        base = self.code(grid["measure_id"], grid["pkey"], np.zeros(len(grid), dtype=np.int64))
        return home, base, grid["key"].to_numpy(dtype=float)


def _pairs(codes: PairCodes, g_home: np.ndarray, members: pd.DataFrame):
    """Every (grid row, member) pair: the grid row of each pair and the member's position."""
    h = positions_in(members["home"], codes.utla, -1)
    mem = positions_in(members["member"], codes.utla, -1)
    keep = (h >= 0) & (mem >= 0)
    order = np.argsort(h[keep], kind="stable")
    h, mem = h[keep][order], mem[keep][order]
    counts = np.bincount(h, minlength=codes.n_areas)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    per_row = counts[g_home]
    row = np.repeat(np.arange(len(g_home)), per_row)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    return row, mem[starts[g_home][row] + offset]


def member_sums(
    codes: PairCodes, grid_codes: GridCodes, members: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each grid row (measure, home, period): the sum and count of its group members' values
    at that period, and how many members rank better than the home (lower key)."""
    g_home, g_base, g_key = grid_codes
    n = len(g_home)
    row, member = _pairs(codes, g_home, members)
    keys = np.where(g_base[row] >= 0, g_base[row] + member, -1)
    at = codes.index.get_indexer(keys)
    found = (at >= 0) & (keys >= 0)
    value = np.where(found, codes.value[at], np.nan)
    has = ~np.isnan(value)
    better = has & (np.where(found, codes.key[at], np.nan) < g_key[row])
    # pandas sums with compensation (Kahan): a member mean equal to the home value stays equal
    msum = pd.Series(value[has]).groupby(row[has]).sum().reindex(range(n), fill_value=0.0)
    mcount = np.bincount(row[has], minlength=n).astype(float)
    nbetter = np.bincount(row[better], minlength=n).astype(float)
    return np.where(mcount > 0, msum.to_numpy(dtype=float), np.nan), mcount, nbetter
