"""The engine tests' small world: real catalogue objects (`B` and `M` fill the fields a test does
not care about, `Cat` makes a `lutonwb.catalogue.Catalogue`) and hand-built warehouse tables,
every number hand-worked in the tests beside this file."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lutonwb.catalogue import Catalogue
from tests.catalogue_objects import B, Cat, M

LUTON, B_, C_, D_, E_, F_ = (
    "E06000032",
    "E06000055",
    "E06000056",
    "E10000015",
    "E10000012",
    "E06000033",
)
G_, H_, I_, J_ = "E09000002", "E09000003", "E09000004", "E09000005"
EAST, LONDON, ENG, LEGACY = "E12000006", "E12000007", "E92000001", "E10000021"
EAST_UTLAS = [LUTON, B_, C_, D_, E_, F_]
LONDON_UTLAS = [G_, H_, I_, J_]


def make_catalogue() -> Catalogue:
    ms = [
        M(
            "le",
            "Life expectancy",
            "years",
            "years",
            "higher-better",
            (B("t/le", sex="Female"),),
            principles=(6,),
            outcomes=("o1",),
            headline=True,
        ),
        M(
            "smk",
            "Smoking",
            "%",
            "percentage",
            "lower-better",
            (B("t/smk", scale=100),),
            principles=(6,),
            boards=("childrens-trust",),
        ),
        M("pay", "Pay", "£", "currency", "none", (B("t/pay"),), principles=(3,)),
        M(
            "gld",
            "School readiness",
            "%",
            "percentage",
            "higher-better",
            (B("t/gld"),),
            principles=(1,),
            boards=("childrens-trust",),
        ),
        M("lonely", "Loneliness", "%", "percentage", "lower-better", (), principles=(5,)),
    ]
    return Cat({m.id: m for m in ms})


def make_areas() -> pd.DataFrame:
    rows = [
        (ENG, "England", "england", "", True),
        (EAST, "East of England", "region", ENG, True),
        (LONDON, "London", "region", ENG, True),
    ]
    names = {
        LUTON: "Luton",
        B_: "Bee",
        C_: "Cee",
        D_: "Dee",
        E_: "Eee",
        F_: "Eff",
        G_: "Gee",
        H_: "Aitch",
        I_: "Eye",
        J_: "Jay",
    }
    rows += [(c, names[c], "utla", EAST, True) for c in EAST_UTLAS]
    rows += [(c, names[c], "utla", LONDON, True) for c in LONDON_UTLAS]
    rows += [(LEGACY, "Northamptonshire", "utla", "E12000004", False)]
    return pd.DataFrame(
        rows, columns=["area_code", "area_name", "area_type", "parent_code", "current"]
    ).assign(vintage="2023")


def _row(
    series,
    code,
    period,
    start,
    value,
    lo=np.nan,
    hi=np.nan,
    sex="Persons",
    sig="",
    count=np.nan,
    denom=np.nan,
    cat_type="",
    cat="",
):
    return {
        "series": series, "area_code": code, "period": period, "period_start": pd.Timestamp(f"{start}-01-01"),
        "period_end": pd.Timestamp(f"{start}-12-31"), "start_year": start, "end_year": start, "sex": sex, "value": value,
        "lower_ci": lo, "upper_ci": hi, "significance": sig, "count": count, "denominator": denom,
        "category_type": cat_type, "category": cat,
    }  # fmt: skip


LE_2021 = {LUTON: 80, B_: 82, C_: 80, D_: 83, E_: 78, F_: 81, G_: 84, H_: 80, I_: 79, J_: 85}


def make_values() -> pd.DataFrame:
    rows = []
    # life expectancy (female): Luton rises 78 -> 80 over five periods with tight limits
    for i, start in enumerate(range(2017, 2022)):
        label = f"{start}-{str(start + 2)[2:]}"
        rows.append(
            _row(
                "t/le",
                LUTON,
                label,
                start,
                78 + 0.5 * i,
                77.5 + 0.5 * i,
                78.5 + 0.5 * i,
                sex="Female",
            )
        )
        rows.append(_row("t/le", ENG, label, start, 82, 81.9, 82.1, sex="Female"))
    for code, v in LE_2021.items():
        if code != LUTON:
            lo, hi = (79, 81) if code == C_ else (v - 0.5, v + 0.5)
            rows.append(_row("t/le", code, "2021-23", 2021, v, lo, hi, sex="Female"))
    rows.append(
        _row("t/le", LUTON, "2021-23", 2021, 99, 98, 100, sex="Male")
    )  # other sex: filtered out
    rows.append(_row("t/le", EAST, "2021-23", 2021, 82.5, 82.4, 82.6, sex="Female"))
    rows.append(
        _row("t/le", LEGACY, "2021-23", 2021, 90, 89, 91, sex="Female")
    )  # legacy: never ranked
    rows.append(
        _row(
            "t/le",
            LUTON,
            "2021-23",
            2021,
            70,
            69,
            71,
            sex="Female",
            cat_type="Deprivation quintile",
            cat="Most deprived",
        )
    )
    # smoking (fraction x 100, lower is better, no limits, source judgement)
    rows += [
        _row("t/smk", LUTON, "2023", 2023, 0.15, sig="Worse"),
        _row("t/smk", ENG, "2023", 2023, 0.12),
        _row("t/smk", B_, "2023", 2023, 0.10),
        _row("t/smk", C_, "2023", 2023, 0.20),
        _row("t/smk", LUTON, "2022", 2022, 0.14, sig="Similar"),
        _row("t/smk", LEGACY, "2023", 2023, 0.01),
    ]
    # pay: no polarity, limits
    rows += [
        _row("t/pay", LUTON, "2024", 2024, 600, 580, 620),
        _row("t/pay", ENG, "2024", 2024, 650, 648, 652),
        _row("t/pay", B_, "2024", 2024, 700, 690, 710),
    ]
    # school readiness: Luton has no value in the latest year
    rows += [
        _row("t/gld", LUTON, "2022/23", 2022, 61.1),
        _row("t/gld", ENG, "2022/23", 2022, 67.2),
        _row("t/gld", B_, "2023/24", 2023, 70),
        _row("t/gld", ENG, "2023/24", 2023, 68),
    ]
    df = pd.DataFrame(rows)
    df["area_name"] = ""
    df["area_type"] = ""
    return df


def make_groups() -> pd.DataFrame:
    rows = []
    for rank, (code, name) in enumerate(
        [(B_, "Bee"), (G_, "Gee"), (LEGACY, "Northamptonshire"), (E_, "Eee")], 1
    ):
        rows.append(
            {
                "group_id": "cssnbt-2021",
                "area_code": LUTON,
                "member_code": code,
                "member_name": name,
                "rank": rank,
                "closeness": "",
            }
        )
    rows.append(
        {
            "group_id": "cssnbt-2025",
            "area_code": B_,
            "member_code": LUTON,
            "member_name": "Luton",
            "rank": 1,
            "closeness": "",
        }
    )
    return pd.DataFrame(rows)


def make_reported() -> pd.DataFrame:
    base = {
        "document": "000_x.txt",
        "section": "s",
        "area": "Luton",
        "value": np.nan,
        "value_text": "",
        "rank_text": "",
        "questionable": False,
        "note": "",
    }
    return pd.DataFrame(
        [
            {
                **base,
                "measure_id": "le",
                "table": "JSNA 2021/22",
                "period": "2017-19",
                "rag_england": "R",
                "rag_region": "A",
                "rag_neighbours": "A",
                "trend": "Improving",
            },
            {
                **base,
                "measure_id": "le",
                "table": "JSNA 2022/23",
                "period": "2018-20",
                "rag_england": "R",
                "rag_region": "R",
                "rag_neighbours": "A",
                "trend": "No change",
            },
            {
                **base,
                "measure_id": "lonely",
                "table": "APHR 2023 key measures",
                "period": "2022",
                "rag_england": "",
                "rag_region": "",
                "rag_neighbours": "",
                "trend": "",
            },
        ]
    )


def row(df: pd.DataFrame, mid: str) -> pd.Series:
    return df.set_index("measure_id").loc[mid]


# -- bindings, breaks, computed limits, notes (hand-built) ---------------------------------------
def _quarter_row(series, code, q, value):
    """A cumulative quarterly point: every period starts 2021-04-01."""
    end = pd.Timestamp("2021-04-01") + pd.DateOffset(months=3 * q) - pd.Timedelta(days=1)
    r = _row(series, code, f"Q{q}", 2021, value)
    r.update(period_start=pd.Timestamp("2021-04-01"), period_end=end)
    return r


# -- the real warehouse and catalogue ------------------------------------------------------------
REAL_AREAS = [
    "E06000032",
    "E06000039",
    "E08000025",
    "E06000052",
]  # Luton, Slough, Birmingham, Cornwall


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False, check_exact=True
    )
