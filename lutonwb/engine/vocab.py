"""The engine's words and columns: verdicts and their colours (the one place the ui reads them
from), trends, the methods that count as tested, errors."""

from __future__ import annotations

from lutonwb.quintiles import LABELS_NO_POLARITY, LABELS_POLARITY, QUINTILE_COLOURS

VS_WORDS = ("Better", "Similar", "Worse", "Higher", "Lower", "Not compared")
# The three words for how far a comparison went, the same on every page, legend and CSV:
# Similar (compared: no significant difference), Not tested (no interval or judgement: Higher /
# Lower or a fifth only), Not compared (no value or no benchmark figure). VERDICT_MEANINGS
# defines each; the words below are retired from readers' pages.
NOT_TESTED = "Not tested"
NOT_COMPARED = "Not compared"
RETIRED_VERDICT_WORDS = ("No data", "Untested", "No verdict")
# Position within a comparator group by the seeds' rank rule (quintiles.seed_neighbour_rag):
# G, A, R -> best fifth, middle three fifths, worst fifth (no polarity: highest .. lowest).
GROUP_FIFTHS = {"G": "Best fifth", "A": "Middle three fifths", "R": "Worst fifth"}
GROUP_FIFTHS_NO_POLARITY = {"G": "Highest fifth", "A": "Middle three fifths", "R": "Lowest fifth"}
# Every quintile word says 'fifth(s)': a position, never a significant difference.
QUINTILE_WORDS = tuple(
    dict.fromkeys(
        LABELS_POLARITY
        + LABELS_NO_POLARITY
        + tuple(GROUP_FIFTHS.values())
        + tuple(GROUP_FIFTHS_NO_POLARITY.values())
    )
)
# The seed documents' RAG letters as significance words (method 'reported').
RAG_WORDS = {"G": "Better", "A": "Similar", "R": "Worse"}
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
TESTED = ("ci", "ci (computed)", "source", "reported")
QUINTILE = "quintile"  # a position in fifths: coloured in purples, counted apart from tested
REPORTED = "reported"  # the seed documents' own RAG
STALE_YEARS = 3
# How a verdict was reached, in the words readers see beside it (tables, CSVs): every verdict
# names its method; the methods page explains each at length.
METHOD_WORDS = {
    "ci": "by 95% interval",
    "ci (computed)": "by 95% interval from counts",
    "source": "by the source's own test",
    "not tested": "not tested",
    "quintile": "position only",
    "reported": "by the strategy documents' rating",
}

# Verdict word -> (fill, text colour, Streamlit badge colour). Words are always shown beside the
# colour. Significance: Okabe-Ito blue / amber / vermilion (colour-blind safe). Higher / Lower and
# every no-polarity word make no judgement: uncoloured. Quintiles: ColorBrewer purples (dark =
# best), sharing no colour with significance; the middle fifth(s) judge nothing: uncoloured.
NO_COLOUR = "#FFFFFF"
_PLAIN = (NO_COLOUR, "#000000", "gray")
_PURPLE = dict(zip(LABELS_POLARITY, QUINTILE_COLOURS, strict=True))
VERDICT_STYLES: dict[str, tuple[str, str, str]] = {
    "Better": ("#0072B2", "#FFFFFF", "blue"),
    "Similar": ("#FFBF00", "#000000", "yellow"),
    "Worse": ("#D55E00", "#000000", "orange"),
    **{w: _PLAIN for w in ("Higher", "Lower", "Not compared", *QUINTILE_WORDS)},
    **{
        w: (c, "#FFFFFF" if i < 2 else "#000000", "violet")
        for i, (w, c) in enumerate(_PURPLE.items())
        if i != 2  # the middle fifth
    },
}
_FIFTH = "among all English upper-tier authorities (a position, not a significant difference)"
_GROUP = "within the comparator group by rank, as the strategy documents rate their neighbours"
VERDICT_MEANINGS = {
    "Better": "Significantly better than the benchmark (95% confidence), or the source or the "
    "strategy documents say so",
    "Similar": "Compared, and not significantly different from the benchmark",
    "Worse": "Significantly worse than the benchmark",
    "Higher": "Higher than the benchmark where no judgement is made (no polarity) or not "
    "tested; not coloured",
    "Lower": "Lower than the benchmark where no judgement is made (no polarity) or not "
    "tested; not coloured",
    NOT_TESTED: "A value and a benchmark figure, but no confidence interval or significance "
    "judgement, so the difference is not tested: shown only as Higher or Lower than the "
    "benchmark, or as a position in fifths; counted apart from Better, Similar and Worse",
    "Not compared": "No value for the area, or no benchmark figure to compare it with (or too "
    "few areas to place it in fifths)",
    **{w: f"In the {w.lower()} {_FIFTH}" for w in LABELS_POLARITY + LABELS_NO_POLARITY},
    "Best fifth": f"In the best fifth {_FIFTH}, or ranked in the best fifth {_GROUP}",
    "Worst fifth": f"In the worst fifth {_FIFTH}, or ranked in the worst fifth {_GROUP}",
    "Highest fifth": f"In the highest fifth {_FIFTH}, or ranked in the highest fifth {_GROUP}; "
    "not coloured",
    "Lowest fifth": f"In the lowest fifth {_FIFTH}, or ranked in the lowest fifth {_GROUP}; "
    "not coloured",
    "Middle three fifths": f"Ranked between the best and the worst fifth {_GROUP}; not coloured",
}
# Each fill in words, for the methods page's colour key (readers never see a colour code).
COLOUR_NAMES = {
    "#0072B2": "Blue",
    "#FFBF00": "Amber",
    "#D55E00": "Vermilion (orange-red)",
    NO_COLOUR: "No colour",
    **dict(zip(QUINTILE_COLOURS, ("Darkest purple", "Dark purple", "Purple", "Light purple",
                                  "Lightest purple"), strict=True)),
}  # fmt: skip
VERDICT_COLOURS = {w: s[0] for w, s in VERDICT_STYLES.items()}
VERDICT_TEXT = {w: s[1] for w, s in VERDICT_STYLES.items()}
VERDICT_BADGES = {w: s[2] for w, s in VERDICT_STYLES.items()}

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
    "region_note", "england_note", "england_quintile", "value_text", "reported_note", "reported_document",
    "decimals",
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
