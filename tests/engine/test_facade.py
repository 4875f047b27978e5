"""The Engine facade's own rules: default comparator (lutonwb/engine/facade.py)."""

from __future__ import annotations


def test_default_group(extra):
    assert extra.default_group(measure_id="ow") == "cssnbt-2021"
    assert extra.default_group("childrens-trust") == "cssnbt-2021"
    # health-equity-town: tie, fp, inj england (3) v chk, brk similar (2)
    assert extra.default_group("health-equity-town") == "england"


def test_real_default_group_for_adult_board(real):
    assert real.default_group("health-equity-town") == "similar"
    assert real.default_group("childrens-trust") == "cssnbt-2021"
