"""95% limits computed from counts and denominators (lutonwb/engine/rows.py)."""

from __future__ import annotations

import pytest

from tests.engine.build import LUTON, row


def test_computed_limits_rate_the_comparison(extra):
    r = row(extra.scorecard(LUTON, "england"), "fp")
    lo, hi = wilson = __import__("lutonwb.stats").stats.wilson_ci(150, 1000)
    assert r["lower_ci"] == pytest.approx(100 * lo) and r["upper_ci"] == pytest.approx(100 * hi)
    assert wilson[0] * 100 > 10  # the interval lies above England's 10%
    assert (r["vs_england"], r["vs_england_method"], r["rag_england"]) == (
        "Worse",
        "ci (computed)",
        "R",
    )
    inj = row(extra.scorecard(LUTON, "england"), "inj")
    lo, hi = __import__("lutonwb.stats").stats.rate_ci(40, 100000)
    assert (inj["lower_ci"], inj["upper_ci"]) == (pytest.approx(lo), pytest.approx(hi))
    assert inj["vs_england_method"] == "ci (computed)" and inj["vs_england"] == "Similar"
