"""Placing new loops among a table's old ones by binary search, written once and run compiled by
numba (see :func:`cld_editor.analysis.engine.compiled_placer`) or, in tests, by CPython.

Incremental analysis (:mod:`.incremental_arrays`) puts the loops an added link brings where they
belong among the old loops, which are in order of length, then members. Comparing a new loop
with an old one reads members only until they differ, so a binary search costs a few dozen
reads per new loop, however many old loops there are: no key is built for the old loops.
"""

from __future__ import annotations


def place_sorted(src, old_edges, old_starts, lo, hi, block, places):  # type: ignore[no-untyped-def]
    """For each row of ``block`` (new loops of one length, as link rows, sorted by members),
    store in ``places`` the first old loop in ``lo:hi`` (the old loops of that length) that does
    not come before it. Old loops are ``old_edges[old_starts[i]:...]``; ``src`` gives each link
    row's source member. Rows are sorted, so each search starts where the previous one ended."""
    rows, length = block.shape
    first = lo
    for r in range(rows):
        a, b = first, hi
        while a < b:
            mid = (a + b) // 2
            base = old_starts[mid]
            before = False
            for t in range(length):
                old = src[old_edges[base + t]]
                new = src[block[r, t]]
                if old != new:
                    before = old < new
                    break
            if before:
                a = mid + 1
            else:
                b = mid
        places[r] = a
        first = a
    return 0
