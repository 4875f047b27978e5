"""Ward maps page under AppTest: default view, deep links, malformed parameters."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "wards.py")


def _run(warehouse_dir, **params) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_default_view(warehouse_dir) -> None:
    at = _run(warehouse_dir)
    assert at.title[0].value.startswith("Ward maps")
    assert at.selectbox(key="w_layer").value == "iod25-imd"
    assert at.radio(key="w_geo").value == "wd23"
    assert not at.info, "no notice on the default view"
    headers = [h.value for h in at.header]
    assert headers[:3] == ["Ward profile", "Ranked table", "Inequality inside Luton"]
    assert any("Barnfield" in m.value and "Central" in m.value for m in at.markdown)
    ranked = at.dataframe[1].value  # [0] is the legend
    assert len(ranked) == 20
    assert any("Map of Luton: 20 wards" in m.value for m in at.markdown)


def test_deep_link_selects_ward_profile(warehouse_dir) -> None:
    at = _run(warehouse_dir, layer="census-deprived-any", geo="lsoa21", ward="E05014737")
    assert at.selectbox(key="w_layer").value == "census-deprived-any"
    assert at.radio(key="w_geo").value == "lsoa21"
    assert at.selectbox(key="w_ward").value == "E05014737"
    assert at.subheader[0].value == "Biscot"
    assert at.query_params["ward"] == ["E05014737"] or at.query_params["ward"] == "E05014737"
    assert len(at.dataframe[3].value) == 125  # the ranked table at LSOA level


def test_ward_maps_say_which_lsoas_straddle(warehouse_dir) -> None:
    text = " ".join(m.value for m in _run(warehouse_dir).markdown)
    assert "6 of Luton's 125 LSOAs straddle a ward boundary" in text
    lsoa_view = " ".join(m.value for m in _run(warehouse_dir, geo="lsoa21").markdown)
    assert "straddle a ward boundary" not in lsoa_view  # only where LSOAs are summed into wards


@pytest.mark.parametrize(
    ("layer", "geo", "areas"),
    [("iod25-rank-imd", "lsoa21", 125), ("imd19-extent-income", "wd13", 19),
     ("census-dimensions-3", "wd23", 20), ("imd19-rank-health", "lsoa11", 121)],
)  # fmt: skip
def test_detail_layers_open_from_a_deep_link(warehouse_dir, layer, geo, areas) -> None:
    at = _run(warehouse_dir, layer=layer, geo=geo)
    assert at.selectbox(key="w_layer").value == layer
    assert not at.info
    assert len(at.dataframe[1].value) == areas


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"layer": "no-such-layer"}, "no map layer called"),
        ({"layer": "imd19-imd", "geo": "lsoa21"}, "not available for"),
        ({"geo": "<script>"}, "not a geography"),
        ({"ward": "E05099999"}, "is not one of Luton's 20 wards (May 2023 codes"),
        ({"ward": "E05002193"}, "pre-2023 ward"),
        ({"ward": "x" * 500}, "is not one of Luton's 20 wards (May 2023 codes"),
    ],
)
def test_malformed_params_show_notice_and_fall_back(warehouse_dir, params, fragment) -> None:
    at = _run(warehouse_dir, **params)
    assert any(fragment in i.value for i in at.info), [i.value for i in at.info]
    assert at.title[0].value.startswith("Ward maps")


def test_changing_layer_updates_url_and_geography(warehouse_dir) -> None:
    at = _run(warehouse_dir, geo="lsoa21")
    at.selectbox(key="w_layer").set_value("imd19-imd").run()
    assert not at.exception
    assert at.radio(key="w_geo").value == "wd13"
    qp = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert qp["layer"] == "imd19-imd" and qp["geo"] == "wd13"
