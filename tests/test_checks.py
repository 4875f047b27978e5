"""`lutonwb check`: problems name the file and key; the real catalogue and warehouse agree."""

from __future__ import annotations

import pandas as pd

from lutonwb import checks
from tests.catalogue_objects import B, Cat, M


class FakeWh:
    def __init__(self, values: pd.DataFrame):
        self.values = values

    def series_values(self, series):
        return self.values[self.values["series"].isin(series)]


VALUES = pd.DataFrame(
    {
        "series": ["a", "a", "b"],
        "sex": ["Male", "Female", "Persons"],
        "age": ["", "", ""],
        "category_type": ["", "", ""],
        "category": ["", "", ""],
    }
)
ROWS = VALUES.groupby("series").size().rename("rows")


def test_binding_problems_name_the_key():
    cat = Cat(
        {
            "x": M("x", data=(B("a", sex="Male"), B("missing"))),
            "y": M("y", data=(B("b", sex="Female"),)),
        }
    )
    problems = checks.binding_problems(cat, FakeWh(VALUES), ROWS, "catalogue.yaml")
    assert problems[0].startswith("catalogue.yaml, key measures[x].data[1].series:")
    assert "'missing' has no rows" in problems[0]
    assert problems[1].startswith(
        "catalogue.yaml, key measures[y].data[0]: no rows of 'b' match sex='Female'"
    )
    assert len(problems) == 2


def test_coverage_both_ways():
    cat = Cat({"x": M("x", data=(B("a"),))}, unbound_series={"c": "why"})
    rows = pd.Series({"a": 1, "b": 2, "c": 3}, name="rows")
    assert checks.coverage_problems(cat, rows, "catalogue.yaml") == [
        "catalogue.yaml, key unbound_series: warehouse series 'b' is neither bound to a measure nor listed with a reason"
    ]


def test_reported_figures_must_name_a_measure():
    cat = Cat({"x": M("x")}, aliases={"old-x": "x"})
    rep = pd.DataFrame(
        {"measure_id": ["x", "old-x", "nope"], "document": ["000.txt", "001.txt", "002.txt"]}
    )
    assert checks.reported_problems(cat, rep, "catalogue.yaml") == [
        "reported figures (002.txt), key measure_id 'nope': not a measure id or alias in catalogue.yaml"
    ]


def test_broken_catalogue_is_one_located_line(tmp_path, monkeypatch, raw_dir):
    bad = tmp_path / "catalogue.yaml"
    bad.write_text("measures: [\n")
    monkeypatch.setenv("LUTONWB_CATALOGUE", str(bad))
    problems = checks.run_checks(raw_dir, tmp_path / "none")
    assert len(problems) == 1 and "catalogue.yaml" in problems[0]


def test_missing_warehouse(tmp_path, raw_dir):
    problems = checks.run_checks(raw_dir, tmp_path / "none")
    assert problems and str(tmp_path / "none") in problems[-1]


def test_real_catalogue_and_warehouse(raw_dir, warehouse_dir):
    problems = checks.run_checks(raw_dir, warehouse_dir)
    assert all(isinstance(p, str) and ("key" in p or "manifest" in p) for p in problems)
    assert not [p for p in problems if "manifest.json" in p]  # the fixture just built it
