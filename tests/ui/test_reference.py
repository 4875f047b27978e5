"""The methods page's reference tables: made once per build, the same as made on the spot."""

from __future__ import annotations

import pandas as pd

from lutonwb.ui import charts, reference
from lutonwb.ui import engine as ue
from lutonwb.ui import widgets as w


def test_the_methods_tables_kept_per_build_are_what_the_page_would_make(warehouse_dir) -> None:
    tables = reference.methods_tables()
    assert tables is reference.methods_tables()  # shared: made once per build
    cat = ue.catalogue()
    sources = pd.DataFrame(
        [{"Source": m.source, "Licence": m.licence} for m in cat.measures.values()]
    )
    by_source = sources.value_counts().rename("Measures").reset_index()
    assert by_source["Measures"].sum() == len(cat.measures)
    pd.testing.assert_frame_equal(tables["sources"].frame, by_source)
    pd.testing.assert_frame_equal(tables["colours"].frame, charts.rating_legend_rows())
    assert list(tables["groups"].frame["Group"]) == [g.label for g in ue.comparator_groups()]
    for name, table in tables.items():
        rated = ("Word",) if name == "colours" else ()
        assert table.text == w.static_text(table.frame, rated)
        assert table.text.count("\n") == len(table.frame) + 1
    assert ":color[Better]" in tables["colours"].text  # the words on their colours
