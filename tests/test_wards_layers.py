"""The map layers file: loaded into MapLayers, checked on load with errors naming file, line and
key; and the plain-English words the ward maps use for values, ranks and neighbourhoods."""

from __future__ import annotations

from pathlib import Path

import pytest

from lutonwb import wards as w
from lutonwb.ingest.deprivation import DOMAINS

GOOD = """layers:
- id: fuel-poverty
  title: Fuel poverty 2022
  unit: '% of households'
  polarity: lower-better
  geographies: [wd23, lsoa21]
  edition: '2022'
  description: Share of households in fuel poverty.
  source: DESNZ
  kind: fuel
"""


def _load(tmp_path: Path, text: str) -> dict[str, w.MapLayer]:
    path = tmp_path / "layers.yaml"
    path.write_text(text, encoding="utf-8")
    return w.load_layers(path)


def test_the_bundled_file_declares_every_domain_at_wards_and_neighbourhoods() -> None:
    layers = w.load_layers()
    assert len(layers) == 91 and list(layers)[:2] == ["composite", "iod25-imd"]
    for dom in DOMAINS:
        assert layers[f"iod25-{dom}"].geographies == ("wd23", "lsoa21")
        assert layers[f"imd19-{dom}"].geographies == ("wd13",)
    assert layers["iod25-decile-imd"].decimals == 0 and layers["iod25-income"].decimals == 1
    assert w.FUEL_POVERTY_YEAR == 2022


def test_a_good_entry_loads_with_defaults(tmp_path) -> None:
    lyr = _load(tmp_path, GOOD)["fuel-poverty"]
    assert (lyr.geographies, lyr.measure, lyr.detail, lyr.decimals) == (
        ("wd23", "lsoa21"),
        "score",
        False,
        1,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("polarity: lower-better", "polarity: up"), "line 5, key layers[fuel-poverty].polarity: 'up' is not one of"),
        (("geographies: [wd23, lsoa21]", "geographies: [ward]"), "line 6, key layers[fuel-poverty].geographies"),
        (("kind: fuel", "kind: fuel\n  colour: red"), "line 11, key layers[fuel-poverty].colour: unknown key"),
        (("kind: fuel", "kind: fuel\n  decimals: one"), "line 11, key layers[fuel-poverty].decimals: must be a whole number"),
        (("  source: DESNZ\n", ""), "line 2, key layers[fuel-poverty].source: missing"),
        (("title: Fuel poverty 2022", "title: ''"), "line 3, key layers[fuel-poverty].title: must be a non-empty text"),
    ],
)  # fmt: skip
def test_errors_name_file_line_and_key(tmp_path, change, message) -> None:
    with pytest.raises(w.LayerFileError) as err:
        _load(tmp_path, GOOD.replace(*change))
    assert str(err.value).startswith("layers.yaml, ") and message in str(err.value)


def test_a_repeated_id_and_a_broken_file_are_refused(tmp_path) -> None:
    with pytest.raises(w.LayerFileError, match=r"line 11, key layers\[fuel-poverty\].id: repeated"):
        _load(tmp_path, GOOD + GOOD.removeprefix("layers:\n"))
    with pytest.raises(w.LayerFileError, match="layers.yaml, line 3: not valid YAML: .*expected"):
        _load(tmp_path, "layers:\n  - [unclosed\n")
    with pytest.raises(w.LayerFileError, match="a list named layers"):
        _load(tmp_path, "tiles: []\n")


@pytest.mark.parametrize(
    ("decile", "words"),
    [(1, "among the 10% most deprived areas in England"), (2.0, "among the 20% most deprived areas in England"),
     (5, "among the 50% most deprived areas in England"), (6, "among the 50% least deprived areas in England"),
     (10, "among the 10% least deprived areas in England"), (float("nan"), "no data")],
)  # fmt: skip
def test_decile_words(decile, words) -> None:
    assert w.decile_words(decile) == words


@pytest.mark.parametrize(
    ("layer_id", "value", "words"),
    [("iod25-imd", 43.21, "43.2 score"), ("iod25-decile-imd", 1, "among the 10% most deprived areas in England"),
     ("iod25-rank-imd", 1234, "the 1,234th most deprived neighbourhood in England"),
     ("iod25-income", 55.44, "55.4% of residents"),
     ("composite", -0.456, "-0.46 score (0 = the average ward; higher is better)")],
)  # fmt: skip
def test_value_words(layer_id, value, words) -> None:
    assert w.value_words(w.layer(layer_id), value) == words


def test_rank_words() -> None:
    assert w.rank_words(w.layer("iod25-imd"), 1, 20, "wd23") == "the most deprived of 20 wards"
    assert (
        w.rank_words(w.layer("iod25-imd"), 22, 125, "lsoa21")
        == "22nd most deprived of 125 neighbourhoods"
    )
    assert w.rank_words(w.layer("composite"), 3, 20, "wd23") == "3rd lowest-scoring of 20 wards"
    assert [w.ordinal(n) for n in (1, 2, 3, 11, 12, 13, 21, 112)] == [
        "1st", "2nd", "3rd", "11th", "12th", "13th", "21st", "112th"
    ]  # fmt: skip


def test_neighbourhoods_are_numbered_within_their_ward(wh) -> None:
    hoods = w.neighbourhoods(wh)
    assert len(hoods) == 125 and hoods["label"].is_unique
    biscot = hoods[hoods["ward_name"] == "Biscot"]
    assert list(biscot["label"]) == [
        f"Neighbourhood {k} of Biscot" for k in range(1, len(biscot) + 1)
    ]
    assert biscot["code"].is_monotonic_increasing
    assert len(w.neighbourhoods(wh, "lsoa11")) == 121


def test_find_my_ward_searches_wards_and_neighbourhoods(wh) -> None:
    index = w.search_index(wh)
    assert len(index) == 20 + 125
    hood = index[index["code"] == "E01015693"].iloc[0]
    assert hood["text"].endswith("(Luton 007A)") and hood["ward_code"] == "E05014735"
    assert index[index["text"] == "Biscot"]["ward_code"].tolist() == ["E05014737"]


def test_map_text_is_plain_english(wh) -> None:
    df, _ = w.coloured(wh, "iod25-decile-imd", "lsoa21")
    row = df[df["code"] == "E01015693"].iloc[0]
    assert row["label"].startswith("Neighbourhood ") and row["label"].endswith(" of Barnfield")
    assert "areas in England" in row["display"] and "of 125 neighbourhoods" in row["display"]


def test_profile_says_deciles_in_words(wh) -> None:
    p = w.ward_profile(wh, "E05014737")
    text = w.change_words(p["name"], p["change"])
    assert "Biscot has" in text and "most deprived areas in England" in text
    assert "decile" not in text
    assert p["values"]["range"].str.contains(" to ").all()
