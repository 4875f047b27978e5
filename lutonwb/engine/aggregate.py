"""England and region figures aggregated from the authorities' counts where a source publishes
none: sum of counts over sum of denominators (lutonwb.intervals), never a mean of rates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lutonwb import intervals
from lutonwb.engine.rows import PER
from lutonwb.engine.state import State

ENGLAND_COVER = 0.95  # share of current authorities whose counts England's sum needs
ENGLAND_NOTE = "England figure summed from the authorities' counts (the source publishes none)"
REGION_NOTE = "region figure summed from its authorities' counts (the source publishes none)"


def _countable(st: State) -> pd.DataFrame:
    """Authority rows whose value is the crude ratio of count and denominator (the engine computed
    their limits), with the region each belongs to and the measure's kind and multiplier."""
    r = st.rows
    u = r.loc[((r["kind"] == "utla") & r["ci_computed"]).to_numpy()]
    u = u[["measure_id", "area_code", "pkey", "count", "denominator"]].copy()
    meta = st.meta.set_index("measure_id")
    u["region_code"] = u["area_code"].map(st.region_of)
    u["kind"] = u["measure_id"].map(meta["value_type"])
    u["per"] = u["measure_id"].map(meta["unit"]).map(PER)
    return u[u["kind"].isin(("percentage", "rate"))]


def _sums(u: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """intervals.aggregate_frame per measure (its kind and multiplier), with the areas summed."""
    parts = []
    for (_, kind, per), rows in u.groupby(["measure_id", "kind", "per"], sort=False):
        out = intervals.aggregate_frame(rows, keys, str(kind), float(per))
        out["n_areas"] = rows.groupby(keys, sort=True).size().to_numpy()
        parts.append(out)
    cols = [*keys, "value", "n_areas"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def aggregates(st: State) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(England, regions) aggregated from counts, kept only where the authorities summed cover
    England (95% of current authorities) or the whole region (computed once)."""

    def made() -> tuple[pd.DataFrame, pd.DataFrame]:
        u = _countable(st)
        eng = _sums(u, ["measure_id", "pkey"])
        eng = eng[eng["n_areas"] >= ENGLAND_COVER * len(st.utla)]
        reg = _sums(u, ["measure_id", "pkey", "region_code"])
        size = pd.Series(st.region_of).value_counts()
        reg = reg[reg["n_areas"] >= reg["region_code"].map(size).fillna(np.inf)]
        return eng.drop(columns="n_areas"), reg.drop(columns="n_areas")

    return st.cache.remembered(("aggregates",), made)


def aggregated_benchmarks(st: State, grid: pd.DataFrame) -> pd.DataFrame:
    """England's and the region's value filled from counts where missing; the notes say so
    (columns england_aggregated, region_aggregated)."""
    eng, reg = aggregates(st)
    keys = ["measure_id", "pkey"]
    grid = grid.merge(eng.rename(columns={"value": "_eng"}), on=keys, how="left")
    grid = grid.merge(reg.rename(columns={"value": "_reg"}), on=[*keys, "region_code"], how="left")
    grid["england_aggregated"] = grid["england"].isna() & grid["_eng"].notna()
    grid["region_aggregated"] = grid["region"].isna() & grid["_reg"].notna()
    grid["england"] = grid["england"].fillna(grid.pop("_eng").astype("float64"))
    grid["region"] = grid["region"].fillna(grid.pop("_reg").astype("float64"))
    return grid
