"""Charts: spine layout rules, units on axes, captions in words, and offline PNG/SVG rendering."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from lutonwb.catalogue import load_catalogue
from lutonwb.engine import Engine
from lutonwb.ui.charts import (
    AXIS_WRAP,
    LABEL_LINE,
    LABEL_WRAP,
    PHONE_WRAP,
    RATING_COLOURS,
    RATING_TEXT,
    ROW_STEP,
    TREND_HEIGHT,
    _ring_area,
    axis_title,
    chart_bytes,
    england_map,
    fmt,
    ranked_bar,
    rating_legend_rows,
    spec_of,
    spine_chart,
    spine_positions,
    spine_subtitle,
    trend_chart,
    utla_features_from,
    wrap,
)

SERIES = pd.DataFrame(
    {
        "period": ["2016-18", "2017-19", "2018-20"] * 3,
        "period_start": pd.to_datetime(["2016-01-01", "2017-01-01", "2018-01-01"] * 3),
        "role": ["home"] * 3 + ["england"] * 3 + ["group average"] * 3,
        "area_code": ["E06000032"] * 3 + ["E92000001"] * 3 + [""] * 3,
        "area_name": ["Luton"] * 3 + ["England"] * 3 + ["Group average"] * 3,
        "value": [78.0, 78.3, 77.9, 79.6, 79.8, 79.4, 78.5, 78.7, 78.2],
        "lower_ci": [77.6, 77.9, 77.5] + [None] * 6,
        "upper_ci": [78.4, 78.7, 78.3] + [None] * 6,
    }
)

GROUP = pd.DataFrame(
    {
        "area_code": ["E06000039", "E06000032", "E08000025"],
        "area_name": ["Slough", "Luton", "Birmingham"],
        "value": [79.0, 77.9, 76.8],
        "lower_ci": [78.5, 77.5, 76.5],
        "upper_ci": [79.5, 78.3, 77.1],
        "rank": [1, 2, 3],
        "is_home": [False, True, False],
    }
)


def _spec(chart) -> dict:
    return json.loads(chart.to_json())


def _titles(spec) -> list[str]:
    """Every axis/encoding title in a (layered) spec."""
    out = []

    def walk(node):
        if isinstance(node, dict):
            if "title" in node and isinstance(node["title"], str):
                out.append(node["title"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return out


def test_trend_chart_axis_has_unit_and_caption_has_values() -> None:
    chart, caption = trend_chart(SERIES, "Life expectancy at birth, males", "years", "Luton")
    assert "Life expectancy at birth, males (years)" in _titles(_spec(chart))
    assert "Luton went from 78.0 years in 2016-18 to 77.9 years in 2018-20" in caption
    assert "England: 79.4 years" in caption and "Group average: 78.2 years" in caption
    # the key draws each area's line with its dash (a point symbol made a blob of the dashes)
    legends = [
        enc["legend"] for layer in _layers(_spec(chart))
        for name, enc in layer.get("encoding", {}).items()
        if name in ("color", "strokeDash") and enc.get("legend")
    ]  # fmt: skip
    assert legends and all(lg["symbolType"] == "stroke" for lg in legends)


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def _rows(spec: dict, layer: dict) -> list[dict]:
    data = layer.get("data", spec.get("data", {}))
    return data.get("values") or spec.get("datasets", {}).get(data.get("name"), [])


def _mark(layer: dict) -> str:
    m = layer.get("mark")
    return m if isinstance(m, str) else (m or {}).get("type", "")


def test_good_level_of_development_trend_has_a_readable_y_axis(wh) -> None:
    """Streamlit fits the whole chart into its height: a 75-character vertical axis title longer
    than the plot squeezed the lines flat and pushed the title out. Wrapped, the plot keeps room."""
    cat = load_catalogue()
    m = cat.measures["good-level-of-development"]
    series = Engine(wh, cat).measure_series(m.id, "E06000032", "cssnbt-2021")
    home = series[(series["role"] == "home") & series["value"].notna()]
    assert len(home) >= 8 and home["value"].between(50, 75).all()
    chart, _ = trend_chart(series, m.title, m.unit, "Luton")
    spec = _spec(chart)
    lines = [la for la in _layers(spec) if _mark(la) == "line"]
    y_title = lines[0]["encoding"]["y"]["title"]
    assert isinstance(y_title, list) and " ".join(y_title).endswith("(%)")
    assert all(len(t) <= AXIS_WRAP for t in y_title)
    assert len(y_title) * 16 < TREND_HEIGHT / 3  # the title leaves most of the height to the plot
    assert spec["height"] == TREND_HEIGHT and spec["title"]
    luton = [r for la in lines for r in _rows(spec, la) if r["label"] == "Luton"]
    assert len(luton) == len(home)
    assert sorted(r["value"] for r in luton) == sorted(home["value"])


def test_ranked_bar_labels_every_area_and_grows_per_row() -> None:
    big = pd.DataFrame(
        {
            "area_code": [f"E0600{i:04d}" for i in range(11)],
            "area_name": [f"Area {i}" for i in range(10)] + ["Luton"],
            "value": [float(70 - i) for i in range(11)],
            "lower_ci": [None] * 11,
            "upper_ci": [None] * 11,
            "rank": list(range(1, 12)),
            "is_home": [False] * 10 + [True],
        }
    )
    spec = _spec(ranked_bar(big, "Life expectancy", "years")[0])
    bars = next(la for la in _layers(spec) if _mark(la) == "bar")
    axis = bars["encoding"]["y"]["axis"]
    assert axis["labelOverlap"] is False
    assert "Luton (home)" in bars["encoding"]["y"]["sort"]
    assert spec["height"] == ROW_STEP * 11 and spec["autosize"]["type"] == "fit-x"
    small = _spec(ranked_bar(GROUP, "Life expectancy", "years")[0])
    assert spec["height"] - small["height"] == ROW_STEP * (11 - 3)


def test_spine_chart_labels_every_row_and_grows_per_row() -> None:
    rows = pd.DataFrame(
        [
            {"title": f"Measure {i}", "unit": "%", "value": 10.0 + i, "england": 12.0,
             "polarity": "lower-better", "lowest": 5.0, "q25": 9.0, "q75": 15.0, "highest": 25.0,
             "vs_england": "Similar"}
            for i in range(13)
        ]
    )  # fmt: skip
    spec = _spec(spine_chart(rows, "Luton")[0])
    for layer in _layers(spec):
        y = layer.get("encoding", {}).get("y")
        if y and "axis" in y:
            assert y["axis"]["labelOverlap"] is False
    assert spec["height"] == ROW_STEP * 13  # the plot's own height: legend and title come on top


def test_ranked_bar_orders_by_rank_and_names_home() -> None:
    chart, caption = ranked_bar(GROUP, "Life expectancy", "years", benchmark=79.4)
    spec = _spec(chart)
    assert "Life expectancy (years)" in _titles(spec)
    assert "from Slough (79.0 years) to Birmingham (76.8 years)" in caption
    assert "Luton: 77.9 years, position 2 of 3" in caption


@pytest.mark.parametrize(
    ("polarity", "value", "side"),
    [
        ("higher-better", 80.0, "right"),  # higher than England and higher is better
        ("higher-better", 70.0, "left"),
        ("lower-better", 80.0, "left"),  # higher than England but lower is better
        ("lower-better", 70.0, "right"),
    ],
)
def test_spine_worst_left_best_right_whatever_polarity(polarity, value, side) -> None:
    rows = pd.DataFrame(
        [
            {
                "title": "m",
                "value": value,
                "england": 75.0,
                "polarity": polarity,
                "lowest": 60.0,
                "q25": 72.0,
                "q75": 78.0,
                "highest": 85.0,
            }
        ]
    )
    out = spine_positions(rows).iloc[0]
    assert (out["x_home"] > 0.5) == (side == "right")
    assert (
        0.0 <= out["x_worst"] <= out["x_q25"] <= 0.5 <= out["x_q75"] <= out["x_best"] <= 1.0
        or polarity == "lower-better"
    )
    assert out["x_worst"] <= out["x_best"]
    # furthest extreme from England (60, 15 away) sits exactly at an end
    assert min(out["x_worst"], 1 - out["x_best"]) == pytest.approx(0.0)


def test_spine_lower_better_puts_lowest_value_on_the_right() -> None:
    rows = pd.DataFrame(
        [
            {
                "title": "m",
                "value": 10.0,
                "england": 20.0,
                "polarity": "lower-better",
                "lowest": 10.0,
                "q25": 15.0,
                "q75": 25.0,
                "highest": 30.0,
            }
        ]
    )
    out = spine_positions(rows).iloc[0]
    assert out["x_home"] == pytest.approx(1.0) and out["x_best"] == pytest.approx(1.0)
    assert out["x_worst"] == pytest.approx(0.0)
    assert out["x_q25"] == pytest.approx(0.25) and out["x_q75"] == pytest.approx(0.75)


def test_spine_chart_caption_and_rating_words() -> None:
    rows = pd.DataFrame(
        [
            {"title": "A", "unit": "%", "value": 12.0, "england": 10.0, "polarity": "lower-better", "lowest": 5.0, "q25": 8.0, "q75": 12.0, "highest": 20.0, "vs_england": "Worse"},
            {"title": "B", "unit": "years", "value": 80.0, "england": 79.0, "polarity": "higher-better", "lowest": 75.0, "q25": 78.0, "q75": 80.0, "highest": 84.0, "vs_england": "Better"},
            {"title": "C", "unit": "%", "value": None, "england": None, "polarity": "none", "lowest": None, "q25": None, "q75": None, "highest": None, "vs_england": ""},
        ]
    )  # fmt: skip
    chart, caption = spine_chart(rows, "Luton")
    assert "Spine chart of 2 measures" in caption
    assert "better side of England for 1 and on the worse side for 1" in caption
    spec_text = chart.to_json()
    assert RATING_COLOURS["Worse"] in spec_text and "Worse" in spec_text


def test_england_map_from_boundaries_table() -> None:
    square = {
        "type": "Polygon",
        "coordinates": [[[-0.5, 51.8], [-0.4, 51.8], [-0.4, 51.9], [-0.5, 51.8]]],
    }
    boundaries = pd.DataFrame(
        {
            "layer": ["utla", "ward"],
            "area_code": ["E06000032", "E05014735"],
            "area_name": ["Luton", "Barnfield"],
            "geometry": [json.dumps(square), json.dumps(square)],
        }
    )
    feats = utla_features_from(boundaries)
    assert [f["properties"]["area_code"] for f in feats] == ["E06000032"]
    values = pd.DataFrame(
        {
            "area_code": ["E06000032"],
            "area_name": ["Luton"],
            "value": [77.9],
            "vs_england": ["Worse"],
        }
    )
    chart, caption = england_map(feats, values, "Life expectancy", "years", home_code="E06000032")
    assert "1 worse" in caption
    assert (
        caption.endswith("Luton is outlined in black.") and "no figure in the data" not in caption
    )
    essex = {"type": "Feature", "geometry": square,
             "properties": {"area_code": "E10000012", "area_name": "Essex"}}  # fmt: skip
    bedford = {"type": "Feature", "geometry": square,
               "properties": {"area_code": "E06000055", "area_name": "Bedford"}}  # fmt: skip
    _, caption = england_map([*feats, essex, bedford], values, "Life expectancy", "years")
    assert "2 of the 3 authorities have no figure in the data, 1 of them county council." in caption
    assert "outlined" not in caption
    assert utla_features_from(None) == [] and utla_features_from(pd.DataFrame({"x": [1]})) == []


def test_england_map_features_from_the_warehouse_boundaries(wh) -> None:
    """The warehouse names its columns code / name and the layer utla23: every UTLA becomes a feature."""
    b = wh.boundaries("utla23")
    assert {"code", "name", "geometry"} <= set(b.columns) and "area_code" not in b.columns
    feats = utla_features_from(b)
    assert len(feats) == len(b) == 153
    luton = next(f for f in feats if f["properties"]["area_code"] == "E06000032")
    assert luton["properties"]["area_name"] == "Luton"
    assert luton["geometry"]["type"] in ("Polygon", "MultiPolygon")
    # every exterior ring clockwise, every hole counter-clockwise (d3-geo's convention): wound
    # the GeoJSON way, Vega fills the globe outside each authority and the map is one block
    for f in feats:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for rings in polys:
            assert _ring_area(rings[0]) < 0, f["properties"]["area_name"]
            assert all(_ring_area(h) > 0 for h in rings[1:])
    # the whole boundaries table (wards, LSOAs too) keeps only the UTLA layer
    assert len(utla_features_from(wh.table("boundaries"))) == 153


def test_png_and_svg_render_offline() -> None:
    chart, _ = trend_chart(SERIES, "Life expectancy", "years")
    png = chart_bytes(chart.to_json(), "png")
    svg = chart_bytes(chart.to_json(), "svg")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg[:400] and b"Life expectancy (years)" in svg


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (12.345, "%", "12.3%"),
        (1234.5, "per 100,000", "1,234 per 100,000"),
        (None, "%", "no value"),
        (5.0, "£", "£5.0"),
    ],
)
def test_fmt(value, unit, text) -> None:
    assert fmt(value, unit) == text
    assert axis_title("X", "") == "X"


def test_trend_chart_greys_points_before_a_definition_change() -> None:
    series = SERIES.assign(before_break=[True, False, False] * 3)
    chart, caption = trend_chart(series, "Life expectancy", "years", "Luton")
    spec = _spec(chart)
    layers = _layers(spec)
    grey = [la for la in layers if _mark(la) == "line" and la["mark"].get("color") == "#8C8C8C"]
    assert len(grey) == 1 and grey[0]["mark"]["point"]["color"] == "#8C8C8C"
    assert {r["period"] for r in _rows(spec, grey[0])} == {"2016-18"}
    coloured = next(la for la in layers if _mark(la) == "line" and "color" in la["encoding"])
    assert {r["period"] for r in _rows(spec, coloured)} == {"2017-19", "2018-20"}
    rule = next(la for la in layers if _mark(la) == "rule")
    assert rule["mark"]["strokeDash"] and _rows(spec, rule)[0]["period"] == "2017-19"
    assert "so the trend uses 2017-19 onwards only" in caption
    # without the column (or with no point before a break) there is no rule and no grey line
    plain = _spec(trend_chart(SERIES, "Life expectancy", "years")[0])
    assert not any(_mark(la) == "rule" for la in _layers(plain))


@pytest.mark.parametrize(
    ("polarity", "rank", "order"),
    [
        ("higher-better", "best", "best first"),
        ("lower-better", "best", "best first"),
        ("none", "highest", "highest first"),  # no polarity: rank 1 is the highest value
    ],
)
def test_ranked_bar_words_follow_the_polarity(polarity, rank, order) -> None:
    chart, caption = ranked_bar(GROUP, "Life expectancy", "years", polarity=polarity)
    bars = next(la for la in _layers(_spec(chart)) if _mark(la) == "bar")
    tooltips = [t["title"] for t in bars["encoding"]["tooltip"]]
    assert f"Rank (1 = {rank})" in tooltips
    assert f"for 3 areas, {order}: from Slough (79.0 years)" in caption
    other = "highest" if rank == "best" else "best"
    assert f"Rank (1 = {other})" not in tooltips and f"{other} first" not in caption


def test_higher_and_lower_are_not_coloured() -> None:
    """Brief section 3: Higher / Lower (no polarity, or not tested) carry no colour, only the word."""
    for word in ("Higher", "Lower"):
        assert RATING_COLOURS[word] == RATING_COLOURS["Not compared"] == "#FFFFFF"
        assert RATING_TEXT[word] == RATING_TEXT["Not compared"] == "#000000"
    legend = rating_legend_rows().set_index("Word")
    assert set(legend.loc[["Higher", "Lower"], "Colour"]) == {"No colour"}
    assert legend.loc["Higher", "Meaning"].endswith("not coloured")
    # a map of a measure with no polarity: the words are in the legend, the fills all white
    values = pd.DataFrame(
        {
            "area_code": ["E06000032", "E06000039", "E08000025"],
            "area_name": ["Luton", "Slough", "Birmingham"],
            "value": [12.0, 9.0, None],
            "vs_england": ["Higher", "Lower", None],
        }
    )
    spec = _spec(england_map([], values, "Depression prevalence", "%")[0])
    scale = _layers(spec)[0]["encoding"]["color"]["scale"]
    fills = dict(zip(scale["domain"], scale["range"], strict=True))
    # an authority with no value, with a row or without one, is Not compared: one word, one fill
    assert fills == {"Higher": "#FFFFFF", "Lower": "#FFFFFF", "Not compared": "#FFFFFF"}
    calc = [t["calculate"] for t in _layers(spec)[0].get("transform", []) if "calculate" in t]
    assert calc == ["datum.rating ? datum.rating : 'Not compared'"]


def test_spine_chart_names_its_benchmark_and_marks_each_verdict_by_shape() -> None:
    rows = pd.DataFrame(
        [
            {"title": "A", "unit": "%", "value": 12.0, "england": 10.0, "polarity": "lower-better", "lowest": 5.0, "q25": 8.0, "q75": 12.0, "highest": 20.0, "vs_group": "Higher", "period": "2023"},
            {"title": "B", "unit": "%", "value": 8.0, "england": 10.0, "polarity": "lower-better", "lowest": 5.0, "q25": 8.0, "q75": 12.0, "highest": 20.0, "vs_group": "Lower", "period": "2022/23"},
        ]
    )  # fmt: skip
    manifest = {"built_at": "2026-12-05T07:52:45Z"}
    lines = spine_subtitle(rows.assign(source="OHID Fingertips"), manifest)
    assert lines == [
        "Period: the latest for each measure (2022/23 to 2023).",
        "Source: OHID Fingertips.",
        "Data built 5 December 2026.",
    ]
    chart, caption = spine_chart(rows, "Luton", "vs_group", "Similar areas", lines)
    spec = _spec(chart)
    assert " ".join(spec["title"]["text"]) == "Spine chart: Luton compared with Similar areas"
    assert "Data built 5 December 2026." in spec["title"]["subtitle"]
    shape = next(
        la["encoding"]["shape"] for la in _layers(spec) if "shape" in la.get("encoding", {})
    )
    domain, shapes = shape["scale"]["domain"], shape["scale"]["range"]
    assert shapes[domain.index("Higher")] != shapes[domain.index("Lower")]
    assert "Compared with Similar areas: 1 higher, 1 lower" in caption
    dated = spine_subtitle(rows.assign(period=["2024-09-30", "2023"]), manifest)
    assert dated[0] == "Period: the latest for each measure (2023 to 30 September 2024)."


def test_spine_positions_give_worst_and_best_values_by_polarity() -> None:
    rows = pd.DataFrame(
        {"title": ["a", "b"], "value": [1.0, 1.0], "england": [2.0, 2.0], "lowest": [0.0, 0.0],
         "highest": [9.0, 9.0], "q25": [1.0, 1.0], "q75": [3.0, 3.0],
         "polarity": ["lower-better", "higher-better"]}
    )  # fmt: skip
    out = spine_positions(rows)
    assert list(out["worst"]) == [9.0, 0.0] and list(out["best"]) == [0.0, 9.0]


def test_every_verdict_word_has_a_marker_shape() -> None:
    from lutonwb.engine.vocab import VERDICT_COLOURS
    from lutonwb.ui.charts import RATING_SHAPES

    assert set(VERDICT_COLOURS) <= set(RATING_SHAPES)


# -- nothing cut short: legends and row labels carry their whole text --------------------------

LONG_TITLES = [
    "Children at the expected level in communication, language and literacy at the end of Reception",
    "Households below the destitution threshold (Luton Minimum Income Standard model)",
    "Fuel poverty",
]
LONG_AREAS = ["Bournemouth, Christchurch and Poole", "Luton", "Kingston upon Hull, City of"]


def cut_short(spec: dict) -> list[str]:
    """Every legend and row axis of a spec that could cut a label with '…': a legend not under
    the chart or with a label or title limit, a nominal axis with a label limit."""
    found: list[str] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            legend = node.get("legend")
            if isinstance(legend, dict):
                if legend.get("orient") != "bottom" or legend.get("labelLimit") != 0:
                    found.append(f"{path}: legend {legend}")
                if "titleLimit" in legend and legend["titleLimit"] != 0:
                    found.append(f"{path}: legend title limit {legend['titleLimit']}")
            axis = node.get("axis")
            nominal = node.get("type") == "nominal" and isinstance(axis, dict)
            if nominal and axis.get("labelLimit") != 0:
                found.append(f"{path}: axis {axis}")
            for k, v in node.items():
                walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk(spec, "spec")
    return found


def _long_spine() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"title": t, "unit": "%", "value": 10.0 + i, "england": 12.0, "polarity": "lower-better",
             "lowest": 5.0, "q25": 9.0, "q75": 15.0, "highest": 25.0, "vs_england": w}
            for i, (t, w) in enumerate(zip(LONG_TITLES, ["Better", "Not compared", "Worse"], strict=True))
        ]
    )  # fmt: skip


def _long_group() -> pd.DataFrame:
    return GROUP.assign(area_name=LONG_AREAS, area_code=["E06000058", "E06000032", "E06000010"])


def _every_chart() -> dict[str, object]:
    square = {
        "type": "Polygon",
        "coordinates": [[[-0.5, 51.8], [-0.4, 51.8], [-0.4, 51.9], [-0.5, 51.8]]],
    }
    feats = [{"type": "Feature", "geometry": square, "properties": {"area_code": "E06000032"}}]
    values = pd.DataFrame({"area_code": ["E06000032"], "area_name": ["Luton"], "value": [77.9],
                           "vs_england": ["Not compared"]})  # fmt: skip
    series = SERIES.assign(area_name=SERIES["area_name"].replace("Luton", LONG_AREAS[0]))
    return {
        "trend": trend_chart(series, LONG_TITLES[0], "%")[0],
        "ranked": ranked_bar(_long_group(), LONG_TITLES[1], "%", benchmark=79.4)[0],
        "spine": spine_chart(_long_spine(), "Luton")[0],
        "map": england_map(feats, values, LONG_TITLES[0], "%", home_code="E06000032")[0],
    }


@pytest.mark.parametrize("name", ["trend", "ranked", "spine", "map"])
def test_the_unvalidated_spec_is_the_validated_one(name: str) -> None:
    """spec_of skips the schema check for speed; every chart still passes it, spec unchanged."""
    import altair as alt

    chart = _every_chart()[name]
    with alt.theme.enable("none"), alt.data_transformers.enable("default"):
        validated = chart.to_dict(validate=True)  # raises if the chart breaks the schema
    assert spec_of(chart) == {**validated, "padding": spec_of(chart)["padding"]}


@pytest.mark.parametrize("name", ["trend", "ranked", "spine", "map"])
def test_no_legend_or_row_label_is_cut_short(name: str) -> None:
    spec = _spec(_every_chart()[name])
    assert cut_short(spec) == []
    assert json.dumps(spec).count('"orient": "bottom"') >= (
        name != "spine"
    )  # legends under the plot


def _svg_texts(svg: str) -> list[str]:
    """The text of every line Vega drew (a wrapped label's lines are tspans)."""
    return re.findall(r"<(?:tspan|text)[^>]*>([^<]*)(?=<)", svg)


@pytest.mark.parametrize("width", [390, 1280])  # a phone and the 1,280 px desk screen
@pytest.mark.parametrize(("name", "labels"), [("spine", LONG_TITLES), ("ranked", LONG_AREAS)])
def test_long_labels_are_drawn_whole_at_phone_and_desk_width(name, labels, width) -> None:
    spec = _spec(_every_chart()[name]) | {"width": width - 40}
    svg = chart_bytes(json.dumps(spec), "svg").decode()
    texts = _svg_texts(svg)
    assert not [t for t in texts if "…" in t], [t for t in texts if "…" in t]
    for label in labels:
        shown = f"{label} (home)" if label == "Luton" and name == "ranked" else label
        assert [line for line in wrap(shown, LABEL_WRAP) if line not in texts] == [], shown


def test_rows_grow_to_fit_a_wrapped_label() -> None:
    longest = max(len(wrap(t, LABEL_WRAP)) for t in LONG_TITLES)
    assert longest == 4  # the longest measure title takes four lines
    spec = _spec(spine_chart(_long_spine(), "Luton")[0])
    assert spec["height"] == (LABEL_LINE * longest + 8) * 3  # a row per label, 8 px apart


def test_the_colour_key_names_each_colour_in_words() -> None:
    """The methods page's colour key: capitalised headers, colour names, never a colour code."""
    legend = rating_legend_rows()
    assert list(legend.columns) == ["Word", "Colour", "Meaning"]
    # every verdict's word, and Not tested (shown beside Higher or Lower) right after Lower
    words = list(RATING_COLOURS)
    assert list(legend["Word"]) == [*words[: words.index("Lower") + 1], "Not tested",
                                    *words[words.index("Lower") + 1 :]]  # fmt: skip
    colours = legend.set_index("Word")["Colour"]
    assert (colours["Better"], colours["Similar"], colours["Worse"]) == (
        "Blue", "Amber", "Vermilion (orange-red)",
    )  # fmt: skip
    assert colours["Best fifth"] == "Darkest purple" and colours["Worst fifth"] == "Lightest purple"
    assert (
        colours["Middle fifth"] == colours["Not compared"] == colours["Not tested"] == "No colour"
    )
    meaning = legend.set_index("Word")["Meaning"]
    assert meaning["Not compared"].startswith("No value for the area, or no benchmark figure")
    assert "no confidence interval or significance judgement" in meaning["Not tested"]
    assert not legend.map(lambda v: str(v).startswith("#")).any().any()


# -- charts fit a phone and a desk screen as Streamlit draws them --------------------------------


def as_drawn(spec: dict, width: int) -> dict:
    """The spec as Streamlit draws it in a container `width` px wide: the container's width, and
    autosize fit unless the spec says how it sizes itself (what Streamlit does)."""
    return {"autosize": {"type": "fit", "contains": "padding"}, **spec, "width": width}


def _svg_size(svg: str) -> tuple[float, float]:
    w, h = re.search(r'<svg[^>]*width="([0-9.]+)" height="([0-9.]+)"', svg).groups()
    return float(w), float(h)


def _right_edge_is_blank(png: bytes) -> bool:
    """Nothing is drawn in the image's last 8 px: no text or mark runs past the chart's box."""
    import io

    from PIL import Image

    im = Image.open(io.BytesIO(png)).convert("RGBA")
    edge = im.crop((im.width - 8, 0, im.width, im.height))
    return all(a == 0 or (r, g, b) == (255, 255, 255) for r, g, b, a in edge.get_flattened_data())


def _long_spine_fifths() -> pd.DataFrame:
    words = ["Best fifth", "Better fifth", "Worse fifth", "Worst fifth", "Middle fifth"]
    titles = [*LONG_TITLES, "Children achieving a good level of development at the end of Reception",
              "Children at the expected level in literacy at the end of Reception"]  # fmt: skip
    return pd.DataFrame(
        [
            {"title": t, "unit": "%", "value": 6.0 + 4 * i, "england": 12.0,
             "polarity": "lower-better", "lowest": 5.0, "q25": 9.0, "q75": 15.0,
             "highest": 25.0, "vs_group": w}
            for i, (t, w) in enumerate(zip(titles, words, strict=True))
        ]
    )  # fmt: skip


def test_the_fifths_each_have_their_own_marker_shape() -> None:
    from lutonwb.ui.charts import RATING_SHAPES

    fifths = ["Best fifth", "Better fifth", "Middle fifth", "Worse fifth", "Worst fifth"]
    assert len({RATING_SHAPES[w] for w in fifths}) == 5
    spec = _spec(
        spine_chart(_long_spine_fifths(), "Luton", "vs_group", "Statistical neighbours")[0]
    )
    shape = next(la["encoding"]["shape"] for la in _layers(spec) if "shape" in la["encoding"])
    assert len(set(shape["scale"]["range"])) == len(shape["scale"]["domain"]) == 5


def test_row_charts_keep_their_rows_under_a_legend_and_a_long_subtitle() -> None:
    """Streamlit fitted the whole spine (title, six-line subtitle, legend) into its height, so
    three-line labels ran into the next row at 1,280 px. Fit to the width only, each row keeps a
    step of at least its label's lines."""
    rows = _long_spine_fifths()
    subtitle = ["Source: " + "; ".join(["DWP/HMRC Children in low income families"] * 6) + "."]
    spec = _spec(spine_chart(rows, "Luton", "vs_group", "Statistical neighbours", subtitle)[0])
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    longest = max(len(wrap(t, LABEL_WRAP)) for t in rows["title"])
    assert spec["height"] / len(rows) >= LABEL_LINE * longest + 6
    svg = chart_bytes(json.dumps(as_drawn(spec, 1240)), "svg").decode()
    ys = sorted(
        float(y) for y in re.findall(r'aria-roledescription="bar" d="M[^,]*,([0-9.]+)', svg)
    )
    steps = {round(b - a) for a, b in zip(ys, ys[1:], strict=False) if b - a > 1}
    assert steps and min(steps) >= LABEL_LINE * longest + 6  # no label reaches the next row


def _every_titled_chart() -> dict[str, dict]:
    charts = _every_chart()
    return {
        "trend": spec_of(charts["trend"]),
        "ranked": spec_of(ranked_bar(_long_group(), LONG_TITLES[1], "%", 79.4, "Statistical "
                                   "neighbours (CSSNBT 2021) average", "", "Statistical "
                                   "neighbours (CSSNBT 2021)")[0]),
        "spine": spec_of(spine_chart(_long_spine_fifths(), "Luton", "vs_group",
                                   "Statistical neighbours (CSSNBT 2021)", LONG_TITLES)[0]),
    }  # fmt: skip


@pytest.mark.parametrize("width", [350, 1240])  # the chart's box on a 390 px phone and at 1,280
@pytest.mark.parametrize("name", ["trend", "ranked", "spine"])
def test_titles_wrap_and_charts_fit_their_box(name: str, width: int) -> None:
    spec = _every_titled_chart()[name]
    title = spec["title"]
    assert title["limit"] == 0 and all(len(line) <= PHONE_WRAP for line in title["text"])
    svg = chart_bytes(json.dumps(as_drawn(spec, width)), "svg").decode()
    texts = _svg_texts(svg)
    assert not [t for t in texts if "…" in t]
    assert all(line in texts for line in title["text"])  # every title line drawn whole
    assert _svg_size(svg)[0] <= width + 1
    assert _right_edge_is_blank(chart_bytes(json.dumps(as_drawn(spec, width)), "png"))
    assert spec["padding"]["top"] >= 8  # the title's top is never cut


def test_the_ranked_bar_names_its_group_and_benchmark() -> None:
    spec = _every_titled_chart()["ranked"]
    assert " ".join(spec["title"]["text"]).endswith(
        ": Luton among Statistical neighbours (CSSNBT 2021)"
    )
    assert " ".join(spec["title"]["subtitle"]) == (
        "Dashed line: Statistical neighbours (CSSNBT 2021) average, 79.4%."
    )


def test_a_saved_row_chart_is_as_wide_as_on_a_desk() -> None:
    from lutonwb.ui.charts import SAVED_WIDTH

    spec = spec_of(spine_chart(_long_spine_fifths(), "Luton", "vs_group", "Similar areas")[0])
    svg = chart_bytes(json.dumps(spec), "svg").decode()
    assert _svg_size(svg)[0] == SAVED_WIDTH
    assert "Better fifth" in _svg_texts(svg) and "Worst fifth" in _svg_texts(svg)


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "text"),
    [
        (1234.56, "per 100,000", 0, "1,235 per 100,000"),
        (7.6649, "ratio", 2, "7.66 ratio"),
        (0.0612, "%", 2, "0.06%"),
        (12.345, "%", 1, "12.3%"),
        (6362.4, "per 100,000", 1, "6,362 per 100,000"),  # no needless decimal from 1,000 up
        (631.46, "£", 0, "£631"),
        (-0.004, "%", 2, "0.00%"),  # never a negative zero
    ],
)
def test_fmt_to_the_measures_decimals(value, unit, decimals, text) -> None:
    assert fmt(value, unit, decimals) == text


def _tooltip_formats(spec: dict) -> set[str]:
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "quantitative" and "format" in node:
                found.add(node["format"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return found


def test_charts_caption_and_tooltip_to_the_measures_decimals() -> None:
    """A measure shown to no decimal places says so in its captions and tooltips, not 78.0."""
    chart, caption = trend_chart(SERIES, "Life expectancy", "years", "Luton", decimals=0)
    assert "Luton went from 78 years in 2016-18 to 78 years in 2018-20" in caption
    assert "England: 79 years" in caption
    assert _tooltip_formats(_spec(chart)) == {",.0f"}
    chart, caption = ranked_bar(GROUP, "Ratio", "ratio", 78.25, "England", "higher-better", "G", 2)
    assert "from Slough (79.00 ratio) to Birmingham (76.80 ratio)" in caption
    assert "Luton: 77.90 ratio" in caption and "78.25" in chart.to_json()
    assert _tooltip_formats(_spec(chart)) == {",.2f"}
    _, caption = ranked_bar(GROUP, "Life expectancy", "years")  # no places given: one
    assert "Slough (79.0 years)" in caption


def test_spine_tooltips_follow_each_rows_decimals() -> None:
    rows = pd.DataFrame(
        [
            {"title": "A", "unit": "per 100,000", "value": 512.34, "england": 498.76, "polarity": "lower-better", "lowest": 300.0, "q25": 400.0, "q75": 600.0, "highest": 900.0, "vs_england": "Similar", "decimals": 0},
            {"title": "B", "unit": "ratio", "value": 8.456, "england": 7.912, "polarity": "lower-better", "lowest": 4.0, "q25": 6.0, "q75": 9.0, "highest": 20.0, "vs_england": "Worse", "decimals": 2},
        ]
    )  # fmt: skip
    spec = _spec(spine_chart(rows, "Luton")[0])
    texts = {
        (r["title"], r["value_text"], r["england_text"])
        for data in spec.get("datasets", {}).values()
        for r in data
        if "value_text" in r
    }
    assert texts == {("A", "512 per 100,000", "499 per 100,000"), ("B", "8.46 ratio", "7.91 ratio")}
