"""Boundaries and lookups: the place's wards (2013 and 2023), LSOAs (2011, 2021) and MSOAs (2011)
from its local_area files (none: those rows and lookups are empty), English upper-tier
authorities, and the ONS lookups that tie them together.

Tables:
- boundaries: layer, code, name, geometry (simplified GeoJSON text), lon, lat (area centroid).
- lookup_lsoa_ward: each LSOA's ward in the ONS lookup (LSOA11→WD17, which are the 2013 wards in
  Luton; LSOA21→WD24 best fit, which are the 2023 wards), with the ward that holds the LSOA's
  interior point (checked here from the polygons), so LSOAs that straddle a ward boundary are flagged.
- lookup_lsoa11_lsoa21, lookup_ltla_utla, lookup_ltla_region.
- areas: ward and LSOA rows (the authority and region rows come from lutonwb.ingest.areas).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from lutonwb.ingest.errors import DataError
from lutonwb.ingest.local import CURRENT, empty, local_file, local_path, resolve
from lutonwb.ingest.readers import (
    LINE,
    check_pattern,
    check_unique,
    display_name,
    read_table,
    read_text,
)
from lutonwb.place import LocalArea


@dataclass(frozen=True)
class Layer:
    """One boundary file: where it is, which properties hold code and name, how hard to simplify."""

    id: str
    file: str
    code: str
    name: str
    pattern: str
    expected: int | None
    tolerance: float  # Douglas–Peucker tolerance in degrees (1e-4 ° ≈ 7-11 m at Luton)


# The place's own layers: format only here; the file and expected count come from its
# local_area files (role = layer id).
LOCAL_LAYERS: tuple[Layer, ...] = (
    Layer("wd23", "", "WD23CD", "WD23NM", r"E05\d{6}", None, 2e-5),
    Layer("wd13", "", "WD13CD", "WD13NM", r"E05\d{6}", None, 2e-5),
    Layer("lsoa21", "", "LSOA21CD", "LSOA21NM", r"E01\d{6}", None, 2e-5),
    Layer("lsoa11", "", "LSOA11CD", "LSOA11NM", r"E01\d{6}", None, 2e-5),
    Layer("msoa11", "", "MSOA11CD", "MSOA11NM", r"E02\d{6}", None, 2e-5),
)
UTLA_LAYER = Layer(
    "utla23",
    "boundaries/england_utla_dec2023_bsc_fingertipsnext.geojson.gz",
    "CTYUA23CD",
    "CTYUA23NM",
    r"[ENSW]\d{8}",
    None,
    1.5e-3,
)
ENGLISH_UTLA_PREFIXES = ("E06", "E08", "E09", "E10")

LOOKUP_FILES = {
    "ltla_utla": "lookups/all_ltla23_to_utla23.csv",
    "ltla_region": "lookups/all_ltla24_to_region24.csv",
}
LOCAL_LOOKUPS = ("lsoa11_ward", "lsoa21_ward", "lsoa11_lsoa21")

INPUTS: tuple[str, ...] = (UTLA_LAYER.file, *LOOKUP_FILES.values())
LOCAL_ROLES: tuple[str, ...] = (*(layer.id for layer in LOCAL_LAYERS), *LOCAL_LOOKUPS)


def layers(local: LocalArea | None) -> tuple[Layer, ...]:
    """The layers to read: the place's own (file and count from place.yaml), then England's."""
    if local is None:
        return (UTLA_LAYER,)
    own = tuple(
        replace(t, file=local_file(local, t.id).path, expected=local_file(local, t.id).expected)
        for t in LOCAL_LAYERS
    )
    return (*own, UTLA_LAYER)


def build(raw: Path, local: LocalArea | None | str = CURRENT) -> dict[str, pd.DataFrame]:
    """Tables this source contributes, keyed by warehouse table name."""
    raw, local = Path(raw), resolve(local)
    polygons: dict[str, dict[str, dict]] = {}
    frames = []
    for layer in layers(local):
        feats = read_layer(raw / layer.file, layer)
        polygons[layer.id] = {f["code"]: f["geometry"] for f in feats}
        frames.append(boundaries_frame(feats, layer))
    boundaries = pd.concat(frames, ignore_index=True)
    names = {
        f"{k}": dict(zip(g["code"], g["name"], strict=True)) for k, g in boundaries.groupby("layer")
    }
    lookups = (
        local_lookups(raw, local, polygons)
        if local is not None
        else {name: empty(name) for name in ("lookup_lsoa_ward", "lookup_lsoa11_lsoa21")}
    )
    return {
        "boundaries": boundaries,
        **lookups,
        "lookup_ltla_utla": read_ltla_utla(raw / LOOKUP_FILES["ltla_utla"]),
        "lookup_ltla_region": read_ltla_region(raw / LOOKUP_FILES["ltla_region"]),
        "areas": areas_frame(names, local.authority if local else ""),
    }


def local_lookups(raw: Path, local: LocalArea, polygons: dict) -> dict[str, pd.DataFrame]:
    """LSOA-to-ward and LSOA 2011-to-2021 lookups, checked against the place's boundaries."""
    path = {role: local_path(raw, local, role) for role in LOCAL_LOOKUPS}
    l11w = read_lsoa11_ward(path["lsoa11_ward"], local.authority)
    l21w = read_lsoa21_ward(path["lsoa21_ward"], local.authority)
    _check_lookup_against_layers(l11w, path["lsoa11_ward"], polygons["lsoa11"], polygons["wd13"])
    _check_lookup_against_layers(l21w, path["lsoa21_ward"], polygons["lsoa21"], polygons["wd23"])
    for lk, lsoa_layer, ward_layer in ((l11w, "lsoa11", "wd13"), (l21w, "lsoa21", "wd23")):
        lk["point_ward_code"] = point_wards(lk, polygons[lsoa_layer], polygons[ward_layer])
        # the best-fit ward is not where the LSOA's own interior point lies: it straddles a boundary
        lk["straddles"] = (lk["point_ward_code"] != lk["ward_code"]).astype("boolean")
    return {
        "lookup_lsoa_ward": pd.concat([l11w, l21w], ignore_index=True).drop(columns=[LINE]),
        "lookup_lsoa11_lsoa21": read_lsoa11_lsoa21(path["lsoa11_lsoa21"], local.authority),
    }


# -- boundaries ---------------------------------------------------------------------------------


def read_layer(path: Path, layer: Layer) -> list[dict]:
    """Features of one GeoJSON file as dicts (code, name, geometry), validated."""
    name = display_name(path)
    try:
        doc = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise DataError(
            name, exc.lineno, None, f"invalid JSON ({exc.msg})", "a GeoJSON FeatureCollection"
        ) from exc
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(doc.get("features"), list)
    ):
        raise DataError(
            name,
            None,
            "type",
            str(doc.get("type") if isinstance(doc, dict) else type(doc).__name__),
            "a FeatureCollection",
        )
    out: list[dict] = []
    seen: set[str] = set()
    rx = re.compile(layer.pattern)
    for i, feat in enumerate(doc["features"]):
        where = f"features[{i}]"
        props = feat.get("properties") or {}
        code = props.get(layer.code)
        if not isinstance(code, str) or not rx.fullmatch(code):
            raise DataError(
                name,
                None,
                f"{where}.properties.{layer.code}",
                str(code),
                f"a code matching {layer.pattern}",
            )
        if code in seen:
            raise DataError(
                name,
                None,
                f"{where}.properties.{layer.code}",
                f"a second feature {code}",
                "one feature per code",
            )
        seen.add(code)
        if layer.id == "utla23" and not code.startswith(ENGLISH_UTLA_PREFIXES):
            continue
        label = props.get(layer.name)
        if not isinstance(label, str) or not label.strip():
            raise DataError(name, None, f"{where}.properties.{layer.name}", str(label), "a name")
        geom = feat.get("geometry") or {}
        polys = _polygons(geom, name, f"{where}.geometry")
        out.append({"code": code, "name": label.strip(), "geometry": polys})
    if layer.expected is not None and len(out) != layer.expected:
        raise DataError(
            name, None, "features", f"{len(out)} features", f"{layer.expected} features"
        )
    if not out:
        raise DataError(name, None, "features", "no features", "at least one feature")
    return out


def _polygons(geom: dict, file: str, where: str) -> list[list[list[tuple[float, float]]]]:
    """Polygon or MultiPolygon → list of polygons, each a list of rings of (lon, lat)."""
    kind = geom.get("type")
    coords = geom.get("coordinates")
    if kind == "Polygon":
        polys = [coords]
    elif kind == "MultiPolygon":
        polys = coords
    else:
        raise DataError(file, None, f"{where}.type", str(kind), "Polygon or MultiPolygon")
    out = []
    for p, poly in enumerate(polys or []):
        rings = []
        for r, ring in enumerate(poly or []):
            try:
                pts = [(float(x), float(y)) for x, y, *_ in ring]
            except (TypeError, ValueError) as exc:
                raise DataError(
                    file,
                    None,
                    f"{where}.coordinates[{p}][{r}]",
                    "a malformed position",
                    "[longitude, latitude] pairs",
                ) from exc
            if len(pts) < 4:
                raise DataError(
                    file,
                    None,
                    f"{where}.coordinates[{p}][{r}]",
                    f"a ring of {len(pts)} positions",
                    "at least 4 positions",
                )
            for x, y in pts:
                if not (-180 <= x <= 180 and -90 <= y <= 90):
                    raise DataError(
                        file,
                        None,
                        f"{where}.coordinates[{p}][{r}]",
                        f"position ({x}, {y})",
                        "longitude/latitude in degrees (WGS84)",
                    )
            rings.append(pts)
        if rings:
            out.append(rings)
    if not out:
        raise DataError(file, None, f"{where}.coordinates", "no polygons", "at least one polygon")
    return out


def simplify_ring(ring: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker on a closed ring, keeping it closed and at least a triangle (4 positions)."""
    if len(ring) <= 4 or tolerance <= 0:
        return ring
    pts = ring[:-1] if ring[0] == ring[-1] else ring
    # split the ring at its first point and the point farthest from it, then simplify both halves
    far = max(
        range(len(pts)), key=lambda i: (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2
    )
    a = _dp(pts[: far + 1], tolerance)
    b = _dp(pts[far:] + [pts[0]], tolerance)
    out = a[:-1] + b
    if len(out) < 4:
        return ring
    return out


def _dp(pts: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas–Peucker on an open polyline (iterative, so long rings do not hit the recursion limit)."""
    n = len(pts)
    if n < 3:
        return list(pts)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        (x1, y1), (x2, y2) = pts[i], pts[j]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, idx = -1.0, -1
        for k in range(i + 1, j):
            x, y = pts[k]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else math.hypot(x - x1, y - y1)
            if d > best:
                best, idx = d, k
        if idx > 0 and best > tol:
            keep[idx] = True
            stack.append((i, idx))
            stack.append((idx, j))
    return [p for p, k in zip(pts, keep, strict=True) if k]


def simplify(polys: list, tolerance: float, digits: int = 5) -> list:
    """Simplify every ring, round coordinates, drop repeated points and rings too small to draw."""
    out = []
    for poly in polys:
        rings = []
        for ring in poly:
            s = simplify_ring(ring, tolerance)
            r: list[tuple[float, float]] = []
            for x, y in s:
                p = (round(x, digits), round(y, digits))
                if not r or r[-1] != p:
                    r.append(p)
            if r[0] != r[-1]:
                r.append(r[0])
            if len(r) >= 4:
                rings.append(r)
        if rings:
            out.append(rings)
    return out or polys


def ring_area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Signed area and centroid of a ring (shoelace; planar degrees are fine inside one town)."""
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        c = x1 * y2 - x2 * y1
        a += c
        cx += (x1 + x2) * c
        cy += (y1 + y2) * c
    a /= 2
    if a == 0:
        return 0.0, ring[0][0], ring[0][1]
    return a, cx / (6 * a), cy / (6 * a)


def centroid(polys: list) -> tuple[float, float]:
    """Area-weighted centroid of the outer rings (holes ignored: a label position, not a survey)."""
    tot = sx = sy = 0.0
    for poly in polys:
        a, x, y = ring_area_centroid(poly[0])
        tot += abs(a)
        sx += abs(a) * x
        sy += abs(a) * y
    if tot == 0:
        x, y = polys[0][0][0]
        return x, y
    return sx / tot, sy / tot


def boundaries_frame(feats: list[dict], layer: Layer) -> pd.DataFrame:
    """One row per feature with simplified GeoJSON geometry text and its centroid."""
    rows = []
    for f in feats:
        simple = simplify(f["geometry"], layer.tolerance)
        geom = {
            "type": "MultiPolygon",
            "coordinates": [[[list(p) for p in ring] for ring in poly] for poly in simple],
        }
        lon, lat = centroid(f["geometry"])
        rows.append(
            {
                "layer": layer.id,
                "code": f["code"],
                "name": f["name"],
                "geometry": json.dumps(geom, separators=(",", ":")),
                "lon": round(lon, 6),
                "lat": round(lat, 6),
            }
        )
    return pd.DataFrame(rows).astype(
        {"layer": "string", "code": "string", "name": "string", "geometry": "string"}
    )


# -- point in polygon: does each LSOA's interior point fall in the ward the lookup gives it? ----


def representative_point(polys: list) -> tuple[float, float]:
    """A point surely inside the shape: middle of the widest span on a scan line near mid-height.

    The same rule as GEOS's interior point for areas, so the check matches what GIS tools report.
    """
    ys = [p[1] for poly in polys for ring in poly for p in ring]
    mid = (min(ys) + max(ys)) / 2
    hi = min((y for y in ys if y > mid), default=max(ys))
    lo = max((y for y in ys if y <= mid), default=min(ys))
    scan = (hi + lo) / 2
    best_w, best_x = -1.0, polys[0][0][0][0]
    for poly in polys:
        xs: list[float] = []
        for ring in poly:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                if (y1 > scan) != (y2 > scan):
                    xs.append(x1 + (scan - y1) * (x2 - x1) / (y2 - y1))
        xs.sort()
        for a, b in zip(xs[0::2], xs[1::2], strict=False):
            if b - a > best_w:
                best_w, best_x = b - a, (a + b) / 2
    return best_x, scan


def contains(polys: list, x: float, y: float) -> bool:
    """Even-odd rule over every ring of every polygon (holes subtract naturally)."""
    inside = False
    for poly in polys:
        for ring in poly:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
    return inside


def point_wards(lookup: pd.DataFrame, lsoas: dict[str, list], wards: dict[str, list]) -> pd.Series:
    """Code of the ward that holds each LSOA's interior point ('' if none)."""
    out = []
    for code in lookup["lsoa_code"]:
        x, y = representative_point(lsoas[code])
        out.append(next((w for w, poly in sorted(wards.items()) if contains(poly, x, y)), ""))
    return pd.Series(out, index=lookup.index, dtype="string")


# -- lookups ------------------------------------------------------------------------------------


def read_lsoa11_ward(path: Path, authority: str) -> pd.DataFrame:
    """ONS LSOA11→WD17 (e.g. Luton's WD17 codes are its 2013 wards, used until May 2023)."""
    name = display_name(path)
    df = read_table(path, ["LSOA11CD", "LSOA11NM", "WD17CD", "WD17NM", "LAD_CD"])
    check_pattern(df, "LSOA11CD", r"E01\d{6}", name)
    check_pattern(df, "WD17CD", r"E05\d{6}", name)
    check_pattern(df, "LAD_CD", authority, name)
    check_unique(df, ["LSOA11CD"], name)
    return pd.DataFrame(
        {
            "lsoa_code": df["LSOA11CD"],
            "lsoa_name": df["LSOA11NM"],
            "lsoa_vintage": "LSOA11",
            "ward_code": df["WD17CD"],
            "ward_name": df["WD17NM"],
            "ward_vintage": "WD17",
            "ward_layer": "WD13",
            "method": "ONS LSOA (2011) to Ward (2017) lookup",
            LINE: df[LINE],
        }
    ).astype(
        {"lsoa_code": "string", "lsoa_name": "string", "ward_code": "string", "ward_name": "string"}
    )


def read_lsoa21_ward(path: Path, authority: str) -> pd.DataFrame:
    """ONS LSOA21→WD24 best fit (e.g. Luton's WD24 codes are its May 2023 wards)."""
    name = display_name(path)
    df = read_table(path, ["LSOA21CD", "LSOA21NM", "WD24CD", "WD24NM", "LAD24CD"])
    check_pattern(df, "LSOA21CD", r"E01\d{6}", name)
    check_pattern(df, "WD24CD", r"E05\d{6}", name)
    check_pattern(df, "LAD24CD", authority, name)
    check_unique(df, ["LSOA21CD"], name)
    return pd.DataFrame(
        {
            "lsoa_code": df["LSOA21CD"],
            "lsoa_name": df["LSOA21NM"],
            "lsoa_vintage": "LSOA21",
            "ward_code": df["WD24CD"],
            "ward_name": df["WD24NM"],
            "ward_vintage": "WD24",
            "ward_layer": "WD23",
            "method": "ONS LSOA (2021) to Electoral Ward (2024) best-fit lookup",
            LINE: df[LINE],
        }
    ).astype(
        {"lsoa_code": "string", "lsoa_name": "string", "ward_code": "string", "ward_name": "string"}
    )


def _check_lookup_against_layers(
    lookup: pd.DataFrame, path: Path, lsoas: dict, wards: dict
) -> None:
    """Every LSOA and ward in the lookup has a boundary, and every boundary LSOA is looked up."""
    name = display_name(path)
    for lsoa, ward, line in zip(
        lookup["lsoa_code"], lookup["ward_code"], lookup[LINE], strict=True
    ):
        if lsoa not in lsoas:
            raise DataError(
                name, int(line), "LSOA code", lsoa, "an LSOA in the matching boundary file"
            )
        if ward not in wards:
            raise DataError(
                name, int(line), "ward code", ward, "a ward in the matching boundary file"
            )
    missing = sorted(set(lsoas) - set(lookup["lsoa_code"]))
    if missing:
        raise DataError(
            name,
            None,
            "LSOA code",
            f"no row for {missing[0]}",
            "a row for every LSOA in the boundary file",
        )


def read_lsoa11_lsoa21(path: Path, authority: str) -> pd.DataFrame:
    """ONS LSOA11→LSOA21 with the change indicator (U unchanged, S split, M merged, X complex)."""
    name = display_name(path)
    df = read_table(path, ["LSOA11CD", "LSOA11NM", "LSOA21CD", "LSOA21NM", "CHGIND", "LAD22CD"])
    check_pattern(df, "LSOA11CD", r"E01\d{6}", name)
    check_pattern(df, "LSOA21CD", r"E01\d{6}", name)
    check_pattern(df, "CHGIND", r"[USMX]", name)
    check_pattern(df, "LAD22CD", authority, name)
    check_unique(df, ["LSOA11CD", "LSOA21CD"], name)
    return pd.DataFrame(
        {
            "lsoa11_code": df["LSOA11CD"],
            "lsoa11_name": df["LSOA11NM"],
            "lsoa21_code": df["LSOA21CD"],
            "lsoa21_name": df["LSOA21NM"],
            "change": df["CHGIND"],
            "lad_code": df["LAD22CD"],
        }
    ).astype("string")


def read_ltla_utla(path: Path) -> pd.DataFrame:
    """Lower-tier to upper-tier authority (2023 codes), every row."""
    name = display_name(path)
    df = read_table(path, ["ltla23_code", "ltla23_name", "utla23_code", "utla23_name"])
    check_pattern(df, "ltla23_code", r"[ENSW]\d{8}", name)
    check_pattern(df, "utla23_code", r"[ENSW]\d{8}", name)
    check_unique(df, ["ltla23_code"], name)
    return pd.DataFrame(
        {
            "ltla_code": df["ltla23_code"],
            "ltla_name": df["ltla23_name"],
            "utla_code": df["utla23_code"],
            "utla_name": df["utla23_name"],
            "vintage": "2023",
        }
    ).astype("string")


def read_ltla_region(path: Path) -> pd.DataFrame:
    """Lower-tier authority to region (2024 codes), every row."""
    name = display_name(path)
    df = read_table(path, ["ltla24_name", "ltla24_code", "region24_name", "region24_code"])
    check_pattern(df, "ltla24_code", r"E0[6-9]\d{6}", name)
    check_pattern(df, "region24_code", r"E12\d{6}", name)
    check_unique(df, ["ltla24_code"], name)
    return pd.DataFrame(
        {
            "ltla_code": df["ltla24_code"],
            "ltla_name": df["ltla24_name"],
            "region_code": df["region24_code"],
            "region_name": df["region24_name"],
            "vintage": "2024",
        }
    ).astype("string")


# -- areas --------------------------------------------------------------------------------------

_AREA_LAYERS = (
    ("wd23", "ward", "WD23", True),
    ("wd13", "ward", "WD13", False),
    ("lsoa21", "lsoa", "LSOA21", True),
    ("lsoa11", "lsoa", "LSOA11", False),
)


def areas_frame(names: dict[str, dict[str, str]], authority: str) -> pd.DataFrame:
    """Ward and LSOA rows for `areas`; an LSOA code unchanged in 2021 appears once per vintage."""
    rows = []
    for layer, area_type, vintage, current in _AREA_LAYERS:
        for code, label in sorted(names.get(layer, {}).items()):
            rows.append(
                {
                    "area_code": code,
                    "area_name": label,
                    "area_type": area_type,
                    "parent_code": authority,
                    "vintage": vintage,
                    "current": current,
                }
            )
    cols = ["area_code", "area_name", "area_type", "parent_code", "vintage", "current"]
    return pd.DataFrame(rows, columns=cols)
