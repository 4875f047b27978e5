"""URL parameters → selection, filtering, counts and the CSV export, on the real plan data."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from lutonwb.ingest import plan
from lutonwb.tracker import views
from lutonwb.tracker.model import Update

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data():
    choices, measures = views.catalogue_bits(ROOT / "catalogue.yaml")
    actions = plan.build(ROOT / "data" / "raw")["plan_actions"]
    choices = views.Choices(
        choices.boards, choices.outcomes, choices.principles, frozenset(actions["action_id"])
    )
    latest = {
        "hpc-2425-tb-1": Update(
            "hpc-2425-tb-1",
            2,
            "on-track",
            "at-risk",
            "=HYPERLINK(1)",
            "alice",
            datetime(2025, 1, 2, tzinfo=UTC),
        )
    }
    return choices, views.actions_with_status(actions, latest, measures)


@pytest.mark.parametrize(
    ("params", "expected", "notices"),
    [
        ({}, views.Selection(), 0),
        (
            {"board": "at-place", "status": "at-risk", "p": "6"},
            views.Selection(board="at-place", status="at-risk", principle=6),
            0,
        ),
        ({"board": "At Place"}, views.Selection(), 1),
        ({"p": "0", "status": "late", "group": "x", "plan": "y"}, views.Selection(), 4),
        ({"q": "  HIV  ", "group": "outcome"}, views.Selection(q="HIV", group="outcome"), 0),
        ({"action": "ctb-2425-early-help-1"}, views.Selection(action="ctb-2425-early-help-1"), 0),
        ({"action": "'; drop"}, views.Selection(), 1),
        ({"timeline": "yes"}, views.Selection(timeline=True), 0),
        ({"timeline": "0"}, views.Selection(), 0),
        ({"timeline": "<b>2</b>"}, views.Selection(), 1),
    ],
)
def test_parse_selection(data, params, expected, notices) -> None:
    choices, _ = data
    sel, notes = views.parse_selection(params, choices)
    assert sel == expected
    assert len(notes) == notices
    assert views.parse_selection(views.to_params(sel), choices) == (sel, [])  # round trip
    assert views.to_params(sel).get("timeline", "1") == "1"  # an open chart is written as 1


def test_filters_and_status(data) -> None:
    choices, df = data
    assert len(df) == 174
    tb = df.set_index("action_id").loc["hpc-2425-tb-1"]
    assert (tb["status"], tb["version"], tb["updated_by"]) == ("at-risk", 2, "alice")
    assert set(df["status"]) == {"not-reported", "review-noted", "at-risk"}
    assert (tb["status_label"], tb["last_update"]) == ("At risk", "2 January 2025")
    assert len(views.apply(df, views.Selection(status="at-risk"))) == 1
    assert len(views.apply(df, views.Selection(board="community-safety"))) == 10
    hiv = views.apply(df, views.Selection(board="health-protection", q="hiv"))
    assert len(hiv) == 6  # five 2024-25 actions and the five-year sexual health recommission
    send = views.apply(df, views.Selection(outcome="cft-send"))
    assert set(send["board"]) == {"childrens-trust"}
    p1 = views.apply(df, views.Selection(principle=1))
    assert "ctb-2425-oral-health-1" in set(p1["action_id"])  # via dental decay at 5
    assert views.describe(views.Selection(board="at-place", status="at-risk"), choices) == (
        "Actions of the Luton at Place Board, with status “At risk”"
    )


def test_counts_and_timeline(data) -> None:
    choices, df = data
    counts = views.counts_by_board(df, choices)
    assert list(counts.columns) == [
        "No status reported",
        "Progress noted in review",
        "Not started",
        "On track",
        "At risk",
        "Off track",
        "Complete",
        "Total",
    ]
    assert counts.loc["Health Protection Committee", "At risk"] == 1
    assert counts["Total"].sum() == 174
    # the review's 35 progress notes on Year 1 actions start them; its revisions do not
    assert counts["Progress noted in review"].sum() == 35
    assert counts["Not started"].sum() == 0  # nobody said so: never shown by default
    tl = views.phase_counts(df, choices)
    assert list(dict.fromkeys(tl["phase"])) == ["2024-25", "Year 1", "Years 2-3", "Years 4-5"]


def test_review_note_is_the_starting_point(data) -> None:
    _, df = data
    by_id = df.set_index("action_id")
    hub = by_id.loc["5yr-y1-ctb-early-years-offer-and-family-hubs-1"]
    assert hub["status_label"] == "Progress noted in review"
    assert hub["last_note"].startswith("Family hub funded streams are now all running.")
    assert hub["last_update"] == "Luton's Population Wellbeing Strategy: One year on review (2024)"
    revised = by_id.loc["5yr-y2-3-ctb-child-friendly-town-1"]  # a revised action, not progress
    assert (revised["status_label"], revised["last_note"]) == ("No status reported", "")
    fresh = by_id.loc["ctb-2425-early-help-1"]
    assert (fresh["status_label"], fresh["last_update"]) == ("No status reported", "")


def test_recently_changed_newest_first(data) -> None:
    choices, df = data
    assert views.recently_changed(df.iloc[0:0]).empty
    latest = {
        a: Update(a, 1, "not-reported", s, "", "bob", datetime(2026, m, 5, tzinfo=UTC))
        for a, s, m in [("ctb-2425-early-help-1", "on-track", 3), ("hpc-2425-tb-1", "at-risk", 11)]
    }
    actions = plan.build(ROOT / "data" / "raw")["plan_actions"]
    table = views.actions_with_status(actions, latest, {})
    recent = views.recently_changed(table)
    assert list(recent.columns) == ["Updated", "Action", "Status", "By"]
    assert list(recent["Updated"]) == ["5 November 2026", "5 March 2026"]
    assert list(recent["Status"]) == ["At risk", "On track"]


def test_status_filter_takes_the_shown_statuses(data) -> None:
    choices, df = data
    sel, notices = views.parse_selection({"status": "not-reported"}, choices)
    assert notices == [] and len(views.apply(df, sel)) == 174 - 35 - 1


def test_export_csv(data) -> None:
    choices, df = data
    raw = views.export_csv(df, choices)
    assert raw.startswith("\ufeff".encode())
    out = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(out) == 174
    row = out.set_index("Action id (for analysts)").loc["hpc-2425-tb-1"]
    assert (row["Status"], row["Last update"]) == ("At risk", "2 January 2025")
    assert row["Board"] == "Health Protection Committee"
    assert row["Latest note"] == "'=HYPERLINK(1)"  # formula neutralised for spreadsheets
    assert set(out["Source document"]) == {
        "Luton's Population Wellbeing Strategy: One year on review (2024)"
    }  # a title, never a file name
    assert not any("_" in c for c in out.columns)  # plain headers


# selections of every grouping, with and without filters, and one that matches nothing
VIEW_SELECTIONS = [
    views.Selection(),
    views.Selection(board="health-protection", group="status"),
    views.Selection(q="hiv", group="outcome"),
    views.Selection(principle=1, group="principle"),
    views.Selection(status="at-risk", group="workstream"),
    views.Selection(plan="five-year", group="phase"),
    views.Selection(q="no action says this"),
]


@pytest.mark.parametrize("sel", VIEW_SELECTIONS)
def test_plan_view_is_what_the_page_worked_out_part_by_part(data, sel) -> None:
    """The view kept per selection holds what the page used to work out on every rerun."""
    choices, df = data
    view = views.plan_view(df, sel, choices)
    shown = views.apply(df, sel)
    assert view.table is df
    pd.testing.assert_frame_equal(view.shown, shown)
    pd.testing.assert_frame_equal(view.counts, views.counts_by_board(shown, choices).reset_index())
    pd.testing.assert_frame_equal(view.phases, views.phase_counts(shown, choices))
    pd.testing.assert_frame_equal(view.recent, views.recently_changed(shown))
    keys = [views.group_keys(r, sel.group, choices) for r in shown.to_dict("records")]
    assert [h for h, _ in view.groups] == list(dict.fromkeys(k for ks in keys for k in ks))
    for heading, rows in view.groups:
        under = [a for a, ks in zip(shown["action"], keys, strict=True) if heading in ks]
        assert list(rows["Action"]) == under
        assert list(rows.columns) == list(views.GROUP_COLUMNS.values())
    assert list(view.labels) == list(shown["action_id"])
    assert all(len(t) <= views.LABEL_CHARS for t in view.labels.values())


def test_a_views_key_leaves_out_the_action_and_the_chart() -> None:
    sel = views.Selection(board="at-place", q="hiv", group="status", action="a", timeline=True)
    assert views.filters_of(sel) == views.Selection(board="at-place", q="hiv", group="status")


def test_the_stamp_is_the_whole_of_every_latest_update() -> None:
    """Equal updates read again give the same stamp; any change to any field gives another."""
    when = datetime(2025, 1, 2, tzinfo=UTC)
    a = Update("a", 2, "on-track", "at-risk", "a note", "alice", when)
    b = Update("b", 1, "not-reported", "on-track", "", "bob", when)
    stamp = views.updates_stamp({"a": a, "b": b})
    assert views.updates_stamp({"b": b, "a": a}) == stamp  # the order read does not matter
    assert views.updates_stamp({"a": replace(a), "b": replace(b)}) == stamp  # a rerun's new read
    changes = {
        "seq": 3, "status_before": "not-started", "status_after": "complete", "note": "another",
        "author": "carol", "created_at": datetime(2025, 1, 2, 0, 0, 1, tzinfo=UTC),
    }  # fmt: skip
    for name, value in changes.items():
        assert views.updates_stamp({"a": replace(a, **{name: value}), "b": b}) != stamp, name
    assert views.updates_stamp({"a": a}) != stamp
    assert views.updates_stamp({}) not in (stamp, views.updates_stamp({"a": a}))
