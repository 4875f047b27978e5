"""On/off track: one synthetic case per status and each edge case, thresholds from Open SDG."""

from __future__ import annotations

import math

import pytest

from lutonwb.progress.status import (
    ON_TRACK_RATIO,
    SOME_PROGRESS_RATIO,
    assess,
    pace_words,
    required_change,
    status_for_ratio,
)
from lutonwb.stats import trend

YEARS = [2019.0, 2020.0, 2021.0, 2022.0, 2023.0]


def _trend(values, polarity="lower-better"):
    return trend(YEARS, values, polarity=polarity)


@pytest.mark.parametrize(
    ("values", "target", "polarity", "expected"),
    [
        # falls 1 a year, needs (0 - 10) / 17 = -0.59 a year: ratio 1.7, significant
        ([14.0, 13.1, 12.0, 11.05, 10.0], 0.0, "lower-better", "on track"),
        # falls 0.5 a year against -0.59 needed: ratio 0.85, between 0.6 and 0.95
        ([12.0, 11.45, 11.0, 10.55, 10.0], 0.0, "lower-better", "some progress"),
        # falls 0.1 a year, significantly: ratio 0.17
        ([10.4, 10.31, 10.2, 10.1, 10.0], 0.0, "lower-better", "off track"),
        # rises 1 a year (significant) when it should fall
        ([6.0, 7.1, 8.0, 8.95, 10.0], 0.0, "lower-better", "moving away"),
        # already at or below the target
        ([6.0, 7.0, 8.0, 9.0, 10.0], 12.0, "lower-better", "target met"),
        # higher is better: already above
        ([9.0, 9.0, 9.0, 9.0, 10.0], 9.5, "higher-better", "target met"),
        # flat: slope 0, ratio 0, off track
        ([10.0, 10.0, 10.0, 10.0, 10.0], 0.0, "lower-better", "off track"),
        # falls noisily at 85% of the pace needed, not significantly: some progress at most
        ([13.0, 8.0, 13.0, 9.0, 10.0], 0.0, "lower-better", "some progress"),
    ],
)
def test_status_for_synthetic_series(values, target, polarity, expected):
    a = assess(values[-1], 2023.0, target, 2040, polarity, _trend(values, polarity))
    assert a.status == expected


def test_on_track_ratio_is_hand_computed():
    values = [14.0, 13.1, 12.0, 11.05, 10.0]
    a = assess(10.0, 2023.0, 0.0, 2040, "lower-better", _trend(values))
    t_bar = 2021.0
    y_bar = sum(values) / 5
    slope = sum((t - t_bar) * (y - y_bar) for t, y in zip(YEARS, values, strict=True)) / 10
    assert a.observed_annual_change == pytest.approx(slope)
    assert a.required_annual_change == pytest.approx(-10 / 17)
    assert a.ratio == pytest.approx(slope / (-10 / 17))


def test_wrong_direction_not_significant_is_off_track_not_moving_away():
    noisy = [10.0, 7.0, 12.0, 8.0, 10.5]  # slope up, far from significant
    a = assess(10.5, 2023.0, 0.0, 2040, "lower-better", _trend(noisy))
    assert a.observed_annual_change > 0
    assert a.status == "off track"
    assert a.reason == (
        "the recent points lean away from the target, but not significantly: it could be chance"
    )


def test_fast_but_not_significant_is_only_some_progress():
    # the two strong words need a significant trend; the reason says when it is not
    assert status_for_ratio(5.0, significant=False) == "some progress"
    assert status_for_ratio(ON_TRACK_RATIO, significant=False) == "some progress"
    assert status_for_ratio(-2.0, significant=False) == "off track"
    assert status_for_ratio(ON_TRACK_RATIO, significant=True) == "on track"
    assert status_for_ratio(SOME_PROGRESS_RATIO, significant=True) == "some progress"
    assert status_for_ratio(SOME_PROGRESS_RATIO - 0.01, significant=True) == "off track"
    assert status_for_ratio(-0.01, significant=True) == "moving away"


def test_a_noisy_fast_change_says_it_leans_and_could_be_chance():
    noisy = [13.0, 8.0, 13.0, 9.0, 10.0]  # slope -0.5 a year against -10/17 needed
    a = assess(10.0, 2023.0, 0.0, 2040, "lower-better", _trend(noisy))
    assert a.observed_annual_change == pytest.approx(-0.5)
    assert a.status == "some progress"
    assert a.reason == (
        "the recent points lean toward the target, at 85% of the pace needed, but not "
        "significantly: it could be chance"
    )


def test_too_few_points_is_not_assessable():
    tr = trend([2022.0, 2023.0], [11.0, 10.0], polarity="lower-better")
    a = assess(10.0, 2023.0, 0.0, 2040, "lower-better", tr)
    assert a.status == "not assessable"
    assert a.required_annual_change == pytest.approx(-10 / 17)


def test_no_polarity_past_target_year_and_missing_target_are_not_assessable():
    tr = _trend([14.0, 13.0, 12.0, 11.0, 10.0])
    assert assess(10.0, 2023.0, 0.0, 2040, "none", tr).status == "not assessable"
    assert assess(10.0, 2041.0, 0.0, 2040, "lower-better", tr).status == "not assessable"
    assert assess(10.0, 2023.0, math.nan, 2040, "lower-better", tr).status == "not assessable"


def test_each_missing_piece_has_its_own_reason():
    tr = _trend([14.0, 13.0, 12.0, 11.0, 10.0])
    assert assess(math.nan, 2023.0, 0.0, 2040, "lower-better", tr).reason == (
        "no latest value for this area"
    )
    why = "no England figure to compare with, so no 2040 target (England's latest value)"
    assert assess(10.0, 2023.0, math.nan, 2040, "lower-better", tr, why).reason == why


def test_required_change_is_linear():
    assert required_change(80.0, 2025.0, 83.0, 2040) == pytest.approx(0.2)
    assert math.isnan(required_change(80.0, 2040.0, 83.0, 2040))


def test_the_reason_says_direction_and_pace_in_words():
    """No bare ratio such as '60.20 times' or '-2.15 times': direction first, pace in words."""
    assert pace_words(60.2, True) == "changing in the right direction at 60 times the pace needed"
    assert pace_words(1.0, True) == "changing in the right direction at about the pace needed"
    assert pace_words(0.4, False) == (
        "the recent points lean toward the target, at 40% of the pace needed, but not "
        "significantly: it could be chance"
    )
    assert pace_words(5.2, False) == (
        "the recent points lean toward the target, at 5 times the pace needed, but not "
        "significantly: it could be chance"
    )
    assert pace_words(-2.15, True) == "moving away from the target"
    tr = _trend([14.0, 13.0, 12.0, 11.0, 10.0])  # falling 1 a year; 0.5 a year is needed
    reason = assess(10.0, 2023.0, 0.0, 2043, "lower-better", tr).reason
    assert reason == "changing in the right direction at 2 times the pace needed"
