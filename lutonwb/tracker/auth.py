"""Editor accounts: bcrypt password hashes from TOML (a file or the app's secrets), never plain text.

Format (in .streamlit/secrets.toml, or a file named by LUTONWB_EDITORS_FILE):

    [editors.jsmith]
    name = "J Smith"
    password_hash = "$2b$12$…"      # python -m lutonwb.tracker.hash_password

Reading needs no account; writing needs a signed-in Editor (see require_editor).
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import bcrypt

from lutonwb.tracker.model import NotSignedIn

ENV_EDITORS_FILE = "LUTONWB_EDITORS_FILE"
log = logging.getLogger(__name__)
_USERNAME = re.compile(r"[A-Za-z0-9_.@-]{1,64}")
_BCRYPT = re.compile(r"\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}")
# checked when the username is unknown, so a wrong name costs the same time as a wrong password
_DUMMY_HASH = bcrypt.hashpw(b"not a password", bcrypt.gensalt(rounds=12))


class EditorConfigError(ValueError):
    """The editors table is malformed (names the entry and the key)."""


@dataclass(frozen=True)
class Editor:
    """A person allowed to update statuses."""

    username: str
    name: str
    password_hash: str = ""  # empty for editors signed in through OpenID Connect
    via: str = "password"  # 'password' | 'oidc'

    @property
    def display(self) -> str:
        return self.name or self.username


def hash_password(password: str, rounds: int = 12) -> str:
    """A salted bcrypt hash of the password (bcrypt uses at most 72 bytes of it)."""
    if not password:
        raise ValueError("the password is empty")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=rounds)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """True when the password matches the hash; a malformed hash never matches."""
    try:
        return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return False


def editors_from_mapping(table: Mapping, where: str = "editors") -> dict[str, Editor]:
    """Editors from a TOML-like mapping {username: {name, password_hash}}; rejects plain passwords."""
    out: dict[str, Editor] = {}
    for username, entry in dict(table).items():
        key = f"{where}.{username}"
        if not _USERNAME.fullmatch(str(username)):
            raise EditorConfigError(f"{key}: a username of letters, digits, '_', '.', '@' or '-'")
        if not isinstance(entry, Mapping):
            raise EditorConfigError(f"{key}: expected a table with name and password_hash")
        if "password" in entry:
            raise EditorConfigError(
                f"{key}.password: plain-text passwords are not accepted; use password_hash"
            )
        ph = str(entry.get("password_hash", ""))
        if not _BCRYPT.fullmatch(ph):
            raise EditorConfigError(f"{key}.password_hash: expected a bcrypt hash ($2b$…)")
        out[str(username)] = Editor(str(username), str(entry.get("name", "")), ph)
    return out


def editors_from_file(path: Path) -> dict[str, Editor]:
    """Editors from a TOML file with an [editors] table."""
    path = Path(path)
    with path.open("rb") as fh:
        doc = tomllib.load(fh)
    return editors_from_mapping(doc.get("editors", {}), where=f"{path.name}: editors")


def editors_file_from_env() -> Path | None:
    """The editors file named by LUTONWB_EDITORS_FILE, if any."""
    value = os.environ.get(ENV_EDITORS_FILE)
    return Path(value) if value else None


def authenticate(editors: Mapping[str, Editor], username: str, password: str) -> Editor | None:
    """The editor when username and password match, else None (same cost either way)."""
    editor = editors.get(username.strip())
    if editor is None:
        bcrypt.checkpw(password.encode("utf-8"), _DUMMY_HASH)
        return None
    return editor if verify_password(password, editor.password_hash) else None


def require_editor(editor: Editor | None, accounts: Mapping[str, Editor] | None = None) -> Editor:
    """The signed-in editor, or NotSignedIn: every write goes through this.

    With `accounts` (the editors configured now), a password editor must still be one of them
    with the same hash: an account removed (or its password changed) after sign-in cannot write.
    """
    if not isinstance(editor, Editor):
        raise NotSignedIn("sign in as an editor to update a status")
    if accounts is not None and editor.via == "password":
        now = accounts.get(editor.username)
        if now is None or now.password_hash != editor.password_hash:
            raise NotSignedIn("this editor account is no longer allowed to update statuses")
    return editor


def toml_string(text: str) -> str:
    """A TOML basic string holding text (JSON's escapes are TOML's, plus DEL)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def editor_entry(username: str, name: str, password_hash: str) -> str:
    """The TOML table for one editor account, with its key quoted (names may hold '.' or '@')."""
    if not _USERNAME.fullmatch(username):
        raise EditorConfigError(
            f"{username!r}: a username of letters, digits, '_', '.', '@' or '-'"
        )
    return (
        f"[editors.{toml_string(username)}]\n"
        f"name = {toml_string(name or username)}\n"
        f"password_hash = {toml_string(password_hash)}\n"
    )


# -- brute-force protection ---------------------------------------------------------------------


@dataclass
class Throttle:
    """Failed sign-ins per account and per client: after `free` failures within `window` seconds,
    each further attempt must wait a delay that doubles per failure, up to `longest` seconds.

    One per process (a replica counts its own attempts); a success clears the account's count.
    """

    free: int = 3
    window: float = 900.0
    longest: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _fails: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> list[float]:
        times = [t for t in self._fails.get(key, []) if now - t < self.window]
        if times:
            self._fails[key] = times[-64:]
        else:
            self._fails.pop(key, None)
        return times

    def wait_for(self, keys: tuple[str, ...]) -> float:
        """Seconds before any of these keys may try again (0 when free to try)."""
        now = self.clock()
        with self._lock:
            waits = [0.0]
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.free:
                    delay = min(self.longest, 2.0 ** (len(times) - self.free + 1))
                    waits.append(times[-1] + delay - now)
            return max(waits)

    def failed(self, keys: tuple[str, ...]) -> None:
        """Count one failure against each key."""
        now = self.clock()
        with self._lock:
            for key in keys:
                self._fails.setdefault(key, []).append(now)

    def succeeded(self, key: str) -> None:
        """Forget an account's failures after a good sign-in."""
        with self._lock:
            self._fails.pop(key, None)


def throttle_keys(username: str, client: str) -> tuple[str, str]:
    """The counters one attempt touches: its account and its client."""
    return (f"account:{username.strip().lower()[:64]}", f"client:{client[:64]}")


def sign_in(
    throttle: Throttle, editors: Mapping[str, Editor], username: str, password: str, client: str
) -> tuple[Editor | None, float]:
    """(editor, 0) on success; (None, seconds to wait) when throttled or wrong.

    A throttled attempt is refused before the password is checked; every failure is logged with
    the account and the client, never the password."""
    keys = throttle_keys(username, client)
    wait = throttle.wait_for(keys)
    if wait > 0:
        log.warning(
            "sign-in refused (throttled) for account %r from client %r", username[:64], client
        )
        return None, wait
    editor = authenticate(editors, username, password)
    if editor is None:
        throttle.failed(keys)
        log.warning("failed sign-in for account %r from client %r", username[:64], client)
        return None, throttle.wait_for(keys)
    throttle.succeeded(keys[0])
    return editor, 0.0
