"""Funnel plots: PHE limits by hand, Spiegelhalter's dispersion on a synthetic set, and the real
fuel poverty funnels (authorities against England, the place's LSOAs against its own rate)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lutonwb import funnel as fu
from lutonwb.catalogue import load_catalogue
from lutonwb.engine import Engine
from lutonwb.place import load_place

ROOT = Path(__file__).resolve().parents[1]


def test_wilson_limits_by_hand():
    # target 10% at n = 100: Wilson centre 0.1148, half-width 0.0596 (z = 1.96)
    lo, hi = fu.limits(0.1, 100, "proportion", 0.95)
    assert (lo, hi) == pytest.approx((0.05523, 0.17437), abs=1e-4)
    lo998, hi998 = fu.limits(0.1, 100, "proportion", 0.998)
    assert lo998 < lo and hi998 > hi


def test_dispersion_by_hand():
    # ten areas of 100 around 50%: SE 0.05, z = -3..3; winsorised at 10% to +/-2.1
    z = np.array([-3, -2, -1, -1, 0, 0, 1, 1, 2, 3], dtype=float)
    n = np.full(10, 100.0)
    phi, tau2 = fu.dispersion(0.5 + 0.05 * z, n, 0.5, "proportion")
    assert phi == pytest.approx(20.82 / 10)
    assert tau2 == pytest.approx((20.82 - 9) / 3600)


def test_no_overdispersion_no_adjustment():
    n = np.full(10, 100.0)
    phi, tau2 = fu.dispersion(np.full(10, 0.5), n, 0.5, "proportion")
    assert (phi, tau2) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("value", "word"),
    [(20, fu.POSITIONS[0]), (14, fu.POSITIONS[1]), (10, fu.POSITIONS[2]), (6, fu.POSITIONS[3]),
     (1, fu.POSITIONS[4])],
)  # fmt: skip
def test_position(value, word):
    row = {"lower_998": 3, "lower_95": 7, "upper_95": 13, "upper_998": 17}
    assert fu.position(value, row) == word


def test_too_few_areas_no_funnel():
    pts = pd.DataFrame({"area_code": list("abc"), "area_name": list("abc"), "count": [1, 2, 3],
                        "denominator": [10, 10, 10]})  # fmt: skip
    assert fu.funnel(pts) is None


@pytest.fixture(scope="module")
def engine(wh):
    return Engine(wh, load_catalogue())


def test_fuel_poverty_authorities_against_england(engine):
    assert "fuel-poverty" in fu.funnel_measures(engine)
    f = fu.measure_funnel(engine, "fuel-poverty")
    luton = f.points.set_index("area_code").loc["E06000032"]
    assert f.period == "2022"
    assert (luton["count"], luton["denominator"]) == (10520, 80760)
    assert luton["value"] == pytest.approx(100 * 10520 / 80760)
    assert len(f.points) == 153
    assert f.phi > 1 and f.tau2 > 0  # big denominators: real differences beyond chance
    assert (f.points["upper_95_adjusted"] > f.points["upper_95"]).all()
    assert "random effect" in f.method


def test_measure_without_counts_has_no_funnel(engine):
    assert fu.measure_funnel(engine, "life-expectancy-male") is None


def test_lsoa_funnel_against_the_place_rate(wh):
    f = fu.lsoa_funnel(wh, load_place(ROOT / "data" / "places" / "luton"))
    assert f.period == "2022" and len(f.points) == 125
    # the place's own rate: its LSOAs' fuel-poor households over their households
    assert f.target == pytest.approx(100 * 10520 / 80760, abs=0.01)
    assert fu.lsoa_funnel(wh, load_place(ROOT / "data" / "places" / "example")) is None
