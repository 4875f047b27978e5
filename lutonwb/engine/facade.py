"""The engine's one public class: ratings for any home authority against any comparator group.

A small facade over the engine's modules (bindings, groups, rate, scorecard, summary, charts,
snapshot); it keeps the public method names the ui layer, the cli, checks and the bench call.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lutonwb.catalogue import Binding, Catalogue, Measure
from lutonwb.comparators import (
    GROUP_IDS,
    GROUPS,
    SIMILAR_VARIABLES,
    Group,
    pick_series,
    similar_areas_method,
)
from lutonwb.db import Warehouse
from lutonwb.engine import bindings, charts, groups, rate, scorecard, summary
from lutonwb.engine import snapshot as snapshots
from lutonwb.engine.memory import ordinary_pages
from lutonwb.engine.methods import methods_prose
from lutonwb.engine.rows import prepare_values
from lutonwb.engine.state import State, tables_state
from lutonwb.engine.vocab import UnknownMeasure

ENGINE_AREA_TYPES = ("utla", "region", "england")


def _wanted_series(wh: Warehouse, cat: Catalogue, available: set[str]) -> list[str]:
    """Every bound series and the similar-areas context series this build has."""
    wanted = {b.series for m in cat.measures.values() for b in m.data}
    wanted |= {s for var in SIMILAR_VARIABLES if (s := pick_series(available, var))}
    return sorted(wanted & available)


def _optional(wh: Warehouse, name: str) -> pd.DataFrame | None:
    """A warehouse table, or None when the build has none."""
    return wh.table(name) if wh.has_table(name) else None


def _warehouse_state(wh: Warehouse, cat: Catalogue) -> tuple[State, list[str]]:
    """The engine's tables from a build, with loaders for the values it reads when needed."""
    available = set(wh.series_names()) if wh.has_table("values") else set()
    areas = wh.areas() if wh.has_table("areas") else pd.DataFrame()
    codes = areas.loc[areas["area_type"].isin(ENGINE_AREA_TYPES), "area_code"].tolist() or None
    iod = (lambda: wh.table("iod_la")) if wh.has_table("iod_la") else None
    ltla = (lambda: wh.table("lookup_ltla_utla")) if wh.has_table("lookup_ltla_utla") else None
    st = tables_state(
        cat, areas, _optional(wh, "area_groups"), _optional(wh, "reported"), available, iod, ltla
    )
    wanted = _wanted_series(wh, cat, available)
    context = [s for s in wanted if groups.is_context_series(s)]
    columns = list(prepare_values(pd.DataFrame()).columns)
    st.values_loader = lambda: wh.series_rows(wanted, codes, columns)
    st.context_loader = lambda: wh.series_rows(context, codes, columns)
    return st, wanted


class Engine:
    """Ratings for any home authority against any comparator group (built once, cached inside)."""

    def __init__(self, wh: Warehouse, cat: Catalogue, snapshot: bool = True):
        """snapshot: use (and, when missing, save) the precomputed ratings kept with the build;
        False always computes from the values."""
        ordinary_pages()  # big arrays without the kernel's on-the-spot compaction (memory.py)
        st, wanted = _warehouse_state(wh, cat)
        folder = snapshots.snapshot_folder(wh, cat) if snapshot else None
        if folder is not None and folder.is_dir():
            try:
                snapshots.load(st, folder)
                self._st = st
                return
            except (OSError, ValueError, KeyError):  # unreadable or foreign: compute instead
                st, wanted = _warehouse_state(wh, cat)
        path = wh.values_file()
        source: pd.DataFrame | Path
        if wanted and path is not None:  # bound in DuckDB from the file; rows read when needed
            source = path
        else:
            source = prepare_values(st.values_loader() if wanted else pd.DataFrame())
            st.raw_rows = source
        bindings.bind(st, source)
        self._st = st
        if folder is not None:
            self.save_snapshot(folder)

    @classmethod
    def from_frames(
        cls,
        cat: Catalogue,
        values: pd.DataFrame,
        areas: pd.DataFrame,
        area_groups: pd.DataFrame | None = None,
        reported: pd.DataFrame | None = None,
        iod_la: pd.DataFrame | None = None,
        ltla_utla: pd.DataFrame | None = None,
    ) -> Engine:
        """An engine over in-memory tables in the warehouse schemas (tests, tools)."""
        series = set(values["series"]) if "series" in values else set()
        st = tables_state(cat, areas, area_groups, reported, series, iod_la, ltla_utla)
        st.raw_rows = prepare_values(values)
        bindings.bind(st, st.raw_rows)
        return cls.from_state(st)

    @classmethod
    def from_state(cls, st: State) -> Engine:
        """An engine over a State that is already bound (from_frames, tools)."""
        obj = cls.__new__(cls)
        obj._st = st
        return obj

    @property
    def cat(self) -> Catalogue:
        """The catalogue the engine rates."""
        return self._st.cat

    @property
    def state(self) -> State:
        """What the engine holds (tests and tools: where the ratings came from, what was read)."""
        return self._st

    def save_snapshot(self, folder: Path) -> bool:
        """Rate every fixed group and write the results beside the build (see snapshot.save)."""
        return snapshots.save(self._st, folder, self.rate_all)

    # -- measures and bindings ------------------------------------------------------------------
    def _measure(self, measure: str | Measure) -> Measure:
        if isinstance(measure, Measure):
            return measure
        mid = self._st.cat.resolve(measure)
        if not mid or mid not in self._st.cat.measures:
            raise UnknownMeasure(f"unknown measure {measure!r}")
        return self._st.cat.measures[mid]

    def binding(self, measure: str | Measure) -> Binding | None:
        """The binding the engine uses for a measure (most recent data), or None."""
        return bindings.binding(self._st, self._measure(measure))

    def alternates(self, measure: str | Measure) -> list[Binding]:
        """The measure's other bindings (same definition, older or shorter series)."""
        return bindings.alternates(self._st, self._measure(measure))

    def sources(self, measure: str | Measure) -> tuple[str, list[str]]:
        """(publisher of the figures shown, publishers of the other bound series)."""
        m = self._measure(measure)
        others = [b.source or m.source for b in self.alternates(m)]
        used = bindings.source(self._st, m)
        return used, [o for o in dict.fromkeys(others) if o != used]

    def default_group(self, board_id: str | None = None, measure_id: str | None = None) -> str:
        """The catalogue's default comparator: the measure's own, else the majority of the board's
        measures (ties: the first in GROUP_IDS order), else the whole catalogue's majority."""
        if measure_id:
            return self._measure(measure_id).default_comparator
        ms = scorecard.select(self._st, board_id, None, None) if board_id else self._st.measures
        counts: dict[str, int] = {}
        for m in ms:
            if m.data and m.default_comparator in GROUP_IDS:  # measures the engine rates
                counts[m.default_comparator] = counts.get(m.default_comparator, 0) + 1
        if not counts:
            return "england"
        return max(GROUP_IDS, key=lambda g: (counts.get(g, 0), -GROUP_IDS.index(g)))

    # -- areas and groups -----------------------------------------------------------------------
    def groups(self) -> list[Group]:
        """The comparator groups, in display order."""
        return list(GROUPS)

    def authorities(self) -> pd.DataFrame:
        """Every current UTLA: area_code, area_name, region_code, region_name."""
        return self._st.auth.copy()

    def area_name(self, code: str) -> str:
        """Name of any area code the warehouse knows ('' when unknown)."""
        return str(self._st.names.get(code, ""))

    def custom_codes(self, custom: Sequence[str] | str) -> tuple[list[str], list[str]]:
        """Valid current UTLA codes of a custom list, and a message for each code left out."""
        return groups.custom_codes(self._st, custom)

    def group_members(self, group_id: str, home: str, custom: Sequence[str] = ()) -> list[str]:
        """Members of the home area's comparator group (never the home itself), closest first."""
        return groups.group_members(self._st, group_id, home, custom)

    def same_members_group(
        self, home: str, custom: Sequence[str], among: Sequence[str]
    ) -> str | None:
        """The first group of `among` with exactly the custom group's members for `home`."""
        return groups.same_members_group(self._st, home, custom, among)

    def group_notes(self, group_id: str, home: str, custom: Sequence[str] = ()) -> list[str]:
        """Plain-English notes about a group for one home area (dropped codes, empty groups)."""
        return groups.group_notes(self._st, group_id, home, custom)

    def similar_areas(self) -> pd.DataFrame:
        """home, member, rank, distance for every authority's open similar-areas group."""
        return groups.similar(self._st).copy()

    def similar_areas_method(self) -> str:
        """The similar-areas method with the variables used in this build (methods page)."""
        groups.similar(self._st)
        return similar_areas_method(self._st.cache["similar_used"])

    # -- ratings --------------------------------------------------------------------------------
    def rate_all(
        self, group_id: str, custom: Sequence[str] = (), period: str = "latest"
    ) -> pd.DataFrame:
        """Ratings of every measure for every current UTLA against one group (cached)."""
        return rate.rate_all(self._st, group_id, custom, period)

    def scorecard(
        self,
        home: str,
        group_id: str,
        custom: Sequence[str] = (),
        period: str = "latest",
        board: str | None = None,
        principle: int | None = None,
        outcome: str | None = None,
    ) -> pd.DataFrame:
        """One row per measure for a home area and group; df.attrs['notes'] carries group notes."""
        home = groups.check_home(self._st, home)
        groups.check_group(group_id)
        ms = scorecard.select(self._st, board, principle, outcome)
        return scorecard.scorecard(self._st, home, group_id, custom, period, ms)

    def scorecard_part(
        self,
        whole: pd.DataFrame,
        board: str | None = None,
        principle: int | None = None,
        outcome: str | None = None,
    ) -> pd.DataFrame:
        """One board's, principle's or outcome's rows of a whole scorecard: the frame scorecard()
        makes for them (every row is worked out on its own), without working them out again."""
        return scorecard.part(whole, scorecard.select(self._st, board, principle, outcome))

    def summary(self, scorecard: pd.DataFrame, by: str, against: str = "vs_group") -> pd.DataFrame:
        """Counts per principle / board / outcome (see summary.summary)."""
        return summary.summary(scorecard, by, against)

    # -- one measure ----------------------------------------------------------------------------
    def measure_series(
        self, measure_id: str, home: str, group_id: str, custom: Sequence[str] = ()
    ) -> pd.DataFrame:
        """Trend chart data, in period-end order: period, period_start, period_end, role, area_code,
        area_name, value, lower_ci, upper_ci, before_break (the point precedes the measure's series
        break, catalogue trend_from, and is not used for the trend)."""
        m = self._measure(measure_id)
        home = groups.check_home(self._st, home)
        return charts.measure_series(self._st, m, home, groups.check_group(group_id), custom)

    def measures_series(
        self, measure_ids: Sequence[str], home: str, group_id: str, custom: Sequence[str] = ()
    ) -> dict[str, pd.DataFrame]:
        """measure_series of many measures by id, the same frames, worked out in one pass (a
        live progress table needs every measure's)."""
        ms = [self._measure(i) for i in measure_ids]
        home = groups.check_home(self._st, home)
        return charts.measures_series(self._st, ms, home, groups.check_group(group_id), custom)

    def measure_group_values(
        self,
        measure_id: str,
        home: str,
        group_id: str,
        custom: Sequence[str] = (),
        period: str = "latest",
    ) -> pd.DataFrame:
        """Ranked bar data for the group and home: area_code, area_name, value, limits, rank,
        is_home, vs_home_benchmark."""
        m = self._measure(measure_id)
        home = groups.check_home(self._st, home)
        group_id = groups.check_group(group_id)
        return charts.measure_group_values(self._st, m, home, group_id, custom, period)

    def measure_all_areas(self, measure_id: str, period: str = "latest") -> pd.DataFrame:
        """Every current UTLA at one period (the latest any authority has): value, vs_england,
        rank, quartile."""
        return charts.measure_all_areas(self._st, self._measure(measure_id), period)

    def measure_breakdown(self, measure_id: str, home: str, period: str = "latest") -> pd.DataFrame:
        """The home area's values by sex, age and category with England's beside them."""
        m = self._measure(measure_id)
        return charts.measure_breakdown(self._st, m, groups.check_home(self._st, home), period)

    def methods_text(self) -> dict[str, str]:
        """The rating rules in plain English, keyed by topic, for the methods page."""
        return {**methods_prose(), "similar": self.similar_areas_method()}
