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


@pytest.mark.parametrize(
    ("username", "name"),
    [
        ("jo@example.org", ""),
        ("j.o", 'Jo "the editor" O\'Neil'),
        ("ab", "Back\\slash and a tab\there"),
    ],
)
def test_hash_password_prints_valid_toml(username: str, name: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "lutonwb.tracker.hash_password", "--stdin", "--name", name, username],
        input="a-long-enough-password\n", capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    eds = auth.editors_from_mapping(tomllib.loads(run.stdout)["editors"])
    assert list(eds) == [username]
    assert eds[username].name == (name or username)
    assert auth.authenticate(eds, username, "a-long-enough-password") == eds[username]


def test_hash_password_refuses_an_unusable_username() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "lutonwb.tracker.hash_password", "--stdin", "jo smith]"],
        input="a-long-enough-password\n", capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 1 and run.stdout == ""


def test_a_removed_or_changed_account_cannot_write(tmp_path: Path, editors) -> None:
    store = DuckDBStore(tmp_path / "t.duckdb")
    who = editors["test-editor"]
    with pytest.raises(NotSignedIn, match="no longer allowed"):
        save_status(store, who, "ctb-2425-early-help-1", 0, "on-track", "", accounts={})
    moved = {
        "test-editor": auth.Editor("test-editor", "Test Editor", auth.hash_password("x" * 12, 4))
    }
    with pytest.raises(NotSignedIn):
        save_status(store, who, "ctb-2425-early-help-1", 0, "on-track", "", accounts=moved)
    assert store.all_updates() == []
    assert save_status(store, who, "ctb-2425-early-help-1", 0, "on-track", "", accounts=editors)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_throttle_grows_per_account_and_per_client(editors, caplog) -> None:
    clock = FakeClock()
    throttle = auth.Throttle(free=3, window=900, longest=300, clock=clock)
    caplog.set_level("WARNING", logger="lutonwb.tracker.auth")
    for _ in range(3):  # three free failures
        assert auth.sign_in(throttle, editors, "test-editor", "guess", "10.0.0.1")[0] is None
    ed, wait = auth.sign_in(throttle, editors, "test-editor", FIXTURE_PASSWORD, "10.0.0.2")
    assert ed is None and wait == pytest.approx(2.0)  # the account is throttled, any client
    ed, wait = auth.sign_in(throttle, editors, "other", "guess", "10.0.0.1")
    assert ed is None and wait == pytest.approx(2.0)  # the client is throttled, any account
    clock.now += 2.1
    assert auth.sign_in(throttle, editors, "test-editor", "guess", "10.0.0.3") == (None, 4.0)
    clock.now += 4.1
    ed, wait = auth.sign_in(throttle, editors, "test-editor", FIXTURE_PASSWORD, "10.0.0.3")
    assert ed == editors["test-editor"] and wait == 0
    clock.now += 901  # failures older than the window are forgotten
    assert throttle.wait_for(auth.throttle_keys("x", "10.0.0.1")) == 0
    assert "failed sign-in for account 'test-editor' from client '10.0.0.1'" in caplog.text
    assert "guess" not in caplog.text and FIXTURE_PASSWORD not in caplog.text


def test_throttle_delay_is_capped() -> None:
    clock = FakeClock()
    throttle = auth.Throttle(free=1, longest=10, clock=clock)
    for _ in range(20):
        throttle.failed(("account:a",))
    assert throttle.wait_for(("account:a",)) == 10
