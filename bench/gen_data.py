"""Make an N× larger synthetic copy of a warehouse, keeping every table's schema.

Every row of `values` about a local area (authorities, wards, LSOAs: not England or the regions)
is copied N-1 times under new area codes, and the tables that describe those areas (areas,
comparator groups, lookups, deprivation by authority) are copied with the same code mapping, so
the engine sees N× as many authorities with N× as much data, each copy a complete, consistent
set. England and region rows stay as they are (they are the benchmarks).

Usage: python -m bench.gen_data --src data/warehouse --out /tmp/wh10 --factor 10
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

# table -> columns holding area codes that the copy maps to new codes
CODE_COLUMNS: dict[str, tuple[str, ...]] = {
    "values": ("area_code",),
    "areas": ("area_code", "parent_code"),
    "area_groups": ("area_code", "member_code"),
    "lookup_ltla_utla": ("ltla_code", "utla_code"),
    "lookup_ltla_region": ("ltla_code",),
    "iod_la": ("ltla_code",),
}
NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "values": ("area_name",),
    "areas": ("area_name",),
    "area_groups": ("member_name",),
    "lookup_ltla_utla": ("ltla_name", "utla_name"),
    "lookup_ltla_region": ("ltla_name",),
    "iod_la": ("ltla_name",),
}
BENCHMARK_TYPES = ("england", "region")


def copy_code(code: str, k: int) -> str:
    """The k-th copy of a GSS code: same 3-character type prefix, copy number in the next two
    digits (real codes have 00 there), so code patterns such as E06/E08/E09/E10 still hold."""
    if len(code) == 9 and code[3:5] == "00":
        return f"{code[:3]}{k:02d}{code[5:]}"
    return f"{code}~{k}"


def local_codes(areas: pd.DataFrame) -> set[str]:
    """Codes of every area that is copied (everything but England and the regions)."""
    return set(areas.loc[~areas["area_type"].isin(BENCHMARK_TYPES), "area_code"].astype(str))


def copy_rows(local: pd.DataFrame, table: str, codes: set[str], k: int) -> pd.DataFrame:
    """The k-th copy of the local-area rows, codes and names mapped."""
    part = local.copy()
    for col in CODE_COLUMNS[table]:
        s = part[col].astype("string")
        mask = s.isin(codes).fillna(False).to_numpy(bool)
        part.loc[mask, col] = s[mask].map(lambda c, k=k: copy_code(c, k))
    for col in NAME_COLUMNS.get(table, ()):
        if col in part.columns:
            part[col] = part[col].astype("string") + f" (copy {k})"
    return part.astype(local.dtypes.to_dict())


def replicate_to(path: Path, out: Path, table: str, codes: set[str], factor: int) -> int:
    """Write the table plus factor-1 copies of its local-area rows, one copy at a time (so a
    100× values table never has to fit in memory); returns the rows written."""
    src = pq.read_table(path)
    df = src.to_pandas()
    key = df[CODE_COLUMNS[table][0]].astype("string")
    local = df[key.isin(codes).fillna(False).to_numpy(bool)]
    rows = 0
    with pq.ParquetWriter(out, src.schema) as w:
        w.write_table(src)
        rows += src.num_rows
        for k in range(1, factor):
            part = pa.Table.from_pandas(
                copy_rows(local, table, codes, k), schema=src.schema, preserve_index=False
            )
            w.write_table(part)
            rows += part.num_rows
    return rows


def generate(src: Path, out: Path, factor: int) -> dict[str, int]:
    """Write the N× warehouse folder (a plain folder with a manifest); returns row counts."""
    src = src.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    areas = pd.read_parquet(src / "areas.parquet")
    codes = local_codes(areas)
    for c in codes:  # the mapping must never collide with a real code
        assert copy_code(c, 1) not in codes, c
    counts: dict[str, int] = {}
    for path in sorted(src.glob("*.parquet")):
        name = path.stem
        if name in CODE_COLUMNS and factor > 1:
            counts[name] = replicate_to(path, out / path.name, name, codes, factor)
        else:
            shutil.copy2(path, out / path.name)
            counts[name] = pq.ParquetFile(path).metadata.num_rows
    manifest = json.loads((src / "manifest.json").read_text())
    manifest["tables"] = counts
    manifest["synthetic_factor"] = factor
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return counts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--src", type=Path, default=Path("data/warehouse"))
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--factor", type=int, default=10)
    a = p.parse_args(argv)
    counts = generate(a.src, a.out, a.factor)
    print(f"values: {counts.get('values', 0):,} rows, areas: {counts.get('areas', 0):,} -> {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
