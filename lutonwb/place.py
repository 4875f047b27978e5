"""A place: what is one town's alone (home area, region, title, ward files, ...), read from the
folder that LUTONWB_PLACE names. Nothing in Python knows which town it serves."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from lutonwb import config
from lutonwb.yamlio import LOADER

PLACE_FILE = "place.yaml"


class PlaceError(ValueError):
    """A place folder or its place.yaml is missing or malformed (the message names file and key)."""


@dataclass(frozen=True)
class LocalFile:
    """One inside-the-place file under the raw folder; `expected`: how many areas it must hold."""

    path: str
    expected: int | None = None


@dataclass(frozen=True)
class LocalArea:
    """Inside-the-place data: the authority whose wards and LSOAs the ward files hold, and those
    files by role (e.g. 'wd23' for the current ward boundaries). `section` is the raw YAML
    section, so a build can fingerprint it."""

    authority: str
    files: dict[str, LocalFile] = field(default_factory=dict, hash=False)
    source: str = ""
    section: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def file(self, role: str) -> LocalFile:
        """The file playing `role`; a missing role is an error naming place.yaml and the key."""
        if role not in self.files:
            raise PlaceError(f"{self.source}: key 'local_area.files.{role}' is missing")
        return self.files[role]


@dataclass(frozen=True)
class Mission:
    """The place's mission as the overview quotes it; `seed` is the cited document's file (the
    reader sees its title from `Place.seeds`), empty when the mission is not a quotation."""

    label: str
    text: str
    seed: str = ""
    section: str = ""


@dataclass(frozen=True)
class Place:
    """One place's own settings; `local_area` is None when the place has no ward files."""

    folder: Path
    name: str
    home_area: str
    region: str
    local_area: LocalArea | None = None
    title: str = ""
    mission: Mission | None = None
    seeds: dict[str, str] = field(default_factory=dict)  # seed file -> document title
    headline: tuple[str, ...] = ()  # measure ids shown as the overview's headline cards
    region_name: str = ""  # the region's name as the seed documents' tables print it
    programme: str = "the Marmot principles"  # what the measures follow, as the overview says it
    plan_titles: dict[str, str] = field(default_factory=dict)  # plan id -> title; {} = no plan
    plan_phases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # plan id -> phases
    plan_document: str = ""  # title of the seed document the plans are transcribed from
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    def citation(self) -> str:
        """'Quoted from <document title>, <section>.', or '' when the mission cites nothing."""
        m = self.mission
        if m is None or not m.seed:
            return ""
        return f"Quoted from {self.seeds[m.seed]}, {m.section}."


def _require(doc: dict, key: str, path: Path) -> str:
    value = doc.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PlaceError(f"{path}: key '{key}' must be a non-empty text")
    return value.strip()


def _local_area(doc: dict, path: Path) -> LocalArea | None:
    section = doc.get("local_area")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise PlaceError(f"{path}: key 'local_area' must be a mapping")
    files = section.get("files") or {}
    if not isinstance(files, dict):
        raise PlaceError(f"{path}: key 'local_area.files' must be a mapping of role: file")
    return LocalArea(
        authority=_require(section, "authority", path),
        files={
            str(role): _local_file(entry, f"local_area.files.{role}", path)
            for role, entry in files.items()
        },
        source=str(path),
        section=section,
    )


def _local_file(entry: object, key: str, path: Path) -> LocalFile:
    """`role: path` or `role: {path: ..., expected: N}`."""
    if isinstance(entry, str):
        entry = {"path": entry}
    if not isinstance(entry, dict):
        raise PlaceError(f"{path}: key '{key}' must be a file path or a mapping with 'path'")
    expected = entry.get("expected")
    if expected is not None and (not isinstance(expected, int) or expected < 1):
        raise PlaceError(f"{path}: key '{key}.expected' must be a whole number above 0")
    return LocalFile(path=_require(entry, "path", path), expected=expected)


def _optional(doc: dict, key: str, path: Path) -> str:
    return _require(doc, key, path) if doc.get(key) is not None else ""


def _texts(doc: dict, key: str, path: Path) -> tuple[str, ...]:
    value = doc.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PlaceError(f"{path}: key '{key}' must be a list of texts")
    return tuple(value)


def _mapping(doc: dict, key: str, path: Path) -> dict:
    value = doc.get(key) or {}
    if not isinstance(value, dict):
        raise PlaceError(f"{path}: key '{key}' must be a mapping")
    return value


def _seeds(doc: dict, path: Path) -> dict[str, str]:
    seeds = _mapping(doc, "seeds", path)
    return {str(k): _require(seeds, str(k), path) for k in seeds}


def _seed_title(doc: dict, key: str, path: Path, seeds: dict[str, str]) -> str:
    """The title of the seed file that `key` names ('' when the key is absent)."""
    seed = _optional(doc, key, path)
    if seed and seed not in seeds:
        raise PlaceError(f"{path}: key '{key}' {seed!r} is not one of the place's seeds")
    return seeds.get(seed, "")


def _mission(doc: dict, path: Path, seeds: dict[str, str]) -> Mission | None:
    section = _mapping(doc, "mission", path)
    if not section:
        return None
    seed = str(section.get("seed") or "")
    if seed and seed not in seeds:
        raise PlaceError(f"{path}: key 'mission.seed' {seed!r} is not one of the place's seeds")
    return Mission(
        label=_require(section, "label", path),
        text=_require(section, "text", path),
        seed=seed,
        section=_require(section, "section", path) if seed else "",
    )


def _plans(doc: dict, path: Path) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """plan id -> title, and plan id -> phases, from the optional `plans` section."""
    titles: dict[str, str] = {}
    phases: dict[str, tuple[str, ...]] = {}
    for pid, spec in _mapping(doc, "plans", path).items():
        if not isinstance(spec, dict):
            raise PlaceError(f"{path}: key 'plans.{pid}' must be a mapping")
        titles[str(pid)] = _require(spec, "title", path)
        phases[str(pid)] = _texts(spec, "phases", path)
    return titles, phases


def load_place(folder: Path | None = None) -> Place:
    """The place in `folder` (default: the configured place), validated."""
    folder = Path(folder) if folder is not None else config.place_dir()
    path = folder / PLACE_FILE
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)  # noqa: S506
    except FileNotFoundError as exc:
        raise PlaceError(f"{path}: no place file (LUTONWB_PLACE names the place folder)") from exc
    except yaml.YAMLError as exc:
        raise PlaceError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise PlaceError(f"{path}: expected a mapping of keys")
    seeds = _seeds(doc, path)
    plan_titles, plan_phases = _plans(doc, path)
    return Place(
        folder=folder,
        name=_require(doc, "name", path),
        home_area=_require(doc, "home_area", path),
        region=_require(doc, "region", path),
        local_area=_local_area(doc, path),
        title=_optional(doc, "title", path) or f"{_require(doc, 'name', path)} Marmot monitor",
        region_name=_optional(doc, "region_name", path),
        programme=_optional(doc, "programme", path) or "the Marmot principles",
        mission=_mission(doc, path, seeds),
        seeds=seeds,
        headline=_texts(doc, "headline", path),
        plan_titles=plan_titles,
        plan_phases=plan_phases,
        plan_document=_seed_title(doc, "plan_seed", path, seeds),
        extra=doc,
    )


@lru_cache(maxsize=4)
def _cached(folder: str) -> Place:
    return load_place(Path(folder))


def current_place() -> Place:
    """The configured place, parsed once per folder."""
    return _cached(str(config.place_dir()))
