"""Where status updates live: an embedded DuckDB file by default, PostgreSQL when a URL is given.

Both back ends keep one append-only table keyed on (action_id, seq). A save carries the seq of
the latest update the editor saw; it is written as seq + 1 only if that is still the latest, so
two editors saving the same action at once cannot both win: the loser gets ConflictError with
the newer record. The primary key backs this up when two transactions race.

DuckDB allows one writing process per file, so DuckDBStore opens the file per operation under an
exclusive advisory lock (a sibling `.lock` file), keeps each transaction short, and retries with
backoff when the file is busy: several app processes on one machine take turns, never corrupt it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import duckdb

from lutonwb import config
from lutonwb.tracker.model import INITIAL_STATUS, ConflictError, Update, check_update


class StoreBusy(RuntimeError):
    """The store could not be reached within the timeout (another process held it too long)."""


class Store(Protocol):
    """The tracker's store: the same interface for DuckDB and PostgreSQL."""

    kind: str

    def add_update(
        self, action_id: str, expected_seq: int, status: str, note: str, author: str
    ) -> Update: ...

    def history(self, action_id: str) -> list[Update]: ...

    def latest(self) -> dict[str, Update]: ...

    def all_updates(self) -> list[Update]: ...


def open_store(url: str | None = None, path: Path | None = None) -> Store:
    """PostgreSQL when a database URL is given, else the DuckDB file (config.tracker_path())."""
    if url:
        return PostgresStore(url)
    return DuckDBStore(path or config.tracker_path())


def _row_to_update(row: tuple[Any, ...]) -> Update:
    created = row[6]
    if isinstance(created, datetime) and created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return Update(
        action_id=row[0],
        seq=int(row[1]),
        status_before=row[2],
        status_after=row[3],
        note=row[4] or "",
        author=row[5],
        created_at=created,
    )


def _now() -> datetime:
    return datetime.now(UTC)


# -- DuckDB -------------------------------------------------------------------------------------

_DUCK_SCHEMA = """
CREATE TABLE IF NOT EXISTS status_updates (
    action_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL CHECK (seq > 0),
    status_before VARCHAR NOT NULL,
    status_after VARCHAR NOT NULL,
    note VARCHAR NOT NULL,
    author VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,   -- UTC
    PRIMARY KEY (action_id, seq)
)
"""


class DuckDBStore:
    """Status updates in an embedded DuckDB file, opened per operation under a file lock."""

    kind = "duckdb"

    def __init__(self, path: Path, timeout: float = 30.0):
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.timeout = timeout
        self._ready = False
        self._init_lock = threading.Lock()
        self._cache: dict[str, tuple[int, object]] = {}

    def _generation(self) -> int:
        """Bumped (lock file mtime) after every committed write, by any process: a cheap cache key."""
        try:
            return self.lock_path.stat().st_mtime_ns
        except FileNotFoundError:
            return 0

    def _cached(self, key: str, load):
        """Reads are answered from memory until some process writes (reruns cost a stat)."""
        gen = self._generation()
        hit = self._cache.get(key)
        if hit is not None and hit[0] == gen and gen:
            return hit[1]
        value = load()
        self._cache[key] = (gen, value)
        return value

    @contextlib.contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """An open connection held under the exclusive lock; closed (and unlocked) on exit."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.timeout
        with open(self.lock_path, "a") as lock:
            _flock(lock, deadline)
            try:
                con = _duck_connect(self.path, deadline)
                try:
                    if not self._ready:
                        with self._init_lock:
                            con.execute(_DUCK_SCHEMA)
                            self._ready = True
                    yield con
                finally:
                    con.close()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def init_schema(self) -> None:
        """Create the table if it is missing (idempotent; also done on first use)."""
        with self._connect() as con:
            con.execute(_DUCK_SCHEMA)

    def add_update(
        self, action_id: str, expected_seq: int, status: str, note: str, author: str
    ) -> Update:
        """Append an update if expected_seq is still the latest; else ConflictError."""
        check_update(action_id, expected_seq, status, note, author)
        with self._connect() as con:
            con.begin()
            try:
                current = self._latest_one(con, action_id)
                if (current.seq if current else 0) != expected_seq:
                    con.rollback()
                    raise ConflictError(action_id, expected_seq, current)
                upd = Update(
                    action_id,
                    expected_seq + 1,
                    current.status_after if current else INITIAL_STATUS,
                    status,
                    note,
                    author,
                    _now(),
                )
                con.execute(
                    "INSERT INTO status_updates VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        upd.action_id,
                        upd.seq,
                        upd.status_before,
                        upd.status_after,
                        upd.note,
                        upd.author,
                        upd.created_at.replace(tzinfo=None),
                    ],
                )
                con.commit()
                os.utime(self.lock_path, ns=(time.time_ns(), time.time_ns()))
                return upd
            except (duckdb.ConstraintException, duckdb.TransactionException) as exc:
                con.rollback()
                raise ConflictError(
                    action_id, expected_seq, self._latest_one(con, action_id)
                ) from exc

    @staticmethod
    def _latest_one(con: duckdb.DuckDBPyConnection, action_id: str) -> Update | None:
        row = con.execute(
            "SELECT action_id, seq, status_before, status_after, note, author, created_at FROM status_updates WHERE action_id = ? ORDER BY seq DESC LIMIT 1",
            [action_id],
        ).fetchone()
        return _row_to_update(row) if row else None

    def history(self, action_id: str) -> list[Update]:
        """Every update of one action, oldest first."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT action_id, seq, status_before, status_after, note, author, created_at FROM status_updates WHERE action_id = ? ORDER BY seq",
                [action_id],
            ).fetchall()
        return [_row_to_update(r) for r in rows]

    def latest(self) -> dict[str, Update]:
        """The latest update of every action that has one."""
        return dict(self._cached("latest", self._load_latest))

    def _load_latest(self) -> dict[str, Update]:
        with self._connect() as con:
            rows = con.execute(
                "SELECT action_id, seq, status_before, status_after, note, author, created_at FROM status_updates "
                "QUALIFY row_number() OVER (PARTITION BY action_id ORDER BY seq DESC) = 1"
            ).fetchall()
        return {r[0]: _row_to_update(r) for r in rows}

    def all_updates(self) -> list[Update]:
        """Every update, by action then seq."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT action_id, seq, status_before, status_after, note, author, created_at FROM status_updates ORDER BY action_id, seq"
            ).fetchall()
        return [_row_to_update(r) for r in rows]


def _flock(fh, deadline: float) -> None:
    """Take the exclusive lock, polling with backoff until the deadline."""
    delay = 0.002
    while True:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise StoreBusy("the tracker store stayed locked by another process") from None
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.1)


def _duck_connect(path: Path, deadline: float) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while a process outside our lock (e.g. a CLI) holds it."""
    delay = 0.01
    while True:
        try:
            return duckdb.connect(str(path), config={"threads": 1})
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.5)


# -- PostgreSQL ---------------------------------------------------------------------------------

_PG_SCHEMA = """
CREATE TABLE IF NOT EXISTS status_updates (
    action_id text NOT NULL,
    seq integer NOT NULL CHECK (seq > 0),
    status_before text NOT NULL,
    status_after text NOT NULL,
    note text NOT NULL,
    author text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (action_id, seq)
)
"""
_PG_SCHEMA_LOCK = (
    7_201_240_425  # advisory lock id: replicas starting together create the table once
)


class PostgresStore:
    """Status updates in PostgreSQL: one short transaction per save, (action_id, seq) unique."""

    kind = "postgres"

    def __init__(self, url: str, connect_timeout: int = 10):
        self.url = url
        self.connect_timeout = connect_timeout
        self._ready = False
        self._init_lock = threading.Lock()

    @contextlib.contextmanager
    def _connect(self):
        import psycopg  # imported here so the DuckDB-only app does not need libpq

        con = psycopg.connect(self.url, connect_timeout=self.connect_timeout)
        try:
            if not self._ready:
                with self._init_lock:
                    self._create_schema(con)
                    self._ready = True
            yield con
        finally:
            con.close()

    @staticmethod
    def _create_schema(con) -> None:
        with con.transaction():
            con.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_SCHEMA_LOCK])
            con.execute(_PG_SCHEMA)

    def init_schema(self) -> None:
        """Create the table if it is missing (idempotent; also done on first use)."""
        with self._connect() as con:
            self._create_schema(con)

    def add_update(
        self, action_id: str, expected_seq: int, status: str, note: str, author: str
    ) -> Update:
        """Append an update if expected_seq is still the latest; else ConflictError."""
        import psycopg

        check_update(action_id, expected_seq, status, note, author)
        with self._connect() as con:
            try:
                with con.transaction():
                    current = self._latest_one(con, action_id)
                    if (current.seq if current else 0) != expected_seq:
                        raise ConflictError(action_id, expected_seq, current)
                    upd = Update(
                        action_id,
                        expected_seq + 1,
                        current.status_after if current else INITIAL_STATUS,
                        status,
                        note,
                        author,
                        _now(),
                    )
                    con.execute(
                        "INSERT INTO status_updates (action_id, seq, status_before, status_after, "
                        "note, author, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        [
                            upd.action_id,
                            upd.seq,
                            upd.status_before,
                            upd.status_after,
                            upd.note,
                            upd.author,
                            upd.created_at,
                        ],
                    )
                return upd
            except psycopg.errors.UniqueViolation as exc:
                # another transaction wrote this seq between our read and our insert
                raise ConflictError(
                    action_id, expected_seq, self._latest_one(con, action_id)
                ) from exc

    @staticmethod
    def _latest_one(con, action_id: str) -> Update | None:
        row = con.execute(
            "SELECT action_id, seq, status_before, status_after, note, author, created_at FROM status_updates WHERE action_id = %s ORDER BY seq DESC LIMIT 1",
            [action_id],
        ).fetchone()
        return _row_to_update(row) if row else None

    def history(self, action_id: str) -> list[Update]:
        """Every update of one action, oldest first."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT action_id, seq, status_before, status_after, note, author, created_at FROM status_updates WHERE action_id = %s ORDER BY seq",
                [action_id],
            ).fetchall()
        return [_row_to_update(r) for r in rows]

    def latest(self) -> dict[str, Update]:
        """The latest update of every action that has one."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT DISTINCT ON (action_id) action_id, seq, status_before, status_after, note, author, created_at FROM status_updates "
                "ORDER BY action_id, seq DESC"
            ).fetchall()
        return {r[0]: _row_to_update(r) for r in rows}

    def all_updates(self) -> list[Update]:
        """Every update, by action then seq."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT action_id, seq, status_before, status_after, note, author, created_at FROM status_updates ORDER BY action_id, seq"
            ).fetchall()
        return [_row_to_update(r) for r in rows]


def describe(store: Store) -> str:
    """Where the store is, for the page footer (never the password in a URL)."""
    if isinstance(store, DuckDBStore):
        return f"DuckDB file {os.path.basename(store.path)}"
    return "PostgreSQL"
