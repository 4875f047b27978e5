"""The benchmark's report rules (no browser): load pacing, load rows and joining part runs."""

from __future__ import annotations

import json
from types import SimpleNamespace

from bench.run import PARTS, STRESS, Pace, combine, load_rows, render, rerender, result_name


def _level(n: int, p95: float, think: float, ramp: float, errors: int = 0) -> dict:
    return {
        "sessions": n,
        "interactions": [p95 / 2, p95],
        "p50": p95 / 2,
        "p95": p95,
        "rss_before_mb": 500.0,
        "rss_after_mb": 500.0 + 2.0 * n,
        "mb_per_session": 2.0,
        "wall_s": 100.0,
        "server_cpu_s": 10.0,
        "browser_cpu_s": 90.0,
        "errors": ["TimeoutError"] * errors,
        "think_s": think,
        "ramp_s": ramp,
    }


def test_sessions_arrive_evenly_over_the_ramp() -> None:
    pace = Pace(think=30, ramp=60)
    assert [pace.arrival(i, 4) for i in range(4)] == [0, 15, 30, 45]
    assert STRESS.arrival(49, 50) == 0  # the stress run: everyone at once
    assert pace.label == "think 30 s, arriving over 60 s"
    assert STRESS.label == "think 1 s, all at once"


def test_load_rows_ratio_goal_and_pace_label() -> None:
    raw = {
        "1": _level(1, 0.4, 30, 30),
        "10": _level(10, 1.6, 30, 30),
        "50": _level(50, 8.0, 30, 30),
    }
    rows = load_rows(raw, (10, 50))
    by = {r.metric: r for r in rows}
    ten = by["load: p95 interaction at 10 sessions / at 1 (think 30 s, arriving over 30 s)"]
    assert round(ten.ratio, 6) == 4.0 and ten.passed
    fifty = by["load: p95 interaction at 50 sessions / at 1 (think 30 s, arriving over 30 s)"]
    assert round(fifty.ratio, 6) == 20.0 and not fifty.passed
    mem = by["load: server memory per extra session (at 50) (think 30 s, arriving over 30 s)"]
    assert mem.app == 2.0 and mem.passed


def test_stress_rows_keep_their_old_names() -> None:
    raw = {"1": _level(1, 0.4, 1, 0), "10": _level(10, 4.0, 1, 0, errors=5)}
    rows = load_rows(raw, (10,))
    assert rows[0].metric == "load: p95 interaction at 10 sessions / at 1"
    assert "5 of 10 sessions timed out" in rows[0].note
    # half the sessions failed: that level says nothing about memory per session
    assert rows[1].metric == "load: server memory per extra session" and not rows[1].passed


def _run_file(tmp_path, name: str, rows, raw: dict) -> object:
    from dataclasses import asdict

    meta = {
        "when": name,
        "machine": "m",
        "cpus": 2,
        "python": "3",
        "streamlit": "1",
        "mode": "full",
    }
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"meta": meta, "rows": [asdict(r) for r in rows], "raw": raw}))
    return path


def test_combine_keeps_two_load_runs_and_rerenders_both(tmp_path) -> None:
    stress = {"1": _level(1, 0.4, 1, 0), "10": _level(10, 6.0, 1, 0)}
    calm = {"1": _level(1, 0.4, 30, 30), "10": _level(10, 1.2, 30, 30)}
    a = _run_file(tmp_path, "a", load_rows(stress, (10,)), {"load": stress})
    b = _run_file(tmp_path, "b", load_rows(calm, (10,)), {"load": calm})
    out = tmp_path / "out"
    text = combine([a, b], out)
    saved = json.loads((out / "latest.json").read_text())
    assert set(saved["raw"]) == {"load", "load-1"}
    assert "| load: p95 interaction at 10 sessions / at 1 | 6.000 s | 0.400 s | 15.00 |" in text
    assert "at 1 (think 30 s, arriving over 30 s) | 1.200 s | 0.400 s | 3.00 | ≤ 5 | PASS" in text
    assert text.endswith("3 of 4 goals met.\n")  # 15× fails; 3×, and memory twice, pass
    # rebuilding the table from the joined JSON gives both runs' rows again
    assert rerender(out / "latest.json") == render(
        load_rows(stress, (10,)) + load_rows(calm, (10,)), saved["meta"]
    )


def test_part_runs_never_overwrite_the_full_results() -> None:
    assert result_name(False, set(PARTS)) == "latest"
    assert result_name(False, {"load"}) == "part-load"
    assert result_name(False, {"engine", "interaction"}) == "part-interaction+engine"
    assert result_name(True, set(PARTS)) == "quick"


def _readers_level(n: int, p95: float) -> dict:
    return {
        "sessions": n,
        "runs": [p95 / 4, p95],
        "p50": p95 / 4,
        "p95": p95,
        "errors": [],
        "exceptions": 0,
        "wall_s": 100.0,
        "server_cpu_s": 0.1 * n,
        "client_cpu_s": 5.0,
        "rss_before_mb": 500.0,
        "rss_peak_mb": 500.0 + n,
        "mb_per_session": 1.0,
    }


def test_readers_rows_goal_at_200_capacity_and_memory() -> None:
    from dataclasses import asdict

    from bench.readers import READER
    from bench.run import readers_rows

    def app(p95s):
        return {"1": _readers_level(1, 0.2), READER.name: {
            str(n): _readers_level(n, p) for n, p in p95s.items()}}  # fmt: skip

    raw = {
        "levels": [50, 200, 500],
        "paces": {READER.name: asdict(READER)},
        "app": app({50: 0.3, 200: 0.5, 500: 2.0}),
        "empty": app({50: 0.2, 200: 0.2, 500: 0.3}),
    }
    rows = readers_rows(raw)
    label = READER.label
    by = {r.metric: r for r in rows}
    at200 = by[f"readers (no browser): p95 rerun at 200 / at 1 reader ({label})"]
    assert round(at200.ratio, 6) == 2.5 and at200.goal == "≤ 3" and at200.passed
    at500 = by[f"readers (no browser): p95 rerun at 500 / at 1 reader ({label})"]
    assert at500.goal == "—"  # a point on the curve, not one of the goals
    cap = by[f"readers (no browser): readers one server process carries at p95 ≤ 1 s ({label})"]
    assert (cap.app, cap.floor, cap.passed) == (200, 500, True)
    assert "~300 by interpolation" in cap.note
    mem = by[f"readers (no browser): server memory per session (at 500) ({label})"]
    assert mem.app == 1.0 and mem.passed
    text = render(rows, {"when": "w", "machine": "m", "cpus": 2, "python": "3",
                         "streamlit": "1", "mode": "full"})  # fmt: skip
    assert "| ≤ 3 | PASS |" in text and "| — | — |" in text
    assert text.endswith("3 of 3 goals met.\n")  # the 50 and 500 rows are not goals


def test_content_floor_goes_through_the_rehearsed_picks_in_order() -> None:
    from bench.replay import Journey
    from bench.run import PAGES, replay_journeys

    picks = {"Comparator group": ["Region", "Custom group", "England"], "Measure": ["B", "A"]}
    journeys = replay_journeys(picks)
    assert [j.name for j in journeys] == [p or "overview" for p in PAGES]
    assert journeys[0] == Journey("", "Comparator group", ("Region", "Custom group", "England"))
    assert Journey("measure", "Measure", ("B", "A")) in journeys
    assert Journey("principle") in journeys  # a page whose choices are not timed: as it opens
    assert replay_journeys({})[0] == Journey("", "Comparator group", ())


def test_picks_take_the_first_few_options_round_again() -> None:
    from bench.run import MEASURE_PICKS, pick_index

    assert [pick_index(i) for i in range(MEASURE_PICKS + 2)] == [*range(MEASURE_PICKS), 0, 1]


def test_content_floor_note_splits_the_time() -> None:
    from bench.run import replay_note

    assert replay_note(0.40, 0.30, 0.10) == (
        "the same content re-sent by a script doing nothing else 0.300 s "
        "(3.00× the floor; the app's own work +0.100 s)"
    )


def test_the_engine_app_path_runs_in_a_process_of_its_own_after_the_build(monkeypatch, tmp_path):
    """The build's part (from scratch, then the precomputed ratings) runs first; the app's path
    then runs in a second child, so what the build did cannot slow or warm it; a failed build
    part stops there."""
    import bench.run as run

    calls: list[list[str]] = []

    def child(args: list[str], limit_gb: float) -> dict:
        calls.append(args)
        part = args[args.index("--part") + 1]
        if part == "build":
            return {
                "scratch_s": 9.0,
                "precompute_s": 4.0,
                "max_rss_mb": 900.0,
                "peak_rss_mb": 950.0,
            }
        return {"engine_s": 1.5, "scan_s": 0.5, "max_rss_mb": 300.0, "peak_rss_mb": 320.0}

    monkeypatch.setattr(run, "_engine_child", child)
    res = run._engine_bench(tmp_path, repeats=3, scratch_repeats=1, limit_gb=1.0)
    assert [a[a.index("--part") + 1] for a in calls] == ["build", "app"]
    assert calls[0][calls[0].index("--scratch-repeats") + 1] == "1"
    assert calls[1][calls[1].index("--repeats") + 1] == "3"
    assert res["scratch_s"] == 9.0 and res["engine_s"] == 1.5
    assert res["peak_rss_mb"] == 950.0 and res["app_peak_rss_mb"] == 320.0

    calls.clear()
    monkeypatch.setattr(run, "_engine_child", lambda a, g: calls.append(a) or {"error": "stopped"})
    assert run._engine_bench(tmp_path, 3, 1, limit_gb=1.0) == {"error": "stopped"}
    assert len(calls) == 1


def test_a_growth_row_names_the_app_paths_peak_memory_beside_the_builds() -> None:
    from bench.run import growth_row

    base = {"values_rows": 100, "engine_s": 0.25, "scan_s": 0.1, "scratch_s": 2.0}
    res = {"values_rows": 1_000, "engine_s": 1.5, "scan_s": 0.4, "scratch_s": 24.0,
           "peak_rss_mb": 1843.2, "app_peak_rss_mb": 1024.0}  # fmt: skip
    row = growth_row(res, base)
    assert (row.metric, row.ratio, row.goal, row.passed) == (
        "engine growth at 10.0× rows (1,000)",
        6.0,
        "≤ 10.0 (linear)",
        True,
    )
    assert row.note == (
        "scan grew 4.0×; engine/scan 3.8; from scratch 24.0 s (grew 12.0×), "
        "peak 1.8 GB (the app's path 1.0 GB)"
    )
    older = {k: v for k, v in res.items() if k != "app_peak_rss_mb"}  # a JSON from before
    assert growth_row(older, base).note.endswith("peak 1.8 GB")
    assert growth_row({**res, "engine_s": 2.6}, base).passed is False


def test_the_sidebar_rounds_look_at_the_ward_map_before_moving_on(monkeypatch) -> None:
    """Every page of the round is opened in each app, rounds in turn; after /wards (and only
    there) an untimed pause lets the map finish drawing before the next page is clicked."""
    import asyncio

    import bench.run as run

    events: list[tuple[str, str, object]] = []

    class Page:
        def __init__(self, name: str) -> None:
            self.name = name

        async def wait_for_timeout(self, ms: float) -> None:
            events.append((self.name, "pause", ms))

    class Context:
        async def close(self) -> None:
            pass

    made: list[str] = []

    async def new_session(browser):
        made.append(f"app{len(made)}")
        return SimpleNamespace(page=Page(made[-1]), context=Context())

    async def goto(s, url: str) -> None:
        events.append((s.page.name, "goto", url))

    async def nav_click(s, path: str) -> float:
        events.append((s.page.name, "click", path))
        return 0.25

    monkeypatch.setattr(run, "new_session", new_session)
    monkeypatch.setattr(run, "goto", goto)
    monkeypatch.setattr(run, "nav_click", nav_click)
    a, b = asyncio.run(run.page_rounds(None, ("http://a", "http://b"), repeats=2))
    assert a == b == {name or "overview": [0.25, 0.25] for name in run.PAGES}
    first_round = [e for e in events if e[0] == "app0" and e[1] != "goto"][:8]
    assert first_round == [
        ("app0", "click", "principle"),
        ("app0", "click", "board"),
        ("app0", "click", "measure"),
        ("app0", "click", "wards"),
        ("app0", "pause", 1500.0),
        ("app0", "click", "plan"),
        ("app0", "click", "methods"),
        ("app0", "click", ""),
    ]
    assert [e for e in events if e[1] == "pause"] == [("app0", "pause", 1500.0),
                                                      ("app1", "pause", 1500.0)] * 3  # fmt: skip
