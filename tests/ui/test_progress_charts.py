"""The progress page's charts: each builds a Vega-Lite spec whose caption carries the figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lutonwb import funnel as fu
from lutonwb.catalogue import load_catalogue
from lutonwb.engine import Engine
from lutonwb.place import load_place
from lutonwb.progress import measure_progress
from lutonwb.progress.inside import inside_gaps
from lutonwb.ui import progress_charts as pc
from tests.ui.test_charts import cut_short

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def engine(wh):
    return Engine(wh, load_catalogue())


def test_designation_chart(engine):
    row = measure_progress(engine, "claimant-count", "E06000032", "england").iloc[0]
    chart, caption = pc.designation_chart(row, "Luton", "England")
    assert chart.to_dict()["layer"]
    assert cut_short(chart.to_dict()) == []  # 'England (average)' is never cut with '…'
    assert "Luton changed by -0.6" in caption and "Descriptive, not causal" in caption


def test_inside_charts(wh):
    fuel, children, wards = inside_gaps(wh, load_place(ROOT / "data" / "places" / "luton"))
    chart, caption = pc.gap_chart(fuel)
    assert "2012 to 2022" in caption and "Verdict: narrowing" in caption
    assert cut_short(chart.to_dict()) == []
    chart, caption = pc.moves_chart(wards)
    assert cut_short(chart.to_dict()) == []  # every ward's name whole
    assert caption.endswith(f"is {wards.verdict.word}.")


def test_funnel_chart_highlights_home_and_group(engine):
    f = fu.measure_funnel(engine, "fuel-poverty")
    roles = {"E06000032": "home", "E06000039": "group"}
    chart, caption = pc.funnel_chart(f, roles, "Fuel poverty", "%", "England's value")
    spec = chart.to_dict()
    assert len(spec["layer"]) == 3
    assert cut_short(spec) == []
    dots = spec["layer"][-1]["encoding"]
    assert dots["color"]["scale"]["domain"] == ["Home area", "Group member", "Other area"]
    assert "home" not in {d.get("role") for d in spec["datasets"][dots_data(spec)]}
    assert "153 areas against England's value (13.1%)" in caption
    assert "adjusted for overdispersion" in caption
    _, caption = pc.funnel_chart(f, roles, "Fuel poverty", "%", "England's value", 2)
    assert "153 areas against England's value (13.05%)" in caption  # two places given
    tips = [t for t in dots["tooltip"] if t["field"] == "value"]
    assert tips[0]["format"] == ",.1f"  # the first chart: no places given, one
    tips = [t for t in chart_dots(f, roles, 0)["tooltip"] if t["field"] == "value"]
    assert tips[0]["format"] == ",.0f"


def chart_dots(f, roles, decimals) -> dict:
    """The funnel points' encoding when drawn to `decimals` places."""
    chart, _ = pc.funnel_chart(f, roles, "Fuel poverty", "%", "England's value", decimals)
    return chart.to_dict()["layer"][-1]["encoding"]


def dots_data(spec: dict) -> str:
    """The dataset the funnel's points are drawn from (the one with an area name)."""
    return next(k for k, rows in spec["datasets"].items() if rows and "area_name" in rows[0])


def test_designation_caption_judges_by_polarity(engine):
    # claimant count is lower-better: the caption says better or worse by that polarity alone
    row = measure_progress(engine, "claimant-count", "E06000032", "england").iloc[0].copy()
    row["designation_verdict"], row["designation_verdict_method"] = "Worse", "by 95% interval"
    _, caption = pc.designation_chart(row, "Luton", "England")
    assert "Against England's average, Luton's change was worse (by 95% interval)." in caption
    row["designation_verdict"], row["designation_verdict_method"] = "Higher", "not tested"
    _, caption = pc.designation_chart(row, "Luton", "England")
    assert "Luton's change was higher (not tested)." in caption
    assert "better" not in caption and "worse" not in caption


def test_moves_caption_with_too_few_wards(wh):
    from lutonwb.progress.inside import InsideGap
    from lutonwb.progress.trend import GapTrend

    table = pd.DataFrame(
        {
            "ward": ["A", "B", "C"],
            "rank_2019": [1, 2, 3],
            "rank_2025": [2, 1, 3],
            "moved": [-1, 1, 0],
        }
    )
    g = InsideGap("Wards", table, {"editions": GapTrend("not enough data", float("nan"), "")})
    _, caption = pc.moves_chart(g)
    assert caption == (
        "Wards: 2 of 3 wards changed rank within the place; there are too few wards to compare "
        "the most and least deprived fifths."
    )


@pytest.mark.parametrize("width", [350, 1240])  # the chart's box on a 390 px phone and at 1,280
def test_progress_titles_wrap_whole_and_charts_fit_their_box(engine, wh, width):
    """'Fuel poverty: most against least deprived fif…' was cut on a phone: titles now wrap."""
    import json

    from lutonwb.ui.charts import PHONE_WRAP, chart_bytes, spec_of
    from tests.ui.test_charts import _right_edge_is_blank, _svg_texts, as_drawn

    fuel, _, wards = inside_gaps(wh, load_place(ROOT / "data" / "places" / "luton"))
    row = measure_progress(engine, "claimant-count", "E06000032", "england").iloc[0]
    charts = [pc.gap_chart(fuel)[0], pc.moves_chart(wards)[0],
              pc.designation_chart(row, "Luton", "Statistical neighbours (CSSNBT 2021)")[0]]  # fmt: skip
    assert (
        fuel.title.startswith("Fuel poverty: most against least deprived") and len(fuel.title) > 44
    )
    for chart in charts:
        spec = spec_of(chart)
        lines = spec["title"]["text"]
        assert spec["title"]["limit"] == 0 and all(len(x) <= PHONE_WRAP for x in lines)
        drawn = json.dumps(as_drawn(spec, width))
        texts = _svg_texts(chart_bytes(drawn, "svg").decode())
        assert all(x in texts for x in lines) and not [t for t in texts if "…" in t]
        assert _right_edge_is_blank(chart_bytes(drawn, "png")), lines
