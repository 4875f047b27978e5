"""`lutonwb refresh fingertips`: download each catalogue indicator's Fingertips 'all data' CSV.

One request per indicator id to the API's all-data endpoint, for upper-tier authorities with
their region and England rows. Each download goes to a hidden temporary file, is read by the
same loader the build uses (so a truncated or malformed file fails here, not in the build),
then is renamed over `data/raw/fingertips/api/<id>.csv` in one step and recorded in
PROVENANCE.csv (URL, UTC time, size, sha256). A failure names the indicator, the URL and what
was wrong and leaves the previous file in place; a run state file lets a re-run skip the
indicators an interrupted run already finished. Standard library only (urllib).
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import json
import os
import shutil
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlencode

from lutonwb.refresh.provenance import api_folder, read_provenance, write_provenance

API_DEFAULT = "https://fingertips.phe.org.uk/api"
API_ENV = "LUTONWB_FINGERTIPS_API"
CHILD_AREA_TYPE = 502  # "Counties & UAs (from Apr 2023)": every upper-tier authority
PARENT_AREA_TYPE = 6  # government office regions: the file then holds region and England rows
TIMEOUT_SECONDS = 60.0
GZIP_BYTES = 5 * 1024 * 1024  # larger downloads are stored gzipped (the loader reads .csv.gz)
STATE = ".refresh-state.json"
CHUNK = 1 << 16


class RefreshError(Exception):
    """One indicator's download failed: which indicator, which URL, and what was wrong."""

    def __init__(self, indicator_id: int, url: str, problem: str):
        self.indicator_id, self.url, self.problem = indicator_id, url, problem
        super().__init__(f"Fingertips indicator {indicator_id}: {problem} ({url})")


@dataclass(frozen=True)
class Outcome:
    """What the run did: ids downloaded, ids skipped (already done by this run), errors."""

    downloaded: tuple[int, ...]
    skipped: tuple[int, ...]
    errors: tuple[RefreshError, ...]


def api_base() -> str:
    """The API root: LUTONWB_FINGERTIPS_API or the public Fingertips API."""
    return (os.environ.get(API_ENV) or API_DEFAULT).rstrip("/")


def csv_url(base: str, indicator_id: int) -> str:
    """The all-data CSV URL of one indicator (sortable periods included: the loader needs them)."""
    query = urlencode(
        {
            "indicator_ids": indicator_id,
            "child_area_type_id": CHILD_AREA_TYPE,
            "parent_area_type_id": PARENT_AREA_TYPE,
            "include_sortable_time_periods": "yes",
        }
    )
    return f"{base}/all_data/csv/by_indicator_id?{query}"


def catalogue_indicators(cat) -> list[int]:
    """Every distinct fingertips_id named in the catalogue, ascending."""
    return sorted({m.fingertips_id for m in cat.measures.values() if m.fingertips_id})


def refresh(
    raw: Path,
    ids: Iterable[int],
    *,
    base: str | None = None,
    timeout: float = TIMEOUT_SECONDS,
    force: bool = False,
    out: TextIO | None = None,
) -> Outcome:
    """Download every id not already done by this run; returns what happened (errors collected).

    out: where the progress bar goes (default stderr)."""
    out = out or sys.stderr
    ids = sorted(set(ids))
    base = base or api_base()
    folder = api_folder(raw)
    folder.mkdir(parents=True, exist_ok=True)
    run = _run_key(base, ids)
    done = set() if force else _done(folder, run)
    todo = [i for i in ids if i not in done]
    got: list[int] = []
    errors: list[RefreshError] = []
    for n, indicator_id in enumerate(todo, 1):
        url = csv_url(base, indicator_id)
        bar = _bar(out, n, len(todo), indicator_id)
        bar(0, 0)
        try:
            fetch_indicator(raw, indicator_id, url, timeout, bar)
        except RefreshError as exc:
            errors.append(exc)
            out.write(f"\n{exc}\n")
            continue
        got.append(indicator_id)
        _save_done(folder, run, done | set(got))
    out.write("\n" if todo else "")
    if not errors:
        (folder / STATE).unlink(missing_ok=True)  # the run is complete: the next one starts afresh
    return Outcome(tuple(got), tuple(i for i in ids if i in done), tuple(errors))


def fetch_indicator(raw: Path, indicator_id: int, url: str, timeout: float, bar) -> Path:
    """Download, validate and publish one indicator's file; the previous file stays on failure."""
    folder = api_folder(raw)
    part = folder / f".{indicator_id}.csv.part"
    try:
        _download(url, part, timeout, bar, indicator_id)
        rows, sex, age, name = _validate(part, indicator_id, url)
        final = _publish(part, folder, indicator_id)
    finally:
        part.unlink(missing_ok=True)
    record = read_provenance(raw)
    record[indicator_id] = {
        "indicator_id": str(indicator_id),
        "indicator_name": name,
        "file": final.name,
        "url": url,
        "retrieved_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "bytes": str(final.stat().st_size),
        "sha256": _sha256(final),
        "rows": str(rows),
        "sex": sex,
        "age": age,
    }
    write_provenance(raw, record)
    return final


def _download(url: str, dest: Path, timeout: float, bar, indicator_id: int) -> None:
    """Stream the response body to dest; HTTP errors, timeouts and short bodies are named."""
    req = urllib.request.Request(url, headers={"Accept": "text/csv", "User-Agent": "lutonwb"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp, dest.open("wb") as f:  # noqa: S310 (http(s) API URL)
            total = int(resp.headers.get("Content-Length") or 0)
            size = 0
            while chunk := resp.read(CHUNK):
                f.write(chunk)
                size += len(chunk)
                bar(size, total)
    except urllib.error.HTTPError as exc:
        raise RefreshError(indicator_id, url, f"HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise RefreshError(indicator_id, url, f"could not connect: {exc.reason}") from exc
    except TimeoutError as exc:
        raise RefreshError(indicator_id, url, f"no answer within {timeout:g} s") from exc
    except (OSError, http.client.HTTPException) as exc:  # reset, cut short, disk full
        raise RefreshError(indicator_id, url, f"download failed: {exc!r}") from exc
    if total and size != total:
        raise RefreshError(indicator_id, url, f"received {size} of {total} bytes")


def _validate(path: Path, indicator_id: int, url: str) -> tuple[int, str, str, str]:
    """Read the download with the build's own loader: (rows, headline sex and age, name)."""
    from lutonwb.ingest.errors import DataError
    from lutonwb.ingest.fingertips import load_raw_export

    try:
        df = load_raw_export(path)
    except DataError as exc:
        raise RefreshError(indicator_id, url, f"malformed all-data CSV: {exc}") from exc
    found = set(df["series"].str.rsplit("/", n=1).str[-1])
    if found != {str(indicator_id)}:
        raise RefreshError(indicator_id, url, f"the file holds indicator(s) {sorted(found)}")
    sexes = set(df["sex"])
    sex = "Persons" if "Persons" in sexes or len(sexes) != 1 else sexes.pop()
    return len(df), sex, _headline_age(df), str(df["indicator"].iloc[0])


def _headline_age(df) -> str:
    """'All ages' when published, else the age band with the most rows (an id may carry a few)."""
    ages = df.loc[df["category_type"] == "", "age"].value_counts(sort=True)
    return "All ages" if "All ages" in ages.index or ages.empty else str(ages.index[0])


def _publish(part: Path, folder: Path, indicator_id: int) -> Path:
    """Rename the checked download over <id>.csv (or <id>.csv.gz when large) in one step."""
    plain, packed = folder / f"{indicator_id}.csv", folder / f"{indicator_id}.csv.gz"
    final, other = (packed, plain) if part.stat().st_size > GZIP_BYTES else (plain, packed)
    if final is packed:
        tmp = folder / f".{indicator_id}.csv.gz.part"
        with part.open("rb") as src, gzip.open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(tmp, final)
    else:
        os.replace(part, final)
    other.unlink(missing_ok=True)  # never two files (two copies of one series) for an id
    return final


def _run_key(base: str, ids: list[int]) -> str:
    """Identifies a run: same API, same ids, same area types → the same run to resume."""
    text = json.dumps([base, ids, CHILD_AREA_TYPE, PARENT_AREA_TYPE])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _done(folder: Path, run: str) -> set[int]:
    """Ids an interrupted run with the same key already published (their files still there)."""
    try:
        state = json.loads((folder / STATE).read_text())
    except (OSError, ValueError):
        return set()
    if state.get("run") != run:
        return set()
    ids = {int(i) for i in state.get("done", [])}
    return {i for i in ids if any(folder.glob(f"{i}.csv*"))}


def _save_done(folder: Path, run: str, done: set[int]) -> None:
    tmp = folder / f"{STATE}.tmp"
    tmp.write_text(json.dumps({"run": run, "done": sorted(done)}))
    os.replace(tmp, folder / STATE)


def _bar(out: TextIO, n: int, total: int, indicator_id: int):
    """A text progress bar for download n of total (bytes known or not)."""

    def show(size: int, expected: int) -> None:
        frac = (n - 1 + (min(size / expected, 1.0) if expected else 0.5)) / total
        filled = int(frac * 30)
        out.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {n}/{total} "
            f"indicator {indicator_id}: {size / 1e6:.1f} MB"
        )
        out.flush()

    return show


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
