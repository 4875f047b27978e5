"""The engine's arrays on ordinary pages: numpy's huge-page advice turned off.

numpy asks Linux to back every array of 4 MB or more with 2 MB "huge" pages (madvise). Where
the system honours that advice by compacting memory on the spot (transparent huge pages set to
`madvise`, with defrag `madvise`, as on the machine the benchmark ran on), every fresh big
array waits for the kernel to find and clear whole 2 MB blocks. The engine makes and drops
arrays of hundreds of MB at 100x the data, so a custom group's rating spent most of its time
in the kernel: 16.6 s, against 7.5 s with the advice off (bench/README.md, "Huge pages at 100x
the data"). At the bundled data's size the arrays are small and nothing changes.

An operator who wants the advice back sets numpy's own NUMPY_MADVISE_HUGEPAGE=1 (or 0); the
engine then leaves numpy's setting alone.
"""

from __future__ import annotations

import os

HUGE_PAGES_VARIABLE = "NUMPY_MADVISE_HUGEPAGE"


def ordinary_pages() -> bool:
    """Turn numpy's huge-page advice off for this process unless the operator chose a setting;
    returns whether the advice is on afterwards."""
    try:
        from numpy._core.multiarray import _get_madvise_hugepage, _set_madvise_hugepage
    except ImportError:  # a numpy without the switch advises nothing to turn off
        return False
    if os.environ.get(HUGE_PAGES_VARIABLE, "").strip() in ("0", "1"):
        return bool(_get_madvise_hugepage())
    _set_madvise_hugepage(False)
    return False
