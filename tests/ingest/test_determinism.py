"""Two builds of the same inputs give identical table contents (only built_at/seconds differ)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from lutonwb.ingest import pipeline


def test_two_builds_are_identical(tmp_path: Path, raw_dir: Path) -> None:
    a = pipeline.build(raw_dir, tmp_path / "a", progress=lambda _m: None)
    b = pipeline.build(raw_dir, tmp_path / "b", progress=lambda _m: None)
    assert a["tables"] == b["tables"] and a["inputs"] == b["inputs"]
    for name in a["tables"]:
        left = pd.read_parquet(tmp_path / "a" / f"{name}.parquet")
        right = pd.read_parquet(tmp_path / "b" / f"{name}.parquet")
        pd.testing.assert_frame_equal(left, right, check_exact=True)
    ma = json.loads((tmp_path / "a" / "manifest.json").read_text())
    mb = json.loads((tmp_path / "b" / "manifest.json").read_text())
    for m in (ma, mb):
        m.pop("built_at"), m.pop("seconds")
    assert ma == mb


def test_values_key_is_unique_across_sources(tmp_path: Path, raw_dir: Path) -> None:
    pipeline.build(raw_dir, tmp_path / "w", progress=lambda _m: None)
    v = pd.read_parquet(tmp_path / "w" / "values.parquet")
    mine = r"^(fingertips|fingertips-raw|fingertips-2020|ons-els|lait|dwp-cilif|desnz-fuel-poverty|mhclg-homelessness)/"
    v = v[v["series"].str.match(mine)]
    assert len(v) > 250_000
    key = ["series", "area_code", "period", "sex", "age", "category_type", "category"]
    assert not v.duplicated(key).any()
    assert v["period_start"].notna().all() and (v["period_start"] <= v["period_end"]).all()
    assert v["area_type"].isin(["england", "region", "utla", "ltla", "ward", "lsoa"]).all()
