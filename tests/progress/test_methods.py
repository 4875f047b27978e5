"""The methods prose (lutonwb/progress/methods.md, filled by lutonwb.progress.methods_text)."""

from __future__ import annotations


def test_methods_prose_explains_every_status_and_the_thresholds():
    from lutonwb.catalogue import load_catalogue
    from lutonwb.progress import methods_text
    from lutonwb.progress.status import STATUSES

    text = methods_text(load_catalogue())
    for status in STATUSES:
        assert f"**{status}**" in text
    for number in ("0.95", "0.6", "2040", "2022", "Open SDG", "descriptive, not causal"):
        assert number in text
    assert "Child poverty (after housing costs): 0 by 2040" in text
    assert ".txt" not in text and "child-poverty-ahc" not in text  # no file names or ids on screen
