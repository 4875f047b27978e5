"""Every reader's CSV download on every page: plain headers, periods in words, rounded figures,
never a seed document's file name, a raw column name, an ISO date or float noise. (The
scorecard command's columns are a public contract and keep their ids; page CSVs do not. The
methods page's analysts' download keeps ids and file names, and says so on its button.)"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from lutonwb.engine import CONTRACT_COLUMNS, EXTRA_COLUMNS
from lutonwb.place import current_place
from tests.app.test_pages import LUTON, downloads, open_view  # noqa: F401 (downloads: a fixture)

ANALYSTS = "Download for analysts (CSV with ids)"
SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
FLOAT_NOISE = re.compile(r"\d\.\d{7,}")
GSS_CODE = re.compile(r"\b[EWSNK]\d{8}\b")
CODE_VALUES = {"higher-better", "lower-better", "england", "home", "region", "group average"}
RAG_LETTERS = re.compile(r"^[RAG](\s*,\s*[RAG])*$")
CODE_HEADERS = {"Area code", "Polarity code"}
KEYS_TABLE = "deep-link-keys"  # the methods page's table of link keys: its examples are codes
RAW_COLUMNS = set(CONTRACT_COLUMNS) | set(EXTRA_COLUMNS) | {
    "value", "period", "lower_ci", "upper_ci", "area_code", "area_name", "period_start",
    "period_end", "role", "value_type", "document", "section", "value_text", "category_type",
}  # fmt: skip

VIEWS = [
    ("", {"cmp": "similar"}),
    ("principle", {"principle": "4"}),
    ("board", {"board": "childrens-trust"}),
    ("board", {"board": "health-equity-town", "cmp": "cssnbt-2021"}),
    ("measure", {"m": "life-expectancy-male"}),
    ("measure", {"m": "infant-mortality", "cmp": "region"}),
    ("methods", {}),
    ("pages/wards.py", {"ward": "E05014737"}),
    ("pages/progress.py", {}),
]


def reader_csvs(at, downloads) -> dict[str, str]:  # noqa: F811
    """The page's CSV downloads for readers (file name -> text), the analysts' one left out."""
    out = {}
    for button in at.get("download_button"):
        if button.proto.HasField("deferred_file_id") and button.label != ANALYSTS:
            name, data = downloads[button.proto.deferred_file_id]
            if name.endswith(".csv"):
                out[name] = data().decode("utf-8")
    return out


def code_values_in(name: str, frame: pd.DataFrame) -> list[str]:
    """Codes written as values: a polarity or group or series id ('lower-better', 'england',
    'home'), the strategy's bare R / A / G letters in a rating column, an area code column."""
    found = [f"{name}: header {c!r}" for c in frame.columns if c in CODE_HEADERS]
    for c in frame.columns:
        cells = set(frame[c])
        found += [f"{name}: {c!r} value {v!r}" for v in sorted(cells & CODE_VALUES)]
        if "rating" in c.lower() or c.startswith("Compared"):
            found += [f"{name}: {c!r} letters {v!r}" for v in sorted(cells) if RAG_LETTERS.match(v)]
    return found


def internals_in(name: str, text: str) -> list[str]:
    """What a reader should not see in one CSV: seed file names, raw column names as headers,
    ISO dates, float noise, area codes, and codes as values (see code_values_in)."""
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    found = [f"{name}: header {c!r}" for c in frame.columns if SNAKE.match(c) or c in RAW_COLUMNS]
    found += code_values_in(name, frame)
    found += [f"{name}: area code in file name" for _ in GSS_CODE.findall(name.upper())[:1]]
    body = text.split("\n", 1)[1] if "\n" in text else ""
    for label, pattern in (
        ("seed file", SEED_FILE),
        ("ISO date", ISO_DATE),
        ("float noise", FLOAT_NOISE),
        *([("area code", GSS_CODE)] if not name.startswith(KEYS_TABLE) else []),
    ):
        found += [f"{name}: {label} {m!r}" for m in sorted(set(pattern.findall(body)))[:3]]
    seeds = [s for s in current_place().seeds if s in text]
    return found + [f"{name}: seed file {s!r}" for s in seeds]


def test_the_checks_catch_what_they_look_for() -> None:
    """Each check fails on the kind of file the issue saw (so a pass means something)."""
    seed = next(iter(current_place().seeds))
    assert SEED_FILE.fullmatch(seed), seed  # the place's documents do have such names
    bad = f"measure_id,Value,seed_document\nle,78.67999999999999,{seed}\nx,2024-09-30,y\n"
    found = " ".join(internals_in("bad.csv", bad))
    for what in ("header 'measure_id'", "header 'seed_document'", "seed file", "ISO date",
                 "float noise"):  # fmt: skip
        assert what in found, what
    coded = (
        "Measure,Polarity,Comparator group,Series,Strategy rating vs England,Area code\n"
        'LE,lower-better,england,home,"R,R,A",E06000032\n'
    )
    found = " ".join(internals_in("principle-4-e06000032-england.csv", coded))
    for what in ("'lower-better'", "'england'", "'home'", "letters 'R,R,A'", "header 'Area code'",
                 "area code 'E06000032'", "area code in file name"):  # fmt: skip
        assert what in found, what
    assert internals_in("good.csv", "Measure,Value,Period\nLife expectancy,78.7,2020-22\n") == []


@pytest.mark.parametrize(("page", "params"), VIEWS)
def test_page_csvs_carry_no_internals(page, params, downloads) -> None:  # noqa: F811
    at = open_view(page, **{"area": LUTON, **params})
    files = reader_csvs(at, downloads)
    assert files, "the page offers no CSV"
    problems = [p for name, text in files.items() for p in internals_in(name, text)]
    assert problems == []
