"""Streamlit pieces for the ward maps: URL state, cached layer data, the offline pydeck map, legend.

Heavy calls are cached with st.cache_data keyed by small scalars (layer id, geography, ward code
and the build's timestamp), never by DataFrames. The map needs no tiles: the polygons alone make
a complete map (map_provider=None), so it draws offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from lutonwb import wards
from lutonwb.text import shown
from lutonwb.ui.data import warehouse

if TYPE_CHECKING:  # pydeck is imported when the ward map is drawn, not when the app starts
    import pydeck as pdk

MAP_LAYER_ID = "areas"


def built_at() -> str:
    """The current build's timestamp: part of every cache key, so a new build refreshes the maps."""
    return str(warehouse().manifest.get("built_at", ""))


# -- URL state ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WardState:
    layer: str
    geo: str
    ward: str  # '' = no ward selected
    notices: tuple[str, ...]


def read_state(
    params: dict[str, str], ward_names: dict[str, str], old_wards: dict[str, str]
) -> WardState:
    """Coerce ?layer=…&geo=…&ward=… into a valid view; anything wrong becomes a notice and the default."""
    notices: list[str] = []
    layer_id = str(params.get("layer", wards.DEFAULT_LAYER)).strip().lower()
    if layer_id not in wards.LAYERS:
        notices.append(
            f"There is no map layer called {shown(layer_id)}; showing the default layer."
        )
        layer_id = wards.DEFAULT_LAYER
    lyr = wards.layer(layer_id)
    geo = str(params.get("geo", lyr.default_geo)).strip().lower()
    if geo not in wards.GEOGRAPHIES:
        notices.append(
            f"{shown(geo)} is not a geography this page knows; showing {wards.GEOGRAPHIES[lyr.default_geo].lower()}."
        )
        geo = lyr.default_geo
    elif geo not in lyr.geographies:
        notices.append(
            f"{lyr.title} is not available for {wards.GEOGRAPHIES[geo].lower()}; showing {wards.GEOGRAPHIES[lyr.default_geo].lower()}."
        )
        geo = lyr.default_geo
    ward = str(params.get("ward", "")).strip().upper()
    if ward and ward not in ward_names:
        if ward in old_wards:
            notices.append(
                f"{old_wards[ward]} ({ward}) is a pre-2023 ward; profiles use the wards in force since May 2023. Pick one below."
            )
        else:
            notices.append(
                f"{shown(ward)} is not one of the {len(ward_names)} wards in force since May 2023."
            )
        ward = ""
    return WardState(layer_id, geo, ward, tuple(notices))


def write_url(layer_id: str, geo: str, ward: str) -> None:
    """Put the view into the address bar (only this page's keys)."""
    qp = st.query_params
    if qp.get("layer") != layer_id:
        qp["layer"] = layer_id
    if qp.get("geo") != geo:
        qp["geo"] = geo
    if ward:
        if qp.get("ward") != ward:
            qp["ward"] = ward
    elif "ward" in qp:
        del qp["ward"]


def share_link(layer_id: str, geo: str, ward: str) -> str:
    """Relative link that reproduces the view."""
    q = {"layer": layer_id, "geo": geo}
    if ward:
        q["ward"] = ward
    return "/wards?" + urlencode(q)


# -- cached data --------------------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def ward_names(build: str, geo: str = "wd23") -> dict[str, str]:
    """code → name for a ward geography."""
    df = wards.areas_of(warehouse(), geo)
    return dict(zip(df["code"], df["name"], strict=True))


@st.cache_data(show_spinner="Preparing the map…")
def layer_table(layer_id: str, geo: str, build: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(areas with value, rank, colour, display text; legend)."""
    return wards.coloured(warehouse(), layer_id, geo)


@st.cache_data(show_spinner=False)
def feature_collection(layer_id: str, geo: str, build: str) -> dict:
    """GeoJSON for pydeck: each feature carries code, name, display text and its fill colour."""
    df, _ = layer_table(layer_id, geo, build)
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


@st.cache_data(show_spinner=False)
def view_centre(geo: str, build: str) -> tuple[float, float]:
    """Mean of the areas' centroids (the middle of the place, e.g. Luton's)."""
    b = warehouse().boundaries(geo)
    return float(b["lon"].mean()), float(b["lat"].mean())


@st.cache_data(show_spinner="Building the ward profile…")
def profile(ward: str, build: str) -> dict:
    return wards.ward_profile(warehouse(), ward)


@st.cache_data(show_spinner=False)
def lsoa_to_ward(build: str) -> dict[str, str]:
    lk = wards.lsoa21_wards(warehouse())
    return dict(zip(lk["lsoa_code"], lk["ward_code"], strict=True))


@st.cache_data(show_spinner=False)
def straddle_note(build: str) -> str:
    return wards.straddle_note(warehouse())


@st.cache_data(show_spinner=False)
def composite_table(build: str) -> pd.DataFrame:
    return wards.composite(warehouse())


@st.cache_data(show_spinner=False)
def sensitivity_table(build: str) -> pd.DataFrame:
    return wards.sensitivity(warehouse())


@st.cache_data(show_spinner=False)
def inequality(build: str) -> pd.DataFrame:
    return wards.inequality_table(warehouse())


@st.cache_data(show_spinner=False)
def sii(layer_id: str, build: str) -> dict:
    return wards.sii(warehouse(), layer_id)


@st.cache_data(show_spinner=False)
def summary_line(build: str) -> str:
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
