"""Every period label shape in the raw data → one canonical label with start and end dates.

Canonical labels (what the app shows and compares on):
- calendar year            '2023'            (Fingertips '2023', ELS '2023-01-01/P1Y', legacy '2004')
- pooled calendar years    '2023-25'         (Fingertips '2023 - 25', '2001-03', ELS '2022-01-01/P3Y')
- financial/academic year  '2022/23'         (Fingertips '2022/23', ELS '2022-04-01/P1Y', '2024-09-01/P1Y',
                                              DWP 'FYE 2023')
- pooled financial years   '2020/21-24/25'   (Fingertips '2020/21 - 24/25', LAIT '2013/14-15/16')
- financial-year quarter   '2021/22 Q1'      and cumulative ranges '2021/22 Q1-2025/26 Q3'
- calendar quarter         '2023 Q4'
- other 12-month years     'Nov 2015-16'     (Active Lives, ELS '2015-11-16/P1Y')
- instants                 '2025-04-30'      (ELS snapshot dates)
A bare 'YYYY/YY' is dated as a financial year (April–March); ELS academic years keep their
September or August start because the ISO period says so. The label is what sources share.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

from lutonwb.ingest.errors import DataError
from lutonwb.ingest.readers import LINE

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date

    @property
    def start_year(self) -> int:
        return self.start.year

    @property
    def end_year(self) -> int:
        return self.end.year


class PeriodError(ValueError):
    """A label no rule recognises (turned into a DataError with file and line by the caller)."""


def parse_period(
    text: str, file: str = "", line: int | None = None, field: str | None = None
) -> Period:
    """Parse one label; raises DataError naming file, line and field when no shape matches."""
    try:
        return _parse(str(text).strip())
    except PeriodError as exc:
        raise DataError(
            file or "<period>", line, field, str(text), f"a period label ({exc})"
        ) from None


def period_columns(df: pd.DataFrame, column: str, file: str) -> pd.DataFrame:
    """Columns period, period_start, period_end, start_year, end_year for a text column (parsed once per value)."""
    codes, uniques = pd.factorize(df[column].fillna(""), sort=False)
    parsed = []
    for k, raw in enumerate(uniques):
        try:
            parsed.append(_parse(str(raw).strip()))
        except PeriodError as exc:
            line = int(df[LINE].to_numpy()[codes == k][0]) if LINE in df else None
            raise DataError(file, line, column, str(raw), f"a period label ({exc})") from None
    labels = np.array([p.label for p in parsed], dtype=object)
    starts = np.array([np.datetime64(p.start, "ms") for p in parsed], dtype="datetime64[ms]")
    ends = np.array([np.datetime64(p.end, "ms") for p in parsed], dtype="datetime64[ms]")
    sy = np.array([p.start.year for p in parsed], dtype="int64")
    ey = np.array([p.end.year for p in parsed], dtype="int64")
    return pd.DataFrame(
        {
            "period": pd.array(labels[codes], dtype="string"),
            "period_start": starts[codes],
            "period_end": ends[codes],
            "start_year": pd.array(sy[codes], dtype="Int64"),
            "end_year": pd.array(ey[codes], dtype="Int64"),
        },
        index=df.index,
    )


def _yy(first: int, two: str) -> int:
    """Second year of a 'YYYY/YY' or 'YYYY-YY' pair as a full year (the next one it can be)."""
    y = int(two)
    if len(two) == 4:
        return y
    full = first // 100 * 100 + y
    return full if full > first else full + 100


def _fy(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def _day(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError as exc:
        raise PeriodError(f"not a real date: {exc}") from None


_CAL = re.compile(r"(\d{4})")
_CAL_RANGE = re.compile(r"(\d{4})\s*-\s*(\d{2}|\d{4})")
_FY = re.compile(r"(\d{4})/(\d{2})")
_FY_RANGE = re.compile(r"(\d{4})/(\d{2})\s*-\s*(?:(\d{4})/)?(\d{2})/(\d{2})")
_FY_Q = re.compile(r"(\d{4})/(\d{2}) Q([1-4])")
_FY_Q_RANGE = re.compile(r"(\d{4})/(\d{2}) Q([1-4])\s*-\s*(\d{4})/(\d{2}) Q([1-4])")
_CAL_Q = re.compile(r"(\d{4}) Q([1-4])")
_FYE = re.compile(r"FYE\s*(\d{4})", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"([A-Z][a-z]{2}) (\d{4})-(\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T00:00:00(?:\.0+)?Z?)?(?:/P(\d+)Y)?")


def _calendar(m: re.Match) -> Period:
    y = int(m[1])
    return Period(str(y), date(y, 1, 1), date(y, 12, 31))


def _calendar_range(m: re.Match) -> Period:
    y1 = int(m[1])
    y2 = _yy(y1, m[2])
    if not 0 < y2 - y1 < 20:
        raise PeriodError("the end year must follow the start year")
    return Period(f"{y1}-{y2 % 100:02d}", date(y1, 1, 1), date(y2, 12, 31))


def _financial(m: re.Match) -> Period:
    y1 = int(m[1])
    _check_next(y1, m[2])
    return Period(_fy(y1), date(y1, 4, 1), date(y1 + 1, 3, 31))


def _financial_range(m: re.Match) -> Period:
    y1 = int(m[1])
    _check_next(y1, m[2])
    last = int(m[3]) if m[3] else _yy(y1, m[4])
    _check_next(last, m[5])
    if not 0 < last - y1 < 20:
        raise PeriodError("the last year must follow the first")
    return Period(f"{_fy(y1)}-{_fy(last)[2:]}", date(y1, 4, 1), date(last + 1, 3, 31))


def _financial_quarter(m: re.Match) -> Period:
    y1, q = int(m[1]), int(m[3])
    _check_next(y1, m[2])
    start, end = _fy_quarter(y1, q)
    return Period(f"{_fy(y1)} Q{q}", start, end)


def _financial_quarter_range(m: re.Match) -> Period:
    y1, q1, y2, q2 = int(m[1]), int(m[3]), int(m[4]), int(m[6])
    _check_next(y1, m[2])
    _check_next(y2, m[5])
    start, _ = _fy_quarter(y1, q1)
    _, end = _fy_quarter(y2, q2)
    if end <= start:
        raise PeriodError("the range must run forwards")
    return Period(f"{_fy(y1)} Q{q1}-{_fy(y2)} Q{q2}", start, end)


def _calendar_quarter(m: re.Match) -> Period:
    y, q = int(m[1]), int(m[2])
    start = date(y, 3 * q - 2, 1)
    return Period(f"{y} Q{q}", start, _add_months(start, 3) - timedelta(days=1))


def _financial_year_ending(m: re.Match) -> Period:
    y = int(m[1])
    return Period(_fy(y - 1), date(y - 1, 4, 1), date(y, 3, 31))


def _month_year(m: re.Match) -> Period:
    if m[1] not in MONTHS:
        raise PeriodError(f"unknown month {m[1]}")
    y1 = int(m[2])
    if _yy(y1, m[3]) != y1 + 1:
        raise PeriodError("a 12-month year must end in the next year")
    start = date(y1, MONTHS.index(m[1]) + 1, 1)
    return Period(m[0], start, _add_years(start, 1) - timedelta(days=1))


def _iso(m: re.Match) -> Period:
    start = _day(int(m[1]), int(m[2]), int(m[3]))
    if m[4] is None:
        return Period(start.isoformat(), start, start)
    n = int(m[4])
    if not 1 <= n <= 20:
        raise PeriodError("a duration of 1 to 20 years")
    end = _add_years(start, n) - timedelta(days=1)
    return Period(_iso_label(start, n, end), start, end)


# every label shape, tried in this order; the first whose pattern matches the whole label wins
_SHAPES: tuple[tuple[re.Pattern, Callable[[re.Match], Period]], ...] = (
    (_CAL, _calendar),
    (_CAL_RANGE, _calendar_range),
    (_FY, _financial),
    (_FY_RANGE, _financial_range),
    (_FY_Q, _financial_quarter),
    (_FY_Q_RANGE, _financial_quarter_range),
    (_CAL_Q, _calendar_quarter),
    (_FYE, _financial_year_ending),
    (_MONTH_YEAR, _month_year),
    (_ISO, _iso),
)


@lru_cache(maxsize=4096)
def _parse(s: str) -> Period:
    """The period a raw label names, by the first shape that matches it whole."""
    for pattern, period in _SHAPES:
        if m := pattern.fullmatch(s):
            return period(m)
    raise PeriodError(
        "one of 'YYYY', 'YYYY - YY', 'YYYY/YY', 'YYYY/YY - YY/YY', 'YYYY/YY Qn', 'YYYY Qn', "
        "'FYE YYYY', 'YYYY-MM-DD[/PnY]'"
    )


def _iso_label(start: date, n: int, end: date) -> str:
    """Label for an ISO start/duration: calendar, financial/academic, or month-anchored years."""
    if (start.month, start.day) == (1, 1):
        return str(start.year) if n == 1 else f"{start.year}-{end.year % 100:02d}"
    if start.day == 1 and start.month in (4, 8, 9):
        return _fy(start.year) if n == 1 else f"{_fy(start.year)}-{_fy(end.year - 1)[2:]}"
    return f"{MONTHS[start.month - 1]} {start.year}-{end.year % 100:02d}"


def _check_next(y1: int, two: str) -> None:
    if _yy(y1, two) != y1 + 1:
        raise PeriodError(f"'{y1}/{two}' must name consecutive years")


def _fy_quarter(y1: int, q: int) -> tuple[date, date]:
    start = _add_months(date(y1, 4, 1), 3 * (q - 1))
    return start, _add_months(start, 3) - timedelta(days=1)


def _add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)
