"""Real catalogue objects for tests: `B` and `M` fill the fields a test does not care about,
`Cat` makes a `lutonwb.catalogue.Catalogue` of the given measures (never a fake class)."""

from __future__ import annotations

from pathlib import Path

from lutonwb.catalogue import Binding, Board, Catalogue, Measure, Outcome, Principle, UnboundSeries


def B(series: str, **kw) -> Binding:  # noqa: N802 (reads like the class it builds)
    """A binding of one series."""
    return Binding(series=series, **kw)


def M(  # noqa: N802
    id: str,
    title: str = "",
    unit: str = "%",
    value_type: str = "percentage",
    polarity: str = "none",
    data: tuple[Binding, ...] = (),
    principles: tuple[int, ...] = (1,),
    outcomes: tuple[str, ...] = (),
    boards: tuple[str, ...] = ("health-equity-town",),
    source: str = "test source",
    headline: bool = False,
    **kw,
) -> Measure:
    """A measure with the catalogue's defaults for everything the test leaves out."""
    fields = dict(
        aliases=(), definition="", licence="OGL", default_comparator="england",
        life_course=(), geographies=("utla",), seed_refs=(), status_note="",
    )  # fmt: skip
    fields.update(kw)
    return Measure(
        id=id, title=title, unit=unit, value_type=value_type, polarity=polarity, data=data,
        principles=principles, outcomes=outcomes, boards=boards, source=source,
        headline=headline, **fields,
    )  # fmt: skip


def Cat(  # noqa: N802
    measures: dict[str, Measure],
    aliases: dict[str, str] | None = None,
    unbound_series: dict[str, str] | None = None,
) -> Catalogue:
    """A catalogue of these measures, eight principles, one outcome and two boards."""
    boards = {
        b: Board(b, title, (), "", (), (), ())
        for b, title in (("health-equity-town", "HETP"), ("childrens-trust", "CTB"))
    }
    return Catalogue(
        path=Path("catalogue.yaml"),
        measures=measures,
        principles={n: Principle(n, f"P{n}", f"P{n}", ()) for n in range(1, 9)},
        outcomes={"o1": Outcome("o1", "Outcome one", "population-wellbeing", "001.txt", "x")},
        boards=boards,
        aliases=aliases or {},
        unbound_series={s: UnboundSeries(s, why) for s, why in (unbound_series or {}).items()},
    )
