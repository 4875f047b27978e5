"""What a reader sees on every page, lazy sections opened: never a document's file name, a measure,
board or group id, a method code, a raw column name, a colour's hex code, a section sign from the
developers' notes or an ISO timestamp. (The CSVs are checked in test_page_csvs.py.)"""

from __future__ import annotations

import re

import pytest

from lutonwb.catalogue import load_catalogue
from lutonwb.engine import CONTRACT_COLUMNS, EXTRA_COLUMNS
from lutonwb.engine.vocab import RETIRED_VERDICT_WORDS
from tests.app.test_page_csvs import SEED_FILE
from tests.app.test_pages import open_view, text_of
from tests.tables import static_tables

HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
SNAKE_WORD = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
METHOD_CODE = re.compile(r"\bci \(computed\)|\b(?:ols|wls|chi2)\b|'reported'|'quintile'")
LINK_TARGET = re.compile(r"\]\([^)]*\)|href=\"[^\"]*\"|https?://\S+")
SHARE_LINK = re.compile(r"`/[^`\s]*`")
GSS_CODE = re.compile(r"\b[EWSNK]\d{8}\b")
STORAGE_TALK = re.compile(r"checksum|\| Field \| Value \||by GSS code|GSS code", re.IGNORECASE)
LETTER_CODES = re.compile(r"R / A / G|\bNN = |\bE = England|times the change needed")
GROUP_MID_SENTENCE = re.compile(
    r"\b(?i:against|and|among|of|with) (?:Region|Similar areas|All upper-tier|Custom group|"
    r"Statistical neighbours)\b"
)

VIEWS = [
    ("", {}),
    ("", {"cmp": "similar"}),
    ("principle", {"principle": "4"}),
    ("board", {"board": "childrens-trust", "spine": "1", "actions": "1"}),
    ("board", {"board": "health-equity-town", "cmp": "cssnbt-2021"}),
    (
        "measure",
        {
            "m": "life-expectancy-male",
            "ranked": "1",
            "breakdown": "1",
            "reported": "1",
            "actions": "1",
        },
    ),
    ("measure", {"m": "minimum-income-standard-destitution", "reported": "1"}),
    ("measure", {"m": "fuel-poverty", "cmp": "region", "breakdown": "1"}),
    ("methods", {"catalogue": "1", "series": "1", "missing": "1", "glossary": "1", "keys": "1"}),
    ("pages/wards.py", {"ward": "E05014737", "ranked": "1", "inequality": "1", "composite": "1"}),
    ("pages/progress.py", {}),
    ("pages/plan.py", {"board": "at-place", "timeline": "1"}),
    ("principle", {"principle": "4", "cmp": "region"}),
]


def reader_text(at) -> str:
    """Everything drawn as words: text, notices, expander and metric labels, table headers and
    the cells of static tables, with link targets (which may hold keys) taken out."""
    parts = [text_of(at)]
    for choice in [*at.selectbox, *at.multiselect]:  # the sidebar's choices as a reader sees them
        parts += [str(choice.label), *(str(o) for o in choice.options)]
    for kind in ("error", "success", "exception"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [str(e.label) for e in at.expander]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for shown in [*static_tables(at), *at.dataframe]:
        frame = shown.value.data if hasattr(shown.value, "data") else shown.value  # a Styler's
        if {"Key", "Example"} <= set(frame.columns):
            continue  # the methods page's table of link keys documents the links themselves
        parts += [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    return LINK_TARGET.sub(" ", "\n".join(parts))


def ids_in(text: str) -> list[str]:
    """Measure, board and group ids written as words (not inside links)."""
    cat = load_catalogue()
    ids = set(cat.measures) | set(cat.boards) | set(cat.outcomes) | {"cssnbt-2021"}
    return sorted(
        i for i in ids if "-" in i and re.search(rf"(?<![\w/?=-]){re.escape(i)}(?![\w-])", text)
    )


def test_the_checks_catch_what_they_look_for() -> None:
    bad = (
        "Source: 001_104c5dfa7b29cb4e.txt; colour #1b7837; method ols; value_text; 2026-12-05T07:52"
    )
    assert SEED_FILE.search(bad) and HEX.search(bad) and METHOD_CODE.search(bad)
    assert SNAKE_WORD.search(bad) and TIMESTAMP.search(bad)
    assert ids_in("see life-expectancy-male") == ["life-expectancy-male"]
    assert ids_in(LINK_TARGET.sub(" ", "[Open](measure?m=life-expectancy-male)")) == []
    old = (
        "Luton (E06000032); Authorities you choose (by GSS code); each recorded with its checksum;"
        " R / A / G = worse / similar / better; observed change is 60.20 times the change needed"
        " each year. Against Region: 3 better."
    )
    assert GSS_CODE.search(old) and STORAGE_TALK.search(old) and LETTER_CODES.search(old)
    assert GROUP_MID_SENTENCE.search(old) and not GROUP_MID_SENTENCE.search("Against region: 3")


@pytest.mark.parametrize(("page", "params"), VIEWS, ids=lambda v: str(v))
def test_pages_show_no_internals(page, params) -> None:
    text = reader_text(open_view(page, **params))
    raw = set(CONTRACT_COLUMNS) | set(EXTRA_COLUMNS)
    problems = [f"file name {m}" for m in SEED_FILE.findall(text)]
    problems += [f"hex colour {m}" for m in HEX.findall(text)]
    problems += [f"timestamp {m}" for m in TIMESTAMP.findall(text)]
    problems += [f"method code {m.group(0)}" for m in METHOD_CODE.finditer(text)]
    problems += [f"column name {m}" for m in set(SNAKE_WORD.findall(text)) if m in raw or "_" in m]
    problems += [f"id {i}" for i in ids_in(text)]
    problems += ["section sign"] if "§" in text else []
    words = SHARE_LINK.sub(" ", text)  # the view's link to copy holds its keys, codes and all
    problems += [f"area code {m}" for m in sorted(set(GSS_CODE.findall(words)))[:3]]
    problems += [f"storage talk {m.group(0)!r}" for m in STORAGE_TALK.finditer(text)]
    problems += [f"letter code {m.group(0)!r}" for m in LETTER_CODES.finditer(text)]
    problems += [f"capital mid-sentence {m.group(0)!r}" for m in GROUP_MID_SENTENCE.finditer(text)]
    assert not problems, sorted(set(problems))


MISSING_WORDS = re.compile(r"\b(None|nan|NaN|<NA>)\b")
NEGATIVE_ZERO = re.compile(r"(?<![\d.])-0(\.0+)?(?![\d.])")
NEEDLESS_DECIMAL = re.compile(r"\d,\d{3}\.0(?!\d)")  # '6,362.0' per 100,000


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("measure", {"m": "minimum-income-standard-destitution", "reported": "1"}),
        ("measure", {"m": "life-expectancy-male", "ranked": "1", "reported": "1"}),
        ("board", {"board": "childrens-trust"}),
        ("", {}),
        ("pages/progress.py", {}),
    ],
    ids=lambda v: str(v),
)
def test_missing_values_and_zeros_read_plainly(page, params) -> None:
    """A missing value is blank or a dash, never 'None' or 'nan'; no '-0.0'; a one-place figure
    from 1,000 up has no decimal."""
    text = reader_text(open_view(page, **params))
    assert not MISSING_WORDS.findall(text)
    assert not [m.group(0) for m in NEGATIVE_ZERO.finditer(text)]
    assert not NEEDLESS_DECIMAL.findall(text)


def test_overview_rates_per_100000_without_a_decimal() -> None:
    text = reader_text(open_view(""))
    assert "6,362" in text and "6,362.0" not in text


# One vocabulary for how far a comparison went (Similar, Not tested, Not compared; the methods
# page's colour key defines each): the words it replaced never reach a page, a chart's key or a
# count. Capitalised, as a label, heading, key entry or count; 'no data (reason in the table)'
# on the ward map and a progress reason's 'no data for this area' say why a figure is blank.
RETIRED = re.compile(
    r"\b(?:" + "|".join(RETIRED_VERDICT_WORDS) + r")\b|\b\d+ (?i:no data|untested)\b"
    r"|\bno value or no benchmark\b(?! figure)"
)
EVERY_PAGE = [
    ("", {}),
    ("", {"cmp": "similar"}),
    ("principle", {"principle": "4"}),
    ("board", {"board": "childrens-trust", "spine": "1", "actions": "1"}),
    (
        "measure",
        {
            "m": "life-expectancy-male",
            "ranked": "1",
            "breakdown": "1",
            "reported": "1",
            "actions": "1",
            "map": "1",
        },
    ),  # fmt: skip
    ("measure", {"m": "child-poverty-ahc", "cmp": "cssnbt-2021", "ranked": "1", "map": "1"}),
    ("methods", {"catalogue": "1", "series": "1", "missing": "1", "glossary": "1", "keys": "1"}),
    ("pages/wards.py", {"ranked": "1", "inequality": "1", "composite": "1"}),
    ("pages/progress.py", {}),
    ("pages/plan.py", {"timeline": "1"}),
]


def chart_keys(at) -> str:
    """Every chart's words a reader can see in its key or tooltips (the whole spec, as text)."""
    return "\n".join(str(c.proto.spec) for c in at.get("vega_lite_chart"))


def test_the_vocabulary_check_finds_the_retired_words() -> None:
    old = [
        "| Board | Better | Similar | Worse | Not tested | No data |",
        "Against England: 0 better, 3 similar, 3 worse, 8 not tested, 4 no value or no benchmark.",
        "rating: \"datum.rating ? datum.rating : 'No data'\"",
        "Against England: 2 better, 6 no data.",
    ]
    assert all(RETIRED.search(t) for t in old)
    new = (
        "| Board | Better | Similar | Worse | Not tested | Not compared | 4 not compared (no value "
        "or no benchmark figure). Ward map: no data (reason in the table)."
    )
    assert not RETIRED.search(new)


@pytest.mark.parametrize(("page", "params"), EVERY_PAGE, ids=lambda v: str(v))
def test_every_page_speaks_one_verdict_vocabulary(page, params) -> None:
    """Similar, Not tested and Not compared on every page, in every chart's key and count; the
    overview's count headers name the same words the tables show."""
    at = open_view(page, **params)
    text = reader_text(at) + "\n" + chart_keys(at)
    assert not sorted({m.group(0) for m in RETIRED.finditer(text)})
    if page == "":
        assert "| Better | Similar | Worse | Not tested | Not compared |" in text
    if page == "methods":  # the colour key defines each of the three words, once
        key = next(
            t.value for t in static_tables(at) if "Colour" in getattr(t.value, "data", t.value)
        )
        words = list(getattr(key, "data", key)["Word"])
        assert [words.count(w) for w in ("Similar", "Not tested", "Not compared")] == [1, 1, 1]
        assert words.index("Not tested") == words.index("Lower") + 1


# The exact statistics belong on the methods page (and in the analysts' CLI output); the measure
# page says them plainly and links there.
TECHNICAL = re.compile(
    r"least[- ]squares|inverse[- ]variance|\bt-test|chi-squared|Cochran|Armitage|z-score|\bridit|"
    r"\b(?:OLS|WLS|SII)\b|\bWilson\b|\bByar|Poisson|Dobson|regression|confidence limits",
    re.IGNORECASE,
)
TREND_SAMPLE = [  # one measure per trend method, comparison method and kind of figure
    "life-expectancy-male",  # trend without limits; the source's own comparison
    "healthy-life-expectancy-male",  # trend weighted by the limits; a published interval
    "fuel-poverty-lihc",  # the proportions' trend test; a position in fifths
    "fuel-poverty",  # an interval computed from counts
    "life-expectancy-gap-male",  # a slope index of inequality
    "minimum-income-standard-destitution",  # the strategy documents' figures only
]


def page_words(at) -> str:
    """The page's own words (the measure chooser's list of other titles left out)."""
    text = reader_text(at)
    for choice in [*at.selectbox, *at.multiselect]:
        for option in choice.options:
            text = text.replace(str(option), " ")
    return text


def test_the_technical_check_finds_the_old_wording() -> None:
    old = (
        "| Gap method | gap to England: unweighted least-squares slope (no confidence limits), "
        "last 5 points, t-test at 95% |"
    )
    assert {m.group(0) for m in TECHNICAL.finditer(old)} == {
        "least-squares",
        "confidence limits",
        "t-test",
    }
    assert TECHNICAL.search("weighted least-squares slope, inverse-variance weights")
    assert TECHNICAL.search("a chi-squared test for a trend in the proportions")
    assert not TECHNICAL.search("Trend over the last 5 points, tested at 95% confidence.")


@pytest.mark.parametrize("measure", TREND_SAMPLE)
def test_measure_page_says_its_methods_plainly_and_links_the_exact_ones(measure) -> None:
    at = open_view("measure", m=measure, ranked="1", breakdown="1", reported="1", map="1")
    text = page_words(at)
    assert not sorted({m.group(0) for m in TECHNICAL.finditer(text)})
    if "slope index" in text.lower():  # explained where it is used
        assert "slope index of inequality:" in text.lower()
    markdown = "\n".join(str(m.value) for m in at.markdown)
    if measure != "minimum-income-standard-destitution":  # no open series: no trend, no gap
        assert re.search(
            r"tested at 95% confidence \(\[how the trend is tested\]\(/methods\?", markdown
        )
        assert "#rule-trend)" in markdown
        assert re.search(
            r"\[how the gap's trend is tested\]\(/methods\?[^)]*#progress-gap-trend\)", markdown
        )
    assert re.search(r"\[how comparisons are made\]\(/methods\?[^)]*#rule-[a-z]+\)", markdown)


def test_progress_page_gaps_inside_say_their_trend_test_plainly() -> None:
    text = page_words(open_view("pages/progress.py"))
    assert "(gap between fifths: trend over the last" in text
    assert not re.search(r"least[- ]squares|inverse[- ]variance|chi-squared", text)


def test_measure_page_explains_its_own_terms_and_links_the_glossary() -> None:
    at = open_view("measure", m="fuel-poverty")
    markdown = "\n".join(str(m.value) for m in at.markdown)
    assert "Words used here: LILEE: Low income, low energy efficiency" in markdown
    assert re.search(r"\[all words and abbreviations\]\(/methods\?[^)]*#glossary\)", markdown)
    plain = open_view("measure", m="life-expectancy-male")  # no glossary word: no note
    assert not [m for m in plain.markdown if str(m.value).startswith("Words used here")]


@pytest.mark.parametrize(
    ("page", "params", "benchmarks"),
    [
        ("board", {"board": "childrens-trust"}, "England and its region"),
        ("principle", {"principle": "4"}, "England and its region"),
        ("principle", {"principle": "4", "cmp": "region"}, "England and its region"),
        ("board", {"board": "health-equity-town", "cmp": "cssnbt-2021"},
         "England, its region and statistical neighbours (CSSNBT 2021)"),
        ("", {}, "England and its region"),
    ],
)  # fmt: skip
def test_benchmarks_are_listed_with_and(page, params, benchmarks) -> None:
    text = reader_text(open_view(page, **params))
    assert f"Luton against {benchmarks}" in text or f"Luton compares with {benchmarks}" in text
    assert not re.search(r"England, its region(?! and )", text)  # never "England, its region."


def test_board_notes_say_where_the_documents_figures_are() -> None:
    """The reported figures are a section of each measure's page, not of the board page."""
    text = reader_text(open_view("board", board="childrens-trust"))
    notes = re.findall(r"the strategy documents report one \(see [^)]*\)", text)
    assert notes, "the board's notes name the documents' figures"
    assert all(
        n.endswith("(see 'Figures reported in the strategy documents' on the measure's page)")
        for n in notes
    )


def test_a_chosen_period_is_never_called_older_than_englands_latest() -> None:
    at = open_view("measure", m="life-expectancy-male", cmp="cssnbt-2025", period="2019-21")
    text = reader_text(at)
    assert "Luton, 2019-21" in [h.value for h in at.header]  # the figures are the chosen period's
    assert "more than 3 years before England's latest" not in text
    assert "more than 3 years before" not in text
    assert not at.warning


@pytest.mark.parametrize(
    ("page", "params", "said"),
    [
        ("measure", {"m": "life-expectancy-male", "period": "1999"},
         "This measure has no figure for Luton in 1999; choose another period or 'Latest for "
         "each measure'."),
        ("measure", {"m": "life-expectancy-male", "period": "1990"},
         "No measure has data for Luton in 1990; choose another period or 'Latest for each "
         "measure'."),
        ("board", {"board": "childrens-trust", "period": "1999"},
         "No measure on this page has data for Luton in 1999; choose another period or 'Latest "
         "for each measure'."),
        ("", {"period": "1990"},
         "No measure on this page has data for Luton in 1990; choose another period or 'Latest "
         "for each measure'."),
    ],
)  # fmt: skip
def test_a_period_without_data_says_so(page, params, said) -> None:
    at = open_view(page, **params)
    assert [str(x.value) for x in at.warning] == [said]
    assert "has no value for this measure at this period" not in reader_text(at)


def test_methods_series_table_ends_where_its_latest_period_ends() -> None:
    at = open_view("methods", series="1")
    series = next(t.value for t in static_tables(at) if "Latest period" in t.value.columns)
    smoking = series[series["Indicator"].str.contains("routine and manual")].iloc[0]
    assert (smoking["To"], smoking["Latest period"]) == ("December 2024", "2022-24")


def test_cssnbt_and_low_income_high_costs_are_explained_where_they_appear() -> None:
    benchmark_tool = "Children's Services Statistical Neighbour Benchmarking Tool"
    at = open_view("measure", m="fuel-poverty-lihc", cmp="cssnbt-2025")
    cmp_box = at.selectbox(key="w_cmp")
    assert "Statistical neighbours (CSSNBT 2025)" in cmp_box.options
    assert benchmark_tool in str(cmp_box.help)
    markdown = "\n".join(str(m.value) for m in at.markdown)
    assert "Low Income High Costs: The definition of fuel poverty in England until 2019" in markdown
    methods = open_view("methods", glossary="1")
    groups = next(t.value for t in static_tables(methods) if "What it is" in t.value.columns)
    cssnbt = groups[groups["Group"].str.contains("CSSNBT")]
    assert len(cssnbt) == 2 and cssnbt["What it is"].str.contains(benchmark_tool).all()
    glossary = next(t.value for t in static_tables(methods) if "Low Income High Costs" in set(
        t.value.iloc[:, 0].astype(str)))  # fmt: skip
    assert glossary is not None
