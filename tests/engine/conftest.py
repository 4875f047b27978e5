"""Engines shared by the engine tests: the hand-built world, the extra world, the real build."""

from __future__ import annotations

import pandas as pd
import pytest

from lutonwb.engine import Engine
from tests.engine.build import (
    B_,
    C_,
    ENG,
    LUTON,
    B,
    Cat,
    M,
    _quarter_row,
    _row,
    make_areas,
    make_catalogue,
    make_groups,
    make_reported,
    make_values,
)


@pytest.fixture(scope="session")
def eng() -> Engine:
    return Engine.from_frames(
        make_catalogue(), make_values(), make_areas(), make_groups(), make_reported()
    )


@pytest.fixture(scope="session")
def real(wh):
    from lutonwb.catalogue import load_catalogue

    return Engine(wh, load_catalogue(), snapshot=False)  # the live computation, always


def make_extra():
    ms = [
        # two bindings: the first stops in 2019, the second runs to 2023 -> the second is used
        M(
            "ow",
            "Overweight",
            "%",
            "percentage",
            "lower-better",
            (B("t/ow-old"), B("t/ow-new", source="Newer publisher", note="same definition")),
            default_comparator="cssnbt-2021",
            boards=("childrens-trust",),
        ),
        # ties on the latest period end go to the first listed
        M("tie", "Tie", "%", "percentage", "lower-better", (B("t/tie-a"), B("t/tie-b"))),
        M(
            "chk",
            "Health checks",
            "%",
            "percentage",
            "higher-better",
            (B("t/chk"),),
            trend="none",
            trend_note="cumulative series",
            default_comparator="similar",
        ),
        M(
            "brk",
            "Break",
            "%",
            "percentage",
            "higher-better",
            (B("t/brk"),),
            trend_from="2019-01-01",
            default_comparator="similar",
        ),
        M("fp", "Fuel poverty", "%", "percentage", "lower-better", (B("t/fp"),)),
        M("inj", "Injuries", "per 100,000", "rate", "lower-better", (B("t/inj"),)),
    ]
    rows = []
    for i, y in enumerate(range(2015, 2020)):
        for code in (LUTON, B_, ENG):
            rows.append(_row("t/ow-old", code, str(y), y, 30 + i, 29 + i, 31 + i))
    for i, y in enumerate(range(2019, 2024)):
        for code in (LUTON, B_, ENG):
            rows.append(_row("t/ow-new", code, str(y), y, 40 - i))
    for code in (LUTON, ENG):
        rows.append(_row("t/tie-a", code, "2020", 2020, 11.0))
        rows.append(_row("t/tie-b", code, "2020", 2020, 22.0))
    # cumulative: rises every quarter; added out of order on purpose
    for q, v in ((4, 40.0), (1, 10.0), (3, 30.0), (2, 20.0), (5, 50.0)):
        rows.append(_quarter_row("t/chk", LUTON, q, v))
        rows.append(_quarter_row("t/chk", ENG, q, v / 2))
    # a break: 2015-2018 fall steeply, 2019-2023 flat with noise -> no significant change
    for i, y in enumerate(range(2015, 2019)):
        rows.append(_row("t/brk", LUTON, str(y), y, 90 - 10 * i))
    for y, v in zip(range(2019, 2024), (50, 51, 49, 50, 50.5), strict=True):
        rows.append(_row("t/brk", LUTON, str(y), y, v))
    # count and denominator, no limits: Luton 150/1000 = 15%, England 10%; C_ a zero from 3
    rows.append(_row("t/fp", LUTON, "2022", 2022, 15.0, count=150, denom=1000))
    rows.append(_row("t/fp", ENG, "2022", 2022, 10.0, count=10000, denom=100000))
    rows.append(_row("t/fp", B_, "2016", 2016, 12.0, count=120, denom=1000))
    rows.append(_row("t/fp", B_, "2022", 2022, 9.9, count=99, denom=1000))
    rows.append(_row("t/fp", C_, "2022", 2022, 0.0, count=0, denom=3))
    # a crude rate: 40 events in 100,000 = 40 per 100,000
    rows.append(_row("t/inj", LUTON, "2022", 2022, 40.0, count=40, denom=100000))
    rows.append(_row("t/inj", ENG, "2022", 2022, 30.0))
    cat = Cat({m.id: m for m in ms})
    return Engine.from_frames(cat, pd.DataFrame(rows), make_areas())


@pytest.fixture(scope="session")
def extra() -> Engine:
    return make_extra()


# -- precomputed ratings (snapshot beside the build) -----------------------------------------------
@pytest.fixture(scope="session")
def wh_copy(warehouse_dir, tmp_path_factory):
    """A private copy of the built warehouse, so snapshots written here touch nobody else."""
    import shutil

    from lutonwb.db import Warehouse

    folder = tmp_path_factory.mktemp("wh-snapshot") / "build"
    shutil.copytree(warehouse_dir.resolve(), folder, ignore=shutil.ignore_patterns("engine"))
    return Warehouse(folder)
