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


@pytest.mark.parametrize("geo", ["wd23", "wd13"])
def test_ward_names_do_not_overlap_at_the_opening_zoom(wh, geo) -> None:
    from lutonwb.ui.maps import OPENING_ZOOM

    b = wh.boundaries(geo)
    assert len(b) >= 19
    placed = place_labels(zip(b["name"], b["geometry"], strict=True), OPENING_ZOOM)
    assert sorted(p.name for p in placed) == sorted(b["name"])  # every ward named, once
    boxes = _boxes(placed, OPENING_ZOOM)
    clashes = [
        (m, n) for m, n in itertools.combinations(boxes, 2) if boxes_overlap(boxes[m], boxes[n])
    ]
    assert clashes == []
    geoms = dict(zip(b["name"], b["geometry"], strict=True))
    assert all(_inside(p, geoms[p.name]) for p in placed)
    # at the outlines' centres, names did overlap (e.g. High Town and Round Green in 2023)
    centres = [Label(n, x, y, 12) for n, x, y in zip(b["name"], b["lon"], b["lat"], strict=True)]
    naive = _boxes(centres, OPENING_ZOOM)
    assert any(boxes_overlap(naive[m], naive[n]) for m, n in itertools.combinations(naive, 2))
