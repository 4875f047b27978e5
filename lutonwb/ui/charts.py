"""Altair charts for the monitor: trend, ranked bar, spine and England map, each with a caption.

Every builder takes a small tidy frame and returns (chart, caption): the caption says in words
what the chart shows, so no reader depends on colour or on seeing the picture. Axis titles carry
units. Colours are colour-blind safe (Okabe-Ito based) and every colour has its word beside it.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from lutonwb.engine.vocab import (
    COLOUR_NAMES,
    NO_COLOUR,
    NOT_COMPARED,
    NOT_TESTED,
    VERDICT_COLOURS,
    VERDICT_MEANINGS,
    VERDICT_TEXT,
)
from lutonwb.text import titled_with_unit
from lutonwb.ui.state import period_order, period_words


class _LazyAltair:
    """Altair, imported on first use: the pages without charts (and the cold start, which opens
    the overview) do not pay its ~0.3 s import."""

    def __getattr__(self, name: str) -> Any:
        import altair

        return getattr(altair, name)


alt: Any = _LazyAltair()

# Rating words -> fill and text colour: the engine's vocab holds them (one place).
RATING_COLOURS: dict[str, str] = VERDICT_COLOURS
RATING_TEXT: dict[str, str] = VERDICT_TEXT  # readable text colour on each fill
ROLE_ORDER = ("home", "england", "region", "group average")
ROLE_COLOURS = ("#000000", "#0072B2", "#009E73", "#CC79A7")
ROLE_DASH = ([1, 0], [6, 3], [2, 2], [8, 2, 2, 2])
HOME_COLOUR = "#1D3557"
OTHER_COLOUR = "#A6A6A6"
BREAK_COLOUR = "#8C8C8C"  # points from before a definition change
# Streamlit draws charts with autosize fit-x/fit-y: a spec's height is the WHOLE element (chart
# title, axis labels and titles included), so the plot gets only what the furniture leaves.
TREND_HEIGHT = 400
# Row charts fit the width only: their height is the plot's own (rows x step), so a legend, a
# subtitle or wrapped titles add height instead of squeezing the rows (Streamlit keeps a spec's
# own autosize).
FIT_WIDTH = {"type": "fit-x", "contains": "padding"}
SAVED_WIDTH = 760  # px of a saved row chart (on screen it takes its container's width)
PADDING = {"top": 10, "bottom": 6, "left": 6, "right": 10}  # the title's top and edge labels whole
ROW_STEP = 24  # px per row of a bar/spine chart, so every row label fits and none is dropped
TITLE_WRAP = 70  # characters per line of a chart title
PHONE_WRAP = 44  # characters per line of text that must fit a 390 px phone (the spine chart)
PLOT_WRAP = 24  # characters per line of text under a row chart's plot (its x title, its legend):
# on a phone the row labels take half the width, and what sits under the plot starts at its left
AXIS_WRAP = 34  # characters per line of a vertical axis title (kept well under the plot height)
LABEL_WRAP = 30  # characters per line of a row label: about 165 px of 10 px type, beside the plot
LABEL_LINE = 12  # px per line of a 10 px axis label (Vega's line height)
# A row label broken at spaces into lines of at most LABEL_WRAP characters, in Vega's expression
# language (the same greedy rule as wrap() below), so no label is ever cut short with '…'.
_LABEL_LINES = f"split(trim(replace(datum.label, /(.{{1,{LABEL_WRAP}}})( +|$)/g, '$1\\n')), '\\n')"


def axis_title(title: str, unit: str) -> str:
    """'Title (unit)' for an axis, or the title alone when there is no unit."""
    return titled_with_unit(title, unit)


def wrap(text: str, width: int) -> list[str]:
    """Text broken at spaces into lines of at most `width` characters (Vega-Lite draws a list
    as lines), so a long title never outgrows the chart it labels."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def fmt(value: float | None, unit: str = "", decimals: int | None = None) -> str:
    """A value for a caption with its unit, to the measure's `decimals` (lutonwb.catalogue
    places; one place when not given); a one-place figure from 1,000 up shows none, as tables do."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "no value"
    v = float(value)
    text = f"{v:,.{shown_places(v, decimals)}f}"
    text = text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # no -0.0
    unit = (unit or "").strip()
    if unit == "%":
        return text + "%"
    if unit == "£":
        return "£" + text
    return f"{text} {unit}".strip()


def shown_places(value: float, decimals: int | None) -> int:
    """The places a figure is written to: `decimals` (one when None), none for a one-place
    figure from 1,000 up (a rate of 6,362 per 100,000, not 6,362.0)."""
    d = 1 if decimals is None else int(decimals)
    return 0 if d == 1 and abs(value) >= 1000 else d


def number_format(decimals: int | None) -> str:
    """A Vega-Lite tooltip's number format to the measure's places (',.1f' when not given)."""
    return f",.{1 if decimals is None else int(decimals)}f"


def _period_order(df: pd.DataFrame) -> list[str]:
    if "period_start" in df.columns:
        df = df.sort_values("period_start")
    return list(dict.fromkeys(df["period"].astype(str)))


def _trend_frame(series: pd.DataFrame) -> pd.DataFrame:
    """The trend's points in period order, each with its legend label and a before_break flag."""
    df = series.dropna(subset=["value"]).copy()
    if "period_start" in df.columns:
        df["period_start"] = pd.to_datetime(df["period_start"], errors="coerce")
        df = df.sort_values(["period_start", "period"], kind="stable")
    df["period"] = df["period"].astype(str)
    df["role"] = df["role"].astype(str)
    df["label"] = df.apply(lambda r: _role_label(r["role"], r.get("area_name", "")), axis=1)
    brk = df["before_break"].fillna(False).astype(bool) if "before_break" in df else None
    df["before_break"] = brk if brk is not None else False
    return df


def _trend_encodings(df: pd.DataFrame, y_title: str, decimals: int | None = None) -> dict[str, Any]:
    """x, y, colour, dash and tooltip of the trend chart (one style per role: home, England...)."""
    roles = [r for r in ROLE_ORDER if r in set(df["role"])]
    labels = [df.loc[df["role"] == r, "label"].iloc[0] for r in roles]
    colours = [ROLE_COLOURS[ROLE_ORDER.index(r)] for r in roles]
    dashes = [ROLE_DASH[ROLE_ORDER.index(r)] for r in roles]
    return {
        "x": alt.X("period:O", sort=_period_order(df), title="Period", axis=alt.Axis(labelAngle=-40)),
        "y": alt.Y("value:Q", title=wrap(y_title, AXIS_WRAP), scale=alt.Scale(zero=False),
                   axis=alt.Axis(titleLimit=0)),
        "color": alt.Color("label:N", scale=alt.Scale(domain=labels, range=colours), title="Area",
                           legend=legend("Area", symbolType="stroke", symbolStrokeWidth=2.5, symbolSize=300)),
        "strokeDash": alt.StrokeDash("label:N", scale=alt.Scale(domain=labels, range=dashes),
                                     title="Area", legend=legend("Area", symbolType="stroke", symbolStrokeWidth=2.5, symbolSize=300)),
        "tooltip": [
            alt.Tooltip("label:N", title="Area"),
            alt.Tooltip("period:N", title="Period"),
            alt.Tooltip("value:Q", title=y_title, format=number_format(decimals)),
            alt.Tooltip("lower_ci:Q", title="Lower 95% limit", format=number_format(decimals)),
            alt.Tooltip("upper_ci:Q", title="Upper 95% limit", format=number_format(decimals)),
        ],
    }  # fmt: skip


def _break_layers(before: pd.DataFrame, after: pd.DataFrame, enc: dict[str, Any]) -> list:
    """Points from before a definition change (grey, unjoined) and a labelled rule at the break."""
    order = _period_order(pd.concat([before, after]))
    first_after = _period_order(after)[0]
    old = (
        alt.Chart(before)
        .mark_line(
            point=alt.OverlayMarkDef(color=BREAK_COLOUR, fill=BREAK_COLOUR),
            color=BREAK_COLOUR,
            opacity=0.8,
        )
        .encode(
            x=enc["x"],
            y=enc["y"],
            detail="label:N",
            strokeDash=enc["strokeDash"],
            tooltip=[*enc["tooltip"], alt.Tooltip("break_note:N", title="Note")],
        )
        .transform_calculate(break_note="'Before the definition change: not in the trend'")
    )
    rule = pd.DataFrame({"period": [first_after], "text": [f"Definition change: {first_after}"]})
    at_break = alt.X("period:O", sort=order)
    return [
        old,
        alt.Chart(rule).mark_rule(color="#000000", strokeDash=[5, 4]).encode(x=at_break),
        alt.Chart(rule)
        .mark_text(align="right", baseline="top", dx=-4, dy=4, color="#000000")
        .encode(x=at_break, y=alt.value(0), text="text:N"),
    ]


def trend_chart(
    series: pd.DataFrame, title: str, unit: str, home_name: str = "", decimals: int | None = None
) -> tuple[alt.Chart, str]:
    """Lines over time for home, England, region and group average; error bars on the home line.

    series: period, period_start, role, area_name, value, lower_ci, upper_ci (engine.measure_series),
    and optionally before_break (True for points from before a change of definition: drawn grey,
    unjoined to the later points, behind a dashed rule at the break).
    """
    df = _trend_frame(series)
    y_title = axis_title(title, unit)
    enc = _trend_encodings(df, y_title, decimals)
    after, before = df[~df["before_break"]], df[df["before_break"]]
    layers: list[alt.Chart] = [alt.Chart(after).mark_line(point=True).encode(**enc)]
    if not before.empty and not after.empty:
        old, *rule = _break_layers(before, after, enc)
        layers = [old, *layers, *rule]
    ci = after[(after["role"] == "home")].dropna(subset=["lower_ci", "upper_ci"])
    if not ci.empty:
        layers.insert(
            0,
            alt.Chart(ci)
            .mark_errorbar(color="#000000", opacity=0.6)
            .encode(
                x=enc["x"], y=alt.Y("lower_ci:Q", title=wrap(y_title, AXIS_WRAP)), y2="upper_ci:Q"
            ),
        )
    chart = alt.layer(*layers).properties(title=chart_title(f"{title}: trend"), height=TREND_HEIGHT)
    return chart, trend_caption(df, title, unit, home_name, decimals)


def _role_label(role: str, area_name: str) -> str:
    if role == "home":
        return str(area_name or "Home area")
    if role == "group average":
        return "Group average"
    return str(area_name or role.title())


def trend_caption(
    df: pd.DataFrame, title: str, unit: str, home_name: str = "", decimals: int | None = None
) -> str:
    """Words for the trend chart: first and latest home values and the latest comparators, each to
    the measure's `decimals`."""
    home = df[df["role"] == "home"]
    if "period_start" in home.columns:
        home = home.sort_values("period_start")
    if home.empty:
        return f"Trend chart of {title}: no values for the home area."
    first, last = home.iloc[0], home.iloc[-1]
    name = home_name or str(last.get("area_name", "the home area"))
    parts = [
        f"Trend chart of {titled_with_unit(title, unit)}. {name} went from {fmt(first['value'], unit, decimals)} "
        f"in {first['period']} to {fmt(last['value'], unit, decimals)} in {last['period']}."
    ]
    latest = df[df["period"] == last["period"]]
    for role in ("england", "region", "group average"):
        row = latest[latest["role"] == role]
        if not row.empty:
            parts.append(
                f"{_role_label(role, row.iloc[0].get('area_name', ''))}: {fmt(row.iloc[0]['value'], unit, decimals)}."
            )
    if "before_break" in home.columns and home["before_break"].astype(bool).any():
        pre = home[home["before_break"].astype(bool)]
        post = home[~home["before_break"].astype(bool)]
        if not post.empty:
            parts.append(
                f"The definition changed before {post.iloc[0]['period']}: points from "
                f"{pre.iloc[0]['period']} to {pre.iloc[-1]['period']} (grey, left of the dashed line) "
                f"are not comparable, so the trend uses {post.iloc[0]['period']} onwards only."
            )
    return " ".join(parts)


def row_axis(**kw: Any) -> alt.Axis:
    """A row (category) axis that labels every row in full: Vega-Lite hides labels it thinks
    overlap and cuts long ones with '…', so labels are never hidden or cut (labelLimit 0) and a
    long one wraps onto lines of LABEL_WRAP characters, centred on its row (fits a phone too)."""
    centre = f"{-LABEL_LINE / 2} * (length({_LABEL_LINES}) - 1)"
    return alt.Axis(
        labelOverlap=False,
        labelLimit=0,
        labelExpr=_LABEL_LINES,
        labelOffset=alt.ExprRef(expr=centre),
        **kw,
    )


def label_lines(labels: Sequence[object]) -> int:
    """How many lines the longest of these row labels takes (row_axis wraps them)."""
    return max((len(wrap(str(x), LABEL_WRAP)) for x in labels), default=1)


def row_step(labels: Sequence[object] = ()) -> int:
    """Px per row: tall enough for the longest row label's wrapped lines, so labels never touch."""
    return max(ROW_STEP, LABEL_LINE * label_lines(labels) + 8)


def rows_height(n: int, labels: Sequence[object] = ()) -> int:
    """The plot's height for n rows (charts drawn with FIT_WIDTH: title, axes and legend come on
    top): one step per row, each tall enough for the longest row label's lines."""
    return row_step(labels) * max(n, 3)


def chart_title(text: str, subtitle: Sequence[str] = ()) -> alt.TitleParams:
    """A chart title (and subtitle lines) wrapped to fit a 390 px phone, never cut with '…'."""
    return alt.TitleParams(
        wrap(text, PHONE_WRAP),
        subtitle=[line for part in subtitle for line in wrap(part, PHONE_WRAP)] or alt.Undefined,
        anchor="start", limit=0,
    )  # fmt: skip


def legend(title: object = "", columns: int = 1, **kw: Any) -> alt.Legend:
    """A legend under the chart whose labels and title are never cut ('…'): under the plot it
    has the chart's whole width, at 1,280 px and on a phone; `columns` side by side. The title
    is the encoding's own unless one is given (None: no title)."""
    if title != "":
        kw["title"] = title
    return alt.Legend(
        orient="bottom", direction="vertical" if columns == 1 else "horizontal", columns=columns,
        labelLimit=0, titleLimit=0, **kw,
    )  # fmt: skip


def rank_words(polarity: str = "") -> tuple[str, str]:
    """What rank 1 means and the order of the bars: ('best', 'best first') by polarity; a measure
    with no polarity ('none') makes no judgement, so its highest value ranks 1."""
    return ("highest", "highest first") if polarity == "none" else ("best", "best first")


def _ranked_frame(values: pd.DataFrame) -> pd.DataFrame:
    """The group's values in rank order (by value when unranked), each labelled, home marked."""
    df = values.dropna(subset=["value"]).copy()
    df["is_home"] = df["is_home"].astype(bool)
    df["label"] = df.apply(
        lambda r: f"{r['area_name']} (home)" if r["is_home"] else str(r["area_name"]), axis=1
    )
    df["who"] = df["is_home"].map({True: "Home area", False: "Group member"})
    if "rank" in df.columns and df["rank"].notna().any():
        return df.sort_values(["rank", "value"], na_position="last")
    return df.sort_values("value", ascending=False)


def _benchmark_layers(benchmark: float) -> list:
    """A dashed rule at the benchmark's value (named with its value in the subtitle, where a long
    group name wraps instead of running off a phone's edge)."""
    rule = pd.DataFrame({"value": [float(benchmark)]})
    return [alt.Chart(rule).mark_rule(color="#000000", strokeDash=[4, 3]).encode(x="value:Q")]


def ranked_bar(values: pd.DataFrame, title: str, unit: str, benchmark: float | None = None,
               benchmark_label: str = "England", polarity: str = "",
               group_name: str = "", decimals: int | None = None) -> tuple[alt.Chart, str]:  # fmt: skip
    """Horizontal bars of the group, best first (highest first without polarity), with 95% limits;
    the home area stands out.

    values: area_code, area_name, value, lower_ci, upper_ci, rank, is_home (engine.measure_group_values).
    polarity: the measure's ('higher-better', 'lower-better' or 'none'), for the words about rank.
    group_name: the comparator group in words, named in the title with the home area.
    decimals: the measure's places, for the tooltips and the caption.
    """
    df = _ranked_frame(values)
    x_title = axis_title(title, unit)
    y = alt.Y("label:N", sort=list(df["label"]), title=None, axis=row_axis())
    who = alt.Scale(domain=["Home area", "Group member"], range=[HOME_COLOUR, OTHER_COLOUR])
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("value:Q", title=wrap(x_title, PLOT_WRAP)),
            color=alt.Color("who:N", scale=who, title=None, legend=legend(None, columns=2)),
            tooltip=[
                alt.Tooltip("area_name:N", title="Area"),
                alt.Tooltip("value:Q", title=x_title, format=number_format(decimals)),
                alt.Tooltip("lower_ci:Q", title="Lower 95% limit", format=number_format(decimals)),
                alt.Tooltip("upper_ci:Q", title="Upper 95% limit", format=number_format(decimals)),
                alt.Tooltip("rank:Q", title=f"Rank (1 = {rank_words(polarity)[0]})"),
            ],
        )
    )
    layers: list[alt.Chart] = [bars]
    ci = df.dropna(subset=["lower_ci", "upper_ci"])
    if not ci.empty:
        layers.append(
            alt.Chart(ci)
            .mark_errorbar(color="#000000")
            .encode(y=y, x=alt.X("lower_ci:Q", title=wrap(x_title, PLOT_WRAP)), x2="upper_ci:Q")
        )
    note: list[str] = []
    if benchmark is not None and not pd.isna(benchmark):
        layers += _benchmark_layers(benchmark)
        note = [f"Dashed line: {benchmark_label}, {fmt(benchmark, unit, decimals)}."]
    chart = alt.layer(*layers).properties(
        title=chart_title(f"{title}: {_among(df, group_name)}", note),
        height=rows_height(len(df), df["label"]),
        autosize=FIT_WIDTH,
    )
    return chart, ranked_caption(df, title, unit, polarity, decimals)


def _among(df: pd.DataFrame, group_name: str) -> str:
    """'Luton among Statistical neighbours': the benchmark group named, with the home area."""
    home = df.loc[df["is_home"], "area_name"]
    group = group_name or "the comparator group"
    return f"{home.iloc[0]} among {group}" if len(home) else group


def ranked_caption(
    df: pd.DataFrame, title: str, unit: str, polarity: str = "", decimals: int | None = None
) -> str:
    """Words for the ranked bar: where the home area sits and the range of the group, each figure
    to the measure's `decimals`."""
    if df.empty:
        return f"Ranked bar chart of {title}: no values for the group."
    home = df[df["is_home"]]
    top, bottom = df.iloc[0], df.iloc[-1]
    text = (
        f"Ranked bar chart of {titled_with_unit(title, unit)} for {len(df)} areas, {rank_words(polarity)[1]}: from "
        f"{top['area_name']} ({fmt(top['value'], unit, decimals)}) to {bottom['area_name']} "
        f"({fmt(bottom['value'], unit, decimals)})."
    )
    if not home.empty:
        h = home.iloc[0]
        pos = list(df["area_code"]).index(h["area_code"]) + 1 if "area_code" in df.columns else None
        text += f" {h['area_name']}: {fmt(h['value'], unit, decimals)}" + (
            f", position {pos} of {len(df)}." if pos else "."
        )
    return text


def spine_positions(rows: pd.DataFrame) -> pd.DataFrame:
    """Fingertips spine layout: England at 0.5, worst to the left, best to the right, whatever the polarity.

    rows: title, value, england, polarity, lowest, q25, q75, highest (lowest/highest over the
    areas compared). Each measure is scaled by the furthest extreme from England, so both ends
    fit in 0..1. Returns x_worst, x_q25, x_q75, x_best, x_home (NaN where not computable) and
    worst, best: the values at each end (the lowest is the best where lower is better).
    """
    out = rows.copy()
    lower = out["polarity"] == "lower-better"
    out["worst"] = out["highest"].where(lower, out["lowest"])
    out["best"] = out["lowest"].where(lower, out["highest"])
    cols = ("x_worst", "x_q25", "x_q75", "x_best", "x_home")
    for c in cols:
        out[c] = float("nan")
    for i, r in out.iterrows():
        sign = -1.0 if r.get("polarity") == "lower-better" else 1.0
        eng = r.get("england")
        lo, hi = r.get("lowest"), r.get("highest")
        if any(pd.isna(v) for v in (eng, lo, hi)):
            continue
        e = sign * float(eng)
        ends = [sign * float(lo), sign * float(hi)]
        half = max(abs(v - e) for v in ends)
        if half == 0:
            half = 1.0

        def pos(v: float, e: float = e, half: float = half, sign: float = sign) -> float:
            return 0.5 + (sign * float(v) - e) / (2 * half)

        worst, best = sorted(ends)
        out.at[i, "x_worst"] = 0.5 + (worst - e) / (2 * half)
        out.at[i, "x_best"] = 0.5 + (best - e) / (2 * half)
        q = (
            [pos(r["q25"]), pos(r["q75"])]
            if not (pd.isna(r.get("q25")) or pd.isna(r.get("q75")))
            else [float("nan")] * 2
        )
        out.at[i, "x_q25"], out.at[i, "x_q75"] = min(q), max(q)
        if not pd.isna(r.get("value")):
            out.at[i, "x_home"] = pos(r["value"])
    return out


# Arrows (SVG paths in Vega's -1..1 symbol box) for the better and worse fifths, pointing the
# same way as the best and worst fifths' wedges but a different shape.
ARROW_RIGHT = "M-1,-0.4L0,-0.4L0,-1L1,0L0,1L0,0.4L-1,0.4Z"
ARROW_LEFT = "M1,-0.4L0,-0.4L0,-1L-1,0L0,1L0,0.4L1,0.4Z"

# A marker shape per verdict, so no meaning rests on colour alone: Higher and Lower (no judgement,
# both unfilled) point up and down.
RATING_SHAPES: dict[str, str] = {
    "Better": "circle",
    "Similar": "diamond",
    "Worse": "square",
    "Higher": "triangle-up",
    "Lower": "triangle-down",
    "Not compared": "cross",
    # positions in fifths (method quintile): wedges, never the shapes of significance verdicts
    "Best fifth": "triangle-right",
    "Better fifth": ARROW_RIGHT,  # an arrow, not the best fifth's wedge: shape alone tells them apart
    "Middle fifth": "stroke",
    "Middle three fifths": "stroke",
    "Worse fifth": ARROW_LEFT,
    "Worst fifth": "triangle-left",
    "Highest fifth": "triangle-up",
    "High fifth": "triangle-up",
    "Low fifth": "triangle-down",
    "Lowest fifth": "triangle-down",
}


def _spine_axes(df: pd.DataFrame) -> tuple[Any, Any]:
    """The row axis (every measure labelled, wrapped to fit a phone) and the worst-to-best axis."""
    y = alt.Y("title:N", sort=list(df["title"]), title=None, axis=row_axis())
    x = alt.X(
        "x_worst:Q",
        scale=alt.Scale(domain=[0, 1]),
        title=wrap("Among English authorities: worst to best, England in the centre", PLOT_WRAP),
        axis=alt.Axis(
            values=[0, 0.5, 1],
            labelFlush=True,  # 'Worst' and 'Best' inside the plot's ends: never cut at the edge
            labelExpr="datum.value == 0 ? 'Worst' : datum.value == 1 ? 'Best' : 'England'",
        ),
    )
    return y, x


def _spine_marker(df: pd.DataFrame, y: Any, home_name: str, label: str) -> Any:
    """The home area's marker on each row: colour and shape both say the verdict."""
    words = [w for w in RATING_COLOURS if w in set(df["rating"])] or ["Not compared"]
    title = wrap(f"{home_name} compared with {label}", PLOT_WRAP)  # whole, on a phone too
    key = legend(title)  # one column: it starts under the plot, beside the row labels
    return (
        alt.Chart(df.dropna(subset=["x_home"]))
        .mark_point(filled=True, size=140, stroke="#000000", strokeWidth=1)
        .encode(
            y=y,
            x="x_home:Q",
            fill=alt.Fill("rating:N", legend=key,
                          scale=alt.Scale(domain=words, range=[RATING_COLOURS[w] for w in words])),
            shape=alt.Shape("rating:N", legend=key,
                            scale=alt.Scale(domain=words, range=[RATING_SHAPES[w] for w in words])),
            tooltip=[
                alt.Tooltip("title:N", title="Measure"),
                alt.Tooltip("value_text:N", title=home_name),
                alt.Tooltip("england_text:N", title="England"),
                alt.Tooltip("rating:N", title=f"Compared with {label}"),
            ],
        )
    )  # fmt: skip


def _dp(row: pd.Series) -> int | None:
    """A spine row's places: its measure's `decimals` column (the scorecard's), else None."""
    d = row.get("decimals")
    return None if d is None or pd.isna(d) else int(d)


def spine_chart(
    rows: pd.DataFrame,
    home_name: str,
    benchmark_word_col: str = "vs_england",
    benchmark_label: str = "England",
    subtitle: Sequence[str] = (),
) -> tuple[alt.Chart, str]:
    """Spine chart: one row per measure, England in the centre, worst left, best right; the
    marker says the verdict against the chosen benchmark, named in the title. `subtitle` lines
    (period, source, date) travel with the saved image.

    rows: the spine_positions() inputs plus title, unit and the benchmark's verdict column.
    """
    df = spine_positions(rows).dropna(subset=["x_worst", "x_best"]).copy()
    if df.empty:
        empty = alt.Chart(pd.DataFrame({"x": []})).mark_point()
        return empty, "Spine chart: no measure has values for every area to compare."
    df["rating"] = df[benchmark_word_col].fillna("Not compared").replace("", "Not compared")
    df["value_text"] = df.apply(lambda r: fmt(r["value"], r.get("unit", ""), _dp(r)), axis=1)
    df["england_text"] = df.apply(lambda r: fmt(r["england"], r.get("unit", ""), _dp(r)), axis=1)
    y, x = _spine_axes(df)
    range_bar = alt.Chart(df).mark_bar(color="#E6E6E6", height=14).encode(y=y, x=x, x2="x_best:Q")
    iqr = (
        alt.Chart(df.dropna(subset=["x_q25"]))
        .mark_bar(color="#8C8C8C", height=14)
        .encode(y=y, x="x_q25:Q", x2="x_q75:Q")
    )
    centre = (
        alt.Chart(pd.DataFrame({"x": [0.5]}))
        .mark_rule(color="#C00000", strokeWidth=2)
        .encode(x="x:Q")
    )
    title = chart_title(f"Spine chart: {home_name} compared with {benchmark_label}", subtitle)
    chart = alt.layer(
        range_bar, iqr, centre, _spine_marker(df, y, home_name, benchmark_label)
    ).properties(title=title, height=rows_height(len(df), df["title"]), autosize=FIT_WIDTH)
    return chart, spine_caption(df, home_name, benchmark_label)


def date_words(stamp: object) -> str:
    """A timestamp as readers write a date ('5 December 2026'); '' when there is none."""
    if isinstance(stamp, str):  # the build's stamp, the same on every rerun: worked out once
        return _text_date_words(stamp)
    return _when_words(stamp)


def _when_words(stamp: object) -> str:
    when = pd.to_datetime(stamp, errors="coerce", utc=True)
    return "" if pd.isna(when) else f"{when.day} {when:%B %Y}"


_text_date_words = functools.lru_cache(maxsize=32)(_when_words)  # pandas guesses formats: ~3 ms


def spine_subtitle(rows: pd.DataFrame, manifest: Mapping[str, Any]) -> list[str]:
    """The lines a saved spine chart carries: the periods, the sources and the date the data was
    built (from the warehouse's manifest)."""
    built = date_words(manifest.get("built_at"))
    periods = [
        period_words(p) for p in sorted({str(p) for p in rows["period"].dropna()}, key=period_order)
    ]
    when = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}" if periods else ""
    sources = "; ".join(sorted({str(x) for x in rows.get("source", pd.Series()).dropna() if x}))
    return [
        f"Period: the latest for each measure ({when})." if when else "Period: latest.",
        f"Source: {sources or 'see the Data and methods page'}.",
        f"Data built {built or 'on an unknown date'}.",
    ]


def spine_caption(df: pd.DataFrame, home_name: str, label: str = "England") -> str:
    """Words for the spine chart: how many measures sit on the better or worse side of England."""
    placed = df.dropna(subset=["x_home"])
    better = int((placed["x_home"] > 0.5).sum())
    worse = int((placed["x_home"] < 0.5).sum())
    rated = placed["rating"].value_counts().to_dict() if "rating" in placed.columns else {}
    words = ", ".join(f"{n} {w.lower()}" for w, n in rated.items())
    return (
        f"Spine chart of {len(df)} measure{'' if len(df) == 1 else 's'}. Each row runs from the worst area (left) to the best "
        f"(right) with England in the centre and the middle half of areas (25th to 75th percentile) "
        f"shaded darker. {home_name} is on the better side of England for {better} and on the worse "
        f"side for {worse}. Compared with {label}: {words or 'none rated'}."
    )


def england_map(features: Sequence[dict], values: pd.DataFrame, title: str, unit: str,
                home_code: str = "", decimals: int | None = None) -> tuple[alt.Chart, str]:  # fmt: skip
    """Choropleth of upper-tier authorities coloured by the comparison with England (words in the legend).

    features: GeoJSON features with properties.area_code; values: area_code, area_name, value, vs_england.
    """
    vals = values.copy()
    vals["rating"] = vals["vs_england"].fillna("Not compared").replace("", "Not compared")
    vals["value_text"] = vals["value"].map(lambda v: fmt(v, unit, decimals))
    words = [w for w in RATING_COLOURS if w in set(vals["rating"]) | {NOT_COMPARED}]
    lookup_cols = ["area_name", "value_text", "rating"]
    data = alt.Data(values=list(features))
    base = (
        alt.Chart(data)
        .mark_geoshape(stroke="#7F7F7F", strokeWidth=0.3)  # white 'Not compared' stays visible
        .transform_lookup(
            lookup="properties.area_code", from_=alt.LookupData(vals, "area_code", lookup_cols)
        )
        # an authority with no row at all has no value: Not compared, as in every table
        .transform_calculate(rating=f"datum.rating ? datum.rating : '{NOT_COMPARED}'")
        .encode(
            color=alt.Color(
                "rating:N",
                scale=alt.Scale(domain=words, range=[RATING_COLOURS[w] for w in words]),
                title="Compared with England",
                legend=legend(columns=3, symbolStrokeColor="#7F7F7F", symbolStrokeWidth=1),
            ),
            tooltip=[
                alt.Tooltip("area_name:N", title="Authority"),
                alt.Tooltip("value_text:N", title=axis_title(title, unit)),
                alt.Tooltip("rating:N", title="Compared with England"),
            ],
        )
    )
    layers: list[alt.Chart] = [base]
    if home_code:
        home = [f for f in features if f.get("properties", {}).get("area_code") == home_code]
        if home:
            layers.append(
                alt.Chart(alt.Data(values=home)).mark_geoshape(
                    fill=None, stroke="#000000", strokeWidth=2, aria=False
                )  # decorative outline of the home area: hidden from screen readers
            )
    chart = (
        alt.layer(*layers)
        .project(type="mercator")
        .properties(title=chart_title(f"{title}: England by upper-tier authority"), height=520)
    )
    counts = vals["rating"].value_counts()
    words_text = ", ".join(f"{int(n)} {w.lower()}" for w, n in counts.items())
    caption = (
        f"Map of England's upper-tier authorities for {title}, coloured by comparison with England: "
        f"{words_text}. Authorities without a value or without an England figure are Not compared "
        f"(no colour, grey outline).{_missing_words(features, vals)}{_home_words(features, home_code)}"
    )
    return chart, caption


def _missing_words(features: Sequence[dict], vals: pd.DataFrame) -> str:
    """How many of the map's authorities have no figure at all in the data, and how many of those
    are county councils (a source that publishes districts leaves its counties blank), so a
    mostly blank map reads as a gap in the data, not a broken map."""
    have = set(vals.loc[vals["value"].notna(), "area_code"].astype(str))
    codes = {str(f.get("properties", {}).get("area_code", "")) for f in features} - {""}
    missing = sorted(codes - have)
    if not missing:
        return ""
    counties = sum(1 for c in missing if c.startswith("E10"))
    plural = "s" if counties != 1 else ""
    of_them = f", {counties} of them county council{plural}" if counties else ""
    return f" {len(missing)} of the {len(codes)} authorities have no figure in the data{of_them}."


def _home_words(features: Sequence[dict], home_code: str) -> str:
    """The home area's outline, said in words (the map's only mark without a legend entry)."""
    names = [
        f["properties"].get("area_name", "")
        for f in features
        if f.get("properties", {}).get("area_code") == home_code
    ]
    return f" {names[0]} is outlined in black." if names and names[0] else ""


def rating_legend_rows() -> pd.DataFrame:
    """The colour key as a table for the methods page: each word (its cell drawn in its colour),
    the colour's name and what the word means; never a colour code. 'Not tested' (shown beside
    Higher or Lower, and counted on the overview) follows Lower: the one place it is defined."""
    rows = [
        {"Word": w, "Colour": COLOUR_NAMES[c], "Meaning": VERDICT_MEANINGS[w]}
        for w, c in RATING_COLOURS.items()
    ]
    at = next((i + 1 for i, r in enumerate(rows) if r["Word"] == "Lower"), len(rows))
    untested = {"Word": NOT_TESTED, "Colour": COLOUR_NAMES[NO_COLOUR]}
    rows.insert(at, untested | {"Meaning": VERDICT_MEANINGS[NOT_TESTED]})
    return pd.DataFrame(rows)


UTLA_LAYERS = ("utla23", "utla", "england_utla", "county_ua")


def utla_features_from(boundaries: pd.DataFrame | None) -> list[dict]:
    """Features with properties.area_code from a `boundaries` table (UTLA layer; coordinates rounded).

    The warehouse table has layer / code / name / geometry (layer 'utla23'); older frames named
    the columns area_code / area_name, so both are accepted.
    """
    if boundaries is None or boundaries.empty:
        return []
    df = boundaries
    layer_col = next((c for c in ("layer", "area_type", "level") if c in df.columns), None)
    if layer_col is not None:
        df = df[df[layer_col].astype(str).str.lower().isin(UTLA_LAYERS)]
    geom_col = next(
        (c for c in ("geometry", "geojson", "geometry_json", "geom") if c in df.columns), None
    )
    code_col = next((c for c in ("area_code", "code") if c in df.columns), None)
    name_col = next((c for c in ("area_name", "name") if c in df.columns), code_col)
    if geom_col is None or code_col is None:
        return []
    out = []
    for code, name, geom in zip(df[code_col], df[name_col], df[geom_col], strict=True):
        try:
            g = json.loads(geom) if isinstance(geom, str) else geom
        except (TypeError, ValueError):
            continue
        if not isinstance(g, dict):
            continue
        if g.get("type") == "Feature":
            g = g.get("geometry", {})
        out.append(
            {
                "type": "Feature",
                "geometry": _round_geometry(g),
                "properties": {"area_code": str(code), "area_name": str(name)},
            }
        )
    return out


def _ring_area(ring: list) -> float:
    """Signed (shoelace) area of a lon/lat ring: positive when counter-clockwise."""
    return (
        sum(x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:], strict=False))
        / 2.0
    )


def _d3_polygon(rings: list) -> list:
    """Rings wound as d3-geo (Vega's map projection) needs them: exterior clockwise, holes
    counter-clockwise. GeoJSON (RFC 7946) winds the other way, and d3 then fills the whole
    globe except the polygon, so the map became one solid block."""
    out = []
    for i, ring in enumerate(rings):
        area = _ring_area(ring)
        if area == 0:  # a sliver rounding flattened: nothing to draw (a flat exterior: no polygon)
            if i == 0:
                return []
            continue
        out.append(ring if (area < 0) == (i == 0) else ring[::-1])
    return out


SIMPLIFY_DEGREES = 0.008  # ~600 m: under half a pixel of the 520-pixel-high England map


def _simplify_ring(ring: list, tolerance: float = SIMPLIFY_DEGREES) -> list:
    """Douglas-Peucker on one closed ring (iterative); the ring is kept as it was when the
    simplified one would have fewer than 4 points, so no small authority disappears."""
    n = len(ring)
    if n <= 4:
        return ring
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    tol2 = tolerance * tolerance
    while stack:
        a, b = stack.pop()
        (ax, ay, *_), (bx, by, *_) = ring[a], ring[b]
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        worst, at = -1.0, -1
        for i in range(a + 1, b):
            px, py = ring[i][0] - ax, ring[i][1] - ay
            if seg2 == 0:
                d2 = px * px + py * py
            else:
                t = max(0.0, min(1.0, (px * dx + py * dy) / seg2))
                ex, ey = px - t * dx, py - t * dy
                d2 = ex * ex + ey * ey
            if d2 > worst:
                worst, at = d2, i
        if at >= 0 and worst > tol2:
            keep[at] = True
            stack += [(a, at), (at, b)]
    out = [pt for pt, k in zip(ring, keep, strict=True) if k]
    return out if len(out) >= 4 else ring


def _round_geometry(geom: dict, ndigits: int = 3) -> dict:
    """Coordinates rounded to ~100 m and rings simplified to what the map can show (the spec was
    400 KB of outlines, drawn again on every measure opened), rings wound for d3-geo."""

    def r(c: Any) -> Any:
        if isinstance(c, (int, float)):
            return round(float(c), ndigits)
        return [r(x) for x in c]

    def polygon(rings: list) -> list:
        return _d3_polygon([_simplify_ring(ring) for ring in rings])

    kind = geom.get("type")
    coords = r(geom.get("coordinates", []))
    if kind == "Polygon":
        coords = polygon(coords)
    elif kind == "MultiPolygon":
        coords = [p for p in (polygon(p) for p in coords) if p]
    return {"type": kind, "coordinates": coords}


try:  # the lock Streamlit holds while it switches Altair's global theme and data transformer
    from streamlit.elements.vega_charts import _altair_globals_lock as _ALTAIR_LOCK
except ImportError:  # pragma: no cover (another Streamlit version)
    import threading

    _ALTAIR_LOCK = threading.RLock()


class ChartSpec(dict):
    """A finished Vega-Lite spec: a plain dict that can also be referred to weakly, so what is
    made from a cached spec on its way to the page can be kept with it (widgets.kept)."""


def spec_of(chart: alt.TopLevelMixin) -> ChartSpec:
    """A finished Vega-Lite spec (data inline) with no Altair default theme, as st.altair_chart
    would draw it. Cached by the pages so a rerun does not rebuild the chart. Not validated
    against the Vega-Lite schema here (that took ~60% of the time, on every view a reader opens
    first): the tests validate every chart builder's output, and the spec is the same."""
    with _ALTAIR_LOCK, alt.theme.enable("none"), alt.data_transformers.enable("default"):
        spec = ChartSpec(chart.to_dict(validate=False))
    spec.setdefault("padding", PADDING)
    return spec


def chart_bytes(spec: str, fmt: str) -> bytes:
    """A Vega-Lite spec (JSON text) as PNG or SVG bytes, rendered offline by vl-convert."""
    import json

    import vl_convert as vlc

    parsed = json.loads(spec)
    if parsed.get("autosize") == FIT_WIDTH and "width" not in parsed:
        spec = json.dumps({**parsed, "width": SAVED_WIDTH})  # a row chart saved as a desk shows it
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=2)
    return vlc.vegalite_to_svg(spec).encode("utf-8")
