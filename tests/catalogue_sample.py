"""A small valid catalogue (and a place programme for it) that the catalogue tests break one
edit at a time, and a helper to find the line an error should name. Shared so the broken
variants in tests/test_catalogue.py and tests/hostile/test_catalogue_mistakes.py start alike."""

from __future__ import annotations

GOOD = """\
principles:
  - number: 1
    title: Give every child the best start in life
    short_title: Best start
    aliases: []
life_course:
  - id: start
    title: Start well
measures:
  - id: alpha
    title: Alpha measure
    aliases: [First alias]
    definition: A thing.
    unit: "%"
    value_type: percentage
    polarity: higher-better
    source: S
    licence: OGL
    data:
      - series: lait/FSP_NEW_GOODDEV
    default_comparator: cssnbt-2021
    principles: [1]
    life_course: [start]
    geographies: [utla]
    seed_refs: ["000"]
    status_note: ""
  - id: beta
    title: Beta measure
    aliases: [Second alias]
    definition: Another thing.
    unit: "%"
    value_type: percentage
    polarity: lower-better
    source: S
    licence: OGL
    data: []
    default_comparator: similar
    principles: [1]
    life_course: [start]
    geographies: [utla]
    seed_refs: ["000"]
    status_note: reported figures only
"""

PROGRAMME = """\
overarching: [alpha]
outcomes:
  - id: pw-one
    title: One outcome
    priority: population-wellbeing
    document: 001.txt
    set: strategy-2023
    measures: [alpha, beta]
boards:
  - id: childrens-trust
    title: Children's Trust Board
    aliases: [CTB]
    remit: Children
    priorities: [one]
    workstreams: [two]
    outcomes: [pw-one]
    measures: [alpha, beta]
"""


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth line containing needle (what CatalogueError.line should be)."""
    return [i + 1 for i, line in enumerate(text.splitlines()) if needle in line][nth - 1]
