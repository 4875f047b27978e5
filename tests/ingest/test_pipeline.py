"""The pipeline publishes atomically and keeps the last good build when a source fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lutonwb.ingest import BuildError, build, is_current, pipeline, read_manifest
from lutonwb.ingest.errors import DataError
from lutonwb.ingest.readers import read_table
from lutonwb.place import Place, load_place

ROOT = Path(__file__).resolve().parents[2]


def test_build_publishes_manifest(tmp_path: Path, raw_dir: Path) -> None:
    out = tmp_path / "wh"
    manifest = build(raw_dir, out, progress=lambda _m: None)
    assert out.is_symlink()
    assert read_manifest(out)["tables"] == manifest["tables"]
    assert manifest["inputs"], "the manifest fingerprints the raw inputs"
    # Luton's build: the same rows per table as before its files moved into place.yaml
    assert {k: v for k, v in manifest["tables"].items() if k in LUTON_ROWS} == LUTON_ROWS


LUTON_ROWS = {
    "areas": 668,
    "boundaries": 459,
    "census_household_deprivation": 625,
    "fuel_poverty_lsoa": 1339,
    "iod_indicators": 6888,
    "iod_la": 21965,
    "iod_lsoa": 8638,
    "iod_ward_2019": 456,
    "lookup_lsoa11_lsoa21": 125,
    "lookup_lsoa_ward": 246,
    "lookup_ltla_region": 296,
    "lookup_ltla_utla": 318,
    "lsoa_population": 605,
    "area_groups": 3140,
    "values": 267154,
}


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

    def boom(raw, *_local):
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


# -- the place decides which local files are read ------------------------------------------------

LOCAL_TABLES = (
    "lookup_lsoa_ward",
    "lookup_lsoa11_lsoa21",
    "iod_lsoa",
    "iod_indicators",
    "iod_ward_2019",
    "lsoa_population",
    "fuel_poverty_lsoa",
    "census_household_deprivation",
)


def _place(folder: Path, local: str = "") -> Place:
    folder.mkdir(parents=True, exist_ok=True)
    text = 'name: "Somewhere"\nhome_area: "E06000032"\nregion: "E12000006"\n' + local
    (folder / "place.yaml").write_text(text, encoding="utf-8")
    return load_place(folder)


def test_place_without_local_area_builds_empty_ward_tables(tmp_path: Path, raw_dir: Path) -> None:
    import pandas as pd

    place, out = _place(tmp_path / "place"), tmp_path / "wh"
    manifest = build(raw_dir, out, progress=lambda _m: None, place=place)
    for name in LOCAL_TABLES:
        table = pd.read_parquet(out / f"{name}.parquet")
        assert table.empty and len(table.columns) >= 5, name
    assert manifest["tables"]["iod_la"] == 21965 and manifest["tables"]["lookup_ltla_utla"] == 318
    areas = pd.read_parquet(out / "areas.parquet")
    assert not areas["area_type"].isin(["ward", "lsoa"]).any()
    assert set(pd.read_parquet(out / "boundaries.parquet")["layer"]) == {"utla23"}
    assert is_current(raw_dir, out, place)
    # the place is part of the build's inputs: Luton's place is not what was built
    assert not is_current(raw_dir, out, load_place(ROOT / "data" / "places" / "luton"))

    # a place naming a file the raw folder lacks fails by name and keeps the last good build
    target = out.resolve()
    broken = _place(
        tmp_path / "broken",
        'local_area:\n  authority: "E06000032"\n  files:\n'
        "    wd23: {path: boundaries/nowhere.geojson, expected: 20}\n",
    )
    with pytest.raises(BuildError) as err:
        build(raw_dir, out, progress=lambda _m: None, place=broken)
    first = next(e for e in err.value.errors if e.field == "local_area.files.wd23")
    assert first.file.endswith("broken/place.yaml") and first.line == 7
    assert first.field == "local_area.files.wd23" and "boundaries/nowhere.geojson" in first.found
    # the other roles the loaders need are named too
    assert {e.field for e in err.value.errors} >= {"local_area.files.fuel_poverty_lsoa"}
    assert out.resolve() == target and read_manifest(out) == manifest


def test_fingerprint_includes_the_local_area_section(tmp_path: Path, raw_dir: Path) -> None:
    luton = load_place(ROOT / "data" / "places" / "luton")
    text = (luton.folder / "place.yaml").read_text(encoding="utf-8")
    (tmp_path / "place.yaml").write_text(text.replace("expected: 20", "expected: 21"))
    changed = load_place(tmp_path)
    a, b = pipeline.fingerprint(raw_dir, luton), pipeline.fingerprint(raw_dir, changed)
    assert a.keys() == b.keys() and a[pipeline.PLACE_KEY] != b[pipeline.PLACE_KEY]
    assert {k for k in a if a[k] != b[k]} == {pipeline.PLACE_KEY}
    assert luton.local_area.files["child_poverty_wards"].path in a
