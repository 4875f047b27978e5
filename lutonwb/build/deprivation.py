"""Builder for deprivation (to be filled in: see lutonwb/build/schema.py for the contract)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

INPUTS: tuple[str, ...] = ()


def build(raw: Path) -> dict[str, pd.DataFrame]:
    """Tables this source contributes, keyed by warehouse table name."""
    return {}
