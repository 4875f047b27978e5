"""The published build for pages, and the one cache convention for everything derived from it.

A page load never builds once a good build exists: readers keep the last good build, and
rebuilding is the operator's command (`lutonwb build`). The app builds only on a fresh clone's
first start, when there is no build at all, one process at a time. Every cached result is keyed by
build_id() (see by_build), so a newly published build or an edited catalogue is picked up on the
next rerun and nothing else invalidates.
"""

from __future__ import annotations

import fcntl
import functools
import inspect
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lutonwb import config
from lutonwb.catalogue import catalogue_inputs
from lutonwb.db import Warehouse
from lutonwb.ingest import build, is_current
from lutonwb.ingest.pipeline import MANIFEST, newest_build
from lutonwb.progress.targets import TARGETS_FILE

log = logging.getLogger(__name__)

READER_TTL = 3600  # seconds a result keyed by reader input is kept (bounded in entries too)
NOT_READY = (
    "The data could not be prepared. The site's operator has been told; please try again later."
)
F = TypeVar("F", bound=Callable[..., Any])


def published_build() -> Path | None:
    """Folder of the build readers use: the live one, else the newest kept good build
    (the live folder may have been deleted), else None when nothing was ever built."""
    out = config.warehouse_dir()
    if (out / MANIFEST).is_file():
        return out.resolve()
    kept = newest_build(out)
    if kept is not None:
        log.warning("the live warehouse %s is missing: reading the kept build %s", out, kept)
    return kept


def build_folder() -> Path:
    """The published build's folder; on a fresh clone (no build at all) it is built first."""
    return published_build() or _first_build()


def _first_build() -> Path:
    """Build once across processes and sessions (others wait on the lock), with a calm notice.
    Failures go to the log; the page only says the data is not ready."""
    raw, out = config.raw_dir(), config.warehouse_dir()
    out.parent.mkdir(parents=True, exist_ok=True)
    with st.status("Preparing the data for first use…") as status:
        with open(out.parent / f".{out.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            folder = published_build()  # another process may have built it while we waited
            if folder is None:
                try:
                    build(raw, out, progress=log.info)
                except Exception:  # noqa: BLE001 (any failure: the log has it, the page does not)
                    log.exception("the first build of the warehouse failed")
                    status.update(label="The data is not ready yet", state="error")
                    st.error(NOT_READY)
                    st.stop()
                folder = out.resolve()
        status.update(label="Data ready", state="complete", expanded=False)
    return folder


def mtime_ns(path: Path) -> int:
    """A file's modification time in nanoseconds, 0 when it is missing (a cache key part)."""
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def build_id() -> str:
    """Id of what every cached result derives from: the published build, the catalogue's files
    and the place's targets. Worked out once per script run (a page's ~20 cached calls each
    asked for it: ~450 file-system calls a rerun), so one run reads one build throughout and the
    next run sees a newly published one; outside a script run, on every call."""
    ctx = get_script_run_ctx(suppress_warning=True)
    run = getattr(ctx, "cursors", None)  # Streamlit makes a new dict at the start of each run
    if run is None:
        return _current_build_id()
    held = getattr(ctx, RUN_BUILD_ID, None)
    if held is not None and held[0] is run:  # the dict is held, so `is` cannot be fooled
        return held[1]
    found = _current_build_id()
    setattr(ctx, RUN_BUILD_ID, (run, found))
    return found


RUN_BUILD_ID = "_lutonwb_build_id"  # the script run's (cursors, build id), kept on its context


def _current_build_id() -> str:
    """build_id read from the files now."""
    folder = build_folder()
    inputs = (folder / MANIFEST, *catalogue_inputs(), config.place_dir() / TARGETS_FILE)
    stamps = ":".join(str(mtime_ns(p)) for p in inputs)
    return f"{folder.name}:{stamps}"


def by_build(cache: Callable[..., Any] = st.cache_data, **options: Any) -> Callable[[F], F]:
    """Cache a function per published build: callers pass the same arguments as before, and the
    build id is added as the first key. Defaults are filled in and lists become tuples, so equal
    calls share one entry. `options` go to the Streamlit cache (max_entries, ttl, show_spinner)."""

    def wrap(fn: F) -> F:
        sig = inspect.signature(fn)

        def keyed(build: str, args: tuple[Any, ...]) -> Any:
            return fn(*args)

        keyed.__module__, keyed.__qualname__ = fn.__module__, fn.__qualname__  # its own cache
        cached = cache(**{"show_spinner": False, **options})(keyed)

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            values = tuple(tuple(v) if isinstance(v, list) else v for v in bound.arguments.values())
            # by keyword: Streamlit works out a positional argument's name with
            # inspect.signature on every call (~3% of the server's time under load)
            return cached(build=build_id(), args=values)

        call.clear = cached.clear  # type: ignore[attr-defined]
        call.cache_options = options  # type: ignore[attr-defined]  (tests check the bounds)
        return call  # type: ignore[return-value]

    return wrap


@st.cache_resource(show_spinner=False, max_entries=2)  # the current build and, briefly, the last
def _warehouse(folder: str) -> Warehouse:
    _log_if_stale(Path(folder))
    return Warehouse(Path(folder))


def _log_if_stale(folder: Path) -> None:
    """Raw files newer than the build are the operator's to rebuild: log it, never build here."""
    try:
        current = is_current(config.raw_dir(), folder)
    except OSError:
        current = False
    if not current:
        log.warning(
            "the raw data differs from the published build %s: run `lutonwb build`", folder.name
        )


def warehouse() -> Warehouse:
    """The open warehouse of the published build (reopened when a new build is published)."""
    return _warehouse(str(build_folder()))
