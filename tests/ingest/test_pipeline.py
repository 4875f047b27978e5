"""The pipeline publishes atomically and keeps the last good build when a source fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lutonwb.ingest import BuildError, build, read_manifest
from lutonwb.ingest.errors import DataError
from lutonwb.ingest.readers import read_table


def test_build_publishes_manifest(tmp_path: Path, raw_dir: Path) -> None:
    out = tmp_path / "wh"
    manifest = build(raw_dir, out, progress=lambda _m: None)
    assert out.is_symlink()
    assert read_manifest(out)["tables"] == manifest["tables"]
    assert manifest["inputs"], "the manifest fingerprints the raw inputs"


def test_missing_raw_folder_is_a_named_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="no such folder"):
        build(tmp_path / "nope", tmp_path / "wh", progress=lambda _m: None)


def test_read_table_names_line_of_ragged_row(tmp_path: Path) -> None:
    f = tmp_path / "raw" / "x.csv"
    f.parent.mkdir()
    f.write_text('a,b\n1,2\n"multi\nline",3\n4,5,6\n')
    with pytest.raises(DataError) as err:
        read_table(f, ["a", "b"])
    assert err.value.line == 5 and err.value.file == "x.csv"
    assert "3 fields" in str(err.value)


def test_read_table_reports_bad_encoding_line(tmp_path: Path) -> None:
    f = tmp_path / "raw" / "y.csv"
    f.parent.mkdir()
    f.write_bytes(b"a,b\n1,2\n3,\xff\n")
    with pytest.raises(DataError) as err:
        read_table(f, ["a"])
    assert err.value.line == 3


def test_failed_build_keeps_last_good(tmp_path: Path, raw_dir: Path, monkeypatch) -> None:
    out = tmp_path / "wh"
    build(raw_dir, out, progress=lambda _m: None)
    before = read_manifest(out)
    target_before = out.resolve()
    from lutonwb.ingest import pipeline

    def boom(raw):
        raise DataError("fake.csv", 7, "value", "abc", "a number")

    import lutonwb.ingest.areas as areas

    monkeypatch.setattr(areas, "build", boom)
    with pytest.raises(BuildError, match="fake.csv, line 7, field 'value'"):
        pipeline.build(raw_dir, out, progress=lambda _m: None)
    assert out.resolve() == target_before
    assert read_manifest(out) == before
    shutil.rmtree(tmp_path)


def test_conform_fills_missing_columns_with_blanks() -> None:
    import pandas as pd

    from lutonwb.ingest.schema import VALUES, conform

    out = conform(pd.DataFrame({"series": ["a"], "value": [1.5]}), VALUES)
    assert list(out.columns) == list(VALUES)
    row = out.iloc[0]
    assert row["value"] == 1.5 and row["area_code"] == "" and pd.isna(row["lower_ci"])
