"""Tracker fixtures: a DuckDB file in tmp_path, and a throwaway PostgreSQL cluster from Debian's binaries.

The cluster is made once per test worker: initdb into a fresh temporary folder (as the
'postgres' user when the tests run as root, since PostgreSQL refuses to run as root), pg_ctl
start on a free loopback port with its socket in that folder, one new database per test.
Skipped, with the reason, only when no PostgreSQL binaries are installed.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from lutonwb.tracker.store import DuckDBStore, PostgresStore, Store


def _pg_bin() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    """Run as the 'postgres' user when we are root (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    return (
        [runuser, "-u", "postgres", "--", *cmd]
        if runuser
        else ["su", "postgres", "-c", " ".join(cmd)]
    )


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A running throwaway cluster; yields a libpq URL base without the database name."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip(
            "no PostgreSQL binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        )
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server as")
    # not pytest's tmp_path: its parents are private to root, and the server runs as 'postgres'
    root = Path(tempfile.mkdtemp(prefix="lutonwb-pg-"))
    if os.geteuid() == 0:
        os.chown(root, pw.pw_uid, pw.pw_gid)
    data, log = root / "data", root / "server.log"
    port = _free_port()
    subprocess.run(
        _as_postgres([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                      "-E", "UTF8", "--no-locale", "--no-sync"]),
        check=True, capture_output=True,
    )  # fmt: skip
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    start = subprocess.run(
        _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "-t", "60", "start"]),
        capture_output=True, text=True,
    )  # fmt: skip
    if start.returncode != 0:
        text = log.read_text() if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"pg_ctl start failed: {start.stderr}\n{text}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
        )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A fresh, empty database on the throwaway cluster."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')  # name is generated above, not user input
    return f"{pg_server}/{name}"


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_spec(request, tmp_path: Path) -> tuple[str, str]:
    """('duckdb', file path) or ('postgres', URL): what a separate process needs to open the store."""
    if request.param == "duckdb":
        return ("duckdb", str(tmp_path / "tracker.duckdb"))
    return ("postgres", request.getfixturevalue("pg_url"))


def open_spec(spec: tuple[str, str]) -> Store:
    kind, where = spec
    return DuckDBStore(Path(where)) if kind == "duckdb" else PostgresStore(where)


@pytest.fixture
def store(store_spec) -> Store:
    return open_spec(store_spec)
