"""The content floor: what the same page costs when a script does no work but re-send it.

`capture()` records every message one run of a page sends (a fresh session, so no element comes
as a reference to the browser's cache); `bench/replay_app.py` re-sends them on each of its runs.
The page then looks and behaves as the app's (the same elements, navigation and page settings),
but no Python of the app runs: the time left is Streamlit's own cost of sending and the browser's
of drawing that content. Set beside the empty app, it says how much of a ratio is the content
the page shows (fixed once its design is) and how much is the app's own code (the rest).

Views are stored as frames (a 4-byte big-endian length, then a serialized ForwardMsg), one file a
view: `<dir>/<page>.bin` for the view a page opens on, `<page>~2.bin`, ... for further views that
a rerun cycles through (a reader's choice shows other content: so must the replay's).
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.protocol import Reader

REPLAY_DIR_ENV = "LUTONWB_BENCH_REPLAY_DIR"  # where replay_app.py finds its views (bench only)
# what the replay re-sends: the page's elements, its navigation and its page settings (not the
# session's own messages, its URL or the end of the run, which the replay's run sends itself)
REPLAYED = frozenset({"delta", "navigation", "page_config_changed"})


def write_frames(path: Path, frames: Iterable[bytes]) -> None:
    with path.open("wb") as out:
        for frame in frames:
            out.write(struct.pack(">I", len(frame)))
            out.write(frame)


def read_frames(path: Path) -> list[bytes]:
    data, frames, at = path.read_bytes(), [], 0
    while at < len(data):
        (n,) = struct.unpack_from(">I", data, at)
        frames.append(data[at + 4 : at + 4 + n])
        at += 4 + n
    return frames


def view_file(folder: Path, page: str, view: int = 0) -> Path:
    """The file of a page's view (0: the one it opens on)."""
    return folder / (f"{page}.bin" if view == 0 else f"{page}~{view + 1}.bin")


def views_of(folder: Path, page: str) -> list[Path]:
    """A page's stored views in order, the one it opens on first."""
    found = []
    while view_file(folder, page, len(found)).is_file():
        found.append(view_file(folder, page, len(found)))
    return found


async def capture(url: str, page: str, query: str = "") -> list[bytes]:
    """Every message of one run of a page (URL path '' for the default page) with this query
    string, as a new session receives it; the run is made once before, so every cache is warm."""
    for _ in range(2):
        r = Reader(url)
        await r.connect()
        try:
            msg = BackMsg()
            msg.rerun_script.page_name = page
            msg.rerun_script.query_string = query
            await r.ws.send(msg.SerializeToString())
            frames = []
            while True:
                frame = await r.ws.recv()
                fwd = ForwardMsg.FromString(frame)
                frames.append(frame)
                if fwd.WhichOneof("type") == "script_finished":
                    break
        finally:
            await r.close()
    return frames


def capture_views(url: str, folder: Path, views: dict[str, Sequence[str]]) -> None:
    """Store each page's views: {page name: [query string of each view, the first the page's
    own]}; the page name is its URL path, 'overview' for the default page's."""
    folder.mkdir(parents=True, exist_ok=True)

    async def all_views() -> None:
        for page, queries in views.items():
            path = "" if page == "overview" else page
            for i, query in enumerate(queries):
                write_frames(view_file(folder, page, i), await capture(url, path, query))

    asyncio.run(all_views())
