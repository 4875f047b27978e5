"""Group members' sums, counts and better-ranked counts by integer lookups (lutonwb/engine/pairs.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lutonwb.engine import pairs
from lutonwb.engine.pairs import PairCodes, member_lists, member_sums


def test_member_sums_hand_worked():
    # one measure, one period; keys rank lower = better (A 1, B 2, C 3, D missing)
    rows = pd.DataFrame(
        {
            "measure_id": ["m"] * 3,
            "area_code": ["A", "B", "C"],
            "pkey": [0, 0, 0],
            "value": [10.0, 20.0, 30.0],
            "key": [1.0, 2.0, 3.0],
        }
    )
    codes = PairCodes(rows, ["A", "B", "C", "D"])
    grid = pd.DataFrame(
        {"measure_id": ["m", "m"], "home_area": ["B", "D"], "pkey": [0, 0], "key": [2.0, np.nan]}
    )
    members = pd.DataFrame({"home": ["B", "B", "D"], "member": ["A", "C", "A"]})
    total, count, better = member_sums(codes, codes.grid(grid), members)
    assert total.tolist() == [40.0, 10.0]  # B's members A + C; D's member A
    assert count.tolist() == [2.0, 1.0]
    assert better.tolist() == [1.0, 0.0]  # only A ranks better than B; D has no key


def test_unknown_codes_are_minus_one():
    rows = pd.DataFrame(
        {"measure_id": ["m"], "area_code": ["A"], "pkey": [0], "value": [1.0], "key": [1.0]}
    )
    codes = PairCodes(rows, ["A"])
    got = codes.code(pd.Series(["zz", "m", "m"]), pd.Series([0.0, np.nan, 0.0]))
    assert got.tolist() == [-1, -1, 0]


def _two_periods():
    """Two measures, two periods of m; five authorities, E without figures."""
    rows = pd.DataFrame(
        {
            "measure_id": ["m"] * 8 + ["n"] * 2,
            "area_code": ["A", "B", "C", "D"] * 2 + ["A", "B"],
            "pkey": [0] * 4 + [1] * 4 + [0, 0],
            "value": [1.0, 2.0, 3.0, 4.0, 10.0, 20.0, 30.0, np.nan, 0.1, 0.2],
            "key": [1.0, 2.0, 3.0, 4.0, 3.0, 2.0, 1.0, np.nan, 2.0, 1.0],
        }
    )
    codes = PairCodes(rows, ["A", "B", "C", "D", "E"])
    grid = pd.DataFrame(
        {
            "measure_id": ["m", "m", "m", "n", "m"],
            "home_area": ["A", "D", "E", "A", "B"],
            "pkey": [1, 0, np.nan, 0, 1],
            "key": [3.0, 4.0, np.nan, 2.0, 2.0],
        }
    )
    members = pd.DataFrame(
        {
            "home": ["A", "A", "A", "D", "D", "E", "B", "zz"],
            "member": ["B", "C", "D", "A", "B", "A", "C", "A"],
        }
    )
    return codes, grid, members


def test_each_grid_row_reads_its_members_at_its_own_period():
    codes, grid, members = _two_periods()
    total, count, better = member_sums(codes, codes.grid(grid), members)
    # A at m's period 1: B 20 + C 30 (D has no value there), both rank better than A's key 3
    # D at m's period 0: A 1 + B 2; E's row has no period (no figure); A at n: B 0.2, better;
    # B at m's period 1: C 30, key 1 better than B's 2
    assert np.allclose(total, [50.0, 3.0, np.nan, 0.2, 30.0], equal_nan=True)
    assert count.tolist() == [2.0, 2.0, 0.0, 1.0, 1.0]
    assert better.tolist() == [2.0, 2.0, 0.0, 1.0, 1.0]


def test_member_lists_keep_the_pairs_order_and_drop_unknown_codes():
    codes, _, members = _two_periods()
    lists = member_lists(codes, members)
    assert lists.shape == (6, 3)  # five authorities and the unknown-home row; A has three
    assert lists[0].tolist() == [1, 2, 3]  # A: B, C, D
    assert lists[3].tolist() == [0, 1, -1]  # D: A, B
    assert lists[5].tolist() == [-1, -1, -1]  # 'zz' is no authority: left out


def test_the_sums_do_not_depend_on_how_many_rows_are_worked_at_once(monkeypatch):
    codes, grid, members = _two_periods()
    whole = member_sums(codes, codes.grid(grid), members)
    monkeypatch.setattr(pairs, "PAIRS_PER_STEP", 1)  # one grid row at a time
    for got, want in zip(member_sums(codes, codes.grid(grid), members), whole, strict=True):
        assert np.array_equal(got, want, equal_nan=True)


def test_the_sums_are_pandas_grouped_sums_to_the_last_bit():
    """Summed as pandas sums a sorted group, so every group average (and every verdict where a
    mean touches an interval's end) is the figure the grouped sum gave."""
    rng = np.random.default_rng(7)
    n = 400
    areas = [f"A{i}" for i in range(n)]
    rows = pd.DataFrame(
        {
            "measure_id": "m",
            "area_code": areas,
            "pkey": 0,
            "value": np.round(rng.uniform(50, 90, n), 2),
            "key": np.arange(n, dtype=float),
        }
    )
    codes = PairCodes(rows, areas)
    grid = pd.DataFrame({"measure_id": "m", "home_area": areas, "pkey": 0, "key": 0.0})
    home = np.repeat(areas, 12)
    member = [areas[i] for i in rng.integers(0, n, n * 12)]
    members = pd.DataFrame({"home": home, "member": member})
    total, _, _ = member_sums(codes, codes.grid(grid), members)
    values = rows.set_index("area_code")["value"]
    want = values[member].reset_index(drop=True).groupby(np.repeat(np.arange(n), 12)).sum()
    assert np.array_equal(total, want.to_numpy())
