"""Boundaries and lookups: counts, codes, simplification, straddling LSOAs and malformed inputs."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from lutonwb.ingest import geography as g
from lutonwb.ingest.errors import DataError
from lutonwb.place import load_place

ROOT = Path(__file__).resolve().parents[2]
LOCAL = load_place(ROOT / "data" / "places" / "luton").local_area

WD23 = {
    "E05014735": "Barnfield", "E05014736": "Beech Hill", "E05014737": "Biscot",
    "E05014738": "Bramingham", "E05014739": "Central", "E05014740": "Challney",
    "E05014741": "Dallow", "E05014742": "Farley", "E05014743": "High Town",
    "E05014744": "Leagrave", "E05014745": "Lewsey", "E05014746": "Northwell",
    "E05014747": "Poets", "E05014748": "Round Green", "E05014749": "Saints",
    "E05014750": "South", "E05014751": "Stopsley", "E05014752": "Sundon Park",
    "E05014753": "Vauxhall", "E05014754": "Wigmore",
}  # fmt: skip
STRADDLING = {"E01015705", "E01015768", "E01015787", "E01033804", "E01015732", "E01015795"}


@pytest.fixture(scope="module")
def tables(raw_dir: Path) -> dict:
    return g.build(raw_dir)


def test_layer_counts(tables) -> None:
    counts = tables["boundaries"].groupby("layer").size().to_dict()
    assert counts["wd23"] == 20 and counts["wd13"] == 19
    assert counts["lsoa21"] == 125 and counts["lsoa11"] == 121 and counts["msoa11"] == 21
    utla = tables["boundaries"].query("layer == 'utla23'")
    assert utla["code"].str[:3].isin(["E06", "E08", "E09", "E10"]).all()
    assert "E06000032" in set(utla["code"]) and len(utla) > 140


def test_wards_2023_codes_and_names(tables) -> None:
    wd = tables["boundaries"].query("layer == 'wd23'")
    assert dict(zip(wd["code"], wd["name"], strict=True)) == WD23


def test_geometry_is_valid_geojson_and_small(tables) -> None:
    b = tables["boundaries"]
    for text in b["geometry"]:
        geom = json.loads(text)
        assert geom["type"] == "MultiPolygon"
        for poly in geom["coordinates"]:
            for ring in poly:
                assert len(ring) >= 4 and ring[0] == ring[-1]
    utla_bytes = b.query("layer == 'utla23'")["geometry"].str.len().sum()
    assert utla_bytes < 700_000, "the England map must stay light enough to draw fast"
    luton = b.query("code == 'E06000032'").iloc[0]
    assert -0.5 < luton["lon"] < -0.35 and 51.85 < luton["lat"] < 51.95


def test_simplify_keeps_corners_drops_collinear_points() -> None:
    square = [(0, 0), (0.5, 0), (1, 0), (1, 1), (0, 1), (0, 0)]
    out = g.simplify_ring(square, 1e-6)
    assert (0.5, 0) not in out and len(out) == 5 and out[0] == out[-1]


def test_straddling_lsoas_are_flagged(tables) -> None:
    lk = tables["lookup_lsoa_ward"]
    lsoa21 = lk.query("lsoa_vintage == 'LSOA21'")
    assert len(lsoa21) == 125 and set(lsoa21["ward_code"]) == set(WD23)
    assert set(lsoa21.loc[lsoa21["straddles"], "lsoa_code"]) == STRADDLING
    lsoa11 = lk.query("lsoa_vintage == 'LSOA11'")
    assert len(lsoa11) == 121 and not lsoa11["straddles"].any()
    assert lsoa11["ward_code"].nunique() == 19


def test_lookups(tables) -> None:
    l1121 = tables["lookup_lsoa11_lsoa21"]
    assert (l1121["change"] == "U").sum() == 118 and (l1121["change"] == "S").sum() == 7
    assert l1121.query("change == 'S'")["lsoa11_code"].nunique() == 3
    utla = tables["lookup_ltla_utla"].set_index("ltla_code")
    assert utla.loc["E06000032", "utla_code"] == "E06000032"
    reg = tables["lookup_ltla_region"].set_index("ltla_code")
    assert reg.loc["E06000032", "region_code"] == "E12000006"


def test_areas_rows(tables) -> None:
    a = tables["areas"]
    assert a.groupby("vintage").size().to_dict() == {
        "LSOA11": 121,
        "LSOA21": 125,
        "WD13": 19,
        "WD23": 20,
    }
    assert (a["parent_code"] == "E06000032").all()
    assert set(a.loc[a["current"], "vintage"]) == {"WD23", "LSOA21"}


# -- malformed inputs ------------------------------------------------------------------------


def _copy(raw_dir: Path, tmp_path: Path, rel: str) -> Path:
    dst = tmp_path / "raw" / rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(raw_dir / rel, dst)
    return dst


def _layer(layer_id: str) -> g.Layer:
    return next(layer for layer in g.layers(LOCAL) if layer.id == layer_id)


def _mutate_geojson(path: Path, fn) -> None:
    doc = json.loads(path.read_text())
    fn(doc)
    path.write_text(json.dumps(doc))


GEOJSON_CASES = [
    ("bad-code", lambda d: d["features"][3]["properties"].update(WD23CD="X05014738"), "features[3].properties.WD23CD"),
    ("duplicate", lambda d: d["features"][4]["properties"].update(WD23CD="E05014735"), "features[4].properties.WD23CD"),
    ("no-name", lambda d: d["features"][2]["properties"].update(WD23NM=""), "features[2].properties.WD23NM"),
    ("point", lambda d: d["features"][5].update(geometry={"type": "Point", "coordinates": [0, 51]}), "features[5].geometry.type"),
    ("short-ring", lambda d: d["features"][1]["geometry"].update(coordinates=[[[0, 51], [0.1, 51], [0, 51]]]), "features[1].geometry.coordinates[0][0]"),
    ("easting", lambda d: d["features"][0]["geometry"]["coordinates"][0].__setitem__(1, [509000.0, 221000.0]), "features[0].geometry.coordinates[0][0]"),
    ("missing-feature", lambda d: d["features"].pop(), "features"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "mutate", "field"), GEOJSON_CASES, ids=[c[0] for c in GEOJSON_CASES]
)
def test_malformed_geojson(raw_dir, tmp_path, case, mutate, field) -> None:
    layer = _layer("wd23")
    path = _copy(raw_dir, tmp_path, layer.file)
    _mutate_geojson(path, mutate)
    with pytest.raises(DataError) as err:
        g.read_layer(path, layer)
    assert err.value.file == layer.file and err.value.field == field


def test_truncated_json_names_line(raw_dir, tmp_path) -> None:
    layer = _layer("wd13")
    path = _copy(raw_dir, tmp_path, layer.file)
    path.write_text(path.read_text()[:5000])
    with pytest.raises(DataError) as err:
        g.read_layer(path, layer)
    assert err.value.file == layer.file and err.value.line is not None


def test_damaged_gzip(raw_dir, tmp_path) -> None:
    layer = _layer("utla23")
    path = _copy(raw_dir, tmp_path, layer.file)
    path.write_bytes(gzip.compress(b'{"type": "FeatureCollection"')[:-8])
    with pytest.raises(DataError, match="gzip"):
        g.read_layer(path, layer)


NATIONAL_READERS = (g.read_ltla_region, g.read_ltla_utla)
LOOKUP_CASES = [
    ("lookups/luton_lsoa21_to_ward2024.csv", g.read_lsoa21_ward, "E01015694,", "E0101569,", 3, "LSOA21CD"),
    ("lookups/luton_lsoa21_to_ward2024.csv", g.read_lsoa21_ward, ",E05014735,Barnfield,E06000032", ",E05014735,Barnfield,E06000033", 2, "LAD24CD"),
    ("lookups/luton_lsoa11_to_ward2017.csv", g.read_lsoa11_ward, "E01015694,Luton 007B", "E01015693,Luton 007B", 3, "LSOA11CD"),
    ("lookups/luton_lsoa11_to_lsoa21.csv", g.read_lsoa11_lsoa21, ",U,E06000032", ",Q,E06000032", 2, "CHGIND"),
    ("lookups/all_ltla24_to_region24.csv", g.read_ltla_region, "E12000001", "E1200001", 2, "region24_code"),
    ("lookups/all_ltla23_to_utla23.csv", g.read_ltla_utla, "E06000002,Middlesbrough,E06000002", "E06000002,Middlesbrough,", 3, "utla23_code"),
]  # fmt: skip


@pytest.mark.parametrize(("rel", "reader", "old", "new", "line", "field"), LOOKUP_CASES)
def test_malformed_lookups(raw_dir, tmp_path, rel, reader, old, new, line, field) -> None:
    path = _copy(raw_dir, tmp_path, rel)
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(DataError) as err:
        reader(path) if reader in NATIONAL_READERS else reader(path, LOCAL.authority)
    assert (err.value.file, err.value.line, err.value.field) == (rel, line, field)


def test_lookup_ward_without_boundary(raw_dir, tmp_path) -> None:
    rel = "lookups/luton_lsoa21_to_ward2024.csv"
    path = _copy(raw_dir, tmp_path, rel)
    path.write_text(path.read_text().replace("E05014735,Barnfield", "E05099999,Barnfield", 1))
    lk = g.read_lsoa21_ward(path, LOCAL.authority)
    polys = {
        layer.id: {f["code"]: f["geometry"] for f in g.read_layer(raw_dir / layer.file, layer)}
        for layer in g.layers(LOCAL)[:3]
    }
    with pytest.raises(DataError) as err:
        g._check_lookup_against_layers(lk, path, polys["lsoa21"], polys["wd23"])
    assert err.value.line == 2 and err.value.field == "ward code"


def test_layers_take_file_and_count_from_the_place() -> None:
    wd23 = next(layer for layer in g.layers(LOCAL) if layer.id == "wd23")
    assert (wd23.file, wd23.expected) == (LOCAL.files["wd23"].path, 20)
    assert [layer.id for layer in g.layers(None)] == ["utla23"]


def test_without_a_local_area_only_england_and_the_national_lookups(raw_dir: Path) -> None:
    t = g.build(raw_dir, None)
    assert set(t["boundaries"]["layer"]) == {"utla23"}
    assert t["lookup_lsoa_ward"].empty and t["lookup_lsoa11_lsoa21"].empty and t["areas"].empty
    assert len(t["lookup_ltla_utla"]) == 318
