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
def test_a_series_group_average_is_pandas_groupby_means_and_firsts(real, group):
    """The group average line: pandas' groups and first dates, and its means (ours summed
    exactly, so equal to within the last bits of pandas' compensated sum)."""
    import pandas as pd

    from lutonwb.engine.groups import group_members

    st = real._st
    members = group_members(st, group, LUTON, ())
    compared = 0
    for m in st.measures:
        if not m.data:
            continue
        s = real.measure_series(m.id, LUTON, group)
        got = s[s["role"] == "group average"].drop(columns="role")
        r = st.measure_rows(m.id)
        x = r[r["area_code"].isin(members)]
        if got.empty:
            assert x.empty
            continue
        want = _agg_by_pandas(x).sort_values("period").reset_index(drop=True)
        got = got.sort_values("period").reset_index(drop=True)
        pd.testing.assert_frame_equal(
            got[[c for c in want.columns if c != "pkey"]], want.drop(columns="pkey"),
            check_exact=False, rtol=1e-13,
        )  # fmt: skip
        assert set(got["area_code"]) == {""} and set(got["lower_ci"].isna()) == {True}
        compared += 1
    assert compared > 50


def test_group_means_are_exact_whatever_the_row_order():
    import math

    import numpy as np
    import pandas as pd

    from lutonwb.engine.charts import group_means

    values = pd.Series([0.1, 0.2, 0.3, np.nan, 1e16, 1.0, -1e16])
    group = np.array([0, 0, 0, 1, 2, 2, 2])
    means = group_means(values, group, 4)
    assert means[0] == math.fsum([0.1, 0.2, 0.3]) / 3
    assert np.isnan(means[1]) and np.isnan(means[3])  # only a missing value; no rows at all
    assert means[2] == 1.0 / 3  # a naive sum loses the 1.0 between the two large values
    order = np.array([6, 2, 5, 0, 4, 3, 1])
    again = group_means(values.iloc[order].reset_index(drop=True), group[order], 4)
    assert np.array_equal(means, again, equal_nan=True)


@pytest.mark.parametrize(
    ("home", "group", "custom"),
    [
        (LUTON, "england", ()),
        (LUTON, "region", ()),
        (LUTON, "cssnbt-2021", ()),
        ("E06000040", "custom", ("E09000002", "E06000039", "E08000028")),
    ],
)
def test_every_measure_series_at_once_is_each_measure_series_to_the_last_bit(
    real, home, group, custom
):
    """A live progress table reads every measure's series in one pass: frame for frame, type
    for type and bit for bit what the measure page reads one at a time."""
    import pandas as pd

    from lutonwb.progress.series import paired_many, paired_series

    ids = list(real.cat.measures)
    many = real.measures_series(ids, home, group, custom)
    pairs = paired_many(many, group)
    assert set(many) == set(ids) == set(pairs)
    for mid in ids:
        alone = real.measure_series(mid, home, group, custom)
        pd.testing.assert_frame_equal(many[mid], alone, check_exact=True)
        pd.testing.assert_frame_equal(pairs[mid], paired_series(alone, group), check_exact=True)
    assert sum(not f.empty for f in many.values()) > 100
    averaged = any((f["role"] == "group average").any() for f in many.values())
    assert averaged is (group != "england")  # the region: its members' where it has no figure


def test_group_means_of_infinite_values_do_not_raise():
    import numpy as np
    import pandas as pd

    from lutonwb.engine.charts import group_means

    values = pd.Series([np.inf, 1.0, np.inf, -np.inf, 2.0])
    means = group_means(values, np.array([0, 0, 1, 1, 2]), 3)
    assert means[0] == np.inf and np.isnan(means[1]) and means[2] == 2.0
