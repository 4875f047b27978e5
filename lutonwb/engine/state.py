"""What an engine holds: the catalogue, the area tables, the bound rows and its caches.

One `State` per engine; the engine's modules are functions over it. `tables_state` sets up
everything but the values (areas, groups, seed tables, the measures' metadata); `bindings`
adds the rows.
"""

from __future__ import annotations

import threading
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
READER_KEPT = 8  # custom groups and past periods kept rated (~6 MB each)


def reader_keyed(key: object) -> bool:
    """A result key made from reader input: a custom group or a period other than latest
    (keys are ("members", group, custom), ("rate", group, custom, period), ("grid", period)...)."""
    if not isinstance(key, tuple):
        return False
    custom = any(isinstance(k, tuple) and k for k in key)
    return custom or (len(key) > 1 and isinstance(key[-1], str) and key[-1] != "latest")


class ResultStore(dict):
    """The engine's computed results. Those for the defaults stay for the engine's life; those
    keyed by reader input (custom groups, past periods) are bounded to the newest `keep`, so a
    long-running server shared by many readers does not grow without end."""

    def __init__(self, keep: int = READER_KEPT) -> None:
        super().__init__()
        self.keep = keep
        self._lock = threading.Lock()

    def __setitem__(self, key: Any, value: Any) -> None:
        with self._lock:
            super().__setitem__(key, value)
            if reader_keyed(key):
                for old in [k for k in self if reader_keyed(k)][: -self.keep]:
                    self.pop(old, None)

    def remembered(self, key: Any, make: Callable[[], Any]) -> Any:
        """The stored result for `key`, made and stored first when missing (returned directly, so
        another reader's eviction between the two steps cannot lose it)."""
        found = self.get(key, _MISSING)
        if found is _MISSING:
            found = make()
            self[key] = found
        return found


_MISSING = object()


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
    cache: ResultStore = field(default_factory=ResultStore)
    _by_measure: dict[str, tuple[pd.DataFrame, dict[str, Any]]] = field(
        default_factory=dict, repr=False
    )

    def measure_rows(self, measure_id: str) -> pd.DataFrame:
        """The bound rows of one measure, in their order. A mask over every row cost ~1 ms a
        call, and a live progress table makes hundreds of such calls (one per measure and
        chart), so each frame is indexed by measure once."""
        return self._of_measure("rows", measure_id)

    def reported_rows(self, measure_id: str) -> pd.DataFrame:
        """The documents' figures of one measure, in their order (indexed as measure_rows)."""
        return self._of_measure("reported", measure_id)

    def _of_measure(self, table: str, measure_id: str) -> pd.DataFrame:
        """One measure's rows of a frame held here, by a per-measure index made once per frame
        (made again when the frame is replaced, as bindings.bind does)."""
        frame = getattr(self, table)
        made = self._by_measure.get(table)
        if made is None or made[0] is not frame:
            index = frame.groupby("measure_id", sort=False).indices if len(frame) else {}
            made = self._by_measure[table] = (frame, index)
        found = made[1].get(measure_id)
        if found is None:
            return frame.iloc[:0]
        if found[-1] - found[0] + 1 == len(found):  # one run of rows (as built): a slice
            return frame.iloc[found[0] : found[-1] + 1]
        return frame.iloc[found]

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
