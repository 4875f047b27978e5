"""Quoting user-supplied text safely in the app's own messages."""

from __future__ import annotations

import re

_SAFE_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9,.\-]{0,39}$")


def shown(raw: object) -> str:
    """How a notice quotes a user-supplied value: a short plain token in quotes, else nothing of it.

    Echoing arbitrary link text would let a link put words (or markdown) of its choosing into
    the app's own notices (content spoofing), so only short codes and slugs are repeated back.
    """
    text = str(raw)
    return f"'{text}'" if _SAFE_TOKEN.fullmatch(text) else "(a value that cannot be read)"


def split_list(text: str) -> list[str]:
    """';'-separated cell → list of trimmed non-empty items."""
    return [p.strip() for p in str(text or "").split(";") if p.strip()]
