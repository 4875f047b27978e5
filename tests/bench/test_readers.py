"""The browserless load test's capacity rule: the largest level whose p95 stays within 1 s."""

from __future__ import annotations

import pytest

from bench.readers import READER, capacity


@pytest.mark.parametrize(
    ("p95", "expected", "words"),
    [
        ({50: 0.2, 200: 0.6, 500: 3.0}, 200, "between 200 and 500 (~250 by interpolation)"),
        ({50: 0.2, 200: 0.6, 500: 0.9}, 500, "up to 500, the largest level tried"),
        ({50: 1.5, 200: 4.0, 500: 9.0}, 0, "passed 1 s already at 50"),
    ],
)
def test_capacity_is_the_last_level_within_one_second(p95, expected, words) -> None:
    n, how = capacity(p95)
    assert n == expected
    assert words in how


def test_reader_pace_label_names_think_arrival_and_window() -> None:
    assert READER.label == "reader's pace: think 30 s, arriving over 30 s, 90 s"
