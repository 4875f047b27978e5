"""England and region figures summed from counts where a source has none
(lutonwb/engine/aggregate.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from lutonwb.engine import Engine
from lutonwb.engine.aggregate import ENGLAND_NOTE, REGION_NOTE
from tests.engine.build import (
    B_,
    EAST_UTLAS,
    LONDON_UTLAS,
    LUTON,
    _row,
    make_areas,
    make_catalogue,
    make_groups,
    make_reported,
    make_values,
    row,
)

COUNTS = {LUTON: (30, 50), B_: (10, 100)}  # every other authority: 40 of 50


def _engine(drop: str = "") -> Engine:
    v = make_values()
    v = v[v["series"] != "t/gld"]
    rows = [
        _row("t/gld", code, "2022/23", 2022, x / n * 100, count=x, denom=n)
        for code in EAST_UTLAS + LONDON_UTLAS
        if code != drop
        for x, n in [COUNTS.get(code, (40, 50))]
    ]
    v = pd.concat([v, pd.DataFrame(rows).assign(area_name="", area_type="")], ignore_index=True)
    return Engine.from_frames(make_catalogue(), v, make_areas(), make_groups(), make_reported())


def test_benchmarks_are_sums_of_counts_never_a_mean_of_rates():
    r = row(_engine().scorecard(LUTON, "england"), "gld")
    # England: (30 + 10 + 8 x 40) / (50 + 100 + 8 x 50) = 360 / 550 (the mean of rates is 71)
    assert r["england"] == pytest.approx(360 / 550 * 100)
    # East: Luton, B and four at 40 of 50: 200 / 350
    assert r["region"] == pytest.approx(200 / 350 * 100)
    assert (r["england_note"], r["region_note"]) == (ENGLAND_NOTE, REGION_NOTE)
    # Luton 30 of 50: Wilson 95% limits 46.2 to 72.3 include 65.5, so similar
    assert r["lower_ci"] == pytest.approx(46.2, abs=0.05)
    assert (r["vs_england"], r["vs_england_method"]) == ("Similar", "ci (computed)")


def test_no_sum_when_an_authority_of_the_region_lacks_counts():
    r = row(_engine(drop=B_).scorecard(LUTON, "england"), "gld")
    assert pd.isna(r["region"]) and r["region_note"] == "the source publishes no region figure"
    # nine of ten authorities is under 95%: no England figure either
    assert pd.isna(r["england"])
