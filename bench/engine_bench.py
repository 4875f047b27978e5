"""Time the engine rating every measure × every upper-tier authority × every comparator group,
against a raw DuckDB scan of the same values.parquet.

Two engine times: the app's path (the fixed groups' ratings precomputed beside the build by
`lutonwb build`, read back; custom groups rated live) and from scratch (everything rated from the
values: what the build does once). Each part runs in its own process (prints JSON) so a
100× warehouse cannot disturb the caller's memory or timings, and the app's path is timed in a
process that has not rated from scratch first, as the app's server never has (`lutonwb build`
does that in its own process).

Usage: python -m bench.engine_bench --warehouse data/warehouse --part build [--scratch-repeats 1]
       python -m bench.engine_bench --warehouse data/warehouse --part app [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import duckdb

from bench.harness import median
from lutonwb.catalogue import load_catalogue
from lutonwb.db import Warehouse
from lutonwb.engine import Engine, snapshot_folder


def scan_sql() -> str:
    """A full scan of every column the engine reads, aggregated so the fetch costs nothing."""
    return """
        SELECT count(*), count(DISTINCT series), count(DISTINCT area_code), max(period),
               max(period_start), max(sex), max(age), max(category_type), max(category),
               sum(value), sum(lower_ci), sum(upper_ci), sum(count), sum(denominator),
               max(significance)
        FROM read_parquet($path)
    """


def time_scan(values: Path, repeats: int) -> float:
    """Median seconds of a raw DuckDB scan of values.parquet (fresh connection each time)."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        con = duckdb.connect(":memory:")
        con.execute(scan_sql(), {"path": str(values)}).fetchall()
        con.close()
        times.append(time.perf_counter() - t0)
    return median(times)


def rate_everything(wh: Warehouse, cat, snapshot: bool = True) -> dict[str, float]:
    """Build a fresh Engine and rate every group (custom = the home's CSSNBT 2021 neighbours)."""
    t0 = time.perf_counter()
    eng = Engine(wh, cat, snapshot=snapshot)
    t_init = time.perf_counter()
    per_group: dict[str, float] = {}
    for g in eng.groups():
        t = time.perf_counter()
        if g.id == "custom":
            home = eng.authorities()["area_code"].iloc[0]
            members = [c for c in eng.group_members("cssnbt-2021", home) if c != home]
            eng.rate_all("custom", members)
        else:
            eng.rate_all(g.id)
        per_group[g.id] = time.perf_counter() - t
    total = time.perf_counter() - t0
    return {"total": total, "init": t_init - t0, **{f"group:{k}": v for k, v in per_group.items()}}


def measure_build(folder: Path, scratch_repeats: int) -> dict:
    """What the build does once: every group rated from scratch, then the precomputed ratings
    made (when the build has none yet) for the app's path to read."""
    wh, cat = Warehouse(folder), load_catalogue()
    scratch = [rate_everything(wh, cat, snapshot=False) for _ in range(scratch_repeats)]
    t0 = time.perf_counter()
    fresh = not snapshot_folder(wh, cat).is_dir()
    Engine(wh, cat)  # makes the snapshot when the build has none (as `lutonwb build` does)
    return {
        "scratch_s": median([r["total"] for r in scratch]),
        "scratch_groups_s": {
            k[6:]: median([r[k] for r in scratch]) for k in scratch[0] if k.startswith("group:")
        },
        "precompute_s": time.perf_counter() - t0 if fresh else None,
        "max_rss_mb": max_rss_mb(),
    }


def measure_app(folder: Path, repeats: int) -> dict:
    """The app's path (precomputed ratings read back, custom rated live) and the raw scan."""
    t0 = time.perf_counter()
    wh = Warehouse(folder)
    open_s = time.perf_counter() - t0
    cat = load_catalogue()
    rate_everything(wh, cat)  # untimed: a server has read the build's files before readers come
    runs = [rate_everything(wh, cat) for _ in range(repeats)]
    eng = Engine(wh, cat)
    sc = eng.rate_all("england")
    scan = time_scan(folder / "values.parquet", repeats)
    return {
        "warehouse": folder.name,  # the build's folder name: results never carry machine paths
        "values_rows": int(wh.row_counts().get("values", 0)),
        "authorities": len(eng.authorities()),
        "measures": len(cat.measures),
        "groups": [g.id for g in eng.groups()],
        "rated_rows_per_group": len(sc),
        "open_s": open_s,
        "engine_s": median([r["total"] for r in runs]),
        "engine_init_s": median([r["init"] for r in runs]),
        "engine_groups_s": {
            k[6:]: median([r[k] for r in runs]) for k in runs[0] if k.startswith("group:")
        },
        "scan_s": scan,
        "max_rss_mb": max_rss_mb(),
    }


def max_rss_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--warehouse", type=Path, default=Path("data/warehouse"))
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--scratch-repeats", type=int, default=None, help="default: --repeats")
    p.add_argument("--part", choices=("build", "app"), required=True,
                   help="build: from scratch, then the precomputed ratings; app: the app's path")  # fmt: skip
    a = p.parse_args(argv)
    if a.part == "build":
        result = measure_build(a.warehouse, a.scratch_repeats or a.repeats)
    else:
        result = measure_app(a.warehouse, a.repeats)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
