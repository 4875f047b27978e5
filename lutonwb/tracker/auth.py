"""Editor accounts: bcrypt password hashes from TOML (a file or the app's secrets), never plain text.

Format (in .streamlit/secrets.toml, or a file named by LUTONWB_EDITORS_FILE):

    [editors.jsmith]
    name = "J Smith"
    password_hash = "$2b$12$…"      # python -m lutonwb.tracker.hash_password

Reading needs no account; writing needs a signed-in Editor (see require_editor).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import bcrypt

from lutonwb.tracker.model import NotSignedIn

ENV_EDITORS_FILE = "LUTONWB_EDITORS_FILE"
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


def require_editor(editor: Editor | None) -> Editor:
    """The signed-in editor, or NotSignedIn: every write goes through this."""
    if not isinstance(editor, Editor):
        raise NotSignedIn("sign in as an editor to update a status")
    return editor
