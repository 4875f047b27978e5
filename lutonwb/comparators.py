"""Comparator groups: who the home area is compared with and ranked among.

Groups (ids are a public contract, used in URLs):
- england: benchmark = the England value; ranked among every current upper-tier authority (UTLA).
- region: the home area's region; benchmark = the region's own value; ranked among its UTLAs.
- cssnbt-2021, cssnbt-2025: DfE Children's Services Statistical Neighbour Benchmarking Tool lists
  (table area_groups), for any authority; ranked among the 10 neighbours plus the home area.
- similar: an open "similar areas" group computed here for every authority (method below).
- all: every current UTLA, benchmark = the unweighted mean of the others.
- custom: the user's list of authority codes (unknown or legacy codes are dropped with a message).

A group's members never include the home area; ranking always adds it ("n of N" counts it).
Legacy codes (for example E10000021 Northamptonshire, split in 2021) appear in older data and in
the 2021 CSSNBT list: members are current UTLAs only, so a legacy neighbour is dropped and named.

Similar areas (the open alternative to CIPFA's nearest neighbours)
-------------------------------------------------------------------
CIPFA's Nearest Neighbours Model is a licensed product and is not in our data. Instead, for every
current UTLA we take the latest value of a fixed set of open *context* variables (never health or
wellbeing outcomes), each from the warehouse where held at UTLA level:
  deprivation (IoD 2025 / IMD 2019 average score), gross disposable household income per head,
  employment rate 16-64, % aged 16-64 with no qualifications, housing affordability ratio,
  claimant count as % of residents 16-64.
Deprivation comes from warehouse table iod_la (district summaries): the IoD 2025 IMD average
score of each LTLA24, else the IMD 2019 average score of each LTLA19, aggregated to the upper tier
with lookup_ltla_utla (a unitary authority is its own district) as the unweighted mean of its
districts' scores, because iod_la carries no populations. Each authority takes IoD 2025 where any
of its districts has it, else IMD 2019. No demographic variable (age structure, ethnicity) is held
for every authority in the warehouse, so none is used.
For each other variable we use the latest period that at least 75% of UTLAs have. Each variable is
z-scored across UTLAs (mean 0, SD 1) and weighted equally. The distance between two authorities
is the Euclidean distance over the variables both have, rescaled by sqrt(K / K_shared) so a
missing variable neither shrinks nor inflates it; pairs sharing fewer than half the variables are
not compared. The 15 nearest authorities (ties broken by code) form the group, like CIPFA's 15.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lutonwb.text import period_words

ENGLAND = "E92000001"
SIMILAR_K = 15
COVERAGE = 0.75  # share of UTLAs a variable's period must cover


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    description: str


GROUPS: tuple[Group, ...] = (
    Group(
        "england",
        "England",
        "Compared with the England value; ranked among all English upper-tier authorities.",
    ),
    Group(
        "region",
        "Region",
        "Compared with the home area's region; ranked among the region's upper-tier authorities.",
    ),
    Group(
        "cssnbt-2021",
        "Statistical neighbours (CSSNBT 2021)",
        "The Department for Education's Children's Services Statistical Neighbour Benchmarking "
        "Tool (CSSNBT), April 2021: the 10 authorities most like the home area.",
    ),
    Group(
        "cssnbt-2025",
        "Statistical neighbours (CSSNBT 2025)",
        "The Department for Education's Children's Services Statistical Neighbour Benchmarking "
        "Tool (CSSNBT), May 2025: the 10 authorities most like the home area.",
    ),
    Group(
        "similar",
        "Similar areas (open method)",
        "The 15 authorities most like the home area on open context data (deprivation, income, "
        "employment, qualifications, housing affordability, claimants). Not CIPFA's licensed list.",
    ),
    Group(
        "all",
        "All upper-tier authorities",
        "Every English upper-tier authority; compared with their unweighted average.",
    ),
    Group("custom", "Custom group", "Authorities you choose."),
)
GROUP_IDS: tuple[str, ...] = tuple(g.id for g in GROUPS)
PROPER_NAMES = ("England",)  # group labels that begin with a proper name keep their capital


def label_in_sentence(label: str) -> str:
    """A group's label inside a sentence: 'against region', 'among similar areas (open method)';
    a proper name (England) or an acronym keeps its capital."""
    first = label.split(" ", 1)[0]
    if not label or first in PROPER_NAMES or (len(first) > 1 and first.isupper()):
        return label
    return label[0].lower() + label[1:]


PUBLISHED_GROUPS = ("cssnbt-2021", "cssnbt-2025")


@dataclass(frozen=True)
class SimilarVariable:
    key: str
    label: str
    patterns: tuple[str, ...]  # regular expressions on values.series; the first match held wins
    scale_note: str = ""


SIMILAR_VARIABLES: tuple[SimilarVariable, ...] = (
    SimilarVariable(
        "deprivation",
        "Index of Multiple Deprivation, average score (IoD 2025, else IMD 2019)",
        (
            r"^(iod|imd)[^/]*2025.*(imd|multiple).*average-score",
            r"^(iod|imd)[^/]*2025.*average-score$",
            r"^(iod|imd)[^/]*2019.*(imd|multiple).*average-score",
            r"^(iod|imd).*imd-score$",
        ),
    ),  # fmt: skip
    SimilarVariable(
        "gdhi",
        "Gross disposable household income per head (£)",
        (r"^ons-els/gross-disposable-household-income-per-head/",),
    ),
    SimilarVariable(
        "employment",
        "Employment rate, aged 16-64 (%)",
        (r"^ons-els/employment-rate/employment-rate$",),
    ),
    SimilarVariable(
        "no-qualifications",
        "Aged 16-64 with no qualifications (%)",
        (r"^ons-els/qualifications-none[^/]*/",),
    ),
    SimilarVariable(
        "affordability",
        "Housing affordability ratio (median house price to median earnings)",
        (r"^ons-els/housing-affordability-ratio/",),
    ),
    SimilarVariable(
        "claimants",
        "Claimant count, % of residents aged 16-64",
        (r"^ons-els/[^/]*claimant-count[^/]*/claimant-count$", r"claimant[-_]count"),
    ),
)


class UnknownGroup(ValueError):
    """A comparator group id that is not one of GROUP_IDS."""


# -- authorities --------------------------------------------------------------------------------
def authorities_from_areas(areas: pd.DataFrame) -> pd.DataFrame:
    """Current UTLAs with their region: area_code, area_name, region_code, region_name."""
    a = areas.copy()
    current = a["current"].fillna(True).astype(bool) if "current" in a else True
    utla = a[(a["area_type"] == "utla") & current]
    regions = a[a["area_type"] == "region"][["area_code", "area_name"]].rename(
        columns={"area_code": "region_code", "area_name": "region_name"}
    )
    out = utla[["area_code", "area_name", "parent_code"]].rename(
        columns={"parent_code": "region_code"}
    )
    out = out.merge(regions.drop_duplicates("region_code"), on="region_code", how="left")
    out["region_name"] = out["region_name"].fillna("")
    return (
        out.drop_duplicates("area_code")
        .sort_values("area_name")
        .reset_index(drop=True)
        .astype(
            {
                "area_code": "string",
                "area_name": "string",
                "region_code": "string",
                "region_name": "string",
            }
        )
    )


def validate_custom(
    codes: Iterable[str], known: Iterable[str], names: dict[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """Split a custom list into current UTLA codes (order kept, no repeats) and messages about the rest."""
    known_set = set(known)
    ok: list[str] = []
    messages: list[str] = []
    for raw in codes:
        code = str(raw).strip().upper()
        if not code:
            continue
        if code in known_set:
            if code not in ok:
                ok.append(code)
        else:
            label = f" ({names[code]})" if names and code in names else ""
            messages.append(
                f"{code}{label} is not a current English upper-tier authority code: left out of the custom group"
            )
    return ok, messages


def published_neighbours(
    area_groups: pd.DataFrame, group_id: str, current: Iterable[str]
) -> pd.DataFrame:
    """home, member, rank for a published group, current authorities only (legacy codes dropped)."""
    cur = set(current)
    g = area_groups[area_groups["group_id"] == group_id]
    g = g[
        g["area_code"].isin(cur) & g["member_code"].isin(cur) & (g["area_code"] != g["member_code"])
    ]
    out = g.rename(columns={"area_code": "home", "member_code": "member"})[
        ["home", "member", "rank"]
    ]
    return (
        out.sort_values(["home", "rank", "member"])
        .drop_duplicates(["home", "member"])
        .reset_index(drop=True)
    )


def dropped_legacy(
    area_groups: pd.DataFrame, group_id: str, home: str, current: Iterable[str]
) -> list[str]:
    """Names of a home area's published neighbours that are not current authorities."""
    cur = set(current)
    g = area_groups[(area_groups["group_id"] == group_id) & (area_groups["area_code"] == home)]
    return [
        f"{r.member_name} ({r.member_code})" for r in g.itertuples() if r.member_code not in cur
    ]


# -- similar areas ------------------------------------------------------------------------------
def pick_series(available: Iterable[str], var: SimilarVariable) -> str | None:
    """The first series (by pattern order, then name) that matches a variable's patterns."""
    names = sorted(set(available))
    for pat in var.patterns:
        rx = re.compile(pat)
        hits = [s for s in names if rx.search(s)]
        if hits:
            return hits[0]
    return None


def utla_deprivation(
    iod_la: pd.DataFrame | None, lookup: pd.DataFrame | None, utla_codes: Sequence[str]
) -> tuple[pd.Series, dict | None]:
    """Each UTLA's IMD average score from the district summaries (IoD 2025, else IMD 2019).

    Districts map to their upper tier through lookup_ltla_utla (ltla_code, utla_code); a code that
    is itself a UTLA maps to itself. The upper-tier score is the unweighted mean of its districts'
    scores (iod_la has no populations). Returns (score by area_code, what was used or None).
    """
    codes = list(utla_codes)
    empty = pd.Series(np.nan, index=pd.Index(codes, name="area_code"), dtype=float)
    if iod_la is None or iod_la.empty:
        return empty, None
    parent = {c: c for c in codes}
    if lookup is not None and len(lookup):
        parent.update(
            {
                str(a): str(b)
                for a, b in zip(lookup["ltla_code"], lookup["utla_code"], strict=False)
                if str(b) in parent
            }
        )
    imd = iod_la[iod_la["domain"] == "imd"]
    out = empty.copy()
    editions = []
    for edition, measure in (("IoD2025", "average_score"), ("IoD2019", "score")):
        d = imd[(imd["edition"] == edition) & (imd["measure"] == measure)]
        d = d.assign(utla=d["ltla_code"].map(parent)).dropna(subset=["utla", "value"])
        mean = d.groupby("utla")["value"].mean()
        fill = out.isna() & out.index.isin(mean.index)
        if fill.any():
            out[fill] = mean.reindex(out.index)[fill]
            editions.append(
                f"{edition.replace('IoD2019', 'IMD 2019').replace('IoD', 'IoD ')} "
                f"({int(fill.sum())} authorities)"
            )
    if out.notna().sum() == 0:
        return empty, None
    info = {
        "key": "deprivation",
        "label": SIMILAR_VARIABLES[0].label,
        "series": "iod_la: IMD average score, mean of districts",
        "period": "; ".join(editions),
        "areas": int(out.notna().sum()),
    }
    return out, info


def context_matrix(
    values: pd.DataFrame,
    utla_codes: Sequence[str],
    deprivation: tuple[pd.Series, dict | None] | None = None,
) -> tuple[pd.DataFrame, list[dict]]:
    """UTLA x variable matrix of the latest well-covered values, and what was used for each variable.

    values: rows of the candidate series (VALUES columns); deprivation: `utla_deprivation`'s
    answer, used in place of any deprivation series in values. Returns (matrix indexed by
    area_code with one column per variable key, [{key, label, series, period, areas}] for the
    methods page).
    """
    codes = list(utla_codes)
    matrix = pd.DataFrame(index=pd.Index(codes, name="area_code"))
    used: list[dict] = []
    if deprivation is not None and deprivation[1] is not None:
        matrix["deprivation"] = deprivation[0].reindex(matrix.index).astype(float)
        used.append(deprivation[1])
    if values.empty:
        return matrix, used
    whole = values[
        (values["category_type"].fillna("") == "") & values["sex"].fillna("").isin(["", "Persons"])
    ]
    whole = whole[whole["area_code"].isin(codes) & whole["value"].notna()]
    available = whole["series"].unique()
    for var in SIMILAR_VARIABLES:
        if var.key in matrix.columns:
            continue
        series = pick_series(available, var)
        if series is None:
            continue
        s = whole[whole["series"] == series]
        cover = s.groupby("period").agg(n=("area_code", "nunique"), start=("period_start", "max"))
        cover = cover[cover["n"] >= COVERAGE * len(codes)]
        if cover.empty:
            continue
        period = cover.sort_values("start").index[-1]
        col = s[s["period"] == period].drop_duplicates("area_code").set_index("area_code")["value"]
        matrix[var.key] = col.reindex(matrix.index).astype(float)
        used.append(
            {
                "key": var.key,
                "label": var.label,
                "series": series,
                "period": str(period),
                "areas": int(col.size),
            }
        )
    return matrix, used


def similar_areas(
    matrix: pd.DataFrame, k: int = SIMILAR_K, chunk: int | None = None
) -> pd.DataFrame:
    """home, member, rank, distance: each authority's k nearest by standardised Euclidean distance.

    Homes are handled a block at a time and only each row's k nearest (with ties at the k-th
    distance) are sorted, so memory grows with the number of authorities, not its square.
    """
    cols = ["home", "member", "rank", "distance"]
    if matrix.shape[1] == 0 or matrix.shape[0] < 2:
        return pd.DataFrame(columns=cols)
    x = matrix.to_numpy(dtype=float)
    sd = np.nanstd(x, axis=0)
    sd[~(sd > 0)] = 1.0
    z = (x - np.nanmean(x, axis=0)) / sd
    have = ~np.isnan(z)
    zf = np.where(have, z, 0.0)
    nvar = z.shape[1]
    n = len(z)
    # about 2 million cells per temporary array, whatever the number of authorities
    chunk = chunk or max(1, 2_000_000 // max(1, n * nvar))
    codes = matrix.index.to_numpy()
    code_order = np.argsort(np.argsort(codes, kind="stable"), kind="stable")  # tie-break by code
    homes, members, ranks, dists = [], [], [], []
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        # squared differences over shared variables for this block of homes against everyone
        both = have[lo:hi, None, :] & have[None, :, :]
        diff2 = np.where(both, (zf[lo:hi, None, :] - zf[None, :, :]) ** 2, 0.0)
        shared = both.sum(axis=2)
        with np.errstate(invalid="ignore", divide="ignore"):
            dist = np.sqrt(diff2.sum(axis=2) * nvar / shared)
        dist[shared < max(1, (nvar + 1) // 2)] = np.inf
        dist[np.arange(hi - lo), np.arange(lo, hi)] = np.inf
        kk = min(k, n - 1)
        kth = np.partition(dist, kk - 1, axis=1)[:, kk - 1 : kk]
        for i in range(hi - lo):
            cand = np.flatnonzero(dist[i] <= kth[i])
            cand = cand[np.lexsort((code_order[cand], dist[i, cand]))][:k]
            cand = cand[np.isfinite(dist[i, cand])]
            homes.append(np.full(len(cand), codes[lo + i], dtype=object))
            members.append(codes[cand])
            ranks.append(np.arange(1, len(cand) + 1))
            dists.append(dist[i, cand])
    if not homes:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame(
        {
            "home": np.concatenate(homes),
            "member": np.concatenate(members),
            "rank": np.concatenate(ranks),
            "distance": np.concatenate(dists).astype(float),
        }
    )


def similar_areas_method(used: Sequence[dict] | None = None) -> str:
    """Plain-English method for the methods page, naming the variables actually used when given."""
    text = (
        "Similar areas is an open alternative to CIPFA's nearest neighbours. CIPFA's Nearest "
        "Neighbours Model is a licensed product and is not in our data, so the app computes its own "
        "group for every upper-tier authority. It uses open context variables only (never the health "
        "or wellbeing outcomes being compared): deprivation, household income, employment, "
        "qualifications, housing affordability and claimants. Deprivation is the Index of Multiple "
        "Deprivation average score of the English Indices of Deprivation 2025 (IMD 2019 where an "
        "authority has no 2025 figure), taken for each district and averaged over the districts of a "
        "county (a simple mean: the district tables carry no populations). No demographic variable is "
        "held for every authority, so none is used. For each other variable the latest period that "
        "covers at least three quarters of authorities is used. Each variable is standardised across "
        "authorities (z-score) and weighted equally; the distance between two authorities is the "
        "Euclidean distance over the variables both have, rescaled for any that are missing (pairs "
        f"sharing fewer than half are not compared). The {SIMILAR_K} nearest authorities form the group; "
        "the home area is ranked among them and itself, so ranks are out of 16."
    )
    if used is not None:
        if used:
            parts = [
                f"{u['label']} ({period_words(u['period'])}, {u['areas']} authorities)"
                for u in used
            ]
            text += " Variables used in this build: " + "; ".join(parts) + "."
        else:
            text += " No context variables are in this build yet, so the group is empty."
        missing = [v.label for v in SIMILAR_VARIABLES if v.key not in {u["key"] for u in used}]
        if used and missing:
            text += " Not available in this build (left out): " + "; ".join(missing) + "."
    return text


def area_choice_labels(auth: pd.DataFrame) -> dict[str, str]:
    """Authority code -> the name a reader picks it by: the name alone, with its region in words
    when two authorities share a name (never the code; the URL keeps the code)."""
    names = auth["area_name"].astype(str)
    shared = set(names[names.duplicated(keep=False)])
    regions = (
        auth["region_name"] if "region_name" in auth.columns else pd.Series("", index=auth.index)
    )
    return {
        str(code): f"{name}, {region}"
        if name in shared and isinstance(region, str) and region
        else name
        for code, name, region in zip(auth["area_code"], names, regions, strict=True)
    }
