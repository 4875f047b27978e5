"""Build errors that name the file, the line, the field, what was found and what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class DataError(Exception):
    """A problem in one raw input; line is 1-based as an editor shows it (header = line 1)."""

    file: str
    line: int | None
    field: str | None
    found: str
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: found {self.found!r}; expected {self.expected}"


class BuildError(Exception):
    """The build failed; carries every DataError found so the analyst sees them all at once."""

    def __init__(self, errors: list[DataError | Exception]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
