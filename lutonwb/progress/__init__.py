"""Progress toward the place's 2040 targets: gaps to England over time, targets, on/off track,
before and after the Marmot Town designation, and roll-ups (issue 17). A plain library: every
figure comes from the warehouse through the engine's public methods."""

from lutonwb.progress.methods import MethodSection, methods_sections, methods_text
from lutonwb.progress.rollup import rollup, status_counts
from lutonwb.progress.table import PROGRESS_COLUMNS, measure_progress, progress_table

__all__ = [
    "MethodSection",
    "PROGRESS_COLUMNS",
    "measure_progress",
    "methods_sections",
    "methods_text",
    "progress_table",
    "rollup",
    "status_counts",
]
