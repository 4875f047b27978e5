"""Another Marmot place runs the same app by swapping its place folder: the example (Coventry)
served for real, its overview and a measure page rate Coventry and never mention Luton."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.browser.conftest import ROOT, fresh_page, screenshot, serve_app, wait_for_app

pytestmark = pytest.mark.browser

EXAMPLE = ROOT / "data" / "places" / "example"


@pytest.fixture(scope="module")
def example_server(tmp_path_factory) -> Iterator[str]:
    """The app for the example place, on its own warehouse (built first, never Luton's)."""
    env = dict(os.environ, LUTONWB_PLACE=str(EXAMPLE))
    env.pop("LUTONWB_WAREHOUSE", None)
    env.pop("LUTONWB_HOME_AREA", None)
    subprocess.run(
        [sys.executable, "-m", "lutonwb", "build", "--if-needed"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    yield from serve_app(env, tmp_path_factory)


@pytest.fixture
def example_page(browser, example_server):
    yield from fresh_page(browser, timeout=60_000)


def test_example_place_overview_and_measure(example_page, example_server) -> None:
    pg = example_page
    pg.goto(example_server + "/")
    wait_for_app(pg, timeout=120_000)
    pg.get_by_text("Coventry defines no boards").wait_for()  # drawn below the headline cards
    pg.get_by_role("heading", name="Data freshness").wait_for()  # the page's last section
    assert pg.locator("h1").first.inner_text() == "Coventry Marmot City monitor"
    main = pg.locator('[data-testid="stMain"]').inner_text()
    assert "How Coventry compares with England" in main
    assert "Coventry defines no boards" in main
    assert "Luton" not in main
    screenshot(pg, "example-place-overview")

    pg.goto(example_server + "/measure?m=life-expectancy-female")
    wait_for_app(pg, timeout=120_000)
    pg.get_by_role("heading", name="Life expectancy at birth, females").wait_for()
    main = pg.locator('[data-testid="stMain"]').inner_text()
    assert "Coventry" in main
    # Luton may appear as one authority among all the others in a ranked list; never as the place
    headings = " ".join(pg.get_by_role("heading").all_inner_texts())
    assert "Luton" not in headings and "Luton's" not in main and "Inside Luton" not in main
    assert "Inside Coventry" in pg.locator('[data-testid="stSidebar"]').inner_text()
    screenshot(pg, "example-place-measure")
