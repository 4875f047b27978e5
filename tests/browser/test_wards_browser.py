"""Ward maps in a real browser, offline: the map draws 20 coloured wards, a ward link opens its profile."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser
VIRIDIS = [
    (0x44, 0x01, 0x54),
    (0x3B, 0x52, 0x8B),
    (0x21, 0x91, 0x8C),
    (0x5E, 0xC9, 0x62),
    (0xFD, 0xE7, 0x25),
]


def _wait_for_map(page) -> None:
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=60_000)
    page.wait_for_timeout(2500)  # let deck.gl draw its first frame


def _palette_pixels(path, box) -> dict[tuple[int, int, int], int]:
    """Count pixels close to each viridis colour inside the map's box (fills are 85% opaque on white)."""
    from PIL import Image

    return _palette_pixels_of(Image.open(path).convert("RGB").crop(box))


def test_map_renders_offline_with_coloured_wards(page, app_server) -> None:
    blocked: list[str] = []
    page.route(
        "**/*",
        lambda route: (
            (blocked.append(route.request.url), route.abort())
            if not route.request.url.startswith(app_server)
            else route.continue_()
        ),
    )
    page.goto(app_server + "/wards")
    _wait_for_map(page)
    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 300
    shot = screenshot(page, "wards-default")
    # the screenshot is full-page: the chart's box is in page coordinates after scrolling to top
    scroll = page.evaluate("() => window.scrollY")
    crop = (
        int(box["x"]),
        int(box["y"] + scroll),
        int(box["x"] + box["width"]),
        int(box["y"] + scroll + box["height"]),
    )
    counts = _palette_pixels(shot, crop)
    assert all(n > 200 for n in counts.values()), (
        counts
    )  # all five classes of the 20 wards are drawn
    assert page.get_by_text(
        "Map of Luton's 20 wards on the boundaries used from May 2023"
    ).is_visible()
    assert not [u for u in blocked if "cartocdn" in u or "mapbox" in u], "no base map requested"


def test_deep_link_opens_ward_profile_and_reproduces(page, app_server) -> None:
    url = app_server + "/wards?layer=iod25-income&geo=wd23&ward=E05014737"
    page.goto(url)
    _wait_for_map(page)
    assert page.get_by_role("heading", name="Biscot").is_visible()
    screenshot(page, "wards-biscot")
    assert "ward=E05014737" in page.url and "layer=iod25-income" in page.url
    # the page shows its full link, as every page does; opening it gives the same view
    shown = page.locator('[data-testid="stMarkdownContainer"] p', has_text="Link to this view")
    link = shown.last.locator("code").inner_text().strip()
    assert link.startswith(app_server + "/wards?") and "layer=iod25-income" in link, link
    page.goto(link)
    _wait_for_map(page)
    assert page.get_by_role("heading", name="Biscot").is_visible()


def test_clicking_a_ward_opens_its_profile(page, app_server) -> None:
    page.goto(app_server + "/wards")
    _wait_for_map(page)
    chart = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    box = chart.bounding_box()
    # a few points near the middle of Luton, in case one falls on a white ward border
    for dx, dy in ((0.5, 0.5), (0.45, 0.55), (0.55, 0.45)):
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
        try:
            page.wait_for_function(
                "() => window.location.search.includes('ward=E050147')", timeout=15_000
            )
            break
        except Exception:  # noqa: BLE001 (try the next point)
            screenshot(page, f"wards-click-miss-{dx}-{dy}")
    wait_for_app(page)
    assert "ward=E050147" in page.url
    assert page.locator('[data-testid="stHeading"]').filter(has_text="Ward profile").count() == 1
    screenshot(page, "wards-clicked")


def test_find_my_ward_by_typing_a_neighbourhood(page, app_server) -> None:
    page.goto(app_server + "/wards")
    _wait_for_map(page)
    finder = page.get_by_label("Find my ward: type the name of a ward or neighbourhood")
    finder.click()
    page.keyboard.type("Neighbourhood 1 of Biscot")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => window.location.search.includes('ward=E05014737')", timeout=30_000
    )
    wait_for_app(page)
    page.get_by_role("heading", name="Biscot").wait_for(state="visible", timeout=30_000)
    screenshot(page, "wards-found")


def _fetches_static_and_draws(page, url: str, file: str, shot: str) -> None:
    """The page fetches the map's polygons from <base>/app/static/ and draws every class."""
    seen: list = []
    page.on("response", lambda r: seen.append(r) if "/app/static/" in r.url else None)
    page.goto(url)
    _wait_for_map(page)
    geojson = [r for r in seen if r.url.endswith(f"/{file}")]
    assert geojson and geojson[0].status == 200, [(r.url, r.status) for r in seen]
    assert geojson[0].headers["content-type"].startswith("application/json")
    base = url.split("/wards", 1)[0]
    assert geojson[0].url.startswith(base + "/app/static/wards/")
    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    box = chart.bounding_box()
    path = screenshot(page, shot)
    scroll = page.evaluate("() => window.scrollY")
    crop = (int(box["x"]), int(box["y"] + scroll), int(box["x"] + box["width"]),
            int(box["y"] + scroll + box["height"]))  # fmt: skip
    assert all(n > 200 for n in _palette_pixels(path, crop).values())


def test_the_map_fetches_its_polygons_as_a_static_file(page, app_server) -> None:
    _fetches_static_and_draws(page, app_server + "/wards", "iod25-imd-wd23.json", "wards-static")


@pytest.fixture(scope="module")
def base_path_server(warehouse_dir, tmp_path_factory):
    """The app served under a base path (server.baseUrlPath), as behind a path-routing proxy."""
    import os

    from tests.browser.conftest import serve_app

    yield from serve_app(dict(os.environ), tmp_path_factory, base="monitor")


def test_the_static_file_works_under_a_base_path(page, base_path_server) -> None:
    url = base_path_server + "/wards?layer=iod25-income"
    _fetches_static_and_draws(page, url, "iod25-income-wd23.json", "wards-base-path")


def _map_image(page, name: str):
    """The map's own pixels (a screenshot of the chart element, kept under test-output/)."""
    from PIL import Image

    from tests.browser.conftest import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.locator('[data-testid="stDeckGlJsonChart"]').first.screenshot(path=str(path))
    return Image.open(path).convert("RGB")


def _pixels(img) -> list[tuple[int, int, int]]:
    return list(img.get_flattened_data() if hasattr(img, "get_flattened_data") else img.getdata())


def _sized_page(browser, width: int):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    return ctx, page


def test_ward_names_are_drawn_as_text_not_blank_boxes(browser, app_server) -> None:
    """deck.gl draws the names from a font atlas built on a canvas: a font the canvas refused
    left it at 10 px, so every name came out as a blank-looking box a few pixels wide. The names
    are dark text (the palette's darkest purple is far lighter), so their pixels are counted."""
    ctx, page = _sized_page(browser, 1280)
    fonts: list[list[str]] = []
    page.expose_function("__atlasFont", lambda wanted, got: fonts.append([wanted, got]))
    page.add_init_script(
        """const d = Object.getOwnPropertyDescriptor(CanvasRenderingContext2D.prototype, 'font');
        Object.defineProperty(CanvasRenderingContext2D.prototype, 'font', {get: d.get,
          set(v) { d.set.call(this, v);
                   if (String(v).includes(' 64px ')) window.__atlasFont(String(v), d.get.call(this)); }});"""
    )
    try:
        page.goto(app_server + "/wards")
        _wait_for_map(page)
        img = _map_image(page, "wards-names-1280")
    finally:
        ctx.close()
    # the atlas's font (deck.gl asks for 64 px) is one the canvas took, not its 10 px default
    assert fonts and all("Source Sans" in got and "64px" in got for _, got in fonts), fonts
    dark = sum(1 for px in _pixels(img) if max(px) < 90)
    assert dark > 500, dark  # 20 names of 10-12 px text; boxes of unreadable dots gave 0


def test_the_whole_town_is_on_a_phones_map(browser, app_server) -> None:
    """At 390 px the map opens with every ward inside it: no ward colour touches its left or right
    edge, and all five classes are drawn."""
    ctx, page = _sized_page(browser, 390)
    try:
        page.goto(app_server + "/wards")
        _wait_for_map(page)
        img = _map_image(page, "wards-phone-390")
    finally:
        ctx.close()
    width, height = img.size
    assert 300 < width < 390, width
    blended = {c: tuple(round(0.843 * v + 0.157 * 255) for v in c) for c in VIRIDIS}

    def ward_colour(px) -> bool:
        return any(
            sum(abs(p - q) for p, q in zip(px, b, strict=True)) < 40 for b in blended.values()
        )

    edges = [img.getpixel((x, y)) for x in (0, 1, 2, width - 3, width - 2, width - 1)
             for y in range(height)]  # fmt: skip
    assert not [px for px in edges if ward_colour(px)], "a ward runs off the map's side"
    counts = _palette_pixels_of(img)
    assert all(n > 200 for n in counts.values()), counts


def _palette_pixels_of(img) -> dict[tuple[int, int, int], int]:
    """_palette_pixels of an image already cropped to the map."""
    counts = dict.fromkeys(VIRIDIS, 0)
    blended = {c: tuple(round(0.843 * v + 0.157 * 255) for v in c) for c in VIRIDIS}
    for px in _pixels(img):
        for c, b in blended.items():
            if sum(abs(p - q) for p, q in zip(px, b, strict=True)) < 40:
                counts[c] += 1
                break
    return counts


# The map's tooltip, when shown: its box, its text, and the box of the map that clips it.
TOOLTIP = """() => {
  const t = document.querySelector('[data-testid="stDeckGlJsonChart"] .deck-tooltip');
  if (!t || getComputedStyle(t).display === 'none' || !t.innerText.trim()) return null;
  const m = document.querySelector('[data-testid="stDeckGlJsonChart"]').getBoundingClientRect();
  const r = t.getBoundingClientRect();
  return {text: t.innerText, box: [r.left, r.top, r.right, r.bottom],
          map: [m.left, m.top, m.right, m.bottom]};
}"""


def test_ward_tooltip_stays_inside_the_map_near_its_east_edge(page, app_server) -> None:
    """Pointing at a ward near the map's east edge shows its name and figure in a box that stays
    inside the map, its words wrapped, rather than running off the map's right edge and cut."""
    page.goto(app_server + "/wards")
    _wait_for_map(page)
    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    box = chart.bounding_box()
    assert box is not None
    tip = None
    for fx in (0.8, 0.78, 0.76, 0.74, 0.72, 0.7):  # east of the town, from the edge inwards
        for fy in (0.6, 0.55, 0.5, 0.45, 0.4, 0.65):
            page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
            page.wait_for_timeout(250)
            tip = page.evaluate(TOOLTIP)
            if tip:
                break
        if tip:
            break
    screenshot(page, "wards-tooltip-east")
    assert tip is not None, "no ward found under the pointer east of the town"
    assert "most deprived" in tip["text"] or "score" in tip["text"], tip
    left, top, right, bottom = tip["box"]
    m_left, m_top, m_right, m_bottom = tip["map"]
    assert m_left <= left and right <= m_right, tip
    assert m_top <= top and bottom <= m_bottom, tip
