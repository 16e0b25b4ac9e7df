"""The numpy side of :mod:`.incremental`, for tables the compiled kernel made (arrays) and for
edits that bring many new loops: every step a few whole-array operations, none per loop.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .graph import LoopGraph
from .table import LoopTable


def fresh_arrays(
    table: LoopTable,
    graph: LoopGraph,
    parts: list[tuple[Any, Any, Any]],
    placer: Any = None,
) -> tuple[Any, Any, Any, Any]:
    """New loops (``parts``: the table's link rows end to end, starts and class codes, in any
    order), turned to start at their first member,
    sorted, and placed among the old loops. ``placer`` (the compiled
    :func:`.placing.sort_and_place`) does all of it in one pass; without it, one length at a
    time as matrices: members as big-endian bytes compare as member lists do, so a
    ``searchsorted`` against the old loops of that length (in order already) places them all.
    Returns arrays (edges, starts, codes, places)."""
    src = np.asarray(graph.src, dtype=np.int32)
    edges = np.concatenate([np.asarray(part, dtype=np.int32) for part, _s, _c in parts])
    codes = np.concatenate([np.asarray(part, dtype=np.int8) for _e, _s, part in parts])
    lengths = np.concatenate([np.diff(np.asarray(s, dtype=np.int64)) for _e, s, _c in parts])
    if placer is not None:
        starts = _starts(lengths)
        n = len(lengths)
        order, places = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
        out_edges, turned = np.empty_like(edges), np.empty_like(edges)
        out_starts = np.empty(n + 1, dtype=np.int64)
        old_edges = np.asarray(table.edges, dtype=np.int32)
        old_starts = np.asarray(table.starts, dtype=np.int64)
        placer(
            src, edges, starts, old_edges, old_starts, turned, order, out_edges,
            out_starts, places,
        )  # fmt: skip
        return out_edges, out_starts, codes[order], places
    firsts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=firsts[1:])
    old_starts = np.asarray(table.starts, dtype=np.int64)
    old_lengths = np.diff(old_starts)
    blocks, places, block_codes = [], [], []
    order = np.argsort(lengths, kind="stable")
    bounds = np.searchsorted(lengths[order], np.unique(lengths), side="right").tolist()
    low = 0
    for high in bounds:
        mine = order[low:high]
        length = int(lengths[mine[0]])
        low = high
        block = edges[firsts[mine][:, None] + np.arange(length)]
        turn = np.argmin(src[block], axis=1)
        block = np.take_along_axis(block, (np.arange(length) + turn[:, None]) % length, 1)
        width = f"S{4 * length}"
        keys = _keys(src, block, width)
        by_members = np.argsort(keys, kind="stable")
        block, keys = block[by_members], keys[by_members]
        block_codes.append(codes[mine][by_members])
        lo, hi = np.searchsorted(old_lengths, [length, length + 1]).tolist()
        old = np.asarray(table.edges[old_starts[lo] : old_starts[hi]], dtype=np.int32)
        where = lo + np.searchsorted(_keys(src, old.reshape(-1, length), width), keys)
        places.append(where)
        blocks.append(block)
    flat = np.concatenate([block.ravel() for block in blocks])
    new_lengths = np.concatenate([np.full(len(b), b.shape[1], dtype=np.int64) for b in blocks])
    return flat, _starts(new_lengths), np.concatenate(block_codes), np.concatenate(places)


#: Tables with more members than this are indexed only by the compiled counting sort (a
#: numpy sort takes about 25 ns a member).
NUMPY_INDEX_UP_TO = 1 << 20
#: Tables with more members than this are not indexed: the index takes about as much memory
#: as the table (4 bytes a member and 8 a loop), which the listing's memory bound does not
#: count; their edits read the table instead.
INDEX_UP_TO = 1 << 24


class LinkIndex(NamedTuple):
    """A table's loops through each link row (``loops[offsets[r]:offsets[r + 1]]``, in order)
    and each loop's members tagged CX (``cx``) and EX (``ex``) in the table's graph."""

    offsets: Any
    loops: Any
    cx: Any
    ex: Any


def link_index(table: LoopTable, index: Any = None) -> LinkIndex | None:
    """The :class:`LinkIndex` of ``table`` (arrays), built once and kept on the table. With
    it, an edit finds the loops it touches by reading them alone, not the whole table (on a
    90,000-loop table of 2 million members, a removed link's loops: 1 ms become a few
    microseconds), and a variable moved to another domain retags its loops without reading
    their members. ``index``: the compiled :func:`.placing.index_links`, a few nanoseconds a
    member; without it numpy does the same, for tables up to NUMPY_INDEX_UP_TO members. None
    for tables of more than INDEX_UP_TO members. Built after a result is handed over, while
    the editor waits for the next edit."""
    if table._by_link is not None:
        return table._by_link  # type: ignore[no-any-return]
    graph = table.graph
    edges = np.asarray(table.edges, dtype=np.int32)
    if len(edges) > INDEX_UP_TO:
        return None
    starts = np.asarray(table.starts, dtype=np.int64)
    dom = np.zeros(max(graph.n, 1), dtype=np.int8)  # (rows left behind may point at 0)
    dom[: graph.n] = graph.dom
    row_dom = dom[np.asarray(graph.src, dtype=np.int64)]
    n = len(starts) - 1
    offsets = np.zeros(graph.m + 1, dtype=np.int64)
    loops = np.empty(len(edges), dtype=np.int32)
    cx, ex = np.zeros(n, dtype=np.int32), np.zeros(n, dtype=np.int32)
    if index is not None:
        index(edges, starts, row_dom, offsets, loops, cx, ex)
    elif len(edges) <= NUMPY_INDEX_UP_TO:
        np.cumsum(np.bincount(edges, minlength=graph.m), out=offsets[1:])
        of_member = np.repeat(np.arange(n, dtype=np.int32), np.diff(starts))
        loops[:] = of_member[np.argsort(edges, kind="stable")]
        if n:
            bits = row_dom[edges].astype(np.int32)
            cx[:] = np.add.reduceat(bits & 1, starts[:-1])
            ex[:] = np.add.reduceat(bits >> 1, starts[:-1])
    else:
        return None
    table._by_link = LinkIndex(offsets, loops, cx, ex)
    return table._by_link


def _indexed(index: LinkIndex, rows: list[int]) -> list[Any]:
    """The loops through each of ``rows``, which are rows of the indexed table (a row past
    the index raises IndexError: the caller recounts rather than miss loops)."""
    offsets, loops = index.offsets, index.loops
    return [loops[offsets[r] : offsets[r + 1]] for r in rows]


def loops_with(edges: Any, starts: Any, rows: list[int], index: Any = None) -> Any:
    """The loops (indexes, sorted, no repeats) that run through any of the link ``rows``: read
    from the table's ``index`` (:func:`link_index`) when there is one; otherwise one
    comparison per member, then the loop of each hit by binary search (hits come in order)."""
    if not rows or not len(edges):
        return np.zeros(0, dtype=np.int64)
    if index is not None:
        parts = _indexed(index, rows)
        if len(parts) < 2:
            return (parts[0] if parts else np.zeros(0)).astype(np.int64)
        return np.unique(np.concatenate(parts)).astype(np.int64)
    hits = edges == rows[0] if len(rows) == 1 else np.isin(edges, rows)
    loops = np.searchsorted(starts, np.flatnonzero(hits), side="right") - 1
    return _distinct_sorted(loops)


def loops_odd(edges: Any, starts: Any, rows: list[int], index: Any = None) -> Any:
    """The loops that run through an odd number of the link ``rows`` (sorted); ``index``: as
    for :func:`loops_with`."""
    if not rows or not len(edges):
        return np.zeros(0, dtype=np.int64)
    if len(rows) == 1:
        return loops_with(edges, starts, rows, index)  # a loop runs through a link at most once
    if index is not None:
        loops = np.concatenate([np.zeros(0, dtype=np.int32), *_indexed(index, rows)])
    else:
        loops = np.searchsorted(starts, np.flatnonzero(np.isin(edges, rows)), side="right") - 1
    at, counts = np.unique(loops, return_counts=True)
    return at[counts % 2 == 1]


def _distinct_sorted(values: Any) -> Any:
    if len(values) < 2:
        return values
    first = np.empty(len(values), dtype=bool)
    first[0] = True
    np.not_equal(values[1:], values[:-1], out=first[1:])
    return values[first]


def updated_arrays(
    table: LoopTable,
    graph: LoopGraph,
    rows: tuple[list[int], list[int], list[int]],
    fresh: Any,
    placing: Any = None,
) -> LoopTable:
    """The table after an edit: the old loops but those through the removed link ``rows[0]``,
    those through the changed ``rows[1]`` reclassified, those through the re-signed ``rows[2]``
    an odd number of times turned from R to B or back, and ``fresh``'s loops (edges, starts,
    codes, places) put where they belong. A re-signed link shares the old arrays but the codes;
    otherwise each final loop's source is worked out and its links gathered in one indexing
    (or, with ``placing``, the compiled :mod:`.placing`, everything joined in one pass)."""
    edges, starts = table.edges, np.asarray(table.starts, dtype=np.int64)
    removed, changed, flipped = rows
    if placing is not None and (removed or len(fresh)):
        codes = _reclassified(table, graph, starts, changed, flipped, [])
        return _merged(placing.merge, table, graph, codes, removed, fresh)
    gone = loops_with(edges, starts, removed, table._by_link)
    codes = _reclassified(table, graph, starts, changed, flipped, gone)
    if not len(gone) and not len(fresh):
        return same_loops(table, graph, codes)
    lengths = np.diff(starts)
    keep = np.ones(len(lengths), dtype=bool)
    keep[gone] = False
    if not len(fresh):
        kept_edges = edges[np.repeat(keep, lengths)] if len(gone) else edges
        return LoopTable(graph, kept_edges, _starts(lengths[keep]), codes[keep])
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
    both = np.concatenate([edges, np.asarray(fresh.edges, dtype=edges.dtype)])
    out_starts = _starts(out_lengths)
    return LoopTable(graph, both[_spread(source, out_starts, out_lengths)], out_starts, out_codes)


def same_loops(table: LoopTable, graph: LoopGraph, codes: Any) -> LoopTable:
    """``table``'s loops over ``graph`` (the same link rows and domains) with the class
    ``codes``: the arrays and the index of loops through each link are shared, not copied
    (links added since, in no loop, join the index with none)."""
    index = table._by_link
    if index is not None and len(index.offsets) <= graph.m:
        offsets = np.full(graph.m + 1, index.offsets[-1], dtype=np.int64)
        offsets[: len(index.offsets)] = index.offsets
        index = index._replace(offsets=offsets)
    return LoopTable(graph, table.edges, table.starts, codes, _by_link=index)


def retagged(
    table: LoopTable, graph: LoopGraph, moved: set[int], rows: list[int], placing: Any
) -> tuple[Any, LinkIndex | None]:
    """The class codes after the variables ``moved`` went to another domain (``graph.dom``
    holds the new ones; ``rows``: the links out of them), and the table's index for them (None
    when there is none). An indexed table is retagged from its counts of members in each
    domain, reading only the loops through ``rows`` (a loop runs through one link out of each
    of its members): by the compiled :func:`.placing.retag_counted` or, without ``placing``,
    numpy. Otherwise :func:`.placing.retag_codes` reads the whole table in one pass, or numpy
    reclassifies the loops through ``rows`` from their members."""
    index = table._by_link
    codes = np.asarray(table.codes, dtype=np.int8)
    if not rows:
        return codes, index  # no loop runs through a variable without links out
    if index is not None:
        old = table.graph
        was = np.array([old.dom[old.src[r]] for r in rows], dtype=np.int8)
        now = np.array([graph.dom[graph.src[r]] for r in rows], dtype=np.int8)
        codes, cx, ex = codes.copy(), index.cx.copy(), index.ex.copy()
        if placing is not None and placing.retag_counted is not None:
            placing.retag_counted(
                np.asarray(rows, dtype=np.int64), was, now, index.offsets, index.loops, codes,
                cx, ex,
            )  # fmt: skip
        else:
            for r, before, after in zip(rows, was.tolist(), now.tolist(), strict=True):
                through = index.loops[index.offsets[r] : index.offsets[r + 1]]
                cx[through] += (after & 1) - (before & 1)
                ex[through] += (after >> 1) - (before >> 1)
            through = np.unique(np.concatenate([np.zeros(0, np.int32), *_indexed(index, rows)]))
            mask = (cx[through] > 0).astype(np.int8) + 2 * (ex[through] > 0).astype(np.int8)
            codes[through] = codes[through] % 6 + 6 * mask
        return codes, LinkIndex(index.offsets, index.loops, cx, ex)
    if placing is None or placing.retag is None:
        return reclassified(table, graph, rows), None
    flags = np.zeros(graph.n, dtype=np.int8)
    flags[sorted(moved)] = 1
    out = np.empty_like(codes)
    placing.retag(
        np.asarray(graph.src, dtype=np.int32), np.asarray(graph.dom, dtype=np.int8), flags,
        np.asarray(table.edges, dtype=np.int32), np.asarray(table.starts, dtype=np.int64),
        codes, out,
    )  # fmt: skip
    return out, None


def reclassified(table: LoopTable, graph: LoopGraph, rows: list[int]) -> Any:
    """The class codes after the loops through the link ``rows`` are reclassified from
    scratch over ``graph`` (the old codes themselves when there are none)."""
    return _reclassified(table, graph, np.asarray(table.starts, dtype=np.int64), rows, [], [])


def _reclassified(
    table: LoopTable,
    graph: LoopGraph,
    starts: Any,
    changed: list[int],
    flipped: list[int],
    gone: Any,
) -> Any:
    """The class codes after the links ``changed`` (reclassified from scratch) and ``flipped``
    (R and B swapped in the loops through an odd number of them); the loops ``gone`` skipped.
    The old codes themselves when nothing changes."""
    edges, codes = table.edges, table.codes
    if not changed and not flipped:
        return codes
    recode = loops_with(edges, starts, changed, table._by_link)
    if len(gone) and len(recode):
        recode = np.setdiff1d(recode, gone, assume_unique=True)
    flips = loops_odd(edges, starts, flipped, table._by_link)
    if len(recode) and len(flips):
        flips = np.setdiff1d(flips, recode, assume_unique=True)
    if len(recode) or len(flips):
        codes = codes.copy()
    if len(recode):
        sub_edges, sub_starts = gathered(edges, starts, recode)
        codes[recode] = codes_of(graph, sub_edges, sub_starts)
    if len(flips):
        codes[flips] = _FLIPPED[codes[flips]]
    return codes


#: Each class code with reinforcing and balancing swapped (an undetermined loop stays so).
_FLIPPED = np.array(
    [code + (1 - 2 * (code % 3) if code % 3 < 2 else 0) for code in range(24)], dtype=np.int8
)


def _merged(
    merge: Any,
    table: LoopTable,
    graph: LoopGraph,
    codes: Any,
    removed: list[int],
    fresh: Any,
) -> LoopTable:
    """The compiled one-pass join (:func:`.placing.merge_tables`)."""
    edges = np.asarray(table.edges, dtype=np.int32)
    starts = np.asarray(table.starts, dtype=np.int64)
    # Which loops go: one vectorised comparison over the members (for one removed link),
    # several times quicker than the join reading each member's row.
    gone = loops_with(edges, starts, removed, table._by_link).astype(np.int64)
    if len(fresh):
        fresh_edges = np.asarray(fresh.edges, dtype=np.int32)
        fresh_starts = np.asarray(fresh.starts, dtype=np.int64)
        fresh_codes = np.asarray(fresh.codes, dtype=np.int8)
        places = np.asarray(fresh.places, dtype=np.int64)
    else:
        fresh_edges, fresh_codes = np.zeros(0, np.int32), np.zeros(0, np.int8)
        fresh_starts, places = np.zeros(1, np.int64), np.zeros(0, np.int64)
    # The new table's size, exactly: no room to trim afterwards (a copy), no page touched
    # in vain.
    loops = len(codes) - len(gone) + len(fresh_codes)
    members = len(edges) - int((starts[gone + 1] - starts[gone]).sum()) + len(fresh_edges)
    out_edges = np.empty(members, dtype=np.int32)
    out_starts = np.empty(loops + 1, dtype=np.int64)
    out_codes = np.empty(loops, dtype=np.int8)
    written = merge(
        edges, starts, np.asarray(codes, dtype=np.int8), gone, fresh_edges, fresh_starts,
        fresh_codes, places, out_edges, out_starts, out_codes,
    )  # fmt: skip
    assert written == loops and out_starts[loops] == members
    return LoopTable(graph, out_edges, out_starts, out_codes)


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
