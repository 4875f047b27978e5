"""The place folder: Luton's settings come from data, and a broken place.yaml names file and key."""

from __future__ import annotations

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
