"""Overview: the 2040 mission, headline life expectancy, principles and boards at a glance."""

import pandas as pd
import streamlit as st

from lutonwb import config
from lutonwb.place import current_place
from lutonwb.ui import engine as ue
from lutonwb.ui import maps
from lutonwb.ui import progress as up
from lutonwb.ui import widgets as w

state = w.setup("")
cat = ue.catalogue()
areas = ue.vocab().areas
home = areas.get(state.area, state.area)
group = ue.group_labels().get(state.cmp, state.cmp)

place = current_place()
st.title(place.title)
if place.mission is not None:
    st.markdown(f"**{place.mission.label}:** {place.mission.text}.")
    if place.citation():
        w.note(place.citation())
st.write(
    f"How {home} compares with England, its region and {group} on the measures of "
    f"{place.programme}. Every colour has its word beside it."
)

sc = ue.scorecard(state.area, state.cmp, state.custom, state.period)
if state.period != "latest" and sc["value"].notna().sum() == 0:
    st.warning(
        f"No measure has data for {home} in the period chosen; choose another period or 'latest'."
    )

st.header("Life expectancy and healthy life expectancy", anchor="headline")
headline_ids = list(place.headline)
cols = st.columns(max(len(headline_ids), 1))
by_id = sc.set_index("measure_id")
for col, mid in zip(cols, headline_ids, strict=False):
    with col:
        if mid not in by_id.index:
            st.write(f"{mid}: not in this catalogue.")
            continue
        r = by_id.loc[mid]
        st.metric(
            r["title"],
            f"{w.num(r['value'])} {r['unit']}" if pd.notna(r["value"]) else "No value",
            border=True,
        )
        # one markdown element per card (note and both rating badges): each element drawn costs
        # the browser a few milliseconds on every open and every comparator change
        st.markdown(
            w.md_escape(
                f"{r['period']}. England {w.num(r['england']) or 'n/a'}, region "
                f"{w.num(r['region']) or 'n/a'}, {group} average {w.num(r['group_average']) or 'n/a'}."
            )
            + "\n\n"
            + w.badge_md(r["vs_england"] or "Not compared", "vs England: ")
            + " "
            + w.badge_md(r["vs_group"] or "Not compared", "vs group: ")
        )
        w.page_link(state, "measure", "Open this measure", m=mid)


def _grid(
    summary: pd.DataFrame,
    titles: dict,
    links: dict,
    page: str,
    param: str,
    what: str,
    key: str,
    file_name: str,
) -> None:
    """The better / similar / worse / not tested / no data counts as one table with its CSV
    download, then a row of links to each page.

    One markdown table and one row of links, not a grid of cards: the grids were most of the
    overview's elements, and the browser's drawing time (on every open and every comparator
    change) grows with the element count. The CSV holds the same counts as numbers (blank where
    a row has no measures), with each row's key and its number of measures.
    """
    counts = summary.set_index("key") if not summary.empty else pd.DataFrame()
    lines = [
        f"| {what} | Better | Similar | Worse | Not tested | No data |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    rows = []
    for k, title in titles.items():
        name = w.md_escape(title)
        if k in counts.index:
            c = w.counts_from_summary(counts.loc[k].to_dict())
            lines.append(
                f"| {name} | {c['better']} | {c['similar']} | {c['worse']} | "
                f"{c['not tested']} | {c['no data']} |"
            )
            measures: int | None = int(counts.loc[k, "measures"])
        else:
            c = dict.fromkeys(w.COUNT_WORDS)
            lines.append(f"| {name} | – | – | – | – | No measures with data |")
            measures = None
        rows.append(
            {"key": k, what: title, "Measures": measures}
            | {word.capitalize(): c[word] for word in w.COUNT_WORDS}
        )
    st.markdown("\n".join(lines))
    numbers = ["Measures", *(word.capitalize() for word in w.COUNT_WORDS)]
    w.csv_download(pd.DataFrame(rows).astype(dict.fromkeys(numbers, "Int64")), key, file_name)
    with st.container(horizontal=True, gap="small"):
        for k in titles:
            w.page_link(state, page, links[k], **{param: k})


st.header("Marmot principles", anchor="principles")
w.note(f"Counts of measures better, similar or worse than {group} (95% confidence).")
_grid(
    ue.summary(state.area, state.cmp, state.custom, state.period, "principle"),
    {n: f"{n}. {p.title}" for n, p in sorted(cat.principles.items())},
    {n: f"Open principle {n}" for n in sorted(cat.principles)},
    "principle",
    "principle",
    "Marmot principle",
    "principle-counts",
    f"principle-counts-{state.area}-{state.cmp}",
)

st.header("Boards", anchor="boards")
if not cat.boards:
    st.write(f"{place.name} defines no boards, so no measure is counted by board.")
else:
    _grid(
        ue.summary(state.area, state.cmp, state.custom, state.period, "board"),
        {bid: b.title for bid, b in cat.boards.items()},
        {bid: f"Open {b.title}" for bid, b in cat.boards.items()},
        "board",
        "board",
        "Board",
        "board-counts",
        f"board-counts-{state.area}-{state.cmp}",
    )

st.header("Where the gaps are", anchor="gaps")
lists = ue.highlights(state.area, state.cmp, state.custom, state.period)


def _short(df: pd.DataFrame, extra: dict[str, str]) -> pd.DataFrame:
    """Display columns (numbers formatted); the CSV download keeps the raw numbers."""
    out = pd.DataFrame(
        {"Measure": df["title"], "Period": df["period"], home: df["value"].map(w.num)}
    )
    out["England"] = df["england"].map(w.num)
    out["Unit"] = df["unit"]
    for col, name in extra.items():
        out[name] = df[col].map(lambda v: w.num(v) if isinstance(v, float) else v)
    return out


def _raw(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={"value": home, "england": "England"})


left, right = st.columns(2)
with left:
    st.subheader("Biggest gaps: significantly worse than England", anchor="biggest-gaps")
    w.note("Ordered by the relative gap to England, worst first.")
    w.table(
        _short(lists["gaps"], {"gap_pct": "Gap to England (%)", "vs_england": "vs England"}),
        "gaps",
        "biggest-gaps",
        rating_columns=["vs England"],
        csv=_raw(lists["gaps"]),
    )
with right:
    st.subheader("Clearest improvements: getting better", anchor="improvements")
    w.note("Significant recent trend in the right direction, longest series first.")
    w.table(
        _short(lists["improving"], {"trend": "Trend", "trend_method": "Method"}),
        "improving",
        "improvements",
        csv=_raw(lists["improving"]),
    )

st.subheader("Worse than England and getting worse", anchor="worse-and-worsening")
if lists["worsening"].empty:
    st.write(f"No measure is both significantly worse than England and getting worse for {home}.")
else:
    w.table(
        _short(lists["worsening"], {"vs_england": "vs England", "trend": "Trend"}),
        "worsening",
        "worse-and-getting-worse",
        rating_columns=["vs England"],
        csv=_raw(lists["worsening"]),
    )

if state.area == config.HOME_AREA_DEFAULT and place.local_area is not None:
    st.header(f"Inside {place.name}", anchor="inside-the-place")
    st.write(maps.summary_line())
    st.page_link(
        "pages/wards.py", label=f"See the ward maps and the inequality inside {place.name}"
    )

up.overview_section(state)

st.header("Data freshness", anchor="freshness")
wh_manifest = ue.warehouse().manifest
summary = ue.series_summary()
st.write(
    f"Data built {wh_manifest.get('built_at', 'unknown')} from {len(wh_manifest.get('inputs', {}))} files; "
    f"{len(summary)} data series, the newest ending {pd.to_datetime(summary['last_end']).max():%B %Y}."
    if not summary.empty
    else "No data series are loaded."
)
fresh = summary.rename(
    columns={
        "series": "Series",
        "indicator": "Indicator",
        "latest_period": "Latest period",
        "areas": "Areas",
        "rows": "Rows",
    }
)[["Series", "Indicator", "Latest period", "Areas", "Rows"]]
with st.expander("Latest period of every data series"):
    w.table(fresh, "freshness", "data-freshness")

w.show_share_link(state, "")
