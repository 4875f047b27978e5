"""Sign-in rules: no write without an editor, wrong passwords refused, no secrets in the repo."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from lutonwb.tracker import auth
from lutonwb.tracker.model import NotSignedIn
from lutonwb.tracker.service import save_status
from lutonwb.tracker.store import DuckDBStore

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "browser" / "editors.toml"
FIXTURE_PASSWORD = (
    "luton-test-editor-only"  # documented test-only account (tests/browser/editors.toml)
)


@pytest.fixture(scope="module")
def editors() -> dict[str, auth.Editor]:
    return auth.editors_from_file(FIXTURE)


def test_no_write_without_sign_in(tmp_path: Path) -> None:
    store = DuckDBStore(tmp_path / "t.duckdb")
    with pytest.raises(NotSignedIn):
        save_status(store, None, "ctb-2425-early-help-1", 0, "on-track", "sneaky")
    with pytest.raises(NotSignedIn):
        save_status(
            store, "test-editor", "ctb-2425-early-help-1", 0, "on-track", "a name is not a sign-in"
        )  # type: ignore[arg-type]
    assert store.all_updates() == []


def test_signed_in_editor_can_write(tmp_path: Path, editors) -> None:
    store = DuckDBStore(tmp_path / "t.duckdb")
    who = auth.authenticate(editors, "test-editor", FIXTURE_PASSWORD)
    assert who is not None and who.name == "Test Editor"
    u = save_status(store, who, "ctb-2425-early-help-1", 0, "on-track", "  started  ")
    assert (u.author, u.note) == ("Test Editor (test-editor)", "started")


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("test-editor", "wrong-password"),
        ("test-editor", ""),
        ("test-editor", FIXTURE_PASSWORD.upper()),
        ("nobody", FIXTURE_PASSWORD),
        ("", ""),
    ],
)
def test_wrong_credentials_are_refused(editors, username: str, password: str) -> None:
    assert auth.authenticate(editors, username, password) is None


def test_hash_round_trip_and_salt() -> None:
    h1, h2 = (
        auth.hash_password("correct horse battery"),
        auth.hash_password("correct horse battery"),
    )
    assert h1 != h2  # salted
    assert auth.verify_password("correct horse battery", h1)
    assert not auth.verify_password("correct horse batterz", h1)
    assert not auth.verify_password("anything", "not-a-hash")


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            {"x": {"name": "X", "password": "hunter2hunter2"}},
            "plain-text passwords are not accepted",
        ),
        ({"x": {"name": "X", "password_hash": "hunter2"}}, "expected a bcrypt hash"),
        ({"bad name!": {"password_hash": auth.hash_password("p", rounds=4)}}, "a username"),
        ({"x": "just a string"}, "expected a table"),
    ],
)
def test_malformed_editor_tables(entry: dict, problem: str) -> None:
    with pytest.raises(auth.EditorConfigError, match=problem):
        auth.editors_from_mapping(entry)


def test_example_secrets_parse_and_match_no_password() -> None:
    doc = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text())
    eds = auth.editors_from_mapping(doc["editors"])
    assert list(eds) == ["jsmith"]
    assert auth.authenticate(eds, "jsmith", "") is None


def test_hash_password_cli() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "lutonwb.tracker.hash_password", "--stdin", "--name", "A B", "ab"],
        input="a-long-enough-password\n", capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    doc = tomllib.loads(run.stdout)
    eds = auth.editors_from_mapping(doc["editors"])
    assert auth.authenticate(eds, "ab", "a-long-enough-password") == eds["ab"]
    assert "a-long-enough-password" not in run.stdout
    short = subprocess.run(
        [sys.executable, "-m", "lutonwb.tracker.hash_password", "--stdin"],
        input="short\n", capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert short.returncode == 1


# Files allowed to hold a hash or the test password: the documented fixture account and the example.
ALLOWED = {
    ".streamlit/secrets.toml.example",
    "tests/browser/editors.toml",
    "tests/browser/test_plan_browser.py",
    "tests/tracker/test_auth.py",
}
BCRYPT = re.compile(r"\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}")
PLAIN = re.compile(
    r"""(?i)\b(password|passwd|pwd|secret|cookie_secret|client_secret)\s*[=:]\s*["'][^"'\s]{4,}["']"""
)


def test_no_secrets_in_tracked_files() -> None:
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    found = []
    for rel in files:
        path = ROOT / rel
        if rel in ALLOWED or not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for rx in (BCRYPT, PLAIN):
            for m in rx.finditer(text):
                found.append(f"{rel}: {m.group(0)[:40]}")
    assert found == []
    ignored = subprocess.run(
        ["git", "check-ignore", ".streamlit/secrets.toml"], cwd=ROOT, capture_output=True
    )
    assert ignored.returncode == 0, ".streamlit/secrets.toml must be git-ignored"
