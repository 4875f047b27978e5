"""targets.yaml: the place's settings, the stated targets, and errors naming file, line and key."""

from __future__ import annotations

import math

import pytest
import yaml

from lutonwb import config
from lutonwb.progress.targets import TargetsError, load_targets
from tests.conftest import SEEDS_DIR


def test_luton_targets_state_designation_year_and_documented_targets():
    t = load_targets(config.place_dir())
    assert (t.designation_year, t.default_target_year) == (2022, 2040)
    assert t.explicit["child-poverty-ahc"].value == 0.0
    assert "no one should live in poverty by 2040" in t.explicit["child-poverty-ahc"].source
    assert "Carbon Neutral by 2040" in t.explicit["greenhouse-gas-emissions"].source


def test_quotes_are_in_the_cited_seed_documents():
    seeds = SEEDS_DIR
    if not seeds.is_dir():
        pytest.skip("seed documents not on this machine")
    doc = yaml.safe_load((config.place_dir() / "targets.yaml").read_text(encoding="utf-8"))
    for entry in doc["targets"]:
        text = " ".join((seeds / entry["file"]).read_text(encoding="utf-8").split())
        assert entry["quote"] in text, entry["measure"]


def test_default_target_is_england_latest_by_default_year():
    t = load_targets(config.place_dir())
    d = t.for_measure("claimant-count", 4.0)
    assert (d.value, d.year, d.explicit) == (4.0, 2040, False)
    assert d.source.startswith("a default target: England's latest value, to be reached by 2040")
    assert "(default)" not in d.source  # internal wording: said in plain words instead
    assert math.isnan(t.for_measure("claimant-count", math.nan).value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("default_target_year: 2040\ntargets: []\n", "key designation_year: required"),
        (
            "designation_year: 2022\ndefault_target_year: 2040\ntargets:\n"
            "  - measure: x\n    value: 0\n    year: 2040\n",
            "line 4, key targets[0].document: required",
        ),
        (
            "designation_year: 2022\ndefault_target_year: 2040\ntargets:\n  - measure: x\n"
            "    value: lots\n    year: 2040\n    document: d\n    section: s\n    quote: q\n",
            "line 5, key targets[x].value: must be a number",
        ),
        ("designation_year: [\n", "not valid YAML"),
    ],
)
def test_errors_name_file_line_and_key(tmp_path, text, message):
    (tmp_path / "targets.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(TargetsError) as err:
        load_targets(tmp_path)
    assert str(tmp_path / "targets.yaml") in str(err.value)
    assert message in str(err.value)


def test_missing_file_names_it(tmp_path):
    with pytest.raises(TargetsError, match="no targets file"):
        load_targets(tmp_path)
