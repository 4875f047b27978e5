"""The plan loader: the real transcription, and malformed variants that must name file, line, field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lutonwb.catalogue import load_catalogue
from lutonwb.ingest import plan
from lutonwb.ingest.errors import BuildError
from lutonwb.text import split_list

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tables() -> dict:
    return plan.build(ROOT / "data" / "raw")


def test_actions_per_board_and_phase(tables) -> None:
    df = tables["plan_actions"]
    counts = df[df["plan"] == "refreshed-2024-25"].groupby("board").size().to_dict()
    assert counts == {
        "childrens-trust": 27,
        "health-equity-town": 42,
        "at-place": 29,
        "health-protection": 16,
        "community-safety": 5,
    }
    five = df[df["plan"] == "five-year"].groupby("phase").size().to_dict()
    assert five == {"Year 1": 35, "Years 2-3": 16, "Years 4-5": 4}
    assert df["action_id"].is_unique


def test_known_actions(tables) -> None:
    df = tables["plan_actions"].set_index("action_id")
    row = df.loc["ctb-2425-early-help-1"]
    assert row["action"].startswith("Early Help plan to be developed")
    assert row["timescale"] == "by September 2024"
    assert row["outcomes"] == "cft-safe-services;cft-opportunities;cft-voice"
    assert "Children's Trust Board table" in row["section"]
    fam = df.loc["5yr-y1-ctb-early-years-offer-and-family-hubs-1"]
    assert fam["action"] == "Launch of family hubs offer and communicated across system"
    assert "4 family hubs" in fam["review_progress"]
    assert fam["section"].endswith("progress: 5. Review against actions agreed in year one")
    assert df.loc["hpc-2425-tb-1", "timescale"] == "twice yearly"


def test_phases(tables) -> None:
    ph = tables["plan_phases"]
    start_y23 = ph[(ph["life_course"] == "start") & (ph["phase"] == "Years 2-3")][
        "expected_outcome"
    ]
    assert "Decreasing % DMFT" in set(start_y23)
    assert len(ph) == 39


def _copy(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / "plan", raw / "plan")
    return raw


def _edit(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (",childrens-trust,", ",childrens-trusts,", "board"),
        ("pw-healthier-start", "healthier-start", "outcomes"),
        (",2024-25,refreshed-2024-25,", ",Year 1,refreshed-2024-25,", "phase"),
        (",refreshed-2024-25,", ",refreshed,", "plan"),
        ("000_82e4ac469812e20e.txt", "review.pdf", "document"),
        ("ctb-2425-child-healthy-weight-1", "CTB 1", "action_id"),
    ],
)
def test_malformed_names_line_and_field(tmp_path: Path, old: str, new: str, field: str) -> None:
    raw = _copy(tmp_path)
    _edit(raw / plan.ACTIONS_FILE, 2, old, new)
    with pytest.raises(BuildError) as exc:
        plan.build(raw)
    first = exc.value.errors[0]
    assert (first.file, first.line, first.field) == ("plan/plan_actions.csv", 2, field)
    assert "plan/plan_actions.csv, line 2" in str(exc.value)


def test_duplicate_id_and_unknown_measure(tmp_path: Path) -> None:
    raw = _copy(tmp_path)
    _edit(
        raw / plan.ACTIONS_FILE,
        3,
        "ctb-2425-child-healthy-weight-2",
        "ctb-2425-child-healthy-weight-1",
    )
    with pytest.raises(BuildError) as exc:
        plan.build(raw)
    assert "a unique id (also on line 2)" in str(exc.value)


def test_unknown_measure(tmp_path: Path) -> None:
    raw = _copy(tmp_path)
    _edit(raw / plan.ACTIONS_FILE, 2, ",obesity-year-6;", ",no-such-measure;")
    with pytest.raises(BuildError) as exc:
        plan.build(raw)
    assert (exc.value.errors[0].line, exc.value.errors[0].field) == (2, "measures")
    assert "no-such-measure" in str(exc.value)


def test_missing_column(tmp_path: Path) -> None:
    raw = _copy(tmp_path)
    _edit(raw / plan.ACTIONS_FILE, 1, ",section", ",where")
    with pytest.raises(Exception, match=r"plan/plan_actions.csv, line 1, field 'section'"):
        plan.build(raw)


def test_measure_links_share_board_and_outcome(tables) -> None:
    """Every linked measure is one of the action's board's measures serving one of its outcomes."""
    measures = load_catalogue().measures
    df = tables["plan_actions"]
    linked = 0
    for row in df.to_dict("records"):
        for mid in split_list(row["measures"]):
            m = measures[mid]
            assert row["board"] in m.boards, (row["action_id"], mid)
            assert set(split_list(row["outcomes"])) & set(m.outcomes), (
                row["action_id"],
                mid,
            )
            linked += 1
    assert linked > 150
    oral = df.set_index("action_id").loc["ctb-2425-oral-health-1", "measures"]
    assert oral == "dental-decay-5-year-olds"


def test_a_place_with_no_plan_builds_no_plan_tables(tmp_path, monkeypatch) -> None:
    """The example place follows no plan: the loader publishes nothing, so the page can say so."""
    monkeypatch.setenv("LUTONWB_PLACE", str(ROOT / "data" / "places" / "example"))
    assert plan.build(ROOT / "data" / "raw") == {}


def test_plans_and_phases_come_from_the_place() -> None:
    keys = plan.catalogue_keys()
    assert keys.plans == {
        "refreshed-2024-25": ("2024-25",),
        "five-year": ("Year 1", "Years 2-3", "Years 4-5"),
    }
    assert keys.phases == ("2024-25", "Year 1", "Years 2-3", "Years 4-5")
