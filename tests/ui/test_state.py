"""URL state: every key coerces any string without raising, falls back with a notice, round-trips."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lutonwb.comparators import GROUPS
from lutonwb.ui.state import (
    DEFAULT_GROUP,
    GLOBAL_KEYS,
    PAGE_KEYS,
    PARAMS,
    Vocab,
    alias_map,
    base_from_url,
    coerce_area,
    coerce_board,
    coerce_group,
    coerce_measure,
    coerce_members,
    coerce_period,
    coerce_principle,
    describe_keys,
    read_state,
    share_url,
    shown,
)

VOCAB = Vocab(
    areas={
        "E06000032": "Luton",
        "E06000039": "Slough",
        "E08000025": "Birmingham",
        "E06000052": "Cornwall",
    },
    measures=alias_map(
        [
            ("life-expectancy-male", "life-expectancy-male"),
            ("male life expectancy", "life-expectancy-male"),
            ("old-le-male", "life-expectancy-male"),
            ("infant-mortality", "infant-mortality"),
        ]
    ),
    boards=alias_map(
        [
            ("childrens-trust", "childrens-trust"),
            ("CTB", "childrens-trust"),
            ("at-place", "at-place"),
        ]
    ),
    default_area="E06000032",
    default_measure="life-expectancy-male",
    default_board="childrens-trust",
    periods=frozenset({"2020-22", "2022/23", "2021/22 Q1", "Nov 2023-24", "2025-04-30"}),
)


@pytest.mark.parametrize(
    ("fn", "raw", "value", "has_notice"),
    [
        (coerce_area, "E06000032", "E06000032", False),
        (coerce_area, " e06000039 ", "E06000039", False),
        (coerce_area, "XYZ", "E06000032", True),
        (coerce_area, "E06999999", "E06000032", True),
        (coerce_area, "", "E06000032", True),
        (coerce_group, "CSSNBT-2025", "cssnbt-2025", False),
        (coerce_group, "<script>", DEFAULT_GROUP, True),
        (coerce_group, "custom", "custom", False),
        (coerce_members, "E06000039,BAD", ("E06000039",), True),
        (coerce_members, "e06000039, E08000025,E06000039", ("E06000039", "E08000025"), False),
        (coerce_members, "", (), False),
        (coerce_members, " , ,,", (), True),  # commas only: said, not silently ignored
        (coerce_period, "latest", "latest", False),
        (coerce_period, "2019", "2019", False),
        (coerce_period, "19", "latest", True),
        (coerce_period, "2020-22", "2020-22", False),
        (coerce_period, "2022/23", "2022/23", False),
        (coerce_period, "2021/22 Q1", "2021/22 Q1", False),
        (coerce_period, "Nov 2023-24", "Nov 2023-24", False),
        (coerce_period, "2025-04-30", "2025-04-30", False),
        (coerce_period, "2019 session expired", "latest", True),
        # labels the data does not print: one canonical key, the year they end in
        (coerce_period, "Jan 2019", "2019", False),
        (coerce_period, "2019 Q1", "2019", False),
        (coerce_period, "2018/19", "2019", False),
        (coerce_period, "2024-04-30", "2024", False),
        (coerce_period, "<b>2020</b>", "latest", True),
        (coerce_measure, "life-expectancy-male", "life-expectancy-male", False),
        (coerce_measure, "OLD-LE-MALE", "life-expectancy-male", False),
        (coerce_measure, "Male Life Expectancy", "life-expectancy-male", False),
        (coerce_measure, "nope", "life-expectancy-male", True),
        (coerce_board, "CTB", "childrens-trust", False),
        (coerce_board, "at-place", "at-place", False),
        (coerce_board, "board-9", "childrens-trust", True),
        (coerce_principle, "4", 4, False),
        (coerce_principle, "99", 1, True),
        (coerce_principle, "0", 1, True),
        (coerce_principle, "٣", 1, True),  # a non-ASCII digit is not a principle number
        (coerce_principle, "1e3", 1, True),
    ],
)
def test_coercers(fn, raw, value, has_notice) -> None:
    got = fn(raw, VOCAB)
    assert got.value == value
    assert (got.notice is not None) == has_notice


@pytest.mark.parametrize("raw", ["<script>", "nope", "cssnbt-2099", ""])
def test_unknown_comparator_notice_names_the_groups_never_their_ids(raw: str) -> None:
    """The notice lists each group by the label readers see in the sidebar; no id is echoed."""
    notice = coerce_group(raw, VOCAB).notice
    assert notice is not None and "showing England instead" in notice
    for g in GROUPS:
        assert g.label in notice
    listed = notice.split("The groups are: ", 1)[1]
    assert listed.rstrip(".").split("; ") == [g.label for g in GROUPS]
    assert not any(gid in notice for gid in ("cssnbt-2021", "cssnbt-2025", "england,", "custom"))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_no_string_ever_raises_and_notices_are_plain(raw: str) -> None:
    for p in PARAMS:
        got = p.coerce(raw, VOCAB)
        if got.notice:
            # the quoted user text can never carry markup into a notice
            assert "<" not in got.notice and "`" not in got.notice and "[" not in got.notice
            assert "\n" not in got.notice and "](" not in got.notice


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([p.key for p in PARAMS] + ["zzz"]), st.text(max_size=40), max_size=9
    )
)
def test_read_state_total_and_canonical(url: dict[str, str]) -> None:
    state, memory = read_state(url, {}, VOCAB)
    assert state.area in VOCAB.areas
    assert state.cmp in VOCAB.groups
    assert 1 <= state.principle <= 8
    # the canonical URL reads back to the same state with no notice
    again, _ = read_state(memory, {}, VOCAB)
    assert again.notices == ()
    assert again == state.__class__(**{**state.__dict__, "notices": ()})


def test_custom_without_members_falls_back_with_notice() -> None:
    state, _ = read_state({"cmp": "custom", "with": "BAD"}, {}, VOCAB)
    assert state.cmp == DEFAULT_GROUP
    assert len(state.notices) == 2  # the bad code, then the empty group


@pytest.mark.parametrize(
    "url",
    [
        {"cmp": "custom", "with": "E06000032"},  # the home area (the default) alone
        {"cmp": "custom", "with": "e06000032,E06000032"},
        {"area": "E06000039", "cmp": "custom", "with": "E06000039"},
    ],
)
def test_custom_group_of_only_the_home_area_falls_back_with_notice(url) -> None:
    state, memory = read_state(url, {}, VOCAB)
    assert state.cmp == DEFAULT_GROUP and state.custom == ()
    assert state.notices == (
        f"The custom group holds only the home area, so nothing to compare with; showing "
        f"{DEFAULT_GROUP} instead. Add other authorities with ?with=CODE,CODE.",
    )
    assert memory["cmp"] == DEFAULT_GROUP


def test_custom_group_with_the_home_area_and_others_is_kept() -> None:
    state, _ = read_state({"cmp": "custom", "with": "E06000032,E06000039"}, {}, VOCAB)
    assert state.custom == ("E06000032", "E06000039") and state.notices == ()


def test_url_wins_over_memory_and_memory_over_default() -> None:
    state, memory = read_state(
        {"area": "E06000039"}, {"area": "E08000025", "cmp": "england"}, VOCAB
    )
    assert state.area == "E06000039" and state.cmp == "england"
    assert memory["area"] == "E06000039" and memory["cmp"] == "england"
    assert read_state({}, {}, VOCAB)[0].area == "E06000032"


def test_params_for_page_keys_and_custom_members() -> None:
    state, _ = read_state(
        {"cmp": "custom", "with": "E06000039,E08000025", "m": "old-le-male"}, {}, VOCAB
    )
    assert state.custom == ("E06000039", "E08000025")
    params = state.params_for("measure")
    assert params == {
        "area": "E06000032",
        "cmp": "custom",
        "with": "E06000039,E08000025",
        "period": "latest",
        "m": "life-expectancy-male",
    }
    board = state.params_for("board", board="at-place", cmp="england")
    assert board["board"] == "at-place" and "with" not in board and "m" not in board


def test_share_url_round_trips() -> None:
    state, _ = read_state(
        {"area": "E06000039", "cmp": "custom", "with": "E06000032,E08000025", "board": "CTB"},
        {},
        VOCAB,
    )
    link = share_url("http://host:8501", "board", state.params_for("board"))
    parts = urlsplit(link)
    assert parts.path == "/board"
    assert "with=E06000032,E08000025" in link  # commas stay readable
    back = {k: v[0] for k, v in parse_qs(parts.query).items()}
    again, _ = read_state(back, {}, VOCAB)
    assert (
        again.area == "E06000039"
        and again.custom == ("E06000032", "E08000025")
        and again.board == "childrens-trust"
    )
    assert share_url("http://h", "", {}) == "http://h/"


@pytest.mark.parametrize(
    ("url", "page", "base"),
    [
        ("http://localhost:8501/board", "board", "http://localhost:8501"),
        ("http://localhost:8501/", "", "http://localhost:8501"),
        ("https://x.org/app/measure", "measure", "https://x.org/app"),
        (None, "board", ""),
    ],
)
def test_base_from_url(url, page, base) -> None:
    assert base_from_url(url, page) == base


def test_every_key_is_documented_and_every_page_key_registered() -> None:
    rows = {r["key"]: r for r in describe_keys()}
    for key in {*GLOBAL_KEYS, *(k for keys in PAGE_KEYS.values() for k in keys)}:
        assert key in rows and len(rows[key]["meaning"]) > 20
    assert {"area", "cmp", "with", "m", "board", "principle", "period"} <= set(rows)


@pytest.mark.parametrize(
    ("raw", "quoted"),
    [
        ("XYZ", "'XYZ'"),
        ("E06000039,BAD", "'E06000039,BAD'"),
        ("<script>alert(1)</script>", None),
        ("\n\nTraceback (most recent call last):", None),
        ("![x](http://evil.example/p.png)", None),
        ("Your session expired visit evil.example", None),
        ("x" * 41, None),
    ],
)
def test_shown_repeats_only_short_plain_tokens(raw, quoted) -> None:
    assert shown(raw) == (quoted or "(a value that cannot be read)")


def test_every_page_key_is_documented_on_the_methods_page() -> None:
    """A key a page reads but the methods page does not list fails here (datasette-style)."""
    from lutonwb.tracker.views import KEYS as PLAN_KEYS
    from lutonwb.ui.state import PARAMS, describe_keys

    documented = {(r["key"], r["used on"]) for r in describe_keys()}
    keys = {k for k, _ in documented}
    assert {p.key for p in PARAMS} <= keys
    assert {(k, "plan tracker") for k in PLAN_KEYS} <= documented
    assert {("layer", "ward maps"), ("geo", "ward maps"), ("ward", "ward maps")} <= documented


@pytest.mark.parametrize(
    ("raw", "is_open", "notice"),
    [("1", True, False), ("true", True, False), ("0", False, False), ("off", False, False),
     ("", False, False), ("maybe", False, True), ("2", False, True)],
)  # fmt: skip
def test_map_flag_words(raw: str, is_open: bool, notice: bool) -> None:
    """`map` takes on/off words silently; anything else keeps the map closed, with a notice."""
    state, _ = read_state({"m": "infant-mortality", "map": raw}, {}, VOCAB)
    assert state.map_open is is_open
    assert any("Map" in n for n in state.notices) is notice


def test_periods_sort_by_the_year_they_end() -> None:
    from lutonwb.ui.state import period_order, period_words

    labels = ["2026-04-01", "2021/22 Q1-2025/26 Q3", "2023 Q4", "1999/00", "Nov 2024-25", "2021-23"]
    assert sorted(labels, key=period_order) == [
        "1999/00", "2021-23", "2023 Q4", "Nov 2024-25", "2021/22 Q1-2025/26 Q3", "2026-04-01"
    ]  # fmt: skip
    assert period_words("2024-09-30") == "30 September 2024"
    assert period_words("2022/23") == "2022/23"


@pytest.mark.parametrize(
    ("raw", "value", "noticed"),
    [("moving-away", "moving-away", False), ("Off track", "off-track", False), ("", "", False),
     ("<b>x</b>", "", True)],
)  # fmt: skip
def test_progress_status_key(raw: str, value: str, noticed: bool) -> None:
    from lutonwb.ui.state import coerce_track

    got = coerce_track(raw, None)  # the statuses are fixed: no vocabulary needed
    assert got.value == value and bool(got.notice) is noticed
    if noticed:
        assert "<b>" not in got.notice and "moving away" in got.notice
        assert "moving-away" not in got.notice and "target-met" not in got.notice  # words, not ids


def test_unknown_roll_up_notice_says_the_choices_in_words() -> None:
    from lutonwb.ui.state import coerce_rollup

    notice = coerce_rollup("colour", None).notice
    assert notice is not None and "counting by 2040 target outcome" in notice
    assert "by board or by Marmot principle" in notice


@pytest.mark.parametrize(
    ("url", "memory", "kept", "notices"),
    [
        ({}, {}, {"cmp": "england"}, 0),  # the default, written as every page writes it
        ({"cmp": "region"}, {"cmp": "similar"}, {"cmp": "region"}, 0),  # the link wins
        ({}, {"cmp": "similar", "with": "E06000039"}, {"cmp": "similar"}, 0),  # then memory
        ({"cmp": "REGION"}, {}, {"cmp": "region"}, 0),
        ({"cmp": "custom", "with": "e06000039, E08000025,E08000025"}, {},
         {"cmp": "custom", "with": "E06000039,E08000025"}, 0),
        ({}, {"cmp": "custom", "with": "E06000039"}, {"cmp": "custom", "with": "E06000039"}, 0),
        ({"cmp": "<script>"}, {"cmp": "region"}, {"cmp": "england"}, 1),
        ({"cmp": "custom", "with": "E06000039,nope"}, {}, {"cmp": "custom", "with": "E06000039"}, 1),
    ],
)  # fmt: skip
def test_pages_that_compare_with_nothing_carry_the_comparator(url, memory, kept, notices) -> None:
    from lutonwb.ui.state import read_carried

    got, said = read_carried(url, memory)
    assert got == kept
    assert len(said) == notices
    assert all("<script>" not in n and "cssnbt" not in n for n in said)
