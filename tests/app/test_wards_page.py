"""Ward maps page under AppTest: default view, deep links, malformed parameters, the words and
tables a resident reads, and the CSVs beside them."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from streamlit.runtime.context import ContextProxy
from streamlit.testing.v1 import AppTest

from lutonwb.ui.widgets import SHARE_LABEL, shown_share_link
from tests.app.test_pages import downloads  # noqa: F401 (a fixture: the CSVs each run offers)
from tests.tables import static_tables

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "wards.py")
# the ranked table's CSV is named in words, never by the layer's id
RANKED_CSV = "luton-iod-2025-index-of-multiple-deprivation-wards-from-may-2023.csv"


def _run(warehouse_dir, **params) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def ranked_table(at: AppTest) -> pd.DataFrame:
    """The ranked table of every area (a wrapping HTML table)."""
    return next(t.value for t in static_tables(at) if "Rank (1 = best)" in t.value.columns)


def test_default_view(warehouse_dir) -> None:
    at = _run(warehouse_dir)
    assert at.title[0].value.startswith("Ward maps")
    assert at.selectbox(key="w_layer").value == "iod25-imd"
    assert at.radio(key="w_geo").value == "wd23"
    assert not at.info, "no notice on the default view"
    headers = [h.value for h in at.header]
    assert headers[:3] == ["Ward profile", "Ranked table", "Inequality inside Luton"]
    assert any("Barnfield" in m.value and "Central" in m.value for m in at.markdown)
    assert not at.dataframe  # no scrolling grid: the legend is a static table
    assert [list(t.value.columns) for t in static_tables(at)] == [["Colour", "Class", "Areas"]]
    ranked = ranked_table(_run(warehouse_dir, ranked="1"))
    assert len(ranked) == 20
    # "Every area ranked, worst first": the most deprived ward heads the list
    assert (ranked["Area"].iloc[0], ranked["Value (score)"].iloc[0]) == ("Central", "54.8")
    assert (ranked["Area"].iloc[-1], ranked["Value (score)"].iloc[-1]) == ("Barnfield", "10.5")
    assert any("Map of Luton's 20 wards" in m.value for m in at.markdown)


def test_deep_link_selects_ward_profile(warehouse_dir) -> None:
    at = _run(
        warehouse_dir, layer="census-deprived-any", geo="lsoa21", ward="E05014737", ranked="1"
    )
    assert at.selectbox(key="w_layer").value == "census-deprived-any"
    assert at.radio(key="w_geo").value == "lsoa21"
    assert at.selectbox(key="w_ward").value == "E05014737"
    assert at.subheader[0].value == "Biscot"
    assert at.query_params["ward"] == ["E05014737"] or at.query_params["ward"] == "E05014737"
    assert len(ranked_table(at)) == 125  # the ranked table at LSOA level


def test_ward_maps_say_which_lsoas_straddle(warehouse_dir) -> None:
    text = " ".join(m.value for m in _run(warehouse_dir).markdown)
    assert "6 of Luton's 125 neighbourhoods straddle a ward boundary" in text
    lsoa_view = " ".join(m.value for m in _run(warehouse_dir, geo="lsoa21").markdown)
    assert "straddle a ward boundary" not in lsoa_view  # only where LSOAs are summed into wards


@pytest.mark.parametrize(
    ("layer", "geo", "areas"),
    [("iod25-rank-imd", "lsoa21", 125), ("imd19-extent-income", "wd13", 19),
     ("census-dimensions-3", "wd23", 20), ("imd19-rank-health", "lsoa11", 121)],
)  # fmt: skip
def test_detail_layers_open_from_a_deep_link(warehouse_dir, layer, geo, areas) -> None:
    at = _run(warehouse_dir, layer=layer, geo=geo, ranked="1")
    assert at.selectbox(key="w_layer").value == layer
    assert not at.info
    assert len(ranked_table(at)) == areas


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"layer": "no-such-layer"}, "no map layer called"),
        ({"layer": "imd19-imd", "geo": "lsoa21"}, "not available for"),
        ({"geo": "<script>"}, "not a geography"),
        ({"ward": "E05099999"}, "is not one of Luton's 20 wards (boundaries from May 2023)"),
        ({"ward": "E05002193"}, "pre-2023 ward"),
        ({"ward": "x" * 500}, "is not one of Luton's 20 wards (boundaries from May 2023)"),
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


def _deck(at: AppTest) -> dict:
    proto = at.get("deck_gl_json_chart")[0].proto
    return {**json.loads(proto.json), "tooltip": json.loads(proto.tooltip)}


def test_the_map_names_its_wards_and_speaks_plainly(warehouse_dir) -> None:
    deck = _deck(_run(warehouse_dir))
    names = next(lyr for lyr in deck["layers"] if lyr["@@type"] == "TextLayer")["data"]
    assert len(names) == 20 and {"Biscot", "Barnfield"} <= {n["name"] for n in names}
    assert "{label}" in deck["tooltip"]["html"]
    data = next(lyr for lyr in deck["layers"] if lyr["id"] == "areas")["data"]
    # the polygons are a static file the browser fetches (server.enableStaticServing)
    assert re.fullmatch(r"app/static/wards/[0-9a-f]{12}-[0-9a-f]{8}/iod25-imd-wd23\.json", data), (
        data
    )
    static = Path(__file__).resolve().parents[2] / "static"
    areas = json.loads((static / data.removeprefix("app/static/")).read_text())["features"]
    biscot = next(f["properties"] for f in areas if f["properties"]["name"] == "Biscot")
    assert biscot["display"].startswith("IoD 2025: Index of Multiple Deprivation: ")
    assert biscot["display"].count("score") == 1  # the unit once, after the value
    assert "most deprived of 20 wards" in biscot["display"]


def test_find_my_ward_by_a_neighbourhood_opens_its_ward(warehouse_dir) -> None:
    at = _run(warehouse_dir)
    finder = at.selectbox(key="w_ward")
    assert "Neighbourhood 1 of Biscot (Luton " in " ".join(map(str, finder.options))
    at.selectbox(key="w_ward").set_value("E01015693").run()  # Luton 007A, in Barnfield
    assert not at.exception
    assert at.selectbox(key="w_ward").value == "E05014735"
    assert at.subheader[0].value == "Barnfield"
    qp = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert qp["ward"] == "E05014735"


def test_profile_is_in_plain_words_and_its_tables_have_csvs(warehouse_dir, downloads) -> None:  # noqa: F811
    at = _run(warehouse_dir, ward="E05014737", ranked="1", inequality="1", composite="1")
    text = " ".join(m.value for m in at.markdown)
    assert "most deprived areas in England" in text and "Median national decile" not in text
    assert "ridit" not in text.lower() and "E01" not in text
    hoods = next(t.value for t in static_tables(at) if "Neighbourhood" in t.value.columns)
    assert hoods["Neighbourhood"].str.match(r"Neighbourhood \d+ of Biscot").all()
    assert set(hoods["Crosses a ward boundary"]) <= {"Yes", "No"}
    files = {name: data for name, data in downloads.values()}
    assert {
        "luton-biscot-profile.csv", RANKED_CSV, "luton-inequality.csv",
        "luton-map-legend.csv",
    } <= set(files)  # fmt: skip
    legend = pd.read_csv(io.BytesIO(files["luton-map-legend.csv"]()))
    assert list(legend.columns) == ["Class", "Areas"] and legend["Areas"].sum() == 20
    assert legend["Class"].str.fullmatch(r"\d+\.\d to \d+\.\d").all()  # rounded, no 54.8476
    ranked = pd.read_csv(io.BytesIO(files[RANKED_CSV]()))
    assert list(ranked.columns)[:3] == ["Rank (1 = best)", "Area", "Value (score)"]
    assert (ranked["Value (score)"] == ranked["Value (score)"].round(1)).all()
    # listed worst first, as the section says; its rank still counts 1 = best
    assert ranked["Rank (1 = best)"].iloc[0] == 20 and ranked["Rank (1 = best)"].iloc[-1] == 1
    assert ranked["Value (score)"].iloc[0] == ranked["Value (score)"].max()
    assert ranked["Value (score)"].is_monotonic_decreasing
    ineq = pd.read_csv(io.BytesIO(files["luton-inequality.csv"]()))
    gap = "Gap, worst ward against best (positive = worse)"
    modelled = "Modelled gap, most against least deprived neighbourhoods (positive = worse)"
    both = ineq.set_index("Measure").loc[
        "Census 2021: households deprived in two or more dimensions"
    ]
    assert both[gap] > 0 and both[modelled] > 0  # worse at the deprived end: one sign for both
    profile = pd.read_csv(io.BytesIO(files["luton-biscot-profile.csv"]()))
    assert profile["Measure"].is_unique and "Value" in profile.columns
    # the composite's scores to one precision per column (never 1.4 beside 1.03), no '-0.00'
    comp = pd.read_csv(io.BytesIO(files["luton-composite.csv"]()), dtype=str)
    for col in ("Basic human needs", "Foundations of wellbeing", "Opportunity", "Composite"):
        assert comp[col].str.fullmatch(r"-?\d+\.\d\d").all() and "-0.00" not in set(comp[col])
    shown_comp = next(t.value for t in static_tables(at) if "Composite" in t.value.columns)
    assert shown_comp["Composite"].str.fullmatch(r"-?\d+\.\d\d").all()
    assert shown_comp["Composite"].tolist() == comp["Composite"].tolist()  # as the CSV says
    shown = ranked_table(at)
    assert list(shown.columns)[:3] == ["Area", "Value (score)", "Rank (1 = best)"]  # phone keeps
    assert shown["Value (score)"].str.fullmatch(r"\d+\.\d").all()  # one place, as text
    keys = [b.key for b in at.get("download_button")]
    assert keys == [
        f"csv-w_{k}"
        for k in ("legend", "profile", "hoods", "ranked", "inequality", "composite", "sensitivity")
    ]


def test_every_table_below_the_map_wraps_and_keeps_its_names_values_and_verdicts(
    warehouse_dir,
    downloads,  # noqa: F811
) -> None:
    """On a phone a static table keeps its first four columns (.streamlit/focus.css) and never
    scrolls sideways: each table puts its name, value and verdict there; the legend (three
    narrow columns, its swatches coloured cells) is a static table too. Each has its CSV beside
    it, with plain headers and no codes."""
    at = _run(warehouse_dir, ward="E05014737", ranked="1", inequality="1", composite="1")
    assert not at.dataframe
    legend = static_tables(at)[0].value
    assert list(legend.columns) == ["Colour", "Class", "Areas"]
    assert legend["Colour"].eq("").all() and legend["Areas"].sum() == 20
    styles = static_tables(at)[
        0
    ].proto.arrow_data.styler.styles  # each class's swatch: a coloured cell
    swatches = re.findall(r"_row(\d+)_col0 \{ background-color: (#[0-9a-f]{6}) \}", styles)
    assert [int(r) for r, _ in swatches] == list(range(len(legend))), styles
    assert len({c for _, c in swatches}) == len(legend)
    firsts = [list(t.value.columns)[:4] for t in static_tables(at)[1:]]
    assert firsts == [
        ["Measure", "Biscot", "Among Luton's 20 wards", "Range across the wards"],
        ["Neighbourhood", "In England, 2025", "In England, 2019", "Households (2021)"],
        ["Area", "Value (score)", "Rank (1 = best)"],
        ["Measure", "Worst ward", "Best ward", "Gap, worst ward against best (positive = worse)"],
        ["Ward", "Composite", "Rank (1 = best)", "Basic human needs"],
        ["Ward", "Rank: equal weights", "Change (50/25/25 weights)", "Change (0-to-1 scaling)"],
    ]
    ineq = next(t.value for t in static_tables(at) if "Worst ward" in t.value.columns)
    imd = ineq.set_index("Measure").loc["IoD 2025: Index of Multiple Deprivation"]
    assert re.fullmatch(r"[A-Z][A-Za-z ]+: \d+\.\d", imd["Worst ward"]), imd["Worst ward"]
    files = {name: data for name, data in downloads.values()}
    for name in ("luton-inequality.csv", "luton-composite.csv", "luton-composite-sensitivity.csv"):
        csv = files[name]().decode()
        assert not re.search(r"E0\d{7}|_", csv.splitlines()[0]), name  # plain headers, no codes
        assert not re.search(r"E0\d{7}", csv), name
    ineq_csv = pd.read_csv(io.BytesIO(files["luton-inequality.csv"]()))
    row = ineq_csv.set_index("Measure").loc["IoD 2025: Index of Multiple Deprivation"]
    assert imd["Worst ward"] == f"{row['Worst ward']}: {row['Worst value']:.1f}"


def _visible_text(at: AppTest) -> str:
    """Everything a reader reads on the page except the shareable link's URL itself."""
    parts = [str(e.value) for kind in ("title", "header", "subheader", "markdown", "caption",
                                       "info", "warning") for e in getattr(at, kind)]  # fmt: skip
    return "\n".join(p for p in parts if not p.startswith(SHARE_LABEL))


def test_the_map_caption_reads_plainly(warehouse_dir) -> None:
    text = _visible_text(_run(warehouse_dir))
    assert (
        "Map of Luton's 20 wards on the boundaries used from May 2023, coloured by IoD 2025: "
        "Index of Multiple Deprivation. Unit: score. 5 classes of about equal size"
    ) in text
    assert "(score)" not in text and not re.search(r"\bmay 20", text)  # unit once, May capital


@pytest.mark.parametrize(
    ("params", "layer"),
    [({}, "iod25-imd"), ({"layer": "census-deprived-any", "geo": "lsoa21", "ward": "E05014737"},
                         "census-deprived-any")],
)  # fmt: skip
def test_the_share_link_is_the_full_address_and_no_id_is_shown(
    warehouse_dir, monkeypatch, params, layer
) -> None:
    monkeypatch.setattr(
        ContextProxy, "url", property(lambda _self: "https://monitor.example/wards")
    )
    at = _run(warehouse_dir, **params)
    link = shown_share_link([str(m.value) for m in at.markdown])
    assert link.startswith("https://monitor.example/wards?") and f"layer={layer}" in link
    back = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    url = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert back == url  # the link opens this very view
    visible = _visible_text(at)
    assert layer not in visible and "wd23" not in visible and "lsoa21" not in visible
    assert "E05014737" not in visible and "E01" not in visible  # no codes as labels


@pytest.mark.parametrize(
    ("layer", "geo"),
    [("iod25-imd", "lsoa21"), ("imd19-extent-income", "wd13"), ("iod25-rank-imd", "lsoa21")],
)
def test_ward_tables_tooltips_and_notes_speak_plainly(warehouse_dir, layer, geo) -> None:
    params = {"ranked": "1", "inequality": "1", "composite": "1", "ward": "E05014737"}
    at = _run(warehouse_dir, layer=layer, geo=geo, **params)
    text = _visible_text(at)
    for jargon in ("ridit", "TS011", "2021-LSOA", "SII"):  # LSOA itself: in the glossary
        assert jargon not in text, jargon
    assert "z-score" not in text or "statisticians call this a z-score" in text  # explained
    for df in [d.value for d in at.dataframe] + [t.value for t in static_tables(at)]:
        headers = " ".join(map(str, df.columns))
        assert "_" not in headers and "((" not in headers, headers  # no raw names, no (( ))
        labels = df.astype(str)
        assert not labels.apply(lambda c: c.str.fullmatch(r"E0\d{7}")).any().any()  # no codes
    static = Path(__file__).resolve().parents[2] / "static"
    data = next(lyr for lyr in _deck(at)["layers"] if lyr["id"] == "areas")["data"]
    tips = [
        f["properties"]
        for f in json.loads((static / data.removeprefix("app/static/")).read_text())["features"]
    ]
    for tip in tips:
        assert not re.search(r"E0\d{7}", tip["label"] + tip["display"]), tip
        assert "IoD2025" not in tip["display"] and "IoD2019" not in tip["display"]
        unit = "score" if layer == "iod25-imd" else "%"
        assert tip["display"].count(unit) <= 1, tip["display"]


@pytest.mark.parametrize("cmp", ["region", "custom"])
def test_the_comparator_is_kept_through_the_ward_page(warehouse_dir, monkeypatch, cmp) -> None:
    """The ward maps compare with nothing, but keep the reader's comparator (a custom group with
    its members) in the address bar, in the page's own link and for the next page."""
    monkeypatch.setattr(
        ContextProxy, "url", property(lambda _self: "https://monitor.example/wards")
    )
    members = "E06000039,E08000025"
    extra = {"with": members} if cmp == "custom" else {}
    at = _run(warehouse_dir, cmp=cmp, ward="E05014737", **extra)
    assert not at.info and not at.warning
    url = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert url["cmp"] == cmp and url["ward"] == "E05014737" and url.get("with") == extra.get("with")
    link = shown_share_link([str(m.value) for m in at.markdown])
    back = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert back == url  # the link carries it too
    assert at.session_state["_url_memory"] == {"cmp": cmp, **extra}  # the next page reads it


def test_an_unknown_comparator_on_the_ward_page_falls_back_with_a_notice(warehouse_dir) -> None:
    at = _run(warehouse_dir, cmp="nope")
    assert any("Comparator 'nope' is not known" in i.value for i in at.info)
    assert dict(at.query_params)["cmp"] == "england"


def test_the_legend_is_replayed_beside_the_map_on_every_rerun(warehouse_dir) -> None:
    """The legend's styled table is drawn once per layer and geography and replayed after: a
    rerun, and a return to a layer, show the same swatches in the column beside the map, and
    another layer shows its own."""

    def legend_in_right_column(at: AppTest):
        cols = list(at.columns)
        right = next(i for i, c in enumerate(cols) if c.get("table"))
        assert cols[right - 1].get("deck_gl_json_chart"), "the legend sits beside the map"
        (table,) = cols[right].get("table")
        return table.value, table.proto.arrow_data.styler.styles

    at = _run(warehouse_dir)
    first = legend_in_right_column(at)
    assert first[0]["Areas"].sum() == 20 and "background-color" in first[1]
    at.run()
    again = legend_in_right_column(at)
    assert again[0].equals(first[0]) and again[1] == first[1]
    picker = at.selectbox(key="w_layer")
    start, other = picker.value, next(i for i in picker.options if i != picker.value)
    picker.set_value(other).run()
    changed = legend_in_right_column(at)
    assert not changed[0].equals(first[0]) or changed[1] != first[1]
    at.selectbox(key="w_layer").set_value(start).run()
    back = legend_in_right_column(at)
    assert back[0].equals(first[0]) and back[1] == first[1]
