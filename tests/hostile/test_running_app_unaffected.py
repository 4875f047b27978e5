"""Corrupting raw files while the app runs: the build fails with a named error, the open
Warehouse (what the running app holds) keeps answering, and the symlink keeps the old build.

The builds here run only the sources that read the corrupted files (areas, neighbours): the
publish-or-keep logic is the same for every source, and a full build per case would cost ~10 s.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from lutonwb.db import Warehouse
from lutonwb.ingest import BuildError, build, pipeline, read_manifest

UTLA_LOOKUP = "lookups/all_ltla23_to_utla23.csv"
NEIGHBOURS = "neighbours/cssnbt_statistical_neighbours_all_la_long.csv"
SOURCES = ("lutonwb.ingest.areas", "lutonwb.ingest.neighbours")


def _garbage_bytes(p: Path) -> None:
    p.write_bytes(b"\x00\xff\xfe binary junk \x89PNG\r\n\x1a\n" * 50)


def _drop_column(p: Path) -> None:
    lines = p.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    lines[0] = lines[0].replace("utla23_code", "utla_cd_renamed")
    p.write_text("".join(lines), encoding="utf-8")


def _bad_code(p: Path) -> None:
    lines = p.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    lines[3] = lines[3].replace("E0", "<script>DROP TABLE areas;--", 1)
    p.write_text("".join(lines), encoding="utf-8")


def _truncate(p: Path) -> None:
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 3].rsplit(b",", 1)[0] + b',"unterminated')


def _delete(p: Path) -> None:
    p.unlink()


CORRUPTIONS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "binary-garbage": (UTLA_LOOKUP, _garbage_bytes),
    "renamed-column": (UTLA_LOOKUP, _drop_column),
    "hostile-code": (UTLA_LOOKUP, _bad_code),
    "truncated": (NEIGHBOURS, _truncate),
    "deleted": (NEIGHBOURS, _delete),
}


@pytest.fixture(autouse=True)
def _few_sources(monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "SOURCES", SOURCES)


@pytest.fixture(scope="module")
def published(tmp_path_factory, raw_dir: Path) -> tuple[Path, Warehouse]:
    """A build in a private folder and a Warehouse open on it, as the running app holds one."""
    base = tmp_path_factory.mktemp("running")
    out = base / "warehouse"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "SOURCES", SOURCES)
        build(raw_dir, out, progress=lambda _m: None)
    return out, Warehouse(out)


def _answers(wh: Warehouse) -> dict:
    """What the app asks the Warehouse for, reduced to comparable values."""
    utla = wh.areas("utla")
    groups = wh.area_groups("cssnbt-2021", "E06000032")
    return {
        "tables": wh.tables(),
        "rows": wh.row_counts(),
        "utla": sorted(utla["area_code"]),
        "luton": utla.loc[utla["area_code"] == "E06000032", "area_name"].tolist(),
        "neighbours": groups["member_code"].tolist(),
    }


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_corrupt_raw_file_fails_build_and_app_keeps_answering(
    kind: str, published: tuple[Path, Warehouse], raw_dir: Path, tmp_path: Path
) -> None:
    out, wh = published
    before = _answers(wh)
    assert "E06000032" in before["utla"] and before["luton"] == ["Luton"]
    assert len(before["neighbours"]) == 10
    target = os.readlink(out)
    manifest = read_manifest(out)

    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    rel, corrupt = CORRUPTIONS[kind]
    corrupt(raw / rel)

    with pytest.raises(BuildError) as err:
        build(raw, out, progress=lambda _m: None)
    assert rel in str(err.value), f"the error names the file: {err.value}"

    assert os.readlink(out) == target, "the symlink still points at the last good build"
    assert read_manifest(out) == manifest
    assert not list(out.parent.glob(".warehouse-builds/*.partial")), "no half-written build left"
    assert _answers(wh) == before, "the open Warehouse answers as before"
    assert _answers(Warehouse(out)) == before, "a reopened Warehouse sees the same last good build"


def test_good_rebuild_swaps_while_open_warehouse_keeps_its_copy(
    published: tuple[Path, Warehouse], raw_dir: Path
) -> None:
    out, wh = published
    before = _answers(wh)
    old_target = os.readlink(out)
    build(raw_dir, out, progress=lambda _m: None)
    assert os.readlink(out) != old_target, "a good build is swapped in"
    assert _answers(wh) == before
    assert _answers(Warehouse(out)) == before


def _page_rows() -> None:
    """A page that shows how many rows the warehouse it reads has (what a reader would see)."""
    import streamlit as st

    from lutonwb.ui import data as d

    st.write(f"rows {sum(d.warehouse().row_counts().values())}")


def test_deleted_live_build_page_loads_read_the_kept_build(
    tmp_path: Path, raw_dir: Path, monkeypatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from lutonwb.ui import data

    monkeypatch.setattr(pipeline, "SOURCES", ("lutonwb.ingest.neighbours",))
    out = tmp_path / "warehouse"
    monkeypatch.setenv("LUTONWB_WAREHOUSE", str(out))
    monkeypatch.setenv("LUTONWB_RAW", str(raw_dir))
    kept = build(raw_dir, out, progress=lambda _m: None)
    build(raw_dir, out, progress=lambda _m: None)
    shutil.rmtree(out.resolve())  # the live build folder disappears under the running app
    monkeypatch.setattr(data, "build", lambda *_a, **_k: pytest.fail("a page load rebuilt"))
    for _ in range(15):
        at = AppTest.from_function(_page_rows, default_timeout=60).run()
        assert not at.exception
        assert [m.value for m in at.markdown] == [f"rows {sum(kept['tables'].values())}"]
