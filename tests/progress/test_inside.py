"""Gaps inside the place: fifths, SII and verdicts checked against hand-computed sums of real rows
(fuel poverty 2018, children in low-income families 2020/21) and synthetic series."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lutonwb.place import load_place
from lutonwb.progress import inside
from lutonwb.progress.trend import gap_verdict

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def luton():
    return load_place(ROOT / "data" / "places" / "luton")


def test_fifths_split_near_equal_groups_most_deprived_first():
    order = pd.Series(range(1, 22))  # 21 areas: 5, 4, 4, 4, 4
    assert inside.fifth_of(order).value_counts().sort_index().tolist() == [5, 4, 4, 4, 4]
    assert inside.fifth_of(order).iloc[0] == 1 and inside.fifth_of(order).iloc[-1] == 5


def test_fifths_gap_by_hand():
    # ten areas, two per fifth: most deprived fifth 30 of 100, least 10 of 100
    areas = pd.DataFrame(
        {
            "count": [20, 10, 8, 8, 8, 8, 8, 8, 5, 5],
            "denominator": [50, 50, 50, 50, 50, 50, 50, 50, 50, 50],
            "order": range(1, 11),
        }
    )
    g = inside.fifths_gap(areas)
    assert g["most_deprived_fifth"] == pytest.approx(30.0)
    assert g["least_deprived_fifth"] == pytest.approx(10.0)
    assert g["gap"] == pytest.approx(20.0)
    assert g["gap_lower"] < 20 < g["gap_upper"]
    assert g["sii"] > 0  # higher rates in more deprived areas
    # one rule for both columns: positive = worse in the more deprived fifth, so a measure where
    # higher is better turns both round together (issue 18: the two gaps never disagree in sign)
    up = inside.fifths_gap(areas, "higher-better")
    assert up["gap"] == pytest.approx(-20.0) and up["sii"] == pytest.approx(-g["sii"])


def test_fuel_poverty_2018_by_hand(wh, luton):
    # 121 LSOAs by IMD 2019 rank: the 25 most deprived hold 2,263 fuel-poor of 17,230
    # households; the 24 least deprived 982 of 14,193 (sums of the DESNZ rows)
    g = inside.fuel_poverty_gaps(wh, luton)
    row = g.table.set_index("year").loc[2018]
    assert row["definition"] == "Low Income High Costs"
    assert row["most_deprived_fifth"] == pytest.approx(100 * 2263 / 17230)
    assert row["least_deprived_fifth"] == pytest.approx(100 * 982 / 14193)
    assert row["gap"] == pytest.approx(100 * (2263 / 17230 - 982 / 14193))
    assert g.table["year"].tolist() == list(range(2012, 2023))


def test_fuel_poverty_definition_change_is_a_break(wh, luton):
    g = inside.fuel_poverty_gaps(wh, luton)
    assert list(g.verdicts) == ["Low Income High Costs", "Low Income Low Energy Efficiency"]
    assert "last 4 points" in g.verdict.method  # LILEE 2019-2022 only, never across the break
    assert g.verdict.word == "narrowing"  # 12.3, 14.4, 15.1, 10.5 points: weighted slope down


def test_children_low_income_2021_by_hand(wh, luton):
    # most deprived fifth by IMD 2019 ward score: Farley, Northwell, South, Biscot;
    # least: Wigmore, Barnfield, Bramingham. Children = count / published percentage.
    g = inside.children_low_income_gaps(wh, luton)
    row = g.table.set_index("year").loc[2021]
    most = (952 + 601 + 911 + 1893) / (952 / 28.4 + 601 / 27.0 + 911 / 24.4 + 1893 / 37.9)
    least = (310 + 335 + 133) / (310 / 14.1 + 335 / 18.4 + 133 / 10.1)
    assert row["most_deprived_fifth"] == pytest.approx(most)
    assert row["least_deprived_fifth"] == pytest.approx(least)
    assert g.table["year"].tolist() == list(range(2015, 2022))
    assert "unweighted" in g.verdict.method  # no published limits: OLS and a t-test


def test_ward_moves(wh, luton):
    g = inside.ward_moves(wh, luton)
    t = g.table.set_index("ward")
    assert len(t) == 20
    assert sorted(t["rank_2025"]) == list(range(1, 21))
    assert t.loc["Central", ["rank_2019", "rank_2025"]].tolist() == [1, 1]
    assert (t["moved"] == t["rank_2019"] - t["rank_2025"]).all()
    assert g.verdict.word in ("narrowing", "widening", "no change")
    gaps = g.summary.set_index("edition")["decile_gap"]
    assert g.verdict.slope == pytest.approx(gaps["2025"] - gaps["2019"])


def test_place_without_local_data_gets_empty_results_and_a_notice(wh):
    example = load_place(ROOT / "data" / "places" / "example")
    for g in inside.inside_gaps(wh, example):
        assert g.table.empty and not g.verdicts
        assert "Coventry has no ward or neighbourhood data" in g.notice


@pytest.mark.parametrize(
    ("gaps", "word"),
    [
        ([10, 9, 8, 7, 6], "narrowing"),
        ([6, 7, 8, 9, 10], "widening"),
        ([-10, -9, -8, -7, -6], "narrowing"),
        ([8, 9, 8, 9, 8], "no significant change"),
        ([8, 9], "not enough data"),
    ],
)
def test_gap_verdict(gaps, word):
    years = list(range(2015, 2015 + len(gaps)))
    nan = [float("nan")] * len(gaps)
    assert gap_verdict(years, gaps, nan, nan, "gap").word == word


class _FuelRows:
    """A warehouse stand-in holding only the given fuel poverty rows (LSOA11 codes)."""

    def __init__(self, rows: pd.DataFrame) -> None:
        self.rows = rows

    def has_table(self, name: str) -> bool:
        return name == "fuel_poverty_lsoa"

    def table(self, name: str) -> pd.DataFrame:
        return self.rows


FUEL_COLUMNS = ["year", "metric", "lsoa_vintage", "lsoa_code", "fuel_poor_households", "households"]


def test_fuel_poverty_without_rows_says_not_enough_data(luton):
    g = inside.fuel_poverty_gaps(_FuelRows(pd.DataFrame(columns=FUEL_COLUMNS)), luton)
    assert g.table.empty and not g.verdicts and g.verdict is None
    assert g.notice.startswith("Not enough neighbourhoods with data")


def test_fuel_poverty_with_three_neighbourhoods_says_not_enough_data(luton, monkeypatch):
    codes = ["L1", "L2", "L3"]
    rows = pd.DataFrame(
        [(2020, "LILEE", "LSOA11", c, 10, 100) for c in codes], columns=FUEL_COLUMNS
    )
    order = pd.Series([1.0, 2.0, 3.0], index=codes)
    monkeypatch.setattr(inside, "lsoa_order", lambda wh, vintage: order)
    g = inside.fuel_poverty_gaps(_FuelRows(rows), luton)
    assert g.table.empty and g.notice.startswith("Not enough neighbourhoods")


@pytest.mark.parametrize("wards", [0, 3])
def test_decile_gap_needs_five_wards(wards):
    rank = pd.Series(range(1, wards + 1), index=[f"W{i}" for i in range(wards)], dtype=float)
    assert inside._decile_gap(rank, rank / 2) is None


def test_decile_gap_by_hand():
    # five wards, one a fifth: least deprived decile 9 minus most deprived 2
    rank = pd.Series([1, 2, 3, 4, 5], index=list("abcde"), dtype=float)
    decile = pd.Series([2, 4, 5, 7, 9], index=list("abcde"), dtype=float)
    assert inside._decile_gap(rank, decile) == 7.0


def test_ward_moves_with_three_wards_has_no_verdict(wh, luton, monkeypatch):
    import lutonwb.wards as wards

    lk = wards.lsoa21_wards(wh)
    three = lk[lk["ward_code"].isin(lk["ward_code"].drop_duplicates().head(3))]
    monkeypatch.setattr(wards, "lsoa21_wards", lambda _wh: three)
    g = inside.ward_moves(wh, luton)
    assert len(g.table) == 3
    assert g.verdict.word == "not enough data"
    assert "fewer than 5 wards" in g.verdict.method
    assert g.summary["decile_gap"].isna().all()


def test_ward_moves_with_no_wards_says_not_enough_data(wh, luton, monkeypatch):
    import lutonwb.wards as wards

    lk = wards.lsoa21_wards(wh)
    monkeypatch.setattr(wards, "lsoa21_wards", lambda _wh: lk.iloc[0:0])
    g = inside.ward_moves(wh, luton)
    assert g.table.empty and g.notice.startswith("Not enough wards")
