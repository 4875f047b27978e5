"""The store on both back ends: append-only history, latest status, optimistic concurrency."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lutonwb.tracker.model import ConflictError
from lutonwb.tracker.store import DuckDBStore, PostgresStore, open_store
from tests.tracker.conftest import open_spec


def test_empty_store(store) -> None:
    assert store.latest() == {}
    assert store.history("ctb-2425-early-help-1") == []
    assert store.all_updates() == []


def test_history_and_latest(store) -> None:
    a = "ctb-2425-early-help-1"
    u1 = store.add_update(a, 0, "on-track", "Plan drafted", "alice")
    u2 = store.add_update(a, 1, "at-risk", "Consultation delayed", "bob")
    store.add_update("hpc-2425-tb-1", 0, "complete", "", "alice")
    assert (u1.seq, u1.status_before, u1.status_after) == (1, "not-reported", "on-track")
    assert (u2.seq, u2.status_before, u2.status_after) == (2, "on-track", "at-risk")
    hist = store.history(a)
    assert [(h.seq, h.status_after, h.note, h.author) for h in hist] == [
        (1, "on-track", "Plan drafted", "alice"),
        (2, "at-risk", "Consultation delayed", "bob"),
    ]
    assert abs(hist[1].created_at - datetime.now(UTC)) < timedelta(minutes=1)
    latest = store.latest()
    assert {k: v.status_after for k, v in latest.items()} == {
        a: "at-risk",
        "hpc-2425-tb-1": "complete",
    }
    assert len(store.all_updates()) == 3


def test_stale_save_is_refused_with_the_newer_record(store) -> None:
    a = "place-2425-cancer-1"
    store.add_update(a, 0, "on-track", "first", "alice")
    with pytest.raises(ConflictError) as exc:
        store.add_update(a, 0, "off-track", "I did not see alice's update", "bob")
    assert exc.value.current is not None
    assert (exc.value.current.seq, exc.value.current.author, exc.value.current.status_after) == (
        1,
        "alice",
        "on-track",
    )
    with pytest.raises(ConflictError):
        store.add_update(a, 5, "off-track", "from the future", "bob")
    assert [h.note for h in store.history(a)] == ["first"]


@pytest.mark.parametrize(
    ("status", "seq", "author", "note"),
    [
        ("done", 0, "a", ""),
        ("complete", -1, "a", ""),
        ("complete", 0, "", ""),
        ("complete", 0, "a", "x" * 2001),
    ],
)
def test_malformed_updates_are_rejected(store, status, seq, author, note) -> None:
    with pytest.raises(ValueError):
        store.add_update("x", seq, status, note, author)
    assert store.all_updates() == []


def test_notes_are_stored_verbatim(store) -> None:
    note = "<script>alert(1)</script> **bold** [link](javascript:alert(1)) ; DROP TABLE status_updates; --"
    store.add_update("csp-2425-domestic-abuse-1", 0, "on-track", note, "alice")
    assert store.history("csp-2425-domestic-abuse-1")[0].note == note


def test_schema_is_idempotent_and_data_survives_reopen(store_spec) -> None:
    s1 = open_spec(store_spec)
    s1.init_schema()
    s1.add_update("a", 0, "on-track", "", "alice")
    s2 = open_spec(store_spec)
    s2.init_schema()
    s2.init_schema()
    assert s2.latest()["a"].status_after == "on-track"


def test_open_store_picks_the_back_end(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LUTONWB_TRACKER_DB", str(tmp_path / "sub" / "t.duckdb"))
    s = open_store(None)
    assert isinstance(s, DuckDBStore) and s.path == tmp_path / "sub" / "t.duckdb"
    s.add_update("a", 0, "complete", "", "alice")
    assert (tmp_path / "sub" / "t.duckdb").exists()  # created on first use
    assert isinstance(open_store("postgresql://u@localhost/db"), PostgresStore)
