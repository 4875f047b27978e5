"""Text for readers: sections cited as readers write them, periods in words, safe quoting."""

from __future__ import annotations

import pytest

from lutonwb.text import period_words, section_words, shortened, shown


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("000 §4 Overarching table", "Section 4: Overarching table"),
        ("000 §4 Children's Trust Board table", "Section 4: Children's Trust Board table"),
        (
            "003 Latest key measures: Life expectancy section",
            "Latest key measures: Life expectancy section",
        ),
        ("§6.2 Targets", "Section 6.2: Targets"),
        ("", ""),
        (None, ""),
    ],
)
def test_section_words(raw, words) -> None:
    assert section_words(raw) == words


def test_period_words_and_safe_quotes() -> None:
    assert period_words("2024-09-30") == "30 September 2024"
    assert period_words("2020-22") == "2020-22"
    assert shown("cssnbt-2021") == "'cssnbt-2021'"
    assert shown("<script>") == "(a value that cannot be read)"


@pytest.mark.parametrize(
    ("text", "limit", "short"),
    [
        ("Improve bus routes focusing on transport access", 40, "Improve bus routes focusing on…"),
        ("Improve bus routes, focusing on access", 25, "Improve bus routes…"),
        ("Short title", 40, "Short title"),
        ("  Spaces   inside  ", 40, "Spaces inside"),
        ("abc def ghi", 8, "abc def…"),
        ("Supercalifragilistic", 10, "Supercali…"),
        (None, 10, ""),
    ],
)
def test_shortened_cuts_at_a_word_with_an_ellipsis(text, limit, short) -> None:
    assert shortened(text, limit) == short
    assert len(shortened(text, limit)) <= limit
