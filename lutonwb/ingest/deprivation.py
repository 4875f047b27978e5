"""English Indices of Deprivation (IoD 2019 at LSOA 2011, IoD 2025 at LSOA 2021), the IMD 2019 ward
aggregates, the authority summaries and the 2019 population denominators.

The authority summaries cover England; the LSOA and ward files are the place's own (its
`local_area` files): without them those tables are published empty.

Tables (tidy, long):
- iod_lsoa: edition, lsoa_code, lsoa_vintage, domain, measure ('score' | 'rank' | 'decile'), value.
  IoD 2019 has no LSOA scores in our data (only ranks and deciles; see PROVENANCE §2).
- iod_indicators: edition, lsoa_code, lsoa_vintage, indicator, value (the underlying indicators).
- iod_ward_2019: ward_code, ward_vintage ('WD13'), domain, measure ('score' | 'proportion' | 'extent').
- iod_la: edition, ltla_code, ltla_name, ltla_vintage, domain, measure, value.
- lsoa_population: lsoa_code, lsoa_vintage, period, age_group, population (IoD 2019 File 6).

Ranks run 1 (most deprived) to the number of LSOAs in England (32,844 in 2019, 33,755 in 2025);
deciles 1-10 with decile = ceil(10 × rank / N), which the build checks row by row.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from lutonwb.ingest.errors import DataError
from lutonwb.ingest.local import CURRENT, empty, local_path, resolve
from lutonwb.ingest.readers import (
    LINE,
    check_filled,
    check_pattern,
    check_range,
    check_unique,
    check_whole,
    display_name,
    read_table,
    to_number,
)
from lutonwb.place import LocalArea

N_LSOA = {"IoD2019": 32_844, "IoD2025": 33_755}
NATIONAL_FILES = {
    "imd2019_la": "imd/all_la_imd2019_ltla19_summary_humaniverse.csv",
    "iod2025_la": "imd/all_la_iod2025_ltla24_summary_mhclg_via_humaniverse.csv",
}
INPUTS: tuple[str, ...] = tuple(NATIONAL_FILES.values())
LOCAL_ROLES: tuple[str, ...] = (
    "iod2019_domains",
    "iod2019_subdomains",
    "iod2019_indicators",
    "iod2019_population",
    "imd2019_ward",
    "iod2025_main",
    "iod2025_subdomains",
    "iod2025_indicators",
)
LOCAL_OUTPUTS = ("iod_lsoa", "iod_indicators", "iod_ward_2019", "lsoa_population")

# Canonical domain ids (also used by lutonwb.wards) and their titles.
DOMAINS: dict[str, str] = {
    "imd": "Index of Multiple Deprivation",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "housing": "Barriers to Housing and Services",
    "environment": "Living Environment",
}
SUBDOMAINS: dict[str, str] = {
    "children-young-people": "Children and Young People (education sub-domain)",
    "adult-skills": "Adult Skills (education sub-domain)",
    "geographical-barriers": "Geographical Barriers (housing and services sub-domain)",
    "wider-barriers": "Wider Barriers (housing and services sub-domain)",
    "indoors": "Indoors (living environment sub-domain)",
    "outdoors": "Outdoors (living environment sub-domain)",
}

# IoD 2019 File 2 headers: domain title as printed → domain id.
_FILE2 = {
    "Index of Multiple Deprivation (IMD)": "imd",
    "Income": "income",
    "Employment": "employment",
    "Education, Skills and Training": "education",
    "Health Deprivation and Disability": "health",
    "Crime": "crime",
    "Barriers to Housing and Services": "housing",
    "Living Environment": "environment",
}
# humaniverse column prefixes → domain / sub-domain id.
_PREFIX_2025 = {
    "IMD": "imd",
    "Income": "income",
    "Employment": "employment",
    "Education": "education",
    "Health": "health",
    "Crime": "crime",
    "Housing_and_Services": "housing",
    "Environment": "environment",
}
_SUB_2019 = {
    "Children_and_young_people": "children-young-people",
    "Adult_skills": "adult-skills",
    "Geographical_barriers": "geographical-barriers",
    "Wider_barriers": "wider-barriers",
    "Indoors": "indoors",
    "Outdoors": "outdoors",
}
_SUB_2025 = {
    "children_and_young_people": "children-young-people",
    "adult_skills": "adult-skills",
    "geographical_barriers": "geographical-barriers",
    "wider_barriers": "wider-barriers",
    "indoors": "indoors",
    "outdoors": "outdoors",
}
_WARD_PREFIX = {
    "": "imd",
    "Income_": "income",
    "Employment_": "employment",
    "Education_": "education",
    "Health_": "health",
    "Crime_": "crime",
    "Housing_and_Access_": "housing",
    "Environment_": "environment",
}
_LA2025_PREFIX = (
    ("imd25_", "imd"),
    ("imd_", "imd"),
    ("income_", "income"),
    ("employment_", "employment"),
    ("education_skills_and_training_", "education"),
    ("health_deprivation_and_disability_", "health"),
    ("crime_", "crime"),
    ("barriers_to_housing_and_services_", "housing"),
    ("living_environment_", "environment"),
    ("rank_of_income_", "income"),
    ("rank_of_employment_", "employment"),
)
_PROP10 = "proportion_of_lso_as_in_most_deprived_10_percent_nationally"

# Plausible ranges for scores: rates (0-1), IMD and points-based domain scores (0-100), and the
# z-score-like domains (health, crime, indoors, ...) which sit within about ±5.
_SCORE_RANGE = {"income": (0, 1), "employment": (0, 1), "adult-skills": (0, 1)}
_DEFAULT_SCORE_RANGE = (-10, 100)


def build(raw: Path, local: LocalArea | None | str = CURRENT) -> dict[str, pd.DataFrame]:
    """Tables this source contributes, keyed by warehouse table name."""
    raw, local = Path(raw), resolve(local)
    iod_la = pd.concat(
        [
            _strip(read_la_2019(raw / NATIONAL_FILES["imd2019_la"])),
            _strip(read_la_2025(raw / NATIONAL_FILES["iod2025_la"])),
        ],
        ignore_index=True,
    )
    if local is None:
        return {"iod_la": iod_la, **{name: empty(name) for name in LOCAL_OUTPUTS}}
    return {"iod_la": iod_la, **local_tables(raw, local)}


def local_tables(raw: Path, local: LocalArea) -> dict[str, pd.DataFrame]:
    """The LSOA and ward tables from the place's own files."""
    f = {role: local_path(raw, local, role) for role in LOCAL_ROLES}
    lsoa19 = read_iod2019_domains(f["iod2019_domains"], local.authority)
    codes19 = set(lsoa19["lsoa_code"])
    sub19 = read_iod2019_subdomains(f["iod2019_subdomains"], lsoa19)
    main25 = read_iod2025_main(f["iod2025_main"])
    codes25 = set(main25["lsoa_code"])
    sub25 = read_iod2025_subdomains(f["iod2025_subdomains"], codes25)
    iod_lsoa = pd.concat([lsoa19, sub19, main25, sub25], ignore_index=True)
    indicators = pd.concat(
        [
            read_indicators(f["iod2019_indicators"], "IoD2019", "lsoa11_code", "LSOA11", codes19),
            read_indicators(f["iod2025_indicators"], "IoD2025", "lsoa21_code", "LSOA21", codes25),
        ],
        ignore_index=True,
    )
    return {
        "iod_lsoa": _strip(iod_lsoa),
        "iod_indicators": _strip(indicators),
        "iod_ward_2019": _strip(read_ward_2019(f["imd2019_ward"])),
        "lsoa_population": _strip(read_population_2019(f["iod2019_population"], codes19)),
    }


def _strip(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=[LINE], errors="ignore").reset_index(drop=True)


def _long(
    df: pd.DataFrame,
    columns: dict[str, tuple[str, str]],
    *,
    file: str,
    edition: str,
    code_col: str,
    vintage: str,
) -> pd.DataFrame:
    """Wide LSOA file → long rows; columns maps a header to (domain, measure) and is validated."""
    n = N_LSOA[edition]
    frames = []
    for col, (domain, measure) in columns.items():
        vals = to_number(df, col, file)
        check_filled(vals, df, col, file, "a number (no blanks in this file)")
        if measure == "decile":
            check_range(vals, df, col, 1, 10, file)
        elif measure == "rank":
            check_range(vals, df, col, 1, n, file)
        else:
            lo, hi = _SCORE_RANGE.get(domain, _DEFAULT_SCORE_RANGE)
            check_range(vals, df, col, lo, hi, file)
        if measure in ("rank", "decile"):
            check_whole(vals, df, col, file)
        frames.append(
            pd.DataFrame(
                {
                    "edition": edition,
                    "lsoa_code": df[code_col],
                    "lsoa_vintage": vintage,
                    "domain": domain,
                    "measure": measure,
                    "value": vals,
                    LINE: df[LINE],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    _check_decile_matches_rank(out, columns, file, n)
    return out.astype(
        {
            "edition": "string",
            "lsoa_code": "string",
            "lsoa_vintage": "string",
            "domain": "string",
            "measure": "string",
        }
    )


def _check_decile_matches_rank(
    long: pd.DataFrame, columns: dict[str, tuple[str, str]], file: str, n: int
) -> None:
    """Each decile is ceil(10 × rank / N): a mismatch means a shifted or mistyped column."""
    col_of = {v: k for k, v in columns.items()}
    wide = long.pivot_table(
        index=["lsoa_code", LINE], columns=["domain", "measure"], values="value"
    ).reset_index()
    for domain in {d for d, _ in columns.values()}:
        if (domain, "rank") not in wide.columns or (domain, "decile") not in wide.columns:
            continue
        for _, row in wide.iterrows():
            rank, dec = row[(domain, "rank")], row[(domain, "decile")]
            if math.ceil(10 * rank / n) != dec:
                raise DataError(
                    file,
                    int(row[(LINE, "")]),
                    col_of[(domain, "decile")],
                    f"decile {int(dec)} for rank {int(rank)}",
                    f"decile {math.ceil(10 * rank / n)} (ceil(10 × rank / {n:,}))",
                )


def _check_lsoa_codes(
    df: pd.DataFrame, col: str, file: str, expected: set[str] | None = None
) -> None:
    check_pattern(df, col, r"E01\d{6}", file)
    check_unique(df, [col], file)
    if expected is not None:
        for code, line in zip(df[col], df[LINE], strict=True):
            if code not in expected:
                raise DataError(
                    file,
                    int(line),
                    col,
                    code,
                    "an LSOA listed in the main file of the same edition",
                )
        missing = sorted(expected - set(df[col]))
        if missing:
            raise DataError(
                file,
                None,
                col,
                f"no row for {missing[0]}",
                f"one row for each of the {len(expected)} LSOAs",
            )


# -- IoD 2019 -----------------------------------------------------------------------------------


def read_iod2019_domains(path: Path, authority: str) -> pd.DataFrame:
    """Official File 2: IMD and domain ranks and deciles for the place's LSOAs (2011)."""
    file = display_name(path)
    code = "LSOA code (2011)"
    df = read_table(path, [code, "Local Authority District code (2019)"])
    _check_lsoa_codes(df, code, file)
    check_pattern(df, "Local Authority District code (2019)", authority, file)
    columns: dict[str, tuple[str, str]] = {}
    for title, domain in _FILE2.items():
        columns[f"{title} Rank (where 1 is most deprived)"] = (domain, "rank")
        columns[f"{title} Decile (where 1 is most deprived 10% of LSOAs)"] = (domain, "decile")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(file, 1, missing[0], "header without it", f"a column named '{missing[0]}'")
    return _long(df, columns, file=file, edition="IoD2019", code_col=code, vintage="LSOA11")


def read_iod2019_subdomains(path: Path, domains: pd.DataFrame) -> pd.DataFrame:
    """Sub-domain ranks and deciles; the domain columns it repeats must agree with File 2."""
    file = display_name(path)
    df = read_table(path, ["lsoa11_code"])
    _check_lsoa_codes(df, "lsoa11_code", file, set(domains["lsoa_code"]))
    columns = {}
    for prefix, sub in _SUB_2019.items():
        columns[f"{prefix}_rank"] = (sub, "rank")
        columns[f"{prefix}_decile"] = (sub, "decile")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(file, 1, missing[0], "header without it", f"a column named '{missing[0]}'")
    # repeated domain columns: cross-check with File 2 so a mixed-up extract is caught
    repeats = {
        "Education": "education",
        "Housing_and_Access": "housing",
        "Environment": "environment",
    }
    ref = domains.set_index(["lsoa_code", "domain", "measure"])["value"]
    for prefix, domain in repeats.items():
        for measure in ("rank", "decile"):
            col = f"{prefix}_{measure}"
            if col not in df.columns:
                continue
            vals = to_number(df, col, file)
            for c, v, line in zip(df["lsoa11_code"], vals, df[LINE], strict=True):
                if ref.get((c, domain, measure)) != v:
                    raise DataError(
                        file,
                        int(line),
                        col,
                        str(v),
                        f"{ref.get((c, domain, measure))} as in IoD 2019 File 2",
                    )
    return _long(
        df, columns, file=file, edition="IoD2019", code_col="lsoa11_code", vintage="LSOA11"
    )


def read_population_2019(path: Path, codes: set[str]) -> pd.DataFrame:
    """Official File 6: mid-2015 populations ('1,296' style numbers); the parts add up to the total."""
    file = display_name(path)
    code = "LSOA code (2011)"
    groups = {
        "Total population: mid 2015 (excluding prisoners)": "all ages",
        "Dependent Children aged 0-15: mid 2015 (excluding prisoners)": "0-15",
        "Population aged 16-59: mid 2015 (excluding prisoners)": "16-59",
        "Older population aged 60 and over: mid 2015 (excluding prisoners)": "60+",
        "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)": "working age 18-59/64",
    }
    df = read_table(path, [code, *groups])
    _check_lsoa_codes(df, code, file, codes)
    nums = {}
    for col in groups:
        v = to_number(df, col, file, thousands=True)
        if v.isna().any():
            i = v.isna().idxmax()
            raise DataError(
                file, int(df.loc[i, LINE]), col, str(df.loc[i, col]), "a population count"
            )
        check_range(v, df, col, 0, 100_000, file)
        nums[col] = v
    cols = list(groups)
    parts = nums[cols[1]] + nums[cols[2]] + nums[cols[3]]
    bad = parts != nums[cols[0]]
    if bad.any():
        i = bad.idxmax()
        raise DataError(
            file,
            int(df.loc[i, LINE]),
            cols[0],
            str(df.loc[i, cols[0]]),
            f"{int(parts[i]):,} (0-15 + 16-59 + 60+)",
        )
    frames = [
        pd.DataFrame(
            {
                "lsoa_code": df[code],
                "lsoa_vintage": "LSOA11",
                "period": "mid-2015",
                "age_group": label,
                "population": nums[col],
                "source": "IoD 2019 File 6 (population denominators)",
            }
        )
        for col, label in groups.items()
    ]
    return pd.concat(frames, ignore_index=True).astype(
        {
            "lsoa_code": "string",
            "lsoa_vintage": "string",
            "period": "string",
            "age_group": "string",
            "source": "string",
        }
    )


def read_ward_2019(path: Path) -> pd.DataFrame:
    """IMD 2019 aggregated to the place's 2013 wards (WD20 codes; Luton has 19)."""
    file = display_name(path)
    df = read_table(path, ["WD20CD"])
    check_pattern(df, "WD20CD", r"E05\d{6}", file)
    check_unique(df, ["WD20CD"], file)
    frames = []
    for prefix, domain in _WARD_PREFIX.items():
        for measure in ("Score", "Proportion", "Extent"):
            col = f"{prefix}{measure}"
            if col not in df.columns:
                raise DataError(file, 1, col, "header without it", f"a column named '{col}'")
            vals = to_number(df, col, file)
            if measure == "Score":
                lo, hi = _SCORE_RANGE.get(domain, _DEFAULT_SCORE_RANGE)
            else:
                lo, hi = 0, 1
            check_range(vals, df, col, lo, hi, file)
            frames.append(
                pd.DataFrame(
                    {
                        "ward_code": df["WD20CD"],
                        "ward_vintage": "WD13",
                        "domain": domain,
                        "measure": measure.lower(),
                        "value": vals,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True).astype(
        {"ward_code": "string", "ward_vintage": "string", "domain": "string", "measure": "string"}
    )


def read_la_2019(path: Path) -> pd.DataFrame:
    """IMD 2019 summaries for every lower-tier authority (2019 codes): score, proportion, extent."""
    file = display_name(path)
    df = read_table(path, ["ltla19_code", "Score", "Proportion", "Extent"])
    check_pattern(df, "ltla19_code", r"E0[6-9]\d{6}", file)
    check_unique(df, ["ltla19_code"], file)
    frames = []
    for col in df.columns:
        if col in ("ltla19_code", LINE):
            continue
        domain, measure = "imd", col.lower()
        for prefix, dom in _WARD_PREFIX.items():
            if prefix and col.startswith(prefix):
                domain, measure = dom, col[len(prefix) :].lower()
        vals = to_number(df, col, file)
        lo, hi = (
            (0, 1)
            if measure in ("proportion", "extent")
            else _SCORE_RANGE.get(domain, _DEFAULT_SCORE_RANGE)
        )
        check_range(vals, df, col, lo, hi, file)
        frames.append(
            pd.DataFrame(
                {
                    "edition": "IoD2019",
                    "ltla_code": df["ltla19_code"],
                    "ltla_name": "",
                    "ltla_vintage": "LTLA19",
                    "domain": domain,
                    "measure": measure,
                    "value": vals,
                }
            )
        )
    return pd.concat(frames, ignore_index=True).astype(
        {
            c: "string"
            for c in ("edition", "ltla_code", "ltla_name", "ltla_vintage", "domain", "measure")
        }
    )


# -- IoD 2025 -----------------------------------------------------------------------------------


def read_iod2025_main(path: Path) -> pd.DataFrame:
    """IMD and domain scores, ranks and deciles for the place's LSOAs (2021)."""
    file = display_name(path)
    df = read_table(path, ["lsoa21_code"])
    _check_lsoa_codes(df, "lsoa21_code", file)
    columns = {}
    for prefix, domain in _PREFIX_2025.items():
        for measure in ("score", "rank", "decile"):
            columns[f"{prefix}_{measure}"] = (domain, measure)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(file, 1, missing[0], "header without it", f"a column named '{missing[0]}'")
    return _long(
        df, columns, file=file, edition="IoD2025", code_col="lsoa21_code", vintage="LSOA21"
    )


def read_iod2025_subdomains(path: Path, codes: set[str]) -> pd.DataFrame:
    """IoD 2025 sub-domain scores, ranks and deciles."""
    file = display_name(path)
    df = read_table(path, ["lsoa21_code"])
    _check_lsoa_codes(df, "lsoa21_code", file, codes)
    columns = {
        f"{p}_{m}": (s, m) for p, s in _SUB_2025.items() for m in ("score", "rank", "decile")
    }
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(file, 1, missing[0], "header without it", f"a column named '{missing[0]}'")
    return _long(
        df, columns, file=file, edition="IoD2025", code_col="lsoa21_code", vintage="LSOA21"
    )


def read_indicators(
    path: Path, edition: str, code_col: str, vintage: str, codes: set[str]
) -> pd.DataFrame:
    """Underlying indicators (numerators, rates, distances), one long row per LSOA and indicator."""
    file = display_name(path)
    df = read_table(path, [code_col])
    _check_lsoa_codes(df, code_col, file, codes)
    frames = []
    for col in df.columns:
        if col in (code_col, LINE):
            continue
        vals = to_number(df, col, file)
        frames.append(
            pd.DataFrame(
                {
                    "edition": edition,
                    "lsoa_code": df[code_col],
                    "lsoa_vintage": vintage,
                    "indicator": col,
                    "value": vals,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return out.astype(
        {
            "edition": "string",
            "lsoa_code": "string",
            "lsoa_vintage": "string",
            "indicator": "string",
        }
    )


def read_la_2025(path: Path) -> pd.DataFrame:
    """Official IoD 2025 local authority summaries (2024 codes): every measure, long."""
    file = display_name(path)
    df = read_table(path, ["ltla24_code", "ltla24_name", "imd_average_score"])
    check_pattern(df, "ltla24_code", r"E0[6-9]\d{6}", file)
    check_unique(df, ["ltla24_code"], file)
    frames = []
    for col in df.columns:
        if col in ("ltla24_code", "ltla24_name", LINE):
            continue
        domain = measure = None
        for prefix, dom in _LA2025_PREFIX:
            if col.startswith(prefix):
                domain, measure = dom, col[len(prefix) :]
                if prefix.startswith("rank_of_"):
                    measure = "rank_of_" + measure
                break
        if domain is None:
            raise DataError(
                file, 1, col, "a column of no known domain", "a column named after an IoD domain"
            )
        measure = measure.replace(_PROP10, "proportion")
        vals = to_number(df, col, file)
        if measure.startswith("rank_of"):
            check_range(vals, df, col, 1, 400, file)  # rank among about 300 authorities
        elif measure == "average_rank":
            check_range(vals, df, col, 1, N_LSOA["IoD2025"], file)
        elif measure in ("proportion", "extent"):
            check_range(vals, df, col, 0, 1, file)
        frames.append(
            pd.DataFrame(
                {
                    "edition": "IoD2025",
                    "ltla_code": df["ltla24_code"],
                    "ltla_name": df["ltla24_name"],
                    "ltla_vintage": "LTLA24",
                    "domain": domain,
                    "measure": measure,
                    "value": vals,
                }
            )
        )
    return pd.concat(frames, ignore_index=True).astype(
        {
            c: "string"
            for c in ("edition", "ltla_code", "ltla_name", "ltla_vintage", "domain", "measure")
        }
    )
