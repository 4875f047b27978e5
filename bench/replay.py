"""The content floor: what the same page costs when a script does no work but re-send it.

`capture()` records every message of each run of a page along a journey (the page opened, then
the same choices the benchmark's browser makes on the app, in the same order), each run sent in
full; `bench/replay_app.py` re-sends them, one view a run.
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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.protocol import Reader, RunResult

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


@dataclass(frozen=True)
class Journey:
    """A page opened by its URL path ('' for the default page), then these options chosen in
    turn in its selectbox with this label (by their text as shown): the views a replay of the page
    goes through, the one it opens on first."""

    page: str
    label: str = ""
    options: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The name its views are stored under: the URL path, 'overview' for the default page."""
        return self.page or "overview"


def whole_run(r: Reader, result: RunResult) -> list[bytes]:
    """The frames of the reader's last run, refused (ValueError) unless it is one whole run that
    drew no exception: the replay would re-send an error, or two runs as one."""
    statuses = [
        fwd.script_finished
        for fwd in map(ForwardMsg.FromString, r.last_frames)
        if fwd.WhichOneof("type") == "script_finished"
    ]
    if result.exceptions or statuses != [ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY]:
        raise ValueError(
            f"/{r.page}?{r.query}: not one whole run without errors "
            f"({result.exceptions} exceptions; ends {statuses})"
        )
    return r.last_frames


async def capture(url: str, journey: Journey) -> list[list[bytes]]:
    """Every message of each view of a journey, as a new session receives it (no element sent as
    a reference to what the browser holds); made twice, keeping the second, so every cache of the
    app is warm as in the benchmark's timed runs."""
    for _ in range(2):
        r = Reader(url)
        await r.connect()
        try:
            r.page = journey.page
            views = [whole_run(r, await r.rerun())]
            for option in journey.options:
                r.cache.clear()
                views.append(whole_run(r, await r.choose_option(journey.label, option)))
        finally:
            await r.close()
    return views


def capture_views(url: str, folder: Path, journeys: Iterable[Journey]) -> None:
    """Store the views of each journey (bench/replay_app.py re-sends them)."""
    folder.mkdir(parents=True, exist_ok=True)

    async def all_views() -> None:
        for journey in journeys:
            for i, frames in enumerate(await capture(url, journey)):
                write_frames(view_file(folder, journey.name, i), frames)

    asyncio.run(all_views())
