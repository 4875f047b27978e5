"""DWP children in low income families on the bundled files: authorities and Luton's wards."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lutonwb.ingest import dwp


@pytest.fixture(scope="module")
def v(raw_dir: Path) -> pd.DataFrame:
    return dwp.build(raw_dir)["values"]


def test_cilif_relative_luton_fye2021(v, one) -> None:
    row = one(v, series="dwp-cilif/relative", area_code="E06000032", period="2020/21")
    assert (row["value"], row["count"], row["status"]) == (27.8, 14649, "p")
    assert (row["period_start"], row["period_end"]) == (
        pd.Timestamp("2020-04-01"),
        pd.Timestamp("2021-03-31"),
    )
    assert (
        one(v, series="dwp-cilif/absolute", area_code="E06000032", period="2020/21")["value"]
        == 23.4
    )
    assert not v["area_code"].str.match(r"[KSWN]").any()


def test_cilif_wards_keep_suppressed_cells(v, one) -> None:
    wards = v[(v["series"] == "dwp-cilif/relative") & (v["area_type"] == "ward")]
    assert wards["area_code"].nunique() == 19
    assert one(wards, area_code="E05002193", period="2014/15")["value"] == 14.0


def test_without_a_local_area_only_authorities(raw_dir: Path) -> None:
    v = dwp.build(raw_dir, None)["values"]
    assert len(v) and not (v["area_type"] == "ward").any()
