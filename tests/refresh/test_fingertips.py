"""`lutonwb refresh fingertips` against recorded all-data responses served on 127.0.0.1 (no network)."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from lutonwb import cli
from lutonwb.catalogue import load_catalogue
from lutonwb.ingest import fingertips as ingest_fingertips
from lutonwb.refresh import fingertips as ft
from lutonwb.refresh.provenance import read_provenance

FIXTURE = Path(__file__).parent / "fixtures" / "all_data_93356.csv"
RECORDED = FIXTURE.read_bytes()  # a real all-data response: England, East of England, 4 authorities
FALLS = 22401  # a reported-only catalogue measure's Fingertips id (emergency admissions for falls)


def recorded(indicator_id: int) -> bytes:
    """The recorded response, relabelled as another indicator where a test needs a catalogue id."""
    return RECORDED.replace(b"\n93356,", f"\n{indicator_id},".encode())


class FakeFingertips:
    """What the local server answers per indicator id: ('ok' | '500' | 'cut' | 'short' | 'slow', body)."""

    def __init__(self):
        self.answers: dict[int, tuple[str, bytes]] = {}
        self.hits: dict[int, int] = {}
        self.queries: list[dict[str, list[str]]] = []


def _handler(fake: FakeFingertips):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep pytest output quiet
            pass

        def do_GET(self):  # noqa: N802 (http.server's name)
            url = urlparse(self.path)
            query = parse_qs(url.query)
            fake.queries.append(query)
            if url.path != "/api/all_data/csv/by_indicator_id":
                self.send_error(404)
                return
            iid = int(query["indicator_ids"][0])
            fake.hits[iid] = fake.hits.get(iid, 0) + 1
            mode, body = fake.answers.get(iid, ("ok", recorded(iid)))
            if mode == "500":
                self.send_error(500, "Internal Server Error")
                return
            if mode == "slow":
                time.sleep(2)
            if mode == "cut":  # the connection drops mid-row, no length announced
                body = body[: len(body) // 2]
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            if mode != "cut":
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError):  # the client gave up first (timeout)
                self.wfile.write(body[: len(body) // 2] if mode == "short" else body)

    return Handler


@pytest.fixture
def fake():
    """A Fingertips API on 127.0.0.1; yields (fake, base URL)."""
    fake = FakeFingertips()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake, f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()
    server.server_close()


def test_download_writes_the_file_and_its_provenance(tmp_path: Path, fake):
    srv, base = fake
    result = ft.refresh(tmp_path, [93356], base=base)
    assert result.downloaded == (93356,) and not result.errors
    saved = tmp_path / "fingertips" / "api" / "93356.csv"
    assert saved.read_bytes() == RECORDED
    query = srv.queries[0]
    assert query["child_area_type_id"] == ["502"] and query["parent_area_type_id"] == ["6"]
    assert query["include_sortable_time_periods"] == ["yes"]
    row = read_provenance(tmp_path)[93356]
    assert row["url"] == ft.csv_url(base, 93356)
    assert row["bytes"] == str(len(RECORDED))
    assert row["sha256"] == hashlib.sha256(RECORDED).hexdigest()
    assert row["indicator_name"] == "Campylobacter incidence rate/100,000"
    assert (row["sex"], row["age"]) == ("Persons", "All ages") and row["rows"] == "58"
    assert row["retrieved_utc"].endswith("Z")
    assert not (tmp_path / "fingertips" / "api" / ft.STATE).exists()  # complete run: no state


def test_the_build_loader_reads_the_download(tmp_path: Path, fake):
    _, base = fake
    ft.refresh(tmp_path, [93356], base=base)
    values = ingest_fingertips.build(tmp_path)["values"]
    api = values[values["series"] == "fingertips-api/93356"]
    luton = api[(api["area_code"] == "E06000032") & (api["period"] == "2015")].iloc[0]
    assert luton["value"] == pytest.approx(82.4367751851334)
    assert (luton["lower_ci"], luton["upper_ci"]) == pytest.approx(
        (70.7391747235154, 95.5163132601068)
    )
    assert luton["count"] == 177 and luton["significance"] == "Similar"
    assert set(api["area_code"]) == {"E92000001", "E12000006", "E06000032", "E06000055",
                                     "E06000056", "E10000015"}  # fmt: skip


def test_a_reported_measure_becomes_open_after_refresh_and_build(tmp_path: Path, fake, monkeypatch):
    """The falls measure has only reported figures until its Fingertips file is downloaded."""
    _, base = fake
    raw = tmp_path / "raw"
    shutil.copytree(Path(__file__).parents[2] / "data" / "raw", raw)
    monkeypatch.setenv("LUTONWB_RAW", str(raw))
    assert load_catalogue().measure("falls-admissions-65").reported_only
    assert ft.refresh(raw, [FALLS], base=base).downloaded == (FALLS,)
    falls = load_catalogue().measure("falls-admissions-65")
    [binding] = falls.data
    assert (binding.series, binding.sex, binding.age) == (
        f"fingertips-api/{FALLS}",
        "Persons",
        "All ages",
    )
    from lutonwb.db import Warehouse
    from lutonwb.ingest import build

    out = tmp_path / "warehouse"
    build(raw, out, progress=lambda _msg: None)
    rows = Warehouse(out).series_values([f"fingertips-api/{FALLS}"])
    luton = rows[(rows["area_code"] == "E06000032") & (rows["age"] == "All ages")]
    assert sorted(luton["period"]) == ["2015", "2016", "2017"]
    assert luton["lower_ci"].notna().all() and luton["upper_ci"].notna().all()
    from lutonwb.engine import Engine

    card = Engine(Warehouse(out), falls_cat := load_catalogue(), snapshot=False).scorecard(
        "E06000032", "england"
    )
    row = card.set_index("measure_id").loc["falls-admissions-65"]
    assert not row["reported_only"] and falls_cat.measure("falls-admissions-65").data
    assert (row["period"], row["value"]) == ("2017", pytest.approx(81.1841820001753))
    assert (row["lower_ci"], row["upper_ci"]) == pytest.approx((69.6328827803115, 94.1042209263212))
    assert row["vs_england"] in {"Better", "Similar", "Worse"} and row["vs_england_method"]


def test_dry_run_prints_the_urls_and_writes_nothing(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("LUTONWB_RAW", str(tmp_path))
    monkeypatch.setenv("LUTONWB_FINGERTIPS_API", "http://127.0.0.1:9/api")
    code = cli.main(["refresh", "fingertips", "--dry-run", "--indicator", str(FALLS), "92949"])
    assert code == 0
    lines = capsys.readouterr().out.split()
    assert lines == [ft.csv_url("http://127.0.0.1:9/api", i) for i in (FALLS, 92949)]
    assert list(tmp_path.iterdir()) == []


def test_every_catalogue_id_by_default(monkeypatch, capsys):
    monkeypatch.setenv("LUTONWB_FINGERTIPS_API", "http://127.0.0.1:9/api")
    assert cli.main(["refresh", "fingertips", "--dry-run"]) == 0
    urls = capsys.readouterr().out.split()
    assert len(urls) == len(ft.catalogue_indicators(load_catalogue())) >= 20
    assert ft.csv_url("http://127.0.0.1:9/api", FALLS) in urls


def test_an_id_outside_the_catalogue_is_refused(capsys):
    assert cli.main(["refresh", "fingertips", "--dry-run", "--indicator", "93356"]) == 2
    assert "not the fingertips_id of any measure" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("mode", "problem"),
    [
        ("500", "HTTP 500"),
        ("cut", "malformed all-data CSV"),
        ("short", "received 8202 of 16405 bytes"),
        ("slow", "no answer within 0.5 s"),
    ],
)
def test_a_failed_download_is_named_and_keeps_the_previous_file(
    tmp_path: Path, fake, mode, problem
):
    srv, base = fake
    ft.refresh(tmp_path, [93356], base=base)
    saved = tmp_path / "fingertips" / "api" / "93356.csv"
    before, record = saved.read_bytes(), read_provenance(tmp_path)
    srv.answers[93356] = (mode, RECORDED)
    result = ft.refresh(tmp_path, [93356], base=base, timeout=0.5)
    assert result.downloaded == ()
    [err] = result.errors
    assert err.indicator_id == 93356 and err.url == ft.csv_url(base, 93356)
    assert problem in str(err) and "93356" in str(err)
    assert saved.read_bytes() == before and read_provenance(tmp_path) == record
    assert sorted(p.name for p in saved.parent.iterdir()) == ["93356.csv", "PROVENANCE.csv"]


def test_a_partial_run_resumes(tmp_path: Path, fake):
    srv, base = fake
    srv.answers[FALLS] = ("500", b"")
    first = ft.refresh(tmp_path, [93356, FALLS], base=base)
    assert first.downloaded == (93356,) and [e.indicator_id for e in first.errors] == [FALLS]
    del srv.answers[FALLS]
    second = ft.refresh(tmp_path, [93356, FALLS], base=base)
    assert second.skipped == (93356,) and second.downloaded == (FALLS,)
    assert srv.hits == {93356: 1, FALLS: 2}
    assert not (tmp_path / "fingertips" / "api" / ft.STATE).exists()
    third = ft.refresh(tmp_path, [93356, FALLS], base=base)  # a new run downloads afresh
    assert third.downloaded == (FALLS, 93356)


def test_cli_failure_exits_non_zero_and_names_the_indicator(tmp_path, fake, monkeypatch, capsys):
    srv, base = fake
    monkeypatch.setenv("LUTONWB_FINGERTIPS_API", base)
    srv.answers[FALLS] = ("500", b"")
    code = cli.main(["refresh", "fingertips", "--indicator", str(FALLS), "--raw", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"Fingertips indicator {FALLS}: HTTP 500" in err and "run the same command again" in err
    assert "[" in err and "1/1" in err  # the progress bar


def test_a_large_download_is_stored_gzipped(tmp_path: Path, fake, monkeypatch):
    _, base = fake
    monkeypatch.setattr(ft, "GZIP_BYTES", 1000)
    ft.refresh(tmp_path, [93356], base=base)
    folder = tmp_path / "fingertips" / "api"
    assert not (folder / "93356.csv").exists()
    import gzip

    assert gzip.decompress((folder / "93356.csv.gz").read_bytes()) == RECORDED
    with (folder / "PROVENANCE.csv").open() as f:
        assert next(csv.DictReader(f))["file"] == "93356.csv.gz"
    assert len(ingest_fingertips.build(tmp_path)["values"]) > 0
