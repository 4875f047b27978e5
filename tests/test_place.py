"""The place folder: Luton's settings come from data, and a broken place.yaml names file and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lutonwb.place import PlaceError, load_place

ROOT = Path(__file__).resolve().parent.parent


def test_luton_place_reads_its_codes():
    place = load_place(ROOT / "data" / "places" / "luton")
    assert (place.name, place.home_area, place.region) == ("Luton", "E06000032", "E12000006")
    assert place.local_area is not None and place.local_area.authority == "E06000032"


def test_missing_key_names_file_and_key(tmp_path):
    (tmp_path / "place.yaml").write_text('name: "X"\nregion: "E12000001"\n', encoding="utf-8")
    with pytest.raises(PlaceError, match=r"place\.yaml: key 'home_area'"):
        load_place(tmp_path)


def test_missing_folder_says_which_variable(tmp_path):
    with pytest.raises(PlaceError, match="LUTONWB_PLACE"):
        load_place(tmp_path / "nowhere")


def test_luton_local_area_names_each_file_by_role():
    local = load_place(ROOT / "data" / "places" / "luton").local_area
    assert local.file("wd23").expected == 20 and local.file("wd13").expected == 19
    assert (local.file("lsoa21").expected, local.file("msoa11").expected) == (125, 21)
    assert local.file("lsoa11_ward").expected is None
    for role, entry in local.files.items():
        assert (ROOT / "data" / "raw" / entry.path).is_file(), role


def test_place_without_local_area_has_none(tmp_path):
    text = 'name: "X"\nhome_area: "E06000001"\nregion: "E12000001"\n'
    (tmp_path / "place.yaml").write_text(text, encoding="utf-8")
    assert load_place(tmp_path).local_area is None


@pytest.mark.parametrize(
    ("files", "key"),
    [
        ("    wd23: {expected: 20}\n", "'path'"),
        ("    wd23: {path: a.geojson, expected: 0}\n", "'local_area.files.wd23.expected'"),
        ("    wd23: [a.geojson]\n", "'local_area.files.wd23'"),
    ],
)
def test_malformed_local_file_names_the_key(tmp_path, files, key):
    text = (
        'name: "X"\nhome_area: "E06000001"\nregion: "E12000001"\n'
        'local_area:\n  authority: "E06000001"\n  files:\n' + files
    )
    (tmp_path / "place.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PlaceError, match=r"place\.yaml: key " + key.replace(".", r"\.")):
        load_place(tmp_path)


def test_a_role_the_place_does_not_name_is_a_named_error():
    local = load_place(ROOT / "data" / "places" / "luton").local_area
    with pytest.raises(PlaceError, match=r"place\.yaml: key 'local_area\.files\.nothing'"):
        local.file("nothing")


def test_luton_place_has_its_title_mission_plans_and_headline():
    place = load_place(ROOT / "data" / "places" / "luton")
    assert place.title == "Luton Marmot Town monitor"
    assert place.citation() == (
        "Quoted from Director of Public Health candidate pack (December 2024), "
        "Appendix A: Population Wellbeing Strategy 2023-2028."
    )
    assert place.plan_phases["five-year"] == ("Year 1", "Years 2-3", "Years 4-5")
    assert place.plan_document == "Luton's Population Wellbeing Strategy: One year on review (2024)"
    assert place.headline[0] == "life-expectancy-male" and len(place.headline) == 4


def test_example_place_is_coventry_with_nothing_optional():
    place = load_place(ROOT / "data" / "places" / "example")
    assert (place.name, place.home_area, place.region) == ("Coventry", "E08000026", "E12000005")
    assert place.local_area is None and place.plan_titles == {} and place.seeds == {}
    assert place.mission is not None and place.citation() == ""


BASE = 'name: "X"\nhome_area: "E06000001"\nregion: "E12000001"\n'


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ('mission:\n  label: "M"\n  text: "t"\n  seed: "a.txt"\n  section: "s"\n', "mission.seed"),
        ("mission: just text\n", "mission"),
        ('mission:\n  text: "t"\n', "label"),
        ("headline: life-expectancy-male\n", "headline"),
        ("plans: [a, b]\n", "plans"),
        ("plans:\n  one: text\n", "plans.one"),
        ('plans:\n  one:\n    phases: ["Y1"]\n', "title"),
        ('plan_seed: "b.txt"\n', "plan_seed"),
        ("seeds: [a.txt]\n", "seeds"),
        ("title: 3\n", "title"),
    ],
)
def test_malformed_optional_keys_name_file_and_key(tmp_path, extra, key):
    (tmp_path / "place.yaml").write_text(BASE + extra, encoding="utf-8")
    with pytest.raises(PlaceError, match=rf"place\.yaml: key '{re.escape(key)}'"):
        load_place(tmp_path)
