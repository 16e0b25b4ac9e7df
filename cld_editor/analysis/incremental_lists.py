"""The CPython side of :mod:`.incremental`, for tables kept in Python lists (small and medium
results, before the compiled kernel is loaded): the loops through some link rows found by scans
in C (``list.index``), new loops placed by binary search, and the new table joined from slices.
"""

from __future__ import annotations

import bisect
from typing import Any

from .graph import LoopGraph
from .table import LoopTable, is_numpy


def loops_with(table: LoopTable, rows: list[int]) -> list[int]:
    """The loops (indexes, in order) that run through any of the link ``rows``."""
    if not rows or not len(table):
        return []
    edges, starts = table.edges, table.starts
    found: set[int] = set()
    for row in rows:
        at = -1
        while True:
            try:
                at = edges.index(row, at + 1)  # a scan in C
            except ValueError:
                break
            loop = bisect.bisect_right(starts, at) - 1
            found.add(loop)
            at = starts[loop + 1] - 1  # on to the next loop
    return sorted(found)


def joined(
    table: LoopTable,
    graph: LoopGraph,
    gone: set[int],
    recode: list[int],
    flips: list[int],
    fresh: Any,
) -> LoopTable:
    """The old loops but ``gone``, those in ``recode`` reclassified, those in ``flips`` turned
    from R to B or back, and the ``fresh`` ones put where they belong: slices of the old table
    and of the new loops, joined."""
    fresh = fresh.as_lists()
    n = len(table)
    starts, edges = table.starts, table.edges
    codes = list(table.codes)
    for i in recode:
        if i not in gone:
            codes[i] = code_of(graph, rows_of(table, i))
    for i in flips:
        kind = codes[i] % 3
        if kind < 2:  # an undetermined loop stays so
            codes[i] += 1 - 2 * kind
    # Pieces in order: ("old", first, end) of old loops, or ("new", first, end) of fresh ones.
    pieces: list[tuple[str, int, int]] = []
    places = fresh.places
    j = first = 0
    for i in [*sorted(gone | set(places)), n]:
        if first < i:
            pieces.append(("old", first, i))
        k = j
        while k < len(places) and places[k] == i:
            k += 1
        if k > j:
            pieces.append(("new", j, k))
            j = k
        first = i + 1 if i in gone else i
    new_edges: list[int] = []
    new_starts = [0]
    new_codes: list[int] = []
    for kind, a, b in pieces:
        if kind == "old":
            at, piece_starts, piece_edges, piece_codes = starts[a], starts, edges, codes
        else:
            at, piece_starts, piece_edges = fresh.starts[a], fresh.starts, fresh.edges
            piece_codes = fresh.codes
        shift = len(new_edges) - at
        new_edges += piece_edges[at : piece_starts[b]]
        new_starts += map(shift.__add__, piece_starts[a + 1 : b + 1])
        new_codes += piece_codes[a:b]
    return LoopTable(graph, new_edges, new_starts, new_codes)


def rows_of(table: LoopTable, i: int) -> list[int]:
    rows = table.edges[table.starts[i] : table.starts[i + 1]]
    return rows.tolist() if is_numpy(rows) else rows


def place(table: LoopTable, src: list[int], key: tuple[int, list[int]]) -> int:
    """Where a loop with ``key`` (length, members) goes among the old loops: they are in order
    of length, then members; a binary search reads a few of them."""
    starts = table.starts

    def length(i: int) -> int:
        return int(starts[i + 1] - starts[i])

    def key_of(i: int) -> tuple[int, list[int]]:
        return length(i), [src[e] for e in rows_of(table, i)]

    n = len(table)
    lo = bisect.bisect_left(range(n), key[0], key=length)
    hi = bisect.bisect_right(range(lo, n), key[0], key=length) + lo
    return bisect.bisect_left(range(lo, hi), key, key=key_of) + lo


def code_of(graph: LoopGraph, rows: list[int]) -> int:
    bits = 0
    for r in rows:
        f = graph.flags[r]
        bits = (bits ^ (f & 1)) | (f & 6) | (graph.dom[graph.src[r]] << 3)
    return (2 if bits & 2 else bits & 1) + 3 * (bits >> 2 & 1) + 6 * (bits >> 3)
