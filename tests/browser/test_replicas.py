"""Two replicas behind the shipped HAProxy configuration (deploy/haproxy.cfg), on loopback, with
PostgreSQL for the tracker: the set-up docs/DEPLOYMENT.md section 2 recommends.

An editor signs in through the proxy and saves a status on replica a; a reader pinned to replica b
sees it; replica b is killed mid-session and the reader's page carries on through replica a with
the same view; every saved update is still there. The proxy's security headers, its block on
Streamlit's metrics and its address normalisation are checked on the same running set-up.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import secrets
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

from bench.harness import free_port
from lutonwb.tracker.store import PostgresStore
from tests.browser.conftest import (
    ROOT,
    fresh_page,
    screenshot,
    start_app,
    wait_for_app,
    wait_healthy,
)
from tests.browser.test_plan_browser import NOTE_LABEL, save_status, sign_in
from tests.tracker.conftest import pg_server  # noqa: F401 (the throwaway PostgreSQL fixture)

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

CONFIG = ROOT / "deploy" / "haproxy.cfg"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"  # /usr/sbin is not on every PATH
ACTION = "hpc-2425-tb-1"
VIEW = f"/plan?action={ACTION}&status=at-risk"
FIRST_NOTE, SECOND_NOTE = "Checked on replica a", "Saved while replica b was down"
SECRET = secrets.token_hex(16)  # one cookie secret shared by both replicas


@dataclass
class Replicas:
    """The running set-up: the proxy's URL, each replica's process and own URL, the proxy's log
    and the tracker's database."""

    url: str
    procs: dict[str, subprocess.Popen]
    direct: dict[str, str]
    log: Path
    db: str

    def kill(self, name: str) -> None:
        """SIGKILL one replica: no clean shutdown, as when a host dies."""
        self.procs[name].send_signal(signal.SIGKILL)
        self.procs[name].wait(timeout=10)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def replicas(warehouse_dir, pg_server, tmp_path_factory) -> Iterator[Replicas]:  # noqa: F811
    """Two app replicas (one cookie secret, one PostgreSQL database) behind HAProxy."""
    if not Path(HAPROXY).exists():
        pytest.skip("no haproxy on PATH (scripts/test.sh installs Debian's haproxy)")
    logs = tmp_path_factory.mktemp("replica-logs")
    env = dict(os.environ)
    env.update(
        LUTONWB_DATABASE_URL=f"{pg_server}/postgres",
        STREAMLIT_SERVER_COOKIE_SECRET=SECRET,
        LUTONWB_EDITORS_FILE=str(ROOT / "tests" / "browser" / "editors.toml"),
    )
    ports = {"a": free_port(), "b": free_port()}
    procs = {n: start_app(dict(env), p, open(logs / f"{n}.log", "w")) for n, p in ports.items()}  # noqa: SIM115
    direct = {n: f"http://127.0.0.1:{p}" for n, p in ports.items()}
    proxy_port = free_port()
    proxy_env = dict(
        env,
        LUTONWB_PROXY_BIND=f"127.0.0.1:{proxy_port}",
        LUTONWB_PROXY_TLS="",
        LUTONWB_REPLICA_A=f"127.0.0.1:{ports['a']}",
        LUTONWB_REPLICA_B=f"127.0.0.1:{ports['b']}",
    )
    log = logs / "haproxy.log"
    proxy = subprocess.Popen(
        [HAPROXY, "-f", str(CONFIG)], env=proxy_env, stdout=open(log, "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        for n in procs:
            wait_healthy(direct[n], procs[n])
        rs = Replicas(
            f"http://127.0.0.1:{proxy_port}", procs, direct, log, env["LUTONWB_DATABASE_URL"]
        )
        wait_healthy(rs.url, proxy)
        yield rs
    finally:
        for p in [proxy, *procs.values()]:
            _stop(p)


def _get(url: str) -> tuple[int, Message]:
    """Status and headers of a GET that does not follow redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=10) as r:
            return r.status, r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.headers


def test_proxy_adds_security_headers_and_sticky_cookie(replicas: Replicas) -> None:
    status, headers = _get(replicas.url + "/plan")
    assert status == 200
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Set-Cookie"].split(";")[0] in {"lutonwb_replica=a", "lutonwb_replica=b"}
    # a replica itself sends none of them: the headers are the proxy's work
    assert "X-Frame-Options" not in _get(replicas.direct["a"] + "/plan")[1]


def test_proxy_blocks_metrics_and_normalises_addresses(replicas: Replicas) -> None:
    assert _get(replicas.direct["a"] + "/_stcore/metrics")[0] == 200  # open on the replica
    assert _get(replicas.url + "/_stcore/metrics")[0] == 404
    assert _get(replicas.url + "//_stcore/metrics")[0] in {301, 404}
    for asked, sent_to in [
        ("//measure?m=x", "/measure?m=x"),
        ("/measure/extra?m=x", "/measure?m=x"),
        ("/plan/x", "/plan"),
    ]:
        status, headers = _get(replicas.url + asked)
        assert (status, headers["Location"]) in {(301, sent_to), (302, sent_to)}, asked


def _pinned_page(browser, rs: Replicas, replica: str):
    """A page whose browser carries the proxy's affinity cookie for one replica."""
    gen = fresh_page(browser)
    pg = next(gen)
    pg.context.add_cookies([{"name": "lutonwb_replica", "value": replica, "url": rs.url}])
    return pg, gen


def _sign_in_and_save(pg, url: str, status: str, note: str) -> None:
    pg.goto(url)
    pg.get_by_role("heading", name="Year-plan tracker").wait_for(timeout=60_000)
    wait_for_app(pg)
    sign_in_button = pg.get_by_role("button", name="Sign in")
    note_field = pg.get_by_role("textbox", name=NOTE_LABEL)
    sign_in_button.or_(note_field).first.wait_for(timeout=60_000)  # either, once drawn
    if sign_in_button.count():
        sign_in(pg)
    save_status(pg, status, note)


def _wait_for_replica(pg, replica: str, timeout: float = 30) -> None:
    """Wait until the proxy has moved this browser to the replica (its affinity cookie)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if {"name": "lutonwb_replica", "value": replica} in [
            {"name": c["name"], "value": c["value"]} for c in pg.context.cookies()
        ]:
            return
        pg.wait_for_timeout(200)
    raise TimeoutError(f"the browser was not moved to replica {replica}")


# The page's words without its charts' drawn labels: a chart draws after the page settles, so its
# axis text may or may not be there yet when the text is read (the chart's figures are in tables).
MAIN_TEXT = """() => {
  const main = document.querySelector('[data-testid="stMain"]').cloneNode(true);
  main.querySelectorAll('[data-testid="stVegaLiteChart"]').forEach(c => c.remove());
  document.body.appendChild(main);
  const text = main.innerText;
  main.remove();
  return text;
}"""


def _main_text(pg) -> str:
    return pg.evaluate(MAIN_TEXT)


def test_editor_on_one_replica_reader_on_other_survives_a_kill(browser, replicas: Replicas):
    rs = replicas
    editor, editor_gen = _pinned_page(browser, rs, "a")
    reader, reader_gen = _pinned_page(browser, rs, "b")
    try:
        _sign_in_and_save(editor, rs.url + f"/plan?action={ACTION}", "At risk", FIRST_NOTE)

        reader.goto(rs.url + VIEW)
        reader.get_by_text(FIRST_NOTE, exact=True).wait_for(timeout=60_000)
        wait_for_app(reader)
        before = _main_text(reader)
        assert "Test Editor (test-editor) · No status reported → At risk" in before
        assert "replicas/b" in rs.log.read_text()  # the reader really was served by replica b

        rs.kill("b")
        # the open page reconnects through the proxy, is moved to replica a, and draws the same view
        _wait_for_replica(reader, "a")
        wait_for_app(reader)
        reader.get_by_text(FIRST_NOTE, exact=True).wait_for()
        for _ in range(40):  # a busy machine may still be drawing the page's last elements
            if _main_text(reader) == before:
                break
            reader.wait_for_timeout(250)
        assert _main_text(reader) == before
        screenshot(reader, "replicas-reader-after-failover")
        _sign_in_and_save(editor, rs.url + f"/plan?action={ACTION}", "On track", SECOND_NOTE)
        reader.get_by_role("combobox", name="Status").click()
        reader.get_by_role("option", name="Any status").click()
        reader.get_by_text(SECOND_NOTE, exact=True).wait_for(timeout=30_000)
        wait_for_app(reader)
        assert reader.url.startswith(rs.url + "/plan?") and f"action={ACTION}" in reader.url
        assert FIRST_NOTE in _main_text(reader)
    finally:
        for gen in (editor_gen, reader_gen):
            gen.close()

    saved = PostgresStore(rs.db).history(ACTION)
    assert [u.note for u in saved][-2:] in ([FIRST_NOTE, SECOND_NOTE], [SECOND_NOTE, FIRST_NOTE])


@contextlib.contextmanager
def _other_site(url: str) -> Iterator[str]:
    """Another origin on loopback (a real server: Chromium keeps public pages off loopback) whose
    page frames url."""
    body = f'<iframe src="{url}" width="1200" height="800"></iframe>'.encode()

    class Framing(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server hook's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Framing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def _framed_heading(browser, url: str) -> int:
    """How many 'Year-plan tracker' headings another site's iframe of url shows."""
    ctx = browser.new_context()
    try:
        pg = ctx.new_page()
        with _other_site(url) as other:
            pg.goto(other)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                framed = pg.frames[-1]
                if framed.url.startswith("chrome-error:"):  # the browser refused to frame it
                    return 0
                found = framed.get_by_role("heading", name="Year-plan tracker").count()
                if found:
                    return found
                pg.wait_for_timeout(200)
            raise TimeoutError(f"the frame of {url} neither loaded nor was refused")
    finally:
        ctx.close()


def test_another_site_cannot_frame_the_sign_in_page(browser, replicas: Replicas) -> None:
    assert _framed_heading(browser, replicas.direct["a"] + "/plan") == 1  # a bare replica: framed
    assert _framed_heading(browser, replicas.url + "/plan") == 0  # through the proxy: refused
