"""England and region figures summed from counts where a source has none
(lutonwb/engine/aggregate.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from lutonwb.engine import Engine
from lutonwb.engine.aggregate import ENGLAND_NOTE, REGION_NOTE
from tests.engine import build as w

COUNTS = {w.LUTON: (30, 50), w.B_: (10, 100)}  # every other authority: 40 of 50


def _engine(drop: str = "") -> Engine:
    v = w.make_values()
    v = v[v["series"] != "t/gld"]
    rows = [
        w._row("t/gld", code, "2022/23", 2022, x / n * 100, count=x, denom=n)
        for code in w.EAST_UTLAS + w.LONDON_UTLAS
        if code != drop
        for x, n in [COUNTS.get(code, (40, 50))]
    ]
    v = pd.concat([v, pd.DataFrame(rows).assign(area_name="", area_type="")], ignore_index=True)
    return Engine.from_frames(
        w.make_catalogue(), v, w.make_areas(), w.make_groups(), w.make_reported()
    )


def test_benchmarks_are_sums_of_counts_never_a_mean_of_rates():
    r = w.row(_engine().scorecard(w.LUTON, "england"), "gld")
    # England: (30 + 10 + 8 x 40) / (50 + 100 + 8 x 50) = 360 / 550 (the mean of rates is 71)
    assert r["england"] == pytest.approx(360 / 550 * 100)
    # East: Luton, B and four at 40 of 50: 200 / 350
    assert r["region"] == pytest.approx(200 / 350 * 100)
    assert (r["england_note"], r["region_note"]) == (ENGLAND_NOTE, REGION_NOTE)
    # Luton 30 of 50: Wilson 95% limits 46.2 to 72.3 include 65.5, so similar
    assert r["lower_ci"] == pytest.approx(46.2, abs=0.05)
    assert (r["vs_england"], r["vs_england_method"]) == ("Similar", "ci (computed)")


def test_no_sum_when_an_authority_of_the_region_lacks_counts():
    r = w.row(_engine(drop=w.B_).scorecard(w.LUTON, "england"), "gld")
    assert (
        pd.isna(r["region"])
        and r["region_note"] == "the source publishes no figure for East of England"
    )
    # nine of ten authorities is under 95%: no England figure either
    assert pd.isna(r["england"])
