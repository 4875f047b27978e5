"""Comparator groups and their members for any home authority.

England, region and all authorities are partitions (every authority of the part); the published
statistical neighbours, the open similar-areas group and a custom list are home -> member pairs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from lutonwb.comparators import (
    GROUP_IDS,
    GROUPS,
    PUBLISHED_GROUPS,
    SIMILAR_VARIABLES,
    UnknownGroup,
    context_matrix,
    dropped_legacy,
    published_neighbours,
    similar_areas,
    utla_deprivation,
    validate_custom,
)
from lutonwb.engine.rows import prepare_values
from lutonwb.engine.state import State
from lutonwb.engine.vocab import UnknownArea

PARTITIONS = ("england", "all", "region")
# compared by their own published figures (England's and the region's values; charts and
# progress.series fall back to them), not by their members' average as every other group is
PUBLISHED_BENCHMARKS = ("england", "region")
# compared by the average of their home -> member pairs, as a custom group is, and named so
# ("unweighted mean of the group's members"); all authorities is a whole part, named otherwise
NEIGHBOUR_GROUPS = tuple(g for g in GROUP_IDS if g not in PARTITIONS and g != "custom")


GROUP_LABELS = {g.id: g.label for g in GROUPS}


def check_home(st: State, home: str) -> str:
    """The home area's code, or UnknownArea when it is not a current upper-tier authority."""
    code = str(home or "").strip().upper()
    if code not in st.utla_set:
        name = st.names.get(code)
        why = f" ({name} is not a current upper-tier authority)" if name else ""
        raise UnknownArea(
            f"unknown area {home!r}{why}: use the GSS code of an English county or unitary authority"
        )
    return code


def check_group(group_id: str) -> str:
    """The group id, or UnknownGroup when it is not one of GROUP_IDS."""
    if group_id not in GROUP_IDS:
        raise UnknownGroup(f"unknown comparator {group_id!r}: choose one of {', '.join(GROUP_IDS)}")
    return group_id


def group_label(group_id: str) -> str:
    """'<group> average', the label of a group's line on a chart."""
    return next((f"{g.label} average" for g in GROUPS if g.id == group_id), "group average")


def custom_codes(st: State, custom: Sequence[str] | str) -> tuple[list[str], list[str]]:
    """Valid current UTLA codes of a custom list, and a message for each code left out."""
    if isinstance(custom, str):
        custom = custom.split(",")
    return validate_custom(custom, st.utla, st.names)


def is_context_series(series: str) -> bool:
    """Whether a series is a candidate context variable of the similar-areas method."""
    return any(re.search(p, series) for var in SIMILAR_VARIABLES for p in var.patterns)


def similar(st: State) -> pd.DataFrame:
    """home, member, rank, distance of every authority's open similar-areas group (cached)."""
    if "similar" not in st.cache:
        iod, ltla = (t() if callable(t) else t for t in (st.iod_la, st.ltla_utla))
        dep = utla_deprivation(iod, ltla, st.utla)
        rows = st.raw_rows  # all rows when they are in memory, else only the candidates
        if rows is None:
            loaded = st.context_loader() if st.context_loader else pd.DataFrame()
            rows = prepare_values(loaded)
        matrix, used = context_matrix(rows, st.utla, dep)
        st.cache["similar_used"] = used
        st.cache["similar"] = similar_areas(matrix)
    return st.cache["similar"]


def _custom_pairs(st: State, custom: tuple[str, ...]) -> pd.DataFrame:
    """The same list for every home, the home itself left out."""
    homes = np.repeat(np.array(st.utla, dtype=object), len(custom))
    members = np.tile(np.array(custom, dtype=object), len(st.utla))
    m = pd.DataFrame({"home": homes, "member": members})
    return m[m["home"] != m["member"]]


def membership(st: State, group_id: str, custom: tuple[str, ...]) -> pd.DataFrame | None:
    """home, member pairs for neighbour-type groups; None for partition groups."""
    if group_id in PARTITIONS:
        return None

    def pairs() -> pd.DataFrame:
        if group_id in PUBLISHED_GROUPS:
            m = published_neighbours(st.area_groups, group_id, st.utla)[["home", "member"]]
        elif group_id == "similar":
            m = similar(st)[["home", "member"]]
        else:
            m = _custom_pairs(st, custom)
        return m.reset_index(drop=True)

    return st.cache.remembered(("members", group_id, custom), pairs)


def group_members(st: State, group_id: str, home: str, custom: Sequence[str] = ()) -> list[str]:
    """Members of the home area's comparator group (never the home area itself), closest first."""
    home = check_home(st, home)
    m = membership(st, check_group(group_id), tuple(custom_codes(st, custom)[0]))
    if m is None:
        if group_id == "region":
            region = st.region_of.get(home)
            return [c for c in st.utla if st.region_of.get(c) == region and c != home]
        return [c for c in st.utla if c != home]
    return list(m.loc[m["home"] == home, "member"])


def same_members_group(
    st: State, home: str, custom: Sequence[str], among: Sequence[str]
) -> str | None:
    """The first group of `among` whose members for `home` are exactly the custom group's, if
    any. A custom group starts as the group the reader was looking at (lutonwb.ui), so what was
    worked out for that group can be read rather than worked out again."""
    members = set(group_members(st, "custom", home, custom))
    if not members:
        return None
    for g in among:
        theirs = group_members(st, g, home)
        if len(theirs) == len(members) and set(theirs) == members:
            return g
    return None


def group_notes(st: State, group_id: str, home: str, custom: Sequence[str] = ()) -> list[str]:
    """Plain-English notes about a group for one home area (dropped codes, empty groups)."""
    notes: list[str] = []
    home = check_home(st, home)
    if group_id == "custom":
        ok, notes = custom_codes(st, custom)
        if not [c for c in ok if c != home]:
            notes.append("The custom group has no other authorities: add codes to compare with.")
    if group_id in PUBLISHED_GROUPS:
        legacy = dropped_legacy(st.area_groups, group_id, home, st.utla)
        if legacy:
            notes.append(
                "Not current authorities, left out of the group: " + ", ".join(legacy) + "."
            )
        if not group_members(st, group_id, home):
            notes.append(f"{GROUP_LABELS[group_id]}: none are published for this authority.")
    if group_id == "similar" and not group_members(st, "similar", home):
        notes.append("No similar-areas group could be computed: the context data is missing.")
    return notes
