"""The content floor re-sends a captured page as it was drawn, cycling through its views on each
rerun: captured from a throwaway server of the empty select app, replayed by another."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.harness import ROOT, Server
from bench.protocol import Reader
from bench.replay import (
    REPLAY_DIR_ENV,
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
    """The empty select app's page, as it opens and with its measure list on another option."""
    srv = Server(ROOT / "bench" / "empty_select_app.py").start(tmp_path / "logs")
    try:
        srv.wait_healthy(timeout=30)
        capture_views(srv.url, tmp_path / "views", {"overview": ["", ""]})
    finally:
        srv.stop()
    return tmp_path / "views"


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
    assert drawn(frames)[:3] == [
        ("heading", "Empty app"),
        ("selectbox", "Comparator group"),
        ("selectbox", "Measure"),
    ]


def test_replay_draws_the_captured_page_and_cycles_its_views(captured, tmp_path) -> None:
    # the second view differs from the first: the replay must show it on the next rerun
    second = read_frames(view_file(captured, "overview", 1))
    for i, frame in enumerate(second):
        fwd = ForwardMsg.FromString(frame)
        if fwd.WhichOneof("type") == "delta" and fwd.delta.new_element.HasField("heading"):
            fwd.delta.new_element.heading.body = "Second view"
            fwd.ClearField("hash")
            second[i] = fwd.SerializeToString()
    write_frames(view_file(captured, "overview", 1), second)

    srv = Server(ROOT / "bench" / "replay_app.py", env={REPLAY_DIR_ENV: str(captured)})
    srv.start(tmp_path / "replay-logs")
    try:
        srv.wait_healthy(timeout=30)

        async def session():
            r = Reader(srv.url)
            await r.connect()
            try:
                return [await run_frames(r) for _ in range(3)]
            finally:
                await r.close()

        runs = in_thread(session())
    finally:
        srv.stop()
    original = drawn(read_frames(view_file(captured, "overview")))
    assert drawn(runs[0]) == original  # the page as the app drew it, element for element
    assert drawn(runs[1]) == [("heading", "Second view"), *original[1:]]
    assert drawn(runs[2]) == original  # and round again


async def run_frames(r: Reader) -> list[bytes]:
    """One rerun of the replay's overview, every frame it sent."""
    msg = BackMsg()
    msg.rerun_script.query_string = "page=overview"
    await r.ws.send(msg.SerializeToString())
    frames = []
    while True:
        frames.append(await r.ws.recv())
        if ForwardMsg.FromString(frames[-1]).WhichOneof("type") == "script_finished":
            return frames
