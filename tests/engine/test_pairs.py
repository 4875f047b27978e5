"""Group members' sums, counts and better-ranked counts by integer lookups (lutonwb/engine/pairs.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lutonwb.engine.pairs import PairCodes, member_sums


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
    got = codes.code(pd.Series(["zz", "m"]), pd.Series([0.0, np.nan]), np.array([0, 0]))
    assert got.tolist() == [-1, -1]
