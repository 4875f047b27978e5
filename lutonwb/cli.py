"""Command line: `lutonwb build | check | scorecard | refresh` (names and options are a public contract)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lutonwb import config


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lutonwb",
        description="Health-equity monitor for a Marmot place (the place folder named by LUTONWB_PLACE)",
    )
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the parquet warehouse from the raw files")
    b.add_argument("--raw", type=Path, default=None, help="raw input folder (default data/raw)")
    b.add_argument(
        "--out", type=Path, default=None, help="warehouse folder (default data/warehouse)"
    )
    b.add_argument(
        "--if-needed", action="store_true", help="skip when the warehouse matches the inputs"
    )

    c = sub.add_parser(
        "check", help="validate the catalogue and the data; non-zero exit on any problem"
    )
    c.add_argument("--raw", type=Path, default=None)
    c.add_argument("--out", type=Path, default=None)

    s = sub.add_parser("scorecard", help="one row per measure for a home area and comparator group")
    s.add_argument("--area", default=config.HOME_AREA_DEFAULT, help="GSS code of the home area")
    s.add_argument("--comparator", default="england", help="comparator group id")
    s.add_argument("--with", dest="with_", default="", help="custom group members: CODE,CODE,…")
    s.add_argument("--board", default=None, help="board id, as in the place's programme.yaml")
    s.add_argument(
        "--principle", type=int, default=None, choices=range(1, 9), help="Marmot principle 1–8"
    )
    s.add_argument("--period", default="latest", help="latest or a period label")
    s.add_argument("--format", choices=("csv", "json"), default="csv")
    s.add_argument(
        "--out", type=Path, default=None, help="warehouse folder (default data/warehouse)"
    )
    g = sub.add_parser("progress", help="progress toward the targets, one row per measure")
    g.add_argument("--area", default=config.HOME_AREA_DEFAULT, help="GSS code of the home area")
    g.add_argument("--comparator", default="england", help="comparator group id")
    g.add_argument("--with", dest="with_", default="", help="custom group members: CODE,CODE,…")
    g.add_argument("--board", default=None, help="board id, as in the place's programme.yaml")
    g.add_argument("--principle", type=int, default=None, choices=range(1, 9))
    g.add_argument("--format", choices=("csv", "json"), default="csv")
    g.add_argument("--out", type=Path, default=None, help="warehouse folder")
    _refresh_parser(sub)
    return p


def _refresh_parser(sub) -> None:
    r = sub.add_parser("refresh", help="download newer copies of published inputs into data/raw")
    rsub = r.add_subparsers(dest="source", required=True)
    f = rsub.add_parser(
        "fingertips",
        help="download the Fingertips all-data CSV of each catalogue fingertips_id "
        "(API root from LUTONWB_FINGERTIPS_API)",
    )
    f.add_argument(
        "--indicator",
        type=int,
        nargs="+",
        action="extend",
        metavar="ID",
        help="only these Fingertips indicator ids (default: every fingertips_id in the catalogue)",
    )
    f.add_argument("--dry-run", action="store_true", help="print the URLs; download nothing")
    f.add_argument("--force", action="store_true", help="download again what this run already got")
    f.add_argument("--raw", type=Path, default=None, help="raw input folder (default data/raw)")
    f.add_argument(
        "--timeout", type=float, default=None, help="seconds to wait for each answer (default 60)"
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        return _build(args)
    if args.command == "check":
        from lutonwb.checks import run_checks

        problems = run_checks(args.raw or config.raw_dir(), args.out or config.warehouse_dir())
        for line in problems:
            print(line, file=sys.stderr)
        print(
            f"{len(problems)} problem(s)" if problems else "catalogue and data agree: no problems"
        )
        return 1 if problems else 0
    if args.command == "scorecard":
        from lutonwb.scorecard import scorecard_cli

        return scorecard_cli(args)
    if args.command == "progress":
        from lutonwb.progress.command import progress_cli

        return progress_cli(args)
    if args.command == "refresh":
        return _refresh_fingertips(args)
    return 2


def _refresh_fingertips(args: argparse.Namespace) -> int:
    """Download (or, with --dry-run, list) the all-data CSVs; non-zero exit on any failure."""
    from lutonwb.catalogue import CatalogueError, load_catalogue
    from lutonwb.refresh import fingertips as ft

    try:
        known = ft.catalogue_indicators(load_catalogue())
    except CatalogueError as exc:
        print(f"refresh: {exc}", file=sys.stderr)
        return 1
    ids = sorted(set(args.indicator or known))
    unknown = [i for i in ids if i not in known]
    if unknown:
        print(
            f"refresh: indicator(s) {unknown} are not the fingertips_id of any measure in the "
            "catalogue: add the id to its measure in catalogue.yaml first",
            file=sys.stderr,
        )
        return 2
    if args.dry_run:
        for i in ids:
            print(ft.csv_url(ft.api_base(), i))
        return 0
    raw = args.raw or config.raw_dir()
    result = ft.refresh(raw, ids, timeout=args.timeout or ft.TIMEOUT_SECONDS, force=args.force)
    print(
        f"downloaded {len(result.downloaded)}, already done {len(result.skipped)}, "
        f"failed {len(result.errors)} into {ft.api_folder(raw)}"
    )
    for exc in result.errors:
        print(f"  - {exc}", file=sys.stderr)
    if result.errors:
        print(
            "the previous files are unchanged; run the same command again to resume",
            file=sys.stderr,
        )
        return 1
    print("now run `lutonwb build` to read them")
    return 0


def _build(args: argparse.Namespace) -> int:
    from lutonwb.ingest import BuildError, build, is_current

    raw = args.raw or config.raw_dir()
    out = args.out or config.warehouse_dir()
    if args.if_needed and is_current(raw, out):
        print(f"warehouse at {out} is up to date")
        _precompute(out)
        return 0
    try:
        build(raw, out, progress=lambda msg: print(msg, flush=True))
    except BuildError as exc:
        print(
            f"build failed with {len(exc.errors)} problem(s); the last good warehouse is unchanged:",
            file=sys.stderr,
        )
        for e in exc.errors:
            print(f"  - {e}", file=sys.stderr)
        return 1
    _precompute(out)
    return 0


def _precompute(out: Path) -> None:
    """Rate every fixed comparator group once and keep the results with the build, so the app
    starts without rating anything; then the home area's progress tables. Optional: a catalogue
    or targets problem is reported (`lutonwb check` says more) and the app then works live."""
    import time

    from lutonwb.catalogue import CatalogueError, load_catalogue
    from lutonwb.db import Warehouse
    from lutonwb.engine import Engine, snapshot_folder
    from lutonwb.progress.snapshot import precompute_progress

    t0 = time.perf_counter()
    try:
        wh = Warehouse(out)
        cat = load_catalogue()
        if snapshot_folder(wh, cat).is_dir():
            print("engine: precomputed ratings are up to date")
        else:
            Engine(wh, cat)  # rates the fixed groups and saves them beside the build
            done = "precomputed" if snapshot_folder(wh, cat).is_dir() else "could not be saved"
            took = time.perf_counter() - t0
            print(f"engine: ratings for the fixed comparator groups {done} in {took:.1f} s")
        print(precompute_progress(wh, cat), flush=True)
    except (CatalogueError, OSError, ValueError) as exc:
        print(f"engine: not precomputed ({exc}); the app will work live", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
