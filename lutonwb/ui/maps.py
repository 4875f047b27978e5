"""Streamlit pieces for the ward maps: URL state, cached layer data, the offline pydeck map, legend.

Heavy calls are cached per published build (ui.data.by_build) keyed by small scalars (layer id,
geography, ward code), never by DataFrames, each cache bounded in entries and time. The map
needs no tiles: the polygons alone make a complete map (map_provider=None), so it draws offline.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from lutonwb import wards
from lutonwb.place import current_place
from lutonwb.ui import urls
from lutonwb.ui.data import READER_TTL, by_build, warehouse
from lutonwb.ui.state import WardState, WardVocab, read_ward_state, ward_params

if TYPE_CHECKING:  # pydeck is imported when the ward map is drawn, not when the app starts
    import pydeck as pdk

MAP_LAYER_ID = "areas"


# -- URL state ----------------------------------------------------------------------------------


def read_state(
    params: Mapping[str, str], ward_names: dict[str, str], old_wards: dict[str, str]
) -> WardState:
    """?layer=…&geo=…&ward=… as a valid view (the registry's ward keys; notices for bad values)."""
    return read_ward_state(params, WardVocab(ward_names, old_wards, place=current_place().name))


def read_url(ward_names: dict[str, str], old_wards: dict[str, str]) -> WardState:
    """The current link's view of the ward map."""
    return read_state(urls.current(), ward_names, old_wards)


def write_url(layer_id: str, geo: str, ward: str) -> None:
    """Put the view into the address bar (only this page's keys)."""
    urls.write("wards", ward_params(layer_id, geo, ward))


def commit(widget_key: str, param: str) -> None:
    """on_change of a ward-map widget: its value into the URL (the URL owns the view).

    A new layer may not exist at the current geography: then the layer's own geography is used.
    """
    value = st.session_state[widget_key]
    urls.set_key(param, value)
    if param == "layer" and urls.current().get("geo") not in wards.layer(value).geographies:
        urls.set_key("geo", wards.layer(value).default_geo)


def choose_ward(ward: str) -> None:
    """A ward picked on the map: into the URL, then redraw."""
    urls.set_key("ward", ward)
    st.rerun()


def share_link(layer_id: str, geo: str, ward: str) -> str:
    """Relative link that reproduces the view."""
    return "/wards?" + urlencode(ward_params(layer_id, geo, ward))


# -- cached data --------------------------------------------------------------------------------


@by_build(max_entries=8, ttl=READER_TTL)
def ward_names(geo: str = "wd23") -> dict[str, str]:
    """code → name for a ward geography."""
    df = wards.areas_of(warehouse(), geo)
    return dict(zip(df["code"], df["name"], strict=True))


@by_build(max_entries=64, ttl=READER_TTL, show_spinner="Preparing the map…")
def layer_table(layer_id: str, geo: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(areas with value, rank, colour, display text; legend)."""
    return wards.coloured(warehouse(), layer_id, geo)


@by_build(max_entries=64, ttl=READER_TTL)
def feature_collection(layer_id: str, geo: str) -> dict:
    """GeoJSON for pydeck: each feature carries code, name, display text and its fill colour."""
    df, _ = layer_table(layer_id, geo)
    geoms = warehouse().boundaries(geo).set_index("code")
    feats = []
    for r in df.itertuples(index=False):
        feats.append(
            {
                "type": "Feature",
                "geometry": json.loads(geoms.loc[r.code, "geometry"]),
                "properties": {
                    "code": r.code,
                    "name": r.name,
                    "display": r.display,
                    "fill": [*r.rgb, 215],
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}


@by_build(max_entries=8, ttl=READER_TTL)
def view_centre(geo: str) -> tuple[float, float]:
    """Mean of the areas' centroids (the middle of the place, e.g. Luton's)."""
    b = warehouse().boundaries(geo)
    return float(b["lon"].mean()), float(b["lat"].mean())


@by_build(max_entries=64, ttl=READER_TTL, show_spinner="Building the ward profile…")
def profile(ward: str) -> dict:
    return wards.ward_profile(warehouse(), ward)


@by_build(max_entries=2)
def lsoa_to_ward() -> dict[str, str]:
    lk = wards.lsoa21_wards(warehouse())
    return dict(zip(lk["lsoa_code"], lk["ward_code"], strict=True))


@by_build(max_entries=2)
def straddle_note() -> str:
    return wards.straddle_note(warehouse())


@by_build(max_entries=2)
def composite_table() -> pd.DataFrame:
    return wards.composite(warehouse())


@by_build(max_entries=2)
def sensitivity_table() -> pd.DataFrame:
    return wards.sensitivity(warehouse())


@by_build(max_entries=2)
def inequality() -> pd.DataFrame:
    return wards.inequality_table(warehouse())


@by_build(max_entries=2)
def summary_line() -> str:
    """The one-line inequality summary (the overview page can show it too)."""
    return wards.summary_line(warehouse())


# -- drawing ------------------------------------------------------------------------------------


def deck(fc: dict, centre: tuple[float, float], highlight: str = "") -> pdk.Deck:
    """Offline choropleth: filled polygons, white borders, a thicker outline on the chosen area."""
    import pydeck as pdk

    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            data=fc,
            id=MAP_LAYER_ID,
            pickable=True,
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color=[255, 255, 255],
            line_width_min_pixels=1,
        )
    ]
    if highlight:
        chosen = [f for f in fc["features"] if f["properties"]["code"] == highlight]
        if chosen:
            layers.append(
                pdk.Layer(
                    "GeoJsonLayer",
                    data={"type": "FeatureCollection", "features": chosen},
                    id="chosen",
                    pickable=False,
                    stroked=True,
                    filled=False,
                    get_line_color=[230, 0, 90],
                    line_width_min_pixels=4,
                )
            )
    return pdk.Deck(
        layers=layers,
        initial_view_state=pdk.ViewState(longitude=centre[0], latitude=centre[1], zoom=10.9),
        map_provider=None,  # no base tiles: nothing to fetch, so the map works offline
        tooltip={"html": "<b>{name}</b><br/>{display}", "style": {"fontSize": "13px"}},
    )


def legend(legend_df: pd.DataFrame, unit: str, polarity: str, no_data: int) -> None:
    """Colour swatches with class bounds and words, plus the 'no data' grey when used.

    Drawn as a styled table rather than HTML, so no data text is ever rendered as markup.
    """
    worst = "most deprived / worst" if polarity == "lower-better" else "lowest / worst"
    st.markdown(f"**Legend** ({unit}; darkest = {worst})")
    rows = [(r.colour, r.label, int(r.count)) for r in legend_df.itertuples(index=False)]
    if no_data:
        rows.append((wards.NO_DATA, "no data (reason in the table)", int(no_data)))
    table = pd.DataFrame(rows, columns=["colour", "Class", "Areas"])
    swatches = table.assign(Colour="").loc[:, ["Colour", "Class", "Areas"]]
    styled = swatches.style.apply(
        lambda col: [f"background-color: {c}" for c in table["colour"]], subset=["Colour"]
    )
    st.dataframe(styled, hide_index=True, width="content")


def selected_code(event) -> str:
    """Code of the area clicked on the map, or ''."""
    try:
        objs = event.selection.objects.get(MAP_LAYER_ID) or []
    except AttributeError:
        return ""
    if not objs:
        return ""
    obj = objs[0]
    props = obj.get("properties", obj) if isinstance(obj, dict) else {}
    return str(props.get("code", ""))
