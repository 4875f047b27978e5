"""The rating engine: measures x areas x comparator groups -> values, ratings, ranks and trends.

Everything is computed for every current upper-tier authority (UTLA) at once and a home area's
scorecard is a slice of it; nothing here assumes Luton. One module per job behind `Engine`:

- bindings: which series feeds a measure (the most recent of its bindings)
- groups / pairs: comparator groups, their members, and members' values by integer lookups
- grid: each home's value with England and the region, notes and trend
- rate: where a measure is rated against the group (average, rank, quartile, verdicts, RAG)
- scorecard / summary: one home's rows, and verdict counts (computed once)
- charts: a measure's series, group values, every area, breakdown
- snapshot: saved ratings beside a build; methods: the rules in plain English (methods.md)
"""

from lutonwb.comparators import Group, UnknownGroup
from lutonwb.engine.facade import Engine
from lutonwb.engine.snapshot import SNAPSHOT_GROUPS, snapshot_folder, snapshot_key
from lutonwb.engine.summary import COUNT_WORDS, verdict_counts
from lutonwb.engine.vocab import (
    CONTRACT_COLUMNS,
    EXTRA_COLUMNS,
    TESTED,
    TREND_WORDS,
    VS_WORDS,
    EngineError,
    UnknownArea,
    UnknownMeasure,
)

__all__ = [
    "CONTRACT_COLUMNS",
    "COUNT_WORDS",
    "EXTRA_COLUMNS",
    "SNAPSHOT_GROUPS",
    "TESTED",
    "TREND_WORDS",
    "VS_WORDS",
    "Engine",
    "EngineError",
    "Group",
    "UnknownArea",
    "UnknownGroup",
    "UnknownMeasure",
    "snapshot_folder",
    "snapshot_key",
    "verdict_counts",
]
