"""The ward map's URL state: registry keys coerced in order (layer, then a geography that layer
has, then a 2023 ward), notices for bad values, and the link that reproduces a view."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from lutonwb import wards
from lutonwb.ui import maps

NAMES = {"E05014735": "Barnfield", "E05014737": "Biscot"}
OLD = {"E05002193": "Biscot (until 2023)"}


@pytest.mark.parametrize(
    ("url", "view", "fragment"),
    [
        ({}, ("iod25-imd", "wd23", ""), None),
        ({"layer": " IOD25-Income ", "geo": "LSOA21"}, ("iod25-income", "lsoa21", ""), None),
        ({"layer": "imd19-imd"}, ("imd19-imd", "wd13", ""), None),  # the layer's own geography
        ({"ward": "e05014737"}, ("iod25-imd", "wd23", "E05014737"), None),
        ({"layer": "no-such-layer"}, ("iod25-imd", "wd23", ""), "no map layer called"),
        ({"layer": "imd19-imd", "geo": "lsoa21"}, ("imd19-imd", "wd13", ""), "not available for"),
        ({"geo": "<script>"}, ("iod25-imd", "wd23", ""), "is not a geography this page knows"),
        ({"ward": "E05099999"}, ("iod25-imd", "wd23", ""), "'E05099999' is not one of Luton's 2 wards (boundaries from May 2023). Pick one below."),
        ({"ward": "E05002193"}, ("iod25-imd", "wd23", ""), "Biscot (until 2023) is a pre-2023 ward"),
        ({"zz": "1"}, ("iod25-imd", "wd23", ""), None),  # unknown keys are ignored
    ],
)  # fmt: skip
def test_read_state(url: dict[str, str], view: tuple[str, str, str], fragment: str | None) -> None:
    state = maps.read_state(url, NAMES, OLD)
    assert (state.layer, state.geo, state.ward) == view
    if fragment is None:
        assert state.notices == ()
    else:
        assert len(state.notices) == 1 and fragment in state.notices[0], state.notices
        assert not any(c in state.notices[0] for c in ("E05014735", "E05014737", "(E05002193)"))


def test_a_bad_geography_falls_back_to_the_chosen_layers_own() -> None:
    state = maps.read_state({"layer": "iod25-rank-imd", "geo": "wd13"}, NAMES, OLD)
    assert state.geo == "lsoa21"
    assert state.notices[0].endswith("showing neighbourhoods as drawn for the 2021 census.")


@pytest.mark.parametrize(
    ("view", "link"),
    [
        (("iod25-imd", "wd23", ""), "/wards?layer=iod25-imd&geo=wd23"),
        (("census-deprived-any", "lsoa21", "E05014737"), "/wards?layer=census-deprived-any&geo=lsoa21&ward=E05014737"),
    ],
)  # fmt: skip
def test_share_link_reads_back_to_the_same_view(view: tuple[str, str, str], link: str) -> None:
    assert maps.share_link(*view) == link
    base = "https://monitor.example/luton"
    assert maps.share_link(*view, base=base) == base + link  # the app's address, like every page
    back = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    state = maps.read_state(back, NAMES, OLD)
    assert (state.layer, state.geo, state.ward) == view and state.notices == ()


def test_download_names_come_from_the_place() -> None:
    assert maps.file_stem("iod25-imd", "wd23") == "luton-iod25-imd-wd23"
    assert maps.file_stem("Beech Hill", "profile") == "luton-beech-hill-profile"


def test_profile_csv_rounds_each_measure_to_its_precision() -> None:
    vals = pd.DataFrame(
        {
            "layer": ["iod25-imd", "iod25-decile-imd", "composite"],
            "title": ["IMD score", "IMD decile", "Composite"],
            "value": [54.84761, 2.0, -0.123456],
            "rank": [1, 3, 20],
            "rank_best": [20, 18, 1],
            "range": ["10.5 to 54.8", "1 to 9", "-1.20 to 1.10"],
        }
    )
    csv = maps.profile_csv(vals)
    assert list(csv.columns) == [
        "Measure", "Value", "Unit", "Rank among the wards (1 = best)", "Range across the wards"
    ]  # fmt: skip
    assert csv["Value"].tolist() == [54.8, 2.0, -0.12]
    assert csv["Unit"][0] == "score"
    assert csv["Rank among the wards (1 = best)"].tolist() == [20, 18, 1]


def test_the_map_writes_ward_names_over_the_colours() -> None:
    fc = {"type": "FeatureCollection", "features": []}
    labels = [{"name": "Biscot", "position": [-0.43, 51.89]}]
    layers = maps.deck(fc, (-0.42, 51.88, 10.5), labels=labels).to_json()
    assert '"@@type": "TextLayer"' in layers and '"Biscot"' in layers
    assert "TextLayer" not in maps.deck(fc, (-0.42, 51.88, 10.5)).to_json()


def test_the_ward_names_font_reaches_deck_gl_as_a_font_not_an_expression() -> None:
    """pydeck sends an unquoted string as a JavaScript expression ('@@=…'): a font family sent
    so reaches the canvas as a function, which it refuses, and the names shrink to blank boxes."""
    import json

    labels = [{"name": "Beech Hill", "position": [-0.43, 51.89], "size": 12}]
    deck = json.loads(maps.deck({"type": "FeatureCollection", "features": []},
                                (-0.42, 51.88, 10.5), labels=labels).to_json())  # fmt: skip
    names = next(lyr for lyr in deck["layers"] if lyr["@@type"] == "TextLayer")
    assert names["fontFamily"] == "'Source Sans', sans-serif" == maps.LABEL_FONT
    assert names["characterSet"] == " BHcehil"  # the names' own characters, as text
    assert names["getText"] == "@@=name"  # accessors stay expressions


@pytest.mark.parametrize(
    ("page_url", "url"),
    [
        (None, "app/static/wards/b/x.json"),  # unknown: relative to the page
        ("http://localhost:8501/wards", "/app/static/wards/b/x.json"),
        ("https://monitor.example/wards/?layer=x", "/app/static/wards/b/x.json"),
        ("https://host/monitor/wards", "/monitor/app/static/wards/b/x.json"),  # a base path
        ("https://host/monitor/", "/monitor/app/static/wards/b/x.json"),  # the overview
        ("https://host/", "/app/static/wards/b/x.json"),
    ],
)
def test_static_url_keeps_the_apps_base_path(page_url: str | None, url: str) -> None:
    assert maps.static_url("wards/b/x.json", page_url) == url


FC = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "A"}}]}


def test_static_geojson_is_written_once_per_build(tmp_path, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(maps, "STATIC_ROOT", tmp_path)
    monkeypatch.setattr(maps, "build_id", lambda: "build-1:123")
    monkeypatch.setattr(maps, "feature_collection", lambda lyr, geo: calls.append(1) or FC)
    write = maps.static_geojson.__wrapped__  # the uncached function
    rel = write("iod25-imd", "wd23")
    assert rel.startswith("wards/") and rel.endswith("/iod25-imd-wd23.json")
    assert json.loads((tmp_path / rel).read_text()) == FC
    assert write("iod25-imd", "wd23") == rel and calls == [1]  # not rewritten
    assert [p.name for p in (tmp_path / rel).parent.iterdir()] == ["iod25-imd-wd23.json"]
    monkeypatch.setattr(maps, "build_id", lambda: "build-2:456")
    assert write("iod25-imd", "wd23") != rel  # a new build, a new URL: no stale colours


def test_static_geojson_changes_with_the_layer_definitions(tmp_path, monkeypatch) -> None:
    """New layer titles or tooltip code on the same data get a new file: no stale words."""
    monkeypatch.setattr(maps, "STATIC_ROOT", tmp_path)
    monkeypatch.setattr(maps, "build_id", lambda: "build-1:123")
    monkeypatch.setattr(maps, "feature_collection", lambda lyr, geo: FC)
    layers = tmp_path / "map_layers.yaml"
    layers.write_text("title: Index of Multiple Deprivation (score)")
    monkeypatch.setattr(maps, "_LAYER_CODE", [layers])
    before = maps.static_geojson.__wrapped__("iod25-imd", "wd23")
    layers.write_text("title: Index of Multiple Deprivation")
    assert maps.static_geojson.__wrapped__("iod25-imd", "wd23") != before


def test_a_read_only_install_draws_the_map_inline(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "static"
    blocker.write_text("not a folder")
    monkeypatch.setattr(maps, "STATIC_ROOT", blocker)
    monkeypatch.setattr(maps, "build_id", lambda: "b")
    monkeypatch.setattr(maps, "feature_collection", lambda lyr, geo: FC)
    assert maps.static_geojson.__wrapped__("iod25-imd", "wd23") == ""
    monkeypatch.setattr(maps, "static_geojson", lambda lyr, geo: "")
    assert maps.map_url("iod25-imd", "wd23") == ""
    monkeypatch.setattr(maps, "opening_view", lambda geo: (-0.42, 51.88, 10.5))
    monkeypatch.setattr(maps, "ward_labels", lambda geo: [])
    inline = maps.map_deck.__wrapped__("iod25-imd", "wd23", "", "")
    areas = next(lyr for lyr in json.loads(inline.to_json())["layers"] if lyr["id"] == "areas")
    assert areas["data"] == FC  # the polygons ride inside the map

    def unused(lyr, geo):  # fetched by the browser: the server need not load the GeoJSON
        raise AssertionError("the GeoJSON was loaded for a map that fetches it")

    monkeypatch.setattr(maps, "feature_collection", unused)
    fetched = maps.map_deck.__wrapped__("iod25-imd", "wd23", "", "app/static/wards/x.json")
    areas = next(lyr for lyr in json.loads(fetched.to_json())["layers"] if lyr["id"] == "areas")
    assert areas["data"] == "app/static/wards/x.json"


MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")  # fmt: skip


def _caption_problems(text: str, unit: str) -> list[str]:
    """What a reader would trip on: a lower-case month, a unit said twice, a stray bracket."""
    words = re.findall(r"[A-Za-z]+", text)
    problems = [f"lower-case month {w!r}" for w in words if w in MONTHS]
    if text.count(unit) != 1:
        problems.append(f"the unit {unit!r} is not said exactly once")
    brackets = re.findall(r"\([^()]*\)", text)
    problems += [f"{b} said twice" for b in set(brackets) if brackets.count(b) > 1]
    if text.count("(") != text.count(")"):
        problems.append("unbalanced brackets")
    return problems


@pytest.mark.parametrize("layer_id", list(wards.LAYERS))
def test_every_layers_map_caption_says_its_unit_once_in_plain_words(layer_id: str) -> None:
    lyr = wards.layer(layer_id)
    table_df = pd.DataFrame(
        {"label": ["Biscot", "Barnfield"], "value": [45.25, 12.0], "rank": [1, 2]}
    )
    legend_df = pd.DataFrame({"cls": range(5)})
    for geo in lyr.geographies:
        text = maps.alt_text(table_df, legend_df, lyr, geo)
        assert _caption_problems(text, lyr.unit) == [], text
        assert ("-" not in layer_id or layer_id not in text) and geo not in text  # no ids
        assert f"{lyr.title}." in text and "LSOAs" not in text


def test_the_default_maps_caption_reads_plainly() -> None:
    lyr = wards.layer("iod25-imd")
    table_df = pd.DataFrame(
        {"label": ["Biscot", "Barnfield"], "value": [45.25, 12.0], "rank": [1, 2]}
    )
    text = maps.alt_text(table_df, pd.DataFrame({"cls": range(5)}), lyr, "wd23")
    assert text.startswith(
        "Map of Luton's 2 wards on the boundaries used from May 2023, coloured by IoD 2025: "
        "Index of Multiple Deprivation. Unit: score. 5 classes of about equal size"
    )
    assert "Worst: Biscot, 45.2; best: Barnfield, 12.0." in text


def test_no_area_without_a_value_is_explained_with_a_code() -> None:
    assert wards.edition_words("IoD2025") == "IoD 2025"
    assert wards.edition_words("Census2021") == "Census 2021"
    assert wards.edition_words("2021-2025") == "2021-2025"
