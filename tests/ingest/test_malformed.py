"""Corrupted raw files give a DataError naming file, line and field; a failed build keeps the last good one.

One copy of data/raw per test module; each case corrupts one file, checks, and restores it.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import importlib
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from lutonwb.ingest import pipeline
from lutonwb.ingest.errors import BuildError, DataError

FT_RAW = "fingertips/fingertips_raw_export_campylobacter_93356_county_ua_2015_2017.csv"
FT_TIDY = "fingertips/trafford_themes_all_la/life_expectancy.csv.gz"
FT_2020 = "fingertips/trafford_dashboard_2020_all_la/low_income_families.csv.gz"
ELS = "ons_els/healthy-life-expectancy.csv.gz"
ELS_LEGACY = "ons_els/overweight-adults-aged-18-years-and-over.csv.gz"
LAIT = "dfe_lait/lait_bds_health_early_years_all_la.csv.gz"
DWP = "extra/child_poverty/dwp_cilif_children_low_income_families_all_la_fye2015_2021.csv"
DESNZ = "extra/fuel_poverty/desnz_subregional_fuel_poverty_all_la_2012_2022.csv.gz"
HOMELESS = "extra/homelessness/mhclg_homelessness_ta_per_1000_ltla23_oct_dec_2023_healthyr.csv"
NEIGHBOURS = "neighbours/cssnbt_statistical_neighbours_all_la_long.csv"
UTLA = "lookups/all_ltla23_to_utla23.csv"
REGIONS = "lookups/all_ltla24_to_region24.csv"

KEY = "series,area_code,period,sex,age,category_type,category"
TRUNCATED = "<the first field the cut record misses>"


# --- text mutations: each returns the new content and the line the error must name -----------


def _records(text: str) -> tuple[list[str], list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    rows, starts, prev = [], [], reader.line_num
    for rec in reader:
        rows.append(rec)
        starts.append(prev + 1)
        prev = reader.line_num
    return header, rows, starts


def _write(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _line_of(text: str, index: int) -> int:
    return _records(text)[2][index]


Mutation = Callable[[str], tuple[str | bytes, int]]


def cell(index: int, column: str, value: str) -> Mutation:
    def f(text: str) -> tuple[str, int]:
        header, rows, _ = _records(text)
        rows[index][header.index(column)] = value
        new = _write(header, rows)
        return new, _line_of(new, index)

    return f


def rename(column: str, new_name: str) -> Mutation:
    def f(text: str) -> tuple[str, int]:
        header, rows, _ = _records(text)
        header[header.index(column)] = new_name
        return _write(header, rows), 1

    return f


def truncate(index: int) -> Mutation:
    """Cut the file in the middle of one record (a download that stopped)."""

    def f(text: str) -> tuple[str, int]:
        header, rows, _ = _records(text)
        kept = _write(header, rows[:index])
        last = _write(header, [rows[index]]).split("\n", 1)[1]
        return kept + last[: len(last) // 2], _line_of(kept + last, index)

    return f


def truncated_field(text: str) -> str:
    """The first header field the last (cut) record of a truncated file no longer reaches."""
    header, rows, _ = _records(text)
    return header[len(rows[-1])]


def duplicate(index: int, column: str = "", value: str = "") -> Mutation:
    """Repeat a record at the end (optionally with one cell changed, so it conflicts)."""

    def f(text: str) -> tuple[str, int]:
        header, rows, _ = _records(text)
        copy = list(rows[index])
        if column:
            copy[header.index(column)] = value
        new = _write(header, [*rows, copy])
        return new, _line_of(new, len(rows))

    return f


def drop(index: int) -> Mutation:
    def f(text: str) -> tuple[str, int]:
        header, rows, _ = _records(text)
        return _write(header, rows[:index] + rows[index + 1 :]), 0  # the line is in another file

    return f


def bad_byte(index: int, column: str) -> Mutation:
    """A Latin-1 byte inside a UTF-8 file (a file re-saved in the wrong encoding)."""

    def f(text: str) -> tuple[bytes, int]:
        header, rows, _ = _records(text)
        rows[index][header.index(column)] = "MARK" + rows[index][header.index(column)]
        new = _write(header, rows)
        return new.encode().replace(b"MARK", b"\xe9", 1), new[: new.index("MARK")].count("\n") + 1

    return f


@dataclass(frozen=True)
class Case:
    id: str
    file: str
    mutate: Mutation
    field: str
    module: str


CASES = [
    # Fingertips raw export (records span two lines: quoted newline)
    Case("ft-raw-value", FT_RAW, cell(4, "Value", "12,5"), "Value", "fingertips"),
    Case("ft-raw-code", FT_RAW, cell(30, "Area Code", "E0600003"), "Area Code", "fingertips"),
    Case("ft-raw-truncated", FT_RAW, truncate(40), "Time period Sortable", "fingertips"),
    Case("ft-raw-renamed", FT_RAW, rename("Value", "Val"), "Value", "fingertips"),
    Case("ft-raw-duplicate", FT_RAW, duplicate(0), KEY, "fingertips"),
    Case("ft-raw-encoding", FT_RAW, bad_byte(7, "Area Name"), "Area Name", "fingertips"),
    Case(
        "ft-raw-ci",
        FT_RAW,
        cell(0, "Lower CI 95.0 limit", "99"),
        "Lower CI 95.0 limit",
        "fingertips",
    ),
    Case("ft-raw-sex", FT_RAW, cell(3, "Sex", "Both"), "Sex", "fingertips"),
    # Fingertips tidy extract
    Case("ft-tidy-value", FT_TIDY, cell(10, "value", "seventy"), "value", "fingertips"),
    Case("ft-tidy-range", FT_TIDY, cell(10, "value", "150"), "value", "fingertips"),
    Case("ft-tidy-code", FT_TIDY, cell(12, "area_code", "E06X00032"), "area_code", "fingertips"),
    Case("ft-tidy-truncated", FT_TIDY, truncate(500), TRUNCATED, "fingertips"),
    Case("ft-tidy-renamed", FT_TIDY, rename("inequality", "sex"), "inequality", "fingertips"),
    Case("ft-tidy-duplicate", FT_TIDY, duplicate(20), KEY, "fingertips"),
    Case("ft-tidy-period", FT_TIDY, cell(3, "period", "2015 - 14"), "period", "fingertips"),
    Case("ft-tidy-encoding", FT_TIDY, bad_byte(9, "area_name"), "area_name", "fingertips"),
    Case("ft-tidy-inequality", FT_TIDY, cell(9, "inequality", "Both"), "inequality", "fingertips"),
    Case("ft-2020-value", FT_2020, cell(15, "value", "n/a!"), "value", "fingertips"),
    Case("ft-2020-sex", FT_2020, cell(15, "unit", "People"), "unit", "fingertips"),
    # ONS ELS (current and legacy layouts)
    Case("els-value", ELS, cell(100, "observation", "56.9.1"), "observation", "ons_els"),
    Case("els-range", ELS, cell(100, "observation", "156.9"), "observation", "ons_els"),
    Case("els-code", ELS, cell(100, "areacd", "E6000032"), "areacd", "ons_els"),
    Case("els-truncated", ELS, truncate(300), TRUNCATED, "ons_els"),
    Case("els-renamed", ELS, rename("observation", "obs"), "observation", "ons_els"),
    Case("els-duplicate", ELS, duplicate(13, "observation", "61.1"), KEY, "ons_els"),
    Case("els-period", ELS, cell(13, "period", "2022-01-01/P3M"), "period", "ons_els"),
    Case("els-ci", ELS, cell(60, "lci_95", "90"), "lci_95", "ons_els"),
    Case("els-encoding", ELS, bad_byte(70, "areanm"), "areanm", "ons_els"),
    Case("els-legacy-value", ELS_LEGACY, cell(5, "Value", "sixty"), "observation", "ons_els"),
    Case("els-legacy-renamed", ELS_LEGACY, rename("Value", "Val"), "observation", "ons_els"),
    # DfE LAIT
    Case("lait-value", LAIT, cell(100, "Values", "67,9"), "Values", "lait"),
    Case("lait-range", LAIT, cell(0, "Values", "-5"), "Values", "lait"),
    Case("lait-la-number", LAIT, cell(200, "LA Number", "82"), "LA Number", "lait"),
    Case("lait-unknown-la", LAIT, cell(200, "LA Number", "123"), "LA Number", "lait"),
    Case("lait-truncated", LAIT, truncate(1000), TRUNCATED, "lait"),
    Case("lait-duplicate", LAIT, duplicate(5), "Short Desc,Years,LA Number", "lait"),
    Case("lait-renamed", LAIT, rename("Years", "Year"), "Years", "lait"),
    Case("lait-years", LAIT, cell(7, "Years", "2016/18"), "Years", "lait"),
    # DWP children in low income families
    Case(
        "dwp-fraction",
        DWP,
        cell(3, "Percentage of childrenFYE 2016(%)[note 3]", "1.5"),
        "Percentage of childrenFYE 2016(%)[note 3]",
        "dwp",
    ),
    Case(
        "dwp-count",
        DWP,
        cell(3, "Number of childrenFYE 2017", "many"),
        "Number of childrenFYE 2017",
        "dwp",
    ),
    Case("dwp-measure", DWP, cell(4, "measure", "relatively"), "measure", "dwp"),
    Case("dwp-code", DWP, cell(4, "area_code", "E0600004"), "area_code", "dwp"),
    Case("dwp-duplicate", DWP, duplicate(6), "measure,area_code", "dwp"),
    Case("dwp-truncated", DWP, truncate(100), TRUNCATED, "dwp"),
    Case("dwp-renamed", DWP, rename("area_code", "code"), "area_code", "dwp"),
    # DESNZ fuel poverty
    Case(
        "desnz-pct",
        DESNZ,
        cell(10, "pct_households_fuel_poor", "11.6%"),
        "pct_households_fuel_poor",
        "desnz",
    ),
    Case("desnz-metric", DESNZ, cell(10, "metric", "LILEE"), "metric", "desnz"),
    Case(
        "desnz-over",
        DESNZ,
        cell(10, "fuel_poor_households", "99999999"),
        "fuel_poor_households",
        "desnz",
    ),
    Case("desnz-duplicate", DESNZ, duplicate(10), "metric,data_year,area_code", "desnz"),
    Case("desnz-truncated", DESNZ, truncate(2000), TRUNCATED, "desnz"),
    Case("desnz-code", DESNZ, cell(10, "area_code", "E06-0001"), "area_code", "desnz"),
    # MHCLG homelessness
    Case(
        "homeless-value",
        HOMELESS,
        cell(1, "Households in temporary accommodation per 1,000", "4,7"),
        "Households in temporary accommodation per 1,000",
        "mhclg",
    ),
    Case(
        "homeless-range",
        HOMELESS,
        cell(1, "Households assessed as homeless per (000s)", "1500"),
        "Households assessed as homeless per (000s)",
        "mhclg",
    ),
    Case("homeless-code", HOMELESS, cell(2, "ltla23_code", "W06000001"), "ltla23_code", "mhclg"),
    Case("homeless-duplicate", HOMELESS, duplicate(2), "ltla23_code", "mhclg"),
    Case(
        "homeless-truncated",
        HOMELESS,
        truncate(150),
        TRUNCATED,
        "mhclg",
    ),
    Case("homeless-renamed", HOMELESS, rename("ltla23_code", "code"), "ltla23_code", "mhclg"),
    # CSSNBT neighbours
    Case("nb-version", NEIGHBOURS, cell(3, "version", "CSSNBT 2019"), "version", "neighbours"),
    Case("nb-rank", NEIGHBOURS, cell(3, "sn_rank", "one"), "sn_rank", "neighbours"),
    Case("nb-code", NEIGHBOURS, cell(3, "sn_ons_code", "E0900020"), "sn_ons_code", "neighbours"),
    Case("nb-duplicate", NEIGHBOURS, duplicate(3), "version,la_ons_code,sn_rank", "neighbours"),
    Case("nb-closeness", NEIGHBOURS, cell(3, "closeness", "Far"), "closeness", "neighbours"),
    Case("nb-truncated", NEIGHBOURS, truncate(1500), TRUNCATED, "neighbours"),
    Case("nb-renamed", NEIGHBOURS, rename("la_ons_code", "code"), "la_ons_code", "neighbours"),
    # lookups (areas)
    Case("lk-utla-code", UTLA, cell(5, "utla23_code", "E06000"), "utla23_code", "areas"),
    Case(
        "lk-region-code", REGIONS, cell(5, "region24_code", "E13000001"), "region24_code", "areas"
    ),
    Case("lk-two-names", UTLA, cell(53, "utla23_name", "Somewhere else"), "utla23_name", "areas"),
    Case("lk-duplicate", UTLA, duplicate(5), "ltla23_code", "areas"),
    Case("lk-truncated", REGIONS, truncate(100), TRUNCATED, "areas"),
    Case("lk-renamed", UTLA, rename("utla23_code", "utla_code"), "utla23_code", "areas"),
    Case("lk-missing-region", REGIONS, drop(31), "ltla23_code", "areas"),
]


def _loader(case: Case, raw: Path) -> Callable[[], object]:
    """The loader that reads this case's file."""
    from lutonwb.ingest import areas, desnz, dwp, fingertips, mhclg, ons_els

    path = raw / case.file
    by_file = {
        FT_RAW: lambda: fingertips.load_raw_export(path),
        FT_TIDY: lambda: fingertips.load_tidy(path),
        FT_2020: lambda: fingertips.load_dashboard(path),
        ELS: lambda: ons_els.load_file(path),
        ELS_LEGACY: lambda: ons_els.load_file(path),
        DWP: lambda: dwp.load_cilif(path, "area_code", "area_name", r"[EWSNK]\d{8}"),
        DESNZ: lambda: desnz.load_fuel_la(path),
        HOMELESS: lambda: mhclg.load_homelessness(path, raw / UTLA),
        UTLA: lambda: areas.current_areas(raw),
        REGIONS: lambda: areas.current_areas(raw),
    }
    if case.file in by_file:
        return by_file[case.file]
    return lambda: importlib.import_module(f"lutonwb.ingest.{case.module}").build(raw)


def _read(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8-sig")


def _corrupt(raw: Path, case: Case) -> int:
    path = raw / case.file
    new, line = case.mutate(_read(path))
    data = new.encode() if isinstance(new, str) else new
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return line


@pytest.fixture(scope="module")
def raw_copy(tmp_path_factory: pytest.TempPathFactory, raw_dir: Path) -> Path:
    raw = tmp_path_factory.mktemp("malformed") / "raw"
    shutil.copytree(raw_dir, raw)
    return raw


@pytest.fixture
def corrupted(raw_copy: Path):
    """Apply a case to the shared copy and restore the file afterwards."""
    saved: dict[Path, bytes] = {}

    def apply(case: Case) -> int:
        path = raw_copy / case.file
        saved.setdefault(path, path.read_bytes())
        return _corrupt(raw_copy, case)

    yield apply
    for path, data in saved.items():
        path.write_bytes(data)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_file_names_file_line_field(case: Case, raw_copy: Path, corrupted) -> None:
    line = corrupted(case)
    field = case.field
    if field == TRUNCATED:
        field = truncated_field(_read(raw_copy / case.file))
    with pytest.raises(DataError) as err:
        _loader(case, raw_copy)()
    e = err.value
    expected_file = UTLA if case.id == "lk-missing-region" else case.file
    assert e.file == expected_file, str(e)
    assert e.field == field, str(e)
    assert e.line is not None and e.line >= 1, str(e)
    if line:
        assert e.line == line, str(e)
    assert f"{expected_file}, line {e.line}, field '{e.field}'" in str(e)


def test_damaged_gzip_is_named(raw_copy: Path, corrupted) -> None:
    path = raw_copy / ELS
    case = Case("gz", ELS, lambda t: (t, 0), "", "ons_els")
    corrupted(case)
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(
        DataError, match="healthy-life-expectancy.csv.gz: found 'a damaged gzip file"
    ):
        importlib.import_module("lutonwb.ingest.ons_els").build(raw_copy)


def _digest(out: Path) -> tuple[str, str]:
    return (
        hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest(),
        hashlib.sha256((out / "values.parquet").read_bytes()).hexdigest(),
    )


@pytest.fixture(scope="module")
def published(raw_copy: Path) -> Path:
    out = raw_copy.parent / "warehouse"
    pipeline.build(raw_copy, out, progress=lambda _m: None)
    return out


# one corruption per file family through the whole pipeline (a full build each: keep it short)
PIPELINE_IDS = {
    "ft-raw-truncated",
    "els-legacy-value",
    "lait-truncated",
    "dwp-count",
    "desnz-truncated",
    "homeless-code",
    "nb-rank",
    "lk-missing-region",
}
PIPELINE_CASES = [c for c in CASES if c.id in PIPELINE_IDS]


@pytest.mark.parametrize("case", PIPELINE_CASES, ids=[c.id for c in PIPELINE_CASES])
def test_failed_build_keeps_published_warehouse(
    case: Case, raw_copy: Path, published: Path, corrupted
) -> None:
    before = _digest(published)
    target = published.resolve()
    corrupted(case)
    with pytest.raises(BuildError) as err:
        pipeline.build(raw_copy, published, progress=lambda _m: None)
    files = {e.file for e in err.value.errors if isinstance(e, DataError)}
    assert (UTLA if case.id == "lk-missing-region" else case.file) in files, str(err.value)
    assert published.resolve() == target
    assert _digest(published) == before


# the families whose malformed variants are tested in their own modules (test_census,
# test_deprivation, test_geography, test_plan, test_reported): one each through the whole build
FAMILY_CASES = [
    ("census", "census2021/luton_census2021_household_deprivation_lsoa21_humaniverse.csv",
     "E01015693,0,326,61.6", "E01015693,0,many,61.6"),
    ("iod2025", "imd/luton_iod2025_lsoa21_scores_ranks_deciles_humaniverse.csv",
     "E01015693,8,6,", "E01015693,11,6,"),
    ("imd2019-ward", "imd/luton_imd2019_ward2020_aggregates_humaniverse.csv",
     "E05002193,0,0,", "E05002193,1.5,0,"),
    ("fuel-poverty-lsoa", "extra/fuel_poverty/desnz_subregional_fuel_poverty_luton_lsoa_2012_2022.csv",
     "508,58,11.4", "508,580,11.4"),
    ("wards-geojson", "boundaries/luton_wards_2023_WD23.geojson",
     '"WD23CD": "E05014738"', '"WD23CD": "X05014738"'),
    ("plan", "plan/plan_actions.csv", ",childrens-trust,", ",childrens-trusts,"),
    ("reported", "reported/reported_figures.csv",
     "life-expectancy-male,000_82e4ac469812e20e.txt,000 §4 Overarching table,JSNA 2021/22,2018-20,Luton,78.1,",
     "life-expectancy-male,000_82e4ac469812e20e.txt,000 §4 Overarching table,JSNA 2021/22,2018-20,Luton,abc,"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("family", "rel", "old", "new"), FAMILY_CASES, ids=[c[0] for c in FAMILY_CASES]
)
def test_failed_build_in_any_family_keeps_published_warehouse(
    family: str, rel: str, old: str, new: str, raw_copy: Path, published: Path
) -> None:
    path = raw_copy / rel
    saved = path.read_bytes()
    text = saved.decode("utf-8-sig")
    assert old in text, (family, old)
    before, target = _digest(published), published.resolve()
    try:
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(BuildError) as err:
            pipeline.build(raw_copy, published, progress=lambda _m: None)
        assert rel in str(err.value), str(err.value)
    finally:
        path.write_bytes(saved)
    assert published.resolve() == target
    assert _digest(published) == before
