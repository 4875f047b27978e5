"""The plan page under AppTest: real contents, deep-link filters, malformed parameters, no edit
controls for readers, and a signed-in save."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lutonwb.tracker.auth import Editor

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "plan.py")


@pytest.fixture
def app(warehouse_dir, tmp_path: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("LUTONWB_TRACKER_DB", str(tmp_path / "tracker.duckdb"))
    monkeypatch.setenv("LUTONWB_EDITORS_FILE", str(ROOT / "tests" / "browser" / "editors.toml"))
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
    assert any(f"Ignored {key}=" in w.value for w in app.warning)
    assert "All actions: 174 of 174" in _texts(app)


def test_signed_in_editor_saves_and_note_is_text(app: AppTest) -> None:
    app.query_params["action"] = "hpc-2425-tb-1"
    app.run()
    app.session_state["tracker_editor"] = Editor("test-editor", "Test Editor", "x")
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
    assert any("Test Editor (test-editor) · Not started → At risk" in t for t in texts)


def test_stale_save_is_refused_and_newer_status_shown(app: AppTest, tmp_path: Path) -> None:
    from lutonwb.tracker.store import DuckDBStore

    app.query_params["action"] = "csp-2425-domestic-abuse-1"
    app.session_state["tracker_editor"] = Editor("test-editor", "Test Editor", "x")
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
