"""AppTest: the lazy sections for the example place (Coventry), which has no boards and no ward
files: the measure page's and the methods page's sections are closed by default and opened by
their URL keys, with Coventry's own figures inside."""

from __future__ import annotations

import pytest

from tests.app.test_example_place import COVENTRY, PAGES, example  # noqa: F401 (a fixture)
from tests.app.test_lazy_sections import SECTIONS as LUTON_SECTIONS
from tests.app.test_lazy_sections import drawn, section
from tests.app.test_pages import open_view, table_with

pytestmark = pytest.mark.usefixtures("example")  # every test here runs for Coventry

# the Luton sections that exist without boards and ward files
SECTIONS = [s for s in LUTON_SECTIONS if s[0] in ("measure", "methods")]


@pytest.mark.parametrize(
    ("page", "params", "key", "heading"), SECTIONS, ids=[f"{p}-{k}" for p, _, k, _ in SECTIONS]
)
def test_closed_by_default_open_by_link(page, params, key, heading) -> None:
    closed = open_view(PAGES[page], **params)
    assert drawn(section(closed, heading)) == 0
    opened = open_view(PAGES[page], **params, **{key: "1"})
    assert drawn(section(opened, heading)) > 0
    assert dict(opened.query_params)[key] == "1"


def test_the_open_ranked_section_ranks_coventry() -> None:
    at = open_view(PAGES["measure"], m="life-expectancy-male", ranked="1")
    ranked = table_with(at, "vs England")
    assert "Coventry" in set(ranked["Area"])
    assert dict(at.query_params)["area"] == COVENTRY
