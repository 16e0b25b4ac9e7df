"""The numpy side of :mod:`.incremental`, for tables the compiled kernel made (arrays) and for
edits that bring many new loops: every step a few whole-array operations, none per loop.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .graph import LoopGraph
from .table import LoopTable


def fresh_arrays(
    table: LoopTable, graph: LoopGraph, parts: list[tuple[Any, Any]], row_in_table: list[int]
) -> tuple[Any, Any, Any, Any]:
    """New loops (``parts``: the search graph's rows end to end and starts, in any order) in
    the table's rows (``row_in_table``), turned to start at their first member, sorted, and
    placed among the old loops: one length at a time, as matrices. Members as big-endian bytes
    compare as member lists do, so a sort and a ``searchsorted`` against the old loops of that
    length (in order already) place them all. Returns arrays (edges, starts, codes, places)."""
    src = np.asarray(graph.src, dtype=np.int32)
    edges = np.concatenate([np.asarray(part, dtype=np.int32) for part, _starts in parts])
    edges = np.asarray(row_in_table, dtype=np.int32)[edges]
    lengths = np.concatenate([np.diff(np.asarray(starts, dtype=np.int64)) for _e, starts in parts])
    firsts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=firsts[1:])
    old_starts = np.asarray(table.starts, dtype=np.int64)
    old_lengths = np.diff(old_starts)
    blocks, places = [], []
    for length in np.unique(lengths).tolist():
        block = edges[firsts[lengths == length][:, None] + np.arange(length)]
        turn = np.argmin(src[block], axis=1)
        block = np.take_along_axis(block, (np.arange(length) + turn[:, None]) % length, 1)
        block = block[np.lexsort(src[block].T[::-1])]
        lo, hi = np.searchsorted(old_lengths, [length, length + 1]).tolist()
        old = np.asarray(table.edges[old_starts[lo] : old_starts[hi]], dtype=np.int32)
        width = f"S{4 * length}"
        old_keys = _keys(src, old.reshape(-1, length), width)
        places.append(lo + np.searchsorted(old_keys, _keys(src, block, width)))
        blocks.append(block)
    flat = np.concatenate([block.ravel() for block in blocks])
    new_lengths = np.concatenate([np.full(len(b), b.shape[1], dtype=np.int64) for b in blocks])
    new_starts = np.zeros(len(new_lengths) + 1, dtype=np.int64)
    np.cumsum(new_lengths, out=new_starts[1:])
    return flat, new_starts, codes_of(graph, flat, new_starts), np.concatenate(places)


def joined_arrays(
    table: LoopTable,
    graph: LoopGraph,
    gone: list[int],
    recode: list[int],
    flips: list[int],
    fresh: Any,
) -> LoopTable:
    """The old loops but ``gone`` (sorted), those in ``recode`` reclassified, those in ``flips``
    turned from R to B or back, and ``fresh``'s loops (edges, starts, codes, places) put where
    they belong. A re-signed link shares the old
    arrays but the codes; otherwise each final loop's source is worked out and its links
    gathered in one indexing."""
    edges, starts = table.edges, np.asarray(table.starts, dtype=np.int64)
    codes = table.codes.copy()
    recode = np.setdiff1d(np.asarray(recode, dtype=np.int64), np.asarray(gone, dtype=np.int64))
    if len(recode):
        sub_edges, sub_starts = gathered(edges, starts, recode)
        codes[recode] = codes_of(graph, sub_edges, sub_starts)
    if flips:
        flips = np.asarray(flips, dtype=np.int64)
        kinds = codes[flips] % 3
        codes[flips] += np.where(kinds < 2, 1 - 2 * kinds, 0).astype(np.int8)
    if not gone and not len(fresh):
        return LoopTable(graph, edges, starts, codes)
    lengths = np.diff(starts)
    keep = np.ones(len(lengths), dtype=bool)
    keep[gone] = False
    if not len(fresh):
        return LoopTable(
            graph, edges[np.repeat(keep, lengths)], _starts(lengths[keep]), codes[keep]
        )
    kept = np.flatnonzero(keep)
    places = np.asarray(fresh.places, dtype=np.int64)
    fresh_starts = np.asarray(fresh.starts, dtype=np.int64)
    # A new loop goes before the old loop at its place; an old one after the new ones placed
    # at or before it.
    kept_at = np.arange(len(kept)) + np.searchsorted(places, kept, side="right")
    fresh_at = np.searchsorted(kept, places, side="left") + np.arange(len(places))
    total = len(kept) + len(places)
    out_lengths = np.empty(total, dtype=np.int64)
    out_lengths[kept_at] = lengths[kept]
    out_lengths[fresh_at] = np.diff(fresh_starts)
    out_codes = np.empty(total, dtype=np.int8)
    out_codes[kept_at] = codes[kept]
    out_codes[fresh_at] = np.asarray(fresh.codes, dtype=np.int8)
    source = np.empty(total, dtype=np.int64)
    source[kept_at] = starts[kept]
    source[fresh_at] = fresh_starts[:-1] + len(edges)
    both = np.concatenate([edges, np.asarray(fresh.edges, dtype=np.int32)])
    out_starts = _starts(out_lengths)
    return LoopTable(graph, both[_spread(source, out_starts, out_lengths)], out_starts, out_codes)


def row_counts(table: LoopTable, loops: list[int]) -> dict[int, int]:
    """How often each link row occurs in the given loops."""
    sub_edges, _starts = gathered(table.edges, np.asarray(table.starts), loops)
    return row_counts_of(sub_edges, table.graph.m)


def row_counts_of(edges: Any, rows: int) -> dict[int, int]:
    """How often each of ``rows`` link rows occurs in ``edges`` (an array)."""
    counts = np.bincount(edges, minlength=rows)
    return {row: int(c) for row, c in enumerate(counts.tolist()) if c}


def gathered(edges: Any, starts: Any, loops: Any) -> tuple[Any, Any]:
    """The chosen loops' links end to end, and where each starts."""
    loops = np.asarray(loops, dtype=np.int64)
    lengths = starts[loops + 1] - starts[loops]
    sub_starts = _starts(lengths)
    return edges[_spread(starts[loops], sub_starts, lengths)], sub_starts


def _spread(source: Any, starts: Any, lengths: Any) -> Any:
    """Indexes that gather loop i's ``lengths[i]`` links from ``source[i]`` on to ``starts[i]``
    on (int32 where they fit: half the memory to move)."""
    total = int(starts[-1])
    kind = np.int32 if total + int(source.max(initial=0)) < 2**31 else np.int64
    at = np.repeat((source - starts[:-1]).astype(kind), lengths)
    at += np.arange(total, dtype=kind)
    return at


def codes_of(graph: LoopGraph, edges: Any, starts: Any) -> Any:
    """Each loop's class code (see :mod:`.kernel`), all at once."""
    if len(starts) < 2:
        return np.zeros(0, dtype=np.int8)
    flags = np.asarray(graph.flags, dtype=np.int64)[edges]
    dom = np.asarray(graph.dom, dtype=np.int64)[np.asarray(graph.src, dtype=np.int64)[edges]]
    at = starts[:-1]
    odd = np.bitwise_xor.reduceat(flags & 1, at)
    unknown = np.bitwise_or.reduceat(flags & 2, at) > 0
    delayed = np.bitwise_or.reduceat(flags & 4, at) > 0
    mask = np.bitwise_or.reduceat(dom, at)
    kind = np.where(unknown, 2, odd)
    return (kind + 3 * delayed + 6 * mask).astype(np.int8)


def _starts(lengths: Any) -> Any:
    starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    return starts


def _keys(src: Any, block: Any, width: str) -> Any:
    """One byte string per row of ``block`` that sorts as its members do."""
    return np.ascontiguousarray(src[block].astype(">u4")).view(width).ravel()
