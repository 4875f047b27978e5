"""Regenerate the series table of docs/series.md from the published warehouse.

Usage: .venv/bin/python scripts/series_doc.py  (after `lutonwb build`)
"""

from __future__ import annotations

import re
from pathlib import Path

from lutonwb import config
from lutonwb.db import Warehouse

DOC = Path(__file__).resolve().parents[1] / "docs" / "series.md"


def rows(wh: Warehouse) -> list[str]:
    """One markdown row per series, as the doc's header describes."""
    v = wh.table("values")
    out = []
    for sid, g in v.groupby("series", sort=True):
        names = g["indicator"].unique()
        name = names[0] + (f" (+{len(names) - 1} variant names)" if len(names) > 1 else "")
        units = ", ".join(sorted({u for u in g["unit"] if u}))
        sexes = "/".join(sorted(set(g["sex"]) - {""})) or "Persons"
        cats = ", ".join(sorted(set(g["category_type"]) - {""}))
        types = ",".join(sorted(set(g["area_type"])))
        g = g.sort_values(["period_end", "period_start"])
        first, last = g["period"].iloc[0], g["period"].iloc[-1]
        out.append(
            f"| `{sid}` | {name} | {units} | {sexes} | {cats} | {types} | {first} | {last} | {len(g):,} |"
        )
    return out


def main() -> None:
    wh = Warehouse(config.warehouse_dir())
    text = DOC.read_text()
    table = rows(wh)
    lines = text.splitlines()
    kept = [ln for ln in lines if not ln.startswith("| `")]
    at = next(i for i, ln in enumerate(kept) if ln.startswith("|---") or ln.startswith("| ---"))
    total = sum(int(r.rsplit("|", 2)[-2].strip().replace(",", "")) for r in table)
    new = kept[: at + 1] + table + kept[at + 1 :]
    body = "\n".join(new) + "\n"
    body = re.sub(r"\d+ series, [\d,]+ rows\.", f"{len(table)} series, {total:,} rows.", body)
    DOC.write_text(body)


if __name__ == "__main__":
    main()
