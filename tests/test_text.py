"""Text for readers: sections cited as readers write them, periods in words, safe quoting."""

from __future__ import annotations

import pytest

from lutonwb.text import period_words, section_words, shown


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
