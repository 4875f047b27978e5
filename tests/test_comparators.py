"""Comparator groups: published neighbours, custom lists and the open similar-areas method."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lutonwb import comparators as cmp


def test_group_ids_are_the_public_contract():
    assert cmp.GROUP_IDS == (
        "england",
        "region",
        "cssnbt-2021",
        "cssnbt-2025",
        "similar",
        "all",
        "custom",
    )


@pytest.mark.parametrize(
    ("codes", "ok", "n_messages"),
    [
        (["E06000032", "e06000039", " E06000039 "], ["E06000032", "E06000039"], 0),
        (["E06000032", "E99999999", ""], ["E06000032"], 1),
        (["E10000021"], [], 1),  # legacy Northamptonshire: not current
        ([], [], 0),
    ],
)
def test_validate_custom(codes, ok, n_messages):
    got, messages = cmp.validate_custom(
        codes, ["E06000032", "E06000039"], {"E10000021": "Northamptonshire"}
    )
    assert got == ok and len(messages) == n_messages
    if "E10000021" in codes:
        assert "Northamptonshire" in messages[0]


def test_published_neighbours_drop_legacy_and_self():
    g = pd.DataFrame(
        {
            "group_id": ["cssnbt-2021"] * 4 + ["cssnbt-2025"],
            "area_code": ["A", "A", "A", "A", "A"],
            "member_code": ["B", "E10000021", "A", "C", "D"],
            "member_name": ["b", "Northamptonshire", "a", "c", "d"],
            "rank": [1, 2, 3, 4, 1],
        }
    )
    out = cmp.published_neighbours(g, "cssnbt-2021", ["A", "B", "C", "D"])
    assert list(out["member"]) == ["B", "C"]
    assert cmp.dropped_legacy(g, "cssnbt-2021", "A", ["A", "B", "C", "D"]) == [
        "Northamptonshire (E10000021)"
    ]


def test_similar_areas_hand_worked():
    # two variables; z-scores make the nearest obvious: A~B, C~D, E far from all
    m = pd.DataFrame(
        {"x": [0.0, 0.1, 5.0, 5.1, 20.0], "y": [1.0, 1.0, 3.0, 3.0, 9.0]}, index=list("ABCDE")
    )
    out = cmp.similar_areas(m, k=2)
    first = out[out["rank"] == 1].set_index("home")["member"].to_dict()
    assert first == {"A": "B", "B": "A", "C": "D", "D": "C", "E": "D"}
    assert (out.groupby("home").size() == 2).all()
    # distance A-B by hand: sd_x = np.std([0,.1,5,5.1,20]), y identical -> |0.1| / sd_x
    sd = np.std([0.0, 0.1, 5.0, 5.1, 20.0])
    assert out[(out["home"] == "A") & (out["member"] == "B")]["distance"].iloc[0] == pytest.approx(
        0.1 / sd
    )


def test_similar_areas_missing_values_rescaled():
    m = pd.DataFrame(
        {"x": [0.0, 0.0, 1.0, np.nan], "y": [0.0, 1.0, 1.0, 0.0], "z": [0.0, 0.0, 0.0, 0.0]},
        index=list("ABCD"),
    )
    out = cmp.similar_areas(m, k=3)
    # D lacks x; with 2 of 3 variables shared the distance is scaled by sqrt(3/2)
    d_a = out[(out["home"] == "D") & (out["member"] == "A")]["distance"].iloc[0]
    sd_y = np.std([0.0, 1.0, 1.0, 0.0])
    assert d_a == pytest.approx(0.0)
    d_b = out[(out["home"] == "D") & (out["member"] == "B")]["distance"].iloc[0]
    assert d_b == pytest.approx(np.sqrt((1 / sd_y) ** 2 * 3 / 2))


def _similar_by_brute_force(m: pd.DataFrame, k: int) -> list[tuple[str, str, int]]:
    """Every pair's distance in plain Python, sorted by (distance, member code)."""
    x = m.to_numpy(dtype=float)
    sd = np.nanstd(x, axis=0)
    sd[~(sd > 0)] = 1.0
    z = (x - np.nanmean(x, axis=0)) / sd
    nvar, codes, out = x.shape[1], list(m.index), []
    for i, home in enumerate(codes):
        cands = []
        for j, member in enumerate(codes):
            shared = [v for v in range(nvar) if not np.isnan(z[i, v]) and not np.isnan(z[j, v])]
            if i == j or len(shared) < max(1, (nvar + 1) // 2):
                continue
            d = np.sqrt(sum((z[i, v] - z[j, v]) ** 2 for v in shared) * nvar / len(shared))
            cands.append((d, member))
        for r, (_, member) in enumerate(sorted(cands)[:k], 1):
            out.append((home, member, r))
    return out


@pytest.mark.parametrize("chunk", [1, 7, 512])
def test_similar_areas_blockwise_matches_brute_force_with_ties(chunk):
    # integer values on few variables give many equal distances: ties go to the lower code
    rng = np.random.default_rng(5)
    x = rng.integers(0, 3, size=(60, 3)).astype(float)
    x[rng.random(x.shape) < 0.15] = np.nan
    codes = [f"E06{c:06d}" for c in rng.permutation(200)[:60]]
    m = pd.DataFrame(x, index=codes)
    out = cmp.similar_areas(m, k=5, chunk=chunk)
    got = list(zip(out["home"], out["member"], out["rank"], strict=True))
    assert got == _similar_by_brute_force(m, 5)


def test_context_matrix_picks_latest_well_covered_period():
    codes = [f"E0600000{i}" for i in range(1, 5)]
    rows = []
    for i, c in enumerate(codes):
        rows.append(
            {
                "series": "ons-els/employment-rate/employment-rate",
                "area_code": c,
                "period": "2022",
                "period_start": pd.Timestamp("2022-01-01"),
                "value": 70 + i,
                "sex": "Persons",
                "category_type": "",
            }
        )
    rows.append(
        {
            "series": "ons-els/employment-rate/employment-rate",
            "area_code": codes[0],
            "period": "2023",
            "period_start": pd.Timestamp("2023-01-01"),
            "value": 99,
            "sex": "Persons",
            "category_type": "",
        }
    )
    rows.append(
        {
            "series": "ons-els/employment-rate/economically-inactive",
            "area_code": codes[0],
            "period": "2022",
            "period_start": pd.Timestamp("2022-01-01"),
            "value": 1,
            "sex": "Persons",
            "category_type": "",
        }
    )
    matrix, used = cmp.context_matrix(pd.DataFrame(rows), codes)
    assert list(matrix.columns) == ["employment"]
    assert matrix["employment"].tolist() == [70, 71, 72, 73]  # 2023 covers 1 of 4: not used
    assert used[0]["period"] == "2022" and used[0]["areas"] == 4


def test_method_text_says_cipfa_is_licensed():
    text = cmp.similar_areas_method(
        [{"key": "gdhi", "label": "GDHI", "series": "s", "period": "2023", "areas": 150}]
    )
    assert "licensed product" in text and "not in our data" in text
    assert "GDHI (2023, 150 authorities" in text
    assert "Not available in this build" in text


def test_utla_deprivation_from_district_summaries():
    """IoD 2025 average score, mean of a county's districts; IMD 2019 where 2025 is missing."""
    from lutonwb.comparators import context_matrix, utla_deprivation

    iod = pd.DataFrame(
        [
            ("IoD2025", "E06000032", "imd", "average_score", 30.0),  # a unitary: itself
            ("IoD2025", "E07000001", "imd", "average_score", 10.0),  # county X, district 1
            ("IoD2025", "E07000002", "imd", "average_score", 20.0),  # county X, district 2
            ("IoD2025", "E07000002", "imd", "rank_of_average_score", 99.0),  # other measure
            ("IoD2019", "E06000099", "imd", "score", 25.0),  # only in 2019
            ("IoD2019", "E06000032", "imd", "score", 99.0),  # 2025 wins for Luton
            ("IoD2025", "E07000009", "income", "average_score", 0.5),  # other domain
        ],
        columns=["edition", "ltla_code", "domain", "measure", "value"],
    )
    lookup = pd.DataFrame(
        {"ltla_code": ["E07000001", "E07000002"], "utla_code": ["E10000001", "E10000001"]}
    )
    score, info = utla_deprivation(
        iod, lookup, ["E06000032", "E10000001", "E06000099", "E06000098"]
    )
    assert score.loc["E06000032"] == 30.0 and score.loc["E10000001"] == 15.0
    assert score.loc["E06000099"] == 25.0 and np.isnan(score.loc["E06000098"])
    assert info["areas"] == 3 and "IoD 2025 (2 authorities)" in info["period"]
    assert "IMD 2019 (1 authorities)" in info["period"]
    matrix, used = context_matrix(pd.DataFrame(), list(score.index), (score, info))
    assert matrix["deprivation"].loc["E10000001"] == 15.0 and used[0]["key"] == "deprivation"
    assert utla_deprivation(None, None, ["E06000032"])[1] is None


def test_sidebar_choices_are_names_a_shared_name_gets_its_region_never_a_code():
    auth = pd.DataFrame(
        {
            "area_code": ["E06000032", "E06000039", "E99000001", "E99000002"],
            "area_name": ["Luton", "Slough", "Newport", "Newport"],
            "region_name": ["East of England", "South East", "North East", "South West"],
        }
    )
    assert cmp.area_choice_labels(auth) == {
        "E06000032": "Luton",
        "E06000039": "Slough",
        "E99000001": "Newport, North East",
        "E99000002": "Newport, South West",
    }


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("Region", "region"),
        ("England", "England"),
        ("Similar areas (open method)", "similar areas (open method)"),
        ("Statistical neighbours (CSSNBT 2021)", "statistical neighbours (CSSNBT 2021)"),
        ("CIPFA neighbours", "CIPFA neighbours"),
        ("", ""),
    ],
)
def test_a_group_label_mid_sentence_is_lower_case_unless_a_proper_name(label, words):
    assert cmp.label_in_sentence(label) == words


def test_the_custom_group_is_described_without_codes():
    custom = next(g for g in cmp.GROUPS if g.id == "custom")
    assert custom.description == "Authorities you choose." and "GSS" not in custom.description
