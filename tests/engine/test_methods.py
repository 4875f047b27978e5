"""The methods page's prose comes from lutonwb/engine/methods.md (lutonwb/engine/methods.py)."""

from __future__ import annotations

from lutonwb.engine.methods import METHODS_FILE, methods_prose


def test_methods_prose_has_every_topic_in_file_order():
    prose = methods_prose()
    assert list(prose) == [
        "source", "significance", "quintile", "computed", "reported", "group_average", "rank",
        "trend", "rag",
    ]  # fmt: skip
    assert prose["rag"].startswith("R = worse, A = similar, G = better")
    assert "Wilson score" in prose["significance"] and "\n" not in prose["significance"]


def test_methods_text_adds_this_builds_similar_areas_method(eng):
    text = eng.methods_text()
    assert list(text)[-1] == "similar"
    assert text["trend"] == methods_prose()["trend"]
    assert METHODS_FILE.read_text(encoding="utf-8").count("\n## ") == 9


def test_methods_prose_names_methods_in_readers_words():
    """Readers see the words the tables put beside each verdict, never the engine's codes."""
    from lutonwb.engine.vocab import METHOD_WORDS
    from tests.plain_text import internals

    text = " ".join(methods_prose().values())
    assert internals(text) == []
    assert f"“{METHOD_WORDS['ci (computed)']}”" in text
    assert f"“{METHOD_WORDS['reported']}”" in text
    assert "'computed'" not in text and "England quintile" not in text
