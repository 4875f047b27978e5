"""The engine's words and columns: verdicts, trends, the methods that count as tested, errors."""

from __future__ import annotations

VS_WORDS = ("Better", "Similar", "Worse", "Higher", "Lower", "Not compared")
TREND_WORDS = (
    "Getting better",
    "No significant change",
    "Getting worse",
    "Increasing",
    "Decreasing",
    "Not enough data",
    "Not applicable",  # catalogue trend: none (cumulative series, nominal money)
)
# comparison methods that earn a colour and count as better / similar / worse
TESTED = ("ci", "ci (computed)", "source")
STALE_YEARS = 3

CONTRACT_COLUMNS = [
    "measure_id", "title", "principles", "outcomes", "boards", "period", "value", "lower_ci",
    "upper_ci", "england", "region", "group_average", "rank", "group_size", "quartile",
    "vs_england", "vs_region", "vs_group", "trend", "source",
]  # fmt: skip
EXTRA_COLUMNS = [
    "unit", "polarity", "headline", "value_type", "series", "home_area", "home_name", "comparator",
    "region_code", "group_average_method", "vs_england_method", "vs_region_method",
    "vs_group_method", "rag_england", "rag_region", "rag_group", "trend_method", "n_points",
    "worse_and_worsening", "reported_only", "seed_rag_england", "seed_rag_region",
    "seed_rag_neighbours", "seed_trend", "seed_period", "seed_table", "seed_document",
    "source_note", "alternate_series", "trend_note", "stale", "stale_note", "rank_note",
    "region_note", "england_note",
]  # fmt: skip
VALUE_COLS = [
    "value", "lower_ci", "upper_ci", "count", "denominator", "significance", "ci_computed",
]  # fmt: skip


class EngineError(ValueError):
    """A request the engine cannot answer (unknown area, measure, board, …)."""


class UnknownArea(EngineError):
    """An area code that is not a current upper-tier authority."""


class UnknownMeasure(EngineError):
    """A measure id or alias the catalogue does not know."""


def source_word(text: str) -> str:
    """Normalise a source's significance text ('Better 95%', 'similar') to a VS word or ''."""
    t = str(text or "").strip().lower()
    for word in ("Better", "Similar", "Worse", "Higher", "Lower"):
        if t.startswith(word.lower()):
            return word
    return ""
