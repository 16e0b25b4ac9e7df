"""Placing new loops among a table's old ones and joining the two, written once and run
compiled by numba (see :func:`cld_editor.analysis.engine.compiled_placing`) or, in tests, by
CPython.

Incremental analysis (:mod:`.incremental_arrays`) puts the loops an added link brings where they
belong among the old loops, which are in order of length, then members
(:func:`sort_and_place`). Comparing a new loop with an old one reads members only until they
differ, so a binary search costs a few dozen reads per new loop, however many old loops there
are: no key is built for the old loops. :func:`merge_tables` then drops the loops through
removed links, puts the new ones in, and counts the loops through each variable that went and
came, in one pass over the table at memory speed.
"""

from __future__ import annotations


def sort_and_place(  # type: ignore[no-untyped-def]
    src,
    edges,
    starts,
    old_edges,
    old_starts,
    members,
    order,
    scratch,
    out_edges,
    out_starts,
    places,
):
    """Turn, sort and place the new loops an added link brings, all lengths in one pass.

    New loop ``i`` is the link rows ``edges[starts[i]:starts[i + 1]]`` (``src`` gives a row's
    member); the old table's loops (``old_edges``, ``old_starts``) are in order of length, then
    members, each starting at its smallest member. Each new loop is turned to start at its
    smallest member too (its members go to ``members``, the scratch of the comparisons), then
    sorted the same way by a bottom-up merge sort of ``order`` (``scratch`` is as long), and
    written in that order to ``out_edges`` / ``out_starts``; ``order[k]`` is the loop written
    ``k``-th (to gather its class code), and ``places[k]`` the first old loop that does not
    come before it. Two loops compare by length, then member by member until they differ: a
    few reads each. The sorted loops are placed in turn, each binary search starting where the
    last one ended."""
    n = len(starts) - 1
    for i in range(n):
        a, b = starts[i], starts[i + 1]
        turn = a
        for t in range(a + 1, b):
            if src[edges[t]] < src[edges[turn]]:
                turn = t
        for t in range(b - a):
            at = turn + t if turn + t < b else turn + t - (b - a)
            members[a + t] = src[edges[at]]
        order[i] = i
    width = 1
    in_scratch = False
    while width < n:
        source, target = (scratch, order) if in_scratch else (order, scratch)
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                x, y = source[i], source[j]
                lx, ly = starts[x + 1] - starts[x], starts[y + 1] - starts[y]
                y_first = ly < lx
                if lx == ly:
                    for t in range(lx):
                        p, q = members[starts[x] + t], members[starts[y] + t]
                        if p != q:
                            y_first = q < p
                            break
                if y_first:
                    target[k] = y
                    j += 1
                else:
                    target[k] = x
                    i += 1
                k += 1
            while i < mid:
                target[k] = source[i]
                i += 1
                k += 1
            while j < hi:
                target[k] = source[j]
                j += 1
                k += 1
        in_scratch = not in_scratch
        width *= 2
    if in_scratch:
        for i in range(n):
            order[i] = scratch[i]
    first = 0
    n_old = len(old_starts) - 1
    at = 0
    out_starts[0] = 0
    for r in range(n):
        x = order[r]
        a, b = starts[x], starts[x + 1]
        length = b - a
        # The loop's rows from its smallest member on: where members[a] is a row's source.
        turn = a
        while src[edges[turn]] != members[a]:
            turn += 1
        for t in range(length):
            out_edges[at + t] = edges[turn + t if turn + t < b else turn + t - length]
        at += length
        out_starts[r + 1] = at
        lo, hi = first, n_old
        while lo < hi:
            mid = (lo + hi) // 2
            base = old_starts[mid]
            old_length = old_starts[mid + 1] - base
            before = old_length < length
            if old_length == length:
                for t in range(length):
                    old, new = src[old_edges[base + t]], members[a + t]
                    if old != new:
                        before = old < new
                        break
            if before:
                lo = mid + 1
            else:
                hi = mid
        places[r] = lo
        first = lo
    return 0


def merge_tables(  # type: ignore[no-untyped-def]
    src,
    edges,
    starts,
    codes,
    gone,
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
    """Join an old table and new loops in one pass: old loop ``i`` is dropped when ``gone[i]``
    is set (its members counted per variable into ``gone_through``), the new loops placed at
    ``i`` (``places``, in order) go before it (counted into ``fresh_through``), and everything
    is copied into the ``out_`` arrays, which are long enough for all of it. Runs of kept old
    loops are copied whole, at memory speed. Returns the number of loops written;
    ``out_starts[:loops + 1]`` and the rest then hold the new table."""
    n_old = len(starts) - 1
    k = len(fresh_starts) - 1
    loops = 0
    at = 0
    j = 0
    out_starts[0] = 0
    i = 0
    while True:
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
        if gone[i]:
            for t in range(starts[i], starts[i + 1]):
                gone_through[src[edges[t]]] += 1
            i += 1
            continue
        stop = places[j] if j < k else n_old
        end = i + 1
        while end < stop and not gone[end]:
            end += 1
        a, b = starts[i], starts[end]
        out_edges[at : at + b - a] = edges[a:b]
        shift = at - a
        for q in range(i, end):
            out_codes[loops] = codes[q]
            loops += 1
            out_starts[loops] = starts[q + 1] + shift
        at += b - a
        i = end
    return loops
