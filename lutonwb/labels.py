"""Map labels that do not overlap: each area's name at a point well inside it, moved to another
inside point or set smaller where it would cover a name already placed, at the map's opening
zoom (deck.gl's Web Mercator pixels). No typed coordinates: everything comes from the outlines.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

TILE = 512  # deck.gl's world width in pixels at zoom 0
CHAR_EM = 0.57  # a character's width in font sizes: the widest names in the page's semi-bold
# sans-serif (Source Sans 600) measure 0.556 in a browser
LINE_EM = 1.25  # a line's height in font sizes
PAD = (2.0, 1.0)  # the text layer's background padding (x, y), px
SIZES = (12, 11, 10)  # font sizes tried in turn, px
GRID = 40  # candidate points per side of an area's bounding box


@dataclass(frozen=True)
class Label:
    """A name, where its centre goes (longitude, latitude) and its font size in pixels."""

    name: str
    lon: float
    lat: float
    size: int


def to_pixels(lon: np.ndarray, lat: np.ndarray, zoom: float) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator pixel coordinates (y down) at a zoom, as deck.gl draws them."""
    scale = TILE * 2.0**zoom
    phi = np.radians(np.asarray(lat, dtype=float))
    x = (np.asarray(lon, dtype=float) + 180.0) / 360.0 * scale
    y = (1.0 - np.log(np.tan(phi) + 1.0 / np.cos(phi)) / math.pi) / 2.0 * scale
    return x, y


def fit_view(
    geometries: Iterable[str | dict], width: float, height: float
) -> tuple[float, float, float]:
    """(longitude, latitude, zoom) that shows every outline whole in a view of width x height
    pixels: the middle of their bounding box, at the largest zoom (to 0.01) at which it fits."""
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for geometry in geometries:
        for poly in polygons(geometry):
            x, y = to_pixels(poly[0][:, 0], poly[0][:, 1], 0.0)
            xs.append(x)
            ys.append(y)
    x_all, y_all = np.concatenate(xs), np.concatenate(ys)
    (x0, x1), (y0, y1) = (x_all.min(), x_all.max()), (y_all.min(), y_all.max())
    zoom = math.log2(min(width / max(x1 - x0, 1e-12), height / max(y1 - y0, 1e-12)))
    lon, lat = from_pixels((x0 + x1) / 2, (y0 + y1) / 2, 0.0)
    return lon, lat, math.floor(zoom * 100) / 100


def from_pixels(x: float, y: float, zoom: float) -> tuple[float, float]:
    """(longitude, latitude) of a Web Mercator pixel at a zoom."""
    scale = TILE * 2.0**zoom
    lon = x / scale * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * y / scale))))
    return lon, lat


def label_box(x: float, y: float, name: str, size: int) -> tuple[float, float, float, float]:
    """The pixel box (left, top, right, bottom) a centred label with its background covers."""
    half_w = len(name) * size * CHAR_EM / 2 + PAD[0]
    half_h = size * LINE_EM / 2 + PAD[1]
    return x - half_w, y - half_h, x + half_w, y + half_h


def boxes_overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two (left, top, right, bottom) boxes share any area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def polygons(geometry: str | dict) -> list[list[np.ndarray]]:
    """A GeoJSON Polygon or MultiPolygon as polygons of rings, each ring an (n, 2) lon/lat array."""
    geom = json.loads(geometry) if isinstance(geometry, str) else geometry
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    return [[np.asarray(ring, dtype=float)[:, :2] for ring in poly] for poly in polys]


def _inside(px: np.ndarray, py: np.ndarray, rings: list[np.ndarray]) -> np.ndarray:
    """Even-odd rule over every ring (holes included): which points are inside."""
    hit = np.zeros(len(px), dtype=bool)
    for ring in rings:
        x0, y0 = ring[:, 0], ring[:, 1]
        x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
        crosses = (y0[None, :] > py[:, None]) != (y1[None, :] > py[:, None])
        with np.errstate(divide="ignore", invalid="ignore"):
            at = x0 + (py[:, None] - y0) * (x1 - x0) / (y1 - y0)
        hit ^= (crosses & (px[:, None] < at)).sum(axis=1) % 2 == 1
    return hit


def _edge_distance(px: np.ndarray, py: np.ndarray, rings: list[np.ndarray]) -> np.ndarray:
    """Each point's distance to the nearest edge of any ring."""
    best = np.full(len(px), np.inf)
    for ring in rings:
        a, b = ring, np.roll(ring, -1, axis=0)
        d = b - a
        length2 = np.maximum((d**2).sum(axis=1), 1e-12)
        t = ((px[:, None] - a[:, 0]) * d[:, 0] + (py[:, None] - a[:, 1]) * d[:, 1]) / length2
        t = np.clip(t, 0.0, 1.0)
        dx = px[:, None] - (a[:, 0] + t * d[:, 0])
        dy = py[:, None] - (a[:, 1] + t * d[:, 1])
        best = np.minimum(best, np.sqrt(dx**2 + dy**2).min(axis=1))
    return best


def inside_points(geometry: str | dict, zoom: float) -> np.ndarray:
    """Candidate label centres in pixels with their distance to the area's edge, (n, 3), the
    furthest from the edge first (the first is a representative interior point, near the pole
    of inaccessibility)."""
    found = []
    for poly in polygons(geometry):
        rings = [np.column_stack(to_pixels(r[:, 0], r[:, 1], zoom)) for r in poly]
        lo, hi = rings[0].min(axis=0), rings[0].max(axis=0)
        gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], GRID), np.linspace(lo[1], hi[1], GRID))
        px, py = gx.ravel(), gy.ravel()
        keep = _inside(px, py, rings)
        px, py = px[keep], py[keep]
        found.append(np.column_stack([px, py, _edge_distance(px, py, rings)]))
    points = np.vstack(found) if found else np.empty((0, 3))
    return points[np.argsort(-points[:, 2], kind="stable")]


def _first_free(name: str, points: np.ndarray, placed: list[tuple[float, ...]]) -> tuple | None:
    """The first (x, y, size) among the points and sizes whose box covers no placed box."""
    for size in SIZES:
        for x, y, _ in points:
            box = label_box(x, y, name, size)
            if not any(boxes_overlap(box, other) for other in placed):
                return x, y, size
    return None


def place_labels(areas: Iterable[tuple[str, str | dict]], zoom: float) -> list[Label]:
    """Each (name, outline) labelled inside its area, no two boxes overlapping at this zoom.

    Areas with the least room go first and keep their best point; the others move to another
    inside point, then try smaller sizes; a name with no free place keeps its best point at the
    smallest size (never dropped: a reader looks for their ward by name)."""
    items = [(name, inside_points(geom, zoom)) for name, geom in areas]
    items = [(n, p) for n, p in items if len(p)]
    items.sort(key=lambda item: item[1][0, 2])  # least room (nearest edge) first
    placed: list[tuple[float, ...]] = []
    out = []
    for name, points in items:
        x, y, size = _first_free(name, points, placed) or (*points[0, :2], SIZES[-1])
        placed.append(label_box(x, y, name, size))
        lon, lat = from_pixels(float(x), float(y), zoom)
        out.append(Label(name, lon, lat, int(size)))
    return sorted(out, key=lambda lab: lab.name)
