"""First start: with no warehouse yet, the app builds it (showing a status) and then renders."""

from __future__ import annotations

import shutil
from pathlib import Path

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
