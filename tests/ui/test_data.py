"""The pages' published build: never rebuilt by a page load, one first build across sessions, the
kept build when the live one is gone, and one cache convention (by_build) bounded as asked."""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from lutonwb import config
from lutonwb.ingest import build, pipeline, read_manifest
from lutonwb.ui import data

SOURCES = ("lutonwb.ingest.neighbours",)  # one quick source: the publish logic is the same
NEIGHBOURS = "neighbours/cssnbt_statistical_neighbours_all_la_long.csv"


@pytest.fixture
def place(tmp_path: Path, raw_dir: Path, monkeypatch) -> tuple[Path, Path]:
    """(raw copy, warehouse path) in tmp_path, set as the app's folders; small builds only."""
    raw, out = tmp_path / "raw", tmp_path / "data" / "warehouse"
    shutil.copytree(raw_dir, raw)
    monkeypatch.setattr(pipeline, "SOURCES", SOURCES)
    monkeypatch.setenv("LUTONWB_RAW", str(raw))
    monkeypatch.setenv("LUTONWB_WAREHOUSE", str(out))
    return raw, out


def _quiet_build(raw: Path, out: Path) -> Path:
    build(raw, out, progress=lambda _m: None)
    return out.resolve()


def _no_build(*_a, **_k) -> None:
    raise AssertionError("a page load ran a build")


def test_changed_or_corrupt_raw_never_rebuilds_on_a_page_load(place, monkeypatch, caplog) -> None:
    raw, out = place
    folder = _quiet_build(raw, out)
    rows = read_manifest(out)["tables"]
    source = raw / NEIGHBOURS
    monkeypatch.setattr(data, "build", _no_build)
    for change in (b"\x00\xff binary junk", source.read_bytes() + b"\n"):  # corrupt, then valid
        source.write_bytes(change)
        with caplog.at_level(logging.WARNING, logger=data.__name__):
            wh = data.warehouse()
        assert wh.folder == folder
        assert wh.row_counts() == rows and rows["area_groups"] > 1000
    assert "run `lutonwb build`" in caplog.text, "stale raw data is logged for the operator"


def test_deleted_live_build_falls_back_to_the_newest_kept_build(place, monkeypatch) -> None:
    raw, out = place
    older = _quiet_build(raw, out)
    time.sleep(0.01)  # distinct modification times
    live = _quiet_build(raw, out)
    assert live != older
    shutil.rmtree(live)
    monkeypatch.setattr(data, "build", _no_build)
    assert data.published_build() == older
    assert data.warehouse().folder == older
    assert data.build_id().startswith(older.name)


def test_first_start_builds_once_across_sessions(place, monkeypatch) -> None:
    raw, out = place
    calls: list[int] = []

    def counted(raw_: Path, out_: Path, progress) -> dict:
        calls.append(1)
        time.sleep(0.2)  # long enough for every other session to arrive and wait
        return build(raw_, out_, progress)

    monkeypatch.setattr(data, "build", counted)
    found: list[Path] = []
    threads = [threading.Thread(target=lambda: found.append(data.build_folder())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert found == [out.resolve()] * 4


def test_failed_first_build_tells_the_log_not_the_page(place, caplog) -> None:
    from streamlit.testing.v1 import AppTest

    raw, _ = place
    (raw / NEIGHBOURS).write_bytes(b"\x00\xff\xfe binary junk \x89PNG")

    def page() -> None:
        from lutonwb.ui import data as d

        d.warehouse()

    with caplog.at_level(logging.ERROR, logger=data.__name__):
        at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [data.NOT_READY]
    assert [s.label for s in at.status] == ["The data is not ready yet"]
    shown = " ".join(str(x.value) for x in (*at.markdown, *at.error, *at.exception))
    assert str(raw) not in shown and "neighbours" not in shown and "junk" not in shown
    assert "cssnbt_statistical_neighbours" in caplog.text, "the log names the file"


def test_build_id_changes_with_each_publish_and_catalogue_edit(place, tmp_path, monkeypatch):
    raw, out = place
    cat = tmp_path / "catalogue.yaml"
    cat.write_text("x")
    monkeypatch.setenv("LUTONWB_CATALOGUE", str(cat))
    _quiet_build(raw, out)
    first = data.build_id()
    assert data.build_id() == first, "stable while nothing is published"
    _quiet_build(raw, out)
    second = data.build_id()
    assert second != first
    os.utime(cat, ns=(1, 1))
    assert data.build_id() != second


def test_by_build_keys_equal_calls_once_and_is_bounded(place, monkeypatch) -> None:
    raw, out = place
    _quiet_build(raw, out)
    calls: list[tuple] = []

    @data.by_build(max_entries=3, ttl=60)
    def rated(home: str, custom: tuple[str, ...] = (), period: str = "latest") -> str:
        calls.append((home, custom, period))
        return f"{home}{custom}{period}"

    rated.clear()
    assert (
        rated("a", ["x", "y"])
        == rated("a", ("x", "y"), "latest")
        == rated(home="a", custom=("x", "y"))
    )
    assert len(calls) == 1, "defaults filled in and lists made tuples: one entry"
    for i in range(4):  # more distinct custom groups than the bound
        rated("a", (str(i),))
    rated("a", ("0",))
    assert len(calls) == 6, "the oldest group was dropped: the cache holds at most 3"
    _quiet_build(raw, out)
    rated("a", ("3",))
    assert len(calls) == 7, "a new build is a new key"


def test_by_build_calls_the_cache_by_keyword(place, monkeypatch) -> None:
    """Streamlit names each positional argument of a cached call with inspect.signature, on
    every call; by_build passes its key by keyword, so that look-up never runs."""
    from streamlit.runtime.caching import cache_utils

    raw, out = place
    _quiet_build(raw, out)

    def no_lookup(func, arg_index):  # noqa: ANN001, ANN202 (Streamlit's private signature)
        raise AssertionError("a cached call passed a positional argument")

    @data.by_build(max_entries=2, ttl=60)
    def keyed(a: str, b: tuple[str, ...] = ("x",), c: int = 1) -> str:
        return f"{a}{b}{c}"

    keyed.clear()
    monkeypatch.setattr(cache_utils, "_get_positional_arg_name", no_lookup)
    assert keyed("a", ["y"], 2) == "a('y',)2"
    assert keyed("a", ["y"], 2) == "a('y',)2"  # and once cached


def test_by_build_entries_expire(place) -> None:
    raw, out = place
    _quiet_build(raw, out)
    calls: list[str] = []

    @data.by_build(max_entries=4, ttl=0.2)
    def short_lived(x: str) -> str:
        calls.append(x)
        return x

    short_lived.clear()
    short_lived("a")
    short_lived("a")
    time.sleep(0.3)
    short_lived("a")
    assert calls == ["a", "a"]


def test_build_id_follows_the_programme_and_the_fingertips_downloads(place, tmp_path, monkeypatch):
    raw, out = place
    folder = tmp_path / "place"
    folder.mkdir()
    shutil.copy(config.place_dir() / "place.yaml", folder / "place.yaml")
    monkeypatch.setenv("LUTONWB_PLACE", str(folder))
    _quiet_build(raw, out)
    first = data.build_id()
    (folder / "programme.yaml").write_text("boards: {}\n")
    second = data.build_id()
    assert second != first, "an edited programme is a new catalogue"
    record = raw / "fingertips" / "api" / "PROVENANCE.csv"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("indicator_id\n")
    assert data.build_id() != second, "a refresh's downloads are a new catalogue"


def test_build_id_is_read_once_per_script_run(place, monkeypatch) -> None:
    """A page's cached calls share one build id per run (one set of file-system calls); the next
    run reads the files again, so a newly published build is seen on the next rerun."""
    raw, out = place
    _quiet_build(raw, out)
    reads: list[str] = []
    real = data._current_build_id

    def counted() -> str:
        reads.append(real())
        return reads[-1]

    monkeypatch.setattr(data, "_current_build_id", counted)
    from streamlit.testing.v1 import AppTest

    def page() -> None:
        import streamlit as st

        from lutonwb.ui import data as d

        st.markdown(str(len({d.build_id() for _ in range(5)})))

    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception and at.markdown[0].value == "1"
    assert len(reads) == 1
    _quiet_build(raw, out)  # a new build is published between runs
    at.run()
    assert len(reads) == 2 and reads[1] != reads[0]
    assert data.build_id() == reads[1] and len(reads) == 3, "outside a run: read on each call"
