"""The `lutonwb` command line: build precomputes the fixed groups' ratings beside the build."""

from __future__ import annotations

import shutil

from lutonwb.catalogue import load_catalogue
from lutonwb.cli import main
from lutonwb.db import Warehouse
from lutonwb.engine import SNAPSHOT_GROUPS, snapshot_folder


def test_build_if_needed_precomputes_ratings_once(raw_dir, warehouse_dir, tmp_path, capsys):
    out = tmp_path / "warehouse"
    shutil.copytree(warehouse_dir.resolve(), out, ignore=shutil.ignore_patterns("engine"))
    args = ["build", "--if-needed", "--raw", str(raw_dir), "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "is up to date" in printed
    assert "ratings for the fixed comparator groups precomputed" in printed
    folder = snapshot_folder(Warehouse(out), load_catalogue())
    assert {p.name for p in folder.glob("rate-*.parquet")} == {
        f"rate-{g}.parquet" for g in SNAPSHOT_GROUPS
    }
    assert main(args) == 0
    assert "precomputed ratings are up to date" in capsys.readouterr().out
