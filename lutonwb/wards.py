"""Deprivation and inequality inside a place: map layers at ward and LSOA level, aggregation to
wards, the ward profile, a transparent ward composite, and inequality summaries. No Streamlit here.

Geographies: 'wd23' (the wards from May 2023), 'lsoa21' (2021 LSOAs), 'wd13' (the wards used until
May 2023) and 'lsoa11' (2011 LSOAs). IoD 2025 and Census 2021 are published for 2021 LSOAs, so
their ward values are built here from LSOAs with the ONS best-fit lookup; IMD 2019 ward values are
the published aggregates for the pre-2023 wards. The layers themselves are data: map_layers.yaml.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import MISSING, dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from lutonwb.catalogue import CatalogueError
from lutonwb.catalogue.yamlfile import children
from lutonwb.db import Warehouse
from lutonwb.gaps import signed_gap
from lutonwb.place import current_place
from lutonwb.stats import slope_index_of_inequality
from lutonwb.yamlio import LOADER

GEOGRAPHIES: dict[str, str] = {
    "wd23": "Wards (from May 2023)",
    "lsoa21": "Neighbourhoods (LSOAs 2021)",
    "wd13": "Wards (until May 2023)",
    "lsoa11": "Neighbourhoods (LSOAs 2011)",
}
# the same geographies inside a sentence ('coloured by … for Luton's 20 wards on the boundaries
# used from May 2023'): month names keep their capital, no brackets
GEO_PHRASES: dict[str, str] = {
    "wd23": "wards on the boundaries used from May 2023",
    "lsoa21": "neighbourhoods as drawn for the 2021 census",
    "wd13": "wards on the boundaries used until May 2023",
    "lsoa11": "neighbourhoods as drawn for the 2011 census",
}
WARD_GEOS = ("wd23", "wd13")
RATE_DOMAINS = ("income", "employment")  # scores are the share of people deprived: shown as %
WEIGHTS_NOTE = (
    "IoD 2025 scores are averaged to wards, each neighbourhood weighted by its number of households "
    "(Census 2021): we hold no population figures for the 2021 neighbourhoods, so households stand "
    "in for people."
)
LAYERS_FILE = Path(__file__).with_name("map_layers.yaml")
KINDS = (
    "composite",
    "iod25",
    "iod25-rank",
    "iod25-decile",
    "imd19-ward",
    "imd19-rank",
    "imd19-decile",
    "census",
    "fuel",
)
POLARITIES = ("lower-better", "higher-better")


@dataclass(frozen=True)
class MapLayer:
    """One thing the ward map can show; polarity says which end is worse."""

    id: str
    title: str
    unit: str
    polarity: str  # one of POLARITIES
    geographies: tuple[str, ...]
    edition: str
    description: str
    source: str
    kind: str  # one of KINDS: how the values are computed
    domain: str = ""  # IoD domain id; for census layers ">=k" or "=k" deprived dimensions
    measure: str = "score"  # IMD 2019 ward aggregates: 'score' | 'proportion' | 'extent'
    detail: bool = False  # drawn and profiled, but left out of the inequality summary table
    decimals: int = 1  # the precision its values are shown to

    @property
    def default_geo(self) -> str:
        return self.geographies[0]


class LayerFileError(CatalogueError):
    """A problem in the map layers file, located by file, line and key (as the catalogue's)."""


_TYPES = {f.name: f.type for f in fields(MapLayer)}
_REQUIRED = tuple(f.name for f in fields(MapLayer) if f.default is MISSING)


def _layer_field(key: str, value: object, node: yaml.Node, where: tuple[str, str]) -> object:
    """One key of a layer, checked against MapLayer's field types and vocabularies."""
    name, label = where

    def fail(problem: str) -> LayerFileError:
        return LayerFileError(name, node.start_mark.line + 1, f"{label}.{key}", problem)

    kind = _TYPES.get(key)
    if kind is None:
        raise fail(f"unknown key; expected one of {', '.join(_TYPES)}")
    if kind == "tuple[str, ...]":
        if not isinstance(value, list) or not value or not set(value) <= set(GEOGRAPHIES):
            raise fail(f"must be a non-empty list of {', '.join(GEOGRAPHIES)}")
        return tuple(value)
    if kind in ("bool", "int") and type(value).__name__ != kind:
        raise fail(f"must be {'true or false' if kind == 'bool' else 'a whole number'}")
    if kind == "str" and (not isinstance(value, str) or not value.strip()):
        raise fail("must be a non-empty text")
    allowed = {"polarity": POLARITIES, "kind": KINDS}.get(key)
    if allowed and value not in allowed:
        raise fail(f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _layer(item: object, node: yaml.Node, i: int, name: str) -> MapLayer:
    """One entry of the file as a MapLayer (every problem names the line and key)."""
    if not isinstance(item, dict):
        raise LayerFileError(name, node.start_mark.line + 1, f"layers[{i}]", "must be a mapping")
    label = f"layers[{item.get('id', i)}]"
    kids = children(node)
    values = {
        key: _layer_field(str(key), value, kids[str(key)][1], (name, label))
        for key, value in item.items()
    }
    for key in _REQUIRED:
        if key not in values:
            raise LayerFileError(name, node.start_mark.line + 1, f"{label}.{key}", "missing")
    return MapLayer(**values)


def load_layers(path: Path = LAYERS_FILE) -> dict[str, MapLayer]:
    """The map layers declared in `path`, in picker order; ids unique; errors name file and line."""
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=LOADER)
        data = yaml.load(text, Loader=LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise LayerFileError(path.name, line, "", f"not valid YAML: {problem}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("layers"), list):
        raise LayerFileError(path.name, 1, "layers", "the file must hold a list named layers")
    seq = children(root)["layers"][1]
    out: dict[str, MapLayer] = {}
    for i, (item, node) in enumerate(zip(data["layers"], seq.value, strict=True)):
        lyr = _layer(item, node, i, path.name)
        if lyr.id in out:
            raise LayerFileError(
                path.name, node.start_mark.line + 1, f"layers[{lyr.id}].id", "repeated"
            )
        out[lyr.id] = lyr
    return out


LAYERS: dict[str, MapLayer] = load_layers()
FUEL_POVERTY_YEAR = int(LAYERS["fuel-poverty"].edition)  # the fuel poverty layer's year

DEFAULT_LAYER = "iod25-imd"
DEFAULT_GEO = "wd23"


def layers() -> list[MapLayer]:
    """Every layer, in picker order."""
    return list(LAYERS.values())


def layer(layer_id: str) -> MapLayer:
    """One layer by id (KeyError if unknown)."""
    return LAYERS[layer_id]


def layers_for(geo: str) -> list[MapLayer]:
    """Layers drawn at a geography."""
    return [lyr for lyr in LAYERS.values() if geo in lyr.geographies]


# -- inputs -------------------------------------------------------------------------------------


def _memo(wh: Warehouse, key: tuple, compute):
    """Remember a result on this (read-only) warehouse: profiles reuse the same inputs many times."""
    store = wh.__dict__.setdefault("_wards_memo", {})
    if key not in store:
        store[key] = compute()
    value = store[key]
    return value.copy() if isinstance(value, pd.DataFrame | pd.Series) else value


def _q(wh: Warehouse, method: str, *args):
    """A named warehouse query, remembered per warehouse."""
    return _memo(wh, ("q", method, *args), lambda: getattr(wh, method)(*args))


def areas_of(wh: Warehouse, geo: str) -> pd.DataFrame:
    """code, name of every area of a geography (from the boundaries)."""
    return _q(wh, "boundaries", geo)[["code", "name"]].reset_index(drop=True)


def households(wh: Warehouse) -> pd.Series:
    """Census 2021 households per 2021 LSOA (sum over the five TS011 categories)."""
    c = _q(wh, "census_household_deprivation")
    return c.groupby("lsoa_code")["count"].sum()


def lsoa21_wards(wh: Warehouse) -> pd.DataFrame:
    """2021 LSOA → 2023 ward (ONS best fit), with the straddling flag."""
    lk = _q(wh, "lsoa_ward_lookup", "LSOA21")
    return lk[["lsoa_code", "ward_code", "ward_name", "straddles"]]


def straddle_note(wh: Warehouse) -> str:
    """How many neighbourhoods the ward figures assign whole to one ward although they straddle a
    boundary (from the lookup's own flag), so every ward map can say its figures are approximate."""
    lk = lsoa21_wards(wh)
    codes = sorted(lk.loc[lk["straddles"].astype(bool), "lsoa_code"])
    if not codes:
        return "Every neighbourhood (2021 LSOA) lies wholly inside one ward."
    labels = area_labels(wh, "lsoa21").reindex(codes)
    return (
        "Ward figures are built from neighbourhoods (2021 LSOAs) with the ONS best-fit lookup, "
        f"which assigns each whole to one ward: {len(codes)} of {current_place().name}'s {len(lk)} "
        f"neighbourhoods straddle a ward boundary ({'; '.join(labels)}), so the figures of the "
        "wards they touch are approximate."
    )


def _lsoa_counts(wh: Warehouse, lyr: MapLayer) -> pd.DataFrame:
    """numerator and denominator per 2021 LSOA for share layers (census, fuel poverty)."""
    if lyr.kind == "census":
        c = _q(wh, "census_household_deprivation")
        den = c.groupby("lsoa_code")["count"].sum()
        k = int(lyr.domain.lstrip(">="))
        chosen = c["dimensions"] >= k if lyr.domain.startswith(">=") else c["dimensions"] == k
        num = c[chosen].groupby("lsoa_code")["count"].sum()
    else:
        fp = _q(wh, "fuel_poverty_lsoa", FUEL_POVERTY_YEAR).set_index("lsoa_code")
        num, den = fp["fuel_poor_households"], fp["households"]
    return pd.DataFrame({"num": num, "den": den}).fillna({"num": 0.0})


POSITION_KINDS = {  # layer kind -> the iod_lsoa measure it maps
    "iod25-decile": "decile",
    "iod25-rank": "rank",
    "imd19-decile": "decile",
    "imd19-rank": "rank",
}


def lsoa_values(wh: Warehouse, layer_id: str) -> pd.DataFrame:
    """code, value for a layer at its LSOA geography (2021, or 2011 for IMD 2019 deciles)."""
    return _memo(wh, ("lsoa_values", layer_id), lambda: _lsoa_values(wh, layer_id))


def _lsoa_values(wh: Warehouse, layer_id: str) -> pd.DataFrame:
    lyr = layer(layer_id)
    if lyr.kind == "iod25":
        s = _q(wh, "iod_lsoa", "IoD2025", "score")
        s = s[s["domain"] == lyr.domain].set_index("lsoa_code")["value"]
        if lyr.domain in RATE_DOMAINS:
            s = s * 100
    elif lyr.kind in POSITION_KINDS:
        s = _q(wh, "iod_lsoa", lyr.edition, POSITION_KINDS[lyr.kind])
        s = s[s["domain"] == lyr.domain].set_index("lsoa_code")["value"]
    elif lyr.kind in ("census", "fuel"):
        c = _lsoa_counts(wh, lyr)
        s = 100 * c["num"] / c["den"]
    else:
        raise ValueError(f"layer {layer_id} has no LSOA values")
    return s.rename("value").rename_axis("code").reset_index()


def ward_values(wh: Warehouse, layer_id: str) -> pd.DataFrame:
    """code, value for a layer at its ward geography (how depends on the layer; see module doc)."""
    return _memo(wh, ("ward_values", layer_id), lambda: _ward_values(wh, layer_id))


def _ward_values(wh: Warehouse, layer_id: str) -> pd.DataFrame:
    lyr = layer(layer_id)
    if lyr.kind == "imd19-ward":
        w = _q(wh, "iod_ward_2019")
        s = w[(w["domain"] == lyr.domain) & (w["measure"] == lyr.measure)].set_index("ward_code")[
            "value"
        ]
        if lyr.measure != "score" or lyr.domain in RATE_DOMAINS:
            s = s * 100  # shares are published as fractions
        return s.rename("value").rename_axis("code").reset_index()
    if lyr.kind == "composite":
        c = composite(wh)
        return c[["ward_code", "composite"]].rename(
            columns={"ward_code": "code", "composite": "value"}
        )
    lk = lsoa21_wards(wh).set_index("lsoa_code")
    if lyr.kind in ("census", "fuel"):
        c = _lsoa_counts(wh, lyr).join(lk["ward_code"], how="inner")
        g = c.groupby("ward_code")[["num", "den"]].sum()
        s = 100 * g["num"] / g["den"]  # sum the counts, then divide
    elif lyr.kind == "iod25":
        v = lsoa_values(wh, layer_id).set_index("code")["value"]
        s = weighted_ward_mean(v, households(wh), lk["ward_code"])
    else:
        raise ValueError(f"layer {layer_id} has no ward values")
    return s.rename("value").rename_axis("code").reset_index()


def weighted_ward_mean(values: pd.Series, weights: pd.Series, ward_of: pd.Series) -> pd.Series:
    """Σ(w·v)/Σw per ward over LSOAs that have both a value and a weight."""
    df = pd.DataFrame({"v": values, "w": weights, "ward": ward_of}).dropna()
    df["wv"] = df["w"] * df["v"]
    g = df.groupby("ward")[["wv", "w"]].sum()
    return g["wv"] / g["w"]


def layer_frame(wh: Warehouse, layer_id: str, geo: str) -> pd.DataFrame:
    """Every area of the geography with value, rank (1 = worst), rank_best (1 = best, what
    readers see) and a reason when there is no value.

    Columns: code, name, value, rank, rank_best, n, note.
    """
    lyr = layer(layer_id)
    if geo not in lyr.geographies:
        raise ValueError(f"{lyr.title} is not available for {GEOGRAPHIES.get(geo, geo)}")
    areas = areas_of(wh, geo)
    vals = ward_values(wh, layer_id) if geo in WARD_GEOS else lsoa_values(wh, layer_id)
    df = areas.merge(vals, on="code", how="left")
    df["value"] = df["value"].astype("float64")
    df["rank"] = rank_worst_first(df["value"], lyr.polarity)
    df["rank_best"] = rank_best_first(df["value"], lyr.polarity)
    df["n"] = int(df["value"].notna().sum())
    why = f"no {edition_words(lyr.edition)} value published for this area"
    df["note"] = np.where(df["value"].isna(), why, "")
    return df


def edition_words(edition: str) -> str:
    """A layer's edition as readers write it: 'IoD2025' -> 'IoD 2025', 'Census2021' ->
    'Census 2021' (the file's code, with a space before its year)."""
    return re.sub(r"(?<=[A-Za-z])(?=\d)", " ", edition)


def rank_worst_first(values: pd.Series, polarity: str) -> pd.Series:
    """Rank 1 = the worst area by polarity (most deprived), ties share the lower rank."""
    asc = polarity == "higher-better"
    return values.rank(ascending=asc, method="min").astype("Int64")


def rank_best_first(values: pd.Series, polarity: str) -> pd.Series:
    """Rank 1 = the best area by polarity, as every other ranking in the app (ties share the
    better rank)."""
    return values.rank(ascending=polarity == "lower-better", method="min").astype("Int64")


def worst_first(df: pd.DataFrame) -> pd.DataFrame:
    """A layer_frame's areas in the order the ranked table lists them: the worst by the layer's
    polarity first (its rank 1 = worst), ties by name, areas with no value last."""
    return df.sort_values(["rank", "label" if "label" in df else "name"], na_position="last")


# -- colours ------------------------------------------------------------------------------------

# viridis, 5 classes (colour-blind safe, prints in grey); index 0 = darkest.
VIRIDIS5 = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
NO_DATA = "#bdbdbd"


def hex_rgb(h: str) -> list[int]:
    return [int(h[i : i + 2], 16) for i in (1, 3, 5)]


def classify(
    values: pd.Series, polarity: str, k: int = 5, method: str = "quantile"
) -> tuple[pd.Series, pd.DataFrame]:
    """Class (0 = worst … k-1 = best) per value and a legend of class bounds and colours.

    Quantile classes put about the same number of areas in each colour; equal-interval classes
    split the range evenly. The darkest colour always marks the worst end (by polarity).
    """
    v = values.astype("float64")
    finite = v.dropna()
    if finite.empty:
        return pd.Series(pd.NA, index=v.index, dtype="Int64"), pd.DataFrame(
            columns=["cls", "lower", "upper", "colour", "label", "count"]
        )
    if method == "equal":
        edges = np.linspace(finite.min(), finite.max(), k + 1)
    else:
        edges = np.quantile(finite, np.linspace(0, 1, k + 1))
    edges = np.unique(edges)
    if len(edges) < 2:
        edges = np.array([finite.min(), finite.max()])
    nb = len(edges) - 1
    idx = np.clip(
        np.searchsorted(edges, v.fillna(finite.min()), side="right") - 1, 0, max(nb - 1, 0)
    )
    # low values are worst when higher is better; otherwise high values are worst
    cls_of_bin = list(range(nb)) if polarity == "higher-better" else list(range(nb - 1, -1, -1))
    colours = _palette(nb)
    cls = pd.Series([cls_of_bin[i] for i in idx], index=v.index, dtype="Int64").where(v.notna())
    rows = []
    for b in range(nb):
        c = cls_of_bin[b]
        lo, hi = edges[b], edges[b + 1]
        rows.append(
            {
                "cls": c,
                "lower": float(lo),
                "upper": float(hi),
                "colour": colours[c],
                "label": f"{fmt(lo)} to {fmt(hi)}",
                "count": int((cls == c).sum()),
            }
        )
    legend = pd.DataFrame(rows).sort_values("cls").reset_index(drop=True)
    return cls, legend


def _palette(n: int) -> list[str]:
    """n viridis colours from dark to light (a subset of the 5 when fewer classes exist)."""
    if n >= 5:
        return list(VIRIDIS5)
    pick = np.round(np.linspace(0, 4, n)).astype(int) if n > 1 else [0]
    return [VIRIDIS5[i] for i in pick]


def fmt(x: float, decimals: int | None = None) -> str:
    """A number as readers see it: to `decimals` places when given (a layer's precision), else
    short (legends of unknown scale); 'no data' for a missing value; never a negative zero."""
    if x is None or pd.isna(x):
        return "no data"
    if decimals is None:
        ax = abs(x)
        decimals = 0 if ax >= 100 else 1 if ax >= 10 else 2
    return f"{round(float(x), decimals) + 0.0:,.{decimals}f}"  # + 0.0: never '-0.0'


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 13 -> '13th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def decile_words(decile: float) -> str:
    """A national IMD decile in plain English (1 = England's most deprived tenth)."""
    if pd.isna(decile):
        return "no data"
    d = int(round(decile))
    if d <= 5:
        return f"among the {10 * d}% most deprived areas in England"
    return f"among the {10 * (11 - d)}% least deprived areas in England"


def value_words(lyr: MapLayer, value: float) -> str:
    """A layer's value as a resident reads it: '43.2 score', 'among the 10% most deprived areas in
    England' (deciles), 'the 1,234th most deprived in England' (national ranks)."""
    if pd.isna(value):
        return "no data"
    if lyr.kind.endswith("-decile"):
        return decile_words(value)
    if lyr.kind.endswith("-rank"):
        return f"the {ordinal(int(value))} most deprived neighbourhood in England"
    gap = "" if lyr.unit.startswith("%") else " "  # '55.4% of residents', '43.2 score'
    return f"{fmt(value, lyr.decimals)}{gap}{lyr.unit}"


def rank_words(lyr: MapLayer, rank: object, n: int, geo: str) -> str:
    """'2nd most deprived of 20 wards' (rank 1 = worst by the layer's polarity)."""
    if pd.isna(rank):
        return ""
    areas = "wards" if geo in WARD_GEOS else "neighbourhoods"
    worst = "lowest-scoring" if lyr.kind == "composite" else "most deprived"
    place = "the" if int(rank) == 1 else ordinal(int(rank))
    return f"{place} {worst} of {n} {areas}"


def coloured(
    wh: Warehouse, layer_id: str, geo: str, method: str = "quantile"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The layer frame with cls, colour (hex), rgb, a plain label and display text; plus legend."""
    lyr = layer(layer_id)
    df = layer_frame(wh, layer_id, geo)
    cls, legend = classify(df["value"], lyr.polarity, method=method)
    colour_of = dict(zip(legend["cls"], legend["colour"], strict=True))
    df["cls"] = cls
    df["colour"] = [colour_of.get(c, NO_DATA) if pd.notna(c) else NO_DATA for c in cls]
    df["rgb"] = [hex_rgb(c) for c in df["colour"]]
    df["label"] = area_labels(wh, geo).reindex(df["code"]).fillna(df["name"]).to_numpy()
    df["display"] = [
        f"{lyr.title}: {value_words(lyr, v)}; {rank_words(lyr, r, n, geo)}"
        if pd.notna(v)
        else f"no data: {why}"
        for v, r, n, why in zip(df["value"], df["rank"], df["n"], df["note"], strict=True)
    ]
    return df, legend


# -- names a resident knows -----------------------------------------------------------------------

_LSOA_LOOKUP = {"lsoa21": "LSOA21", "lsoa11": "LSOA11"}


def neighbourhoods(wh: Warehouse, geo: str = "lsoa21") -> pd.DataFrame:
    """code, official name, ward_code, ward name and a plain label ('Neighbourhood 3 of Biscot')
    for each LSOA: LSOAs have no everyday names, so they are numbered within their ward."""
    lk = _q(wh, "lsoa_ward_lookup", _LSOA_LOOKUP[geo]).sort_values(["ward_name", "lsoa_code"])
    number = lk.groupby("ward_code").cumcount() + 1
    return pd.DataFrame(
        {
            "code": lk["lsoa_code"].to_numpy(),
            "official_name": lk["lsoa_name"].to_numpy(),
            "ward_code": lk["ward_code"].to_numpy(),
            "ward_name": lk["ward_name"].to_numpy(),
            "label": [
                f"Neighbourhood {k} of {w}" for k, w in zip(number, lk["ward_name"], strict=True)
            ],
        }
    )


def area_labels(wh: Warehouse, geo: str) -> pd.Series:
    """code -> the name a resident reads: the ward's name, or a neighbourhood's plain label."""
    if geo in WARD_GEOS:
        return areas_of(wh, geo).set_index("code")["name"]
    return neighbourhoods(wh, geo).set_index("code")["label"]


def search_index(wh: Warehouse) -> pd.DataFrame:
    """What 'find my ward' searches: every 2023 ward and 2021 neighbourhood by name, with the
    ward it leads to (columns: code, text, ward_code)."""
    wards = (
        areas_of(wh, "wd23").rename(columns={"name": "text"}).assign(ward_code=lambda d: d["code"])
    )
    hoods = neighbourhoods(wh).assign(text=lambda d: d["label"] + " (" + d["official_name"] + ")")
    rows = pd.concat([wards[["code", "text", "ward_code"]], hoods[["code", "text", "ward_code"]]])
    return rows.reset_index(drop=True)


# -- ward profile -------------------------------------------------------------------------------


def profile_values(wh: Warehouse, ward_code: str) -> pd.DataFrame:
    """One row per ward layer: title, value (in words), rank in words and the range across wards."""
    rows = []
    for lyr in layers_for("wd23"):
        df = layer_frame(wh, lyr.id, "wd23").set_index("code")
        r = df.loc[ward_code]
        rows.append(
            {
                "layer": lyr.id,
                "title": lyr.title,
                "value": r["value"],
                "shown": value_words(lyr, r["value"]),
                "rank": r["rank"],
                "rank_best": r["rank_best"],
                "n": r["n"],
                "position": rank_words(lyr, r["rank"], r["n"], "wd23"),
                "range": f"{fmt(df['value'].min(), lyr.decimals)} to "
                f"{fmt(df['value'].max(), lyr.decimals)}",
            }
        )
    return pd.DataFrame(rows)


def profile_neighbourhoods(wh: Warehouse, ward_code: str) -> pd.DataFrame:
    """The ward's 2021 LSOAs: plain label, official name, IoD 2025 and IMD 2019 deciles,
    households and whether it straddles the ward boundary."""
    hoods = neighbourhoods(wh).set_index("code")
    mine = lsoa21_wards(wh).query("ward_code == @ward_code").set_index("lsoa_code")
    codes = mine.index
    dec25 = _q(wh, "iod_lsoa", "IoD2025", "decile").query("domain == 'imd'")
    return pd.DataFrame(
        {
            "lsoa_code": codes,
            "label": hoods["label"].reindex(codes).to_numpy(),
            "official_name": hoods["official_name"].reindex(codes).to_numpy(),
            "imd2025_decile": dec25.set_index("lsoa_code")["value"].reindex(codes).to_numpy(),
            "imd2019_decile": lsoa21_imd2019_deciles(wh).reindex(codes).to_numpy(),
            "households": households(wh).reindex(codes).to_numpy(),
            "straddles": mine["straddles"].astype(bool).to_numpy(),
        }
    )


def decile_change(lsoas: pd.DataFrame) -> dict:
    """How many of the ward's neighbourhoods are in England's most deprived 20%, 2019 and 2025."""
    return {
        "lsoas": len(lsoas),
        "most_deprived_20_2019": int((lsoas["imd2019_decile"] <= 2).sum()),
        "most_deprived_20_2025": int((lsoas["imd2025_decile"] <= 2).sum()),
        "median_decile_2019": float(lsoas["imd2019_decile"].median()),
        "median_decile_2025": float(lsoas["imd2025_decile"].median()),
        "compared": int(lsoas["imd2019_decile"].notna().sum()),
    }


def ward_profile(wh: Warehouse, ward_code: str) -> dict:
    """Everything the profile panel shows for one 2023 ward.

    Keys: code, name, values (layer rows with value, rank, n, words), lsoas (its neighbourhoods with
    IoD 2025 and IMD 2019 deciles), decile_counts, change (2019 → 2025 at neighbourhood level),
    straddling (labels of neighbourhoods that cross the ward boundary).
    """
    wards = areas_of(wh, "wd23").set_index("code")["name"]
    if ward_code not in wards.index:
        raise KeyError(ward_code)
    lsoas = profile_neighbourhoods(wh, ward_code)
    return {
        "code": ward_code,
        "name": wards[ward_code],
        "values": profile_values(wh, ward_code),
        "lsoas": lsoas,
        "decile_counts": lsoas["imd2025_decile"].value_counts().reindex(range(1, 11), fill_value=0),
        "change": decile_change(lsoas),
        "straddling": lsoas.loc[lsoas["straddles"], "label"].tolist(),
    }


def change_words(name: str, change: dict) -> str:
    """The profile's neighbourhood summary in plain English."""
    return (
        f"{name} has {change['lsoas']} neighbourhoods (2021 LSOAs). In 2025, "
        f"**{change['most_deprived_20_2025']}** of them are among the 20% most deprived areas in "
        f"England ({change['most_deprived_20_2019']} in 2019, the same neighbourhoods). The typical "
        f"neighbourhood is {decile_words(change['median_decile_2025'])} "
        f"(2019: {decile_words(change['median_decile_2019'])})."
    )


CHANGE_NOTE = (
    "IMD 2019 was published for the pre-2023 wards, whose boundaries differ, so the ward profile "
    "compares like with like at neighbourhood level: each 2021 neighbourhood's IoD 2025 national "
    "decile against the IMD 2019 decile of the same neighbourhood (one split in 2021 takes the "
    "decile of the 2011 neighbourhood it came from). Deciles are relative positions in England, "
    "not absolute levels."
)


def lsoa21_imd2019_deciles(wh: Warehouse) -> pd.Series:
    """IMD 2019 national decile carried to 2021 LSOAs via the ONS 2011→2021 lookup."""
    d19 = _q(wh, "iod_lsoa", "IoD2019", "decile")
    d19 = d19[d19["domain"] == "imd"].set_index("lsoa_code")["value"]
    lk = _q(wh, "lsoa11_lsoa21")
    lk = lk.assign(decile=d19.reindex(lk["lsoa11_code"]).to_numpy())
    # a merged LSOA (M) would have two parents: take the more deprived; Luton has none
    return lk.groupby("lsoa21_code")["decile"].min()


# -- composite ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompositeIndicator:
    id: str
    title: str
    dimension: str
    layer_id: str  # the map layer that supplies its ward values
    why: str


DIMENSIONS: dict[str, str] = {
    "basic-needs": "Basic human needs",
    "foundations": "Foundations of wellbeing",
    "opportunity": "Opportunity",
}
COMPOSITE: tuple[CompositeIndicator, ...] = (
    CompositeIndicator("income", "Income deprivation (IoD 2025)", "basic-needs", "iod25-income", "enough money for essentials"),
    CompositeIndicator("fuel", f"Fuel poverty {FUEL_POVERTY_YEAR}", "basic-needs", "fuel-poverty", "a warm home"),
    CompositeIndicator("shelter", "Wider barriers to housing (IoD 2025)", "basic-needs", "iod25-wider-barriers", "overcrowding, homelessness, affordability"),
    CompositeIndicator("safety", "Crime (IoD 2025)", "basic-needs", "iod25-crime", "personal safety"),
    CompositeIndicator("health", "Health deprivation and disability (IoD 2025)", "foundations", "iod25-health", "health and wellness"),
    CompositeIndicator("indoors", "Indoor living environment (IoD 2025)", "foundations", "iod25-indoors", "housing in good condition with heating"),
    CompositeIndicator("outdoors", "Outdoor living environment (IoD 2025)", "foundations", "iod25-outdoors", "clean air, safe roads"),
    CompositeIndicator("access", "Geographical barriers to services (IoD 2025)", "foundations", "iod25-geographical-barriers", "reach of GP, school, shop, post office"),
    CompositeIndicator("employment", "Employment deprivation (IoD 2025)", "opportunity", "iod25-employment", "work"),
    CompositeIndicator("young-education", "Children and young people's education (IoD 2025)", "opportunity", "iod25-children-young-people", "attainment and staying on"),
    CompositeIndicator("adult-skills", "Adult skills (IoD 2025)", "opportunity", "iod25-adult-skills", "qualifications and English"),
    CompositeIndicator("multiple", "Households deprived in 2+ census dimensions (2021)", "opportunity", "census-deprived-2plus", "multiple disadvantage"),
)  # fmt: skip
EQUAL_WEIGHTS: dict[str, float] = {d: 1 / 3 for d in DIMENSIONS}
ALT_WEIGHTS: dict[str, float] = {"basic-needs": 0.5, "foundations": 0.25, "opportunity": 0.25}


def composite_inputs(wh: Warehouse) -> pd.DataFrame:
    """Ward × indicator matrix of raw ward values (every input is 'higher = more deprived')."""
    cols = {}
    for ind in COMPOSITE:
        assert layer(ind.layer_id).polarity == "lower-better", ind.id
        cols[ind.id] = ward_values(wh, ind.layer_id).set_index("code")["value"]
    wards = areas_of(wh, "wd23").set_index("code")
    return pd.DataFrame(cols).reindex(wards.index).rename_axis("ward_code")


def normalise(x: pd.DataFrame, method: str = "z") -> pd.DataFrame:
    """Standardise each column across wards and flip sign, so higher = better.

    z: (mean - x) / sd (population sd); minmax: (max - x) / (max - min), 0 = worst ward, 1 = best.
    """
    if method == "minmax":
        return (x.max() - x) / (x.max() - x.min())
    return (x.mean() - x) / x.std(ddof=0)


def composite(
    wh: Warehouse, weights: dict[str, float] | None = None, method: str = "z"
) -> pd.DataFrame:
    """One row per 2023 ward: dimension scores, the composite and its rank (1 = best)."""
    return composite_from_inputs(composite_inputs(wh), areas_of(wh, "wd23"), weights, method)


def composite_from_inputs(
    raw: pd.DataFrame,
    areas: pd.DataFrame,
    weights: dict[str, float] | None = None,
    method: str = "z",
) -> pd.DataFrame:
    """The composite arithmetic on a ward × indicator matrix (separate so tests can feed it)."""
    weights = weights or EQUAL_WEIGHTS
    norm = normalise(raw, method)
    out = pd.DataFrame(index=raw.index)
    for dim in DIMENSIONS:
        ids = [i.id for i in COMPOSITE if i.dimension == dim]
        out[dim] = norm[ids].mean(axis=1)  # equal weights within a dimension
    total = sum(weights.values())
    out["composite"] = sum(out[d] * w for d, w in weights.items()) / total
    out["rank"] = out["composite"].rank(ascending=False, method="min").astype("Int64")
    names = areas.set_index("code")["name"]
    out.insert(0, "ward_name", names.reindex(out.index).to_numpy())
    return out.reset_index()


def sensitivity(wh: Warehouse) -> pd.DataFrame:
    """Ward ranks under equal weights, 50/25/25 weights and min-max scaling, with rank changes."""
    raw = composite_inputs(wh)
    areas = areas_of(wh, "wd23")
    base = composite_from_inputs(raw, areas).set_index("ward_code")
    alt = composite_from_inputs(raw, areas, ALT_WEIGHTS).set_index("ward_code")
    mm = composite_from_inputs(raw, areas, method="minmax").set_index("ward_code")
    out = pd.DataFrame(
        {
            "ward_name": base["ward_name"],
            "composite": base["composite"],
            "rank_equal": base["rank"],
            "rank_50_25_25": alt["rank"],
            "change_50_25_25": (base["rank"] - alt["rank"]).astype("Int64"),
            "rank_minmax": mm["rank"],
            "change_minmax": (base["rank"] - mm["rank"]).astype("Int64"),
        }
    )
    return out.sort_values("rank_equal").reset_index()


def composite_method() -> str:
    """Plain-English method for the page (generated from the declarations above)."""
    name = current_place().name
    lines = [
        f"**Thriving wards composite (experimental).** In the spirit of the {name} 2040 Thriving "
        "People Index, which the 2023-2028 strategy describes as measuring social progress in three "
        "dimensions (Basic Human Needs, Foundations of Wellbeing and Opportunity). The council's own "
        "index is not published; this is our transparent stand-in built only from open data we hold.",
        "",
    ]
    for dim, title in DIMENSIONS.items():
        inds = [f"{i.title} ({i.why})" for i in COMPOSITE if i.dimension == dim]
        lines.append(f"- **{title}**: " + "; ".join(inds) + ".")
    lines += [
        "",
        "**How it is calculated.** 1) Each indicator is put on 2023 wards (IoD 2025 scores: "
        "household-weighted average of the ward's neighbourhoods; shares: households summed, then "
        "divided). "
        f"2) Each is put on a common scale across {name}'s wards: how far the ward is from the "
        "average ward, counted in the usual spread between wards (statisticians call this a "
        "z-score), with the sign turned round so that higher is better. "
        "3) Indicators are averaged with equal weights within each dimension, and the three "
        f"dimensions with equal weights (one third each). 0 is the average {name} ward.",
        "",
        "**Limits.** It ranks wards against each other, not against England; several inputs share "
        "underlying data (income and employment feed the census dimensions too); neighbourhoods that straddle "
        "ward boundaries are assigned whole to their best-fit ward.",
    ]
    return "\n".join(lines)


# -- inequality ---------------------------------------------------------------------------------


def ward_gap(wh: Warehouse, layer_id: str) -> dict:
    """Worst and best ward by polarity, the absolute gap and the ratio (worst / best)."""
    lyr = layer(layer_id)
    geo = next((g for g in lyr.geographies if g in WARD_GEOS), None)
    if geo is None:
        return {}
    df = layer_frame(wh, layer_id, geo).dropna(subset=["value"]).sort_values("rank")
    worst, best = df.iloc[0], df.iloc[-1]
    both_positive = worst["value"] > 0 and best["value"] > 0
    ratio = worst["value"] / best["value"] if both_positive else math.nan
    return {
        "layer": layer_id,
        "geo": geo,
        "worst_code": worst["code"],
        "worst_name": worst["name"],
        "worst_value": float(worst["value"]),
        "best_code": best["code"],
        "best_name": best["name"],
        "best_value": float(best["value"]),
        "gap": float(abs(worst["value"] - best["value"])),
        "ratio": float(ratio),
    }


def sii(wh: Warehouse, layer_id: str) -> dict:
    """Slope index of inequality across national IMD deciles of Luton's LSOAs.

    LSOAs are grouped by IMD decile (2025 for 2021 LSOAs, 2019 for 2011 LSOAs); each decile's value
    is the weighted mean (households for 2021 LSOAs; mid-2015 population for 2011 LSOAs; shares are
    summed counts over summed denominators); SII is the weighted regression slope on the ridit:
    the modelled gap from the most to the least deprived end (positive = higher in less deprived).
    """
    lyr = layer(layer_id)
    lsoa_geo = next((g for g in lyr.geographies if g.startswith("lsoa")), None)
    if lsoa_geo is None or lyr.domain == "imd":
        return {
            "layer": layer_id,
            "sii": math.nan,
            "note": "not applicable: the layer is the deprivation ordering itself or has no LSOA values",
        }
    if lsoa_geo == "lsoa21":
        dec = _q(wh, "iod_lsoa", "IoD2025", "decile")
        weights = households(wh)
        base = "IoD 2025 IMD decile, weighted by households"
    else:
        dec = _q(wh, "iod_lsoa", "IoD2019", "decile")
        weights = _q(wh, "lsoa_population").set_index("lsoa_code")["population"]
        base = "IMD 2019 decile, weighted by mid-2015 population"
    dec = dec[dec["domain"] == "imd"].set_index("lsoa_code")["value"]
    if lyr.kind in ("census", "fuel"):
        c = _lsoa_counts(wh, lyr).join(dec.rename("decile"), how="inner")
        g = c.groupby("decile")[["num", "den"]].sum()
        by_dec = pd.DataFrame({"value": 100 * g["num"] / g["den"], "w": g["den"]})
    else:
        v = lsoa_values(wh, layer_id).set_index("code")["value"]
        df = pd.DataFrame({"v": v, "w": weights, "decile": dec}).dropna()
        df["wv"] = df["v"] * df["w"]
        g = df.groupby("decile")[["wv", "w"]].sum()
        by_dec = pd.DataFrame({"value": g["wv"] / g["w"], "w": g["w"]})
    by_dec = by_dec.sort_index()
    slope = slope_index_of_inequality(by_dec["value"], by_dec.index.to_numpy(), by_dec["w"])
    return {"layer": layer_id, "sii": float(slope), "deciles": by_dec.reset_index(), "note": base}


def inequality_table(wh: Warehouse, layer_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Per layer: worst and best ward, gap (positive: how much worse the worst ward is), ratio,
    the SII across LSOA deciles and deprived_gap, the SII signed as every gap (positive = worse
    at the more deprived end)."""
    ids = list(
        layer_ids
        or [
            lyr.id
            for lyr in layers()
            if lyr.kind in ("iod25", "imd19-ward", "census", "fuel") and not lyr.detail
        ]
    )
    rows = []
    for lid in ids:
        lyr = layer(lid)
        gap = ward_gap(wh, lid)
        s = sii(wh, lid) if lyr.kind in ("iod25", "census", "fuel") else {"sii": math.nan}
        rows.append(
            {
                "layer": lid,
                "title": lyr.title,
                "unit": lyr.unit,
                "worst_ward": gap.get("worst_name", ""),
                "worst_value": gap.get("worst_value", math.nan),
                "best_ward": gap.get("best_name", ""),
                "best_value": gap.get("best_value", math.nan),
                "gap": gap.get("gap", math.nan),
                "ratio": gap.get("ratio", math.nan),
                "sii": s.get("sii", math.nan),
                "deprived_gap": deprived_end_gap(s.get("sii", math.nan), lyr.polarity),
            }
        )
    return pd.DataFrame(rows)


def deprived_end_gap(sii_value: float, polarity: str) -> float:
    """The SII turned to the app's one gap convention (lutonwb.gaps): the more deprived end
    minus the less deprived end, positive = worse at the more deprived end, so it has the sign
    of the worst-to-best ward gap when the worst wards are the most deprived."""
    return float(signed_gap(-sii_value, 0.0, polarity))


def summary_line(wh: Warehouse) -> str:
    """One sentence for the overview page, computed from the data."""
    gap = ward_gap(wh, "iod25-imd")
    dec = _q(wh, "iod_lsoa", "IoD2025", "decile")
    dec = dec[dec["domain"] == "imd"]["value"]
    n20 = int((dec <= 2).sum())
    name = current_place().name
    return (
        f"Inside {name}, the IoD 2025 deprivation score ranges from {fmt(gap['best_value'])} in "
        f"{gap['best_name']} to {fmt(gap['worst_value'])} in {gap['worst_name']} (2023 wards), and "
        f"{n20} of {name}'s {len(dec)} neighbourhoods (LSOAs) are among England's 20% most deprived."
    )
