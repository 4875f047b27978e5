"""The static tables a page drew, as AppTest sees them, in the page's order.

A static table (lutonwb.ui.widgets.table) is one markdown table inside a container keyed
`phone-table-<key>`; it is read back here as a frame: cells unescaped, a rating's colour
directive reduced to its words, every cell as the text shown (numbers too). A few
small tables are still st.table elements (the ward map's legend of colour swatches); they are
listed in place, as AppTest gives them.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
from streamlit.testing.v1 import AppTest

CELL_SEPARATOR = re.compile(r"(?<!\\)\|")
COLOUR_DIRECTIVE = re.compile(r":color\[((?:\\.|[^\]\\])*)\]\{[^}]*\}")
ESCAPED = re.compile(r"\\(.)")
STATIC_TABLE_BLOCK = "-phone-table-"


def cell_text(raw: str) -> str:
    """A markdown cell's text as the reader sees it."""
    return ESCAPED.sub(r"\1", COLOUR_DIRECTIVE.sub(r"\1", raw.strip()))


def cells(line: str) -> list[str]:
    return [cell_text(c) for c in CELL_SEPARATOR.split(line.strip())[1:-1]]


def parse_markdown_table(text: str) -> pd.DataFrame:
    """One markdown table (header, alignment row, rows) as a frame of its shown cells."""
    lines = [line for line in str(text).splitlines() if line.strip()]
    header, rows = cells(lines[0]), [cells(line) for line in lines[2:]]
    return pd.DataFrame(rows, columns=header, dtype=object)


def static_tables(at: AppTest) -> list[SimpleNamespace]:
    """Every static table on the page, in order, each with `.value` (a frame) and `.text` (its
    markdown); st.table elements are given as AppTest's own (with `.value` and `.proto`)."""
    found: list[object] = []

    def walk(node: object, in_table_block: bool) -> None:
        for child in getattr(node, "children", {}).values():
            kind = getattr(child, "type", "")
            proto_id = str(getattr(getattr(child, "proto", None), "id", ""))
            if kind == "table":
                found.append(child)
            elif kind == "markdown" and in_table_block:
                found.append(
                    SimpleNamespace(
                        value=parse_markdown_table(child.value), proto=None, text=child.value
                    )
                )
            if hasattr(child, "children"):
                walk(child, in_table_block or STATIC_TABLE_BLOCK in proto_id)

    walk(at._tree, False)
    return found  # type: ignore[return-value]
