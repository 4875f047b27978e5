"""First start: with no warehouse yet, the app builds it (showing a status) and then renders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lutonwb.ingest import build, is_current, read_manifest

ROOT = Path(__file__).resolve().parents[2]


def test_app_builds_the_warehouse_on_first_start(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "warehouse"
    monkeypatch.setenv("LUTONWB_WAREHOUSE", str(out))
    monkeypatch.setenv("LUTONWB_TRACKER_DB", str(tmp_path / "tracker.duckdb"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    assert not at.exception
    assert at.title[0].value == "Luton Marmot Town monitor"
    manifest = read_manifest(out)
    assert manifest["tables"]["values"] > 100_000
    assert is_current(ROOT / "data" / "raw", out)


def test_changed_raw_file_makes_the_warehouse_stale(tmp_path: Path, raw_dir: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    out = tmp_path / "wh"
    build(raw, out, progress=lambda _m: None)
    assert is_current(raw, out)
    f = (
        raw
        / "extra"
        / "homelessness"
        / "mhclg_homelessness_ta_per_1000_ltla23_oct_dec_2023_healthyr.csv"
    )
    f.write_text(f.read_text().replace("13.26", "13.27", 1))
    assert not is_current(raw, out)


def test_page_loads_never_rebuild_when_raw_files_change(
    tmp_path: Path, raw_dir: Path, warehouse_dir: Path, monkeypatch
) -> None:
    """Rebuilding is the operator's command: with a good build, a corrupt raw file leaves every
    page load as it was (no build, no "preparing" status, nothing of the file on the page)."""
    from lutonwb.ui import data

    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    (raw / "lookups" / "all_ltla23_to_utla23.csv").write_bytes(b"\x00\xff binary junk")
    monkeypatch.setenv("LUTONWB_RAW", str(raw))
    monkeypatch.setenv("LUTONWB_WAREHOUSE", str(warehouse_dir))
    monkeypatch.setenv("LUTONWB_TRACKER_DB", str(tmp_path / "tracker.duckdb"))
    monkeypatch.setattr(data, "build", lambda *_a, **_k: pytest.fail("a page load rebuilt"))
    for _ in range(2):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
        assert not at.exception
        assert at.title[0].value == "Luton Marmot Town monitor"
        assert not at.status and not at.error
        shown = " ".join(str(m.value) for m in at.markdown)
        assert "junk" not in shown and "all_ltla23_to_utla23" not in shown
