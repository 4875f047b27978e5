"""The pages' cached engine results: one cache convention, every reader-keyed cache bounded in
entries and time, and the engine's own store of custom groups and periods kept small."""

from __future__ import annotations

import inspect
from pathlib import Path

import pandas as pd
import pytest

from lutonwb.ui import engine as ue
from lutonwb.ui import maps, tracker, widgets
from lutonwb.ui import progress as up

HOME = "E06000032"


def _cached(module) -> dict[str, object]:
    return {name: f for name, f in vars(module).items() if hasattr(f, "cache_options")}


@pytest.mark.parametrize("module", [ue, maps, tracker, widgets, up], ids=lambda m: m.__name__)
def test_every_cache_keyed_by_input_is_bounded_in_entries_and_time(module) -> None:
    cached = _cached(module)
    assert cached, "the module's caches follow ui.data.by_build"
    for name, f in cached.items():
        options = f.cache_options
        assert 0 < options.get("max_entries", 0) <= 256, name
        if inspect.signature(f).parameters:  # keyed by what a reader chose
            assert 0 < options.get("ttl", 0) <= 24 * 3600, name


@pytest.mark.parametrize("module", [ue, maps])
def test_one_cache_convention(module) -> None:
    """Nothing but by_build caches these modules' results (no stamps, no threaded build strings)."""
    source = Path(module.__file__).read_text()
    assert "@st.cache_" not in source
    assert "stamp()" not in source and "built_at" not in source


def test_scorecard_cache_holds_at_most_its_bound(monkeypatch, warehouse_dir) -> None:
    calls: list[tuple[str, ...]] = []

    class CountingEngine:
        def scorecard(self, home, group, **kw) -> pd.DataFrame:
            calls.append(kw["custom"])
            return pd.DataFrame({"calls": [len(calls)]})

    monkeypatch.setattr(ue, "engine", CountingEngine)
    ue.scorecard.clear()
    bound = ue.scorecard.cache_options["max_entries"]
    for i in range(bound + 1):  # one more custom group than the cache may hold
        ue.scorecard(HOME, "custom", [f"E{i:08d}"])
    assert len(calls) == bound + 1
    ue.scorecard(HOME, "custom", (f"E{bound:08d}",))  # the newest is still held
    assert len(calls) == bound + 1
    ue.scorecard(HOME, "custom", ("E00000000",))  # the oldest was dropped
    assert len(calls) == bound + 2
    ue.scorecard.clear()


def test_long_lived_objects_leave_the_collectors_scans() -> None:
    """After the engine loads, a full collection no longer walks the libraries and the engine."""
    import gc

    before = gc.get_freeze_count()
    ue.freeze_long_lived()
    assert gc.get_freeze_count() > before
    assert gc.get_freeze_count() > 10_000  # the test process's libraries, at least


def test_views_kept_per_rerun_equal_what_a_rerun_would_make(warehouse_dir) -> None:
    """The overview's counts and lists and the sidebar's periods, kept per view so a rerun does
    not remake them, are exactly what the page made on every rerun before."""
    cat = ue.catalogue()
    titles = {n: f"{n}. {p.title}" for n, p in sorted(cat.principles.items())}
    rows, text = widgets.counts_view(
        HOME, "cssnbt-2021", (), "latest", "principle", "vs_group", tuple(titles.items()), "P"
    )
    summary = ue.summary(HOME, "cssnbt-2021", (), "latest", "principle", "vs_group")
    pd.testing.assert_frame_equal(rows, widgets.count_rows(summary, titles, "P"))
    assert text == widgets.count_markdown(rows, "P") and text.count("\n") == len(titles) + 1
    extra = {"gap_pct": "Gap to England (%)", "vs_england": "vs England"}
    shown, csv, text = widgets.highlight_view(
        HOME, "england", (), "latest", "gaps", "Luton", tuple(extra.items())
    )
    made = widgets.highlight_frames(ue.highlights(HOME, "england")["gaps"], "Luton", extra)
    pd.testing.assert_frame_equal(shown, made[0])
    pd.testing.assert_frame_equal(csv, made[1])
    assert list(shown.columns) == ["Measure", "Luton", *extra.values(), "England", "Period"]
    assert text == widgets.markdown_table(widgets.no_missing_words(shown), ["vs England"])
    assert text.count("\n") == len(shown) + 1 and ":color[Worse]" in text
    sc = ue.scorecard(HOME, "england")
    periods = {str(p) for p in sc.loc[sc["value"].notna(), "period"].dropna() if str(p)}
    state = type("S", (), {"area": HOME, "measure": "", "board": "", "principle": None})()
    assert set(ue.period_options(state, "")) == periods


def test_every_board_and_principle_takes_its_rows_from_one_whole_scorecard(
    monkeypatch, warehouse_dir
) -> None:
    """The board and principle pages share the whole scorecard of a view: it is worked out once,
    and each board's or principle's rows are the engine's own scorecard for it."""
    real = ue.engine()
    asked: list[dict] = []

    class CountingEngine:
        def scorecard(self, home, group, **kw) -> pd.DataFrame:
            asked.append(kw)
            return real.scorecard(home, group, **kw)

        def scorecard_part(self, whole, **kw) -> pd.DataFrame:
            return real.scorecard_part(whole, **kw)

    monkeypatch.setattr(ue, "engine", CountingEngine)
    ue.scorecard.clear()
    boards = list(real.cat.boards)[:3]
    for board in boards:
        got = ue.scorecard(HOME, "similar", (), "latest", board=board)
        pd.testing.assert_frame_equal(got, real.scorecard(HOME, "similar", board=board))
    got = ue.scorecard(HOME, "similar", (), "latest", principle=2)
    pd.testing.assert_frame_equal(got, real.scorecard(HOME, "similar", principle=2))
    assert asked == [{"custom": (), "period": "latest"}]  # the whole scorecard, once
    ue.scorecard.clear()


@pytest.mark.parametrize(
    ("group", "board", "principle"),
    [("cssnbt-2021", "childrens-trust", None), ("england", None, 4)],
)
def test_the_performance_table_kept_per_view_is_what_a_rerun_would_make(
    warehouse_dir, group, board, principle
) -> None:
    """A board's or principle's performance table, kept per view (formatting ~60 rows was most
    of those pages' CPU per rerun), is exactly the table, CSV and notes made from its scorecard."""
    state = type("S", (), {"area": HOME, "cmp": group, "custom": (), "period": "latest"})()
    label = "Similar areas" if group != "england" else None
    view = widgets.performance_view(state, "Luton", label, board=board, principle=principle)
    sc = ue.scorecard(HOME, group, (), "latest", board=board, principle=principle)
    pd.testing.assert_frame_equal(view.scorecard, sc)
    display, csv = widgets.performance_frames(sc, "Luton", label)
    rated = [c for c in widgets.RATING_COLUMNS if c in display]
    assert view.text == widgets.markdown_table(widgets.no_missing_words(display), rated)
    assert view.text.count("\n") == len(sc) + 1 and len(sc) > 5
    assert ("Group average" in view.text) == (label is not None)
    pd.testing.assert_frame_equal(view.csv, csv)
    notes = [
        f"{widgets.measure_label(r['title'], r['unit'])}: {'; '.join(widgets.row_notes(r))}"
        for r in sc.to_dict("records")
        if widgets.row_notes(r)
    ]
    assert list(view.notes) == notes and notes
    assert view is widgets.performance_view(state, "Luton", label, board=board, principle=principle)
    # another view is another entry: the home's name, the group's label, the period
    renamed = widgets.performance_view(state, "Home", label, board=board, principle=principle)
    assert "| Home |" in renamed.text and "| Luton |" not in renamed.text
    other = type("S", (), {"area": HOME, "cmp": group, "custom": (), "period": "2019"})()
    dated = widgets.performance_view(other, "Luton", label, board=board, principle=principle)
    assert dated.text != view.text


@pytest.mark.parametrize("group", ["england", "region", "cssnbt-2021"])
def test_the_headline_cards_kept_per_view_say_what_the_scorecard_says(warehouse_dir, group) -> None:
    """The overview's headline cards, kept per view, carry each measure's title, value with its
    unit, benchmarks and verdicts from the view's scorecard; an id not in the catalogue is kept
    as a card that says so."""
    from lutonwb.place import current_place

    ids = (*current_place().headline, "no-such-measure")
    cards = widgets.headline_view(HOME, group, (), "latest", ids, "Similar areas")
    assert [c.measure_id for c in cards] == list(ids)
    sc = ue.scorecard(HOME, group).set_index("measure_id")
    for card in cards[:-1]:
        r = sc.loc[card.measure_id]
        assert card.title == r["title"]
        assert card.value == widgets.with_unit(
            r["value"], r["unit"], r["value_type"], r["decimals"]
        )
        line = widgets.card_line(r, group, "Similar areas")
        assert widgets.md_escape(line) in card.text and line.startswith(str(r["period"]))
        assert f"vs England: {r['vs_england']}" in card.text.replace("\\", "")
        assert ("vs Similar areas:" in card.text) == (group == "cssnbt-2021")
    assert [c.found for c in cards] == [True] * (len(ids) - 1) + [False]  # "not in the catalogue"
    other = widgets.headline_view(HOME, group, (), "2019", ids, "Similar areas")
    assert [c.text for c in other] != [c.text for c in cards]  # each period its own entry
