"""Map labels (lutonwb/labels.py): inside their areas, never overlapping at the opening zoom."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from lutonwb import labels
from lutonwb.labels import Label, boxes_overlap, label_box, place_labels, polygons, to_pixels

ZOOM = 10.9


def _square(x0: float, y0: float, side: float) -> dict:
    ring = [[x0, y0], [x0 + side, y0], [x0 + side, y0 + side], [x0, y0 + side], [x0, y0]]
    return {"type": "Polygon", "coordinates": [ring]}


def _boxes(placed: list[Label], zoom: float = ZOOM) -> dict[str, tuple[float, ...]]:
    out = {}
    for lab in placed:
        x, y = to_pixels(np.array([lab.lon]), np.array([lab.lat]), zoom)
        out[lab.name] = label_box(float(x[0]), float(y[0]), lab.name, lab.size)
    return out


def _inside(lab: Label, geometry: dict | str) -> bool:
    poly = polygons(geometry)[0]
    return bool(labels._inside(np.array([lab.lon]), np.array([lab.lat]), poly)[0])


def test_pixels_round_trip_and_boxes() -> None:
    x, y = to_pixels(np.array([-0.42]), np.array([51.88]), ZOOM)
    assert labels.from_pixels(float(x[0]), float(y[0]), ZOOM) == pytest.approx((-0.42, 51.88))
    left, top, right, bottom = label_box(100, 50, "High Town", 12)
    assert right - left == pytest.approx(9 * 12 * labels.CHAR_EM + 4)
    assert boxes_overlap((0, 0, 10, 10), (9, 9, 20, 20))
    assert not boxes_overlap((0, 0, 10, 10), (10, 0, 20, 10))  # touching is not covering


def test_representative_point_is_inside_a_concave_area() -> None:
    """An L shape's centroid lies outside it; the label still goes inside, away from the edges."""
    ell = {
        "type": "Polygon",
        "coordinates": [
            [[0, 0], [0.1, 0], [0.1, 0.02], [0.02, 0.02], [0.02, 0.1], [0, 0.1], [0, 0]]
        ],
    }
    (lab,) = place_labels([("Ell", ell)], ZOOM)
    assert _inside(lab, ell) and not (0.02 < lab.lon < 0.1 and 0.02 < lab.lat < 0.1)


def test_neighbours_with_long_names_are_moved_apart() -> None:
    """Two small squares side by side: both names at their centres would overlap."""
    a, b = _square(0.0, 51.0, 0.02), _square(0.02, 51.0, 0.02)
    names = ["A long ward name", "Another long name"]
    centres = [(0.01, 51.01), (0.03, 51.01)]
    naive = [Label(n, x, y, 12) for n, (x, y) in zip(names, centres, strict=True)]
    assert boxes_overlap(*_boxes(naive).values())  # the problem the placement solves
    placed = place_labels(zip(names, [a, b], strict=True), ZOOM)
    assert [p.name for p in placed] == names
    assert not boxes_overlap(*_boxes(placed).values())
    assert _inside(placed[0], a) and _inside(placed[1], b)


def test_fit_view_shows_every_outline_whole_and_centred() -> None:
    a, b = _square(0.0, 51.0, 0.02), _square(0.1, 51.05, 0.02)
    lon, lat, zoom = labels.fit_view([a, b], 300, 200)
    x, y = to_pixels(np.array([0.0, 0.12, lon]), np.array([51.0, 51.07, lat]), zoom)
    width, height = x[1] - x[0], y[0] - y[1]
    assert width <= 300 and height <= 200
    assert width > 300 * 0.99 or height > 200 * 0.99  # the largest zoom that fits (to 0.01)
    assert x[2] == pytest.approx((x[0] + x[1]) / 2) and y[2] == pytest.approx((y[0] + y[1]) / 2)


@pytest.mark.parametrize("geo", ["wd23", "wd13"])
def test_the_whole_town_fits_a_phones_map(wh, geo) -> None:
    """At 390 px the map is 358 px wide: the opening view holds every ward inside it."""
    from lutonwb.ui.maps import FIT_HEIGHT, FIT_WIDTH, MAP_HEIGHT

    b = wh.boundaries(geo)
    lon, lat, zoom = labels.fit_view(b["geometry"], FIT_WIDTH, FIT_HEIGHT)
    cx, cy = to_pixels(np.array([lon]), np.array([lat]), zoom)
    rings = [r for g in b["geometry"] for poly in polygons(g) for r in poly[:1]]
    xs = np.concatenate([to_pixels(r[:, 0], r[:, 1], zoom)[0] for r in rings]) - cx[0]
    ys = np.concatenate([to_pixels(r[:, 0], r[:, 1], zoom)[1] for r in rings]) - cy[0]
    assert xs.min() >= -358 / 2 and xs.max() <= 358 / 2
    assert ys.min() >= -MAP_HEIGHT / 2 and ys.max() <= MAP_HEIGHT / 2
    assert xs.max() - xs.min() > FIT_WIDTH * 0.98 or ys.max() - ys.min() > FIT_HEIGHT * 0.98


@pytest.mark.parametrize("geo", ["wd23", "wd13"])
def test_ward_names_do_not_overlap_at_the_opening_zoom(wh, geo) -> None:
    from lutonwb.ui.maps import FIT_HEIGHT, FIT_WIDTH

    b = wh.boundaries(geo)
    assert len(b) >= 19
    zoom = labels.fit_view(b["geometry"], FIT_WIDTH, FIT_HEIGHT)[2]
    placed = place_labels(zip(b["name"], b["geometry"], strict=True), zoom)
    assert sorted(p.name for p in placed) == sorted(b["name"])  # every ward named, once
    boxes = _boxes(placed, zoom)
    clashes = [
        (m, n) for m, n in itertools.combinations(boxes, 2) if boxes_overlap(boxes[m], boxes[n])
    ]
    assert clashes == []
    geoms = dict(zip(b["name"], b["geometry"], strict=True))
    assert all(_inside(p, geoms[p.name]) for p in placed)
    # at the outlines' centres, names did overlap (e.g. High Town and Round Green in 2023)
    centres = [Label(n, x, y, 12) for n, x, y in zip(b["name"], b["lon"], b["lat"], strict=True)]
    naive = _boxes(centres, zoom)
    assert any(boxes_overlap(naive[m], naive[n]) for m, n in itertools.combinations(naive, 2))
