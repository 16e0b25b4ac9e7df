"""Placing new loops among a table's old ones and joining the two, written once and run
compiled by numba (see :func:`cld_editor.analysis.engine.compiled_placing`) or, in tests, by
CPython.

Incremental analysis (:mod:`.incremental_arrays`) puts the loops an added link brings where they
belong among the old loops, which are in order of length, then members
(:func:`place_sorted`). Comparing a new loop with an old one reads members only until they
differ, so a binary search costs a few dozen reads per new loop, however many old loops there
are: no key is built for the old loops. :func:`merge_tables` then drops the loops through
removed links, puts the new ones in, and counts the loops through each variable that went and
came, in one pass over the table at memory speed.
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


def merge_tables(  # type: ignore[no-untyped-def]
    src,
    edges,
    starts,
    codes,
    removed,
    fresh_edges,
    fresh_starts,
    fresh_codes,
    places,
    out_edges,
    out_starts,
    out_codes,
    gone_through,
    fresh_through,
):
    """Join an old table and new loops in one pass: old loop ``i`` is dropped when it runs
    through a link row marked in ``removed`` (its members counted per variable into
    ``gone_through``), the new loops placed at ``i`` (``places``, in order) go before it (counted
    into ``fresh_through``), and everything is copied into the ``out_`` arrays, which are long
    enough for all of it. Returns the number of loops written; ``out_starts[:loops + 1]`` and
    the rest then hold the new table."""
    n_old = len(starts) - 1
    k = len(fresh_starts) - 1
    loops = 0
    at = 0
    j = 0
    out_starts[0] = 0
    for i in range(n_old + 1):
        while j < k and places[j] == i:
            for t in range(fresh_starts[j], fresh_starts[j + 1]):
                row = fresh_edges[t]
                out_edges[at] = row
                fresh_through[src[row]] += 1
                at += 1
            out_codes[loops] = fresh_codes[j]
            loops += 1
            out_starts[loops] = at
            j += 1
        if i == n_old:
            break
        a = starts[i]
        b = starts[i + 1]
        gone = False
        for t in range(a, b):
            if removed[edges[t]]:
                gone = True
                break
        if gone:
            for t in range(a, b):
                gone_through[src[edges[t]]] += 1
            continue
        for t in range(a, b):
            out_edges[at] = edges[t]
            at += 1
        out_codes[loops] = codes[i]
        loops += 1
        out_starts[loops] = at
    return loops
