"""The browserless reader speaks Streamlit's protocol: against a throwaway server of the empty
app it runs the page, finds the button by its id and clicks it with a rerun."""

from __future__ import annotations

import asyncio
import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.harness import ROOT, Server
from bench.protocol import Reader


@pytest.fixture
def empty_server(tmp_path):
    srv = Server(ROOT / "bench" / "empty_app.py").start(tmp_path)
    try:
        srv.wait_healthy(timeout=30)
        yield srv
    finally:
        srv.stop()


def test_reader_runs_the_page_and_clicks_its_button(empty_server) -> None:
    async def session():
        r = Reader(empty_server.url)
        await r.connect()
        try:
            opened = await r.open_page("")
            widgets = list(r.widgets.values())
            clicked = await r.choose(random.Random(0))
            return opened, widgets, clicked, dict(r.states)
        finally:
            await r.close()

    with ThreadPoolExecutor(1) as pool:  # a browser test may hold this thread's event loop
        run = pool.submit(asyncio.run, asyncio.wait_for(session(), 20))
        opened, widgets, clicked, states = run.result()
    assert [(w.kind, w.label) for w in widgets] == [("button", "Click")]
    assert widgets[0].id.endswith("-click")  # the widget's key is part of its id
    assert opened.exceptions == 0 and opened.seconds < 10
    assert opened.elements == 2  # the title and the button
    assert clicked is not None and clicked.elements == 3  # and "clicked"
    assert states == {}  # a click is sent once, not carried into the next rerun
