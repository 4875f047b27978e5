"""Progress toward the place's 2040 targets: gaps to England over time, targets, on/off track,
before and after the Marmot Town designation, and roll-ups (issue 17). A plain library: every
figure comes from the warehouse through the engine's public methods."""

from pathlib import Path

from lutonwb.catalogue import Catalogue
from lutonwb.progress.rollup import rollup
from lutonwb.progress.table import PROGRESS_COLUMNS, measure_progress, progress_table
from lutonwb.progress.targets import PlaceTargets, load_targets

__all__ = [
    "PROGRESS_COLUMNS",
    "measure_progress",
    "methods_text",
    "progress_table",
    "rollup",
]


def methods_text(cat: Catalogue, targets: PlaceTargets | None = None) -> str:
    """The plain-English methods prose (lutonwb/progress/methods.md) with the place's years and
    stated targets (by measure title) filled in from its targets.yaml."""
    t = targets or load_targets()
    stated = "\n".join(
        f"- {cat.measure(x.measure_id).title}: {x.value:g} by {x.year}. {x.source}"
        for x in t.explicit.values()
    )
    text = (Path(__file__).with_name("methods.md")).read_text(encoding="utf-8")
    return text.format(
        default_target_year=t.default_target_year,
        designation_year=t.designation_year,
        stated_targets=stated or "- none: every target is the default",
    )
