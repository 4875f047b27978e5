"""Progress toward the place's 2040 targets: gaps to England over time, targets, on/off track,
before and after the Marmot Town designation, and roll-ups (issue 17). A plain library: every
figure comes from the warehouse through the engine's public methods."""

from lutonwb.progress.rollup import rollup
from lutonwb.progress.table import PROGRESS_COLUMNS, progress_table

__all__ = ["PROGRESS_COLUMNS", "progress_table", "rollup"]
