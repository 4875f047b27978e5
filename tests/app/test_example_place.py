"""AppTest: every page for the example place (Coventry, data/places/example), which defines no
boards, no plan and no ward files. Each page rates Coventry from the all-authority data, says
plainly what the place does not define, and never shows Luton."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from lutonwb import config
from lutonwb.catalogue import load_catalogue
from lutonwb.db import Warehouse
from lutonwb.engine import Engine
from lutonwb.ingest import build, is_current
from lutonwb.place import load_place
from tests.app.test_page_csvs import internals_in, reader_csvs
from tests.app.test_pages import downloads, open_view, text_of  # noqa: F401 (downloads: a fixture)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "places" / "example"
COVENTRY = "E08000026"
PAGES = {
    "overview": "pages/overview.py",
    "principle": "pages/principle.py",
    "board": "pages/board.py",
    "measure": "pages/measure.py",
    "methods": "pages/methods.py",
    "wards": "pages/wards.py",
    "plan": "pages/plan.py",
}
NOTICES = {
    "board": "Coventry defines no boards",
    "plan": "Coventry defines no plan",
    "wards": "No ward files are configured for Coventry",
}


def _clear_caches() -> None:
    """The app's cached warehouse and catalogue belong to one place: drop them on a switch."""
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def example() -> Iterator[Path]:
    """The example place configured (its own warehouse, built once), then Luton's restored."""
    saved = {k: os.environ.get(k) for k in ("LUTONWB_PLACE", "LUTONWB_WAREHOUSE")}
    os.environ["LUTONWB_PLACE"] = str(EXAMPLE)
    os.environ.pop("LUTONWB_WAREHOUSE", None)
    out = config.warehouse_dir()
    out.parent.mkdir(parents=True, exist_ok=True)
    raw = ROOT / "data" / "raw"
    with open(out.parent / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not is_current(raw, out):
            build(raw, out, progress=lambda _m: None)
    _clear_caches()
    try:
        yield out
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        _clear_caches()


def test_the_example_place_is_coventry() -> None:
    place = load_place(EXAMPLE)
    assert (place.name, place.home_area, place.region) == ("Coventry", COVENTRY, "E12000005")
    assert place.local_area is None and place.plan_titles == {} and place.citation() == ""
    assert load_catalogue(place_dir=EXAMPLE).boards == {}


def test_the_example_has_its_own_warehouse(example: Path) -> None:
    assert example != ROOT / "data" / "warehouse"
    assert example == ROOT / "data" / "warehouses" / "example"
    assert config.HOME_AREA_DEFAULT == COVENTRY


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_for_coventry(example: Path, name: str) -> None:
    at = open_view(PAGES[name])
    text = text_of(at)
    assert "Coventry" in text
    assert "Luton" not in text  # the methods page's missing-data list is every place's too
    if name in NOTICES:
        assert NOTICES[name] in text
    else:
        assert not at.info, [i.value for i in at.info]


def test_overview_rates_coventry_from_the_data(example: Path) -> None:
    at = open_view(PAGES["overview"], cmp="england")
    assert at.title[0].value == "Coventry Marmot City monitor"
    sc = Engine(Warehouse(example), load_catalogue()).scorecard(COVENTRY, "england")
    le = sc.set_index("measure_id").loc["life-expectancy-female"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[le["title"]] == f"{le['value']:,.1f} years"
    assert "Quoted from" not in text_of(at)  # the example's mission quotes no document


def test_measure_page_names_coventry(example: Path) -> None:
    at = open_view(PAGES["measure"], m="life-expectancy-male")
    text = text_of(at)
    assert "Coventry" in text and "Luton" not in text


@pytest.mark.parametrize("name", ["overview", "principle", "measure", "methods", "progress"])
def test_coventry_page_csvs_carry_no_internals(example: Path, name: str, downloads) -> None:  # noqa: F811
    at = open_view(PAGES.get(name, f"pages/{name}.py"), m="infant-mortality")
    files = reader_csvs(at, downloads)
    assert files
    assert [p for n, text in files.items() for p in internals_in(n, text)] == []
