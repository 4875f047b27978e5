"""Reported figures: transcribed seed values land in table `reported` with the implausible ones flagged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lutonwb.catalogue import load_catalogue
from lutonwb.ingest import reported
from lutonwb.ingest.errors import BuildError


@pytest.fixture(scope="module")
def rep(raw_dir: Path) -> pd.DataFrame:
    return reported.build(raw_dir)["reported"]


def _one(rep, **kw) -> pd.Series:
    sel = rep
    for k, v in kw.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, (kw, sel)
    return sel.iloc[0]


def test_spot_values_from_the_seeds(rep):
    key = {"document": "003_5b845bff0a9e0f1f.txt", "table": "APHR 2023 key measures"}
    assert (
        _one(rep, measure_id="life-expectancy-female", period="2020-22", area="Luton", **key)[
            "value"
        ]
        == 81.3
    )
    assert (
        _one(rep, measure_id="life-expectancy-male", period="2020-22", area="Luton", **key)["value"]
        == 77.0
    )
    gld = {"measure_id": "good-level-of-development", "period": "2022/23", **key}
    assert _one(rep, area="Luton", **gld)["value"] == 61.1
    assert _one(rep, area="England", **gld)["value"] == 67.2
    assert _one(rep, area="East of England", **gld)["value"] == 67.2
    row = _one(
        rep,
        measure_id="life-expectancy-male",
        section="000 §4 Overarching table",
        table="JSNA 2021/22",
        area="Luton",
    )
    assert (
        row["value"],
        row["rank_text"],
        row["rag_england"],
        row["rag_neighbours"],
        row["trend"],
    ) == (78.1, "3/16", "R", "G", "Comparable")


def test_adult_obesity_770_flagged_questionable(rep):
    rows = rep[(rep["measure_id"] == "adult-overweight-obesity") & (rep["value_text"] == "7.70%")]
    assert len(rows) >= 1 and rows["questionable"].all()
    assert rows["note"].str.contains("implausible").all()
    ok = _one(
        rep,
        measure_id="adult-overweight-obesity",
        period="2020/21",
        area="Luton",
        section="000 §4 Health Equity Town Partnership table",
    )
    assert not ok["questionable"] and ok["value"] == 67.5


def test_region_equal_to_luton_and_thousands_flagged(rep):
    r = _one(
        rep,
        measure_id="development-at-2-2-5-years",
        area="East of England",
        section="000 §4 Children's Trust Board table",
    )
    assert r["questionable"] and "region value equals Luton" in r["note"]
    c = _one(rep, measure_id="new-requests-support-65", value_text="13.065")
    assert c["questionable"] and "thousands" in c["note"]


def test_jsna_year6_obesity_only_figures_sit_under_obesity(rep):
    """The JSNA 2021/22 '2020 27.00% / 21.00% / 19.10%' are obesity-only NCMP 2019/20 figures."""
    for doc in ("000_82e4ac469812e20e.txt", "003_5b845bff0a9e0f1f.txt"):
        key = {"measure_id": "obesity-year-6", "document": doc, "table": "JSNA 2021/22"}
        assert _one(rep, area="Luton", **key)["value"] == 27.0
        assert _one(rep, area="England", **key)["value"] == 21.0
        east = _one(rep, area="East of England", **key)
        assert east["value"] == 19.1 and east["period"] == "2019/20"
        assert east["value_text"] == "19.10%"  # as printed
        assert "obesity-only" in east["note"] and "prints" in east["note"]
    # no false jump left in the overweight-or-obese history: every Luton figure is 40% or more
    ow = rep[(rep["measure_id"] == "overweight-obese-year-6") & (rep["area"] == "Luton")]
    assert len(ow) >= 3 and (ow["value"] >= 40).all()
    assert "2020" not in set(ow["period"])


def test_measure_ids_are_in_the_catalogue(rep):
    cat = load_catalogue()
    assert set(rep["measure_id"]) <= set(cat.measures)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("Not A Slug,000.txt,s,t,2020,Luton,1,1,,,,,,,", "measure_id"),
        ("life-expectancy-male,000.txt,s,t,2020,Luton,abc,abc,,,,,,,", "value"),
        ("life-expectancy-male,000.txt,s,t,2020,Luton,1,1,,X,,,,,", "rag_england"),
        ("life-expectancy-male,000.txt,s,t,2020,Luton,2,1,,,,,,,", "value"),
    ],
)
def test_bad_rows_are_named_by_file_line_and_field(tmp_path: Path, line, field):
    path = tmp_path / "reported" / "reported_figures.csv"
    path.parent.mkdir()
    path.write_text(",".join(reported.COLUMNS) + "\n" + line + "\n")
    with pytest.raises((BuildError, Exception)) as info:
        reported.load(path)
    msg = str(info.value)
    assert "line 2" in msg and field in msg


def test_inputs_glob():
    assert reported.INPUTS == ("reported/*.csv",)


def test_flags_find_home_and_region_rows_by_the_places_names(tmp_path, monkeypatch):
    """The checks read the place's name and region name, not Luton's, from place.yaml."""
    (tmp_path / "place.yaml").write_text(
        'name: "Testtown"\nhome_area: "E06000001"\nregion: "E12000001"\n'
        'region_name: "North Land"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("LUTONWB_PLACE", str(tmp_path))
    key = dict.fromkeys(reported.GROUP, "k")
    rows = pd.DataFrame(
        [
            {
                **key,
                "area": "Testtown",
                "value": 5.0,
                "value_text": "5.0",
                "note": "",
                "questionable": False,
            },
            {
                **key,
                "area": "North Land",
                "value": 5.0,
                "value_text": "5.0",
                "note": "",
                "questionable": False,
            },
            {
                **key,
                "area": "Luton",
                "value": 5.0,
                "value_text": "5.0",
                "note": "",
                "questionable": False,
            },
        ]
    )
    out = reported.flag(rows).set_index("area")
    assert out.loc["North Land", "questionable"]
    assert "equals Testtown's" in out.loc["North Land", "note"]
    assert not out.loc["Luton", "questionable"] and not out.loc["Testtown", "questionable"]


def test_a_place_without_seed_documents_has_no_reported_table(raw_dir, monkeypatch):
    monkeypatch.setenv("LUTONWB_PLACE", str(Path(__file__).parents[2] / "data/places/example"))
    assert reported.build(raw_dir) == {}
