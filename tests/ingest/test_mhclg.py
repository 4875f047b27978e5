"""MHCLG homelessness snapshot on the bundled file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lutonwb.ingest import mhclg


@pytest.fixture(scope="module")
def v(raw_dir: Path) -> pd.DataFrame:
    return mhclg.build(raw_dir)["values"]


def test_homelessness(v, one) -> None:
    row = one(v, series="mhclg-homelessness/temporary-accommodation", area_code="E06000032")
    assert (
        round(row["value"], 2) == 13.26
        and row["period"] == "2023 Q4"
        and row["area_name"] == "Luton"
    )
    assert (row["period_start"], row["period_end"]) == (
        pd.Timestamp("2023-10-01"),
        pd.Timestamp("2023-12-31"),
    )
    assert (
        round(
            one(v, series="mhclg-homelessness/assessed-homeless", area_code="E06000032")["value"], 2
        )
        == 3.85
    )
    assert v["value"].notna().sum() == len(
        v
    )  # "NA" rows dropped (no suppressed cells among these sources but wards)
