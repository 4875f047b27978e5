"""schema: the column contracts, slugs and area types every loader relies on."""

from __future__ import annotations

import pandas as pd
import pytest

from lutonwb.ingest import local
from lutonwb.ingest import schema as s


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("E92000001", "england"),
        ("E12000006", "region"),
        ("E06000032", "utla"),
        ("E08000025", "utla"),
        ("E09000001", "utla"),
        ("E10000003", "utla"),
        ("E07000240", "ltla"),
        ("E05014735", "ward"),
        ("E01015693", "lsoa"),
        ("E02003000", "msoa"),
        ("W06000001", "other"),
        ("", "other"),
    ],
)
def test_area_type_from_code(code: str, kind: str) -> None:
    assert s.area_type_from_code(code) == kind


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Male healthy life expectancy", "male-healthy-life-expectancy"),
        ("  % of pupils (KS2) ", "of-pupils-ks2"),
        ("FSP_NEW_GOODDEV", "fsp-new-gooddev"),
    ],
)
def test_slug(text: str, slug: str) -> None:
    assert s.slug(text) == slug


def test_conform_orders_columns_casts_and_fills() -> None:
    df = pd.DataFrame({"value": ["1.5"], "extra": [1], "series": [None], "start_year": [2020]})
    out = s.conform(df, s.VALUES)
    assert list(out.columns) == list(s.VALUES) and "extra" not in out.columns
    row = out.iloc[0]
    assert row["value"] == 1.5 and row["series"] == "" and row["start_year"] == 2020
    assert pd.isna(row["count"]) and str(out["start_year"].dtype) == s.I64


def test_conform_rejects_text_in_a_number_column() -> None:
    with pytest.raises(ValueError):
        s.conform(pd.DataFrame({"value": ["abc"]}), s.VALUES)


@pytest.mark.parametrize("table", sorted(s.LOCAL_TABLES))
def test_local_tables_publish_empty_with_their_columns(table: str) -> None:
    out = local.empty(table)
    assert out.empty and list(out.columns) == list(s.LOCAL_TABLES[table])
    assert [str(t) for t in out.dtypes] == [
        "string" if d == s.STR else d for d in s.LOCAL_TABLES[table].values()
    ]
