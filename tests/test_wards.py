"""Ward and LSOA layers: aggregation checked against independent sums, colours, composite, inequality."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lutonwb import wards as w


def _csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def raw_sums(raw_dir: Path) -> dict:
    """Households, deprived households and ward of each 2021 LSOA, straight from the raw CSVs."""
    hh: dict[str, float] = defaultdict(float)
    dep2: dict[str, float] = defaultdict(float)
    for r in _csv(
        raw_dir / "census2021/luton_census2021_household_deprivation_lsoa21_humaniverse.csv"
    ):
        hh[r["lsoa21_code"]] += float(r["count"])
        if int(r["households_number_deprivation_dimensions"]) >= 2:
            dep2[r["lsoa21_code"]] += float(r["count"])
    ward = {
        r["LSOA21CD"]: r["WD24CD"] for r in _csv(raw_dir / "lookups/luton_lsoa21_to_ward2024.csv")
    }
    iod = {
        r["lsoa21_code"]: r
        for r in _csv(raw_dir / "imd/luton_iod2025_lsoa21_scores_ranks_deciles_humaniverse.csv")
    }
    return {"hh": hh, "dep2": dep2, "ward": ward, "iod": iod}


def test_iod_ward_means_are_household_weighted(wh, raw_sums) -> None:
    num: dict[str, float] = defaultdict(float)
    den: dict[str, float] = defaultdict(float)
    for code, ward in raw_sums["ward"].items():
        num[ward] += raw_sums["hh"][code] * float(raw_sums["iod"][code]["IMD_score"])
        den[ward] += raw_sums["hh"][code]
    got = w.ward_values(wh, "iod25-imd").set_index("code")["value"]
    assert len(got) == 20
    for ward in num:
        assert got[ward] == pytest.approx(num[ward] / den[ward], rel=1e-12)


def test_income_is_shown_as_percent(wh, raw_sums) -> None:
    got = w.lsoa_values(wh, "iod25-income").set_index("code")["value"]
    assert got["E01015693"] == pytest.approx(
        100 * float(raw_sums["iod"]["E01015693"]["Income_score"])
    )


def test_census_shares_sum_counts_then_divide(wh, raw_sums) -> None:
    num: dict[str, float] = defaultdict(float)
    den: dict[str, float] = defaultdict(float)
    for code, ward in raw_sums["ward"].items():
        num[ward] += raw_sums["dep2"][code]
        den[ward] += raw_sums["hh"][code]
    got = w.ward_values(wh, "census-deprived-2plus").set_index("code")["value"]
    for ward in num:
        assert got[ward] == pytest.approx(100 * num[ward] / den[ward])
    assert sum(den.values()) == 78_950
    lsoa = w.lsoa_values(wh, "census-deprived-2plus").set_index("code")["value"]
    assert lsoa["E01015693"] == pytest.approx(
        100 * raw_sums["dep2"]["E01015693"] / raw_sums["hh"]["E01015693"]
    )


def test_imd2019_ward_scores_as_published(wh, raw_dir) -> None:
    rows = {
        r["WD20CD"]: float(r["Score"])
        for r in _csv(raw_dir / "imd/luton_imd2019_ward2020_aggregates_humaniverse.csv")
    }
    got = w.ward_values(wh, "imd19-imd").set_index("code")["value"]
    assert got.to_dict() == pytest.approx(rows)


def test_census_shares_by_dimension_count(wh, raw_dir, raw_sums) -> None:
    exact: dict[tuple[str, int], float] = defaultdict(float)
    for r in _csv(
        raw_dir / "census2021/luton_census2021_household_deprivation_lsoa21_humaniverse.csv"
    ):
        k = int(r["households_number_deprivation_dimensions"])
        exact[raw_sums["ward"][r["lsoa21_code"]], k] += float(r["count"])
    wards_hh: dict[str, float] = defaultdict(float)
    for code, ward in raw_sums["ward"].items():
        wards_hh[ward] += raw_sums["hh"][code]
    shares = {
        k: w.ward_values(wh, f"census-dimensions-{k}").set_index("code")["value"] for k in range(5)
    }
    for ward, den in wards_hh.items():
        for k in range(5):
            assert shares[k][ward] == pytest.approx(100 * exact[ward, k] / den)
        assert sum(shares[k][ward] for k in range(5)) == pytest.approx(100)
    anyone = w.ward_values(wh, "census-deprived-any").set_index("code")["value"]
    assert (shares[0] + anyone).to_numpy() == pytest.approx(100)
    assert w.layer("census-dimensions-0").polarity == "higher-better"
    assert w.layer("census-dimensions-3").polarity == "lower-better"


def test_imd2019_ward_proportion_and_extent_as_published(wh, raw_dir) -> None:
    rows = _csv(raw_dir / "imd/luton_imd2019_ward2020_aggregates_humaniverse.csv")
    for measure, column in (("proportion", "Proportion"), ("extent", "Income_Extent")):
        dom = "imd" if column == "Proportion" else "income"
        got = w.ward_values(wh, f"imd19-{measure}-{dom}").set_index("code")["value"]
        assert len(got) == 19
        assert got.to_dict() == pytest.approx({r["WD20CD"]: 100 * float(r[column]) for r in rows})
    assert any(float(r["Extent"]) > 0.5 for r in rows)  # a real spread, not all zeros


def test_national_ranks_and_deciles_by_lsoa(wh, raw_dir, raw_sums) -> None:
    got = w.lsoa_values(wh, "iod25-rank-imd").set_index("code")["value"]
    assert len(got) == 125
    for code, r in raw_sums["iod"].items():
        assert got[code] == float(r["IMD_rank"])
    emp = w.lsoa_values(wh, "iod25-decile-employment").set_index("code")["value"]
    assert emp["E01015693"] == float(raw_sums["iod"]["E01015693"]["Employment_decile"])
    old = _csv(raw_dir / "imd/luton_iod2019_lsoa11_domains_ranks_deciles.csv")
    rank19 = w.lsoa_values(wh, "imd19-rank-income").set_index("code")["value"]
    assert len(rank19) == len(old) == 121
    for r in old:
        assert rank19[r["LSOA code (2011)"]] == float(r["Income Rank (where 1 is most deprived)"])
    # rank 1 is the most deprived LSOA in England: the worst end of the map
    assert w.layer("iod25-rank-imd").polarity == "higher-better"


def test_detail_layers_stay_out_of_the_inequality_summary(wh) -> None:
    ids = set(w.inequality_table(wh)["layer"])
    assert {"iod25-imd", "imd19-imd", "census-deprived-2plus", "fuel-poverty"} <= ids
    assert not ids & {"census-dimensions-0", "imd19-extent-imd", "iod25-rank-imd"}


@pytest.mark.parametrize("layer_id", list(w.LAYERS))
def test_every_area_has_a_colour_or_a_reason(wh, layer_id) -> None:
    lyr = w.layer(layer_id)
    for geo in lyr.geographies:
        df, legend = w.coloured(wh, layer_id, geo)
        expected = {"wd23": 20, "wd13": 19, "lsoa21": 125, "lsoa11": 121}[geo]
        assert len(df) == expected and df["code"].is_unique
        has_value = df["value"].notna()
        assert df.loc[has_value, "colour"].isin(legend["colour"]).all()
        assert (df.loc[~has_value, "colour"] == w.NO_DATA).all()
        assert (df.loc[~has_value, "note"] != "").all()
        assert legend["count"].sum() == has_value.sum()


def test_classes_put_the_darkest_colour_on_the_worst_end() -> None:
    vals = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    cls, legend = w.classify(vals, "lower-better")
    assert cls[9] == 0 and cls[0] == 4  # high = worse = class 0 = darkest
    assert legend.loc[0, "colour"] == w.VIRIDIS5[0]
    cls2, _ = w.classify(vals, "higher-better")
    assert cls2[0] == 0 and cls2[9] == 4
    legend_eq = w.classify(vals, "lower-better", method="equal")[1]
    assert sorted(legend_eq["lower"].round(6))[:2] == [1.0, 2.8]


def test_composite_is_reproducible_from_its_stated_method(wh) -> None:
    raw = w.composite_inputs(wh)
    assert list(raw.columns) == [i.id for i in w.COMPOSITE] and len(raw) == 20
    assert raw.notna().all().all()
    z = (raw.mean() - raw) / raw.std(ddof=0)
    dims = {
        d: z[[i.id for i in w.COMPOSITE if i.dimension == d]].mean(axis=1) for d in w.DIMENSIONS
    }
    expected = (dims["basic-needs"] + dims["foundations"] + dims["opportunity"]) / 3
    got = w.composite(wh).set_index("ward_code")
    assert np.allclose(got["composite"], expected.reindex(got.index))
    assert got["composite"].mean() == pytest.approx(0, abs=1e-12)
    assert sorted(got["rank"]) == list(range(1, 21))
    assert got["composite"].idxmax() == got.index[got["rank"] == 1][0]
    pd.testing.assert_frame_equal(w.composite(wh), w.composite(wh))


def test_sensitivity_ranks(wh) -> None:
    s = w.sensitivity(wh).set_index("ward_code")
    raw = w.composite_inputs(wh)
    z = (raw.mean() - raw) / raw.std(ddof=0)
    dims = {
        d: z[[i.id for i in w.COMPOSITE if i.dimension == d]].mean(axis=1) for d in w.DIMENSIONS
    }
    alt = 0.5 * dims["basic-needs"] + 0.25 * dims["foundations"] + 0.25 * dims["opportunity"]
    alt_rank = alt.rank(ascending=False, method="min").astype(int)
    for ward, r in s.iterrows():
        assert r["rank_50_25_25"] == alt_rank[ward]
        assert r["change_50_25_25"] == r["rank_equal"] - r["rank_50_25_25"]
    for col in ("rank_equal", "rank_50_25_25", "rank_minmax"):
        assert sorted(s[col]) == list(range(1, 21))


def test_ward_profile(wh) -> None:
    p = w.ward_profile(wh, "E05014737")
    assert p["name"] == "Biscot"
    assert set(p["values"]["layer"]) == {lyr.id for lyr in w.layers_for("wd23")}
    assert p["decile_counts"].sum() == len(p["lsoas"]) == p["change"]["lsoas"]
    assert p["lsoas"]["imd2019_decile"].notna().all()
    with pytest.raises(KeyError):
        w.ward_profile(wh, "E05002193")  # a 2013 ward is not a 2023 ward


def test_straddling_lsoas_are_named_in_profiles(wh) -> None:
    names = set()
    for code in w.areas_of(wh, "wd23")["code"]:
        names.update(w.ward_profile(wh, code)["straddling"])
    code_of = w.neighbourhoods(wh).set_index("label")["code"]
    assert set(code_of[sorted(names)]) == {
        "E01015705", "E01015768", "E01015787", "E01033804", "E01015732", "E01015795"
    }  # fmt: skip


def test_sii_matches_an_independent_regression(wh, raw_sums) -> None:
    num: dict[int, float] = defaultdict(float)
    den: dict[int, float] = defaultdict(float)
    for code in raw_sums["ward"]:
        d = int(raw_sums["iod"][code]["IMD_decile"])
        num[d] += raw_sums["dep2"][code]
        den[d] += raw_sums["hh"][code]
    ds = sorted(num)
    y = np.array([100 * num[d] / den[d] for d in ds])
    share = np.array([den[d] for d in ds]) / sum(den.values())
    x = np.cumsum(share) - share / 2
    xm, ym = (share * x).sum(), (share * y).sum()
    slope = (share * (x - xm) * (y - ym)).sum() / (share * (x - xm) ** 2).sum()
    got = w.sii(wh, "census-deprived-2plus")
    assert got["sii"] == pytest.approx(slope)
    assert got["sii"] < 0, "more multiply-deprived households at the deprived end"


def test_ward_gap_and_summary(wh) -> None:
    gap = w.ward_gap(wh, "iod25-imd")
    vals = w.ward_values(wh, "iod25-imd").set_index("code")["value"]
    assert gap["worst_value"] == pytest.approx(vals.max()) and gap["best_value"] == pytest.approx(
        vals.min()
    )
    line = w.summary_line(wh)
    assert gap["worst_name"] in line and gap["best_name"] in line and "125" in line
    table = w.inequality_table(wh)
    assert table["layer"].is_unique and (table["gap"] >= 0).all()


def test_the_two_gaps_of_a_row_share_one_sign(wh) -> None:
    # issue 18: the ward gap and the modelled gap both say "positive = worse"
    row = w.inequality_table(wh, ["census-deprived-2plus"]).iloc[0]
    assert row["sii"] < 0  # the raw SII: fewer multiply-deprived households at the better-off end
    assert row["deprived_gap"] == pytest.approx(-row["sii"]) and row["deprived_gap"] > 0
    assert row["gap"] > 0
    # a higher-is-better layer turns round: worse at the deprived end is still positive
    assert w.deprived_end_gap(5.0, "higher-better") == pytest.approx(5.0)
    assert w.deprived_end_gap(5.0, "lower-better") == pytest.approx(-5.0)


def test_ranks_readers_see_put_the_best_first(wh) -> None:
    df = w.layer_frame(wh, "iod25-imd", "wd23").dropna(subset=["value"])
    best = df.loc[df["value"].idxmin()]  # the lowest deprivation score is the best ward
    assert best["rank_best"] == 1 and best["rank"] == len(df)


@pytest.mark.parametrize("layer_id", list(w.LAYERS))
def test_the_ranked_table_lists_the_worst_first(wh, layer_id) -> None:
    lyr = w.layer(layer_id)
    for geo in lyr.geographies:
        ordered = w.worst_first(w.layer_frame(wh, layer_id, geo))
        vals = ordered["value"].dropna().to_numpy()
        assert len(vals) > 1
        # lower-better: the highest value first; higher-better: the lowest first
        step = np.diff(vals) if lyr.polarity == "higher-better" else -np.diff(vals)
        assert (step >= 0).all(), (layer_id, geo, vals[:5])
        assert ordered["value"].iloc[: len(vals)].notna().all()  # areas with no value last


def test_the_straddle_note_counts_the_lookups_flags(wh, raw_dir) -> None:
    rows = _csv(raw_dir / "lookups/luton_lsoa21_to_ward2024.csv")
    text = w.straddle_note(wh)
    flagged = w.lsoa21_wards(wh).query("straddles")["lsoa_code"]
    assert len(flagged) == 6  # the "six LSOAs straddle ward boundaries"
    assert f"{len(flagged)} of Luton's {len(rows)} neighbourhoods straddle" in text
    labels = w.area_labels(wh, "lsoa21")
    assert all(labels[code] in text and code not in text for code in flagged)


def test_fmt_never_shows_negative_zero() -> None:
    assert (w.fmt(-0.004, 2), w.fmt(-0.04, 1), w.fmt(-0.001)) == ("0.00", "0.0", "0.00")
    assert (w.fmt(-1.25, 1), w.fmt(1234.5, 0), w.fmt(12.34), w.fmt(None)) == (
        "-1.2", "1,234", "12.3", "no data",
    )  # fmt: skip
