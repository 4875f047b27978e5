"""What an engine holds: the catalogue, the area tables, the bound rows and its caches.

One `State` per engine; the engine's modules are functions over it. `tables_state` sets up
everything but the values (areas, groups, seed tables, the measures' metadata); `bindings`
adds the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lutonwb.catalogue import Catalogue, Measure
from lutonwb.comparators import authorities_from_areas
from lutonwb.engine.rows import empty_frame, prepare_values
from lutonwb.ingest.schema import AREA_GROUPS, AREAS, REPORTED, conform

Table = pd.DataFrame | Callable[[], pd.DataFrame] | None
NO_TREND = "no trend judgement for this measure"


@dataclass
class State:
    """The engine's data. rows / periods / chosen are set by `bindings.bind`."""

    cat: Catalogue
    measures: list[Measure]
    meta: pd.DataFrame
    areas: pd.DataFrame
    area_groups: pd.DataFrame
    reported: pd.DataFrame
    names: dict[str, str]
    auth: pd.DataFrame
    utla: list[str]
    region_of: dict[str, str]
    regions: set[str]
    series_available: set[str]
    trend_from: dict[str, str]
    no_trend: dict[str, str]
    iod_la: Table = None
    ltla_utla: Table = None
    values_loader: Callable[[], pd.DataFrame] | None = None
    context_loader: Callable[[], pd.DataFrame] | None = None
    raw_rows: pd.DataFrame | None = None
    series_rows_df: pd.DataFrame | None = None
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    periods: pd.DataFrame = field(default_factory=pd.DataFrame)
    chosen: dict[str, int] = field(default_factory=dict)
    snapshot: Path | None = None
    cache: dict[Any, Any] = field(default_factory=dict)

    @property
    def utla_set(self) -> set[str]:
        return set(self.utla)

    @property
    def raw(self) -> pd.DataFrame:
        """Every loaded values row (read on first use when the ratings came from a snapshot)."""
        if self.raw_rows is None:
            if self.values_loader is None:
                return prepare_values(pd.DataFrame())
            self.raw_rows = prepare_values(self.values_loader())
        return self.raw_rows

    @property
    def series_rows(self) -> pd.DataFrame:
        """Rows of the series the measures use (breakdowns by sex, age and category)."""
        if self.series_rows_df is None:
            raw = self.raw
            self.series_rows_df = raw[raw["series"].isin(set(self.meta["series"]) - {""})]
        return self.series_rows_df


def _conformed(frame: pd.DataFrame | None, schema: dict[str, str]) -> pd.DataFrame:
    """A table in its warehouse schema (an empty one when missing)."""
    return conform(frame, schema) if frame is not None and len(frame) else empty_frame(schema)


def measures_meta(measures: list[Measure]) -> pd.DataFrame:
    """One row per measure: the fields the rating reads (series: the first binding until bound)."""
    return pd.DataFrame(
        {
            "measure_id": [m.id for m in measures],
            "polarity": [m.polarity for m in measures],
            "proportion": [m.value_type == "percentage" for m in measures],
            "series": [m.data[0].series if m.data else "" for m in measures],
            "value_type": [m.value_type for m in measures],
            "unit": [m.unit for m in measures],
        }
    )


def tables_state(
    cat: Catalogue,
    areas: pd.DataFrame,
    area_groups: pd.DataFrame | None,
    reported: pd.DataFrame | None,
    series_available: set[str],
    iod_la: Table = None,
    ltla_utla: Table = None,
) -> State:
    """Everything but the values: areas, groups, seed tables and the measures' metadata."""
    areas = _conformed(areas, AREAS)
    auth = authorities_from_areas(areas)
    measures = list(cat.measures.values())
    return State(
        cat=cat,
        measures=measures,
        meta=measures_meta(measures),
        areas=areas,
        area_groups=_conformed(area_groups, AREA_GROUPS),
        reported=_conformed(reported, REPORTED),
        names=dict(zip(areas["area_code"], areas["area_name"], strict=False)),
        auth=auth,
        utla=list(auth["area_code"]),
        region_of=dict(zip(auth["area_code"], auth["region_code"], strict=False)),
        regions=set(areas.loc[areas["area_type"] == "region", "area_code"]),
        series_available=set(series_available),
        trend_from={m.id: m.trend_from for m in measures if m.trend_from},
        no_trend={m.id: m.trend_note or NO_TREND for m in measures if m.trend == "none"},
        iod_la=iod_la,
        ltla_utla=ltla_utla,
    )
