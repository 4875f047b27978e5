"""Column contracts of the warehouse tables: every builder returns frames that conform here.

Tables (one parquet file each under the warehouse folder):
- values: one long table of indicator values (see VALUES).
- areas: code, name, type and parent of every area the app names.
- area_groups: published comparator groups (CSSNBT 2021 / 2025) for every authority.
- reported: figures transcribed from the seed documents, each citing its document.
The tables built from a place's own ward and LSOA files (lookups, boundaries, deprivation,
census, fuel poverty) declare their columns in LOCAL_TABLES, so a place without those files
publishes them empty with the same columns.

Series ids (the `series` column) are stable and built by convention, so the catalogue can bind
to them without running the build:
- Fingertips tidy extracts:      fingertips/<file stem>             e.g. fingertips/life_expectancy
- Fingertips older dashboard:    fingertips-2020/<file stem>        e.g. fingertips-2020/low_income_families
- Fingertips raw "all data" CSV: fingertips-raw/<Indicator ID>      e.g. fingertips-raw/93356
- ONS Explore Local Statistics:  ons-els/<file stem>/<indicator slug>
                                  e.g. ons-els/healthy-life-expectancy/male-healthy-life-expectancy
- DfE LAIT:                      lait/<Short Desc>                  e.g. lait/FSP_NEW_GOODDEV
- DWP children in low income families (all LA): dwp-cilif/relative | dwp-cilif/absolute
- DESNZ fuel poverty:            desnz-fuel-poverty/lilee | desnz-fuel-poverty/lihc
- MHCLG homelessness snapshot:   mhclg-homelessness/temporary-accommodation | mhclg-homelessness/assessed-homeless
- Seed documents' figures:       reported/<measure id>   (in table `reported`, not `values`)
Slugs: lower case, runs of anything but a-z0-9 become one '-', trimmed.
"""

from __future__ import annotations

import re

import pandas as pd

STR = "string"
F64 = "float64"
I64 = "Int64"
DATE = "datetime64[ms]"

VALUES: dict[str, str] = {
    "series": STR,  # stable series id, see module docstring
    "indicator": STR,  # the source's own indicator name
    "area_code": STR,
    "area_name": STR,
    "area_type": STR,  # see AREA_TYPES
    "period": STR,  # canonical label: '2020-22', '2022/23', '2023', '2021/22 Q1', 'Nov 2023-24', '2025-04-30'
    "period_start": DATE,
    "period_end": DATE,
    "start_year": I64,
    "end_year": I64,
    "sex": STR,  # 'Persons', 'Male', 'Female'
    "age": STR,  # '' when the source does not say
    "category_type": STR,  # '' for the whole population; e.g. 'Deprivation quintile', 'FSM'
    "category": STR,
    "value": F64,
    "lower_ci": F64,  # 95% limits where the source gives them
    "upper_ci": F64,
    "count": F64,
    "denominator": F64,
    "significance": STR,  # the source's own judgement vs England ('Better', 'Similar', 'Worse', 'Not compared', '')
    "status": STR,  # GSS status symbol or note from the source ('' when none)
    "unit": STR,
    "source_file": STR,  # path under data/raw
}

AREA_TYPES = ("england", "region", "utla", "ltla", "ward", "lsoa", "msoa", "other")

AREAS: dict[str, str] = {
    "area_code": STR,
    "area_name": STR,
    "area_type": STR,  # AREA_TYPES; a unitary authority is 'utla' (it is also its own ltla)
    "parent_code": STR,  # region for authorities, England for regions, authority for wards/LSOAs
    "vintage": STR,  # e.g. '2023' for current authorities, 'WD23', 'WD13', 'LSOA21'
    "current": "boolean",  # a live code today (False for legacy codes kept for old data)
}

AREA_GROUPS: dict[str, str] = {
    "group_id": STR,  # 'cssnbt-2021', 'cssnbt-2025'
    "area_code": STR,  # the authority whose neighbours these are
    "member_code": STR,
    "member_name": STR,
    "rank": I64,  # 1 = closest
    "closeness": STR,
}

REPORTED: dict[str, str] = {
    "measure_id": STR,
    "document": STR,  # seed file name, e.g. 000_82e4ac469812e20e.txt
    "section": STR,
    "table": STR,  # e.g. 'JSNA 2022/23', 'APHR 2023 key measures'
    "period": STR,
    "area": STR,  # 'Luton', 'England', 'East of England', 'Nearest neighbours'
    "value": F64,
    "value_text": STR,  # the figure exactly as printed
    "rank_text": STR,  # e.g. '11/16'
    "rag_england": STR,
    "rag_region": STR,
    "rag_neighbours": STR,
    "trend": STR,
    "questionable": "boolean",
    "note": STR,
}

TABLES: dict[str, dict[str, str]] = {
    "values": VALUES,
    "areas": AREAS,
    "area_groups": AREA_GROUPS,
    "reported": REPORTED,
}


# Inside-the-place tables: published empty with these columns when the place has no ward files.
LOCAL_TABLES: dict[str, dict[str, str]] = {
    "boundaries": {"layer": STR, "code": STR, "name": STR, "geometry": STR, "lon": F64, "lat": F64},
    "lookup_lsoa_ward": {
        **dict.fromkeys(("lsoa_code", "lsoa_name", "lsoa_vintage", "ward_code", "ward_name"), STR),
        **dict.fromkeys(("ward_vintage", "ward_layer", "method", "point_ward_code"), STR),
        "straddles": "boolean",
    },
    "lookup_lsoa11_lsoa21": dict.fromkeys(
        ("lsoa11_code", "lsoa11_name", "lsoa21_code", "lsoa21_name", "change", "lad_code"), STR
    ),
    "iod_lsoa": {
        **dict.fromkeys(("edition", "lsoa_code", "lsoa_vintage", "domain", "measure"), STR),
        "value": F64,
    },
    "iod_indicators": {
        **dict.fromkeys(("edition", "lsoa_code", "lsoa_vintage", "indicator"), STR),
        "value": F64,
    },
    "iod_ward_2019": {
        **dict.fromkeys(("ward_code", "ward_vintage", "domain", "measure"), STR),
        "value": F64,
    },
    "lsoa_population": {
        **dict.fromkeys(("lsoa_code", "lsoa_vintage", "period", "age_group"), STR),
        "population": F64,
        "source": STR,
    },
    "fuel_poverty_lsoa": {
        "year": I64,
        **dict.fromkeys(("metric", "lsoa_code", "lsoa_vintage"), STR),
        **dict.fromkeys(("households", "fuel_poor_households", "pct"), F64),
    },
    "census_household_deprivation": {
        "lsoa_code": STR,
        "lsoa_vintage": STR,
        "dimensions": I64,
        "count": F64,
        "percent": F64,
    },
}


def conform(df: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Select and order the contract's columns with their dtypes; missing text columns become ''."""
    out = pd.DataFrame(index=df.index)
    for col, dtype in columns.items():
        if col in df.columns:
            s = df[col]
        elif dtype == STR:
            s = pd.Series("", index=df.index)
        elif dtype == F64:
            s = pd.Series(float("nan"), index=df.index)
        else:
            s = pd.Series(pd.NA, index=df.index, dtype=dtype if dtype != DATE else "object")
        if dtype == DATE:
            out[col] = pd.to_datetime(s).astype(DATE)
        else:
            out[col] = s.astype(dtype)
    if STR in columns.values():
        for col, dtype in columns.items():
            if dtype == STR:
                out[col] = out[col].fillna("")
    return out.reset_index(drop=True)


def slug(text: str) -> str:
    """Stable slug: lower case, non-alphanumerics collapsed to '-'."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def area_type_from_code(code: str) -> str:
    """Area type from a GSS code prefix (E06 unitary counts as upper tier)."""
    c = str(code)
    if c == "E92000001":
        return "england"
    prefix = c[:3]
    return {
        "E12": "region",
        "E06": "utla",
        "E08": "utla",
        "E09": "utla",
        "E10": "utla",
        "E07": "ltla",
        "E05": "ward",
        "E01": "lsoa",
        "E02": "msoa",
    }.get(prefix, "other")
