"""catalogue.yaml loads into typed objects, rejects broken variants by file/line/key, and agrees with the warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lutonwb.catalogue import CatalogueError, load_catalogue
from lutonwb.db import Warehouse
from tests.catalogue_sample import GOOD, PROGRAMME, line_of

BOARDS = (
    "childrens-trust",
    "health-equity-town",
    "at-place",
    "health-protection",
    "community-safety",
)


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def test_real_catalogue_has_boards_principles_and_outcome_sets(cat):
    assert set(cat.boards) == set(BOARDS)
    assert sorted(cat.principles) == list(range(1, 9))
    assert cat.principles[1].title == "Give every child the best start in life"
    sets = {o.set for o in cat.outcomes.values()}
    assert {"strategy-2023", "vision-2040-web"} <= sets
    assert sum(o.set == "strategy-2023" for o in cat.outcomes.values()) == 5
    assert sum(o.set == "vision-2040-web" for o in cat.outcomes.values()) == 5
    for board in cat.boards.values():
        assert all(cat.outcomes[o] for o in board.outcomes)


@pytest.mark.parametrize("board", BOARDS)
def test_every_board_has_measures(cat, board):
    assert cat.for_board(board)


def test_measures_typed_and_headlines(cat):
    le = cat.measure("life-expectancy-male")
    assert le.data[0].series == "fingertips/life_expectancy" and le.data[0].sex == "Male"
    assert le.headline and le.polarity == "higher-better" and le.unit == "years"
    gld = cat.measure("good-level-of-development")
    assert gld.default_comparator == "cssnbt-2021" and 1 in gld.principles
    assert (
        cat.measure("loneliness").reported_only
        and "reported figures only" in cat.measure("loneliness").status_note
    )
    assert all(m.status_note for m in cat.measures.values() if m.reported_only)


def test_search_and_resolve_by_alias(cat):
    assert cat.resolve("Life expectancy, Male (Years)") == "life-expectancy-male"
    assert cat.measure("School readiness").id == "good-level-of-development"
    assert "adult-overweight-obesity" in [m.id for m in cat.search("Adult obesity rate")]
    assert cat.search("") == []
    with pytest.raises(KeyError):
        cat.measure("no-such-measure")


# (case, replace old → new, expected key, expected line finder (needle, nth), problem fragment)
BROKEN = [
    (
        "bad polarity",
        ("polarity: higher-better", "polarity: up"),
        "measures[alpha].polarity",
        ("polarity: up", 1),
        "'up' is not one of higher-better, lower-better, none",
    ),
    (
        "duplicate id",
        ("  - id: beta", "  - id: alpha"),
        "measures[alpha].id",
        ("  - id: alpha", 2),
        "duplicate id",
    ),
    (
        "missing title",
        ("    title: Beta measure\n", ""),
        "measures[beta].title",
        ("  - id: beta", 1),
        "missing required field",
    ),
    (
        "alias clash",
        ("aliases: [Second alias]", "aliases: [First alias]"),
        "measures[beta].aliases",
        ("aliases: [First alias]", 2),
        "already names measure 'alpha'",
    ),
    (
        "unknown principle",
        (
            'principles: [1]\n    life_course: [start]\n    geographies: [utla]\n    seed_refs: ["000"]\n    status_note: ""',
            'principles: [9]\n    life_course: [start]\n    geographies: [utla]\n    seed_refs: ["000"]\n    status_note: ""',
        ),
        "measures[alpha].principles",
        ("principles: [9]", 1),
        "not a known principle",
    ),
    (
        "bad yaml syntax",
        ("    definition: A thing.", "    definition: [unclosed"),
        "",
        ('    unit: "%"', 1),
        "not valid YAML",
    ),
    (
        "unknown key",
        (
            '    unit: "%"\n    value_type: percentage\n    polarity: higher-better',
            '    unit: "%"\n    colour: red\n    value_type: percentage\n    polarity: higher-better',
        ),
        "measures[alpha].colour",
        ("colour: red", 1),
        "unknown key",
    ),
    (
        "wrong type",
        (
            "principles: [1]\n    life_course: [start]\n    geographies",
            "principles: 1\n    life_course: [start]\n    geographies",
        ),
        "measures[alpha].principles",
        ("principles: 1", 1),
        "expected list",
    ),
    (
        "bad slug",
        ("  - id: alpha", "  - id: Alpha_Measure"),
        "measures[Alpha_Measure].id",
        ("id: Alpha_Measure", 1),
        "not a slug",
    ),
    (
        "bad comparator",
        ("default_comparator: similar", "default_comparator: cipfa"),
        "measures[beta].default_comparator",
        ("default_comparator: cipfa", 1),
        "not one of",
    ),
    (
        "bad value type",
        (
            "value_type: percentage\n    polarity: lower-better",
            "value_type: percent\n    polarity: lower-better",
        ),
        "measures[beta].value_type",
        ("value_type: percent", 2),
        "not one of",
    ),
    (
        "unknown trend rule",
        ("polarity: higher-better", "polarity: higher-better\n    trend: flat"),
        "measures[alpha].trend",
        ("trend: flat", 1),
        "'flat' is not one of auto, none",
    ),
    (
        "trend none without a note",
        ("polarity: higher-better", "polarity: higher-better\n    trend: none"),
        "measures[alpha].trend_note",
        ("trend: none", 1),
        "needs a trend_note",
    ),
    (
        "trend_from not a date",
        ("polarity: higher-better", "polarity: higher-better\n    trend_from: 2021/22"),
        "measures[alpha].trend_from",
        ("trend_from: 2021/22", 1),
        "not a date",
    ),
    (
        "fingertips_id not an integer",
        ("polarity: higher-better", "polarity: higher-better\n    fingertips_id: 'P22401'"),
        "measures[alpha].fingertips_id",
        ("fingertips_id: 'P22401'", 1),
        "'P22401' is a str, expected int",
    ),
    (
        "fingertips_id not positive",
        ("polarity: higher-better", "polarity: higher-better\n    fingertips_id: -3"),
        "measures[alpha].fingertips_id",
        ("fingertips_id: -3", 1),
        "-3 is not positive",
    ),
]


def test_good_variant_loads(tmp_path: Path):
    path = tmp_path / "catalogue.yaml"
    path.write_text(GOOD)
    cat = load_catalogue(path)
    assert set(cat.measures) == {"alpha", "beta"} and cat.measure("First alias").id == "alpha"


@pytest.mark.parametrize(
    ("case", "edit", "key", "where", "problem"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_broken_catalogue_names_file_line_and_key(tmp_path: Path, case, edit, key, where, problem):
    old, new = edit
    assert old in GOOD, case
    text = GOOD.replace(old, new, 1)
    path = tmp_path / "catalogue.yaml"
    path.write_text(text)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    err = info.value
    msg = str(err)
    assert msg.startswith("catalogue.yaml, line "), msg
    assert err.line == line_of(text, *where), msg
    assert err.key == key, msg
    if key:
        assert f"key {key}:" in msg
    assert problem in msg


# -- catalogue ↔ warehouse, both ways ------------------------------------------------------


def test_every_binding_has_rows(cat, wh: Warehouse):
    summary = wh.series_summary()
    known = set(summary["series"])
    for m in cat.measures.values():
        for b in m.data:
            assert b.series in known, f"{m.id}: series {b.series} is not in the warehouse"
            rows = wh.series_values([b.series])
            sel = rows[
                (rows["sex"] == b.sex)
                & (rows["category_type"] == b.category_type)
                & (rows["category"] == b.category)
            ]
            if b.age is not None:
                sel = sel[sel["age"] == b.age]
            assert len(sel), (
                f"{m.id}: no rows of {b.series} for sex={b.sex} category={b.category!r}"
            )


def test_every_warehouse_series_is_bound_or_listed(cat, wh: Warehouse):
    series = set(wh.series_summary()["series"])
    unaccounted = series - cat.series_ids() - set(cat.unbound_series)
    assert not unaccounted, (
        f"bind these in catalogue.yaml or list them under unbound_series: {sorted(unaccounted)}"
    )
    stale = set(cat.unbound_series) - series
    assert not stale, f"unbound_series lists series the warehouse does not have: {sorted(stale)}"
    assert all(re.search(r"\w", u.reason) for u in cat.unbound_series.values())


def test_trend_rules_and_binding_sources(cat):
    """Cumulative and nominal-money measures get no trend; series breaks are dated."""
    for mid in ("nhs-health-checks", "median-weekly-pay", "household-income-per-head"):
        m = cat.measure(mid)
        assert m.trend == "none" and m.trend_note, mid
    for mid in ("good-level-of-development", "good-level-of-development-fsm"):
        assert cat.measure(mid).trend_from == "2021-08-01"
    assert cat.measure("persistent-absence").trend_from == "2015-08-01"
    assert cat.measure("life-expectancy-female").trend == "auto"
    y6 = cat.measure("overweight-obese-year-6")
    assert [b.source for b in y6.data][1].startswith("DfE Local Authority Interactive Tool")
    # a different definition is not an alternate binding
    clif = cat.measure("children-low-income-families")
    assert "fingertips-2020/low_income_families" not in {b.series for b in clif.data}
    assert "fingertips-2020/low_income_families" in cat.unbound_series


def test_programme_assigns_boards_outcomes_and_overarching(tmp_path: Path):
    """The place's programme fills Measure.boards/outcomes/headline; the catalogue alone has none."""
    path = tmp_path / "catalogue.yaml"
    path.write_text(GOOD)
    alone = load_catalogue(path)
    assert alone.boards == {} and alone.measure("alpha").boards == ()
    (tmp_path / "programme.yaml").write_text(PROGRAMME)
    cat = load_catalogue(path, place_dir=tmp_path)
    alpha, beta = cat.measure("alpha"), cat.measure("beta")
    assert (alpha.boards, alpha.outcomes, alpha.headline) == (
        ("childrens-trust",),
        ("pw-one",),
        True,
    )
    assert beta.headline is False
    assert [m.id for m in cat.for_board("childrens-trust")] == ["alpha", "beta"]


PROGRAMME_BROKEN = [
    (
        "board lists an unknown measure",
        ("    measures: [alpha, beta]\n", "    measures: [alpha, gamma]\n", 2),
        "boards[childrens-trust].measures",
        ("measures: [alpha, gamma]", 1),
        "'gamma' is not a known measure",
    ),
    (
        "outcome lists an unknown measure",
        ("    measures: [alpha, beta]\n", "    measures: [zeta]\n", 1),
        "outcomes[pw-one].measures",
        ("measures: [zeta]", 1),
        "'zeta' is not a known measure",
    ),
    (
        "board names an unknown outcome",
        ("    outcomes: [pw-one]", "    outcomes: [pw-nine]", 1),
        "boards[childrens-trust].outcomes",
        ("outcomes: [pw-nine]", 1),
        "not a known outcome",
    ),
    (
        "unknown overarching measure",
        ("overarching: [alpha]", "overarching: [omega]", 1),
        "overarching",
        ("overarching: [omega]", 1),
        "not a known measure",
    ),
    (
        "board without its measures",
        ("    outcomes: [pw-one]\n    measures: [alpha, beta]\n", "    outcomes: [pw-one]\n", 1),
        "boards[childrens-trust].measures",
        ("  - id: childrens-trust", 1),
        "missing required field",
    ),
    (
        "unknown section",
        ("boards:", "committees:", 1),
        "committees",
        ("committees:", 1),
        "unknown section",
    ),
]


@pytest.mark.parametrize(
    ("case", "edit", "key", "where", "problem"),
    PROGRAMME_BROKEN,
    ids=[b[0] for b in PROGRAMME_BROKEN],
)
def test_broken_programme_names_file_line_and_key(tmp_path: Path, case, edit, key, where, problem):
    old, new, nth = edit
    assert PROGRAMME.count(old) >= nth, case
    head, *rest = PROGRAMME.split(old)
    text = old.join([head, *rest[: nth - 1]]) + new + old.join(rest[nth - 1 :])
    (tmp_path / "catalogue.yaml").write_text(GOOD)
    (tmp_path / "programme.yaml").write_text(text)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(tmp_path / "catalogue.yaml", place_dir=tmp_path)
    err = info.value
    msg = str(err)
    assert msg.startswith("programme.yaml, line "), msg
    assert err.line == line_of(text, *where), msg
    assert err.key == key, msg
    assert problem in msg


def test_luton_board_lists_match_the_measures(cat):
    """Spot checks of the assignment moved out of catalogue.yaml into Luton's programme."""
    assert cat.measure("life-expectancy-male").boards == (
        "childrens-trust",
        "health-equity-town",
        "at-place",
    )
    assert len(cat.for_board("childrens-trust")) == 57
    assert sum(m.headline for m in cat.measures.values()) == 28


def test_every_measure_sets_its_decimals_as_its_source_publishes(cat):
    """Every measure says its places (0 to 3); spot checks follow the source's own precision."""
    missing = [m.id for m in cat.measures.values() if m.decimals is None]
    assert not missing, missing
    assert all(0 <= m.decimals <= 3 and m.places == m.decimals for m in cat.measures.values())
    published = {
        "life-expectancy-male": 1,  # Fingertips: years to one place
        "good-level-of-development": 1,  # percentages to one place
        "infant-mortality": 1,  # rate per 1,000
        "u75-preventable-mortality": 1,  # rate per 100,000
        "apprenticeship-starts": 0,  # whole rates per 100,000 in the ONS file
        "adult-education-participation": 0,  # rates in the thousands
        "ks2-expected-standard": 0,  # DfE publishes whole percentages
        "housing-affordability": 2,  # ONS ratio
        "mean-life-satisfaction": 2,  # ONS wellbeing score, two places
        "school-absence": 2,  # the strategy prints 7.59%
        "median-weekly-pay": 0,  # money in whole pounds
        "rough-sleepers": 0,  # a count
    }
    assert {mid: cat.measures[mid].places for mid in published} == published


def test_decimals_set_the_places_and_the_value_type_rule_fills_in(tmp_path: Path):
    text = GOOD.replace(
        "    polarity: higher-better\n", "    polarity: higher-better\n    decimals: 0\n"
    )
    text = text.replace(
        "    value_type: percentage\n    polarity: lower-better",
        "    value_type: ratio\n    polarity: lower-better",
    )
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    cat = load_catalogue(path)
    alpha, beta = cat.measures["alpha"], cat.measures["beta"]
    assert (alpha.decimals, alpha.places) == (0, 0)  # its own places, though a percentage
    assert (beta.decimals, beta.places) == (None, 2)  # none set: a ratio's two places
