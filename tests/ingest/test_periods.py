"""Every period label shape in the raw data parses to one canonical label with its dates."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lutonwb.ingest.errors import DataError
from lutonwb.ingest.periods import parse_period, period_columns
from lutonwb.ingest.readers import LINE

CASES = [
    # text, label, start, end
    ("2023 - 25", "2023-25", date(2023, 1, 1), date(2025, 12, 31)),
    ("2015 - 17", "2015-17", date(2015, 1, 1), date(2017, 12, 31)),
    ("2001-03", "2001-03", date(2001, 1, 1), date(2003, 12, 31)),
    ("1999 - 01", "1999-01", date(1999, 1, 1), date(2001, 12, 31)),
    ("2022/23", "2022/23", date(2022, 4, 1), date(2023, 3, 31)),
    ("1999/00", "1999/00", date(1999, 4, 1), date(2000, 3, 31)),
    ("2023", "2023", date(2023, 1, 1), date(2023, 12, 31)),
    ("2015", "2015", date(2015, 1, 1), date(2015, 12, 31)),
    ("2021/22 Q1", "2021/22 Q1", date(2021, 4, 1), date(2021, 6, 30)),
    ("2021/22 Q4", "2021/22 Q4", date(2022, 1, 1), date(2022, 3, 31)),
    ("2021/22 Q1 - 2025/26 Q3", "2021/22 Q1-2025/26 Q3", date(2021, 4, 1), date(2025, 12, 31)),
    ("2020/21 - 24/25", "2020/21-24/25", date(2020, 4, 1), date(2025, 3, 31)),
    ("2013/14-15/16", "2013/14-15/16", date(2013, 4, 1), date(2016, 3, 31)),
    ("2022-01-01/P3Y", "2022-24", date(2022, 1, 1), date(2024, 12, 31)),
    ("2024-09-01/P1Y", "2024/25", date(2024, 9, 1), date(2025, 8, 31)),
    ("2024-08-01/P1Y", "2024/25", date(2024, 8, 1), date(2025, 7, 31)),
    ("2022-04-01/P1Y", "2022/23", date(2022, 4, 1), date(2023, 3, 31)),
    ("2015-11-16/P1Y", "Nov 2015-16", date(2015, 11, 16), date(2016, 11, 15)),
    ("2020-01-01/P5Y", "2020-24", date(2020, 1, 1), date(2024, 12, 31)),
    ("2023-01-01/P1Y", "2023", date(2023, 1, 1), date(2023, 12, 31)),
    ("2025-04-30", "2025-04-30", date(2025, 4, 30), date(2025, 4, 30)),
    ("2026-01-01", "2026-01-01", date(2026, 1, 1), date(2026, 1, 1)),
    ("2004", "2004", date(2004, 1, 1), date(2004, 12, 31)),
    ("2021-08-01T00:00:00/P1Y", "2021/22", date(2021, 8, 1), date(2022, 7, 31)),
    ("2024-09-30T00:00:00", "2024-09-30", date(2024, 9, 30), date(2024, 9, 30)),
    ("FYE 2021", "2020/21", date(2020, 4, 1), date(2021, 3, 31)),
    ("2023 Q4", "2023 Q4", date(2023, 10, 1), date(2023, 12, 31)),
    ("Nov 2015-16", "Nov 2015-16", date(2015, 11, 1), date(2016, 10, 31)),
    (" 2022/23 ", "2022/23", date(2022, 4, 1), date(2023, 3, 31)),
]


@pytest.mark.parametrize(("text", "label", "start", "end"), CASES)
def test_parse_period(text: str, label: str, start: date, end: date) -> None:
    p = parse_period(text)
    assert (p.label, p.start, p.end) == (label, start, end)
    assert (p.start_year, p.end_year) == (start.year, end.year)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2023/25",
        "2023 - 22",
        "23/24",
        "2023-13-01",
        "2022-02-30/P1Y",
        "2022-01-01/P0Y",
        "Q1 2023",
        "2021/22 Q5",
        "Foo 2015-16",
        "2022-01-01T12:00:00",
        "2023 - 2026/27",
    ],
)
def test_unparseable_period_names_file_line_field(text: str) -> None:
    with pytest.raises(DataError) as err:
        parse_period(text, "ons_els/x.csv.gz", 17, "period")
    e = err.value
    assert (e.file, e.line, e.field, e.found) == ("ons_els/x.csv.gz", 17, "period", text)
    assert "ons_els/x.csv.gz, line 17, field 'period'" in str(e)


def test_period_columns_parses_each_value_once_and_reports_the_line() -> None:
    df = pd.DataFrame({"p": ["2023 - 25", "2022/23", "2023 - 25"], LINE: [2, 3, 4]})
    cols = period_columns(df, "p", "f.csv")
    assert cols["period"].tolist() == ["2023-25", "2022/23", "2023-25"]
    assert cols["start_year"].tolist() == [2023, 2022, 2023]
    assert cols["period_end"].iloc[1] == pd.Timestamp("2023-03-31")
    bad = pd.DataFrame({"p": ["2023", "2023", "twenty"], LINE: [2, 3, 9]})
    with pytest.raises(DataError) as err:
        period_columns(bad, "p", "f.csv")
    assert (err.value.line, err.value.field) == (9, "p")
