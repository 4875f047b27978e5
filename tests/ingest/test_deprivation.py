"""Indices of deprivation: spot values from the published files and malformed inputs named by file, line, field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lutonwb.ingest import deprivation as d
from lutonwb.ingest.errors import DataError
from lutonwb.place import load_place

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tables(raw_dir: Path) -> dict:
    return d.build(raw_dir)


def _values(df, **where):
    for k, v in where.items():
        df = df[df[k] == v]
    return df


def test_imd2019_decile_counts(tables) -> None:
    dec = _values(tables["iod_lsoa"], edition="IoD2019", domain="imd", measure="decile")
    counts = dec["value"].astype(int).value_counts().to_dict()
    expected = {1: 4, 2: 29, 3: 18, 4: 18, 5: 21, 6: 7, 7: 9, 8: 10, 9: 5}
    assert counts == expected and len(dec) == 121


def test_iod2025_spot_values(tables) -> None:
    x = _values(tables["iod_lsoa"], edition="IoD2025", lsoa_code="E01015693").set_index(
        ["domain", "measure"]
    )["value"]
    assert (
        x[("imd", "score")] == 9.114 and x[("imd", "rank")] == 26060 and x[("imd", "decile")] == 8
    )
    assert x[("outdoors", "score")] == -0.056 and x[("adult-skills", "decile")] == 8
    assert (
        _values(tables["iod_lsoa"], edition="IoD2025", domain="imd", measure="score")[
            "lsoa_code"
        ].nunique()
        == 125
    )
    assert _values(tables["iod_lsoa"], edition="IoD2019", measure="score").empty, (
        "no LSOA scores exist for 2019"
    )


def test_population_and_ward_and_la(tables) -> None:
    pop = _values(tables["lsoa_population"], age_group="all ages")
    assert pop["population"].sum() == 213_581
    assert _values(pop, lsoa_code="E01015693")["population"].item() == 1577
    ward = tables["iod_ward_2019"]
    assert ward["ward_code"].nunique() == 19
    assert _values(ward, ward_code="E05002193", domain="imd", measure="score")[
        "value"
    ].item() == pytest.approx(9.9125, abs=1e-4)
    la = tables["iod_la"]
    assert (
        _values(la, edition="IoD2019", ltla_code="E06000032", domain="imd", measure="score")[
            "value"
        ].item()
        == 25.908
    )
    assert (
        _values(
            la, edition="IoD2025", ltla_code="E06000032", domain="imd", measure="average_score"
        )["value"].item()
        == 29.548
    )
    assert (
        _values(la, edition="IoD2025", domain="imd", measure="average_score")["ltla_code"].nunique()
        == 296
    )


def test_no_duplicate_keys(tables) -> None:
    key = ["edition", "lsoa_code", "domain", "measure"]
    assert not tables["iod_lsoa"].duplicated(key).any()


# -- malformed variants: (file key, reader, old text, new text, line, field) -----------------

LUTON = "E06000032"
LOCAL = load_place(ROOT / "data" / "places" / "luton").local_area
F = {**d.NATIONAL_FILES, **{role: LOCAL.files[role].path for role in d.LOCAL_ROLES}}
MAIN25 = "imd/luton_iod2025_lsoa21_scores_ranks_deciles_humaniverse.csv"
CASES = [
    # IoD 2025 main file: decile out of range, rank beyond N, mismatch decile/rank, bad code, duplicate, text score
    ("iod2025_main", "E01015693,8,6,", "E01015693,11,6,", 2, "IMD_decile"),
    ("iod2025_main", ",26060,19661,", ",36060,19661,", 2, "IMD_rank"),
    ("iod2025_main", "E01015693,8,6,", "E01015693,7,6,", 2, "IMD_decile"),
    ("iod2025_main", "E01015694,", "E0101569,", 3, "lsoa21_code"),
    ("iod2025_main", "E01015694,", "E01015693,", 3, "lsoa21_code"),
    ("iod2025_main", ",9.114,", ",nine,", 2, "IMD_score"),
    ("iod2025_main", ",9.114,0.154,", ",9.114,1.54,", 2, "Income_score"),
    # IoD 2019 File 2 (BOM header): decile 0, rank with decimals, LA code
    ("iod2019_domains", "E06000032,Luton,24148,8", "E06000032,Luton,24148,0", 2, "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"),
    ("iod2019_domains", "E06000032,Luton,24148,8", "E06000032,Luton,24148.5,8", 2, "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"),
    ("iod2019_domains", "E01015694,Luton 007B,E06000032", "E01015694,Luton 007B,E06000033", 3, "Local Authority District code (2019)"),
    # File 6 population: text, parts that do not add up
    ("iod2019_population", '"1,577",341', '"1,57x",341', 2, "Total population: mid 2015 (excluding prisoners)"),
    ("iod2019_population", '"1,577",341', '"1,578",341', 2, "Total population: mid 2015 (excluding prisoners)"),
    # ward aggregates: proportion above 1, bad ward code
    ("imd2019_ward", "E05002193,0,0,", "E05002193,1.5,0,", 2, "Proportion"),
    ("imd2019_ward", "E05002194,", "E5002194,", 3, "WD20CD"),
    # authority summaries
    ("imd2019_la", "E06000001,35.037,0.3621", "E06000001,35.037,1.3621", 2, "Proportion"),
    ("iod2025_la", "E06000032,Luton,22777.92,33.0", "E06000032,Luton,22777.92,0.0", None, "imd_rank_of_average_rank"),
]  # fmt: skip


def _read(key: str, path: Path, raw: Path):
    if key == "iod2025_main":
        return d.read_iod2025_main(path)
    if key == "iod2019_domains":
        return d.read_iod2019_domains(path, LUTON)
    if key == "iod2019_population":
        codes = set(d.read_iod2019_domains(raw / F["iod2019_domains"], LUTON)["lsoa_code"])
        return d.read_population_2019(path, codes)
    if key == "imd2019_ward":
        return d.read_ward_2019(path)
    if key == "imd2019_la":
        return d.read_la_2019(path)
    if key == "iod2025_la":
        return d.read_la_2025(path)
    raise KeyError(key)


@pytest.mark.parametrize(("key", "old", "new", "line", "field"), CASES)
def test_malformed(raw_dir, tmp_path, key, old, new, line, field) -> None:
    rel = F[key]
    dst = tmp_path / "raw" / rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(raw_dir / rel, dst)
    text = dst.read_text(encoding="utf-8-sig")
    assert old in text, old
    dst.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        _read(key, dst, raw_dir)
    assert err.value.file == rel and err.value.field == field
    if line is not None:
        assert err.value.line == line
    else:
        assert (
            err.value.line
            == text.split("\n").index(
                next(r for r in text.split("\n") if r.startswith("E06000032"))
            )
            + 1
        )


def test_subdomain_file_disagreeing_with_file_2(raw_dir, tmp_path) -> None:
    rel = F["iod2019_subdomains"]
    dst = tmp_path / "raw" / rel
    dst.parent.mkdir(parents=True)
    text = (raw_dir / rel).read_text()
    dst.write_text(text.replace("E01015693,7,", "E01015693,6,", 1))
    domains = d.read_iod2019_domains(raw_dir / F["iod2019_domains"], LUTON)
    with pytest.raises(DataError) as err:
        d.read_iod2019_subdomains(dst, domains)
    assert (err.value.file, err.value.line, err.value.field) == (rel, 2, "Education_decile")


def test_subdomain_file_missing_an_lsoa(raw_dir, tmp_path) -> None:
    rel = F["iod2025_subdomains"]
    dst = tmp_path / "raw" / rel
    dst.parent.mkdir(parents=True)
    lines = (raw_dir / rel).read_text().splitlines(keepends=True)
    dst.write_text("".join(lines[:-1]))
    codes = set(d.read_iod2025_main(raw_dir / F["iod2025_main"])["lsoa_code"])
    with pytest.raises(DataError, match="one row for each of the 125 LSOAs") as err:
        d.read_iod2025_subdomains(dst, codes)
    assert err.value.field == "lsoa21_code"


def test_without_a_local_area_only_the_authority_summaries(raw_dir: Path) -> None:
    t = d.build(raw_dir, None)
    assert len(t["iod_la"]) == 21965
    for name in d.LOCAL_OUTPUTS:
        assert t[name].empty and len(t[name].columns) >= 5, name
