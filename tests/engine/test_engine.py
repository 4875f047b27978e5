"""The engine on hand-built tables (every number hand-worked below), then on the real warehouse."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from lutonwb.engine import CONTRACT_COLUMNS, Engine, EngineError, UnknownArea, UnknownGroup
from tests.engine.build import (
    B_,
    C_,
    E_,
    EAST_UTLAS,
    ENG,
    G_,
    H_,
    J_,
    LEGACY,
    LONDON_UTLAS,
    LUTON,
    B,
    Cat,
    M,
    _row,
    make_areas,
    make_catalogue,
    make_groups,
    make_reported,
    make_values,
)

# -- a small real catalogue (tests/engine/build.py) ---------------------------------------


@pytest.fixture(scope="module")
def eng() -> Engine:
    return Engine.from_frames(
        make_catalogue(), make_values(), make_areas(), make_groups(), make_reported()
    )


def row(df: pd.DataFrame, mid: str) -> pd.Series:
    return df.set_index("measure_id").loc[mid]


# -- groups ---------------------------------------------------------------------------------------
def test_authorities_are_current_utlas(eng):
    a = eng.authorities()
    assert set(a["area_code"]) == set(EAST_UTLAS + LONDON_UTLAS)
    assert a.set_index("area_code").loc[LUTON, "region_name"] == "East of England"


@pytest.mark.parametrize(
    ("group", "custom", "members"),
    [
        ("england", (), set(EAST_UTLAS + LONDON_UTLAS) - {LUTON}),
        ("all", (), set(EAST_UTLAS + LONDON_UTLAS) - {LUTON}),
        ("region", (), set(EAST_UTLAS) - {LUTON}),
        ("cssnbt-2021", (), {B_, G_, E_}),  # legacy Northamptonshire dropped
        ("cssnbt-2025", (), set()),
        ("custom", (C_, H_, "E99999999", "bad", LUTON), {C_, H_}),
    ],
)
def test_group_members(eng, group, custom, members):
    assert set(eng.group_members(group, LUTON, custom)) == members


def test_group_notes_name_what_was_dropped(eng):
    notes = eng.group_notes("cssnbt-2021", LUTON)
    assert any("Northamptonshire (E10000021)" in n for n in notes)
    notes = eng.group_notes("custom", LUTON, ["E99999999", C_])
    assert len(notes) == 1 and "E99999999" in notes[0]
    assert "No CSSNBT-2025" in eng.group_notes("cssnbt-2025", LUTON)[0]


def test_unknown_area_and_group(eng):
    with pytest.raises(UnknownArea):
        eng.scorecard("E99999999", "england")
    with pytest.raises(UnknownArea, match="not a current"):
        eng.scorecard(LEGACY, "england")
    with pytest.raises(UnknownGroup):
        eng.scorecard(LUTON, "cipfa")
    with pytest.raises(EngineError):
        eng.scorecard(LUTON, "england", board="no-such-board")


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
    # region group without a region row: mean of the other East authorities with a value (B 10, C 20)
    assert r["group_average"] == pytest.approx(15.0)
    assert (r["vs_group"], r["vs_group_method"], r["rag_group"]) == ("Similar", "not tested", "")
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


def test_reported_only_and_seed(eng):
    sc = eng.scorecard(LUTON, "england")
    r = row(sc, "lonely")
    assert pd.isna(r["value"]) and r["vs_england"] == "Not compared" and r["reported_only"]
    assert r["trend_method"] == "reported figures only"
    le = row(sc, "le")
    assert (le["seed_table"], le["seed_rag_region"], le["seed_trend"]) == (
        "JSNA 2022/23",
        "R",
        "No change",
    )
    assert row(eng.scorecard(B_, "england"), "le")["seed_table"] == ""  # seeds speak for Luton only


def test_scorecard_columns_and_filters(eng):
    sc = eng.scorecard(LUTON, "england")
    assert list(sc.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert list(sc["measure_id"]) == ["le", "smk", "pay", "gld", "lonely"]
    assert list(eng.scorecard(LUTON, "england", board="childrens-trust")["measure_id"]) == [
        "smk",
        "gld",
    ]
    assert list(eng.scorecard(LUTON, "england", principle=6)["measure_id"]) == ["le", "smk"]
    assert list(eng.scorecard(LUTON, "england", outcome="o1")["measure_id"]) == ["le"]


def test_summary(eng):
    s = eng.summary(eng.scorecard(LUTON, "england"), "principle").set_index("key")
    assert s.loc[6, ["measures", "better", "worse", "improving"]].tolist() == [2, 0, 2, 1]
    assert s.loc[3, "not_compared"] == 1


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


# -- one measure -------------------------------------------------------------------------------------
def test_measure_series(eng):
    s = eng.measure_series("le", LUTON, "cssnbt-2021")
    assert set(s["role"]) == {"home", "england", "region", "group average"}
    ga = s[(s["role"] == "group average") & (s["period"] == "2021-23")]
    assert ga["value"].iloc[0] == pytest.approx(81.333, abs=1e-3)
    assert len(s[s["role"] == "home"]) == 5
    assert "group average" not in set(eng.measure_series("le", LUTON, "england")["role"])


def test_measure_group_values(eng):
    g = eng.measure_group_values("le", LUTON, "cssnbt-2021")
    assert list(g["area_code"]) == [G_, B_, LUTON, E_]  # 84, 82, 80, 78
    assert list(g["rank"]) == [1, 2, 3, 4]
    assert g.set_index("area_code").loc[LUTON, "is_home"]
    assert g.set_index("area_code").loc[E_, "vs_home_benchmark"] == "Worse"  # 77.5-78.5 below 81.33


def test_measure_all_areas(eng):
    a = eng.measure_all_areas("le").set_index("area_code")
    assert len(a) == 10 and a.loc[J_, "quartile"] == 1 and a.loc[E_, "quartile"] == 4
    assert a.loc[C_, "vs_england"] == "Worse"  # upper limit 81 below England's 82
    assert a.loc[G_, "vs_england"] == "Better" and a.loc[G_, "rank"] == 2


def test_measure_breakdown(eng):
    b = eng.measure_breakdown("le", LUTON)
    got = set(zip(b["sex"], b["category"], b["value"], b["is_primary"], strict=True))
    assert got == {
        ("Female", "", 80.0, True),
        ("Male", "", 99.0, False),
        ("Female", "Most deprived", 70.0, False),
    }


def test_unknown_measure(eng):
    with pytest.raises(EngineError):
        eng.measure_series("nope", LUTON, "england")


# -- the real warehouse and catalogue ------------------------------------------------------------
REAL_AREAS = [
    "E06000032",
    "E06000039",
    "E08000025",
    "E06000052",
]  # Luton, Slough, Birmingham, Cornwall


@pytest.fixture(scope="module")
def real(wh):
    from lutonwb.catalogue import load_catalogue

    return Engine(wh, load_catalogue(), snapshot=False)  # the live computation, always


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


def test_real_similar_areas_are_fifteen_open_neighbours(real):
    members = real.group_members("similar", "E06000032")
    assert len(members) == 15 and "E06000032" not in members
    text = real.similar_areas_method()
    assert "licensed product" in text and "Variables used in this build" in text


@pytest.mark.parametrize("area", REAL_AREAS)
@pytest.mark.parametrize(
    "group", ["england", "region", "cssnbt-2021", "cssnbt-2025", "similar", "all", "custom"]
)
def test_real_scorecards(real, area, group):
    custom = ["E06000039", "E08000025", "E06000001", "E99999999"] if group == "custom" else ()
    sc = real.scorecard(area, group, custom)
    assert list(sc.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert len(sc) == len(real.cat.measures) and set(sc["home_area"]) == {area}
    rated = sc[sc["value"].notna()]
    assert len(rated) > 30
    # every rated row has a rank within its group; vs words and RAG letters from the fixed sets
    assert rated["rank"].notna().all() and (rated["rank"] <= rated["group_size"]).all()
    assert set(sc["vs_group"]) <= {"Better", "Similar", "Worse", "Higher", "Lower", "Not compared"}
    assert set(sc["rag_group"]) <= {"R", "A", "G", ""}
    assert (sc.loc[sc["value"].isna(), "vs_england"] == "Not compared").all()
    if group == "custom":
        assert any("E99999999" in n for n in sc.attrs["notes"])
        assert (
            rated["group_size"].max() <= 4
        )  # three valid codes (or two + home) plus the home area
    if group in ("cssnbt-2021", "cssnbt-2025"):
        assert rated["group_size"].max() <= 11


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


# -- bindings, breaks, computed limits, notes (hand-built) ---------------------------------------
def _quarter_row(series, code, q, value):
    """A cumulative quarterly point: every period starts 2021-04-01."""
    end = pd.Timestamp("2021-04-01") + pd.DateOffset(months=3 * q) - pd.Timedelta(days=1)
    r = _row(series, code, f"Q{q}", 2021, value)
    r.update(period_start=pd.Timestamp("2021-04-01"), period_end=end)
    return r


def make_extra():
    ms = [
        # two bindings: the first stops in 2019, the second runs to 2023 -> the second is used
        M(
            "ow",
            "Overweight",
            "%",
            "percentage",
            "lower-better",
            (B("t/ow-old"), B("t/ow-new", source="Newer publisher", note="same definition")),
            default_comparator="cssnbt-2021",
            boards=("childrens-trust",),
        ),
        # ties on the latest period end go to the first listed
        M("tie", "Tie", "%", "percentage", "lower-better", (B("t/tie-a"), B("t/tie-b"))),
        M(
            "chk",
            "Health checks",
            "%",
            "percentage",
            "higher-better",
            (B("t/chk"),),
            trend="none",
            trend_note="cumulative series",
            default_comparator="similar",
        ),
        M(
            "brk",
            "Break",
            "%",
            "percentage",
            "higher-better",
            (B("t/brk"),),
            trend_from="2019-01-01",
            default_comparator="similar",
        ),
        M("fp", "Fuel poverty", "%", "percentage", "lower-better", (B("t/fp"),)),
        M("inj", "Injuries", "per 100,000", "rate", "lower-better", (B("t/inj"),)),
    ]
    rows = []
    for i, y in enumerate(range(2015, 2020)):
        for code in (LUTON, B_, ENG):
            rows.append(_row("t/ow-old", code, str(y), y, 30 + i, 29 + i, 31 + i))
    for i, y in enumerate(range(2019, 2024)):
        for code in (LUTON, B_, ENG):
            rows.append(_row("t/ow-new", code, str(y), y, 40 - i))
    for code in (LUTON, ENG):
        rows.append(_row("t/tie-a", code, "2020", 2020, 11.0))
        rows.append(_row("t/tie-b", code, "2020", 2020, 22.0))
    # cumulative: rises every quarter; added out of order on purpose
    for q, v in ((4, 40.0), (1, 10.0), (3, 30.0), (2, 20.0), (5, 50.0)):
        rows.append(_quarter_row("t/chk", LUTON, q, v))
        rows.append(_quarter_row("t/chk", ENG, q, v / 2))
    # a break: 2015-2018 fall steeply, 2019-2023 flat with noise -> no significant change
    for i, y in enumerate(range(2015, 2019)):
        rows.append(_row("t/brk", LUTON, str(y), y, 90 - 10 * i))
    for y, v in zip(range(2019, 2024), (50, 51, 49, 50, 50.5), strict=True):
        rows.append(_row("t/brk", LUTON, str(y), y, v))
    # count and denominator, no limits: Luton 150/1000 = 15%, England 10%; C_ a zero from 3
    rows.append(_row("t/fp", LUTON, "2022", 2022, 15.0, count=150, denom=1000))
    rows.append(_row("t/fp", ENG, "2022", 2022, 10.0, count=10000, denom=100000))
    rows.append(_row("t/fp", B_, "2016", 2016, 12.0, count=120, denom=1000))
    rows.append(_row("t/fp", B_, "2022", 2022, 9.9, count=99, denom=1000))
    rows.append(_row("t/fp", C_, "2022", 2022, 0.0, count=0, denom=3))
    # a crude rate: 40 events in 100,000 = 40 per 100,000
    rows.append(_row("t/inj", LUTON, "2022", 2022, 40.0, count=40, denom=100000))
    rows.append(_row("t/inj", ENG, "2022", 2022, 30.0))
    cat = Cat({m.id: m for m in ms})
    return Engine.from_frames(cat, pd.DataFrame(rows), make_areas())


@pytest.fixture(scope="module")
def extra() -> Engine:
    return make_extra()


def test_binding_with_most_recent_data_is_used(extra):
    r = row(extra.scorecard(LUTON, "england"), "ow")
    assert (r["period"], r["value"], r["series"]) == ("2023", 36, "t/ow-new")
    assert r["source"] == "Newer publisher" and r["source_note"] == "same definition"
    assert r["alternate_series"] == "t/ow-old"
    assert r["trend"] == "Getting better"  # 40 -> 36, not the old series' rise
    assert [b.series for b in extra.alternates("ow")] == ["t/ow-old"]
    t = row(extra.scorecard(LUTON, "england"), "tie")
    assert (t["series"], t["value"], t["source"]) == ("t/tie-a", 11.0, "test source")


def test_cumulative_series_ordered_by_end_and_no_trend(extra):
    r = row(extra.scorecard(LUTON, "england"), "chk")
    assert (r["period"], r["value"]) == ("Q5", 50.0)  # the latest by period end
    assert r["trend"] == "Not applicable" and r["trend_method"] == "cumulative series"
    assert r["trend_note"] == "cumulative series"
    s = extra.measure_series("chk", LUTON, "england")
    home = s[s["role"] == "home"]
    assert home["value"].tolist() == [10.0, 20.0, 30.0, 40.0, 50.0]
    assert home["period_end"].is_monotonic_increasing
    assert "Not applicable" in __import__("lutonwb.engine").engine.TREND_WORDS


def test_trend_from_drops_points_before_the_break(extra):
    r = row(extra.scorecard(LUTON, "england"), "brk")
    assert (r["trend"], r["n_points"]) == ("No significant change", 5)
    s = extra.measure_series("brk", LUTON, "england")
    home = s[s["role"] == "home"].set_index("period")["before_break"]
    assert home.loc[["2015", "2018"]].tolist() == [True, True]
    assert home.loc[["2019", "2023"]].tolist() == [False, False]


def test_computed_limits_rate_the_comparison(extra):
    r = row(extra.scorecard(LUTON, "england"), "fp")
    lo, hi = wilson = __import__("lutonwb.stats").stats.wilson_ci(150, 1000)
    assert r["lower_ci"] == pytest.approx(100 * lo) and r["upper_ci"] == pytest.approx(100 * hi)
    assert wilson[0] * 100 > 10  # the interval lies above England's 10%
    assert (r["vs_england"], r["vs_england_method"], r["rag_england"]) == (
        "Worse",
        "ci (computed)",
        "R",
    )
    inj = row(extra.scorecard(LUTON, "england"), "inj")
    lo, hi = __import__("lutonwb.stats").stats.rate_ci(40, 100000)
    assert (inj["lower_ci"], inj["upper_ci"]) == (pytest.approx(lo), pytest.approx(hi))
    assert inj["vs_england_method"] == "ci (computed)" and inj["vs_england"] == "Similar"


def test_summary_splits_not_tested_from_not_compared(extra):
    sc = extra.scorecard(LUTON, "england")
    s = extra.summary(sc, "board").set_index("key").loc["health-equity-town"]
    # tie (11 v 11) and chk (50 v 25) have no limits: not tested; brk has no England value;
    # fp is Worse and inj Similar on computed limits
    cols = ["measures", "better", "similar", "worse", "not_tested", "not_compared"]
    assert s[cols].tolist() == [5, 0, 1, 1, 2, 1]


def test_stale_small_zero_and_missing_benchmark_notes(extra):
    b = row(extra.scorecard(B_, "england"), "fp")
    assert not b["stale"] and b["period"] == "2022"
    sc = extra.scorecard(LUTON, "england")
    assert not sc["stale"].any()
    c = row(extra.scorecard(C_, "all"), "fp")
    assert pd.isna(c["rank"]) and c["rank_note"].startswith("not ranked")
    r = row(sc, "brk")
    assert r["england_note"] == "the source publishes no England figure"
    assert r["region_note"] == "the source publishes no region figure"


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


def test_default_group(extra):
    assert extra.default_group(measure_id="ow") == "cssnbt-2021"
    assert extra.default_group("childrens-trust") == "cssnbt-2021"
    # health-equity-town: tie, fp, inj england (3) v chk, brk similar (2)
    assert extra.default_group("health-equity-town") == "england"


def test_real_fresher_binding_is_used(real):
    sc = real.scorecard("E06000032", "cssnbt-2021").set_index("measure_id")
    y6 = sc.loc["overweight-obese-year-6"]
    assert (y6["series"], y6["value"]) == ("lait/ExcessYr6", 39.5)
    assert y6["trend"] != "Getting worse" and "LAIT" in y6["source"]
    assert sc.loc["overweight-obese-reception", "series"] == "lait/ExcessRec"
    clif = sc.loc["children-low-income-families"]
    assert clif["series"].endswith("children-in-relative-poverty-before-housing-costs")
    assert clif["value"] == pytest.approx(31.6557, abs=1e-3)  # FYE 2025 (PROVENANCE 8b)
    assert clif["england_note"] == "the source publishes no England figure"
    assert sc.loc["adult-overweight-obesity", "series"] == "fingertips/overweight_adult"
    assert sc.loc["nhs-health-checks", "trend"] == "Not applicable"
    assert sc.loc["median-weekly-pay", "trend"] == "Not applicable"


def test_real_similar_group_uses_deprivation(real):
    from lutonwb.comparators import SIMILAR_VARIABLES

    members = real.group_members("similar", "E06000032")
    assert len(members) == 15 and set(members) <= set(real.authorities()["area_code"])
    text = real.similar_areas_method()
    for var in SIMILAR_VARIABLES:
        assert var.label in text
    assert "iod_la" in text and "Not available in this build" not in text


def test_real_default_group_for_adult_board(real):
    assert real.default_group("health-equity-town") == "similar"
    assert real.default_group("childrens-trust") == "cssnbt-2021"


def test_binding_years_keeps_one_period_shape(wh) -> None:
    """smoking-routine-manual binds the 3-year pooled estimates only (the extract mixes shapes)."""
    from lutonwb.catalogue import load_catalogue
    from lutonwb.engine import Engine

    eng = Engine(wh, load_catalogue())
    s = eng.measure_series("smoking-routine-manual", "E06000032", "england")
    home = s[s["role"] == "home"]
    assert len(home) >= 3
    assert all("-" in p for p in home["period"]), list(home["period"])
    assert home.sort_values("period_end")["period"].iloc[-1] == "2022-24"


# -- precomputed ratings (snapshot beside the build) -----------------------------------------------
@pytest.fixture(scope="module")
def wh_copy(warehouse_dir, tmp_path_factory):
    """A private copy of the built warehouse, so snapshots written here touch nobody else."""
    import shutil

    from lutonwb.db import Warehouse

    folder = tmp_path_factory.mktemp("wh-snapshot") / "build"
    shutil.copytree(warehouse_dir.resolve(), folder, ignore=shutil.ignore_patterns("engine"))
    return Warehouse(folder)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False, check_exact=True
    )


def test_snapshot_gives_exactly_the_live_ratings(wh_copy):
    from lutonwb.catalogue import load_catalogue
    from lutonwb.engine import SNAPSHOT_GROUPS, snapshot_folder

    cat = load_catalogue()
    folder = snapshot_folder(wh_copy, cat)
    assert not folder.exists()
    live = Engine(wh_copy, cat, snapshot=False)
    assert not folder.exists()  # snapshot=False never writes
    Engine(wh_copy, cat)  # no snapshot yet: computes and saves one
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["grid.parquet", "meta.json", "periods.parquet", "rows.parquet", "similar.parquet"]
        + [f"rate-{g}.parquet" for g in SNAPSHOT_GROUPS]
    )
    loaded = Engine(wh_copy, cat)
    assert loaded.state.snapshot == folder and loaded.state.raw_rows is None  # values not read yet
    for g in SNAPSHOT_GROUPS:
        _same(live.rate_all(g), loaded.rate_all(g))
    custom = ["E06000039", "E08000025", "E06000052"]
    _same(live.rate_all("custom", custom), loaded.rate_all("custom", custom))
    _same(live.rate_all("region", (), "2018 - 20"), loaded.rate_all("region", (), "2018 - 20"))
    for g in ("similar", "cssnbt-2021", "custom"):
        c = custom if g == "custom" else ()
        _same(live.scorecard("E06000032", g, c), loaded.scorecard("E06000032", g, c))
    for mid in ("life-expectancy-female", "good-level-of-development", "smoking-routine-manual"):
        _same(
            live.measure_series(mid, "E06000032", "similar"),
            loaded.measure_series(mid, "E06000032", "similar"),
        )
        _same(
            live.measure_group_values(mid, "E06000032", "cssnbt-2021"),
            loaded.measure_group_values(mid, "E06000032", "cssnbt-2021"),
        )
        _same(live.measure_breakdown(mid, "E06000032"), loaded.measure_breakdown(mid, "E06000032"))
    assert live.similar_areas_method() == loaded.similar_areas_method()
    _same(live.similar_areas(), loaded.similar_areas())


def test_snapshot_is_not_used_for_another_catalogue(wh_copy):
    """Change one measure's polarity: the key changes, so the old ratings are never served."""
    import dataclasses

    from lutonwb.catalogue import load_catalogue
    from lutonwb.engine import snapshot_folder

    cat = load_catalogue()
    before = Engine(wh_copy, cat).scorecard("E06000032", "england").set_index("measure_id")
    worse = before[
        (before["vs_england"] == "Worse")
        & (before["polarity"] == "higher-better")
        & (before["vs_england_method"] == "ci")  # our own test (a source's judgement is its own)
    ]
    mid = worse.index[0]  # a measure on which Luton is significantly below England
    m = cat.measures[mid]
    flipped = dataclasses.replace(m, polarity="lower-better")
    cat2 = dataclasses.replace(cat, measures={**cat.measures, m.id: flipped})
    assert snapshot_folder(wh_copy, cat2) != snapshot_folder(wh_copy, cat)
    after = Engine(wh_copy, cat2).scorecard("E06000032", "england").set_index("measure_id")
    assert after.loc[mid, "value"] == before.loc[mid, "value"]
    assert (after.loc[mid, "vs_england"], after.loc[mid, "polarity"]) == ("Better", "lower-better")


def test_damaged_snapshot_falls_back_to_live_ratings(wh_copy):
    from lutonwb.catalogue import load_catalogue
    from lutonwb.engine import snapshot_folder

    cat = load_catalogue()
    Engine(wh_copy, cat)
    folder = snapshot_folder(wh_copy, cat)
    live = Engine(wh_copy, cat, snapshot=False)
    (folder / "rate-similar.parquet").write_bytes(b"PAR1 truncated")
    _same(Engine(wh_copy, cat).rate_all("similar"), live.rate_all("similar"))
    (folder / "rows.parquet").write_bytes(b"not parquet")
    eng = Engine(wh_copy, cat)
    assert getattr(eng, "_snapshot", None) is None  # rebuilt from the values
    _same(eng.rate_all("england"), live.rate_all("england"))
