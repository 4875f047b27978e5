"""The benchmark's N× data generator: the growth goal is only meaningful if each copy is a
complete, consistent set of areas that the engine rates exactly as it rates the original."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bench.gen_data import copy_code, generate, local_codes
from lutonwb import config
from lutonwb.catalogue import load_catalogue
from lutonwb.db import Warehouse
from lutonwb.engine import Engine

LUTON = "E06000032"
SAME_AS_ORIGINAL = [
    "period", "value", "lower_ci", "upper_ci", "england", "region", "group_average", "group_size",
    "vs_england", "vs_region", "vs_group", "rag_england", "rag_group", "trend",
]  # fmt: skip


def test_copy_codes_keep_the_type_prefix_and_never_collide() -> None:
    assert copy_code(LUTON, 1) == "E06010032"
    assert copy_code(LUTON, 99) == "E06990032"
    assert copy_code("E05013636", 3)[:3] == "E05"
    assert copy_code("not-a-gss", 2) == "not-a-gss~2"


@pytest.fixture(scope="module")
def doubled(warehouse_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wh") / "x2"
    generate(warehouse_dir, out, 2)
    return out


def test_local_rows_are_doubled_and_benchmarks_kept(warehouse_dir: Path, doubled: Path) -> None:
    areas = pd.read_parquet(warehouse_dir / "areas.parquet")
    local = local_codes(areas)
    before = pd.read_parquet(warehouse_dir / "values.parquet", columns=["area_code"])
    after = pd.read_parquet(doubled / "values.parquet", columns=["area_code"])
    n_local = int(before["area_code"].isin(local).sum())
    assert n_local > 100_000
    assert len(after) == len(before) + n_local
    assert (after["area_code"] == "E92000001").sum() == (before["area_code"] == "E92000001").sum()
    assert (after["area_code"] == copy_code(LUTON, 1)).sum() == (before["area_code"] == LUTON).sum()
    new_areas = pd.read_parquet(doubled / "areas.parquet")
    assert len(new_areas) == len(areas) + int(areas["area_code"].isin(local).sum())
    copies = {copy_code(c, 1) for c in local}
    assert not copies & set(areas["area_code"])  # no copy takes a real area's code
    assert set(new_areas["area_code"]) == set(areas["area_code"]) | copies
    assert Warehouse(doubled).row_counts()["values"] == len(after)


def test_a_copy_of_luton_is_rated_as_luton(doubled: Path) -> None:
    cat = load_catalogue(config.catalogue_path())
    original = Engine(Warehouse(config.warehouse_dir()), cat, snapshot=False)
    copied = Engine(Warehouse(doubled), cat, snapshot=False)
    a = original.scorecard(LUTON, "cssnbt-2025").set_index("measure_id")
    b = copied.scorecard(copy_code(LUTON, 1), "cssnbt-2025").set_index("measure_id")
    # figures reported in the place's own documents are the home area's alone: a copy has none
    a = a[a["reported_document"].fillna("") == ""]
    b = b.loc[a.index]
    assert a["value"].notna().sum() > 50
    pd.testing.assert_frame_equal(
        a[SAME_AS_ORIGINAL], b[SAME_AS_ORIGINAL], check_dtype=False, check_index_type=False
    )
    # the neighbours are the copies of Luton's neighbours, not the originals
    members = copied.group_members("cssnbt-2025", copy_code(LUTON, 1))
    assert len(members) >= 10 and all(m[3:5] == "01" for m in members)
