"""Inside-the-place inputs: the ward and LSOA files a place names in its `local_area` section.

A loader that reads such files declares LOCAL_ROLES (the roles it reads) and takes the place's
LocalArea as `build(raw, local)`; with no local area it returns those tables empty.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from lutonwb.ingest.errors import DataError
from lutonwb.ingest.schema import LOCAL_TABLES, conform
from lutonwb.place import LocalArea, LocalFile, PlaceError, current_place

CURRENT = "current place"  # default of build(raw, local): the configured place's local area


def resolve(local: LocalArea | None | str) -> LocalArea | None:
    """`local`, or the configured place's local area when given CURRENT."""
    return current_place().local_area if local == CURRENT else local


def local_file(local: LocalArea, role: str) -> LocalFile:
    """The file playing `role`; a role the place does not name is a DataError on place.yaml."""
    try:
        return local.file(role)
    except PlaceError as exc:
        raise DataError(
            local.source,
            _line_of(local.source, "files:"),
            f"local_area.files.{role}",
            "no such key",
            "a file for this role",
        ) from exc


def local_path(raw: Path, local: LocalArea, role: str) -> Path:
    """Where the file playing `role` lives under the raw folder."""
    return Path(raw) / local_file(local, role).path


def missing_files(raw: Path, local: LocalArea | None, roles: list[str]) -> list[DataError]:
    """One error per role whose file place.yaml names but the raw folder lacks (or no such role)."""
    if local is None:
        return []
    errors = []
    for role in roles:
        try:
            path = local_path(raw, local, role)
        except DataError as exc:
            errors.append(exc)
            continue
        if not path.is_file():
            errors.append(
                DataError(
                    local.source,
                    _line_of(local.source, f"{role}:"),
                    f"local_area.files.{role}",
                    f"{local.files[role].path} (no such file under {raw})",
                    "an existing raw file",
                )
            )
    return errors


def section_hash(local: LocalArea | None) -> str:
    """sha256 of the local-area section as parsed: a changed place triggers a rebuild."""
    text = json.dumps(local.section if local else None, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def empty(table: str) -> pd.DataFrame:
    """A table with its schema's columns and no rows (a place without ward files)."""
    return conform(pd.DataFrame(), LOCAL_TABLES[table])


def _line_of(source: str, needle: str) -> int | None:
    """The first line of place.yaml holding `needle` (for error messages), if readable."""
    try:
        lines = Path(source).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return next((i for i, line in enumerate(lines, 1) if needle in line.strip()), None)
