"""`lutonwb progress` on the real warehouse: Luton assesses at least 40 measures, Coventry gets
its own rows; options and errors as `lutonwb scorecard`."""

from __future__ import annotations

import argparse
import io
import json

import pandas as pd
import pytest

from lutonwb.cli import _parser
from lutonwb.progress.command import progress_cli
from lutonwb.progress.status import STATUSES
from lutonwb.progress.table import PROGRESS_COLUMNS

LUTON, COVENTRY = "E06000032", "E08000026"


def _run(engine, *argv: str) -> tuple[int, str]:
    args = _parser().parse_args(["progress", *argv])
    out = io.StringIO()
    return progress_cli(args, engine=engine, stdout=out), out.getvalue()


@pytest.fixture(scope="module")
def luton(engine) -> pd.DataFrame:
    code, text = _run(engine, "--area", LUTON, "--comparator", "similar")
    assert code == 0
    return pd.read_csv(io.StringIO(text))


def test_contract_columns_come_first(luton):
    assert list(luton.columns[: len(PROGRESS_COLUMNS)]) == PROGRESS_COLUMNS


def test_luton_assesses_at_least_40_measures(luton):
    assessed = luton[luton["progress"] != "not assessable"]
    assert len(assessed) >= 40
    assert set(luton["progress"]) <= set(STATUSES)
    assert {"target met", "off track"} <= set(luton["progress"])


def test_luton_claimant_count_row(luton):
    r = luton.set_index("measure_id").loc["claimant-count"]
    assert (r["latest_period"], r["latest_value"], r["latest_england"]) == ("2025", 6.9, 4.0)
    assert r["gap_latest"] == pytest.approx(2.9)
    assert (r["target_value"], r["target_year"]) == (4.0, 2040)
    assert r["target_source"] == (
        "a default target: England's latest value, to be reached by 2040 (no strategy document "
        "states a target for this measure)"
    )
    assert r["observed_trend"] in ("Getting better", "Getting worse", "No significant change")


def test_stated_target_is_used(luton):
    r = luton.set_index("measure_id").loc["greenhouse-gas-emissions"]
    assert r["target_value"] == 0.0
    assert "Carbon Neutral by 2040" in r["target_source"]


def test_coventry_gets_its_own_rows(engine, luton):
    code, text = _run(engine, "--area", COVENTRY, "--comparator", "similar", "--format", "json")
    assert code == 0
    rows = pd.DataFrame(json.loads(text)["rows"])
    assert set(rows["home_area"]) == {COVENTRY}
    cov = rows.set_index("measure_id")["latest_value"]
    lut = luton.set_index("measure_id")["latest_value"]
    both = cov.dropna().index.intersection(lut.dropna().index)
    assert len(both) >= 40
    assert (cov[both].astype(float) != lut[both]).sum() >= 0.9 * len(both)


def test_board_filter_and_lists_in_json(engine):
    code, text = _run(engine, "--board", "childrens-trust", "--format", "json")
    rows = json.loads(text)["rows"]
    assert code == 0 and rows
    assert all("childrens-trust" in r["boards"] for r in rows)


@pytest.mark.parametrize(
    "argv",
    [("--area", "E99999999"), ("--comparator", "nowhere"), ("--board", "no-such-board")],
)
def test_bad_requests_exit_2(engine, argv, capsys):
    code, _ = _run(engine, *argv)
    assert code == 2
    assert capsys.readouterr().err.startswith("error:")


def test_parser_refuses_a_principle_out_of_range():
    with pytest.raises(SystemExit):
        _parser().parse_args(["progress", "--principle", "9"])
    assert isinstance(_parser().parse_args(["progress"]), argparse.Namespace)


def test_main_dispatches_progress(warehouse_dir, capsys):
    from lutonwb.cli import main

    code = main(
        ["progress", "--board", "at-place", "--format", "json", "--out", str(warehouse_dir)]
    )
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert code == 0
    assert rows and all("at-place" in r["boards"] for r in rows)
    assert {r["home_area"] for r in rows} == {LUTON}
