"""catalogue.yaml and the place's programme → typed, frozen objects, validated on load.

catalogue.yaml holds the measures and the Marmot principles, shared by every place. The place
folder's programme.yaml (optional) holds what is one town's: its target outcomes and boards, each
listing the measures it covers, and its overarching (headline) measures; the loader fills
`Measure.outcomes`, `Measure.boards` and `Measure.headline` from it.

Every problem raises CatalogueError naming the file, the YAML line and the key path, e.g.
``catalogue.yaml, line 412, key measures[good-level-of-development].polarity: 'up' is not one of
higher-better, lower-better, none`` so an analyst knows exactly what to edit.

Modules: model (the objects), yamlfile (one YAML file read with line numbers), measures
(catalogue.yaml), programme (a place's programme.yaml).
"""

from __future__ import annotations

from pathlib import Path

from lutonwb import config
from lutonwb.catalogue.measures import (
    COMPARATORS,
    GEOGRAPHIES,
    LIFE_COURSE,
    POLARITIES,
    SEXES,
    TRENDS,
    VALUE_TYPES,
    read_catalogue,
)
from lutonwb.catalogue.model import (
    DECIMALS_BY_TYPE,
    MAX_DECIMALS,
    Binding,
    Board,
    Catalogue,
    CatalogueError,
    LifeCourse,
    Measure,
    Outcome,
    Principle,
    UnboundSeries,
    places,
)
from lutonwb.catalogue.programme import PROGRAMME_FILE, with_programme
from lutonwb.catalogue.yamlfile import SLUG
from lutonwb.refresh.provenance import PROVENANCE, api_folder

__all__ = [
    "COMPARATORS",
    "DECIMALS_BY_TYPE",
    "GEOGRAPHIES",
    "LIFE_COURSE",
    "MAX_DECIMALS",
    "POLARITIES",
    "PROGRAMME_FILE",
    "SEXES",
    "SLUG",
    "TRENDS",
    "VALUE_TYPES",
    "Binding",
    "Board",
    "Catalogue",
    "CatalogueError",
    "LifeCourse",
    "Measure",
    "Outcome",
    "Principle",
    "UnboundSeries",
    "catalogue_inputs",
    "load_catalogue",
    "places",
]


def load_catalogue(path: Path | None = None, place_dir: Path | None = None) -> Catalogue:
    """Read and validate the catalogue (default config.catalogue_path()) with a place's programme.

    The configured catalogue comes with the configured place's programme (config.place_dir());
    another catalogue file loads on its own unless `place_dir` names a place. A place without
    programme.yaml has no boards, target outcomes or overarching measures.
    """
    configured = config.catalogue_path()
    path = Path(path) if path is not None else configured
    if place_dir is None and path.resolve() == configured.resolve():
        place_dir = config.place_dir()
    cat = read_catalogue(path)
    programme = Path(place_dir) / PROGRAMME_FILE if place_dir is not None else None
    return with_programme(programme, cat) if programme and programme.exists() else cat


def catalogue_inputs() -> tuple[Path, ...]:
    """The files the configured catalogue is read from: catalogue.yaml, the place's programme and
    the record of Fingertips downloads (an edit to any of them changes what pages show)."""
    return (
        config.catalogue_path(),
        config.place_dir() / PROGRAMME_FILE,
        api_folder(config.raw_dir()) / PROVENANCE,
    )
