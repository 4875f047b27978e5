"""`lutonwb check`: the catalogue and the data agree, in both directions.

Each problem is one line naming the file and the key to edit:
- the catalogue loads and validates (CatalogueError already names file, line and key);
- the warehouse exists and was built from the current raw files;
- every binding's series has rows, and rows left after its sex/age/category filter;
- every warehouse series is bound by a measure or listed under `unbound_series`;
- every reported figure refers to a catalogue measure (id or alias).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from lutonwb import config
from lutonwb.catalogue import Catalogue

if TYPE_CHECKING:
    from lutonwb.db import Warehouse


def run_checks(raw: Path, out: Path) -> list[str]:
    """All problems found, one line each (empty list = catalogue and data agree)."""
    from lutonwb.catalogue import CatalogueError, load_catalogue
    from lutonwb.db import Warehouse, WarehouseMissing
    from lutonwb.ingest import is_current

    problems: list[str] = []
    cat_path = config.catalogue_path()
    try:
        cat = load_catalogue(cat_path)
    except CatalogueError as exc:
        return [str(exc)]
    except FileNotFoundError:
        return [f"{cat_path.name}: file not found at {cat_path}"]

    raw, out = Path(raw), Path(out)
    try:
        wh = Warehouse(out)
    except WarehouseMissing as exc:
        return [*problems, f"{out}: {exc}"]
    if not is_current(raw, out):
        problems.append(
            f"{out}/manifest.json: the warehouse was not built from the current files in {raw}: run `lutonwb build`"
        )
    tables = set(wh.tables())
    series_rows = (
        wh.series_summary().set_index("series")["rows"]
        if "values" in tables
        else pd.Series(dtype="int64")
    )
    problems += binding_problems(cat, wh, series_rows, cat_path.name)
    problems += coverage_problems(cat, series_rows, cat_path.name)
    if "reported" in tables:
        problems += reported_problems(cat, wh.table("reported"), cat_path.name)
    return problems


def binding_problems(
    cat: Catalogue, wh: Warehouse, series_rows: pd.Series, cat_name: str
) -> list[str]:
    """Bindings whose series is absent, or whose filter leaves no rows."""
    problems: list[str] = []
    bound = sorted(
        {b.series for m in cat.measures.values() for b in m.data if b.series in series_rows.index}
    )
    values = wh.series_values(bound) if bound else pd.DataFrame()
    by_series = dict(tuple(values.groupby("series"))) if len(values) else {}
    for m in cat.measures.values():
        for i, b in enumerate(m.data):
            key = f"measures[{m.id}].data[{i}]"
            if b.series not in series_rows.index:
                problems.append(
                    f"{cat_name}, key {key}.series: series {b.series!r} has no rows in the warehouse"
                )
                continue
            df = by_series.get(b.series, pd.DataFrame())
            sexes = {b.sex, ""} if b.sex == "Persons" else {b.sex}
            mask = df["sex"].fillna("").isin(sexes)
            mask &= df["category_type"].fillna("") == (b.category_type or "")
            mask &= df["category"].fillna("") == (b.category or "")
            if b.age is not None:
                mask &= df["age"].fillna("") == b.age
            if not mask.any():
                got = sorted(
                    set(zip(df["sex"].fillna(""), df["category_type"].fillna(""), strict=True))
                )[:5]
                problems.append(
                    f"{cat_name}, key {key}: no rows of {b.series!r} match sex={b.sex!r} age={b.age!r} "
                    f"category_type={b.category_type!r} category={b.category!r} (the series has sex/category_type {got})"
                )
    return problems


def coverage_problems(cat: Catalogue, series_rows: pd.Series, cat_name: str) -> list[str]:
    """Warehouse series that no measure binds and the catalogue does not list as unbound."""
    bound = {b.series for m in cat.measures.values() for b in m.data}
    unbound = set(cat.unbound_series)
    missing = [s for s in series_rows.index if s not in bound and s not in unbound]
    return [
        f"{cat_name}, key unbound_series: warehouse series {s!r} is neither bound to a measure nor listed with a reason"
        for s in missing
    ]


def reported_problems(cat: Catalogue, reported: pd.DataFrame, cat_name: str) -> list[str]:
    """Reported figures (table `reported`) whose measure id the catalogue does not know."""
    problems = []
    for mid, grp in reported.groupby("measure_id"):
        if cat.resolve(str(mid)) is None:
            docs = ", ".join(sorted(set(grp["document"].astype(str))))
            problems.append(
                f"reported figures ({docs}), key measure_id {mid!r}: not a measure id or alias in {cat_name}"
            )
    return problems
