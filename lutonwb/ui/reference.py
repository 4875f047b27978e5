"""The methods page's reference tables: its short tables, made once per build, and its long ones,
each drawn only while its section is open (the data series and their periods, what is missing
and why, and the keys of every page's address)."""

from typing import NamedTuple

import pandas as pd
import streamlit as st

from lutonwb import provenance
from lutonwb.catalogue import Catalogue
from lutonwb.ui import charts
from lutonwb.ui import engine as ue
from lutonwb.ui import widgets as w
from lutonwb.ui.data import by_build
from lutonwb.ui.state import describe_keys


class StaticTable(NamedTuple):
    """A table the page draws as it is, with its markdown made once."""

    frame: pd.DataFrame
    text: str


def _static(frame: pd.DataFrame, rating_columns: tuple[str, ...] = ()) -> StaticTable:
    """A frame with its static table's markdown (ratings of `rating_columns` on their colours)."""
    return StaticTable(frame, w.static_text(frame, rating_columns))


def draw_static(table: StaticTable, key: str, file_name: str) -> None:
    """A kept static table with its CSV download (widgets.table)."""
    w.table(table.frame, key, file_name, static=True, text=table.text)


@by_build(st.cache_resource, max_entries=2)  # shared, read-only
def methods_tables() -> dict[str, StaticTable]:
    """The methods page's short tables, which change only with the build: its sources and
    licences, the colour key and the comparator groups, made once rather than on every rerun."""
    cat = ue.catalogue()
    sources = pd.DataFrame(
        [{"Source": m.source, "Licence": m.licence} for m in cat.measures.values()]
    )
    groups = [{"Group": g.label, "What it is": g.description} for g in ue.comparator_groups()]
    return {
        "sources": _static(sources.value_counts().rename("Measures").reset_index()),  # most first
        "colours": _static(charts.rating_legend_rows(), ("Word",)),
        "groups": _static(pd.DataFrame(groups)),
    }


def draw_series() -> None:
    """Each series, the span it covers and its latest period."""
    summary = ue.series_summary()
    series = pd.DataFrame(
        {
            "Indicator": summary["indicator"],
            "From": pd.to_datetime(summary["first_start"]).dt.strftime("%B %Y"),
            "To": pd.to_datetime(summary["last_end"]).dt.strftime("%B %Y"),
            "Latest period": summary["latest_period"],
            "Areas": summary["areas"],
        }
    )
    w.note("Each series, the span it covers and its latest period (the one ending in the 'To' "
           "month).")  # fmt: skip
    w.table(series, "series", "data-series", static=True)
    w.csv_download(summary, "series-analysts", "data-series-with-files", analysts=True)


def draw_missing(cat: Catalogue) -> None:
    """What has no open data or has caveats, and what was searched for but not found."""
    notes = w.missing_rows(cat)
    st.subheader("Measures without open data or with caveats", anchor="missing-measures")
    if notes.empty:
        st.write("Every measure has open data.")
    else:
        w.table(notes, "missing", "missing-measures", static=True)
    st.subheader("Data searched for but not found", anchor="not-found")
    missing = provenance.missing()  # the readers' list in the data folder: what and why
    st.markdown(missing or "Nothing we searched for is missing.")


def draw_keys() -> None:
    """Each key of a page's address, what it does and an example."""
    keys = pd.DataFrame(describe_keys(ue.key_examples())).rename(columns=str.capitalize)
    w.table(keys, "keys", "deep-link-keys", static=True)
