"""Reported-only measures show the documents' latest figure and RAG (lutonwb/engine/reported.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from lutonwb.engine import Engine
from lutonwb.place import current_place
from tests.engine import build as w


def _engine(extra: list[dict]) -> Engine:
    rep = w.make_reported()
    base = rep.iloc[-1].to_dict()  # 'lonely', the reported-only measure
    rows = pd.DataFrame([{**base, **e} for e in extra])
    return Engine.from_frames(
        w.make_catalogue(), w.make_values(), w.make_areas(), w.make_groups(), pd.concat([rep, rows])
    )


def fig(table: str, period: str, value: float, **more) -> dict:
    """One printed figure in the place's first seed document (Luton's unless `area` is given)."""
    doc = next(iter(current_place().seeds))
    return {"document": doc, "table": table, "period": period, "value": value,
            "value_text": f"{value:g}", **more}  # fmt: skip


def test_latest_sound_figure_is_the_value_with_the_documents_rag():
    doc, title = next(iter(current_place().seeds.items()))
    e = _engine(
        [
            fig("JSNA 2021/22", "2020/21", 9.3, rag_england="G", rag_neighbours="G"),
            fig("JSNA 2022/23", "2021/22", 10.5, value_text="10.5% households", rag_england="R",
                rag_region="A", rag_neighbours="A"),
            fig("JSNA 2022/23", "2021/22", 8.0, area="England"),
            fig("JSNA 2023/24", "2022/23", 1.0, rag_england="G", questionable=True, note="garbled"),
        ]
    )  # fmt: skip
    r = w.row(e.scorecard(w.LUTON, "england"), "lonely")
    assert (r["value"], r["period"], r["value_text"]) == (10.5, "2021/22", "10.5% households")
    assert (r["england"], r["reported_document"]) == (8.0, title)
    assert (r["vs_england"], r["vs_england_method"], r["rag_england"]) == ("Worse", "reported", "R")
    assert (r["vs_region"], r["rag_region"]) == ("Similar", "A")
    assert title in r["reported_note"] and doc not in r["reported_note"]
    g = w.row(e.scorecard(w.LUTON, "cssnbt-2021"), "lonely")
    # the documents' neighbours are their own set, not this group: shown as their rating only
    assert (g["vs_group"], g["vs_group_method"], g["rag_group"]) == ("Not compared", "", "")
    assert "not this group" in g["reported_note"]


def test_a_measure_without_polarity_keeps_only_the_direction_of_the_documents_rating():
    from lutonwb.engine.reported import _verdict

    rag = pd.Series(["R", "G", "A", "R", "G"])
    pol = pd.Series(["none", "none", "none", "low", "none"])
    value = pd.Series([12.0, 3.0, 5.0, 9.0, 4.0])
    bench = pd.Series([10.0, 4.0, 5.0, 8.0, float("nan")])
    word, method, letter = _verdict(rag, pd.Series([True] * 5), value, bench, pol)
    assert list(word) == ["Higher", "Lower", "Similar", "Worse", "Not compared"]
    assert list(letter) == ["", "", "", "R", ""]
    assert list(method) == ["reported", "reported", "reported", "reported", ""]


def test_a_questionable_figure_is_shown_flagged_and_gives_no_verdict():
    e = _engine([fig("JSNA 2022/23", "2022", 46.0, rag_england="A", questionable=True, note="x")])
    r = w.row(e.scorecard(w.LUTON, "england"), "lonely")
    assert r["value"] == 46.0 and "questionable" in r["reported_note"]
    assert (r["vs_england"], r["vs_england_method"], r["rag_england"]) == ("Not compared", "", "")


def test_no_figure_no_value():
    r = w.row(_engine([]).scorecard(w.LUTON, "england"), "lonely")
    assert pd.isna(r["value"]) and r["reported_note"] == "" and r["vs_england"] == "Not compared"


def test_measure_series_of_a_reported_only_measure_is_the_documents_history():
    e = _engine(
        [
            fig("JSNA 2021/22", "2020/21", 9.3),
            fig("JSNA 2022/23", "2021/22", 10.5),
            fig("JSNA 2022/23", "2021/22", 8.0, area="England"),
            fig("JSNA 2022/23", "2022/23", 1.0, questionable=True),
        ]
    )
    s = e.measure_series("lonely", w.LUTON, "england")
    assert list(zip(s["period"], s["role"], s["value"], strict=True)) == [
        ("2020/21", "home", 9.3),
        ("2021/22", "england", 8.0),
        ("2021/22", "home", 10.5),
    ]


def test_an_england_figure_without_rag_is_not_tested():
    e = _engine([fig("APHR", "2022", 61.9), fig("APHR", "2022", 116.0, area="England")])
    r = w.row(e.scorecard(w.LUTON, "england"), "lonely")
    got = (r["vs_england"], r["vs_england_method"], r["rag_england"])
    assert got == ("Lower", "not tested", "")  # lower is better: no interval, so not tested
    assert (r["vs_group"], r["vs_group_method"]) == (r["vs_england"], r["vs_england_method"])


@pytest.mark.parametrize("home", ["E06000032", "E06000040"])
def test_every_reported_series_at_once_is_each_one_alone(real, home):
    """The documents' series of every reported-only measure in one pass: frame for frame what
    the measure page reads one at a time, empty ones included."""
    from lutonwb.engine.charts import SERIES_COLS
    from lutonwb.engine.reported import reported_series_many

    st = real._st
    ids = [m.id for m in st.measures if not m.data]
    many = reported_series_many(st, ids, home, SERIES_COLS)
    assert set(many) == set(ids)
    for mid in ids:
        alone = reported_series_many(st, [mid], home, SERIES_COLS)[mid]
        pd.testing.assert_frame_equal(many[mid], alone, check_exact=True)
    assert any(not f.empty for f in many.values())


def test_reported_dates_keep_the_rows_unit_even_when_none_is_valid():
    """One measure alone and many at once give the same column types: a batch of periods with
    no year would otherwise come back in seconds, not microseconds."""
    from lutonwb.engine.reported import _dates

    assert str(_dates(pd.Series(["0-01-01"])).dtype) == "datetime64[us]"
    both = _dates(pd.Series(["2021-01-01", "0-12-31"]))
    assert str(both.dtype) == "datetime64[us]" and both.isna().tolist() == [False, True]


def _latest_reported_alone(st, home: str) -> pd.DataFrame:
    """The home area's latest reported figures worked out from the documents' table alone, as
    before every area's were sorted at once: what latest_reported must still give."""
    from lutonwb.engine.reported import KEYS, _start_year

    name = st.names.get(home, "")
    only = {m.id for m in st.measures if not m.data}
    r = st.reported[st.reported["measure_id"].isin(only)]
    mine = r[(r["area"] == name) & (name != "") & r["value"].notna()].copy()
    if mine.empty:
        return mine
    mine["_year"] = _start_year(mine["period"])
    mine["questionable"] = mine["questionable"].fillna(False).astype(bool)
    mine["_sound"] = ~mine["questionable"]
    mine = mine.sort_values(["measure_id", "_sound", "_year", "table", "document"])
    mine = mine.drop_duplicates("measure_id", keep="last").drop(columns=["_year", "_sound"])
    region = st.names.get(st.region_of.get(home, ""), "")
    for col, area in (("england", "England"), ("region", region)):
        sound = r[(r["area"] == area) & ~r["questionable"].fillna(False).astype(bool)]
        other = sound[[*KEYS, "value"]].drop_duplicates(KEYS)
        mine = mine.merge(other.rename(columns={"value": col}), on=KEYS, how="left")
    return mine


def test_every_areas_latest_reported_figures_are_each_ones_alone(real):
    """Sorted once for every area, the latest figures are, area by area, those worked out from
    the documents' table alone: every area the documents name, and areas they do not."""
    from lutonwb.engine.reported import latest_reported

    st = real._st
    named = set(st.reported["area"])
    homes = [c for c in st.utla if st.names.get(c) in named] + ["E08000026", "E06000040"]
    found = 0
    for home in homes:
        got, alone = latest_reported(st, home), _latest_reported_alone(st, home)
        if alone.empty:
            assert got.empty
            continue
        found += 1
        pd.testing.assert_frame_equal(got.reset_index(drop=True), alone.reset_index(drop=True))
    assert found >= 1  # Luton at least: the documents are its own


def test_the_latest_reported_figures_are_a_copy(real):
    from lutonwb.engine.reported import latest_reported

    first = latest_reported(real._st, "E06000032")
    first["value"] = -1.0
    assert (latest_reported(real._st, "E06000032")["value"] != -1.0).all()
