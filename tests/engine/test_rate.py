"""Rating against each group: averages, ranks, quartiles, verdicts (lutonwb/engine/rate.py)."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from lutonwb.engine import Engine
from lutonwb.engine.rate import _group_fifths, _rag_letters, _trend_notes
from tests.engine.build import (
    B_,
    C_,
    ENG,
    H_,
    LUTON,
    _row,
    make_areas,
    make_catalogue,
    make_values,
    row,
)


# -- ratings -----------------------------------------------------------------------------------------
# Life expectancy 2021-23, higher is better. Values: Luton 80 (79.5-80.5), B 82, C 80, D 83, E 78, F 81,
# G 84, H 80, I 79, J 85; England 82 (81.9-82.1); East 82.5. All-UTLA ranks: J1 G2 D3 B4 F5, A=C=H 6, I9, E10.
@pytest.mark.parametrize(
    ("group", "custom", "avg", "rank", "size", "quartile", "vs_group"),
    [
        ("england", (), 82.0, 6, 10, 3, "Worse"),  # floor(4*5/10)+1 = 3
        ("all", (), (812 - 80) / 9, 6, 10, 3, "Worse"),
        (
            "region",
            (),
            82.5,
            4,
            6,
            3,
            "Worse",
        ),  # D, B, F above; tie with C shares 4; floor(4*3/6)+1
        ("cssnbt-2021", (), (82 + 84 + 78) / 3, 3, 4, 3, "Worse"),  # B, G better; floor(4*2/4)+1
        (
            "custom",
            (C_, H_, "bad"),
            80.0,
            1,
            3,
            1,
            "Similar",
        ),  # ties share the best rank; CI touches? includes 80
    ],
)
def test_life_expectancy_against_each_group(
    eng, group, custom, avg, rank, size, quartile, vs_group
):
    r = row(eng.scorecard(LUTON, group, custom), "le")
    assert r["period"] == "2021-23"
    assert (r["value"], r["lower_ci"], r["upper_ci"]) == (80, 79.5, 80.5)
    assert r["england"] == 82 and r["region"] == 82.5
    assert r["group_average"] == pytest.approx(avg)
    assert (r["rank"], r["group_size"], r["quartile"]) == (rank, size, quartile)
    assert (r["vs_england"], r["vs_england_method"], r["rag_england"]) == ("Worse", "ci", "R")
    assert (r["vs_region"], r["rag_region"]) == ("Worse", "R")
    assert r["vs_group"] == vs_group
    assert r["trend"] == "Getting better" and r["trend_method"] == "wls" and r["n_points"] == 5
    assert not r["worse_and_worsening"]


def test_source_judgement_and_no_region(eng):
    r = row(eng.scorecard(LUTON, "region"), "smk")
    assert r["value"] == pytest.approx(15.0)  # 0.15 x scale 100
    assert (r["vs_england"], r["vs_england_method"]) == ("Worse", "source")
    assert (r["vs_region"], r["vs_region_method"]) == ("Not compared", "")
    # region group without a region figure: no average (never an unweighted mean of B 10, C 20)
    assert pd.isna(r["group_average"]) and r["group_average_method"] == ""
    # no interval against the group: its position by the seeds' rank rule, never coloured RAG
    assert (r["vs_group"], r["vs_group_method"], r["rag_group"]) == (
        "Middle three fifths",
        "quintile",
        "",
    )
    assert (r["rank"], r["group_size"]) == (2, 3)  # lower is better: B 10, Luton 15, C 20
    assert r["trend"] == "Not enough data"


def test_no_polarity_is_never_coloured(eng):
    r = row(eng.scorecard(LUTON, "england"), "pay")
    assert (r["vs_england"], r["rag_england"]) == ("Lower", "")
    assert r["rank"] == 2  # highest value = 1 (B 700)


def test_latest_is_the_home_areas_latest(eng):
    r = row(eng.scorecard(LUTON, "england"), "gld")
    assert (r["period"], r["value"], r["england"], r["vs_england"]) == (
        "2022/23",
        61.1,
        67.2,
        "Lower",
    )
    r = row(eng.scorecard(B_, "england"), "gld")
    assert (r["period"], r["value"], r["england"]) == ("2023/24", 70, 68)


def test_period_label(eng):
    sc = eng.scorecard(LUTON, "england", period="2019-21")
    r = row(sc, "le")
    assert (r["period"], r["value"], r["england"]) == ("2019-21", 79.0, 82.0)
    assert r["trend_method"] == "wls" and r["n_points"] == 3
    assert row(sc, "smk")["vs_england"] == "Not compared"


def test_worse_and_worsening():
    vals = make_values()
    flip = (
        (vals["series"] == "t/le")
        & (vals["area_code"] == LUTON)
        & (vals["sex"] == "Female")
        & (vals["category_type"] == "")
    )
    vals.loc[flip, ["value", "lower_ci", "upper_ci"]] = vals.loc[
        flip, ["value", "lower_ci", "upper_ci"]
    ].to_numpy()[::-1]
    e = Engine.from_frames(make_catalogue(), vals, make_areas())
    r = row(e.scorecard(LUTON, "england"), "le")
    assert (r["value"], r["vs_england"], r["trend"], r["worse_and_worsening"]) == (
        78,
        "Worse",
        "Getting worse",
        True,
    )


def test_real_luton_female_life_expectancy(real):
    s = real.measure_series("life-expectancy-female", "E06000032", "cssnbt-2021")
    home = s[(s["role"] == "home") & (s["period"] == "2020-22")]
    assert home["value"].tolist() == [81.3]  # as the APHR 2023 seed says
    assert {"home", "england", "group average"} <= set(s["role"])


def test_real_cssnbt_2021_for_luton(real):
    names = [real.area_name(c) for c in real.group_members("cssnbt-2021", "E06000032")]
    assert names == [
        "Birmingham",
        "Slough",
        "Sandwell",
        "Bradford",
        "Enfield",
        "Walsall",
        "Hillingdon",
        "Derby",
        "Redbridge",
        "Peterborough",
    ]


def test_real_good_level_of_development(real):
    s = real.measure_series("good-level-of-development", "E06000032", "england")
    # the build relabels DfE LAIT's end year "2023" as the school year 2022/23
    at = s[s["period"] == "2022/23"].set_index("role")["value"]
    assert (at["home"], at["england"]) == (61.1, 67.2)
    assert not s["period"].isin(["2023", "2025"]).any()


def test_real_rate_everything_is_fast(real):
    groups = ["england", "region", "cssnbt-2021", "cssnbt-2025", "similar", "all"]
    for g in groups:
        real.rate_all(g)  # cold: builds and caches
    t0 = time.perf_counter()
    total = sum(len(real.rate_all(g)) for g in groups)
    warm = time.perf_counter() - t0
    assert total == len(groups) * len(real.authorities()) * len(real.cat.measures)
    assert warm < 0.1
    t0 = time.perf_counter()
    real.scorecard("E06000039", "similar")
    assert time.perf_counter() - t0 < 0.5


def test_stale_when_three_years_behind_england():
    vals = make_values()
    keep = ~((vals["series"] == "t/gld") & (vals["area_code"] == LUTON))
    vals = vals[keep]
    vals = pd.concat(
        [vals, pd.DataFrame([_row("t/gld", LUTON, "2017", 2017, 60.0)])], ignore_index=True
    )
    e = Engine.from_frames(make_catalogue(), vals, make_areas())
    r = row(e.scorecard(LUTON, "england"), "gld")
    eng_end = vals.loc[(vals["series"] == "t/gld") & (vals["area_code"] == ENG), "period_end"].max()
    assert r["stale"] == (pd.Timestamp("2017-12-31") < eng_end - pd.DateOffset(years=3))
    assert r["stale"] and "more than 3 years" in r["stale_note"]


def test_rag_letters_of_a_column_of_verdict_words():
    words = pd.Series(["Worse", "Similar", "Better", "Not compared", "Higher", None, "Best fifth"])
    assert list(_rag_letters(words)) == ["R", "A", "G", "", "", "", ""]


def test_group_fifths_words_only_where_no_tested_comparison():
    g = pd.DataFrame(
        {
            "rank": [1.0, 8.0, 16.0, 16.0, 2.0, 3.0, None],
            "group_size": [16.0] * 7,
            "polarity": ["lower-better", "higher-better", "lower-better", "none", "none",
                         "lower-better", "lower-better"],
            "value": [1.0, 2.0, 3.0, 4.0, 5.0, None, 7.0],
            "vs_group": ["Not tested"] * 4 + ["Worse", "Not compared", "Not compared"],
            "vs_group_method": ["", "", "", "", "ci", "", ""],
        }
    )  # fmt: skip
    out = _group_fifths(g)
    assert list(out["vs_group"]) == [
        "Best fifth", "Middle three fifths", "Worst fifth", "Lowest fifth",
        "Worse", "Not compared", "Not compared",
    ]  # fmt: skip
    assert list(out["vs_group_method"]) == ["quintile"] * 4 + ["ci", "", ""]


def test_trend_notes_name_each_no_trend_measures_reason(extra):
    ids = pd.Series(["chk", "brk", "unknown", None, "chk"])
    assert list(_trend_notes(extra.state, ids)) == [
        "cumulative series", "", "", "", "cumulative series"
    ]  # fmt: skip
    every = extra.rate_all("england")
    judged = every[every["measure_id"] != "chk"]
    assert set(judged["trend_note"]) == {""}
    assert (judged["trend"] != "Not applicable").all()
