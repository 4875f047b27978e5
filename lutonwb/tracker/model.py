"""Statuses and status updates: history is append-only and the current status is the latest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# slug (stored and used in URLs) -> label shown to people
STATUSES: dict[str, str] = {
    "not-started": "Not started",
    "on-track": "On track",
    "at-risk": "At risk",
    "off-track": "Off track",
    "complete": "Complete",
}
# what an action shows before any editor has set a status: never "Not started", which is a claim
NOT_REPORTED = "not-reported"
REVIEW_NOTED = "review-noted"  # no update yet, but the plan's review reported progress on it
SHOWN_STATUSES: dict[str, str] = {
    NOT_REPORTED: "No status reported",
    REVIEW_NOTED: "Progress noted in review",
    **STATUSES,
}
INITIAL_STATUS = NOT_REPORTED  # the status_before of an action's first update
MAX_NOTE = 2000
MAX_AUTHOR = 200


@dataclass(frozen=True)
class Update:
    """One status update: who, when, the status before and after, and a note."""

    action_id: str
    seq: int  # 1, 2, … per action: the version an editor saw is the seq of the latest update
    status_before: str
    status_after: str
    note: str
    author: str
    created_at: datetime


class ConflictError(Exception):
    """Someone saved this action after the editor loaded it; carries the newer record."""

    def __init__(self, action_id: str, expected_seq: int, current: Update | None):
        self.action_id = action_id
        self.expected_seq = expected_seq
        self.current = current
        who = f" by {current.author}" if current else ""
        super().__init__(
            f"{action_id} was updated{who} after you loaded it (you saw version {expected_seq}, "
            f"now {current.seq if current else 0})"
        )


class NotSignedIn(PermissionError):
    """A write was attempted without a signed-in editor."""


def status_label(slug: str) -> str:
    """Label for a status slug (the slug itself when unknown)."""
    return SHOWN_STATUSES.get(slug, slug)


def note_too_long(note: str) -> str:
    """Why a note is refused for its length, in plain English; '' when it fits."""
    if len(note) <= MAX_NOTE:
        return ""
    return f"the note has {len(note):,} characters; the limit is {MAX_NOTE:,}"


def check_update(action_id: str, expected_seq: int, status: str, note: str, author: str) -> None:
    """Reject malformed updates before they reach a store (ValueError says what is wrong)."""
    if not action_id:
        raise ValueError("an action id is required")
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
    if not isinstance(expected_seq, int) or expected_seq < 0:
        raise ValueError("expected_seq must be a whole number ≥ 0")
    if not author or len(author) > MAX_AUTHOR:
        raise ValueError("an author (the signed-in editor) is required")
    if problem := note_too_long(note):
        raise ValueError(problem)
