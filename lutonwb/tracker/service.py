"""Saving a status: the one write path, which insists on a signed-in editor."""

from __future__ import annotations

from collections.abc import Mapping

from lutonwb.tracker.auth import Editor, require_editor
from lutonwb.tracker.model import Update
from lutonwb.tracker.store import Store


def save_status(
    store: Store,
    editor: Editor | None,
    action_id: str,
    expected_seq: int,
    status: str,
    note: str,
    accounts: Mapping[str, Editor] | None = None,
) -> Update:
    """Append a status update as the signed-in editor (NotSignedIn, ConflictError, ValueError,
    StoreBusy); with `accounts`, the editor's account must still exist (checked on every write)."""
    who = require_editor(editor, accounts)
    author = (
        who.username if not who.name or who.name == who.username else f"{who.name} ({who.username})"
    )
    return store.add_update(action_id, expected_seq, status, note.strip(), author)
