"""Read raw text tables exactly as published, remembering each record's line for error messages."""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from lutonwb.ingest.errors import DataError

LINE = "_line"  # column added by read_table: the physical line where each record starts


def display_name(path: Path) -> str:
    """The path as an analyst would look for it: relative to the raw folder when possible."""
    parts = path.parts
    if "raw" in parts:
        return "/".join(parts[len(parts) - parts[::-1].index("raw") :])
    return str(path)


def read_text(path: Path) -> str:
    """Whole file as text (gz-aware, BOM dropped); a bad byte is reported with its line."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise DataError(
                display_name(path),
                None,
                None,
                f"a damaged gzip file ({exc})",
                "a complete gzip file",
            ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            display_name(path),
            line,
            None,
            f"byte 0x{data[exc.start]:02x} that is not UTF-8",
            "UTF-8 text",
        ) from exc


def _read_csv(
    path: Path,
    required: Sequence[str],
    allow_short_rows: bool,
    rename: dict[str, str] | None,
) -> pd.DataFrame:
    """CSV → DataFrame of strings with a `_line` column; checks the header and ragged rows.

    allow_short_rows: Fingertips 'all data' exports have 25 fields under a 26-field header;
    missing trailing fields become empty strings.
    """
    name = display_name(path)
    text = read_text(path)
    if not text.strip():
        raise DataError(name, 1, None, "an empty file", "a header row and data")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    header = _dedupe_header([h.strip() for h in header])
    if rename:
        header = [rename.get(h, h) for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(name, 1, missing[0], f"header {header}", f"a column named '{missing[0]}'")
    rows: list[list[str]] = []
    lines: list[int] = []
    prev = reader.line_num
    width = len(header)
    for rec in reader:
        start = prev + 1
        prev = reader.line_num
        if not rec or (len(rec) == 1 and not rec[0].strip()):
            continue
        if len(rec) != width:
            if allow_short_rows and len(rec) < width:
                rec = rec + [""] * (width - len(rec))
            else:
                raise DataError(
                    name, start, None, f"{len(rec)} fields", f"{width} fields as in the header"
                )
        rows.append(rec)
        lines.append(start)
    df = pd.DataFrame(rows, columns=header, dtype="string")
    df[LINE] = pd.Series(lines, dtype="int64")
    if df.empty:
        raise DataError(name, 2, None, "no data rows", "at least one data row")
    return df


def _dedupe_header(header: list[str]) -> list[str]:
    """Duplicate column names get .1, .2 … as pandas does (ONS ELS FSM absence has two 'notes')."""
    seen: dict[str, int] = {}
    out = []
    for h in header:
        if h in seen:
            seen[h] += 1
            out.append(f"{h}.{seen[h]}")
        else:
            seen[h] = 0
            out.append(h)
    return out


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
NA_STRINGS = frozenset(
    {"", "na", "n/a", "nan", "x", "..", ":", "-", "[x]", "[low]", "[c]", "c", "z", "u", "*"}
)


def check_allowed(df: pd.DataFrame, column: str, allowed: Iterable[str], file: str) -> None:
    """Every value is one of `allowed` (e.g. a metric name the loader knows)."""
    allowed = sorted(allowed)
    bad = ~df[column].isin(allowed)
    if bad.any():
        i = bad.idxmax()
        raise DataError(file, int(df.loc[i, LINE]), column, df.loc[i, column], f"one of {allowed}")


def check_filled(
    values: pd.Series, df: pd.DataFrame, column: str, file: str, expected: str = "a number"
) -> None:
    """No value is missing (for files that never leave a cell blank)."""
    _raise_at(values.isna(), df, column, file, expected)


def check_whole(
    values: pd.Series, df: pd.DataFrame, column: str, file: str, expected: str = "a whole number"
) -> None:
    """Every number is whole (ranks, deciles, counts)."""
    _raise_at(values.notna() & (values != values.round()), df, column, file, expected)


def _raise_at(bad: pd.Series, df: pd.DataFrame, column: str, file: str, expected: str) -> None:
    """A DataError at the first row where `bad` holds, quoting the cell as published."""
    if bad.any():
        i = bad.idxmax()
        raise DataError(file, int(df.loc[i, LINE]), column, str(df.loc[i, column]), expected)


def check_range(
    values: pd.Series, df: pd.DataFrame, column: str, lo: float, hi: float, file: str
) -> None:
    """Numbers fall inside a plausible range (NaN allowed)."""
    bad = values.notna() & ((values < lo) | (values > hi))
    if bad.any():
        i = bad.idxmax()
        raise DataError(
            file, int(df.loc[i, LINE]), column, str(values[i]), f"a value between {lo} and {hi}"
        )


def check_unique(df: pd.DataFrame, key: Sequence[str], file: str) -> None:
    """No two rows share the same key."""
    dup = df.duplicated(list(key), keep="first")
    if dup.any():
        i = dup.idxmax()
        found = ", ".join(f"{k}={df.loc[i, k]}" for k in key)
        raise DataError(
            file,
            int(df.loc[i, LINE]),
            ",".join(key),
            f"a second row with {found}",
            "one row per key",
        )


# --- helpers added for the indicator-value loaders -------------------------------------------

VALUE_KEY = ("series", "area_code", "period", "sex", "age", "category_type", "category")
VALUE_AREA_TYPES = frozenset({"england", "region", "utla", "ltla"})


def area_types(codes: pd.Series) -> pd.Series:
    """schema.area_type_from_code over a column (computed once per distinct code)."""
    from lutonwb.ingest.schema import area_type_from_code

    return map_unique(codes, area_type_from_code)


def finish_values(df: pd.DataFrame, file: str, key: Sequence[str] = VALUE_KEY) -> pd.DataFrame:
    """Fill the optional text columns of a `values` frame, add area_type, and check the key is unique."""
    defaults = {
        "sex": "Persons",
        "age": "",
        "category_type": "",
        "category": "",
        "status": "",
        "significance": "",
    }
    for col, default in defaults.items():
        if col not in df.columns:
            df[col] = default
        else:
            df[col] = df[col].fillna(default)
    for col in ("value", "lower_ci", "upper_ci", "count", "denominator"):
        if col not in df.columns:
            df[col] = np.nan  # conform() cannot cast an all-NA object column to float
    df["area_type"] = area_types(df["area_code"])
    df["source_file"] = file
    check_unique(df, list(key), file)
    return df


def input_stamp(raw: Path, patterns: Iterable[str]) -> tuple:
    """Path and content hash of every file the patterns match: the cache key of a build step.

    Content, not mtime: a file rewritten within the clock's resolution must not hit the cache.
    """
    import hashlib

    files = sorted({p for pat in patterns for p in raw.glob(pat) if p.is_file()})
    return (str(raw.resolve()),) + tuple(
        (str(p), hashlib.sha1(p.read_bytes()).hexdigest()) for p in files
    )


def memo_by_inputs(patterns: Sequence[str], local_roles: Sequence[str] = ()):
    """Decorator: reuse the last result of build(raw[, local]) while its inputs are unchanged.

    The areas builder reads the value builders' output to name legacy codes; this keeps the
    whole build reading each file once. With `local_roles`, build takes the place's local area
    (default: the configured place's) and the files it names for those roles join the key.
    Errors are never cached. Callers get copies.
    """
    from lutonwb.ingest.local import CURRENT, resolve

    def wrap(func):
        memo: dict[tuple, dict[str, pd.DataFrame]] = {}

        def run(raw: Path, local=CURRENT) -> dict[str, pd.DataFrame]:
            args = (resolve(local),) if local_roles else ()
            files = [a.files[r].path for a in args if a for r in local_roles if r in a.files]
            key = input_stamp(Path(raw), [*patterns, *files]) + tuple(map(repr, args))
            if key not in memo:
                result = func(Path(raw), *args)
                memo.clear()
                memo[key] = result
            return {name: df.copy() for name, df in memo[key].items()}

        run.__doc__ = func.__doc__
        run.__wrapped__ = func
        return run

    return wrap


def to_number(
    df: pd.DataFrame,
    column: str,
    file: str,
    *,
    na: Iterable[str] = NA_STRINGS,
    thousands: bool = False,
) -> pd.Series:
    """A text column as floats: blanks and GSS symbols (`na`) become NaN, anything else is an error."""
    s = df[column].fillna("").astype("string").str.strip()
    if thousands:
        s = s.str.replace(",", "", regex=False)
    na_mask = s.str.lower().isin({x.lower() for x in na})
    ok = na_mask | s.str.fullmatch(_NUMBER.pattern).fillna(False)
    if not ok.all():
        i = (~ok).idxmax()
        raise DataError(file, int(df.loc[i, LINE]), column, str(s[i]), "a number or a blank")
    out = pd.Series(np.nan, index=df.index, dtype="float64")
    keep = ~na_mask
    out[keep] = s[keep].astype("float64")
    return out


def check_pattern(df: pd.DataFrame, column: str, pattern: str, file: str) -> None:
    """Every value matches the regular expression in full (e.g. a GSS code r'E0[6-9]\\d{6}')."""
    s = df[column].fillna("").astype("string")
    ok = s.str.fullmatch(pattern).fillna(False)
    if not ok.all():
        i = (~ok).idxmax()
        raise DataError(file, int(df.loc[i, LINE]), column, str(s[i]), f"a code matching {pattern}")


def map_unique(s: pd.Series, func) -> pd.Series:
    """func applied once per distinct value of a text column."""
    codes, uniques = pd.factorize(s.fillna(""), sort=False)
    mapped = np.array([func(u) for u in uniques], dtype=object)
    return pd.Series(pd.array(mapped[codes], dtype="string"), index=s.index)


def read_table(
    path: Path,
    required: Sequence[str] = (),
    *,
    allow_short_rows: bool = False,
    rename: dict[str, str] | None = None,
) -> pd.DataFrame:
    """CSV → DataFrame of strings with a `_line` column (the line each record starts on).

    Checks the header names every `required` column and no row is ragged; a ragged, empty or
    mis-encoded file's error names the file, the line and the field. allow_short_rows: Fingertips
    'all data' exports have 25 fields under a 26-field header; missing trailing fields become ''.
    """
    try:
        return _read_csv(path, required, allow_short_rows, rename)
    except DataError as exc:
        if exc.field is None and exc.line is not None:
            exc.field = _field_at(path, exc, rename or {})
        raise


def _field_at(path: Path, exc: DataError, rename: dict[str, str]) -> str:
    """The column a read error points at: the first missing field, or the one holding a bad byte."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    text = data.decode("utf-8-sig", errors="replace")
    header = [
        rename.get(h.strip(), h.strip())
        for h in next(csv.reader(io.StringIO(text, newline="")), [])
    ]
    if not header:
        return "(header)"
    m = re.match(r"(\d+) fields", exc.found)
    if m:
        n = int(m.group(1))
        return header[n] if n < len(header) else f"(field {len(header) + 1}, beyond the header)"
    bad = text.find("\ufffd")
    if bad < 0:
        return header[0]
    # fields of the record holding the bad byte, counted from the start (records can span lines)
    records = list(csv.reader(io.StringIO(text[:bad], newline="")))
    n = len(records[-1]) if records and not text[:bad].endswith("\n") else 1
    return header[min(max(n - 1, 0), len(header) - 1)]
