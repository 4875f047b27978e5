"""Two writers × 100 updates, on the same action and on different actions, as threads and as
separate processes, on both back ends: nothing lost, every refused save reported as a conflict."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lutonwb.tracker.model import ConflictError
from tests.tracker.conftest import open_spec

N = 100
ROOT = Path(__file__).resolve().parents[2]

# A writer in its own process: waits for a common start time, then saves N updates.
WORKER = r"""
import json, sys, time
from pathlib import Path
from lutonwb.tracker.model import ConflictError
from lutonwb.tracker.store import DuckDBStore, PostgresStore
kind, where, action, name, n, start = sys.argv[1:7]
store = DuckDBStore(Path(where)) if kind == "duckdb" else PostgresStore(where)
while time.time() < float(start):
    time.sleep(0.001)
saved, conflicts = [], []
for i in range(int(n)):
    latest = store.history(action)
    seq = latest[-1].seq if latest else 0
    note = f"{name}-{i}"
    try:
        u = store.add_update(action, seq, ["on-track", "at-risk"][i % 2], note, name)
        saved.append([u.seq, note])
    except ConflictError as exc:
        assert exc.current is not None and exc.current.seq > seq
        conflicts.append([seq, exc.current.seq])
print(json.dumps({"saved": saved, "conflicts": conflicts}))
"""


def _check_history(store, action: str, results: list[dict]) -> None:
    """Every save is in the history exactly once, seqs run 1..n, before/after chain up."""
    hist = store.history(action)
    assert [h.seq for h in hist] == list(range(1, len(hist) + 1))
    by_seq = {h.seq: h.note for h in hist}
    saved = [tuple(s) for r in results for s in r["saved"]]
    assert len(saved) == len(hist)
    for seq, note in saved:
        assert by_seq[seq] == note
    for prev, cur in zip(hist, hist[1:], strict=False):
        assert cur.status_before == prev.status_after
    for r in results:
        assert len(r["saved"]) + len(r["conflicts"]) == N


def _run_processes(spec, actions: list[str]) -> list[dict]:
    kind, where = spec
    start = time.time() + 2.0  # both processes start writing together
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, kind, where, action, f"writer{i}", str(N), str(start)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for i, action in enumerate(actions)
    ]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=300)
        assert p.returncode == 0, stderr
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def test_processes_same_action(store_spec) -> None:
    results = _run_processes(store_spec, ["same", "same"])
    _check_history(open_spec(store_spec), "same", results)


def test_processes_different_actions(store_spec) -> None:
    results = _run_processes(store_spec, ["first", "second"])
    store = open_spec(store_spec)
    for action, r in zip(["first", "second"], results, strict=True):
        assert r["conflicts"] == []
        assert len(store.history(action)) == N
        _check_history(store, action, [r])


def test_threads_same_action_lockstep(store) -> None:
    """Both threads read the same version, then both save: each round one wins, one is told."""
    barrier = threading.Barrier(2)
    results = [{"saved": [], "conflicts": []} for _ in range(2)]

    def writer(k: int) -> None:
        for i in range(N):
            barrier.wait()
            hist = store.history("same")
            seq = hist[-1].seq if hist else 0
            barrier.wait()  # both have read version `seq`
            try:
                u = store.add_update("same", seq, "on-track", f"w{k}-{i}", f"w{k}")
                results[k]["saved"].append([u.seq, u.note])
            except ConflictError as exc:
                assert exc.current is not None and exc.current.seq == seq + 1
                results[k]["conflicts"].append([seq, exc.current.seq])

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert sum(len(r["saved"]) for r in results) == N  # one winner per round
    assert sum(len(r["conflicts"]) for r in results) == N  # and the other is told
    _check_history(store, "same", results)


def test_threads_different_actions(store) -> None:
    errors: list[BaseException] = []

    def writer(action: str) -> None:
        try:
            for i in range(N):
                store.add_update(
                    action, i, "on-track" if i % 2 else "at-risk", f"{action}-{i}", action
                )
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(a,)) for a in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    assert {a: len(store.history(a)) for a in ("one", "two")} == {"one": N, "two": N}


@pytest.mark.parametrize("kind", ["duckdb"])
def test_duckdb_file_is_not_left_locked(tmp_path: Path, kind: str) -> None:
    """After a process finishes, another can open the file at once (no lingering lock)."""
    import duckdb

    spec = (kind, str(tmp_path / "t.duckdb"))
    _run_processes(spec, ["a"])
    con = duckdb.connect(spec[1])
    assert con.execute("SELECT count(*) FROM status_updates").fetchone()[0] == N
    con.close()
