"""Streamlit pieces for the ward maps: URL state, cached layer data, the offline pydeck map, legend.

Heavy calls are cached per published build (ui.data.by_build) keyed by small scalars (layer id,
geography, ward code), never by DataFrames, each cache bounded in entries and time. The map
needs no tiles: the polygons alone make a complete map (map_provider=None), so it draws offline.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from lutonwb import config, labels, wards
from lutonwb.place import current_place
from lutonwb.ui import sections, urls
from lutonwb.ui.data import READER_TTL, build_id, by_build, warehouse
from lutonwb.ui.state import (
    PAGE_PATHS,
    WARD_PARAMS,
    WardState,
    WardVocab,
    base_from_url,
    read_ward_state,
    share_url,
    ward_params,
)
from lutonwb.ui.widgets import csv_download, link_markdown, note, num, safe_name, table

if TYPE_CHECKING:  # pydeck is imported when the ward map is drawn, not when the app starts
    import pydeck as pdk

PAGE = "wards"  # the page's URL path
MAP_LAYER_ID = "areas"
MAP_HEIGHT = 520  # px
# The map opens showing the whole place in this many pixels across (a phone's map is 358 px wide
# at 390 px, less a margin), so no ward is cut off on a phone; on a desktop the place sits inside
# a wider frame. Ward names are placed not to overlap at this opening zoom.
FIT_WIDTH, FIT_HEIGHT = 340, MAP_HEIGHT - 40
WIDGETS = {"w_layer": "layer", "w_geo": "geo", "w_ward": "ward"}  # widget key -> URL key
LABEL_GEO = {"wd23": "wd23", "lsoa21": "wd23", "wd13": "wd13", "lsoa11": "wd13"}  # names drawn


# -- URL state ----------------------------------------------------------------------------------


def read_state(
    params: Mapping[str, str], ward_names: dict[str, str], old_wards: dict[str, str]
) -> WardState:
    """?layer=…&geo=…&ward=… as a valid view (the registry's ward keys; notices for bad values)."""
    return read_ward_state(params, WardVocab(ward_names, old_wards, place=current_place().name))


def read_url(ward_names: dict[str, str], old_wards: dict[str, str]) -> WardState:
    """The current link's view of the ward map."""
    return read_state(urls.current(), ward_names, old_wards)


def write_url(state: WardState) -> None:
    """Put the view into the address bar (only this page's keys, the open tables' included)."""
    urls.write(PAGE, state.params())


def page_state() -> WardState:
    """The link's view, with the widgets set to it and the address bar written back (the URL wins
    over remembered widget values: deep links, the back button)."""
    state = read_url(ward_names("wd23"), ward_names("wd13"))
    for widget, param in WIDGETS.items():
        st.session_state[widget] = getattr(state, param)
    write_url(state)
    kept, notices = urls.carry_comparator()  # the reader's comparator, kept for the next page
    return replace(state, kept=tuple(kept.items()), notices=(*state.notices, *notices))


def find_ward() -> None:
    """on_change of 'find my ward': a ward, or the ward a neighbourhood is assigned to, into the URL."""
    code = st.session_state["w_ward"]
    ward = search_targets().get(code, "")
    st.session_state["w_ward"] = ward
    urls.set_key("ward", ward)


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


def share_link(
    layer_id: str,
    geo: str,
    ward: str,
    opened: Sequence[str] = (),
    base: str = "",
    kept: Mapping[str, str] | None = None,
) -> str:
    """The link that reproduces the view (`opened`: the URL keys of the open tables; `kept`: the
    comparator the page carries), on the app's base URL `base` (built as every page builds its
    link: state.share_url)."""
    return share_url(base, PAGE, {**(kept or {}), **ward_params(layer_id, geo, ward, opened)})


def show_share_link(state: WardState) -> None:
    """The view's full link under the page's title, shown as every page shows its own (in a
    placeholder a table section's own rerun rewrites with the tables then open)."""
    base = base_from_url(st.context.url, PAGE)
    kept = dict(state.kept)
    slot = st.empty()
    slot.markdown(
        link_markdown(share_link(state.layer, state.geo, state.ward, state.opened(), base, kept))
    )

    def current() -> str:
        now = urls.current()
        opened = [p.key for p in WARD_PARAMS[3:] if now.get(p.key) == "1"]
        return link_markdown(share_link(state.layer, state.geo, state.ward, opened, base, kept))

    sections.keep_share_slot(slot, current)


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
                    "label": r.label,
                    "display": r.display,
                    "fill": [*r.rgb, 215],
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}


# Streamlit serves <folder of app.py>/static/ at <base>/app/static/ (server.enableStaticServing)
STATIC_ROOT = config.PROJECT_ROOT / "static"
STATIC_WARDS = "wards"  # generated per build from data/, never committed (.gitignore)
# what the files' words come from besides the data: a new layer title or tooltip is a new file
_LAYER_CODE = [
    Path(__file__).resolve().parents[1] / n for n in ("map_layers.yaml", "wards.py", "labels.py")
]


def _layer_code_key() -> str:
    """A hash of the layer definitions and the code that writes the tooltips and labels."""
    h = hashlib.sha1()
    for path in [*_LAYER_CODE, Path(__file__)]:
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()[:8]


@by_build(max_entries=256, ttl=READER_TTL)
def static_geojson(layer_id: str, geo: str) -> str:
    """The layer's GeoJSON written once per build under static/ (path relative to it), so the
    browser fetches it once and caches it instead of receiving it inside every rerun; '' when
    the folder cannot be written (a read-only install): the map then carries its data inline."""
    build = hashlib.sha1(build_id().encode()).hexdigest()[:12]
    rel = f"{STATIC_WARDS}/{build}-{_layer_code_key()}/{layer_id}-{geo}.json"
    path = STATIC_ROOT / rel
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(feature_collection(layer_id, geo), separators=(",", ":")))
            os.replace(tmp, path)  # atomic: a reader never fetches half a file
    except OSError:
        return ""
    return rel


def static_url(rel: str, page_url: str | None) -> str:
    """URL of a file under static/, on the page's own origin and base path ('/monitor/wards' ->
    '/monitor/app/static/…'); relative to the page when its URL is not known."""
    if not page_url:
        return f"app/static/{rel}"
    path = urlsplit(page_url).path.rstrip("/")
    head, _, last = path.rpartition("/")
    base = head if last in PAGE_PATHS else path
    return f"{base}/app/static/{rel}"


def map_url(layer_id: str, geo: str) -> str:
    """The URL of the layer's static GeoJSON for this page, '' when static serving is off or the
    file could not be written (the map then carries its data inline)."""
    rel = static_geojson(layer_id, geo) if st.get_option("server.enableStaticServing") else ""
    return static_url(rel, st.context.url) if rel else ""


NO_FEATURES: dict = {"type": "FeatureCollection", "features": []}


@by_build(cache=st.cache_resource, max_entries=64, ttl=READER_TTL)
def map_deck(layer_id: str, geo: str, highlight: str, url: str) -> pdk.Deck:
    """The map of a layer and geography with this area outlined, its polygons fetched from `url`
    (inline when ''), built once and shared by every session: drawing it only reads it. The
    GeoJSON itself is loaded only for an outlined area or an inline map."""
    fc = feature_collection(layer_id, geo) if highlight or not url else NO_FEATURES
    return deck(fc, opening_view(geo), highlight, ward_labels(geo), url or None)


@by_build(max_entries=64, ttl=READER_TTL)
def map_alt_text(layer_id: str, geo: str, place: str) -> str:
    """alt_text of a layer's map, worked out once (`place`: the place's name, which it says)."""
    table_df, legend_df = layer_table(layer_id, geo)
    return alt_text(table_df, legend_df, wards.layer(layer_id), geo)


@by_build(max_entries=8, ttl=READER_TTL)
def opening_view(geo: str) -> tuple[float, float, float]:
    """(longitude, latitude, zoom) at which the map opens: the whole place (its wards' outlines)
    fits FIT_WIDTH x FIT_HEIGHT pixels, centred."""
    b = warehouse().boundaries(LABEL_GEO[geo])
    return labels.fit_view(b["geometry"], FIT_WIDTH, FIT_HEIGHT)


@by_build(max_entries=8, ttl=READER_TTL)
def ward_labels(geo: str) -> list[dict]:
    """Ward names for the map's text layer: each inside its ward, moved or set smaller where it
    would cover another at the opening zoom (lutonwb.labels)."""
    b = warehouse().boundaries(LABEL_GEO[geo])
    zoom = opening_view(geo)[2]
    placed = labels.place_labels(zip(b["name"], b["geometry"], strict=True), zoom)
    return [{"name": x.name, "position": [x.lon, x.lat], "size": x.size} for x in placed]


@by_build(max_entries=2, ttl=READER_TTL)
def search_options() -> dict[str, str]:
    """'Find my ward' choices: code -> what the reader types (ward or neighbourhood name)."""
    index = wards.search_index(warehouse())
    wards_first = index.assign(is_hood=index["code"] != index["ward_code"])
    rows = wards_first.sort_values(["is_hood", "text"])
    return dict(zip(rows["code"], rows["text"], strict=True))


@by_build(max_entries=2, ttl=READER_TTL)
def search_targets() -> dict[str, str]:
    """'Find my ward' choice (ward or neighbourhood code) -> the ward it opens."""
    index = wards.search_index(warehouse())
    return dict(zip(index["code"], index["ward_code"], strict=True))


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


def deck(
    fc: dict,
    view: tuple[float, float, float],
    highlight: str = "",
    labels: list[dict] | None = None,
    data: dict | str | None = None,
) -> pdk.Deck:
    """Offline choropleth: filled polygons, white borders, a thicker outline on the chosen area,
    and the wards' names written at their centres, opening at `view` (longitude, latitude and
    zoom: opening_view). `data`: where the polygons come from (the static file's URL), `fc`
    itself when not given."""
    import pydeck as pdk

    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            data=fc if data is None else data,
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
    if labels:
        layers.append(name_layer(labels))
    return pdk.Deck(
        layers=layers,
        initial_view_state=pdk.ViewState(longitude=view[0], latitude=view[1], zoom=view[2]),
        map_provider=None,  # no base tiles: nothing to fetch, so the map works offline
        tooltip={"html": "<b>{label}</b><br/>{display}", "style": TOOLTIP_STYLE},
    )


# deck.gl draws its tooltip to the right of the pointer, so over a ward near the east edge the
# box ran past the map and was cut. It sits in the map's top-left corner instead (an info box, as
# in a web map's choropleth), wrapping its words within the map's width: deck.gl applies this
# style after placing the box, so "transform" here replaces the pointer's position.
TOOLTIP_STYLE = {
    "fontSize": "13px",
    "transform": "none",
    "margin": "8px",
    "maxWidth": "min(20rem, calc(100% - 16px))",
    "whiteSpace": "normal",
    "overflowWrap": "break-word",
}


# The page's own font (Streamlit serves it, so every browser has it; any sans-serif if not yet
# loaded). deck.gl draws the names from a font atlas it builds on a canvas from this family.
LABEL_FONT = "'Source Sans', sans-serif"


def literal(text: str) -> str:
    """A string pydeck passes to deck.gl as itself. pydeck takes every other string keyword as
    a JavaScript expression ('@@=…'): a font family such as "'Source Sans', sans-serif" would
    reach deck.gl as a function, the canvas would refuse it and keep its 10 px default, and
    every name would be drawn a few pixels wide (blank-looking boxes). pydeck passes a string
    wrapped in one quote character as it is, that character removed."""
    return f"`{text.replace('`', '')}`"


def name_layer(labels: list[dict]) -> pdk.Layer:
    """Ward names in dark text on a pale box, readable over every colour of the palette; the
    font atlas holds the characters of these names (any alphabet a place uses)."""
    import pydeck as pdk

    chars = "".join(sorted({c for lab in labels for c in str(lab["name"])}))
    return pdk.Layer(
        "TextLayer",
        data=labels,
        id="names",
        pickable=False,
        get_position="position",
        get_text="name",
        get_size="size",
        get_color=[20, 20, 20],
        font_family=literal(LABEL_FONT),
        font_weight=600,
        character_set=literal(chars),
        background=True,
        get_background_color=[255, 255, 255, 210],
        background_padding=[2, 1],
    )


@by_build(max_entries=64, ttl=READER_TTL)
def legend_table(layer_id: str, geo: str) -> tuple[pd.DataFrame, list[str]]:
    """The legend's rows (an empty swatch, the class's words, how many areas) and each row's
    colour, with the 'no data' grey when some area has none."""
    table_df, legend_df = layer_table(layer_id, geo)
    colours = list(legend_df["colour"])
    classes = list(legend_df["label"])
    counts = [int(n) for n in legend_df["count"]]
    if no_data := int(table_df["value"].isna().sum()):
        colours.append(wards.NO_DATA)
        classes.append("no data (reason in the table)")
        counts.append(no_data)
    table = pd.DataFrame({"Colour": [""] * len(colours), "Class": classes, "Areas": counts})
    return table, colours


@by_build(max_entries=64, ttl=READER_TTL)
def draw_swatches(layer_id: str, geo: str) -> None:
    """The legend's table, its swatches coloured by a Styler: drawn once per layer and
    geography, then replayed (Streamlit replays a cached function's elements, so the Styler's
    ~7 ms per rerun is paid once).

    A styled static table rather than HTML markup, so no data text is ever rendered as markup:
    three narrow columns, as wide as their words, so it fits a phone, never scrolls sideways
    and screen readers read it (the swatch's class is its words).
    """
    table, colours = legend_table(layer_id, geo)
    styled = table.style.apply(
        lambda _: [f"background-color: {c}" for c in colours], subset=["Colour"]
    )
    st.table(styled, hide_index=True, border="horizontal", width="content")


def legend(lyr: wards.MapLayer, geo: str) -> None:
    """Colour swatches with class bounds and words, plus the 'no data' grey when used, and the
    legend's CSV."""
    worst = "most deprived / worst" if lyr.polarity == "lower-better" else "lowest / worst"
    st.markdown(f"**Legend**. Unit: {lyr.unit}. Darkest: {worst}.")
    draw_swatches(lyr.id, geo)
    table, _ = legend_table(lyr.id, geo)
    csv_download(table[["Class", "Areas"]], "w_legend", file_stem("map-legend"))


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


# -- page sections ------------------------------------------------------------------------------


def file_stem(*parts: str) -> str:
    """A download's file name: the place's name, then what the table holds."""
    return safe_name("-".join([current_place().name, *parts]))


GLOSSARY = (
    "IoD 2025 and IMD 2019 are the English Indices of Deprivation, the government's measure of how "
    "deprived each small area is compared with the rest of England. A neighbourhood here is what "
    "statisticians call an LSOA: a small area of about 1,500 residents."
)


def controls(state: WardState) -> wards.MapLayer:
    """Layer picker and geography radio (each writes its URL key), and the layer's description."""
    lyr = wards.layer(state.layer)
    c1, c2 = st.columns([3, 2])
    c1.selectbox(
        "Map layer",
        list(wards.LAYERS),
        key="w_layer",
        format_func=lambda i: wards.layer(i).title,
        on_change=commit,
        args=("w_layer", "layer"),
    )
    c2.radio(
        "Geography",
        list(lyr.geographies),
        key="w_geo",
        format_func=lambda g: wards.GEOGRAPHIES[g],
        horizontal=True,
        on_change=commit,
        args=("w_geo", "geo"),
    )
    note(f"{lyr.description} Source: {lyr.source}. {GLOSSARY}")
    return lyr


def alt_text(table_df: pd.DataFrame, legend_df: pd.DataFrame, lyr: wards.MapLayer, geo: str) -> str:
    """What the map shows, in words, for readers who cannot see it: the areas, what colours them
    and its unit (each said once), the classes, then the worst and best area."""
    valued = table_df.dropna(subset=["value"]).sort_values("rank")
    names = "the wards' names" if geo in wards.WARD_GEOS else "the names of the wards they lie in"
    text = (
        f"Map of {current_place().name}'s {len(table_df)} {wards.GEO_PHRASES[geo]}, coloured by "
        f"{lyr.title}. Unit: {lyr.unit}. {len(legend_df)} classes of about equal size, dark "
        f"purple for the worst and yellow for the best, with {names} written on it."
    )
    if len(valued):
        worst, best = valued.iloc[0], valued.iloc[-1]
        text += f" Worst: {worst['label']}, {figure(lyr, worst['value'])}; "
        text += f"best: {best['label']}, {figure(lyr, best['value'])}."
    return text + " Point at an area for its figures; click it to open its ward profile."


def figure(lyr: wards.MapLayer, value: float) -> str:
    """A value in a sentence that has already named the unit: the number alone, or the words
    for a national decile or rank."""
    if lyr.kind.endswith(("-decile", "-rank")):
        return wards.value_words(lyr, value)
    return wards.fmt(value, lyr.decimals)


def map_notes(state: WardState, lyr: wards.MapLayer) -> None:
    """How the ward figures were built, beside the legend."""
    if state.geo in ("wd23", "lsoa21") and lyr.kind in ("iod25", "census", "fuel", "composite"):
        note(
            wards.WEIGHTS_NOTE
            if lyr.kind == "iod25"
            else "Ward shares: households summed over the ward's neighbourhoods, then divided."
        )
    if state.geo == "wd23":
        note(straddle_note())
    if state.geo == "wd13":
        note("These are the wards used until May 2023, for which IMD 2019 was published.")


def draw_map(state: WardState, lyr: wards.MapLayer) -> pd.DataFrame:
    """The choropleth with names, its legend and notes; a click opens the ward. Returns the table."""
    table_df, _ = layer_table(state.layer, state.geo)
    highlight = state.ward if state.geo == "wd23" else ""
    left, right = st.columns([2, 1])
    with left:
        event = st.pydeck_chart(
            map_deck(state.layer, state.geo, highlight, map_url(state.layer, state.geo)),
            on_select="rerun",
            selection_mode="single-object",
            key="ward_map",
            height=MAP_HEIGHT,
        )
        note(map_alt_text(state.layer, state.geo, current_place().name))
    with right:
        legend(lyr, state.geo)
        map_notes(state, lyr)
    clicked = selected_code(event)
    if clicked and clicked != st.session_state.get("_last_click"):
        st.session_state["_last_click"] = clicked
        ward = search_targets().get(clicked) or lsoa_to_ward().get(clicked, "")
        if ward and ward != state.ward:
            choose_ward(ward)
    return table_df


def ward_finder() -> None:
    """'Find my ward': one searchable list of ward and neighbourhood names."""
    options = search_options()
    st.selectbox(
        "Find my ward: type the name of a ward or neighbourhood",
        ["", *options],
        key="w_ward",
        format_func=lambda c: "Choose or type a name…" if not c else options[c],
        on_change=find_ward,
    )


def draw_profile(ward: str) -> None:
    """One ward's figures in words, and its neighbourhoods, each table with its CSV."""
    p = profile(ward)
    n = len(ward_names("wd23"))
    st.subheader(p["name"])
    vals = p["values"]
    shown = pd.DataFrame(
        {
            "Measure": vals["title"],
            f"{p['name']}": vals["shown"],
            f"Among {current_place().name}'s {n} wards": vals["position"],
            "Range across the wards": vals["range"],
        }
    )
    table(shown, "w_profile", file_stem(p["name"], "profile"), csv=profile_csv(vals), static=True)
    st.markdown(wards.change_words(p["name"], p["change"]))
    note(wards.CHANGE_NOTE)
    hoods = p["lsoas"]
    shown = pd.DataFrame(  # name and standing first: what a phone keeps
        {
            "Neighbourhood": hoods["label"],
            "In England, 2025": hoods["imd2025_decile"].map(wards.decile_words),
            "In England, 2019": hoods["imd2019_decile"].map(wards.decile_words),
            "Households (2021)": hoods["households"].round(0).astype("Int64"),
            "Official name": hoods["official_name"],
            "Crosses a ward boundary": hoods["straddles"].map({True: "Yes", False: "No"}),
        }
    )
    table(shown, "w_hoods", file_stem(p["name"], "neighbourhoods"), static=True)
    if p["straddling"]:
        note(
            "The ONS best-fit lookup assigns each neighbourhood whole to one ward. "
            f"{'; '.join(p['straddling'])} cross this ward's boundary, so its figures are approximate."
        )


def profile_csv(vals: pd.DataFrame) -> pd.DataFrame:
    """The profile's figures as numbers rounded to each measure's precision, with plain headers."""
    decimals = [wards.layer(i).decimals for i in vals["layer"]]
    return pd.DataFrame(
        {
            "Measure": vals["title"],
            "Value": [
                round(v, d) if pd.notna(v) else None
                for v, d in zip(vals["value"], decimals, strict=True)
            ],
            "Unit": [wards.layer(i).unit for i in vals["layer"]],
            "Rank among the wards (1 = best)": vals["rank_best"],
            "Range across the wards": vals["range"],
        }
    )


def draw_ranked(state: WardState, lyr: wards.MapLayer, table_df: pd.DataFrame) -> None:
    """Every area listed worst first by the layer's polarity, as the section's title says; its
    rank column counts 1 = best, as every ranking in the app. Values to the layer's precision,
    as a wrapping table (area, value and rank first: what a phone keeps), with its CSV (the
    values as numbers)."""
    df = wards.worst_first(table_df)
    value_col = f"Value: {lyr.unit}" if "(" in lyr.unit else f"Value ({lyr.unit})"  # no (( ))
    cols = {"Rank (1 = best)": df["rank_best"], "Area": df["label"]}
    if state.geo not in wards.WARD_GEOS:
        cols["Official name"] = df["name"]
    cols[value_col] = df["value"].round(lyr.decimals) + 0.0
    if lyr.kind.endswith("-decile"):
        cols["In words"] = df["value"].map(lambda v: wards.value_words(lyr, v))
    if df["note"].astype(bool).any():
        cols["Why there is no figure"] = df["note"]  # never "No data": see engine.vocab
    csv = pd.DataFrame(cols).assign(**{"Area code (ONS, for analysts)": df["code"].to_numpy()})
    first = ["Area", value_col, "Rank (1 = best)"]
    shown = pd.DataFrame(cols)[[*first, *[c for c in cols if c not in first]]]
    shown[value_col] = df["value"].map(lambda v: wards.fmt(v, lyr.decimals)).to_numpy()
    shown["Rank (1 = best)"] = shown["Rank (1 = best)"].map(
        lambda r: "" if pd.isna(r) else str(int(r))
    )
    stem = file_stem(lyr.title, wards.GEOGRAPHIES[state.geo])  # words, never the layer's id
    table(shown, "w_ranked", stem, csv=csv, static=True)


INEQUALITY_HEADERS = {
    "title": "Measure",
    "unit": "Unit",
    "worst_ward": "Worst ward",
    "worst_value": "Worst value",
    "best_ward": "Best ward",
    "best_value": "Best value",
    "gap": "Gap, worst ward against best (positive = worse)",
    "ratio": "Worst ÷ best",
    "deprived_gap": "Modelled gap, most against least deprived neighbourhoods (positive = worse)",
}
INEQUALITY_NOTE = (
    "Both gaps follow the app's one rule: positive means worse. Gap: how much worse the worst "
    "ward is than the best (wards from May 2023; the earlier wards for IMD 2019). Worst ÷ best is "
    "shown only when both values are positive. Modelled gap (what statisticians call the slope "
    "index of inequality): the place's neighbourhoods are lined up from the most to the least "
    "deprived by England's IMD 2025 deciles, each counted by its number of households, and a "
    "straight line is fitted through their values; the modelled gap is how much worse the line's "
    "most deprived end is than its least deprived end (negative: better at the deprived end). "
    "A dash means it does not apply (the deprivation index itself orders the neighbourhoods). "
    "Gaps are worked out before rounding, so one can differ by one in its last figure from the "
    "difference of the rounded values shown."
)


WARD_VALUE = {"worst": ("worst_ward", "worst_value"), "best": ("best_ward", "best_value")}
# on screen: the measure, both wards with their values and the gap first (what a phone keeps)
INEQUALITY_SHOWN = {
    "title": "Measure",
    "worst": "Worst ward",
    "best": "Best ward",
    "gap": INEQUALITY_HEADERS["gap"],
    "unit": "Unit",
    "ratio": INEQUALITY_HEADERS["ratio"],
    "deprived_gap": INEQUALITY_HEADERS["deprived_gap"],
}


def inequality_frames(ineq: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shown, csv) of the inequality table: on screen each ward with its value ('Biscot: 54.8')
    and every figure to its layer's precision as text; the CSV keeps them apart, as numbers."""
    decimals = [wards.layer(i).decimals for i in ineq["layer"]]
    text = ineq.copy()
    for col in ("worst_value", "best_value", "gap", "deprived_gap"):
        text[col] = [
            wards.fmt(v, d) if pd.notna(v) else "—"
            for v, d in zip(ineq[col], decimals, strict=True)
        ]
    text["ratio"] = ineq["ratio"].map(lambda r: "—" if pd.isna(r) else f"{r:.1f}×")
    for key, (ward, value) in WARD_VALUE.items():
        text[key] = [
            f"{w}: {v}" if pd.notna(w) and str(w) else "—"
            for w, v in zip(text[ward], text[value], strict=True)
        ]
    csv = ineq.copy()
    for col in ("worst_value", "best_value", "gap", "deprived_gap"):
        csv[col] = [round(v, d) for v, d in zip(ineq[col], decimals, strict=True)]
    csv["ratio"] = ineq["ratio"].round(2)
    shown = text[list(INEQUALITY_SHOWN)].rename(columns=INEQUALITY_SHOWN)
    return shown, csv[list(INEQUALITY_HEADERS)].rename(columns=INEQUALITY_HEADERS)


def draw_inequality() -> None:
    """Worst and best ward, gap, ratio and the modelled gap per layer, each to its precision, as
    a wrapping table (never a grid that scrolls sideways on a phone) with its CSV."""
    shown, csv = inequality_frames(inequality())
    table(shown, "w_inequality", file_stem("inequality"), csv=csv, static=True)
    note(INEQUALITY_NOTE)


# ward, composite and rank first, then its three domains (a phone keeps the first four columns)
COMPOSITE_HEADERS = {
    "ward_name": "Ward",
    "composite": "Composite",
    "rank": "Rank (1 = best)",
    "basic-needs": "Basic human needs",
    "foundations": "Foundations of wellbeing",
    "opportunity": "Opportunity",
}
# ward, its rank and how far it moves under each other choice first (what a phone keeps)
SENSITIVITY_HEADERS = {
    "ward_name": "Ward",
    "rank_equal": "Rank: equal weights",
    "change_50_25_25": "Change (50/25/25 weights)",
    "change_minmax": "Change (0-to-1 scaling)",
    "composite": "Composite (equal weights)",
    "rank_50_25_25": "Rank: 50/25/25 weights",
    "rank_minmax": "Rank: 0-to-1 scaling",
}


SCORE_PLACES = 2  # the composite's scores are shown, and written to CSV, to two places


def scores_table(
    df: pd.DataFrame, headers: Mapping[str, str], scores: Sequence[str]
) -> pd.DataFrame:
    """A table of scores with plain headers, each score as text to one precision ('1.40', never
    '1.4' beside '1.03' or '-0.00'): what the page shows and the readers' CSV holds."""
    shown = df[list(headers)].rename(columns=dict(headers))
    for c in [headers[s] for s in scores]:
        shown[c] = shown[c].map(lambda v: num(v, SCORE_PLACES))
    return shown


def draw_composite() -> None:
    """The composite's method, its table and how far ranks move under other choices."""
    st.markdown(wards.composite_method())
    comp = composite_table().sort_values("rank")
    scores = ["basic-needs", "foundations", "opportunity", "composite"]
    shown = scores_table(comp, COMPOSITE_HEADERS, scores)
    table(shown, "w_composite", file_stem("composite"), static=True)
    st.subheader("Sensitivity")
    sens = sensitivity_table()
    st.write(
        f"With weights of 50% basic human needs, 25% foundations of wellbeing and 25% "
        f"opportunity, {int((sens['change_50_25_25'] != 0).sum())} of {len(sens)} wards change "
        f"rank (the largest move is {int(sens['change_50_25_25'].abs().max())} places). Scaling "
        "each indicator from 0 (the worst ward) to 1 (the best) instead of measuring it in "
        f"spreads from the average moves {int((sens['change_minmax'] != 0).sum())} wards."
    )
    shown = scores_table(sens, SENSITIVITY_HEADERS, ["composite"])
    table(shown, "w_sensitivity", file_stem("composite-sensitivity"), static=True)
