"""The plan page under AppTest: real contents, deep-link filters, malformed parameters, no edit
controls for readers, and a signed-in save."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lutonwb.tracker import auth, views
from lutonwb.tracker.store import DuckDBStore
from lutonwb.ui import tracker as ui_tracker
from tests.tables import static_tables

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "plan.py")
EDITORS_FILE = ROOT / "tests" / "browser" / "editors.toml"
EDITOR = auth.editors_from_file(EDITORS_FILE)["test-editor"]


@pytest.fixture
def app(warehouse_dir, tmp_path: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("LUTONWB_TRACKER_DB", str(tmp_path / "tracker.duckdb"))
    monkeypatch.setenv("LUTONWB_EDITORS_FILE", str(EDITORS_FILE))
    monkeypatch.delenv("LUTONWB_DATABASE_URL", raising=False)
    return AppTest.from_file(PAGE, default_timeout=120)


def _texts(at: AppTest) -> str:
    return "\n".join([m.value.replace("\\", "") for m in at.markdown] + [t.value for t in at.text])


def test_all_actions_and_counts(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert "All actions: 174 of 174" in _texts(app)
    assert not any(b.label == "Save status" for b in app.button)  # readers see no edit control
    assert any(b.label == "Sign in" for b in app.button)


def test_no_status_reported_filter(app: AppTest) -> None:
    app.query_params["status"] = "not-reported"
    app.run()
    assert not app.exception and not app.warning
    assert "Actions with status “No status reported”: 139 of 174" in _texts(app)


def test_deep_link_filters(app: AppTest) -> None:
    app.query_params.update({"board": "health-protection", "plan": "refreshed-2024-25", "q": "HIV"})
    app.run()
    assert not app.exception
    text = _texts(app)
    assert (
        "Actions in the refreshed action plan 2024-25, of the Health Protection Committee, mentioning “HIV”: 5 of 174"
        in text
    )
    assert app.selectbox(key="plan_board").value == "health-protection"
    assert app.text_input(key="plan_q").value == "HIV"


def test_deep_link_to_one_action(app: AppTest) -> None:
    app.query_params["action"] = "ctb-2425-early-help-1"
    app.run()
    assert not app.exception
    text = _texts(app)
    assert (
        "Early Help plan to be developed. Aim for updated strategy in place by September 2024"
        in text
    )
    assert "Timescale: by September 2024" in text
    assert "No updates recorded yet." in [c.value for c in app.markdown]
    assert not any(b.label == "Save status" for b in app.button)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("board", "nope"),
        ("status", "done"),
        ("p", "9"),
        ("p", "x"),
        ("outcome", "<b>"),
        ("group", "colour"),
        ("action", "missing"),
        ("plan", "ten-year"),
    ],
)
def test_malformed_params_fall_back(app: AppTest, key: str, value: str) -> None:
    app.query_params[key] = value
    app.run()
    assert not app.exception
    assert any(f"Ignored the {views.KEY_WORDS[key]} " in w.value for w in app.warning)
    assert "All actions: 174 of 174" in _texts(app)


def test_signed_in_editor_saves_and_note_is_text(app: AppTest) -> None:
    app.query_params["action"] = "hpc-2425-tb-1"
    app.run()
    app.session_state["tracker_editor"] = EDITOR
    app.run()
    app.selectbox(key="edit_status").set_value("at-risk")
    app.text_area(key="edit_note").set_value("<script>alert(1)</script> **not bold**")
    next(b for b in app.button if b.label == "Save status").click()
    app.run()
    assert not app.exception
    assert any("Saved: At risk" in s.value for s in app.success)
    assert "Current status: At risk" in _texts(app)
    texts = [t.value for t in app.text]
    assert "<script>alert(1)</script> **not bold**" in texts  # st.text: shown literally
    assert any("Test Editor (test-editor) · No status reported → At risk" in t for t in texts)
    assert app.text_area(key="edit_note").value == ""  # cleared only after a successful save


def test_stale_save_is_refused_and_newer_status_shown(app: AppTest, tmp_path: Path) -> None:
    app.query_params["action"] = "csp-2425-domestic-abuse-1"
    app.session_state["tracker_editor"] = EDITOR
    app.run()  # the editor is shown version 0
    DuckDBStore(tmp_path / "tracker.duckdb").add_update(
        "csp-2425-domestic-abuse-1", 0, "off-track", "other editor got there first", "Other Editor"
    )
    app.selectbox(key="edit_status").set_value("complete")
    app.text_area(key="edit_note").set_value("mine")
    next(b for b in app.button if b.label == "Save status").click()
    app.run()
    assert not app.exception
    assert any("Not saved: someone else updated this action" in e.value for e in app.error)
    texts = [t.value for t in app.text]
    assert any(t.startswith("Newer status: Off track by Other Editor") for t in texts)
    assert "other editor got there first" in texts
    hist = DuckDBStore(tmp_path / "tracker.duckdb").history("csp-2425-domestic-abuse-1")
    assert [h.note for h in hist] == ["other editor got there first"]  # nothing overwritten
    assert app.text_area(key="edit_note").value == "mine"  # the losing editor's note is kept
    next(b for b in app.button if b.label == "Save status").click()
    app.run()  # "save again to replace it" does, with the kept note
    hist = DuckDBStore(tmp_path / "tracker.duckdb").history("csp-2425-domestic-abuse-1")
    assert [h.note for h in hist] == ["other editor got there first", "mine"]


def _frame(app: AppTest, column: str):
    """The first table on the page with this column (a grid or a static table)."""
    frames = [f.value for f in app.dataframe] + [t.value for t in static_tables(app)]
    return next(f for f in frames if column in f.columns)


def _save(app: AppTest, note: str, status: str | None = "on-track") -> None:
    if status:
        app.selectbox(key="edit_status").set_value(status)
    app.text_area(key="edit_note").set_value(note)
    next(b for b in app.button if b.label == "Save status").click()
    app.run()


def test_reader_sees_statuses_in_plain_words_and_no_storage(app: AppTest) -> None:
    app.query_params["action"] = "5yr-y1-ctb-early-years-offer-and-family-hubs-1"
    app.run()
    assert not app.exception
    text = _texts(app)
    assert "Current status: Progress noted in review" in text
    assert "Family hub funded streams are now all running." in text
    assert "Source: Luton's Population Wellbeing Strategy: One year on review (2024)." in text
    assert "DuckDB" not in text and "tracker.duckdb" not in text and ".txt" not in text
    counts = _frame(app, "Total")
    shown = counts[["No status reported", "Not started"]].apply(pd.to_numeric)  # cells as shown
    assert shown["No status reported"].sum() == 139 and shown["Not started"].sum() == 0
    assert list(counts.columns[:2]) == ["Board", "Total"]  # a phone keeps the first columns
    assert "No editor has reported a status for these actions yet." in text
    for frame in [*app.dataframe, *static_tables(app)]:  # no ids or slugs in any table
        assert "Id" not in frame.value.columns and "action_id" not in frame.value.columns
    csvs = [b for b in app.get("download_button") if b.proto.id.endswith("csv-plan_counts")]
    assert csvs, "the status-by-board table has its CSV beside it"


def test_saved_update_is_dated_and_recently_changed(app: AppTest) -> None:
    app.query_params["action"] = "hpc-2425-tb-1"
    app.session_state["tracker_editor"] = EDITOR
    app.run()
    _save(app, "screening started")
    assert any("Saved: On track" in s.value for s in app.success)
    recent = _frame(app, "By")
    assert list(recent["Status"]) == ["On track"]
    saved = DuckDBStore(app_path(app)).history("hpc-2425-tb-1")[0].created_at.strftime("%-d %B %Y")
    assert recent["Updated"][0] == saved
    assert f"Last status update: {saved}." in _texts(app)  # the page says when, above the list


PAGE_WORK = ("actions_with_status", "apply", "counts_by_board", "phase_counts", "recently_changed",
             "group_rows", "plan_view")  # fmt: skip


def test_a_rerun_works_nothing_out_again_and_shows_a_status_saved_elsewhere(
    app: AppTest, monkeypatch, tmp_path: Path
) -> None:
    """The page's view and its tables' markdown are kept per state of the store and selection: a
    rerun with nothing changed works none of it out again, and a status another server saved
    (straight into the shared store) shows on the next rerun."""
    app.query_params["board"] = "health-protection"
    app.run()
    shown = _texts(app)
    calls: list[str] = []

    def counting(module, name: str) -> None:
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, **k: calls.append(name) or real(*a, **k))

    for name in PAGE_WORK:
        counting(views, name)
    counting(ui_tracker, "static_text")
    app.run()
    assert not app.exception
    assert calls == [] and _texts(app) == shown
    DuckDBStore(tmp_path / "tracker.duckdb").add_update(
        "hpc-2425-tb-1", 0, "at-risk", "", "Other Server"
    )
    app.run()
    assert not app.exception
    assert {"actions_with_status", "plan_view", "static_text"} <= set(calls)
    recent = _frame(app, "By")
    assert (list(recent["Status"]), list(recent["By"])) == (["At risk"], ["Other Server"])
    assert (
        _frame(app, "Total").set_index("Board").loc["Health Protection Committee", "At risk"] == "1"
    )


def app_path(app: AppTest) -> Path:
    import os

    return Path(os.environ["LUTONWB_TRACKER_DB"])


def test_removed_editor_cannot_save(app: AppTest, tmp_path: Path) -> None:
    app.query_params["action"] = "hpc-2425-tb-1"
    gone = auth.Editor("gone-editor", "Gone Editor", EDITOR.password_hash)  # not in the file
    app.session_state["tracker_editor"] = gone
    app.run()
    _save(app, "I was removed yesterday")
    assert not app.exception
    assert any("may no longer update statuses" in e.value for e in app.error)
    assert DuckDBStore(tmp_path / "tracker.duckdb").all_updates() == []


@pytest.mark.parametrize("length", [2_001, 1_000_000])
def test_over_long_note_is_refused_and_kept(app: AppTest, tmp_path: Path, length: int) -> None:
    app.query_params["action"] = "hpc-2425-tb-1"
    app.session_state["tracker_editor"] = EDITOR
    app.run()
    assert app.text_area(key="edit_note").label == "Note (plain text, up to 2,000 characters)"
    _save(app, "x" * length)
    assert not app.exception
    assert any(
        f"the note has {length:,} characters; the limit is 2,000" in e.value for e in app.error
    )
    assert app.text_area(key="edit_note").value == "x" * length  # kept, not cut
    assert DuckDBStore(tmp_path / "tracker.duckdb").all_updates() == []


@contextlib.contextmanager
def held(path: Path) -> Iterator[None]:
    """Another process holds the DuckDB file itself while the block runs."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); time.sleep(120)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait()


def test_busy_store_keeps_the_note(app: AppTest, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("lutonwb.ui.tracker.BUSY_WAIT", 1.0, raising=False)
    app.query_params["action"] = "hpc-2425-tb-1"
    app.session_state["tracker_editor"] = EDITOR
    app.run()
    with held(tmp_path / "tracker.duckdb"):
        started = time.monotonic()
        _save(app, "typed while the file was held")
        assert time.monotonic() - started < 20  # a bounded wait, not the old 30 s per read
        assert not app.exception
        assert any("the store is busy, your note is kept" in e.value for e in app.error)
        assert app.text_area(key="edit_note").value == "typed while the file was held"
    next(b for b in app.button if b.label == "Save status").click()
    app.run()
    assert any("Saved: On track" in s.value for s in app.success)
    hist = DuckDBStore(tmp_path / "tracker.duckdb").history("hpc-2425-tb-1")
    assert [h.note for h in hist] == ["typed while the file was held"]


def test_opening_an_action_while_the_store_is_held(
    app: AppTest, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr("lutonwb.ui.tracker.BUSY_WAIT", 1.0, raising=False)
    DuckDBStore(tmp_path / "tracker.duckdb").init_schema()
    app.query_params["action"] = "hpc-2425-tb-1"
    with held(tmp_path / "tracker.duckdb"):
        app.run()
    assert not app.exception
    warnings = " ".join(w.value for w in app.warning)
    assert "Statuses could not be read just now" in warnings
    assert "The history of this action could not be read just now" in warnings
    assert "All actions: 174 of 174" in _texts(app)  # the plan itself is still shown


def test_repeated_wrong_passwords_are_throttled_and_logged(app: AppTest, caplog) -> None:
    from lutonwb.ui import tracker

    tracker._throttle.clear()
    caplog.set_level("WARNING", logger="lutonwb.tracker.auth")
    app.run()
    try:
        for password in ["guess-1", "guess-2", "guess-3", "luton-test-editor-only"]:
            app.text_input(key="signin_user").set_value("test-editor")
            app.text_input(key="signin_password").set_value(password)
            next(b for b in app.button if b.label == "Sign in").click()
            app.run()
        assert not app.exception
        assert any("too many failed sign-ins" in e.value for e in app.error)
        assert "tracker_editor" not in app.session_state  # even the right password waits
        assert caplog.text.count("failed sign-in for account 'test-editor'") == 3
        assert "guess-" not in caplog.text and "luton-test-editor-only" not in caplog.text
    finally:
        tracker._throttle.clear()


def _glossary(at: AppTest) -> dict[str, str]:
    frame = next(t.value for t in static_tables(at) if "Word or abbreviation" in t.value.columns)
    return dict(zip(frame["Word or abbreviation"], frame["Meaning"], strict=True))


def test_abbreviations_in_the_shown_actions_are_explained(app: AppTest) -> None:
    app.query_params.update({"board": "childrens-trust"})
    app.run()
    assert not app.exception
    with pytest.raises(StopIteration):  # closed: the list is not drawn at all
        _glossary(app)
    app.session_state["plan_open_glossary"] = True  # as a reader opens it
    app.run()
    words = _glossary(app)
    assert words["CYP"] == "Children and young people"  # 'Finalise CYP weight management …'
    assert "HIV" not in words and "TB" not in words  # only terms these actions use
    other = AppTest.from_file(PAGE, default_timeout=120)
    other.query_params.update({"board": "health-protection", "q": "HIV"})
    other.session_state["plan_open_glossary"] = True
    other.run()
    assert "CAMHS" in words and "CAMHS" not in _glossary(other)  # only the shown actions


def test_the_plan_keeps_the_comparator_in_its_link_and_its_measure_links(app: AppTest) -> None:
    """The tracker compares with nothing, but keeps the reader's comparator in the address bar
    and in the links to the measures an action aims to move."""
    app.query_params["cmp"] = "region"
    app.query_params["action"] = "place-2425-cancer-1"
    app.run()
    assert not app.exception and not app.warning
    url = {k: (v[-1] if isinstance(v, list) else v) for k, v in app.query_params.items()}
    assert url["cmp"] == "region" and url["action"] == "place-2425-cancer-1"
    links = re.findall(r"\]\((measure\?[^)]*)\)", "\n".join(m.value for m in app.markdown))
    assert "measure?m=cancer-screening-breast&cmp=region" in links
    assert links and all(link.endswith("&cmp=region") for link in links)
    assert app.session_state["_url_memory"]["cmp"] == "region"


def test_long_action_titles_are_cut_at_a_word_with_an_ellipsis(app: AppTest, wh) -> None:
    """The Action dropdown shortens a long action to 110 characters at a word boundary, ending in
    '…' ('…focusing on transport…'), never mid-word ('…focusing on transport ac')."""
    app.run()
    assert not app.exception
    options = app.selectbox(key="plan_action").options
    long = [o for o in options[1:] if o.endswith("…")]  # after "Choose an action…"
    assert len(long) >= 5, options
    titles = set(wh.plan_actions()["action"])
    for label in long:
        assert len(label) <= 110, label
        head = label.removesuffix("…")
        full = [t for t in titles if t.startswith(head)]
        assert full, label
        assert full[0][len(head)] in " ,;:.", (label, full[0][len(head) : len(head) + 10])


def test_the_plan_page_shows_its_link_with_the_filters_and_the_action(app: AppTest) -> None:
    """Like every page, the tracker gives the link to its exact view: the filters and the action."""
    from tests.app.test_pages import share_link_of

    app.query_params.update({"board": "childrens-trust", "action": "hpc-2425-tb-1"})
    app.run()
    assert not app.exception
    link = share_link_of(app)
    assert "/plan?" in link and "board=childrens-trust" in link, link
    plain = AppTest.from_file(PAGE, default_timeout=120)
    plain.run()
    assert "board=" not in share_link_of(plain)  # no filter chosen: none in the link
