"""DuckDB over the published parquet warehouse: one named function per query, bound parameters only.

The connection is in memory and holds a copy of each small table (large files are queried in
place); builds are never changed after publishing, so an open Warehouse keeps answering from its
own build (reopen to see a new one).
DuckDB connections are not thread-safe: every query runs on its own cursor().
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from lutonwb.ingest.pipeline import read_manifest


class WarehouseMissing(RuntimeError):
    """No build has been published yet."""


IN_PLACE_BYTES = 16 * 1024 * 1024  # parquet files larger than this are queried, not loaded


class Warehouse:
    """Read-only access to one published build."""

    def __init__(self, folder: Path):
        folder = Path(folder)
        if not (folder / "manifest.json").exists():
            raise WarehouseMissing(f"no warehouse at {folder}: run `lutonwb build` first")
        self.folder = folder.resolve()
        self.manifest = read_manifest(folder)
        self._con = duckdb.connect(":memory:")
        self._tables: list[str] | None = None
        for path in sorted(self.folder.glob("*.parquet")):
            rel = self._con.read_parquet(str(path))
            if path.stat().st_size > IN_PLACE_BYTES:
                rel.create_view(path.stem)  # scanned in place: memory stays flat as data grow
            else:
                rel.create(path.stem)  # small: held in memory

    # -- plumbing -------------------------------------------------------------------------
    def _query(self, sql: str, params: Sequence | dict | None = None) -> pd.DataFrame:
        cur = self._con.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def tables(self) -> list[str]:
        """Names of the tables in this build (fixed once opened: asked once)."""
        if self._tables is None:
            rows = self._query("SELECT table_name FROM information_schema.tables")
            self._tables = sorted(rows["table_name"])
        return list(self._tables)

    def has_table(self, name: str) -> bool:
        return name in self.tables()

    # -- named queries --------------------------------------------------------------------
    def row_counts(self) -> dict[str, int]:
        """Rows per table, as recorded at build time."""
        return dict(self.manifest.get("tables", {}))

    def table(self, name: str) -> pd.DataFrame:
        """A whole (small) table; name must be one of this build's tables."""
        if name not in self.tables():
            raise KeyError(f"no table {name!r} in the warehouse")
        return self._query(f'SELECT * FROM "{name}"')  # name checked against the catalog above

    def series_values(self, series: Sequence[str]) -> pd.DataFrame:
        """Every row of the given series, all areas and periods."""
        return self._query(
            'SELECT * FROM "values" WHERE list_contains($series, series) ORDER BY series, area_code, period_start',
            {"series": list(series)},
        )

    def values_file(self) -> Path | None:
        """This build's values.parquet (the resolved build, never the moving symlink), or None."""
        path = self.folder / "values.parquet"
        return path if path.exists() else None

    def series_rows(
        self, series: Sequence[str], codes: Sequence[str] | None, columns: Sequence[str]
    ) -> pd.DataFrame:
        """Rows of the given series (and areas, when codes is given), only the given columns.

        Read from the parquet file with a column projection and row filters (4x faster than
        materialising every column through DuckDB); the named query when the file is not there.
        """
        path = self.values_file()
        filters = [("series", "in", list(series))]
        if codes is not None:
            filters.append(("area_code", "in", list(codes)))
        if path is not None:
            try:
                return pd.read_parquet(path, columns=list(columns), filters=filters)
            except (OSError, ValueError, KeyError):
                pass
        rows = self.series_values(series)
        return rows if codes is None else rows[rows["area_code"].isin(set(codes))]

    def series_names(self) -> list[str]:
        """Every series id in values (the engine's start-up: a summary would cost 10x more)."""
        return list(self._query('SELECT DISTINCT series FROM "values"')["series"])

    def series_summary(self) -> pd.DataFrame:
        """One row per series: indicator, source file, periods and row count (methods page, checks).

        The latest period is the one that ends last (then starts last), so it always ends on
        last_end: a series that mixes single years with pooled ones ('2023' and '2022-24') never
        reads 'to December 2024, latest period 2023'."""
        return self._query(
            """
            SELECT series, any_value(indicator) AS indicator, any_value(source_file) AS source_file,
                   any_value(unit) AS unit, count(*) AS rows, count(DISTINCT area_code) AS areas,
                   min(period_start) AS first_start, max(period_end) AS last_end,
                   arg_max(period, [period_end, period_start]) AS latest_period
            FROM "values" GROUP BY series ORDER BY series
            """
        )

    def areas(self, area_type: str | None = None) -> pd.DataFrame:
        """Areas, optionally of one type ('utla', 'region', 'ward', …)."""
        if area_type is None:
            return self._query("SELECT * FROM areas ORDER BY area_type, area_name")
        return self._query(
            "SELECT * FROM areas WHERE area_type = $t ORDER BY area_name", {"t": area_type}
        )

    def area_groups(self, group_id: str, area_code: str) -> pd.DataFrame:
        """Members of a published comparator group for one authority, closest first."""
        return self._query(
            "SELECT * FROM area_groups WHERE group_id = $g AND area_code = $a ORDER BY rank",
            {"g": group_id, "a": area_code},
        )

    # -- year plan (owner: tracker helper) -------------------------------------------------
    def plan_actions(self) -> pd.DataFrame:
        """Every plan action (2024-25 plan and five-year plan), in phase then board order."""
        if not self.has_table("plan_actions"):
            return pd.DataFrame()
        return self._query("SELECT * FROM plan_actions ORDER BY phase_order, board, line")

    def plan_phases(self) -> pd.DataFrame:
        """The five-year plan's expected outcomes per phase and life-course stage."""
        if not self.has_table("plan_phases"):
            return pd.DataFrame()
        return self._query("SELECT * FROM plan_phases ORDER BY phase_order, life_course")

    # -- wards and LSOAs (ward maps) ------------------------------------------------------
    def boundaries(self, layer: str) -> pd.DataFrame:
        """Simplified polygons of one layer ('wd23', 'wd13', 'lsoa21', 'lsoa11', 'msoa11', 'utla23')."""
        if not self.has_table("boundaries"):
            return pd.DataFrame(columns=["layer", "code", "name", "geometry", "lon", "lat"])
        return self._query("SELECT * FROM boundaries WHERE layer = $l ORDER BY code", {"l": layer})

    def lsoa_ward_lookup(self, lsoa_vintage: str) -> pd.DataFrame:
        """LSOA → ward lookup rows for 'LSOA11' (2013 wards) or 'LSOA21' (2023 wards, best fit)."""
        return self._query(
            "SELECT * FROM lookup_lsoa_ward WHERE lsoa_vintage = $v ORDER BY lsoa_code",
            {"v": lsoa_vintage},
        )

    def lsoa11_lsoa21(self) -> pd.DataFrame:
        """ONS LSOA 2011 → 2021 lookup with the change indicator."""
        return self._query("SELECT * FROM lookup_lsoa11_lsoa21 ORDER BY lsoa21_code, lsoa11_code")

    def iod_lsoa(self, edition: str, measure: str) -> pd.DataFrame:
        """Every domain's value of one measure ('score'|'rank'|'decile') for one IoD edition, by LSOA."""
        return self._query(
            "SELECT lsoa_code, domain, value FROM iod_lsoa WHERE edition = $e AND measure = $m ORDER BY lsoa_code, domain",
            {"e": edition, "m": measure},
        )

    def iod_ward_2019(self) -> pd.DataFrame:
        """IMD 2019 ward aggregates (2013 wards) as published: score, proportion, extent per domain."""
        return self._query("SELECT * FROM iod_ward_2019 ORDER BY ward_code, domain, measure")

    def census_household_deprivation(self) -> pd.DataFrame:
        """Census 2021 TS011 households by number of deprivation dimensions, by LSOA 2021."""
        return self._query(
            "SELECT * FROM census_household_deprivation ORDER BY lsoa_code, dimensions"
        )

    def fuel_poverty_lsoa(self, year: int) -> pd.DataFrame:
        """DESNZ households in fuel poverty by LSOA for one year."""
        return self._query(
            "SELECT * FROM fuel_poverty_lsoa WHERE year = $y ORDER BY lsoa_code", {"y": year}
        )

    def lsoa_population(self, age_group: str = "all ages") -> pd.DataFrame:
        """IoD 2019 population denominators (mid-2015, LSOA 2011) for one age group."""
        return self._query(
            "SELECT lsoa_code, population FROM lsoa_population WHERE age_group = $a ORDER BY lsoa_code",
            {"a": age_group},
        )


# -- the engine's binding of catalogue measures to value rows ----------------------------------
BINDING_ENDS_SQL = """
    SELECT j.measure_id, j.b_idx, max(j._end) AS "end"
    FROM bound_candidates j SEMI JOIN scope USING (area_code)
    GROUP BY j.measure_id, j.b_idx
"""

CHOSEN_ROWS_SQL = """
    SELECT measure_id, b_idx, b_scale, area_code, period, period_start, period_end, start_year,
           value, lower_ci, upper_ci, count, denominator, significance, _end
    FROM (
        SELECT j.*, row_number() OVER (
            PARTITION BY j.measure_id, j.area_code, j.period
            ORDER BY j._end NULLS LAST, j.period_start NULLS LAST, j.age, j._rn
        ) AS _n
        FROM bound_candidates j JOIN chosen USING (measure_id, b_idx)
    ) WHERE _n = 1
    ORDER BY measure_id, area_code, _end NULLS LAST, period_start NULLS LAST, period, age, _rn
"""

CANDIDATES_SQL = """
    CREATE TEMP TABLE bound_candidates AS
    SELECT v.*, b.measure_id, b.b_idx, b.b_scale,
           coalesce(v.period_end, v.period_start,
                    make_timestamp(CAST(v.start_year AS BIGINT), 1, 1, 0, 0, 0)) AS _end
    FROM (
        SELECT _rn, series, area_code, coalesce(period, '') AS period,
               CAST(period_start AS TIMESTAMP) AS period_start,
               CAST(period_end AS TIMESTAMP) AS period_end,
               CAST(start_year AS DOUBLE) AS start_year,
               coalesce(sex, '') AS sex, coalesce(age, '') AS age,
               coalesce(category_type, '') AS category_type, coalesce(category, '') AS category,
               CAST(value AS DOUBLE) AS value, CAST(lower_ci AS DOUBLE) AS lower_ci,
               CAST(upper_ci AS DOUBLE) AS upper_ci, CAST(count AS DOUBLE) AS count,
               CAST(denominator AS DOUBLE) AS denominator,
               coalesce(significance, '') AS significance
        FROM src
        WHERE value IS NOT NULL
          AND area_code IN (SELECT area_code FROM keep)
          AND series IN (SELECT series FROM bindings)
    ) v
    JOIN bindings b ON v.series = b.series
    WHERE (v.sex = b.b_sex OR (b.b_sex = 'Persons' AND v.sex = ''))
      AND (b.b_age IS NULL OR v.age = b.b_age)
      AND v.category_type = b.b_ctype AND v.category = b.b_cat
      AND (b.b_years IS NULL
           OR round(date_diff('day', v.period_start, v.period_end) / 365.25) = b.b_years)
"""


def bind_values(
    source: Path | pd.DataFrame,
    bindings: pd.DataFrame,
    keep: Sequence[str],
    scope: Sequence[str],
    choose: Callable[[pd.DataFrame], pd.DataFrame],
) -> pd.DataFrame:
    """Value rows matched to each measure's bindings, only for the binding `choose` picks.

    Runs in DuckDB straight from the parquet file (or a frame), so only bound rows ever reach
    pandas: memory follows the rows the engine keeps, not the whole values table.
    source: values.parquet or a frame in the VALUES schema; bindings: measure_id, b_idx,
    series, b_sex, b_age, b_ctype, b_cat, b_scale, b_years; keep: area codes rated or used as
    benchmarks; scope: the codes whose latest period decides between bindings; choose: gets
    measure_id, b_idx, end (latest period end over scope) and returns the chosen measure_id,
    b_idx pairs. Rows come back in (measure, area, period end, …) order, one per
    (measure, area, period): the earliest-ending, then first in the file.
    """
    con = duckdb.connect(":memory:")
    try:
        if isinstance(source, pd.DataFrame):
            frame = source.assign(_rn=np.arange(len(source)))
            con.register("src_frame", frame)
            con.table("src_frame").create_view("src")
        else:
            rel = con.read_parquet(str(source), file_row_number=True)
            rel.project("*, file_row_number AS _rn").create_view("src")
        con.register("bindings", bindings)
        con.register("keep", pd.DataFrame({"area_code": pd.Series(list(keep), dtype=object)}))
        con.register("scope", pd.DataFrame({"area_code": pd.Series(list(scope), dtype=object)}))
        con.execute(CANDIDATES_SQL)
        ends = con.execute(BINDING_ENDS_SQL).df()
        con.register("chosen", choose(ends)[["measure_id", "b_idx"]])
        return con.sql(CHOSEN_ROWS_SQL).to_arrow_table().to_pandas()  # 2x faster than .df()
    finally:
        con.close()
