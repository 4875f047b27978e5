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
from dataclasses import dataclass
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


def open_store(url: str | None = None, path: Path | None = None, wait: float = 30.0) -> Store:
    """PostgreSQL when a database URL is given, else the DuckDB file (config.tracker_path()).

    `wait` bounds how long one operation waits for a busy store before StoreBusy (seconds)."""
    if url:
        return PostgresStore(url, connect_timeout=max(1, round(wait)))
    return DuckDBStore(path or config.tracker_path(), timeout=wait)


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


@dataclass(frozen=True)
class _Dialect:
    """The statements one back end runs: the same queries, in its placeholder style and SQL."""

    schema: str
    latest_one: str  # one action's latest update (bound: action_id)
    history: str  # one action's updates, oldest first (bound: action_id)
    latest: str  # the latest update of every action
    all_updates: str  # every update, by action then seq
    insert: str  # one update (bound: the seven columns in order)


class _SQLStore:
    """The save and read logic both back ends share; a subclass supplies the dialect, the
    connection and how a transaction begins and ends."""

    kind: str
    sql: _Dialect

    def __init__(self) -> None:
        self._ready = False
        self._init_lock = threading.Lock()

    # -- what a back end supplies -----------------------------------------------------------

    def _connect(self) -> contextlib.AbstractContextManager[Any]:
        """An open connection with the schema in place; closed on exit."""
        raise NotImplementedError

    def _transaction(self, con: Any) -> contextlib.AbstractContextManager[None]:
        """Commit on normal exit, roll back when an exception leaves the block."""
        raise NotImplementedError

    def _race_errors(self) -> tuple[type[BaseException], ...]:
        """What the database raises when another transaction wrote the same seq first."""
        raise NotImplementedError

    def _create_schema(self, con: Any) -> None:
        con.execute(self.sql.schema)

    def _stored_time(self, created_at: datetime) -> datetime:
        """created_at as the created_at column takes it (aware UTC unless overridden)."""
        return created_at

    def _after_write(self) -> None:
        """Called after a committed save, still connected (a hook for read caches)."""

    # -- shared -----------------------------------------------------------------------------

    def _ensure_schema(self, con: Any) -> None:
        """Create the table once per store object, on its first connection."""
        if not self._ready:
            with self._init_lock:
                self._create_schema(con)
                self._ready = True

    def init_schema(self) -> None:
        """Create the table if it is missing (idempotent; also done on first use)."""
        with self._connect() as con:
            self._create_schema(con)

    def add_update(
        self, action_id: str, expected_seq: int, status: str, note: str, author: str
    ) -> Update:
        """Append an update if expected_seq is still the latest; else ConflictError."""
        check_update(action_id, expected_seq, status, note, author)
        with self._connect() as con:
            try:
                with self._transaction(con):
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
                    con.execute(self.sql.insert, self._insert_params(upd))
            except self._race_errors() as exc:
                # another transaction wrote this seq between our read and our insert
                raise ConflictError(
                    action_id, expected_seq, self._latest_one(con, action_id)
                ) from exc
            self._after_write()
        return upd

    def _insert_params(self, upd: Update) -> list[Any]:
        return [
            upd.action_id,
            upd.seq,
            upd.status_before,
            upd.status_after,
            upd.note,
            upd.author,
            self._stored_time(upd.created_at),
        ]

    def _latest_one(self, con: Any, action_id: str) -> Update | None:
        row = con.execute(self.sql.latest_one, [action_id]).fetchone()
        return _row_to_update(row) if row else None

    def history(self, action_id: str) -> list[Update]:
        """Every update of one action, oldest first."""
        with self._connect() as con:
            rows = con.execute(self.sql.history, [action_id]).fetchall()
        return [_row_to_update(r) for r in rows]

    def latest(self) -> dict[str, Update]:
        """The latest update of every action that has one."""
        return self._load_latest()

    def _load_latest(self) -> dict[str, Update]:
        with self._connect() as con:
            rows = con.execute(self.sql.latest).fetchall()
        return {r[0]: _row_to_update(r) for r in rows}

    def all_updates(self) -> list[Update]:
        """Every update, by action then seq."""
        with self._connect() as con:
            rows = con.execute(self.sql.all_updates).fetchall()
        return [_row_to_update(r) for r in rows]


_SELECT = (
    "SELECT action_id, seq, status_before, status_after, note, author, created_at "
    "FROM status_updates"
)
_INSERT = (
    "INSERT INTO status_updates (action_id, seq, status_before, status_after, note, author, "
    "created_at) VALUES "
)
_ALL_UPDATES = _SELECT + " ORDER BY action_id, seq"


# -- DuckDB -------------------------------------------------------------------------------------

_DUCK_SQL = _Dialect(
    schema="""
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
""",
    latest_one=_SELECT + " WHERE action_id = ? ORDER BY seq DESC LIMIT 1",
    history=_SELECT + " WHERE action_id = ? ORDER BY seq",
    latest=_SELECT + " QUALIFY row_number() OVER (PARTITION BY action_id ORDER BY seq DESC) = 1",
    all_updates=_ALL_UPDATES,
    insert=_INSERT + "(?, ?, ?, ?, ?, ?, ?)",
)


class DuckDBStore(_SQLStore):
    """Status updates in an embedded DuckDB file, opened per operation under a file lock."""

    kind = "duckdb"
    sql = _DUCK_SQL

    def __init__(self, path: Path, timeout: float = 30.0):
        super().__init__()
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.timeout = timeout
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
                    self._ensure_schema(con)
                    yield con
                finally:
                    con.close()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _transaction(self, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
        con.begin()
        try:
            yield
            con.commit()
        except BaseException:
            con.rollback()
            raise

    def _race_errors(self) -> tuple[type[BaseException], ...]:
        return (duckdb.ConstraintException, duckdb.TransactionException)

    def _stored_time(self, created_at: datetime) -> datetime:
        """The column is a naive TIMESTAMP holding UTC."""
        return created_at.replace(tzinfo=None)

    def _after_write(self) -> None:
        """Bump the lock file's mtime while still holding it: every process's cache goes stale."""
        os.utime(self.lock_path, ns=(time.time_ns(), time.time_ns()))

    def latest(self) -> dict[str, Update]:
        """The latest update of every action that has one."""
        return dict(self._cached("latest", self._load_latest))


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
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() > deadline:
                raise StoreBusy("another process held the tracker file too long") from exc
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.5)


# -- PostgreSQL ---------------------------------------------------------------------------------

_PG_SQL = _Dialect(
    schema="""
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
""",
    latest_one=_SELECT + " WHERE action_id = %s ORDER BY seq DESC LIMIT 1",
    history=_SELECT + " WHERE action_id = %s ORDER BY seq",
    latest=(
        "SELECT DISTINCT ON (action_id) action_id, seq, status_before, status_after, note, "
        "author, created_at FROM status_updates ORDER BY action_id, seq DESC"
    ),
    all_updates=_ALL_UPDATES,
    insert=_INSERT + "(%s, %s, %s, %s, %s, %s, %s)",
)
_PG_SCHEMA_LOCK = (
    7_201_240_425  # advisory lock id: replicas starting together create the table once
)
_PG_TAKE_SCHEMA_LOCK = "SELECT pg_advisory_xact_lock(%s)"


class PostgresStore(_SQLStore):
    """Status updates in PostgreSQL: one short transaction per save, (action_id, seq) unique."""

    kind = "postgres"
    sql = _PG_SQL

    def __init__(self, url: str, connect_timeout: int = 10):
        super().__init__()
        self.url = url
        self.connect_timeout = connect_timeout

    @contextlib.contextmanager
    def _connect(self):
        import psycopg  # imported here so the DuckDB-only app does not need libpq

        try:
            con = psycopg.connect(self.url, connect_timeout=self.connect_timeout)
        except psycopg.OperationalError as exc:
            raise StoreBusy("the tracker database could not be reached") from exc
        try:
            self._ensure_schema(con)
            yield con
        finally:
            con.close()

    def _create_schema(self, con) -> None:
        with con.transaction():
            con.execute(_PG_TAKE_SCHEMA_LOCK, [_PG_SCHEMA_LOCK])
            con.execute(self.sql.schema)

    def _transaction(self, con):
        return con.transaction()

    def _race_errors(self) -> tuple[type[BaseException], ...]:
        import psycopg

        return (psycopg.errors.UniqueViolation,)
