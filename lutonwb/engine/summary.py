"""Verdict counts, computed once: per principle / board / outcome (`summary`) and for one
scorecard as a whole (`verdict_counts`, the overview's and the tables' counts)."""

from __future__ import annotations

import pandas as pd

from lutonwb.engine.vocab import QUINTILE, TESTED, EngineError

BY = {"principle": "principles", "board": "boards", "outcome": "outcomes"}
FLAGS = ["better", "similar", "worse", "not_tested", "not_compared", "improving", "worsening"]
# the one set of count words every page, legend and CSV uses (vocab.VERDICT_MEANINGS defines them)
COUNT_WORDS = ("better", "similar", "worse", "not tested", "not compared")
UNTESTED = ("not tested", QUINTILE)  # the methods counted as not tested


def verdict_flags(scorecard: pd.DataFrame, against: str = "vs_group") -> pd.DataFrame:
    """One row per scorecard row: which of better / similar / worse (tested), not_tested (a value
    but no significance test: Higher / Lower, or a position in fifths), not_compared (no value or
    no benchmark)."""
    word = scorecard[against].fillna("").replace("", "Not compared")
    method = scorecard[f"{against}_method"].fillna("").where(word != "Not compared", "")
    tested = method.isin(TESTED)
    out = pd.DataFrame(
        {w: tested & (word == w.title()) for w in ("better", "similar", "worse")},
        index=scorecard.index,
    )
    # a tested Higher / Lower (no polarity) is neither; a fifth is a position, not a test
    out["not_tested"] = method.isin(UNTESTED)
    out["not_compared"] = ~(out["better"] | out["similar"] | out["worse"] | out["not_tested"])
    return out


def verdict_counts(scorecard: pd.DataFrame, against: str = "vs_group") -> dict[str, int]:
    """Better / similar / worse (tested), not tested and not compared: they add up to the measures."""
    f = verdict_flags(scorecard, against)
    out = {w: int(f[w].sum()) for w in ("better", "similar", "worse")}
    out["not tested"] = int(f["not_tested"].sum())
    out["not compared"] = len(scorecard) - sum(out.values())
    return out


def summary(scorecard: pd.DataFrame, by: str, against: str = "vs_group") -> pd.DataFrame:
    """Counts per principle / board / outcome.

    Columns: key, measures, better, similar, worse, not_compared, improving, worsening,
    not_tested (as `verdict_flags`).
    """
    col = BY.get(by)
    if col is None:
        raise EngineError(f"summary by {by!r}: use principle, board or outcome")
    d = scorecard[["measure_id", col, "trend"]].join(verdict_flags(scorecard, against))
    d["improving"] = d["trend"] == "Getting better"
    d["worsening"] = d["trend"] == "Getting worse"
    d = d.explode(col).dropna(subset=[col]).rename(columns={col: "key"})
    out = d.groupby("key", sort=True).agg(
        measures=("measure_id", "count"), **{f: (f, "sum") for f in FLAGS}
    )
    out = out.astype(int).reset_index()
    return out[
        ["key", "measures", "better", "similar", "worse", "not_compared", "improving",
         "worsening", "not_tested"]
    ]  # fmt: skip
