"""The progress page's charts (Altair): before and after the designation, gaps inside the place over
time, ward moves and funnel plots. Each returns the chart and its caption (the chart's alt text)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

from lutonwb.comparators import label_in_sentence
from lutonwb.funnel import Funnel
from lutonwb.progress.inside import InsideGap
from lutonwb.text import titled_with_unit, unit_words
from lutonwb.ui.charts import (
    FIT_WIDTH,
    HOME_COLOUR,
    OTHER_COLOUR,
    ROLE_COLOURS,
    chart_title,
    fmt,
    legend,
    number_format,
    row_axis,
    rows_height,
)

GROUP_COLOUR = ROLE_COLOURS[3]
LIMIT_COLOUR = ROLE_COLOURS[1]
ADJUSTED_COLOUR = "#8C8C8C"
# the funnel's roles and limits in readers' words (the legend shows these, never the codes)
ROLE_WORDS = {"home": "Home area", "group": "Group member", "other": "Other area"}
LIMIT_WORDS = {"PHE": "Standard", "adjusted": "Adjusted for overdispersion"}


def designation_chart(row: Mapping[str, Any], home: str, group: str) -> tuple[alt.Chart, str]:
    """Bars: the home area's change, the group's mean change, and their difference with its 95%
    interval, from the last period before the designation to the latest."""
    unit = str(row.get("unit") or "")
    bars = pd.DataFrame(
        {
            "what": [home, f"{group} (average)", "Difference"],
            "change": [
                row["change_since_designation"],
                row["group_change_since_designation"],
                row["difference_in_differences"],
            ],
            "lower": [None, None, row["difference_lower"]],
            "upper": [None, None, row["difference_upper"]],
        }
    )
    order = list(bars["what"])
    y = alt.Y("what:N", sort=order, title=None, axis=row_axis())
    x_title = f"Change from {row['designation_before_period']} to {row['latest_period']}"
    base = alt.Chart(bars)
    chart = base.mark_bar().encode(
        x=alt.X("change:Q", title=f"{x_title} ({unit_words(unit)})" if unit else x_title),
        y=y,
        color=alt.Color(
            "what:N", scale=alt.Scale(domain=order, range=[HOME_COLOUR, GROUP_COLOUR, OTHER_COLOUR]),
            legend=None,
        ),
        tooltip=[alt.Tooltip("what:N", title="Area"),
                 alt.Tooltip("change:Q", title="Change", format=",.2f")],
    )  # fmt: skip
    layers = [chart]
    if bars[["lower", "upper"]].notna().all(axis=1).any():  # an empty layer is an unnamed graphic
        layers.append(base.mark_rule(strokeWidth=2).encode(x="lower:Q", x2="upper:Q", y=y))
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#000000").encode(x="x:Q")
    title = f"{row['title']}: before and after the designation ({row['designation_year']})"
    caption = (
        f"{title}. {home} changed by {fmt(row['change_since_designation'], unit)}; "
        f"{label_in_sentence(group)} by {fmt(row['group_change_since_designation'], unit)} on average "
        f"(difference {fmt(row['difference_in_differences'], unit)}). {_judged(row, home, group)}"
        "Descriptive, not causal."
    )
    chart = alt.layer(*layers, zero).properties(
        title=chart_title(title), height=rows_height(len(order), order), autosize=FIT_WIDTH
    )
    return chart, caption


def _judged(row: Mapping[str, Any], home: str, group: str) -> str:
    """The difference in words, by the measure's polarity (better / worse only where it has one)."""
    word = str(row.get("designation_verdict") or "")
    if not word:
        return ""
    method = row.get("designation_verdict_method") or ""
    how = f" ({method})" if method else ""
    return (
        f"Against {label_in_sentence(group)}'s average, {home}'s change was {word.lower()}{how}. "
    )


def gap_chart(g: InsideGap) -> tuple[alt.Chart, str]:
    """The gap between the most and least deprived fifths per year, one line per definition (a
    definition change is a break: the lines are not joined), with 95% limits where they exist."""
    df = g.table.copy()
    part = "definition" if "definition" in df.columns else None
    df["part"] = df[part] if part else "All years"
    x = alt.X("year:O", title="Year")
    y = alt.Y(
        "gap:Q", title="Gap (percentage points; positive = worse)", scale=alt.Scale(zero=True)
    )
    colour = alt.Color("part:N", legend=legend("Definition" if part else None))
    layers = [
        alt.Chart(df).mark_line(point=True).encode(
            x=x, y=y, color=colour,
            tooltip=[alt.Tooltip("year:O", title="Year"),
                     alt.Tooltip("gap:Q", title="Gap (percentage points)", format=",.1f"),
                     alt.Tooltip("sii:Q", title="Modelled gap (slope index)", format=",.1f")],
        )
    ]  # fmt: skip
    if "gap_lower" in df.columns:
        layers.append(
            alt.Chart(df).mark_rule().encode(x=x, y="gap_lower:Q", y2="gap_upper:Q", color=colour)
        )
    last = df.iloc[-1]
    caption = (
        f"{g.title}, {int(df['year'].min())} to {int(last['year'])}: the gap was "
        f"{fmt(last['gap'])} percentage points in {int(last['year'])}. Verdict: "
        f"{g.verdict.word if g.verdict else 'none (too few years to judge)'}."
    )
    return alt.layer(*layers).properties(title=chart_title(g.title), height=260), caption


def moves_chart(g: InsideGap) -> tuple[alt.Chart, str]:
    """Each ward's place within the place in IMD 2019 and IoD 2025 (1 = most deprived)."""
    df = g.table.melt(
        id_vars=["ward"], value_vars=["rank_2019", "rank_2025"], var_name="edition",
        value_name="rank",
    )  # fmt: skip
    df["edition"] = df["edition"].map({"rank_2019": "IMD 2019", "rank_2025": "IoD 2025"})
    order = list(g.table.sort_values("rank_2025")["ward"])
    y = alt.Y("ward:N", sort=order, title=None, axis=row_axis())
    x = alt.X("rank:Q", title="Rank within the place (1 = most deprived)")
    line = alt.Chart(df).mark_line(color=OTHER_COLOUR).encode(x=x, y=y, detail="ward:N")
    dots = alt.Chart(df).mark_point(filled=True, size=70).encode(
        x=x, y=y, color=alt.Color("edition:N", legend=legend("Edition", columns=2)),
        shape=alt.Shape("edition:N", legend=legend("Edition", columns=2)),
        tooltip=[alt.Tooltip("ward:N", title="Ward"), alt.Tooltip("edition:N", title="Edition"),
                 alt.Tooltip("rank:Q", title="Rank (1 = most deprived)")],
    )  # fmt: skip
    moved = g.table[g.table["moved"] != 0]
    word = g.verdict.word if g.verdict else "not enough data"
    gap = (
        "there are too few wards to compare the most and least deprived fifths"
        if word == "not enough data"
        else f"the gap between the most and least deprived fifths of wards is {word}"
    )
    caption = (
        f"{g.title}: {len(moved)} of {len(g.table)} wards changed rank within the place; {gap}."
    )
    chart = (line + dots).properties(
        title=chart_title(g.title), height=rows_height(len(order), order), autosize=FIT_WIDTH
    )
    return chart, caption


def funnel_chart(
    f: Funnel,
    roles: Mapping[str, str],
    title: str,
    unit: str,
    target_name: str,
    decimals: int | None = None,
) -> tuple[alt.Chart, str]:
    """Points by denominator with the 95% and 99.8% limits (adjusted limits dotted when the areas
    are overdispersed); `roles`: area code -> 'home' | 'group', drawn on top; the values in the
    tooltip and the caption to the measure's `decimals`."""
    code = f.points["area_code"].map(lambda c: roles.get(c, "other"))
    pts = f.points.assign(role=code.map(ROLE_WORDS)).iloc[
        code.map({"other": 0, "group": 1, "home": 2}).argsort(kind="stable")
    ]
    curves = f.curve.melt(id_vars=["denominator"], var_name="limit", value_name="value")
    curves["level"] = curves["limit"].map(lambda s: "99.8%" if "998" in s else "95%")
    adjusted = curves["limit"].str.contains("adjusted")
    curves["kind"] = adjusted.map({True: LIMIT_WORDS["adjusted"], False: LIMIT_WORDS["PHE"]})
    if f.tau2 == 0:
        curves = curves[~adjusted]
    x = alt.X("denominator:Q", title="Denominator", scale=alt.Scale(type="log"))
    y_title = titled_with_unit(title, unit)
    y = alt.Y("value:Q", title=y_title)
    lines = alt.Chart(curves).mark_line(color=LIMIT_COLOUR).encode(
        x=x, y=y, detail="limit:N",
        strokeDash=alt.StrokeDash("level:N", legend=legend("Limit", columns=2),
                                  scale=alt.Scale(domain=["95%", "99.8%"], range=[[1, 0], [6, 3]])),
        opacity=alt.Opacity("kind:N", legend=legend("Limits"),
                            scale=alt.Scale(domain=list(LIMIT_WORDS.values()), range=[1, 0.35])),
    )  # fmt: skip
    target = alt.Chart(pd.DataFrame({"value": [f.target]})).mark_rule(color="#000000").encode(y=y)
    domain, colours = list(ROLE_WORDS.values()), [HOME_COLOUR, GROUP_COLOUR, OTHER_COLOUR]
    dots = alt.Chart(pts).mark_point(filled=True).encode(
        x=x, y=y,
        color=alt.Color("role:N", legend=legend("Area"), scale=alt.Scale(domain=domain, range=colours)),
        size=alt.Size("role:N", scale=alt.Scale(domain=domain, range=[160, 80, 30]), legend=None),
        shape=alt.Shape("role:N", legend=legend("Area"),
                        scale=alt.Scale(domain=domain, range=["diamond", "square", "circle"])),
        tooltip=[alt.Tooltip("area_name:N", title="Area"),
                 alt.Tooltip("value:Q", title=y_title, format=number_format(decimals)),
                 alt.Tooltip("denominator:Q", title="Denominator", format=",.0f"),
                 alt.Tooltip("position:N", title="Against the limits")],
    )  # fmt: skip
    caption = (
        f"Funnel plot of {title} ({f.period}): {len(pts)} areas against {target_name} "
        f"({fmt(f.target, unit, decimals)}), with 95% and 99.8% limits. {_outside(f)}"
    )
    chart = (lines + target + dots).properties(
        title=chart_title(f"{title}, {f.period}"), height=380
    )
    return chart, caption


def _outside(f: Funnel) -> str:
    """How many areas lie outside the 99.8% limits, before and after the adjustment."""
    n = int(f.points["position"].str.contains("99.8").sum())
    text = f"{n} of {len(f.points)} lie outside the 99.8% limits"
    if f.tau2 > 0:
        m = int(f.points["position_adjusted"].str.contains("99.8").sum())
        text += f" ({m} outside the limits adjusted for overdispersion)"
    return text + "."
