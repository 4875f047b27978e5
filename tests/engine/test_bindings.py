"""Which series feeds a measure (lutonwb/engine/bindings.py)."""

from __future__ import annotations

import pytest

from lutonwb.engine import Engine
from tests.engine.build import LUTON, row


def test_binding_with_most_recent_data_is_used(extra):
    r = row(extra.scorecard(LUTON, "england"), "ow")
    assert (r["period"], r["value"], r["series"]) == ("2023", 36, "t/ow-new")
    assert r["source"] == "Newer publisher" and r["source_note"] == "same definition"
    assert r["alternate_series"] == "t/ow-old"
    assert r["trend"] == "Getting better"  # 40 -> 36, not the old series' rise
    assert [b.series for b in extra.alternates("ow")] == ["t/ow-old"]
    t = row(extra.scorecard(LUTON, "england"), "tie")
    assert (t["series"], t["value"], t["source"]) == ("t/tie-a", 11.0, "test source")


def test_real_fresher_binding_is_used(real):
    sc = real.scorecard("E06000032", "cssnbt-2021").set_index("measure_id")
    y6 = sc.loc["overweight-obese-year-6"]
    assert (y6["series"], y6["value"]) == ("lait/ExcessYr6", 39.5)
    assert y6["trend"] != "Getting worse" and "LAIT" in y6["source"]
    assert sc.loc["overweight-obese-reception", "series"] == "lait/ExcessRec"
    clif = sc.loc["children-low-income-families"]
    assert clif["series"].endswith("children-in-relative-poverty-before-housing-costs")
    assert clif["value"] == pytest.approx(31.6557, abs=1e-3)  # FYE 2025 (PROVENANCE 8b)
    assert clif["england_note"] == "the source publishes no figure for England"
    assert sc.loc["adult-overweight-obesity", "series"] == "fingertips/overweight_adult"
    assert sc.loc["nhs-health-checks", "trend"] == "Not applicable"
    assert sc.loc["median-weekly-pay", "trend"] == "Not applicable"


def test_binding_years_keeps_one_period_shape(wh) -> None:
    """smoking-routine-manual binds the 3-year pooled estimates only (the extract mixes shapes)."""
    from lutonwb.catalogue import load_catalogue

    eng = Engine(wh, load_catalogue())
    s = eng.measure_series("smoking-routine-manual", "E06000032", "england")
    home = s[s["role"] == "home"]
    assert len(home) >= 3
    assert all("-" in p for p in home["period"]), list(home["period"])
    assert home.sort_values("period_end")["period"].iloc[-1] == "2022-24"
