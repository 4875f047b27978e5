"""The content floor re-sends a captured page as it was drawn, cycling through its views on each
rerun, under the app's own navigation: captured from a throwaway server of the empty two-page
app, replayed by another."""

from __future__ import annotations

import asyncio
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.harness import ROOT, Server
from bench.protocol import Reader
from bench.replay import (
    REPLAY_DIR_ENV,
    Journey,
    capture_views,
    read_frames,
    view_file,
    views_of,
    write_frames,
)


def in_thread(coro):
    with ThreadPoolExecutor(1) as pool:  # a browser test may hold this thread's event loop
        return pool.submit(asyncio.run, asyncio.wait_for(coro, 30)).result()


def test_frames_round_trip(tmp_path) -> None:
    frames = [b"", b"abc", bytes(range(256)) * 300]
    write_frames(tmp_path / "x.bin", frames)
    assert read_frames(tmp_path / "x.bin") == frames


def test_views_are_found_in_order(tmp_path) -> None:
    for i in (0, 1, 2):
        write_frames(view_file(tmp_path, "measure", i), [b"x"])
    write_frames(view_file(tmp_path, "measure", 4), [b"x"])  # after a gap: not a view
    assert [p.name for p in views_of(tmp_path, "measure")] == [
        "measure.bin",
        "measure~2.bin",
        "measure~3.bin",
    ]


@pytest.fixture
def captured(tmp_path):
    """The empty two-page app's pages, the default one stored twice (two views)."""
    srv = Server(ROOT / "bench" / "empty_nav_app.py").start(tmp_path / "logs")
    try:
        srv.wait_healthy(timeout=30)
        capture_views(srv.url, tmp_path / "views", [Journey(""), Journey("second")])
    finally:
        srv.stop()
    views = tmp_path / "views"
    write_frames(view_file(views, "overview", 1), read_frames(view_file(views, "overview")))
    return views


def retitled(folder, page: str, view: int, title: str) -> None:
    """Give a stored view another title, so that the replay's runs can be told apart."""
    frames = read_frames(view_file(folder, page, view))
    for i, frame in enumerate(frames):
        fwd = ForwardMsg.FromString(frame)
        if fwd.WhichOneof("type") == "delta" and fwd.delta.new_element.HasField("heading"):
            fwd.delta.new_element.heading.body = title
            fwd.ClearField("hash")
            frames[i] = fwd.SerializeToString()
    write_frames(view_file(folder, page, view), frames)


def drawn(frames: list[bytes]) -> list[tuple[str, str]]:
    """The elements a run drew: (kind, its text or label), in order."""
    out = []
    for frame in frames:
        fwd = ForwardMsg.FromString(frame)
        if fwd.WhichOneof("type") != "delta" or fwd.delta.WhichOneof("type") != "new_element":
            continue
        el = fwd.delta.new_element
        kind = el.WhichOneof("type")
        inner = getattr(el, kind)
        out.append((kind, getattr(inner, "body", "") or getattr(inner, "label", "")))
    return out


def test_capture_keeps_every_element_of_the_run(captured) -> None:
    frames = read_frames(view_file(captured, "overview"))
    kinds = [ForwardMsg.FromString(f).WhichOneof("type") for f in frames]
    assert kinds[-1] == "script_finished"
    assert "navigation" in kinds
    assert drawn(frames) == [("heading", "Empty app"), ("button", "Click")]


def test_replay_draws_the_captured_pages_and_cycles_their_views(captured, tmp_path) -> None:
    retitled(captured, "overview", 1, "Second view")
    retitled(captured, "second", 0, "Second page")
    srv = Server(ROOT / "bench" / "replay_app.py", env={REPLAY_DIR_ENV: str(captured)})
    srv.start(tmp_path / "replay-logs")
    try:
        srv.wait_healthy(timeout=30)

        async def session():
            r = Reader(srv.url)
            await r.connect()
            try:
                pages = ["", "", "", "second", ""]  # three runs of one page, then another, back
                return [await run_frames(r, p) for p in pages]
            finally:
                await r.close()

        runs = in_thread(session())
    finally:
        srv.stop()
    original = drawn(read_frames(view_file(captured, "overview")))
    assert drawn(runs[0]) == original  # the page as the app drew it, element for element
    assert drawn(runs[1]) == [("heading", "Second view"), *original[1:]]
    assert drawn(runs[2]) == original  # and round again
    assert drawn(runs[3]) == [("heading", "Second page"), *original[1:]]
    assert drawn(runs[4]) == original  # back from another page: the view it opens on
    navs = [ForwardMsg.FromString(f).navigation for f in runs[0]]
    nav = next(n for n in navs if n.app_pages)
    assert [(p.page_name, p.url_pathname, p.is_default) for p in nav.app_pages] == [
        ("First", "", True),
        ("Second", "second", False),
    ]  # the app's own pages, names and addresses


async def run_frames(r: Reader, page: str) -> list[bytes]:
    """One run of a page of the replay (its URL path), every frame it sent."""
    r.page = page
    return await r.run_frames()


CHOOSING_APP = """
import streamlit as st

choice = st.selectbox("Comparator group", [f"Group {i}" for i in range(1, 8)], key="group")
st.write(f"Chosen: {choice}")
"""


@pytest.fixture
def choosing(tmp_path):
    """A server of a page that writes the option chosen in its selectbox."""
    script = tmp_path / "choosing_app.py"
    script.write_text(CHOOSING_APP)
    srv = Server(script).start(tmp_path / "logs")
    try:
        srv.wait_healthy(timeout=30)
        yield srv
    finally:
        srv.stop()


def test_a_journey_stores_each_choice_in_order(choosing, tmp_path) -> None:
    journey = Journey("", "Comparator group", ("Group 3", "Group 1", "Group 7"))
    capture_views(choosing.url, tmp_path / "views", [journey])
    views = [read_frames(p) for p in views_of(tmp_path / "views", "overview")]
    shown = [text for v in views for kind, text in drawn(v) if kind == "markdown"]
    assert shown == ["Chosen: Group 1", "Chosen: Group 3", "Chosen: Group 1", "Chosen: Group 7"]
    for frames in views:  # each a whole run, every element sent in full (none by reference)
        kinds = [ForwardMsg.FromString(f).WhichOneof("type") for f in frames]
        assert kinds.count("script_finished") == 1 and "ref_hash" not in kinds


def test_a_choice_the_page_does_not_offer_is_refused(choosing, tmp_path) -> None:
    with pytest.raises(LookupError, match="Group 99"):
        capture_views(
            choosing.url, tmp_path / "v", [Journey("", "Comparator group", ("Group 99",))]
        )


def test_a_run_that_fails_is_not_stored(tmp_path) -> None:
    script = tmp_path / "failing_app.py"
    script.write_text("import streamlit as st\nst.write('before')\nraise ValueError('no')\n")
    srv = Server(script).start(tmp_path / "logs")
    try:
        srv.wait_healthy(timeout=30)
        with pytest.raises(ValueError, match="1 exceptions"):
            capture_views(srv.url, tmp_path / "v", [Journey("")])
    finally:
        srv.stop()
    assert not views_of(tmp_path / "v", "overview")


def test_the_content_floor_is_served_as_the_app_is(tmp_path) -> None:
    """Started by the app's launcher (the page shell's base-URL hint, so a page opened by its
    address connects at once, as the app's does) from a folder whose static/ is the project's."""
    from bench.run import content_floor

    async def serve():
        return await content_floor(app, {}, [Journey(""), Journey("second")], tmp_path / "work")

    app = Server(ROOT / "bench" / "empty_nav_app.py").start(tmp_path / "logs")
    try:
        app.wait_healthy(timeout=30)
        (tmp_path / "work").mkdir()
        replay = in_thread(serve())
    finally:
        app.stop()
    try:
        with urllib.request.urlopen(f"{replay.url}/second", timeout=10) as page:
            assert "BACKEND_BASE_URL" in page.read().decode()
        with urllib.request.urlopen(f"{replay.url}/app/static/README.md", timeout=10) as f:
            assert f.read() == (ROOT / "static" / "README.md").read_bytes()
    finally:
        replay.stop()
