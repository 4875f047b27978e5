"""The overview's lists: biggest gaps, clearest improvements, worse and getting worse."""

from __future__ import annotations

import pandas as pd
import pytest

from lutonwb import highlights
from lutonwb.catalogue import load_catalogue
from lutonwb.config import catalogue_path
from lutonwb.engine import Engine

LUTON = "E06000032"


@pytest.fixture(scope="module")
def sc(wh) -> pd.DataFrame:
    return Engine(wh, load_catalogue(catalogue_path())).scorecard(LUTON, "cssnbt-2021")


def _card(rows: list[dict]) -> pd.DataFrame:
    base = {"measure_id": "m", "title": "M", "period": "2023", "unit": "%", "value_type": "percentage",
            "decimals": 1, "trend": "No trend", "trend_method": "none", "n_points": 3, "worse_and_worsening": False,
            "vs_england": "Worse", "polarity": "higher-better", "stale": False}  # fmt: skip
    return pd.DataFrame([{**base, **r} for r in rows])


def test_gap_sign_follows_polarity() -> None:
    card = _card([
        {"measure_id": "a", "value": 60.0, "england": 80.0, "polarity": "higher-better"},
        {"measure_id": "b", "value": 12.0, "england": 10.0, "polarity": "lower-better"},
    ])  # fmt: skip
    gaps = highlights.biggest_gaps(card)
    assert list(gaps["measure_id"]) == ["a", "b"]  # 25% worse before 20% worse
    assert gaps["gap_pct"].round(6).tolist() == [25.0, 20.0]  # positive = worse, every page
    assert gaps["gap_words"].tolist() == ["25.0% worse than England", "20.0% worse than England"]


def test_lists_skip_what_cannot_be_compared() -> None:
    card = _card([
        {"measure_id": "no-england", "value": 5.0, "england": None},
        {"measure_id": "no-polarity", "value": 5.0, "england": 9.0, "polarity": "none"},
        {"measure_id": "similar", "value": 5.0, "england": 9.0, "vs_england": "Similar"},
    ])  # fmt: skip
    assert highlights.biggest_gaps(card).empty


def test_biggest_gaps_on_lutons_data(sc: pd.DataFrame) -> None:
    gaps = highlights.biggest_gaps(sc)
    assert 0 < len(gaps) <= highlights.TOP
    assert set(gaps["vs_england"]) == {"Worse"}
    assert gaps["gap_pct"].is_monotonic_decreasing and (gaps["gap_pct"] > 0).all()
    assert gaps["gap_words"].str.endswith("% worse than England").all()
    first = sc.set_index("measure_id").loc[gaps.loc[0, "measure_id"]]
    sign = -1 if first["polarity"] == "higher-better" else 1
    expected = sign * (first["value"] - first["england"]) / abs(first["england"]) * 100
    assert gaps.loc[0, "gap_pct"] == pytest.approx(expected)
    worse = sc[(sc["vs_england"] == "Worse") & (sc["polarity"] != "none") & sc["england"].notna()]
    assert len(gaps) == min(highlights.TOP, len(worse))


def test_improvements_and_worsening_on_lutons_data(sc: pd.DataFrame) -> None:
    better = highlights.clearest_improvements(sc)
    assert set(better["trend"]) <= {"Getting better"}
    n_points = sc.set_index("measure_id").loc[better["measure_id"], "n_points"]
    assert n_points.is_monotonic_decreasing
    worsening = highlights.worse_and_worsening(sc)
    flagged = sc[sc["worse_and_worsening"].fillna(False).astype(bool)]
    assert list(worsening["measure_id"]) == list(flagged["measure_id"])
    assert set(worsening["vs_england"]) <= {"Worse"}


def test_a_period_with_no_data_gives_empty_lists_not_an_error() -> None:
    # ?period=1950: every value and England figure missing, held as objects (issue 20 finding 3)
    card = _card([{"measure_id": "a", "value": None, "england": None}]).astype(
        {"value": object, "england": object}
    )
    assert highlights.relative_gap_pct(card).isna().all()
    assert highlights.biggest_gaps(card).empty
    assert highlights.clearest_improvements(card).empty


def test_improvements_put_current_data_before_stale_data() -> None:
    card = _card([
        {"measure_id": "old", "value": 90.0, "england": 80.0, "trend": "Getting better",
         "n_points": 12, "stale": True},
        {"measure_id": "new", "value": 90.0, "england": 80.0, "trend": "Getting better",
         "n_points": 4, "stale": False},
    ])  # fmt: skip
    assert list(highlights.clearest_improvements(card)["measure_id"]) == ["new", "old"]
