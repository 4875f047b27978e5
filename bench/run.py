"""Benchmark the monitor against Streamlit's own floor; print and save a table of ratios and goals.

    .venv/bin/python -m bench.run                 # the full run (about 50 minutes on 2 cores)
    .venv/bin/python -m bench.run --quick         # a smoke run: few repeats, 1× and 10× data, 1-2 sessions
    .venv/bin/python -m bench.run --only engine   # parts: interaction, pages, navigation, cold, engine, load, readers

Writes bench/results/latest.md and latest.json (quick.* for --quick, part-<parts>.* for --only: not committed).
Not part of the timed tests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

if __package__ in (None, ""):  # `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import contextlib

from bench.harness import (  # noqa: E402
    ROOT,
    Server,
    Session,
    browser_cpu_seconds,
    cpu_seconds,
    goto,
    launch,
    median,
    new_session,
    percentile,
    timed,
)

RESULTS = ROOT / "bench" / "results"
EMPTY_APP = ROOT / "bench" / "empty_app.py"
EMPTY_NAV_APP = ROOT / "bench" / "empty_nav_app.py"
EMPTY_SELECT_APP = ROOT / "bench" / "empty_select_app.py"
REPLAY_APP = ROOT / "bench" / "replay_app.py"  # the content floor (bench/replay.py)
APP = ROOT / "app.py"
PAGES = ("", "principle", "board", "measure", "wards", "plan", "methods")  # url paths (public)
LOGS = Path(tempfile.gettempdir()) / "lutonwb-bench-logs"


@dataclass
class Row:
    """One line of the results table."""

    metric: str
    app: float
    floor: float
    ratio: float
    goal: str
    passed: bool
    unit: str = "s"
    note: str = ""


def _row(
    metric: str, app: float, floor: float, limit: float, note: str = "", unit: str = "s"
) -> Row:
    ratio = app / floor if floor else float("inf")
    return Row(metric, app, floor, ratio, f"≤ {limit:g}", ratio <= limit, unit, note)


# -- browser actions -------------------------------------------------------------------------


async def _open_select(s: Session, label: str):
    """Open the selectbox with this label; returns (current text, option locator)."""
    combo = s.page.get_by_role("combobox", name=label, exact=True)
    current = (await combo.input_value()).strip()
    await combo.click()
    options = s.page.get_by_role("listbox").get_by_role("option")
    await options.first.wait_for()
    return current, options


async def pick(s: Session, label: str, index: int, chosen: list[str] | None = None) -> float:
    """Choose a different option in a selectbox (the index-th of those the list shows, round
    again past the end), noting its text in `chosen`; timed from the click on the option."""
    current, options = await _open_select(s, label)
    choices: list[int] = []
    for _ in range(50):  # under load the list can be drawn empty first; wait for its options
        texts = [t.strip() for t in await options.all_inner_texts()]
        choices = [i for i, t in enumerate(texts) if t and t != current]
        if choices:
            break
        await asyncio.sleep(0.1)
    if not choices:
        raise LookupError(f"the {label!r} list showed no option other than {current!r}")
    at = choices[index % len(choices)]
    if chosen is not None:
        chosen.append(texts[at])
    return await timed(s, options.nth(at).click)


async def nav_click(s: Session, path: str) -> float:
    """Open a page from inside the app: a click on its link in Streamlit's sidebar navigation
    (the page is switched by a rerun on the open connection, without reloading)."""
    links = s.page.locator('[data-testid="stSidebarNavLink"]')
    await links.first.wait_for()
    # the last part of each link's path: '' for the default page, else the page's url_path
    names = await links.evaluate_all(
        "els => els.map(e => new URL(e.href).pathname.replace(/\\/+$/, '').split('/').pop())"
    )
    wanted = [i for i, name in enumerate(names) if name == path]
    if not wanted:
        raise LookupError(f"no sidebar link to /{path} among {names}")
    return await timed(s, links.nth(wanted[0]).click)


async def click_button(s: Session, name: str) -> float:
    return await timed(s, lambda: s.page.get_by_role("button", name=name).click())


async def toggle_section(s: Session, label: str) -> float:
    """Open or close an expander by its label; timed from the click until the run has settled."""
    summary = s.page.locator('[data-testid="stExpander"] summary').filter(has_text=label)
    return await timed(s, lambda: summary.first.click())


async def option_count(s: Session, label: str) -> int:
    """How many other options a selectbox offers (closes the list again)."""
    current, options = await _open_select(s, label)
    n = sum(1 for t in await options.all_inner_texts() if t.strip() and t.strip() != current)
    await s.page.keyboard.press("Escape")
    return n


MEASURE_PICKS = 10  # journeys pick among the first few measures of the list
SECTION = "Chart and table ranking"  # the measure page's ranked section, opened and closed


async def warm_app(browser, url: str) -> dict[str, float]:
    """Fill the server's shared caches the way a day of use would: every comparator group rated,
    the measures the journeys pick opened once. Returns the first (cold-cache) latencies."""
    s = await new_session(browser)
    first: dict[str, float] = {}
    first["open overview"] = await goto(s, url + "/")
    n = await option_count(s, "Comparator group")
    lat = [await pick(s, "Comparator group", i) for i in range(n + 1)]
    first["first comparator change"] = lat[0]
    first["slowest first comparator change"] = max(lat)
    first["open measure page"] = await goto(s, url + "/measure")
    lat = [await pick(s, "Measure", i) for i in range(MEASURE_PICKS + 2)]
    first["first measure pick"] = lat[0]
    await s.context.close()
    return first


# -- 1. interaction latency ------------------------------------------------------------------


async def floor_picks(browser, floor: Server, floor_select: Server, repeats: int) -> dict:
    """The empty app's button click (the old single floor, kept for comparison) and the same
    kinds of choice as the app's: the sidebar selectbox and the selectbox on the page."""
    s = await new_session(browser)
    await goto(s, floor.url)
    await click_button(s, "Click")  # warm
    s.runs.phases.clear()
    out: dict = {"empty_click": [await click_button(s, "Click") for _ in range(repeats)]}
    out["phases"] = {"empty_click": list(s.runs.phases)}
    await s.context.close()
    s = await new_session(browser)
    await goto(s, floor_select.url)
    await pick(s, "Comparator group", 0)  # warm
    for key, label in (("empty_sidebar_pick", "Comparator group"), ("empty_page_pick", "Measure")):
        s.runs.phases.clear()
        out[key] = [await pick(s, label, i % MEASURE_PICKS) for i in range(repeats)]
        out["phases"][key] = list(s.runs.phases)
    await toggle_section(s, "Section")  # warm
    await toggle_section(s, "Section")
    s.runs.phases.clear()
    out["empty_section"] = [await toggle_section(s, "Section") for _ in range(repeats)]
    out["phases"]["empty_section"] = list(s.runs.phases)
    await s.context.close()
    return out


PICKED = {"": "Comparator group", "measure": "Measure"}  # the choices timed, by URL path


def pick_index(i: int) -> int:
    """Which option the i-th timed pick takes among those its list shows (the first few)."""
    return i % MEASURE_PICKS


async def pick_round(
    s: Session, url: str, label: str, repeats: int, chosen: list[str] | None = None
) -> list[float]:
    """Open a page afresh and make the timed picks in one of its selectboxes."""
    await goto(s, url)
    s.runs.phases.clear()
    return [await pick(s, label, pick_index(i), chosen) for i in range(repeats)]


async def rehearse(browser, url: str, repeats: int) -> dict[str, list[str]]:
    """The options the timed picks go through on the app, from a browser making them once:
    {selectbox label: options in order}. The content floor stores these views, in this order."""
    picks: dict[str, list[str]] = {}
    for path, label in PICKED.items():
        s = await new_session(browser)
        await pick_round(s, f"{url}/{path}", label, repeats, picks.setdefault(label, []))
        await s.context.close()
    return picks


def replay_note(app: float, content: float, floor: float) -> str:
    """What the content floor says of a row: the share of its time that is the page's content."""
    return (
        f"the same content re-sent by a script doing nothing else {content:.3f} s "
        f"({content / floor:.2f}× the floor; the app's own work {app - content:+.3f} s)"
    )


async def interaction(
    browser, app: Server, floor: Server, floor_select: Server, replay: Server,
    picks: dict[str, list[str]], cold_first: dict[str, float], repeats: int,
) -> tuple[list[Row], dict]:  # fmt: skip
    """Comparator change and measure pick on the warm app (warm_app's first latencies, the picks
    rehearsed) vs the same choice in the empty app and, in turn with the app's, on the content
    floor (the replay going through the same views)."""
    raw = await floor_picks(browser, floor, floor_select, repeats)
    raw["fresh_server"] = cold_first
    raw["content_floor"] = {}
    for key, path in (("comparator", ""), ("measure", "measure")):
        label = PICKED[path]
        warm = await new_session(browser)  # the replay's server warmed on the same views
        await pick_round(warm, f"{replay.url}/{path}", label, repeats)
        await warm.context.close()
        s, r = await new_session(browser), await new_session(browser)
        await goto(s, f"{app.url}/{path}")
        await goto(r, f"{replay.url}/{path}")
        s.runs.phases.clear()
        chosen: list[str] = []
        replayed: list[str] = []
        raw[key], raw["content_floor"][key] = [], []
        try:
            for i in range(repeats):  # in turn, so that a slow spell of the machine hits both
                raw[key].append(await pick(s, label, pick_index(i), chosen))
                raw["content_floor"][key].append(await pick(r, label, pick_index(i), replayed))
        finally:
            await s.context.close()
            await r.context.close()
        # each pick showed the stored view of the same option on both (the replay's selectbox
        # shows what the app's did, so its picks take the same options only if it kept step)
        if not chosen == replayed == picks[label]:
            raise RuntimeError(
                f"{label}: the app went through {chosen}, the content floor through {replayed}, "
                f"the stored views are {picks[label]}"
            )
        raw["phases"][key] = list(s.runs.phases)
    s = await new_session(browser)
    await goto(s, app.url + "/measure?m=life-expectancy-male&cmp=england")
    await toggle_section(s, SECTION)  # warm: the section's data cached
    await toggle_section(s, SECTION)
    s.runs.phases.clear()
    raw["section"] = [await toggle_section(s, SECTION) for _ in range(repeats)]
    raw["phases"]["section"] = list(s.runs.phases)
    await s.context.close()
    content = {k: median(v) for k, v in raw["content_floor"].items()}
    click = median(raw["empty_click"])
    ph = raw["phases"]

    def shares(key: str, floor_key: str) -> str:
        return "; " + replay_note(median(raw[key]), content[key], median(raw[floor_key]))

    rows = [
        _row("interaction: change the comparator (overview) / a sidebar selectbox in the empty app",
             median(raw["comparator"]), median(raw["empty_sidebar_pick"]), 2,
             f"first change on a fresh server {cold_first['first comparator change']:.2f} s; "
             f"{phases_note(ph['comparator'])} (empty app: {phases_note(ph['empty_sidebar_pick'])}); "
             f"{median(raw['comparator']) / click:.1f}× the empty app's button click ({click:.3f} s)"
             f"{shares('comparator', 'empty_sidebar_pick')}"),
        _row("interaction: pick a measure (measure page) / a selectbox on the empty app's page",
             median(raw["measure"]), median(raw["empty_page_pick"]), 2,
             f"first pick on a fresh server {cold_first['first measure pick']:.2f} s; "
             f"{phases_note(ph['measure'])} (empty app: {phases_note(ph['empty_page_pick'])}); "
             f"{median(raw['measure']) / click:.1f}× the button click"
             f"{shares('measure', 'empty_page_pick')}"),
        _row("interaction: open or close a section (measure page's ranking) / an expander that "
             "reruns the empty app", median(raw["section"]), median(raw["empty_section"]), 2,
             f"the section is a fragment: only it reruns; {phases_note(ph['section'])} "
             f"(empty app: {phases_note(ph['empty_section'])})"),
    ]  # fmt: skip
    return rows, raw


def phases_note(phases: list[tuple[float, float, float]]) -> str:
    """Median split of the actions' time, as the page's main thread saw it (Chromium reports a
    WebSocket frame when the page handles it): until the rerun request went out; until the page
    took the last script_finished (the server's run and the drawing of the elements streamed
    meanwhile overlap here); drawing after that until settled."""
    if not phases:
        return "no phase timings"
    send, server, draw = (median([p[i] for p in phases]) for i in range(3))
    return f"request sent {send:.3f} s, run and stream {server:.3f} s, last drawing {draw:.3f} s"


def page_goal(path: str) -> float:
    """The issue's goal for opening a page: 2× its floor, 3× for /wards (its map draws in WebGL)."""
    return 3 if path == "wards" else 2


# -- 2. opening each page warm ---------------------------------------------------------------


async def open_times(browser, url: str, repeats: int) -> list[float]:
    """A page opened again and again in one warm browser context (the first, warming, open not
    counted), closed after: no other page is open meanwhile, since a map left drawing in
    another tab slows whatever opens."""
    s = await new_session(browser)
    try:
        await goto(s, url)
        return [await goto(s, url) for _ in range(repeats)]
    finally:
        await s.context.close()


async def pages(
    browser, app: Server, floor: Server, replay: Server, repeats: int
) -> tuple[list[Row], dict]:
    """Each page opened in a warm browser context on a warm server vs the empty app's page, and,
    page by page after the app's, the same page re-sent by a script doing nothing else."""
    floor_times = await open_times(browser, floor.url, repeats)
    await warm_app(browser, app.url)
    raw: dict = {"empty": floor_times, "content_floor": {}}
    for path in PAGES:
        name = path or "overview"
        raw[name] = await open_times(browser, f"{app.url}/{path}", repeats)
        raw["content_floor"][name] = await open_times(browser, f"{replay.url}/{path}", repeats)
    f = median(floor_times)

    def note(name: str) -> str:
        return replay_note(median(raw[name]), median(raw["content_floor"][name]), f)

    rows = [
        _row(f"open page warm: /{p}", median(raw[p or "overview"]), f, page_goal(p),
             note(p or "overview"))
        for p in PAGES
    ]  # fmt: skip
    return rows, raw


# Untimed pause after opening a page from the sidebar, for a page that keeps drawing after it has
# settled: deck.gl fetches the ward shapes and draws them in software WebGL. Without it, /plan
# (the next page of the round) sometimes took ~1 s instead of ~0.2 s, in six of seven replayed
# switches in the run of 2026-12-08 02:02; with 1.5 s, in none of two part runs after it
# (bench/README.md).
LOOK_S = {"wards": 1.5}


async def page_rounds(browser, urls: tuple[str, ...], repeats: int) -> list[dict]:
    """Each page opened from the sidebar, round after round (the first round only warms), in an
    app at each URL, the apps' rounds in turn: [{page name: times}] in the order of the URLs.
    Whole rounds alternate, not single clicks, so that each page follows the same page of its
    own app. After the ward map a reader looks at it for LOOK_S before moving on: the map
    draws after its page has settled, and a click during that drawing timed the next page with
    the map's leftover work in it."""
    sessions = [await new_session(browser) for _ in urls]
    order = (*PAGES[1:], PAGES[0])
    times: list[dict[str, list[float]]] = [{} for _ in urls]
    try:
        for s, url in zip(sessions, urls, strict=True):
            await goto(s, url + "/")
        for round_ in range(repeats + 1):  # the first round only warms every page
            for s, t in zip(sessions, times, strict=True):
                for path in order:
                    took = await nav_click(s, path)
                    if path in LOOK_S:
                        await s.page.wait_for_timeout(LOOK_S[path] * 1000)  # untimed
                    if round_:
                        t.setdefault(path or "overview", []).append(took)
    finally:
        for s in sessions:
            await s.context.close()
    return times


async def navigation(
    browser, app: Server, floor_nav: Server, replay: Server, repeats: int
) -> tuple[list[Row], dict]:
    """Each page opened from inside the app (its sidebar link, no reload), in a round through
    the pages, vs switching between the two pages of an empty two-page app the same way, and, in
    turn with the app's, the same round through the pages re-sent as captured.

    Not one of the issue's goals: a reader who follows links moves this way, while a pasted
    deep link is a full page load (the rows above)."""
    s = await new_session(browser)
    await goto(s, floor_nav.url + "/")
    await nav_click(s, "second")
    floor_times = []
    for _ in range(repeats):
        floor_times.append(await nav_click(s, ""))  # the default page, at /
        floor_times.append(await nav_click(s, "second"))
    await s.context.close()
    await warm_app(browser, app.url)
    on_app, on_replay = await page_rounds(browser, (app.url, replay.url), repeats)
    raw: dict = {"empty": floor_times, **on_app, "content_floor": on_replay}
    f = median(floor_times)

    def note(name: str) -> str:
        said = (
            "from the previous page of the round; floor: switching pages in an empty two-page app"
        )
        return f"{said}; " + replay_note(median(raw[name]), median(on_replay[name]), f)

    rows = [
        _row(
            f"open page from the sidebar (no reload): /{p}",
            median(raw[p or "overview"]),
            f,
            page_goal(p),
            note(p or "overview"),
        )
        for p in PAGES
    ]
    return rows, raw


# -- 3. cold start ---------------------------------------------------------------------------


async def cold_once(browser, script: Path, env: dict[str, str]) -> float:
    """From `streamlit run` to the first fully rendered default page."""
    srv = Server(script, env=env).start(LOGS)
    try:
        await asyncio.to_thread(srv.wait_healthy)
        s = await new_session(browser)
        await goto(s, srv.url + "/")
        elapsed = time.perf_counter() - srv.started_at
        await s.context.close()
        return elapsed
    finally:
        srv.stop()


async def cold(browser, env: dict[str, str], repeats: int) -> tuple[list[Row], dict]:
    floor: list[float] = []
    app: list[float] = []
    for _ in range(repeats):  # alternated, so a machine that slows down slows both alike
        floor.append(await cold_once(browser, EMPTY_APP, env))
        app.append(await cold_once(browser, APP, env))
    rows = [_row("cold start: streamlit run → overview rendered", median(app), median(floor), 2)]
    return rows, {"empty": floor, "app": app}


# -- 4. engine vs raw scan, and growth -------------------------------------------------------


def _memory_limit_gb() -> float:
    """A safety stop for the engine child: 16 GB or 70% of this machine's memory if less."""
    total_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return min(16.0, 0.7 * total_kb / 1024 / 1024)


def _engine_child(args: list[str], limit_gb: float) -> dict:
    """Run bench.engine_bench in a child process, killed if it grows past limit_gb."""
    from bench.harness import rss_mb

    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.engine_bench", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    peak = 0.0
    while proc.poll() is None:
        with contextlib.suppress(OSError, RuntimeError):
            peak = max(peak, rss_mb(proc.pid))
        if peak > limit_gb * 1024:
            proc.kill()
            proc.wait()
            return {"error": f"stopped: the engine process passed {limit_gb:g} GB of memory"}
        time.sleep(0.2)
    out, err = proc.communicate()
    if proc.returncode:
        return {"error": err.strip().splitlines()[-1] if err.strip() else f"exit {proc.returncode}"}
    res = json.loads(out)
    res["peak_rss_mb"] = max(peak, res.get("max_rss_mb", 0))
    return res


def _engine_bench(
    folder: Path, repeats: int, scratch_repeats: int, limit_gb: float | None = None
) -> dict:
    """The build's work (from scratch, then the precomputed ratings) in one child process, then
    the app's path in a fresh one, as the app's server reads what the build made."""
    limit_gb = limit_gb or _memory_limit_gb()
    where = ["--warehouse", str(folder)]
    build = _engine_child(
        [*where, "--part", "build", "--scratch-repeats", str(scratch_repeats)], limit_gb
    )
    if "error" in build:
        return build
    app = _engine_child([*where, "--part", "app", "--repeats", str(repeats)], limit_gb)
    if "error" in app:
        return app
    peak = max(build["peak_rss_mb"], app["peak_rss_mb"])
    return {**build, **app, "peak_rss_mb": peak, "app_peak_rss_mb": app["peak_rss_mb"]}


def engine(
    warehouse: Path, factors: tuple[int, ...], repeats: int, work: Path
) -> tuple[list[Row], dict]:
    """Engine time over a raw scan at 1×, and how engine time grows with N× generated data."""
    from bench.gen_data import generate

    raw: dict[str, dict] = {}
    rows: list[Row] = []
    for f in factors:
        folder = warehouse.resolve()
        if f > 1:
            folder = work / f"warehouse-x{f}"
            generate(warehouse, folder, f)
        # from scratch takes about a second per 1x of data: once is enough at 10x and 100x
        res = _engine_bench(
            folder, repeats if f == 1 else max(1, repeats - 1), repeats if f == 1 else 1
        )
        raw[f"x{f}"] = res
        if f > 1 and folder.exists():
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
    base = raw["x1"]
    if "error" in base:
        return [Row("engine: every measure × authority × group / raw scan", float("nan"), float("nan"),
                    float("nan"), "≤ 3", False, note=base["error"])], raw  # fmt: skip
    rows.append(_row(
        f"engine: {base['measures']} measures × {base['authorities']} authorities × "
        f"{len(base['groups'])} groups / DuckDB scan ({base['values_rows']:,} rows)",
        base["engine_s"], base["scan_s"], 3,
        "fixed groups precomputed by the build, custom rated live; "
        f"from scratch {base['scratch_s']:.2f} s ({base['scratch_s'] / base['scan_s']:.1f}× the scan)",
    ))  # fmt: skip
    for f in factors[1:]:
        res = raw[f"x{f}"]
        if "error" in res:
            rows.append(Row(f"engine growth at {f}× data", float("nan"), base["engine_s"],
                            float("nan"), f"≤ {f}× (linear)", False, note=res["error"]))  # fmt: skip
            continue
        rows.append(growth_row(res, base))
    return rows, raw


def growth_row(res: dict, base: dict) -> Row:
    """The engine at N× the data against 1×; the note names the higher peak memory of its two
    processes (the build's, the app path's) and the app path's alone (what a server holding that
    much data would need)."""
    data_x = res["values_rows"] / base["values_rows"]
    growth = res["engine_s"] / base["engine_s"]
    scratch = res["scratch_s"] / base["scratch_s"]
    app_peak = (
        f" (the app's path {res['app_peak_rss_mb'] / 1024:.1f} GB)"
        if "app_peak_rss_mb" in res
        else ""
    )
    return Row(
        f"engine growth at {data_x:.1f}× rows ({res['values_rows']:,})", res["engine_s"],
        base["engine_s"], growth, f"≤ {data_x:.1f} (linear)", growth <= data_x,
        note=f"scan grew {res['scan_s'] / base['scan_s']:.1f}×; engine/scan {res['engine_s'] / res['scan_s']:.1f}; "
        f"from scratch {res['scratch_s']:.1f} s (grew {scratch:.1f}×), peak {res['peak_rss_mb'] / 1024:.1f} GB{app_peak}",
    )  # fmt: skip


# -- 5. concurrent sessions ------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    """How the load test's users behave: the mean pause between a user's actions (each pause
    drawn from 0.5-1.5× it) and the window over which the sessions arrive (evenly spread; 0 = all
    at once)."""

    think: float
    ramp: float

    def arrival(self, i: int, n: int) -> float:
        """Seconds after the start at which session i of n opens the app."""
        return self.ramp * i / n

    @property
    def label(self) -> str:
        arrive = "all at once" if self.ramp == 0 else f"arriving over {self.ramp:g} s"
        return f"think {self.think:g} s, {arrive}"


STRESS = Pace(think=1.0, ramp=0.0)

PARTS = ("interaction", "pages", "navigation", "cold", "engine", "load", "readers")


def result_name(quick: bool, only: set[str]) -> str:
    """latest for a full run; a part run gets its own name (part-load, ...) so it never
    overwrites the committed full results (join them with --combine)."""
    if quick:
        return "quick"
    if only >= set(PARTS):
        return "latest"
    return "part-" + "+".join(p for p in PARTS if p in only)


async def journey(browser, url: str, think: float, rng: random.Random, start: float = 0.0) -> dict:
    """Arrive after `start` seconds; open the overview, change the comparator twice, open a
    measure, pick two measures."""
    await asyncio.sleep(start)
    s = await new_session(browser)
    out: dict[str, list[float]] = {"interactions": [], "opens": [], "errors": []}
    try:
        out["opens"].append(await goto(s, url + "/"))
        for i in range(2):
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            out["interactions"].append(await pick(s, "Comparator group", rng.randrange(6) + i))
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
        out["opens"].append(await goto(s, url + "/measure"))
        for i in range(2):
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            out["interactions"].append(
                await pick(s, "Measure", rng.randrange(MEASURE_PICKS - 1) + i)
            )
        out["exceptions"] = s.runs.exceptions
    except Exception as exc:  # noqa: BLE001 (a failed session is a result to report)
        out["errors"].append(f"{type(exc).__name__}: {exc}"[:300])
    out["session"] = s
    return out


async def load_level(browser, env: dict[str, str], n: int, pace: Pace, seed: int) -> dict:
    """A fresh warm server; RSS before, N sessions doing the journey together, RSS after."""
    srv = Server(APP, env=env).start(LOGS)
    try:
        await asyncio.to_thread(srv.wait_healthy)
        await warm_app(browser, srv.url)  # fill the shared caches (every group, the measures)
        await asyncio.sleep(2)
        rss0 = srv.rss_mb()
        rngs = [random.Random(seed + i) for i in range(n)]
        cpu0, browser0 = cpu_seconds(srv.proc.pid), browser_cpu_seconds()
        t0 = time.perf_counter()
        results = await asyncio.gather(
            *(
                journey(browser, srv.url, pace.think, r, pace.arrival(i, n))
                for i, r in enumerate(rngs)
            )
        )
        wall = time.perf_counter() - t0
        server_cpu = cpu_seconds(srv.proc.pid) - cpu0
        browser_cpu = browser_cpu_seconds() - browser0
        rss1 = srv.rss_mb()
        for r in results:
            await r["session"].context.close()
        lat = [x for r in results for x in r["interactions"]]
        errors = [e for r in results for e in r["errors"]]
        return {
            "sessions": n,
            "interactions": lat,
            "opens": [x for r in results for x in r["opens"]],
            "p50": median(lat) if lat else float("nan"),
            "p95": percentile(lat, 95) if lat else float("nan"),
            "rss_before_mb": rss0,
            "rss_after_mb": rss1,
            "mb_per_session": (rss1 - rss0) / n,
            "wall_s": wall,
            # where the two cores went: the server (Python) and the sessions' chromium
            "server_cpu_s": server_cpu,
            "browser_cpu_s": browser_cpu,
            "errors": errors,
            "exceptions_on_screen": sum(r.get("exceptions", 0) for r in results),
        }
    finally:
        srv.stop()


async def floor_journey(
    browser, url: str, think: float, rng: random.Random, start: float = 0.0
) -> dict:
    """The empty app under the same rhythm: arrive, open it, then four clicks (the journey's four
    interactions) with the same think times."""
    await asyncio.sleep(start)
    s = await new_session(browser)
    out: dict[str, list] = {"interactions": [], "errors": []}
    try:
        await goto(s, url)
        for _ in range(4):
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            out["interactions"].append(await click_button(s, "Click"))
    except Exception as exc:  # noqa: BLE001 (a failed session is a result to report)
        out["errors"].append(f"{type(exc).__name__}: {exc}"[:300])
    await s.context.close()
    return out


async def floor_level(browser, env: dict[str, str], n: int, pace: Pace, seed: int) -> dict:
    """p95 click latency of n sessions on the empty app together: how much of the app's p95 at
    n sessions the machine alone (browser and Streamlit on the same two cores) would cause."""
    srv = Server(EMPTY_APP, env=env).start(LOGS)
    try:
        await asyncio.to_thread(srv.wait_healthy)
        rngs = [random.Random(seed + i) for i in range(n)]
        results = await asyncio.gather(
            *(
                floor_journey(browser, srv.url, pace.think, r, pace.arrival(i, n))
                for i, r in enumerate(rngs)
            )
        )
        lat = [x for r in results for x in r["interactions"]]
        return {
            "sessions": n,
            "p50": median(lat) if lat else float("nan"),
            "p95": percentile(lat, 95) if lat else float("nan"),
            "errors": [e for r in results for e in r["errors"]],
        }
    finally:
        srv.stop()


async def load(
    browser, env: dict[str, str], levels: tuple[int, ...], pace: Pace
) -> tuple[list[Row], dict]:
    raw: dict = {"1": await load_level(browser, env, 1, pace, 1)}
    raw["1"]["floor"] = await floor_level(browser, env, 1, pace, 1)
    for n in levels:
        raw[str(n)] = await load_level(browser, env, n, pace, 100 + n)
        raw[str(n)]["floor"] = await floor_level(browser, env, n, pace, 100 + n)
    for r in raw.values():
        r.pop("session", None)
        r["think_s"], r["ramp_s"] = pace.think, pace.ramp
    return load_rows(raw, levels), raw


def load_rows(raw: dict, levels: tuple[int, ...]) -> list[Row]:
    """p95 ratios per level, and memory per session at the largest level whose sessions mostly
    finished (a level where sessions timed out says nothing about what a session costs)."""
    base = raw["1"]["p95"]
    pace = Pace(raw["1"].get("think_s", STRESS.think), raw["1"].get("ramp_s", STRESS.ramp))
    at = "" if pace == STRESS else f" ({pace.label})"
    rows = []
    done: dict[int, int] = {}
    for n in levels:
        r = raw[str(n)]
        done[n] = n - len(r["errors"])
        note = f"p50 {r['p50']:.2f} s" if r["interactions"] else "no interaction finished"
        if "server_cpu_s" in r:
            busy = (r["server_cpu_s"] + r["browser_cpu_s"]) / (r["wall_s"] * (os.cpu_count() or 1))
            note += (
                f"; CPU over {r['wall_s']:.0f} s: server {r['server_cpu_s']:.0f} s, "
                f"browser {r['browser_cpu_s']:.0f} s ({busy:.0%} of the cores)"
            )
        if r["errors"]:
            note += f"; {len(r['errors'])} of {n} sessions timed out (120 s per step)"
        fl, fl1 = r.get("floor"), raw["1"].get("floor")
        if fl and fl1 and fl["p95"] == fl["p95"]:
            note += (
                f"; the empty app under the same load: p95 click {fl['p95']:.2f} s, "
                f"{fl['p95'] / fl1['p95']:.1f}× its own 1-session p95"
            )
        rows.append(
            _row(f"load: p95 interaction at {n} sessions / at 1{at}", r["p95"], base, 5, note)
        )
    ok = [n for n in levels if done[n] >= 0.8 * n]
    if ok:
        r = raw[str(ok[-1])]
        rows.append(Row(
            f"load: server memory per extra session (at {ok[-1]}){at}", r["mb_per_session"], 0.0,
            r["mb_per_session"], "< 30 MB", r["mb_per_session"] < 30, "MB",
            f"RSS {r['rss_before_mb']:.0f} → {r['rss_after_mb']:.0f} MB; "
            + ", ".join(f"{n}: {raw[str(n)]['mb_per_session']:.1f} MB" for n in levels),
        ))  # fmt: skip
    else:
        rows.append(Row(f"load: server memory per extra session{at}", float("nan"), 0.0, float("nan"),
                        "< 30 MB", False, "MB", "no level where most sessions finished"))  # fmt: skip
    return rows


# -- 6. readers without a browser (bench/readers.py) ----------------------------------------


def readers_part(env: dict[str, str], levels: tuple[int, ...]) -> tuple[list[Row], dict]:
    """The app and the empty app, each on its own server, at a reader's pace and at stress pace."""
    from bench import readers

    paces = (readers.READER, readers.STRESS)
    raw: dict = {"levels": list(levels), "paces": {p.name: asdict(p) for p in paces}}
    raw["app"] = readers.run_app(APP, env, levels, paces, readers.APP_CHOICES, LOGS)
    raw["empty"] = readers.run_app(EMPTY_APP, env, levels, paces, None, LOGS)
    return readers_rows(raw), raw


def readers_rows(raw: dict) -> list[Row]:
    """Per pace: p95 at each level over the single reader's (the goal at 200), the readers one
    server process carries at p95 ≤ 1 s, and memory per session at the largest level."""
    from bench.readers import CAPACITY_P95, GOAL_AT, GOAL_RATIO, ReaderPace, capacity

    rows: list[Row] = []
    app, empty = raw["app"], raw["empty"]
    base, ebase = app["1"]["p95"], empty["1"]["p95"]
    levels = [int(n) for n in raw["levels"]]
    for name, fields in raw["paces"].items():
        label = ReaderPace(**fields).label
        for n in levels:
            r, e = app[name][str(n)], empty[name][str(n)]
            goal = n == GOAL_AT
            note = (
                f"p50 {r['p50']:.3f} s; {len(r['runs'])} reruns; server CPU {r['server_cpu_s']:.0f} s "
                f"over {r['wall_s']:.0f} s ({r['server_cpu_s'] / r['wall_s']:.0%} of a core, "
                f"{r['server_cpu_s'] / n:.2f} s per reader), clients {r['client_cpu_s']:.0f} s; "
                f"the empty app: p95 {e['p95']:.3f} s, {e['p95'] / ebase:.1f}× its single reader"
            )
            if r["errors"]:
                note += f"; {len(r['errors'])} of {n} readers timed out or failed"
            row = _row(f"readers (no browser): p95 rerun at {n} / at 1 reader ({label})",
                       r["p95"], base, GOAL_RATIO, note)  # fmt: skip
            if not goal:
                row.goal, row.passed = "—", False
            rows.append(row)
        cap, how = capacity({n: app[name][str(n)]["p95"] for n in levels})
        ecap, ehow = capacity({n: empty[name][str(n)]["p95"] for n in levels})
        rows.append(Row(
            f"readers (no browser): readers one server process carries at p95 ≤ "
            f"{CAPACITY_P95:g} s ({label})", cap, ecap, cap, f"≥ {GOAL_AT}", cap >= GOAL_AT,
            "readers", f"{how}; the empty app: {ehow}",
        ))  # fmt: skip
        top = app[name][str(levels[-1])]
        rows.append(Row(
            f"readers (no browser): server memory per session (at {levels[-1]}) ({label})",
            top["mb_per_session"], 0.0, top["mb_per_session"], "< 30 MB",
            top["mb_per_session"] < 30, "MB",
            f"peak RSS {top['rss_before_mb']:.0f} → {top['rss_peak_mb']:.0f} MB; "
            + ", ".join(f"{n}: {app[name][str(n)]['mb_per_session']:.1f} MB" for n in levels),
        ))  # fmt: skip
    return rows


def rerender(path: Path) -> str:
    """Rebuild the table of a saved run from its JSON (after a change to the report rules)."""
    data = json.loads(path.read_text())
    rows = [Row(**r) for r in data["rows"]]
    if "readers" in data["raw"]:
        rows = [r for r in rows if not r.metric.startswith("readers (no browser)")]
        rows += readers_rows(data["raw"]["readers"])
        data["rows"] = [asdict(r) for r in rows]
        path.write_text(json.dumps(data, indent=1, default=str))
    loads = [v for k, v in data["raw"].items() if k == "load" or k.startswith("load-")]
    if loads:
        rows = [r for r in rows if not r.metric.startswith("load:")]
        for load in loads:
            rows += load_rows(load, tuple(int(k) for k in load if k != "1"))
        data["rows"] = [asdict(r) for r in rows]
        path.write_text(json.dumps(data, indent=1, default=str))
    return render(rows, data["meta"])


def combine(paths: list[Path], out: Path) -> str:
    """One report from runs of different parts (run one part at a time on a busy day): rows in
    the order given, each run's time and mode kept in the meta."""
    runs = [json.loads(p.read_text()) for p in paths]
    rows = [Row(**r) for run in runs for r in run["rows"]]
    meta = dict(runs[-1]["meta"])
    meta["when"] = " + ".join(run["meta"]["when"] for run in runs)
    meta["mode"] = " + ".join(sorted({run["meta"]["mode"] for run in runs}))
    meta["parts"] = [run["meta"] for run in runs]
    raw: dict = {}
    for n, run in enumerate(runs):  # two runs of one part (say, two load paces): both kept
        for key, value in run["raw"].items():
            raw[key if key not in raw else f"{key}-{n}"] = value
    text = render(rows, meta)
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.md").write_text(text)
    (out / "latest.json").write_text(
        json.dumps(
            {"meta": meta, "rows": [asdict(r) for r in rows], "raw": raw}, indent=1, default=str
        )
    )
    return text


# -- report ----------------------------------------------------------------------------------


def busy_note(meta: dict) -> list[str]:
    """A line on how busy the machine was during each run (1-minute load average at its start
    and end), when the run recorded it."""
    parts = meta.get("parts") or [meta]
    loads = [
        f"{p['when']}: {p['loadavg_start']:g} → {p['loadavg_end']:g}"
        for p in parts
        if "loadavg_start" in p
    ]
    if not loads:
        return []
    return [
        f"Machine load (1-minute load average at the start → end of a run, on {meta['cpus']} "
        f"CPUs; above the CPU count the machine was busy with other work): {'; '.join(loads)}.",
        "",
    ]


def render(rows: list[Row], meta: dict) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Run {meta['when']} on {meta['machine']} ({meta['cpus']} CPUs), Python {meta['python']}, "
        f"Streamlit {meta['streamlit']}, mode {meta['mode']}. Ratios are app / floor: an empty "
        "Streamlit app doing the same kind of thing (a click, a sidebar or page selectbox, a page "
        "open or switch, a start; see bench/README.md), the single reader for the load rows, or "
        "a raw DuckDB scan for the engine. Times are medians unless the metric says p95. "
        "Rows with goal — are points on a curve, not goals.",
        "",
        *busy_note(meta),
        "| metric | app | floor | ratio | goal | result | note |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for r in rows:
        unit = r.unit
        app = f"{r.app:.3f} {unit}" if r.app == r.app else "n/a"
        floor = f"{r.floor:.3f} {unit}" if r.floor else "—"
        ratio = f"{r.ratio:.2f}" if r.ratio == r.ratio else "n/a"
        result = "—" if r.goal == "—" else ("PASS" if r.passed else "FAIL")
        lines.append(f"| {r.metric} | {app} | {floor} | {ratio} | {r.goal} | {result} | {r.note} |")
    goals = [r for r in rows if r.goal != "—"]  # "—": a point on a curve, not a goal
    passed = sum(r.passed for r in goals)
    lines += ["", f"{passed} of {len(goals)} goals met.", ""]
    return "\n".join(lines)


async def run_browser_parts(
    args, env: dict[str, str], only: set[str], rows: list[Row], raw: dict
) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await launch(p)
        try:
            if only & {"interaction", "pages", "navigation"}:
                await page_parts(browser, args, env, only, rows, raw)
            if "cold" in only:
                r, x = await cold(browser, env, max(1, args.repeats // 2))
                rows += r
                raw["cold"] = x
                _progress(r)
            if "load" in only:
                r, x = await load(browser, env, args.sessions, Pace(args.think, args.ramp))
                rows += r
                raw["load"] = x
                _progress(r)
        finally:
            await browser.close()


async def page_parts(
    browser, args, env: dict[str, str], only: set[str], rows: list[Row], raw: dict
) -> None:
    """The interaction, page-open and sidebar rows: the app, its floors and its content floor."""
    app = Server(APP, env=env).start(LOGS)
    floor = Server(EMPTY_APP, env=env).start(LOGS)
    replay: Server | None = None
    # the replay's script, views and static/ live in `work`: it is stopped before they go
    with tempfile.TemporaryDirectory(prefix="lutonwb-replay-") as work:
        try:
            await asyncio.to_thread(app.wait_healthy)
            await asyncio.to_thread(floor.wait_healthy)
            cold_first, picks = {}, {}
            if "interaction" in only:
                cold_first = await warm_app(browser, app.url)
                picks = await rehearse(browser, app.url, args.repeats)
            replay = await content_floor(app, env, replay_journeys(picks), Path(work))
            if "interaction" in only:
                floor_select = Server(EMPTY_SELECT_APP, env=env).start(LOGS)
                try:
                    await asyncio.to_thread(floor_select.wait_healthy)
                    r, x = await interaction(
                        browser, app, floor, floor_select, replay, picks, cold_first, args.repeats
                    )
                finally:
                    floor_select.stop()
                rows += r
                raw["interaction"] = x
                _progress(r)
            if "pages" in only:
                r, x = await pages(browser, app, floor, replay, args.repeats)
                rows += r
                raw["pages"] = x
                _progress(r)
            if "navigation" in only:
                floor.stop()  # the one-page floor is done; the two-page one takes over
                floor_nav = Server(EMPTY_NAV_APP, env=env).start(LOGS)
                try:
                    await asyncio.to_thread(floor_nav.wait_healthy)
                    r, x = await navigation(browser, app, floor_nav, replay, args.repeats)
                finally:
                    floor_nav.stop()
                rows += r
                raw["navigation"] = x
                _progress(r)
        finally:
            app.stop()
            floor.stop()
            if replay is not None:
                replay.stop()


def replay_journeys(picks: dict[str, list[str]]) -> list:
    """What the content floor stores: each page as it opens and, for the pages whose choices are
    timed, the options the rehearsed picks went through ({selectbox label: options}), in order."""
    from bench.replay import Journey

    labels = {path: PICKED.get(path, "") for path in PAGES}
    return [Journey(path, label, tuple(picks.get(label, ()))) for path, label in labels.items()]


async def content_floor(app: Server, env: dict[str, str], journeys: list, work: Path) -> Server:
    """Capture the journeys' views from the app's (warm) server into `work` and serve the replay
    app on them the way the app is served, from a folder whose static/ is the project's (the ward
    map fetches its shapes from there)."""
    from bench.replay import REPLAY_DIR_ENV, capture_views

    await asyncio.to_thread(capture_views, app.url, work / "views", journeys)
    (work / REPLAY_APP.name).symlink_to(REPLAY_APP)
    (work / "static").symlink_to(ROOT / "static", target_is_directory=True)
    replay = Server(
        work / REPLAY_APP.name, env={**env, REPLAY_DIR_ENV: str(work / "views")}, as_app=True
    ).start(LOGS)
    try:
        await asyncio.to_thread(replay.wait_healthy)
    except BaseException:
        replay.stop()
        raise
    return replay


def _progress(rows: list[Row]) -> None:
    for r in rows:
        print(
            f"  {r.metric}: {r.app:.3f} / {r.floor:.3f} = {r.ratio:.2f} ({r.goal}) {'PASS' if r.passed else 'FAIL'}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Benchmark the monitor against Streamlit's own floor")
    p.add_argument(
        "--quick", action="store_true", help="few repeats, 1× and 10× data, 1-2 sessions"
    )
    p.add_argument("--only", default=",".join(PARTS), help="comma-separated parts (default all)")
    p.add_argument(
        "--sessions", default=None, help="comma-separated load levels (default 10,25,50)"
    )
    p.add_argument("--readers", default=None, help="browserless load levels (default 50,200,500)")
    p.add_argument("--repeats", type=int, default=None)
    p.add_argument(
        "--think", type=float, default=STRESS.think, help="mean seconds between a user's actions"
    )
    p.add_argument(
        "--ramp",
        type=float,
        default=STRESS.ramp,
        help="the load test's sessions arrive evenly over this many seconds (0: all at once)",
    )
    p.add_argument("--warehouse", type=Path, default=None)
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument(
        "--rerender", type=Path, default=None, help="rebuild a saved run's .md from its .json"
    )
    p.add_argument(
        "--combine",
        type=Path,
        nargs="+",
        default=None,
        help="join the .json of runs of different parts into --out/latest.{md,json}",
    )
    args = p.parse_args(argv)
    if args.combine:
        text = combine(args.combine, args.out)
        print(text)
        return 0
    if args.rerender:
        text = rerender(args.rerender)
        args.rerender.with_suffix(".md").write_text(text)
        print(text)
        return 0
    args.repeats = args.repeats or (3 if args.quick else 7)
    args.sessions = tuple(
        int(x) for x in (args.sessions or ("2" if args.quick else "10,25,50")).split(",")
    )
    args.readers = tuple(
        int(x) for x in (args.readers or ("5,20" if args.quick else "50,200,500")).split(",")
    )
    factors = (1, 10) if args.quick else (1, 10, 100)
    only = set(args.only.split(","))

    from lutonwb import config
    from lutonwb.ingest import build, is_current

    warehouse = args.warehouse or config.warehouse_dir()
    if args.warehouse is None and not is_current(config.raw_dir(), warehouse):
        build(config.raw_dir(), warehouse)
    work = Path(tempfile.mkdtemp(prefix="lutonwb-bench-"))
    env = {
        "LUTONWB_WAREHOUSE": str(warehouse),
        "LUTONWB_TRACKER_DB": str(work / "tracker.duckdb"),
    }
    rows: list[Row] = []
    raw: dict = {}
    started = time.perf_counter()
    load_at_start = round(os.getloadavg()[0], 2)
    print(f"bench: {sorted(only)}; logs in {LOGS}", flush=True)
    asyncio.run(
        run_browser_parts(
            args, env, only & {"interaction", "pages", "navigation", "cold", "load"}, rows, raw
        )
    )
    if "readers" in only:
        r, x = readers_part(env, args.readers)
        rows += r
        raw["readers"] = x
        _progress(r)
    if "engine" in only:
        r, x = engine(Path(warehouse), factors, args.repeats if not args.quick else 2, work)
        rows += r
        raw["engine"] = x
        _progress(r)

    import streamlit

    meta = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": platform.platform(terse=True),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "mode": "quick" if args.quick else "full",
        "seconds": round(time.perf_counter() - started, 1),
        "sessions": args.sessions,
        "repeats": args.repeats,
        "think_s": args.think,
        "ramp_s": args.ramp,
        "readers": args.readers,
        # other work on the machine (shared cores inflate the app's numbers more than the floor's)
        "loadavg_start": load_at_start,
        "loadavg_end": round(os.getloadavg()[0], 2),
    }
    text = render(rows, meta)
    print()
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    name = result_name(args.quick, only)
    (args.out / f"{name}.md").write_text(text)
    (args.out / f"{name}.json").write_text(
        json.dumps(
            {"meta": meta, "rows": [asdict(r) for r in rows], "raw": raw}, indent=1, default=str
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
