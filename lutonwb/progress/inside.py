"""Gaps inside the place over time (issue 17, part 5): fuel poverty by LSOA, children in low-income
families by ward, and which wards moved between the IMD 2019 and IoD 2025 ranks. Each gap carries a
narrowing / widening verdict and its method. A place with no inside-the-place data (no
`local_area` in its place.yaml) gets empty results and a plain notice."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lutonwb.db import Warehouse
from lutonwb.gaps import signed_gap
from lutonwb.place import Place
from lutonwb.progress.series import Z95, se_from_limits
from lutonwb.progress.trend import GapTrend, gap_verdict
from lutonwb.stats import slope_index_of_inequality, wilson_ci

FIFTHS = 5
FUEL_DEFINITIONS = {  # DESNZ metric code -> words; the change of definition is a series break
    "LIHC": "Low Income High Costs",
    "LILEE": "Low Income Low Energy Efficiency",
}
CHILDREN_SERIES = "dwp-cilif/relative"


@dataclass(frozen=True)
class InsideGap:
    """One gap inside the place: a table per year (or edition), its verdicts and methods."""

    title: str
    table: pd.DataFrame
    verdicts: dict[str, GapTrend] = field(default_factory=dict)  # series part -> verdict
    method: str = ""
    notice: str = ""  # why the table is empty, in plain words
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)  # e.g. the gap per edition

    @property
    def verdict(self) -> GapTrend | None:
        """The verdict of the latest part of the series (after any break), if any."""
        return list(self.verdicts.values())[-1] if self.verdicts else None


def no_local_data(place: Place, title: str) -> InsideGap:
    """The empty result for a place without ward and LSOA files."""
    return InsideGap(
        title,
        pd.DataFrame(),
        notice=f"{place.name} has no ward or neighbourhood data in its place folder, "
        "so gaps inside it cannot be shown.",
    )


def too_few(title: str, what: str) -> InsideGap:
    """The empty result when the place has too few areas with data to form fifths."""
    return InsideGap(
        title,
        pd.DataFrame(),
        notice=f"Not enough {what} with data to compare the most and least deprived fifths "
        f"(at least {FIFTHS} are needed).",
    )


def fifth_of(order: pd.Series) -> pd.Series:
    """Fifth (1 = most deprived) of each area from its deprivation order (1 = most deprived)."""
    pos = order.rank(method="first").to_numpy() - 1
    return pd.Series((pos * FIFTHS // len(order)).astype(int) + 1, index=order.index)


HARDSHIP = "lower-better"  # every share here counts people in hardship: lower is better


def fifths_gap(areas: pd.DataFrame, polarity: str = HARDSHIP) -> dict[str, float]:
    """Gap between the most and least deprived fifths (percentage points) with a 95% interval
    from the two fifths' Wilson limits, and the SII as the modelled gap between the most and least
    deprived ends; both signed by the app's one rule (lutonwb.gaps): positive = worse in the more
    deprived areas. `areas`: count, denominator, order (1 = most deprived)."""
    a = areas.dropna(subset=["count", "denominator", "order"])
    a = a[a["denominator"] > 0]
    if len(a) < FIFTHS:
        return {}
    fifth = fifth_of(a["order"])
    sums = a.groupby(fifth)[["count", "denominator"]].sum()
    most, least = sums.loc[1], sums.loc[FIFTHS]
    lo_m, hi_m = wilson_ci(most["count"], most["denominator"])
    lo_l, hi_l = wilson_ci(least["count"], least["denominator"])
    se = math.hypot(se_from_limits(lo_m, hi_m), se_from_limits(lo_l, hi_l)) * 100
    most_rate = 100 * most["count"] / most["denominator"]
    gap = float(signed_gap(most_rate, 100 * least["count"] / least["denominator"], polarity))
    rate = 100 * a["count"] / a["denominator"]
    # the SII's slope runs from the most to the least deprived end: the deprived end minus the other
    sii = float(
        signed_gap(-slope_index_of_inequality(rate, a["order"], a["denominator"]), 0.0, polarity)
    )
    return {
        "most_deprived_fifth": 100 * most["count"] / most["denominator"],
        "least_deprived_fifth": 100 * least["count"] / least["denominator"],
        "gap": gap,
        "gap_lower": gap - Z95 * se,
        "gap_upper": gap + Z95 * se,
        "sii": sii,
        "areas": len(a),
    }


# -- deprivation order -------------------------------------------------------------------------


def imd2019_rank_lsoa11(wh: Warehouse) -> pd.Series:
    """IMD 2019 national rank (1 = most deprived in England) of each 2011 LSOA."""
    r = wh.iod_lsoa("IoD2019", "rank")
    return r[r["domain"] == "imd"].set_index("lsoa_code")["value"].astype(float)


def imd2019_rank_lsoa21(wh: Warehouse) -> pd.Series:
    """IMD 2019 rank carried to 2021 LSOAs (ONS lookup; a merged LSOA takes its more deprived
    parent), so one order holds across the 2011 and 2021 LSOAs."""
    return _carried(wh, imd2019_rank_lsoa11(wh))


def lsoa_order(wh: Warehouse, vintage: str) -> pd.Series:
    """The IMD 2019 national rank of each LSOA of the vintage ('LSOA11' | 'LSOA21')."""
    return imd2019_rank_lsoa11(wh) if vintage == "LSOA11" else imd2019_rank_lsoa21(wh)


# -- the three gaps ----------------------------------------------------------------------------


def _verdicts(table: pd.DataFrame, part: str, label: str) -> dict[str, GapTrend]:
    """One verdict per part of the series (a definition change starts a new part)."""
    out = {}
    for key, p in table.groupby(part, sort=False):
        lower = p.get("gap_lower", np.nan)
        upper = p.get("gap_upper", np.nan)
        out[str(key)] = gap_verdict(p["year"], p["gap"], lower, upper, label)
    return out


def fuel_poverty_gaps(wh: Warehouse, place: Place) -> InsideGap:
    """Per year: fuel poverty in the most and least deprived fifths of the place's LSOAs (by IMD
    2019), the gap and the SII; a verdict for each definition (LIHC to 2018, LILEE from 2019)."""
    title = "Fuel poverty: most against least deprived fifth of neighbourhoods"
    if place.local_area is None or not wh.has_table("fuel_poverty_lsoa"):
        return no_local_data(place, title)
    rows = []
    fp = wh.table("fuel_poverty_lsoa")
    for (year, metric, vintage), part in fp.groupby(["year", "metric", "lsoa_vintage"]):
        order = lsoa_order(wh, str(vintage))
        areas = pd.DataFrame(
            {
                "count": part["fuel_poor_households"].to_numpy(dtype=float),
                "denominator": part["households"].to_numpy(dtype=float),
                "order": order.reindex(part["lsoa_code"]).to_numpy(),
            }
        )
        gap = fifths_gap(areas)
        if gap:
            rows.append(
                {"year": int(year), "definition": FUEL_DEFINITIONS.get(metric, metric), **gap}
            )
    if not rows:
        return too_few(title, "neighbourhoods")
    table = pd.DataFrame(rows).sort_values("year").reset_index(drop=True)
    method = (
        "Neighbourhoods (LSOAs) in order of their IMD 2019 rank; the gap's 95% interval from the "
        "two fifths' Wilson limits; one verdict for each definition of fuel poverty (a break). "
        "Fifths, gap, slope index and the break are explained on the methods page."
    )
    return InsideGap(title, table, _verdicts(table, "definition", "gap between fifths"), method)


def _year_of(period: str) -> int:
    """'2014/15' -> 2015: a financial year ending (FYE) in the second year."""
    head, _, tail = str(period).partition("/")
    return int(head[:2] + tail) if tail else int(head)


def children_low_income_gaps(wh: Warehouse, place: Place) -> InsideGap:
    """Per financial year: children in relative low-income families in the most and least
    deprived fifths of the place's wards (by IMD 2019 ward score), the gap and the SII."""
    title = "Children in low-income families: most against least deprived fifth of wards"
    if place.local_area is None:
        return no_local_data(place, title)
    scores = wh.iod_ward_2019()
    scores = scores[(scores["domain"] == "imd") & (scores["measure"] == "score")]
    order = scores.set_index("ward_code")["value"].rank(ascending=False, method="first")
    cols = ["area_code", "period", "value", "count"]
    v = wh.series_rows([CHILDREN_SERIES], list(order.index), cols).dropna(subset=["value", "count"])
    rows = []
    for period, part in v.groupby("period"):
        areas = pd.DataFrame(
            {
                "count": part["count"].to_numpy(dtype=float),
                # the source gives the count and the percentage: the number of children follows
                "denominator": (part["count"] * 100 / part["value"]).to_numpy(dtype=float),
                "order": order.reindex(part["area_code"]).to_numpy(),
            }
        )
        gap = fifths_gap(areas)
        if gap:
            rows.append({"year": _year_of(period), "period": str(period), **gap})
    if not rows:
        return too_few(title, "wards")
    table = pd.DataFrame(rows).sort_values("year").drop(columns=["gap_lower", "gap_upper"])
    table = table.assign(series="all").reset_index(drop=True)
    method = (
        "Wards (the boundaries used until 2023, as DWP publishes them) in order of their IMD 2019 "
        "ward score. Each ward's number of children is its count divided by its published "
        "percentage (rounded, so approximate). The published figures have no confidence limits, "
        "so the verdict is an unweighted straight line through the yearly gaps, t-test. Fifths, "
        "gap and slope index are explained on the methods page."
    )
    verdicts = _verdicts(table, "series", "gap between fifths")
    return InsideGap(title, table.drop(columns="series"), verdicts, method)


def _ward_positions(lsoa: pd.DataFrame, rank: pd.Series, decile: pd.Series):
    """Per ward: household-weighted mean national rank and decile of its LSOAs, and its place
    within the place (1 = most deprived)."""
    d = lsoa.assign(rank=rank.reindex(lsoa["lsoa_code"]).to_numpy())
    d = d.assign(decile=decile.reindex(lsoa["lsoa_code"]).to_numpy()).dropna()
    g = d.assign(wr=d["rank"] * d["w"], wd=d["decile"] * d["w"]).groupby("ward_code")
    s = g[["wr", "wd", "w"]].sum()
    mean_rank, mean_decile = s["wr"] / s["w"], s["wd"] / s["w"]
    return mean_rank.rank(method="min").astype(int), mean_decile


def _edition(wh: Warehouse, edition: str, measure: str) -> pd.Series:
    x = wh.iod_lsoa(edition, measure)
    return x[x["domain"] == "imd"].set_index("lsoa_code")["value"].astype(float)


def ward_moves(wh: Warehouse, place: Place) -> InsideGap:
    """Which 2023 wards moved between IMD 2019 and IoD 2025, by their rank within the place, and
    whether the gap in national deprivation decile between the most and least deprived fifths of
    wards is narrower or wider."""
    from lutonwb.wards import households, lsoa21_wards  # the ward maps' own helpers

    title = "Wards that moved between IMD 2019 and IoD 2025"
    if place.local_area is None:
        return no_local_data(place, title)
    lk = lsoa21_wards(wh)
    lsoa = lk.assign(w=households(wh).reindex(lk["lsoa_code"]).to_numpy())
    r19, d19 = _ward_positions(
        lsoa, imd2019_rank_lsoa21(wh), _carried(wh, _edition(wh, "IoD2019", "decile"))
    )
    r25, d25 = _ward_positions(
        lsoa, _edition(wh, "IoD2025", "rank"), _edition(wh, "IoD2025", "decile")
    )
    names = lk.drop_duplicates("ward_code").set_index("ward_code")["ward_name"]
    table = pd.DataFrame({"ward": names, "rank_2019": r19, "rank_2025": r25}).dropna()
    table = table.assign(moved=table["rank_2019"] - table["rank_2025"])
    table = table.sort_values(["rank_2025", "ward"]).reset_index(names="ward_code")
    if table.empty:
        return too_few(title, "wards")
    gaps = {ed: _decile_gap(r, d) for ed, r, d in (("2019", r19, d19), ("2025", r25, d25))}
    method = (
        "Each 2023 ward's rank within the place (1 = most deprived) from the household-weighted "
        "average national IMD rank of its neighbourhoods (IMD 2019 carried to 2021 LSOAs from "
        "their 2011 parents); a positive move means the ward became more deprived relative to the "
        "rest of the place. Explained on the methods page."
    )
    verdict = _editions_verdict(gaps["2019"], gaps["2025"])
    summary = pd.DataFrame([{"edition": k, "decile_gap": v} for k, v in gaps.items()])
    return InsideGap(title, table, {"editions": verdict}, method, summary=summary)


def _carried(wh: Warehouse, lsoa11: pd.Series) -> pd.Series:
    """An LSOA 2011 value carried to 2021 LSOAs (a merged LSOA takes its lowest parent value)."""
    lk = wh.lsoa11_lsoa21()
    lk = lk.assign(v=lsoa11.reindex(lk["lsoa11_code"]).to_numpy())
    return lk.groupby("lsoa21_code")["v"].min()


def _editions_verdict(before: float | None, after: float | None) -> GapTrend:
    """Narrowing or widening between two editions' decile gaps; 'not enough data' when either
    edition has too few wards to form fifths."""
    if before is None or after is None:
        return GapTrend("not enough data", math.nan, f"fewer than {FIFTHS} wards: no fifths")
    word = "no change"
    if after != before:
        word = "narrowing" if abs(after) < abs(before) else "widening"
    return GapTrend(word, after - before, "two editions compared, no test")


def _decile_gap(place_rank: pd.Series, decile: pd.Series) -> float | None:
    """Average national decile of the least deprived fifth of wards minus the most deprived
    (None when there are too few wards for both fifths to hold one)."""
    have = place_rank.dropna()
    if len(have) < FIFTHS:
        return None
    mean = decile.groupby(fifth_of(have)).mean()
    if not {1, FIFTHS} <= set(mean.dropna().index):
        return None
    return float(mean.loc[FIFTHS] - mean.loc[1])


def inside_gaps(wh: Warehouse, place: Place) -> list[InsideGap]:
    """The three gaps inside the place, in the order the progress page shows them."""
    return [
        fuel_poverty_gaps(wh, place),
        children_low_income_gaps(wh, place),
        ward_moves(wh, place),
    ]
