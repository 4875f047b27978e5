"""AppTest: on every page the headings never skip a level (title h1, header h2, subheader h3).

Screen-reader users move through a page by its headings; a jump from h1 to h3 reads as a missing
section (WCAG 1.3.1, axe's heading-order). The walk covers everything the page draws, in order,
including headings written as markdown ('## ...').
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, HeadingBase, Markdown, Node

ROOT = Path(__file__).resolve().parents[2]
LUTON = "E06000032"
VIEWS = {
    "overview": ("pages/overview.py", {"area": LUTON, "cmp": "cssnbt-2021"}),
    "principle": ("pages/principle.py", {"area": LUTON, "principle": "1"}),
    "board": ("pages/board.py", {"area": LUTON, "board": "childrens-trust"}),
    "measure": ("pages/measure.py", {"area": LUTON, "m": "life-expectancy-male", "map": "1"}),
    "wards": ("pages/wards.py", {"ward": "E05014737"}),  # a ward's profile: one more subheader
    "plan": ("pages/plan.py", {"action": "ctb-2425-early-help-1"}),  # one action's details too
    "methods": ("pages/methods.py", {}),
}
LEVELS = {"title": 1, "header": 2, "subheader": 3}
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def _children(block: Block) -> list[Node]:
    return [block.children[i] for i in sorted(block.children)]


def headings(node: Node) -> list[tuple[int, str]]:
    """(level, text) of every heading under this node, in the order the page draws them."""
    if isinstance(node, HeadingBase):
        tag = getattr(node.proto, "tag", "")
        level = int(tag[1]) if re.fullmatch(r"h[1-6]", tag or "") else LEVELS[node.type]
        return [(level, node.value)]
    if isinstance(node, Markdown):
        out, fenced = [], False
        for line in str(node.value).splitlines():
            if line.lstrip().startswith("```"):
                fenced = not fenced
            m = None if fenced else MD_HEADING.match(line)
            if m:
                out.append((len(m.group(1)), m.group(2)))
        return out
    if isinstance(node, Block):
        return [h for child in _children(node) for h in headings(child)]
    return []


def skips(found: list[tuple[int, str]], start: int) -> list[str]:
    """Each heading more than one level deeper than the one before it (`start` before the first)."""
    out, previous = [], start
    for level, text in found:
        if level > previous + 1:
            out.append(f"h{previous} -> h{level} {text!r}")
        previous = level
    return out


def test_skips_are_found() -> None:
    assert skips([(1, "a"), (3, "b")], 0) == ["h1 -> h3 'b'"]
    assert skips([(1, "a"), (2, "b"), (3, "c"), (2, "d"), (1, "e")], 0) == []
    assert skips([(2, "a")], 0) == ["h0 -> h2 'a'"]  # the page's own h1 comes first


@pytest.mark.parametrize("name", list(VIEWS))
def test_headings_never_skip_a_level(name: str, warehouse_dir, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LUTONWB_TRACKER_DB", str(tmp_path / "tracker.duckdb"))
    monkeypatch.delenv("LUTONWB_DATABASE_URL", raising=False)
    page, params = VIEWS[name]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    main = headings(at.main)
    assert main and main[0][0] == 1, main[:3]  # the page opens with its title
    assert [t for lvl, t in main if lvl == 1] == [main[0][1]], "one h1 per page"
    assert len(main) >= 2, main  # the walk saw more than the title
    assert skips(main, 0) == []
    # the sidebar's headings sit under the page's title
    assert skips(headings(at.sidebar), 1) == []
