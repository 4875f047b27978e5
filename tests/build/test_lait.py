"""DfE LAIT loader: LA numbers → ONS codes, float artefacts rounded, periods as given."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lutonwb.build import lait


@pytest.fixture(scope="module")
def v(raw_dir: Path) -> pd.DataFrame:
    return lait.build(raw_dir)["values"]


@pytest.mark.parametrize(
    ("area", "value"), [("E06000032", 64.0), ("E92000001", 68.3), ("E12000006", 68.7)]
)
def test_good_level_of_development_2025(v, area: str, value: float) -> None:
    row = v[
        (v["series"] == "lait/FSP_NEW_GOODDEV") & (v["area_code"] == area) & (v["period"] == "2025")
    ]
    assert row["value"].tolist() == [value]
    assert row["unit"].tolist() == ["%"]


def test_float_artefacts_and_pooled_periods(v) -> None:
    # raw "10.199999999999999" for Barnet under-18 conceptions 2016
    row = v[
        (v["series"] == "lait/Under18concep")
        & (v["area_code"] == "E09000003")
        & (v["period"] == "2016")
    ]
    assert row["value"].tolist() == [10.2]
    alc = v[v["series"] == "lait/Hosp_Adm_Alc_<18yrs"]
    assert "2021/22-23/24" in set(alc["period"])
    assert set(v["area_type"]) == {"england", "region", "utla"}
    assert not v["area_code"].str.startswith("E13").any()  # Inner/Outer London left out
