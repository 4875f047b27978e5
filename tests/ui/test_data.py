"""The pages' cached warehouse access: the build stamp follows the published manifest."""

from __future__ import annotations

import json
import os
from pathlib import Path

from lutonwb.ui import data


def _publish(out: Path, built_at: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / "manifest.json.tmp"
    tmp.write_text(json.dumps({"built_at": built_at, "inputs": {}}))
    os.replace(tmp, out / "manifest.json")  # a new file, as a publish writes


def test_built_at_follows_each_publish(tmp_path: Path) -> None:
    out = tmp_path / "wh"
    assert data.built_at(out) == ""
    _publish(out, "2026-11-23T10:00:00")
    assert data.built_at(out) == "2026-11-23T10:00:00"
    _publish(out, "2026-11-23T11:00:00")
    assert data.built_at(out) == "2026-11-23T11:00:00"


def test_built_at_is_not_reparsed_while_unchanged(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "wh"
    _publish(out, "2026-11-23T10:00:00")
    assert data.built_at(out) == "2026-11-23T10:00:00"
    calls: list[Path] = []
    monkeypatch.setattr(data, "read_manifest", lambda o: calls.append(o) or {"built_at": "x"})
    for _ in range(5):
        assert data.built_at(out) == "2026-11-23T10:00:00"
    assert calls == []


def test_long_lived_objects_leave_the_collectors_scans() -> None:
    """After the engine loads, a full collection no longer walks the libraries and the engine."""
    import gc

    from lutonwb.ui import engine as ue

    before = gc.get_freeze_count()
    ue.freeze_long_lived()
    assert gc.get_freeze_count() > before
    assert gc.get_freeze_count() > 10_000  # the test process's libraries, at least
