"""The URL registry and its one writer: every key of every page declared once, documented on the
methods page, read by one parser, and written to the address bar only through lutonwb.ui.urls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lutonwb.tracker import views
from lutonwb.ui.state import (
    CARRIED_PARAMS,
    GLOBAL_KEYS,
    PAGE_KEYS,
    PAGE_NAMES,
    PAGE_PATHS,
    PARAMS,
    PLAN_PARAMS,
    PROGRESS_PARAMS,
    REGISTRY,
    WARD_PARAMS,
    describe_keys,
    keys_of,
    params_of,
)
from tests.tables import static_tables

ROOT = Path(__file__).resolve().parents[2]
# reading or writing the address bar: st.query_params used other than as a link's argument
URL_ACCESS = re.compile(r"st\.query_params(?!\s*=)")


def test_every_page_is_known_and_no_page_declares_a_key_twice() -> None:
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    declared = set(re.findall(r'url_path="([^"]*)"', app))
    assert declared == set(PAGE_PATHS) == set(PAGE_NAMES)
    for p in REGISTRY:
        assert p.pages and set(p.pages) <= set(PAGE_PATHS), p.key
    for page in PAGE_PATHS:
        assert len(keys_of(page)) == len(set(keys_of(page))), page


@pytest.mark.parametrize(
    ("page", "keys"),
    [
        ("", ("area", "cmp", "with", "period", "vs")),
        ("principle", ("area", "cmp", "with", "period", "principle")),
        ("board", ("area", "cmp", "with", "period", "board", "actions", "spine")),
        (
            "measure",
            (
                "area",
                "cmp",
                "with",
                "period",
                "m",
                "map",
                "ranked",
                "breakdown",
                "reported",
                "actions",
            ),
        ),
        (
            "methods",
            (
                "area",
                "cmp",
                "with",
                "period",
                "q",
                "catalogue",
                "series",
                "missing",
                "glossary",
                "keys",
            ),
        ),
        ("progress", ("area", "cmp", "with", "period", "by", "dm", "fm", "track")),
        ("wards", ("layer", "geo", "ward", "ranked", "inequality", "composite", "cmp", "with")),
        (
            "plan",
            (
                "board",
                "status",
                "outcome",
                "p",
                "plan",
                "q",
                "group",
                "action",
                "timeline",
                "cmp",
                "with",
            ),
        ),
    ],
)
def test_each_pages_keys_are_the_public_contract(page: str, keys: tuple[str, ...]) -> None:
    """URL keys are public: this list changes only by adding."""
    assert keys_of(page) == keys


def test_every_key_a_page_reads_is_declared() -> None:
    """Each page's own reader reads exactly the registry's keys for it."""
    own = {"progress": tuple(p.key for p in PROGRESS_PARAMS)}  # read by lutonwb.ui.progress.setup
    for page in PAGE_KEYS:
        assert set(GLOBAL_KEYS + PAGE_KEYS[page] + own.get(page, ())) == set(keys_of(page))
    assert {p.key: p.attr for p in PLAN_PARAMS} == views.KEYS  # the tracker's own validator
    assert params_of("wards") == WARD_PARAMS and params_of("plan") == PLAN_PARAMS
    every = set(PARAMS) | set(WARD_PARAMS) | set(PLAN_PARAMS) | set(PROGRESS_PARAMS)
    assert every | set(CARRIED_PARAMS) == set(REGISTRY)
    # the ward maps and the plan tracker read none of the monitor's choices, but carry the
    # comparator (and a custom group's members) in their links
    assert [(p.key, p.pages) for p in CARRIED_PARAMS] == [
        ("cmp", ("wards", "plan")), ("with", ("wards", "plan"))
    ]  # fmt: skip


def test_methods_page_rows_cover_every_key_of_every_page() -> None:
    rows = describe_keys()
    assert len(rows) == len(REGISTRY)
    documented = {
        (r["key"], page)
        for r in rows
        for page in PAGE_PATHS
        if PAGE_NAMES[page] in r["used on"].split(", ")
    }
    wanted = {(key, page) for page in PAGE_PATHS for key in keys_of(page)}
    assert documented == wanted
    for r in rows:
        assert len(r["meaning"]) > 20, r["key"]
        assert r["example"].startswith("/") and f"{r['key']}=" in r["example"], r


def test_plan_and_ward_rows_read_as_before() -> None:
    rows = {(r["key"], r["used on"]): r for r in describe_keys({"area": "E06000032"})}
    assert rows[("geo", "ward maps")]["example"] == "/wards?geo=lsoa21"
    assert rows[("p", "plan tracker")]["example"] == "/plan?p=3"
    assert rows[("q", "methods")]["example"] == "/methods?q=obesity"
    assert rows[("area", "overview, principle, board, measure, progress, methods")]["example"] == (
        "/?area=E06000032"
    )


def test_only_the_urls_module_touches_the_address_bar() -> None:
    """No page or module reads or writes st.query_params itself (links to pages may pass it)."""
    sources = [*(ROOT / "pages").glob("*.py"), *(ROOT / "lutonwb").rglob("*.py"), ROOT / "app.py"]
    touching = sorted(
        str(f.relative_to(ROOT))
        for f in sources
        if URL_ACCESS.search(f.read_text(encoding="utf-8"))
    )
    assert touching == ["lutonwb/ui/urls.py"]


def _writer_script() -> None:
    import streamlit as st

    from lutonwb.ui import urls

    step = st.session_state.get("step", "")
    if step == "set":
        urls.set_key("ward", "E05014737")
        urls.set_key("map", "", remember=True)
        urls.set_key("q", "obesity", remember=True)
    elif step == "write":
        urls.write("plan", {"status": "at-risk"})
    elif step == "bad":
        try:
            urls.set_key("zz", "1")
        except KeyError as exc:
            st.text(str(exc))
        try:
            urls.write("wards", {"board": "at-place"})
        except KeyError as exc:
            st.text(str(exc))
    st.text(repr(sorted(urls.memory().items())))


def test_set_key_writes_removes_and_remembers(run_script, url_of) -> None:
    at = run_script(_writer_script, {"step": "set"}, map="1", area="E06000039")
    assert url_of(at) == {"ward": "E05014737", "q": "obesity", "area": "E06000039"}
    assert at.text[-1].value == "[('q', 'obesity')]"


def test_write_changes_only_the_pages_own_keys(run_script, url_of) -> None:
    at = run_script(
        _writer_script,
        {"step": "write"},
        board="at-place",
        q="HIV",
        area="E06000039",
        layer="iod25-imd",
    )
    assert url_of(at) == {"status": "at-risk", "area": "E06000039", "layer": "iod25-imd"}


def test_undeclared_keys_are_refused(run_script, url_of) -> None:
    at = run_script(_writer_script, {"step": "bad"})
    assert "'zz' is not declared" in at.text[0].value
    assert "'board' is not declared" in at.text[1].value
    assert url_of(at) == {}


def test_methods_page_shows_every_key_of_every_page(warehouse_dir) -> None:
    """The real methods page draws the registry: a key missing from it fails here."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["keys"] = "1"  # the table of keys is drawn only while open
    at.switch_page("pages/methods.py").run()
    assert not at.exception, [e.message for e in at.exception]
    table = next(
        t.value for t in static_tables(at) if "Used on" in t.value.columns
    )  # a wrapping table
    shown = {(k, page) for k, where in zip(table["Key"], table["Used on"], strict=True)
             for page in PAGE_PATHS if PAGE_NAMES[page] in where.split(", ")}  # fmt: skip
    assert shown == {(key, page) for page in PAGE_PATHS for key in keys_of(page)}


def test_examples_name_the_place_data_they_are_given() -> None:
    rows = {r["key"]: r for r in describe_keys({"ward": "E05000001", "plan": "p1", "plans": "p1"})}
    assert rows["ward"]["example"] == "/wards?ward=E05000001"
    assert rows["plan"]["example"] == "/plan?plan=p1" and "p1." in rows["plan"]["meaning"]
    assert describe_keys()[0]["example"] == "/?area=AREA", "a stand-in where the place has none"


def test_link_adds_a_pages_own_keys_and_refuses_others() -> None:
    from lutonwb.ui.urls import link

    shared = {"area": "E06000032", "cmp": "england"}
    assert link("progress", shared, track="off-track", dm="") == {**shared, "track": "off-track"}
    with pytest.raises(KeyError, match="track"):
        link("measure", shared, track="off-track")  # declared, but not for that page
