"""Fingertips quintiles (NTILE(5) as FingertipsNext) and the seeds' rank-based neighbour RAG."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd
import pytest

from lutonwb import quintiles as q

NAN = math.nan

NTILES = [  # values -> NTILE(5) in ascending order (1 = lowest)
    ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]),
    ([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]),
    # 7 = 5*1 + 2: the first two fifths hold two values, the last three one each
    ([1, 2, 3, 4, 5, 6, 7], [1, 1, 2, 2, 3, 4, 5]),
    # 16 = 5*3 + 1: sizes 4, 3, 3, 3, 3
    (list(range(1, 17)), [1] * 4 + [2] * 3 + [3] * 3 + [4] * 3 + [5] * 3),
    # ties share the fifth of the first of them, whatever the row order
    ([3, 1, 2, 2, 5, 4], [3, 1, 1, 1, 5, 4]),
    ([2, 2, 2, 2, 2], [1, 1, 1, 1, 1]),
    ([NAN, 4, 3, NAN, 2, 1, 5], [NAN, 4, 3, NAN, 2, 1, 5]),
    ([4, 3, NAN, 2, 1], [NAN] * 5),  # fewer than five values: not compared
]


@pytest.mark.parametrize(("values", "expected"), NTILES)
def test_ntile5(values, expected):
    np.testing.assert_array_equal(q.ntile5(values), np.array(expected, dtype=float))


def _sql_ntile(values: np.ndarray, groups: np.ndarray) -> pd.DataFrame:
    con = duckdb.connect()
    con.register("df", pd.DataFrame({"v": values, "g": groups}))
    return con.execute(
        "SELECT v, ntile(5) OVER (PARTITION BY g ORDER BY v) AS t FROM df ORDER BY v"
    ).df()


@pytest.mark.parametrize("n", [5, 6, 7, 8, 9, 13, 150, 152, 153])
def test_ntile5_equals_sql_ntile_on_distinct_values(n):
    """Same cut as SQL's NTILE(5) OVER (ORDER BY value), which FingertipsNext runs."""
    values = np.random.default_rng(n).permutation(n) * 1.5
    want = _sql_ntile(values, np.zeros(n))
    got = dict(zip(values, q.ntile5(values), strict=True))
    assert [got[v] for v in want["v"]] == want["t"].astype(float).tolist()


def test_ntile5_by_group_equals_sql_partitions():
    """Many periods (or measures) at once: one cut per group, as PARTITION BY Year."""
    rng = np.random.default_rng(7)
    sizes = [5, 9, 16, 152, 11]
    groups = np.repeat(np.arange(len(sizes)), sizes)
    values = rng.permutation(len(groups)) + 0.5
    want = _sql_ntile(values, groups)
    got = dict(zip(values, q.ntile5(values, groups), strict=True))
    assert [got[v] for v in want["v"]] == want["t"].astype(float).tolist()


def test_fifth_by_polarity_per_row():
    got = q.fifth_by_polarity([1, 1, 1, 4], ["higher-better", "lower-better", "none", "none"])
    assert got.tolist() == [5, 1, 1, 4]


QUINTILE_OF = [  # values of all areas, home value, polarity -> fifth (1 = best / lowest), word
    (list(range(1, 11)), 10, "higher-better", 1, "Best"),
    (list(range(1, 11)), 10, "lower-better", 5, "Worst"),
    (list(range(1, 11)), 10, "none", 5, "Highest"),
    (list(range(1, 11)), 1, "none", 1, "Lowest"),
    (list(range(1, 11)), 5, "higher-better", 3, "Middle"),
    (list(range(1, 11)), 3, "lower-better", 2, "Better"),
    (list(range(1, 11)), 8, "lower-better", 4, "Worse"),
    (list(range(1, 11)), 4, "none", 2, "Low"),
    (list(range(1, 11)), 7, "none", 4, "High"),
    ([1, 2, 3, 4, 5, 6, 7], 2, "higher-better", 5, "Worst"),  # N = 7: 1 and 2 form fifth 1
    ([1, 2, 3, 4, 5, 6, 7], 3, "higher-better", 4, "Worse"),
    ([1, 2, NAN, 3, 4, 5], 5, "lower-better", 5, "Worst"),  # missing values ignored
    ([1, 2, 3, 4, 5, 6], 3.5, "none", 2, "Low"),  # home value not among them: added (N = 7)
    ([1, 2, 3, 4], 2, "none", NAN, ""),  # fewer than five values: no fifths
    (list(range(1, 11)), NAN, "higher-better", NAN, ""),  # home value missing
]


@pytest.mark.parametrize(("values", "home", "polarity", "fifth", "word"), QUINTILE_OF)
def test_quintile_of_and_word(values, home, polarity, fifth, word):
    got = q.quintile_of(values, home, polarity)
    assert (math.isnan(got) and math.isnan(fifth)) or got == fifth
    assert q.quintile_word(got, polarity) == word
    assert q.quintile_label(got, polarity) == (f"{word} fifth" if word else "")


def test_polarity_flip_mirrors_the_fifth():
    values = np.arange(1.0, 153.0)
    for home in (1.0, 40.0, 77.0, 120.0, 152.0):
        hi = q.quintile_of(values, home, "higher-better")
        lo = q.quintile_of(values, home, "lower-better")
        assert hi + lo == 6
        assert q.quintile_of(values, home, "none") == lo


def test_real_values_all_authorities(raw_dir):
    """Campylobacter rates 2017 for every upper-tier authority: each fifth holds N/5 (+1) areas
    and Luton's fifth (lower is better) is the NTILE group of its rank."""
    d = pd.read_csv(
        raw_dir / "fingertips/fingertips_raw_export_campylobacter_93356_county_ua_2015_2017.csv"
    )
    d = d[(d["Area Type"] == "County & UA") & (d["Time period"] == 2017)]
    d = d[(d["Age"] == "All ages") & d["Category Type"].isna()].drop_duplicates("Area Code")
    values = d["Value"].to_numpy()
    n = int((~np.isnan(values)).sum())
    assert n == 150
    tiles = q.ntile5(values)
    assert np.bincount(tiles[~np.isnan(tiles)].astype(int))[1:].tolist() == [30] * 5
    home = float(d.loc[d["Area Code"] == "E06000032", "Value"].iloc[0])
    rank = int((values[~np.isnan(values)] < home).sum())  # values below it, lower is better
    assert q.quintile_of(values, home, "lower-better") == rank // 30 + 1


def test_words_and_colours_never_look_like_significance():
    from lutonwb.engine.vocab import QUINTILE_WORDS, VERDICT_COLOURS, VS_WORDS

    labels = q.LABELS_POLARITY + q.LABELS_NO_POLARITY
    assert all(label.endswith(" fifth") for label in labels)
    assert all(w.endswith(("fifth", "fifths")) for w in QUINTILE_WORDS)
    assert not set(QUINTILE_WORDS) & set(VS_WORDS)
    significance = {VERDICT_COLOURS[w].upper() for w in VS_WORDS}
    assert not {c.upper() for c in q.QUINTILE_COLOURS} & significance
    # the one word -> colour map: quintile words purple or uncoloured, never a significance colour
    assert {VERDICT_COLOURS[w] for w in QUINTILE_WORDS} <= set(q.QUINTILE_COLOURS) | {"#FFFFFF"}
    assert VERDICT_COLOURS["Best fifth"] == q.quintile_colour(1, "lower-better")
    for w in (*q.LABELS_NO_POLARITY, "Middle three fifths", "Middle fifth"):
        assert VERDICT_COLOURS[w] == "#FFFFFF"
    assert q.quintile_colour(3, "higher-better") == q.NO_POLARITY_COLOUR
    assert len(set(q.QUINTILE_COLOURS)) == 5
    assert q.NO_POLARITY_COLOUR not in q.QUINTILE_COLOURS
    assert q.quintile_colour(1, "higher-better") == q.QUINTILE_COLOURS[0]
    assert q.quintile_colour(5, "lower-better") == q.QUINTILE_COLOURS[4]
    assert q.quintile_colour(1, "none") == q.NO_POLARITY_COLOUR
    assert q.quintile_colour(NAN, "higher-better") == q.NO_POLARITY_COLOUR


# -- the seeds' neighbour RAG from rank ---------------------------------------------------------
# Rows whose printed neighbour RAG departs from the rank rule (measure, table, rank, printed RAG).
SEED_DEPARTURES = {
    ("infant-mortality", "JSNA 2021/22", "2/16", "A"),
    ("child-mortality", "JSNA 2022/23", "5/6", "A"),
    ("vaccination-mmr-2-years", "JSNA 2021/22", "5/5", "A"),
    ("cancer-screening-cervical", "JSNA 2021/22", "12/16", "R"),
    ("u75-respiratory-preventable", "JSNA 2022/23", "13/16", "G"),
}


def _seed_rows(raw_dir) -> pd.DataFrame:
    d = pd.read_csv(raw_dir / "reported/reported_figures.csv")
    d = d[d["rank_text"].notna() & d["rag_neighbours"].notna()].copy()
    d[["rank", "n"]] = d["rank_text"].str.split("/", expand=True).astype(float)
    return d


def test_seed_rule_reproduces_every_seed_row_but_the_listed_departures(raw_dir):
    rows = _seed_rows(raw_dir)
    assert len(rows) == 128
    got = [q.seed_neighbour_rag(r, n) for r, n in rows[["rank", "n"]].values]
    off = rows[np.array(got) != rows["rag_neighbours"].to_numpy()]
    keys = set(
        zip(off["measure_id"], off["table"], off["rank_text"], off["rag_neighbours"], strict=True)
    )
    assert keys == SEED_DEPARTURES
    assert len(off) == 7  # infant mortality and cervical screening appear in two tables each


def test_seed_rule_beats_a_plain_fifths_of_n_rule(raw_dir):
    """'rank <= N/5 is G, rank > 4N/5 is R' misses 2 of 6 = G as well."""
    rows = _seed_rows(raw_dir)

    def plain(r, n):
        return "G" if r <= n / 5 else ("R" if r > 4 * n / 5 else "A")

    misses = sum(plain(r, n) != rag for r, n, rag in rows[["rank", "n", "rag_neighbours"]].values)
    assert misses == 8


SEED_RULE = [  # rank, N -> RAG
    (1, 16, "G"), (3, 16, "G"), (4, 16, "G"), (5, 16, "A"), (12, 16, "A"), (13, 16, "R"),
    (16, 16, "R"), (1, 5, "G"), (2, 5, "A"), (4, 5, "A"), (5, 5, "R"), (2, 6, "G"),
    (3, 6, "A"), (5, 6, "R"), (6, 8, "A"), (1, 1, ""), (NAN, 16, ""),
]  # fmt: skip


@pytest.mark.parametrize(("rank", "n", "rag"), SEED_RULE)
def test_seed_rule_table(rank, n, rag):
    assert q.seed_neighbour_rag(rank, n) == rag


def test_the_array_rule_gives_the_seed_rule_table_in_one_call():
    """The engine's array form (the rule's one implementation) gives every letter of the table in
    one call, with no size, a rank in an empty group and ranks beyond the size; empty stays empty."""
    extra = [(3.0, NAN, ""), (NAN, NAN, ""), (1.0, 0.0, ""), (7.0, 5.0, "R"), (-1.0, 16.0, "G")]
    rows = [*SEED_RULE, *extra]
    got = q.seed_neighbour_rags(
        np.array([r for r, _, _ in rows]), np.array([n for _, n, _ in rows])
    )
    assert got.dtype == object
    assert list(got) == [rag for _, _, rag in rows]
    assert list(q.seed_neighbour_rags(np.array([]), np.array([]))) == []


def test_the_rule_as_numbers_names_the_same_fifths_as_its_letters():
    """The engine picks its words by the rule's number: 1 best (G), 2 middle (A), 3 worst (R),
    0 no position, for every row of the seed rule table and the edge cases."""
    rows = [*SEED_RULE, (3.0, NAN, ""), (1.0, 1.0, ""), (16.0, 16.0, "R"), (4.0, 16.0, "G")]
    fifths = q.seed_neighbour_fifths(
        np.array([r for r, _, _ in rows]), np.array([n for _, n, _ in rows])
    )
    assert [q.SEED_FIFTH_LETTERS[f] for f in fifths] == [rag for _, _, rag in rows]
    assert set(fifths) == {0, 1, 2, 3}
