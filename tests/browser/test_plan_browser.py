"""Editor journey on the plan page in headless chromium: sign in, update a status with a hostile
note, see the note as plain text, sign out, and the edit controls are gone."""

from __future__ import annotations

from tests.browser.conftest import screenshot, wait_for_app

# The documented test-only fixture account (tests/browser/editors.toml); not a real credential.
USERNAME = "test-editor"
PASSWORD = "luton-test-editor-only"
NOTE = "<script>alert(1)</script> checked **twice**"


def sign_in(page) -> None:
    """Sign in on the plan page as the test editor."""
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as Test Editor", exact=True).wait_for()
    wait_for_app(page)


NOTE_LABEL = "Note (plain text, up to 2,000 characters)"


def save_status(page, status: str, note: str) -> None:
    """Save a status with a note for the open action (signed in)."""
    page.get_by_role("textbox", name=NOTE_LABEL).fill(note)
    page.get_by_role("combobox", name="New status").click()
    page.get_by_role("option", name=status).click()
    page.get_by_role("button", name="Save status").click()
    page.get_by_text(f"Saved: {status}").wait_for()
    wait_for_app(page)


def test_editor_updates_a_status(page, app_server) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app_server + "/plan?action=hpc-2425-tb-1")
    page.get_by_role("heading", name="Year-plan tracker").wait_for(timeout=60_000)
    page.get_by_test_id("stText").filter(
        has_text="twice yearly find-and-treat TB screening"
    ).wait_for()
    page.get_by_role("button", name="Sign in").wait_for()
    wait_for_app(page)
    # a reader sees no edit control
    assert page.get_by_role("button", name="Save status").count() == 0

    sign_in(page)
    save_status(page, "At risk", NOTE)

    note = page.get_by_text(NOTE, exact=True)
    assert note.count() == 1 and note.is_visible()  # shown literally, as text
    assert page.locator("script", has_text="alert(1)").count() == 0
    assert page.locator("strong", has_text="twice").count() == 0  # not rendered as Markdown
    assert page.get_by_text("Test Editor (test-editor) · No status reported → At risk").is_visible()
    assert dialogs == []
    screenshot(page, "plan-editor-saved")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()
    wait_for_app(page)
    assert page.get_by_role("button", name="Save status").count() == 0
    assert page.get_by_role("textbox", name=NOTE_LABEL).count() == 0
    assert page.get_by_text(NOTE, exact=True).is_visible()  # the history stays readable
    screenshot(page, "plan-signed-out")
