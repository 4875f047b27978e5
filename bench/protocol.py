"""A browserless reader: one session spoken over Streamlit's own WebSocket protocol.

It does what the frontend does on the wire and nothing it draws: connect to /_stcore/stream, send
`BackMsg.rerun_script` (the page by its URL path, the query string the app last wrote, the widget
states changed so far, the hashes of large elements it already holds), then read `ForwardMsg`
frames until `script_finished`. The widgets (their ids, options and current values) come from the
run's own deltas, so a reader can change a selectbox or click a button the way a reader would.
Messages are built and parsed with Streamlit's own protobuf classes.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


@dataclass
class Widget:
    """A widget the last run drew: a selectbox (with its options) or a button."""

    id: str
    kind: str
    label: str
    options: list[str] = field(default_factory=list)
    value: str = ""
    fragment: str = ""  # the fragment drawing it ('' for the page's own script)


@dataclass
class RunResult:
    """One rerun as the client saw it: seconds from the request to script_finished."""

    seconds: float
    messages: int
    elements: int
    exceptions: int


class Reader:
    """One session on a Streamlit server (see the module docstring)."""

    def __init__(self, base_url: str) -> None:
        self.url = base_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.ws = None
        self.page = ""  # URL path of the current page ('' for the default page)
        self.pages: list[str] = []  # URL paths of the app's pages (from the navigation message)
        self.query = ""
        self.widgets: dict[str, Widget] = {}
        self.states: dict[str, WidgetState] = {}
        self.cache: dict[str, ForwardMsg] = {}  # large elements by hash, as the frontend keeps
        self.expanders: dict[str, tuple[str, str]] = {}  # label → (widget id, fragment id)
        self.texts: list[str] = []  # the markdown the last run drew, in order
        self.last_frames: list[bytes] = []  # every frame of the last run, as received

    async def connect(self) -> None:
        self.ws = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=None, open_timeout=60, ping_interval=None
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def open_page(self, page: str) -> RunResult:
        """Switch to a page as a sidebar link does: a rerun on the open connection."""
        self.page, self.query = page, ""
        self.states.clear()
        return await self.rerun()

    @property
    def _expander_ids(self) -> set[str]:
        return {widget_id for widget_id, _ in self.expanders.values()}

    def selectboxes(self, labels: tuple[str, ...] | None = None) -> list[Widget]:
        """The page's selectboxes with these labels (all if None) that offer another option."""
        return [
            w
            for w in self.widgets.values()
            if w.kind == "selectbox"
            and len(w.options) > 1
            and (labels is None or w.label in labels)
        ]

    async def choose(
        self, rng: random.Random, labels: tuple[str, ...] | None = None, first: int = 10
    ) -> RunResult | None:
        """Change one selectbox with one of these labels to another of its first few options (or
        click a button if the page has no such selectbox); None if the page has neither."""
        boxes = self.selectboxes(labels)
        if boxes:
            widget = rng.choice(boxes)
            options = [o for o in widget.options[:first] if o != widget.value]
            return await self._set_option(widget, rng.choice(options))
        buttons = [w for w in self.widgets.values() if w.kind == "button"]
        if not buttons:
            return None
        widget = rng.choice(buttons)
        state = WidgetState()
        state.id = widget.id
        state.trigger_value = True
        self.states[state.id] = state
        result = await self.rerun(widget.fragment)  # a widget in a fragment reruns only that
        self.states.pop(state.id, None)  # a click is sent once
        return result

    async def open_section(self, label: str, opened: bool = True) -> RunResult:
        """Open (or close) a lazy section by its expander's label as a click does: the expander's
        state sent with its fragment's id, so only that fragment reruns if it is one."""
        widget_id, fragment_id = self.expanders[label]
        state = WidgetState()
        state.id = widget_id
        state.bool_value = opened
        self.states[widget_id] = state
        return await self.rerun(fragment_id)

    async def run_frames(self, fragment_id: str = "") -> list[bytes]:
        """Request a rerun of the current page (or of one fragment of it) and return every frame
        up to its script_finished; a run cut short by another rerun is read through to the end
        of the one that replaced it."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.page_name = self.page
        cs.query_string = self.query
        cs.widget_states.widgets.extend(self.states.values())
        cs.cached_message_hashes.extend(self.cache)
        if fragment_id:
            cs.fragment_id = fragment_id
        await self.ws.send(msg.SerializeToString())
        frames: list[bytes] = []
        while True:
            frames.append(await self.ws.recv())
            fwd = ForwardMsg.FromString(frames[-1])
            if fwd.WhichOneof("type") == "script_finished" and fwd.script_finished != EARLY:
                return frames

    async def rerun(self, fragment_id: str = "") -> RunResult:
        """Request a rerun of the current page (or of one fragment of it), read until its script
        has finished, and take in what it drew (its widgets, texts and large elements)."""
        self.texts = []
        t0 = time.perf_counter()
        frames = await self.run_frames(fragment_id)
        elapsed = time.perf_counter() - t0
        self.last_frames = frames
        seen: dict[str, Widget] = {}
        drawn: list[str] = []
        for frame in frames:
            fwd = ForwardMsg.FromString(frame)
            kind = fwd.WhichOneof("type")
            if kind == "ref_hash":
                fwd = self.cache.get(fwd.ref_hash, fwd)
                kind = fwd.WhichOneof("type")
            if kind == "delta":
                drawn.append(self._take_delta(fwd, seen))
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "navigation":
                self.pages = [p.url_pathname for p in fwd.navigation.app_pages]
        if fragment_id:  # the rest of the page was not redrawn: its widgets stand
            seen = {**self.widgets, **seen}
        self.states = {k: v for k, v in self.states.items() if k in seen or k in self._expander_ids}
        for key, state in self.states.items():  # the value sent, not the element's default
            if state.HasField("string_value"):
                seen[key].value = state.string_value
        self.widgets = seen
        elements = sum(1 for kind in drawn if kind)
        return RunResult(elapsed, len(frames), elements, drawn.count("exception"))

    async def choose_option(self, label: str, option: str) -> RunResult:
        """Set the selectbox with this label to this option (its text as shown), as a reader's
        choice does."""
        widget = next(iter(self.selectboxes((label,))), None)
        if widget is None or option not in widget.options:
            raise LookupError(f"no selectbox {label!r} offering {option!r}")
        return await self._set_option(widget, option)

    async def _set_option(self, widget: Widget, option: str) -> RunResult:
        state = WidgetState()
        state.id = widget.id
        state.string_value = option
        self.states[state.id] = state
        return await self.rerun(widget.fragment)  # a widget in a fragment reruns only that

    def _take_delta(self, fwd: ForwardMsg, seen: dict[str, Widget]) -> str:
        """Note the widgets a delta draws; keep large elements for cached_message_hashes;
        return the type of element it draws ('' for other deltas)."""
        if fwd.metadata.cacheable and fwd.hash:
            self.cache[fwd.hash] = fwd
        if fwd.delta.WhichOneof("type") == "add_block":
            block = fwd.delta.add_block
            if block.WhichOneof("type") == "expandable" and block.expandable.id:
                self.expanders[block.expandable.label] = (
                    block.expandable.id,
                    fwd.delta.fragment_id,
                )
            return ""
        if fwd.delta.WhichOneof("type") != "new_element":
            return ""
        el = fwd.delta.new_element
        kind = el.WhichOneof("type")
        if kind == "markdown":
            self.texts.append(el.markdown.body)
        if kind == "selectbox":
            box = el.selectbox
            value = box.raw_value if box.set_value else ""
            if not value and box.HasField("default") and box.default < len(box.options):
                value = box.options[box.default]
            seen[box.id] = Widget(
                box.id, kind, box.label, list(box.options), value, fwd.delta.fragment_id
            )
        elif kind == "button":
            seen[el.button.id] = Widget(
                el.button.id, kind, el.button.label, fragment=fwd.delta.fragment_id
            )
        return kind
