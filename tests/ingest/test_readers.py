"""readers: one way to read a raw CSV, parse numbers and check codes, each error naming file,
line and field."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from lutonwb.ingest import readers as r
from lutonwb.ingest.errors import DataError


def _csv(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / "raw" / "src" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


def test_display_name_is_relative_to_the_raw_folder() -> None:
    assert r.display_name(Path("/x/data/raw/imd/a.csv")) == "imd/a.csv"
    assert r.display_name(Path("/x/raw/y/raw/b.csv")) == "b.csv"  # the innermost raw folder
    assert r.display_name(Path("/elsewhere/c.csv")) == "/elsewhere/c.csv"


def test_read_table_keeps_text_and_the_line_of_each_record(tmp_path: Path) -> None:
    path = _csv(tmp_path, '\ufeffa,b\n1,"x\ny"\n\n3,04\n')
    df = r.read_table(path, ["a", "b"])
    assert list(df.columns) == ["a", "b", r.LINE]
    assert df["b"].tolist() == ["x\ny", "04"]  # no number guessing: leading zero kept
    assert df[r.LINE].tolist() == [2, 4 + 1]  # a quoted newline makes record 2 start on line 5


def test_read_table_reads_gzip_and_renames_and_dedupes_headers(tmp_path: Path) -> None:
    path = _csv(tmp_path, "code,note,note\nE1,a,b\n", "t.csv.gz")
    df = r.read_table(path, ["area_code"], rename={"code": "area_code"})
    assert list(df.columns) == ["area_code", "note", "note.1", r.LINE]


@pytest.mark.parametrize(
    ("text", "required", "line", "field", "found"),
    [
        ("a,b\n1,2\n", ["c"], 1, "c", "header ['a', 'b']"),
        ("a,b\n1,2\n3\n", ["a"], 3, "b", "1 fields"),
        ("a,b\n1,2,3\n", ["a"], 2, "(field 3, beyond the header)", "3 fields"),
        ("a,b\n", ["a"], 2, "a", "no data rows"),
        ("", [], 1, "(header)", "an empty file"),
    ],
)
def test_read_table_errors_name_file_line_and_field(
    tmp_path: Path, text: str, required: list[str], line: int, field: str, found: str
) -> None:
    path = _csv(tmp_path, text)
    with pytest.raises(DataError) as err:
        r.read_table(path, required)
    assert (err.value.file, err.value.line, err.value.field, err.value.found) == (
        "src/t.csv",
        line,
        field,
        found,
    )


def test_read_table_names_the_field_holding_a_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "raw" / "t.csv"
    path.parent.mkdir()
    path.write_bytes(b"a,b,c\n1,2,3\n4,\xff,6\n")
    with pytest.raises(DataError) as err:
        r.read_table(path, ["a"])
    assert (err.value.line, err.value.field) == (3, "b")


def test_short_rows_are_padded_only_when_allowed(tmp_path: Path) -> None:
    path = _csv(tmp_path, "a,b,c\n1,2\n")
    assert r.read_table(path, allow_short_rows=True)["c"].tolist() == [""]
    with pytest.raises(DataError):
        r.read_table(path)


def _frame(values: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"v": pd.Series(values, dtype="string"), r.LINE: range(2, 2 + len(values))})


def test_to_number_parses_numbers_and_gss_symbols() -> None:
    out = r.to_number(_frame(["1.5", " -2 ", "[x]", "", "1e3", ".5"]), "v", "f.csv")
    assert out.tolist()[:2] == [1.5, -2.0] and out.isna().tolist()[2:4] == [True, True]
    assert out.tolist()[4:] == [1000.0, 0.5]
    assert r.to_number(_frame(["1,234"]), "v", "f.csv", thousands=True).tolist() == [1234.0]


@pytest.mark.parametrize(("bad", "na"), [("12%", r.NA_STRINGS), ("x", ("",)), ("1,234", ("",))])
def test_to_number_names_the_first_bad_cell(bad: str, na) -> None:
    with pytest.raises(DataError) as err:
        r.to_number(_frame(["1", bad]), "v", "f.csv", na=na)
    assert (err.value.file, err.value.line, err.value.field, err.value.found) == (
        "f.csv",
        3,
        "v",
        bad,
    )


def test_check_pattern_matches_in_full() -> None:
    r.check_pattern(_frame(["E06000032", "E06000033"]), "v", r"E06\d{6}", "f.csv")
    with pytest.raises(DataError) as err:
        r.check_pattern(_frame(["E06000032", "E0600003", "x"]), "v", r"E06\d{6}", "f.csv")
    assert (err.value.line, err.value.found) == (3, "E0600003")
    with pytest.raises(DataError):  # a prefix match is not enough
        r.check_pattern(_frame(["E060000321"]), "v", r"E06\d{6}", "f.csv")


def test_check_range_and_check_unique_point_at_the_offending_row() -> None:
    df = _frame(["a", "b", "a"])
    with pytest.raises(DataError) as err:
        r.check_unique(df, ["v"], "f.csv")
    assert (err.value.line, err.value.found) == (4, "a second row with v=a")
    values = pd.Series([0.5, float("nan"), 1.5], index=df.index)
    with pytest.raises(DataError) as err:
        r.check_range(values, df, "v", 0, 1, "f.csv")
    assert (err.value.line, err.value.found) == (4, "1.5")
    r.check_range(values.iloc[:2], df.iloc[:2], "v", 0, 1, "f.csv")  # NaN is allowed


def test_finish_values_fills_defaults_and_types_areas() -> None:
    df = pd.DataFrame(
        {"series": ["s", "s"], "area_code": ["E06000032", "E92000001"], "period": ["2022"] * 2}
    )
    out = r.finish_values(df, "f.csv")
    assert out["area_type"].tolist() == ["utla", "england"]
    assert (out["sex"] == "Persons").all() and out["lower_ci"].isna().all()
    assert (out["source_file"] == "f.csv").all()


def test_memo_by_inputs_rereads_only_when_a_file_changes(tmp_path: Path) -> None:
    path = _csv(tmp_path, "a\n1\n")
    raw = tmp_path / "raw"
    calls: list[int] = []

    @r.memo_by_inputs(("src/*.csv",))
    def build(raw: Path) -> dict[str, pd.DataFrame]:
        calls.append(1)
        return {"t": r.read_table(raw / "src" / "t.csv")}

    first = build(raw)
    first["t"].loc[0, "a"] = "changed"  # callers get copies
    assert build(raw)["t"]["a"].tolist() == ["1"] and len(calls) == 1
    path.write_text("a\n2\n")
    assert build(raw)["t"]["a"].tolist() == ["2"] and len(calls) == 2


def test_check_allowed_names_the_first_unknown_value() -> None:
    r.check_allowed(_frame(["LIHC", "LILEE"]), "v", {"LIHC", "LILEE"}, "f.csv")
    with pytest.raises(DataError) as err:
        r.check_allowed(_frame(["LIHC", "LIHC ", "x"]), "v", {"LIHC", "LILEE"}, "f.csv")
    assert (err.value.line, err.value.found) == (3, "LIHC ")
    assert err.value.expected == "one of ['LIHC', 'LILEE']"


def test_check_filled_and_check_whole_quote_the_cell_as_published() -> None:
    df = _frame(["3", "2.5", ""])
    values = r.to_number(df, "v", "f.csv")
    with pytest.raises(DataError) as err:
        r.check_whole(values, df, "v", "f.csv")
    assert (err.value.line, err.value.found, err.value.expected) == (3, "2.5", "a whole number")
    with pytest.raises(DataError) as err:
        r.check_filled(values, df, "v", "f.csv", "a number (no blanks)")
    assert (err.value.line, err.value.found) == (4, "")
    r.check_whole(values.iloc[[0, 2]], df.iloc[[0, 2]], "v", "f.csv")  # blanks are not fractions
