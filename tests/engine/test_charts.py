"""Chart data for one measure (lutonwb/engine/charts.py)."""

from __future__ import annotations

import pytest

from lutonwb.engine import EngineError
from tests.engine.build import B_, C_, E_, G_, J_, LUTON


# -- one measure -------------------------------------------------------------------------------------
def test_measure_series(eng):
    s = eng.measure_series("le", LUTON, "cssnbt-2021")
    assert set(s["role"]) == {"home", "england", "region", "group average"}
    ga = s[(s["role"] == "group average") & (s["period"] == "2021-23")]
    assert ga["value"].iloc[0] == pytest.approx(81.333, abs=1e-3)
    assert len(s[s["role"] == "home"]) == 5
    assert "group average" not in set(eng.measure_series("le", LUTON, "england")["role"])


def test_measure_group_values(eng):
    g = eng.measure_group_values("le", LUTON, "cssnbt-2021")
    assert list(g["area_code"]) == [G_, B_, LUTON, E_]  # 84, 82, 80, 78
    assert list(g["rank"]) == [1, 2, 3, 4]
    assert g.set_index("area_code").loc[LUTON, "is_home"]
    assert g.set_index("area_code").loc[E_, "vs_home_benchmark"] == "Worse"  # 77.5-78.5 below 81.33


def test_measure_all_areas(eng):
    a = eng.measure_all_areas("le").set_index("area_code")
    assert len(a) == 10 and a.loc[J_, "quartile"] == 1 and a.loc[E_, "quartile"] == 4
    assert a.loc[C_, "vs_england"] == "Worse"  # upper limit 81 below England's 82
    assert a.loc[G_, "vs_england"] == "Better" and a.loc[G_, "rank"] == 2


def test_measure_breakdown(eng):
    b = eng.measure_breakdown("le", LUTON)
    got = set(zip(b["sex"], b["category"], b["value"], b["is_primary"], strict=True))
    assert got == {
        ("Female", "", 80.0, True),
        ("Male", "", 99.0, False),
        ("Female", "Most deprived", 70.0, False),
    }


def test_unknown_measure(eng):
    with pytest.raises(EngineError):
        eng.measure_series("nope", LUTON, "england")


def _agg_by_pandas(x):
    return x.groupby(["period", "pkey"], as_index=False).agg(
        value=("value", "mean"),
        period_start=("period_start", "first"),
        period_end=("period_end", "first"),
        before_break=("before_break", "first"),
    )


@pytest.mark.parametrize("group", ["cssnbt-2021", "similar", "all"])
def test_group_average_rows_match_pandas_groupby_to_the_last_bit(real, group):
    """The group average made without a groupby (a live progress table makes one per measure)
    equals pandas' own groupby mean and firsts, exactly: a live table agrees with a saved one."""
    import pandas as pd

    from lutonwb.engine.charts import _group_average_rows
    from lutonwb.engine.groups import group_members

    st = real._st
    members = group_members(st, group, LUTON, ())
    compared = 0
    for m in st.measures:
        r = st.measure_rows(m.id)
        got = _group_average_rows(st, r, members)
        x = r[r["area_code"].isin(members)]
        if got is None:
            assert x.empty
            continue
        want = _agg_by_pandas(x)
        pd.testing.assert_frame_equal(got[list(want.columns)], want, check_exact=True)
        assert set(got["role"]) == {"group average"} and set(got["area_code"]) == {""}
        compared += 1
    assert compared > 50


def test_group_average_rows_with_a_missing_date_follow_pandas(real):
    """A member row with no period start: pandas' rules (the first date present) still apply."""
    import pandas as pd

    from lutonwb.engine.charts import _group_average_rows
    from lutonwb.engine.groups import group_members

    st = real._st
    members = group_members(st, "cssnbt-2021", LUTON, ())
    r = st.measure_rows("life-expectancy-male").copy()
    first = r.index[r["area_code"].isin(members)][0]
    r.loc[first, "period_start"] = pd.NaT
    got = _group_average_rows(st, r, members)
    want = _agg_by_pandas(r[r["area_code"].isin(members)])
    pd.testing.assert_frame_equal(got[list(want.columns)], want, check_exact=True)
