"""The tracker page's URL parts: the registry's plan keys read through the tracker's own rules,
notices for bad values, and the selection written back without touching other pages' keys."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pandas as pd
import pytest

from lutonwb.tracker import views
from lutonwb.tracker.model import Update
from lutonwb.ui import tracker
from lutonwb.ui.state import params_of, parse_url
from lutonwb.ui.tracker import _timeline_spec, md_escape
from tests.ui.test_charts import cut_short

CHOICES = views.Choices(
    boards={"at-place": "At Place Board", "childrens-trust": "Children's Trust Board"},
    outcomes={"pw-housing": "Good housing"},
    principles={3: "Fair employment", 8: "Prevention"},
    actions=frozenset({"ctb-1"}),
)


@pytest.mark.parametrize(
    "url",
    [
        {},
        {"board": "at-place", "status": "at-risk", "p": "3", "q": "  housing  "},
        {"plan": "five-year", "group": "status", "action": "ctb-1", "outcome": "pw-housing"},
        {"board": "nope", "p": "9", "group": "colour", "action": "x", "status": "<b>"},
        {"q": "x" * 300, "zz": "1"},
    ],
)
def test_registry_reads_plan_keys_as_the_tracker_does(url: dict[str, str]) -> None:
    values, notices = parse_url(params_of("plan"), url, CHOICES)
    sel, expected = views.parse_selection(url, CHOICES)
    assert views.Selection(**values) == sel
    assert notices == expected


def test_bad_values_fall_back_with_one_notice_each() -> None:
    values, notices = parse_url(params_of("plan"), {"board": "nope", "p": "9"}, CHOICES)
    assert values["board"] == "" and values["principle"] is None
    assert notices == [
        "Ignored the board 'nope' in the link: not one of the boards (At Place Board; "
        "Children's Trust Board).",
        "Ignored the Marmot principle '9' in the link: not a Marmot principle number (1 to 8).",
    ]


@pytest.mark.parametrize(
    ("url", "names", "ids"),
    [
        ({"board": "<script>"}, ["At Place Board", "Children's Trust Board"], ["at-place"]),
        ({"status": "done"}, ["No status reported", "On track"], ["not-reported", "on-track"]),
        ({"group": "colour"}, ["2040 target outcome", "Plan phase"], ["outcome", "phase"]),
        ({"outcome": "x", "action": "y"}, ["2040 target outcomes", "actions"], ["pw-housing"]),
    ],
)  # fmt: skip
def test_hostile_plan_links_name_the_choices_never_their_ids(url, names, ids) -> None:
    """A bad link's notice lists what the reader can choose by name; ids stay out of it."""
    _, notices = views.parse_selection(url, CHOICES)
    text = " ".join(notices)
    assert len(notices) == len(url) and all(n in text for n in names)
    listed = [i for i in ids if (i in text if "-" in i else re.search(rf"[(,;] ?{i}\b", text))]
    assert listed == []
    assert "=" not in text and "id" not in text.split()


def test_every_plan_key_has_words_for_its_notice() -> None:
    assert set(views.KEY_WORDS) == set(views.KEYS)


def _page() -> None:
    import streamlit as st

    from lutonwb.tracker import views
    from lutonwb.ui import tracker

    choices = views.Choices(
        {"at-place": "At Place Board"}, {}, {3: "Fair employment"}, frozenset({"ctb-1"})
    )
    sel = tracker.read_selection(choices)
    st.text(repr(sel))
    if st.session_state.get("change"):
        tracker.write_selection(views.Selection(status="on-track", group="status"))


def test_read_selection_warns_and_falls_back(run_script) -> None:
    at = run_script(_page, {"change": False}, board="at-place", p="7", area="E06000039")
    assert "board='at-place'" in at.text[0].value and "principle=None" in at.text[0].value
    assert [w.value for w in at.warning] == [
        "Ignored the Marmot principle '7' in the link: not a Marmot principle number (1 to 8)."
    ]


def test_write_selection_keeps_other_pages_keys(run_script, url_of) -> None:
    at = run_script(_page, {"change": True}, board="at-place", q="HIV", area="E06000039")
    assert url_of(at) == {
        "status": "on-track", "group": "status", "area": "E06000039", "cmp": "england"
    }  # fmt: skip


def test_md_escape_makes_markdown_inert() -> None:
    assert md_escape("[x](javascript:alert(1)) *b*") == r"\[x\]\(javascript\:alert\(1\)\) \*b\*"


def test_the_timeline_names_every_board_in_full() -> None:
    counts = pd.DataFrame(
        {"phase": ["Year 1"], "board": ["community-safety"], "actions": [3], "order": [0],
         "board_title": ["Community Safety Partnership Board (Luton)"]}
    )  # fmt: skip
    spec = _timeline_spec(counts)
    assert cut_short(spec) == []  # no row label cut with '…'
    rows = spec["layer"][0]["encoding"]["y"]["sort"]
    assert rows == ["Year 1: Community Safety Partnership Board (Luton)"]


PLAN_COUNTS = pd.DataFrame(
    {"phase": ["2024-25"] * 5 + ["Year 1"] * 2 + ["Years 4-5"],
     "board_title": ["Children's Trust Board", "Community Safety Partnership",
                     "Health Equity Town Partnership", "Health Protection Committee",
                     "Luton at Place Board", "Children's Trust Board", "Luton at Place Board",
                     "Luton at Place Board"],
     "actions": [27, 5, 42, 16, 29, 10, 10, 2], "order": [0] * 5 + [1, 1, 3]}
).assign(board=lambda d: d["board_title"].str.lower())  # fmt: skip


def test_the_timeline_spec_passes_the_vega_lite_schema() -> None:
    """spec_of no longer validates; the timeline is checked here, as every builder's chart is."""
    import altair as alt

    alt.LayerChart.from_dict(dict(_timeline_spec(PLAN_COUNTS)), validate=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_timeline_draws_a_bar_and_its_count_for_every_phase_and_board(width) -> None:
    """Five boards in a 260 px chart with the legend under it left the bars no height at all
    (issue: no bars, no scale at 1,280 px). Each bar now has its row, named by phase and board,
    and its count written beside it: colour is never the only way to tell the boards apart."""
    import json

    from lutonwb.ui.charts import chart_bytes

    spec = _timeline_spec(PLAN_COUNTS)
    assert spec["autosize"]["type"] == "fit-x"  # the height is the plot's own
    assert spec["height"] >= 24 * len(PLAN_COUNTS)
    shown = {**spec, "width": width - 40}
    svg = chart_bytes(json.dumps(shown), "svg").decode()
    bars = re.findall(r'aria-label="([^"]*)"[^>]*aria-roledescription="bar"', svg)
    assert len(bars) == len(PLAN_COUNTS)
    assert "2024-25: Health Equity Town Partnership, 42 actions" in bars
    assert not [b for b in bars if "board_title" in b or "row:" in b]
    texts = re.findall(r"<(?:tspan|text)[^>]*>([^<]*)(?=<)", svg)
    assert "2024-25: Health Equity Town" in texts and "42" in texts and "…" not in "".join(texts)
    heights = [
        float(h) for h in re.findall(r'roledescription="bar" d="M[^h]*h[^v]*v([0-9.]+)', svg)
    ]
    assert heights and min(heights) > 10, heights  # every bar has height


TB = "hpc-2425-tb-1"
AT_RISK = Update(TB, 1, "not-reported", "at-risk", "", "alice", datetime(2025, 1, 2, tzinfo=UTC))


def _clear_views() -> None:
    tracker._status_table.clear()
    tracker._plan_view.clear()


@pytest.fixture
def counted(monkeypatch, warehouse_dir) -> dict[str, int]:
    """Calls of the views' work behind the page's view, counted; the view caches start empty."""
    calls = {"actions_with_status": 0, "plan_view": 0}

    def counting(name: str):
        real = getattr(views, name)

        def call(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return call

    for name in calls:
        monkeypatch.setattr(views, name, counting(name))
    _clear_views()
    yield calls
    _clear_views()


def _assert_same_view(a: views.PlanView, b: views.PlanView) -> None:
    for name in ("table", "shown", "counts", "phases", "recent"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)
    assert [h for h, _ in a.groups] == [h for h, _ in b.groups]
    for (_, rows_a), (_, rows_b) in zip(a.groups, b.groups, strict=True):
        pd.testing.assert_frame_equal(rows_a, rows_b)
    assert a.labels == b.labels


@pytest.mark.parametrize(
    "sel",
    [
        views.Selection(),
        views.Selection(board="health-protection", group="status", action=TB, timeline=True),
        views.Selection(q="hiv", group="outcome"),
        views.Selection(status="at-risk", group="principle"),
        views.Selection(plan="five-year", group="phase"),
    ],
)
def test_the_kept_view_is_the_view_worked_out_afresh(counted, sel) -> None:
    latest = {TB: AT_RISK}
    actions, _, choices, measures = tracker.load()
    table = views.actions_with_status(actions, latest, measures)
    fresh = views.plan_view(table, views.filters_of(sel), choices)
    _assert_same_view(tracker.plan_view(latest, sel), fresh)
    _assert_same_view(tracker.plan_view(latest, sel), fresh)  # and when it is read again


def test_a_new_update_gives_a_new_view_showing_it(counted) -> None:
    """A status saved (here or by another server) changes what the store reads, so the next
    rerun's view is worked out again and shows it."""
    sel = views.Selection(board="health-protection")
    before = tracker.plan_view({}, sel)
    after = tracker.plan_view({TB: AT_RISK}, sel)
    assert after is not before
    assert before.recent.empty and list(after.recent["Status"]) == ["At risk"]
    assert after.counts.set_index("Board").loc["Health Protection Committee", "At risk"] == 1
    done = replace(AT_RISK, seq=2, status_before="at-risk", status_after="complete")
    latest = tracker.plan_view({TB: done}, sel)
    assert list(latest.recent["Status"]) == ["Complete"]
    assert latest.shown.set_index("action_id").loc[TB, "version"] == 2
    assert counted == {"actions_with_status": 3, "plan_view": 3}


def test_a_rerun_with_the_same_inputs_works_nothing_out_again(counted) -> None:
    """Each rerun reads the store afresh (new objects, the same updates) and may pick an action or
    open the chart: the same view comes back, nothing worked out again."""
    sel = views.Selection(board="health-protection", group="status")
    first = tracker.plan_view({TB: AT_RISK}, sel)
    assert counted == {"actions_with_status": 1, "plan_view": 1}
    again = tracker.plan_view({TB: replace(AT_RISK)}, replace(sel, action=TB, timeline=True))
    assert again is first  # the very object: what is drawn from it is kept with it (widgets.kept)
    assert counted == {"actions_with_status": 1, "plan_view": 1}
    tracker.plan_view({TB: AT_RISK}, replace(sel, group="phase"))  # another grouping
    assert counted == {"actions_with_status": 1, "plan_view": 2}  # the status table is kept


# each cache, the call of plan_view the i-th entry comes from, and the caches in front of it
BOUNDED = {
    "_plan_view": (lambda i: ({}, views.Selection(q=f"word {i}")), ()),
    "_status_table": (lambda i: ({TB: replace(AT_RISK, seq=i + 1)}, views.Selection()),
                      ("_plan_view",)),
}  # fmt: skip


@pytest.mark.parametrize("name", list(BOUNDED))
def test_the_view_caches_hold_at_most_their_bound(monkeypatch, warehouse_dir, name) -> None:
    calls: list[str] = []
    monkeypatch.setattr(tracker, "load", lambda: (None, None, CHOICES, {}))
    monkeypatch.setattr(views, "actions_with_status", lambda *a: calls.append("_status_table"))
    monkeypatch.setattr(views, "plan_view", lambda *a: calls.append("_plan_view") or a)
    cache = getattr(tracker, name)
    entry, in_front = BOUNDED[name]
    options = cache.cache_options
    bound = options["max_entries"]
    assert 0 < bound <= 256 and 0 < options["ttl"] <= 24 * 3600
    _clear_views()
    try:
        for i in range(bound + 1):  # one more than the cache may hold
            tracker.plan_view(*entry(i))
        assert calls.count(name) == bound + 1
        for front in in_front:  # reach this cache through the ones in front of it
            getattr(tracker, front).clear()
        tracker.plan_view(*entry(bound))  # the newest is still held
        assert calls.count(name) == bound + 1
        tracker.plan_view(*entry(0))  # the oldest was dropped
        assert calls.count(name) == bound + 2
    finally:
        _clear_views()
