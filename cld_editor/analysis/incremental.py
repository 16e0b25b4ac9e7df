"""Loop analysis after a small edit, from the previous complete result instead of a recount.

Adding a link u->v adds exactly the loops made of a simple path v->u and the link; removing a
link removes exactly the loops through it; a changed sign, delay or domain only reclassifies
loops. So when the previous analysis was complete and the variables are the same, the new
loops are the kept old ones, those through each added link (found by the kernel from u with u's
only link the new one, in the diagram as it grows one added link at a time), renamed in the
usual order. Anything else (variables added, removed or reordered, many links changed, an
incomplete previous result) returns None: the caller recounts.
"""

from __future__ import annotations

import itertools
from typing import Any

from ..core.model import Diagram
from .engine import KernelRun
from .graph import LoopGraph
from .loops import LoopAnalysis
from .table import LoopList, LoopTable, is_numpy

#: More changed links than this and a recount is as quick.
MAX_CHANGED_LINKS = 16


def updated_analysis(previous: LoopAnalysis, old: Diagram, new: Diagram) -> LoopAnalysis | None:
    """The analysis of ``new`` from ``previous`` (the complete analysis of ``old``), or None
    when the edit is not one this can follow (see the module docstring)."""
    table = previous.table
    if not previous.complete or table is None:
        return None
    if [v.id for v in old.variables] != [v.id for v in new.variables]:
        return None
    before = {link.id: (link.source, link.target) for link in old.links}
    after = {link.id: (link.source, link.target) for link in new.links}
    removed = {i for i, ends in before.items() if after.get(i) != ends}
    added = [link.id for link in new.links if before.get(link.id) != after[link.id]]
    if len(removed) + len(added) > MAX_CHANGED_LINKS:
        return None
    graph = LoopGraph.of(new)
    row_of = {link_id: row for row, link_id in enumerate(graph.link_ids)}
    mapping = [-1 if i in removed else row_of[i] for i in table.graph.link_ids]
    edges, starts, codes = _kept(table, mapping)
    # Old loops keep their classes unless a kept link's sign or delay, or a domain, changed.
    old_graph = table.graph
    old_flags = dict(zip(old_graph.link_ids, old_graph.flags, strict=True))
    reclassify = old_graph.dom != graph.dom or any(
        old_flags.get(link_id, flags) != flags
        for link_id, flags in zip(graph.link_ids, graph.flags, strict=True)
    )
    fresh = []
    later = {row_of[i] for i in added}
    for link_id in added:
        row = row_of[link_id]
        later.discard(row)
        fresh.append(_loops_through(graph, row, later))
    merged = _merged(graph, edges, starts, None if reclassify else codes, fresh)
    return LoopAnalysis(
        LoopList(merged),
        True,
        None,
        dict(zip(graph.ids, merged.through(), strict=True)),
        None,
        merged,
    )


def _kept(table: LoopTable, mapping: list[int]) -> tuple[Any, Any, Any]:
    """The old loops without a removed link, their links renumbered to the new rows, and
    their class codes."""
    if is_numpy(table.edges):
        import numpy as np

        edges = np.asarray(mapping, dtype=np.int32)[table.edges]
        if not len(table):
            return edges, table.starts, table.codes
        gone = np.add.reduceat((edges < 0).astype(np.int32), table.starts[:-1]) > 0
        if not gone.any():
            return edges, table.starts, table.codes
        lengths = np.diff(table.starts)[~gone]
        keep = np.repeat(~gone, np.diff(table.starts))
        starts = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        return edges[keep], starts, table.codes[~gone]
    new_edges: list[int] = []
    new_starts = [0]
    codes = []
    for i, (a, b) in enumerate(zip(table.starts, table.starts[1:], strict=False)):
        rows = [mapping[e] for e in table.edges[a:b]]
        if min(rows) >= 0:
            new_edges.extend(rows)
            new_starts.append(len(new_edges))
            codes.append(table.codes[i])
    return new_edges, new_starts, codes


def _loops_through(graph: LoopGraph, row: int, without: set[int]) -> tuple[Any, Any, Any]:
    """(link rows end to end, starts, class codes) of every loop through link ``row`` that
    uses none of the links ``without``, each starting at this link's source."""
    u = graph.src[row]
    n = graph.n
    # Number u first and give it only this link: every loop the kernel finds from start 0
    # then runs through it.
    order = [u, *(v for v in range(n) if v != u)]
    new_index = [0] * n
    for i, v in enumerate(order):
        new_index[v] = i
    rows = sorted(
        (new_index[graph.src[r]], new_index[graph.tgt[r]], graph.flags[r], graph.link_ids[r], r)
        for r in range(graph.m)
        if r not in without and (graph.src[r] != u or r == row)
    )
    local = LoopGraph.from_rows([graph.ids[v] for v in order], [graph.dom[v] for v in order], rows)
    run = KernelRun(local, max_loops=1 << 62, max_members=1 << 62, done=[0] + [1] * (n - 1))
    run.run()
    edges, starts, codes = run.output()
    if is_numpy(edges):
        import numpy as np

        return np.asarray(local.link_of, dtype=np.int32)[edges], starts, codes
    return [local.link_of[e] for e in edges], list(starts), list(codes)


def _merged(
    graph: LoopGraph, edges: Any, starts: Any, codes: Any | None, fresh: list[tuple[Any, Any, Any]]
) -> LoopTable:
    """The kept loops (in order; ``codes`` their classes, None to reclassify them) and the
    ``fresh`` ones (parts as :func:`_loops_through` gives them) merged in order."""
    if is_numpy(edges) or any(is_numpy(part[0]) for part in fresh):
        import numpy as np

        edges, starts = np.asarray(edges, dtype=np.int32), np.asarray(starts, dtype=np.int64)
        if codes is not None:
            codes = np.asarray(codes, dtype=np.int8)
        return _merged_numpy(graph, edges, starts, codes, fresh)
    src = graph.src
    entries = []
    for i, (a, b) in enumerate(itertools.pairwise(starts)):
        rows = edges[a:b]
        code = codes[i] if codes is not None else _code(graph, rows)
        entries.append(((b - a, [src[e] for e in rows]), rows, code))
    for part_edges, part_starts, part_codes in fresh:
        for (a, b), code in zip(itertools.pairwise(part_starts), part_codes, strict=True):
            rows = part_edges[a:b]
            members = [src[e] for e in rows]
            turn = members.index(min(members))
            rows = rows[turn:] + rows[:turn]
            entries.append(((b - a, members[turn:] + members[:turn]), rows, code))
    entries.sort(key=lambda entry: entry[0])
    all_edges = [e for _key, rows, _code in entries for e in rows]
    all_starts = [0]
    for (length, _members), _rows, _c in entries:
        all_starts.append(all_starts[-1] + length)
    return LoopTable(graph, all_edges, all_starts, [code for *_, code in entries])


def _merged_numpy(
    graph: LoopGraph, edges: Any, starts: Any, codes: Any | None, fresh: list[tuple[Any, Any, Any]]
) -> LoopTable:
    """:func:`_merged` over numpy arrays: each length's loops are one block of the table; a
    block that gains loops is re-sorted by its members (``lexsort`` of the block as a matrix)."""
    import numpy as np

    src = np.asarray(graph.src, dtype=np.int32)
    lengths = np.diff(starts)
    if codes is None:
        codes = _codes_numpy(graph, edges, starts)
    added: dict[int, list[tuple[Any, Any]]] = {}
    for part_edges, part_starts, part_codes in fresh:
        part_edges = np.asarray(part_edges, dtype=np.int32)
        part_starts = np.asarray(part_starts, dtype=np.int64)
        part_codes = np.asarray(part_codes, dtype=np.int8)
        part_lengths = np.diff(part_starts)
        for length in np.unique(part_lengths).tolist():
            chosen = np.flatnonzero(part_lengths == length)
            block = part_edges[part_starts[chosen][:, None] + np.arange(length)]
            # Rotate each loop to start at its first member in document order.
            turn = np.argmin(src[block], axis=1)
            block = np.take_along_axis(block, (np.arange(length) + turn[:, None]) % length, 1)
            added.setdefault(length, []).append((block, part_codes[chosen]))
    edge_parts: list[Any] = []
    code_parts: list[Any] = []
    length_parts: list[Any] = []
    for length in sorted(set(np.unique(lengths).tolist()) | set(added)):
        lo, hi = np.searchsorted(lengths, [length, length + 1])
        block = edges[starts[lo] : starts[hi]].reshape(-1, length)
        block_codes = codes[lo:hi]
        if length in added:
            extra = np.vstack([b for b, _ in added[length]])
            extra_codes = np.concatenate([c for _, c in added[length]])
            order = np.lexsort(src[extra].T[::-1])
            extra, extra_codes = extra[order], extra_codes[order]
            # Members as big-endian bytes compare as the member lists do, so the kept block
            # (in order already) needs no sort: the new loops are inserted where they belong.
            width = f"S{4 * length}"
            places = np.searchsorted(_keys(src, block, width), _keys(src, extra, width))
            block = np.insert(block, places, extra, axis=0)
            block_codes = np.insert(block_codes, places, extra_codes)
        edge_parts.append(block.ravel())
        code_parts.append(block_codes)
        length_parts.append(np.full(len(block), length, dtype=np.int64))
    if not edge_parts:
        return LoopTable(graph, edges, starts, codes)
    all_lengths = np.concatenate(length_parts)
    all_starts = np.zeros(len(all_lengths) + 1, dtype=np.int64)
    np.cumsum(all_lengths, out=all_starts[1:])
    return LoopTable(
        graph,
        np.concatenate(edge_parts).astype(np.int32, copy=False),
        all_starts,
        np.concatenate(code_parts).astype(np.int8, copy=False),
    )


def _keys(src: Any, block: Any, width: str) -> Any:
    """One byte string per row of ``block`` that sorts as its members do."""
    import numpy as np

    return np.ascontiguousarray(src[block].astype(">u4")).view(width).ravel()


def _code(graph: LoopGraph, rows: list[int]) -> int:
    bits = 0
    for r in rows:
        f = graph.flags[r]
        bits = (bits ^ (f & 1)) | (f & 6) | (graph.dom[graph.src[r]] << 3)
    return (2 if bits & 2 else bits & 1) + 3 * (bits >> 2 & 1) + 6 * (bits >> 3)


def _codes_numpy(graph: LoopGraph, edges: Any, starts: Any) -> Any:
    import numpy as np

    if not len(starts) - 1:
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
