"""Loop analysis after a small edit, from the previous complete result instead of a recount.

Adding a link u->v adds exactly the loops made of a simple path v->u and the link; removing a
link removes exactly the loops through it; a changed sign or delay only reclassifies the loops
through that link. So when the previous analysis was complete, the new loops are the kept old
ones, those through each added link (found by the kernel from u with u's only link the new one,
in the diagram as it grows one added link at a time), in the usual order, named afresh.
Variables added or removed change no loop but through their links, and a variable moved to
another domain only reclassifies the loops through it; the other variables keep their order, so
every kept loop keeps its first member and its place. Such an edit is followed in three steps:
the link edits among the variables both diagrams have, then the variables, then the links of
the added ones.

The work is in proportion to the loops the edit touches, not to all of them: the old table's
link rows are kept as they are (a removed link's row stays behind, unused and nameless, and an
added link gets a new row at the end), so no kept loop is renumbered. Loops through a removed
or changed link are found by scanning for its row; new loops are put in place by a galloping
search within their length's block; the table is then joined from slices of the old one (a
copy at memory speed). The loops through each variable are left to be counted if asked for.
Anything else (variables reordered, many links changed, an incomplete previous result or one
bounded in length, too many rows left behind, added links that bring more new loops than there
were old ones) returns None: the caller recounts. Tables in Python lists are updated by
:mod:`.incremental_lists`, tables in numpy arrays by :mod:`.incremental_arrays` (and, once
loaded, the compiled :mod:`.placing`), which also keeps an index of the loops through each
link (:func:`indexed`).
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
from typing import Any

from ..core.model import Diagram
from . import engine
from . import incremental_lists as lists
from .engine import KernelRun
from .graph import DOMAIN_BITS, NEGATIVE, LoopGraph, _flags_of, link_signature
from .loops import LoopAnalysis
from .table import LoopList, LoopTable, is_numpy

#: More changed links than this and a recount is as quick.
MAX_CHANGED_LINKS = 16
#: A complete result with at least this many loops is kept in arrays by :func:`prepared`.
ARRAYS_FROM = 4096
#: An edit that brings more new loops than the old ones times this (or than FRESH_AT_LEAST)
#: is recounted: writing and sorting that many new loops costs more than a recount. On a
#: 150,810-loop table, an added link that brought 3.1 times as many ran at 0.62 times the
#: recount's speed, and 0.95 given up here; one that brought 1.0 times as many, 1.03 followed
#: and 0.84 given up (the search up to the limit is lost), so the limit sits between.
FRESH_SHARE = 2.0
FRESH_AT_LEAST = 4096


def indexed(analysis: LoopAnalysis) -> LoopAnalysis:
    """``analysis`` with its table (if complete and in arrays) indexed by link
    (:func:`.incremental_arrays.link_index`), so that the next edit reads only the loops it
    touches. The editor's worker calls it after handing a result over, while the user has yet
    to make the next edit; a few nanoseconds a member, compiled."""
    table = analysis.table
    if (
        analysis.complete
        and analysis.max_length is None
        and table is not None
        and is_numpy(table.edges)
    ):
        from .incremental_arrays import link_index

        placing = engine.compiled_placing()
        link_index(table, None if placing is None else placing.index)
    return analysis


def prepared(analysis: LoopAnalysis) -> LoopAnalysis:
    """``analysis`` ready to be followed edit by edit: a complete table of ARRAYS_FROM loops or
    more moved into numpy arrays, where an edit's update is a few whole-array operations
    instead of Python loops (a removed link: 10 ms become 1 ms for 14,000 loops). The move
    costs about 25 ns a member, once, where the result is made (a worker thread in the
    editor); the command line, which makes no edits, keeps its lists. The compiled kernel is
    loaded in the background then, if it is not yet, so that the next edits search and place
    their new loops compiled (an added link on 14,000 loops: 22 ms in CPython, 4 compiled)."""
    table = analysis.table
    if not analysis.complete or table is None or len(table) < ARRAYS_FROM:
        return analysis
    from .engine import warm_up

    warm_up()
    arrays = table.as_arrays()
    if arrays is table:
        return analysis
    return dataclasses.replace(analysis, loops=LoopList(arrays), table=arrays)


def updated_analysis(
    previous: LoopAnalysis,
    old: Diagram,
    new: Diagram,
    *,
    compiled: bool | None = None,
    max_loops: int | None = None,
) -> LoopAnalysis | None:
    """The analysis of ``new`` from ``previous`` (the complete analysis of ``old``), or None
    when the edit is not one this can follow (see the module docstring). ``compiled`` forces
    (True) or forbids (False) the compiled kernel for the new loops; None uses it once warm.
    With ``max_loops``, the search for new loops stops (None) as soon as there are more than
    that: the result would have more loops still, and the caller's search keeps the shortest."""
    table = previous.table
    if not previous.complete or table is None or previous.max_length is not None:
        return None  # (a length bound: an added link's loops would need it too; recounted)
    old_ids = [v.id for v in old.variables]
    new_ids = [v.id for v in new.variables]
    if old_ids == new_ids and [v.domain for v in old.variables] == [
        v.domain for v in new.variables
    ]:
        return _links_updated(previous, old, new, compiled, max_loops)
    if old_ids == new_ids and (
        new.links is old.links
        or (len(new.links) == len(old.links) and all(map(operator.is_, new.links, old.links)))
    ):
        return _renumbered(previous, new, compiled)  # only variables' domains changed
    # Variables added, removed or given another domain: the link edits among the variables
    # both diagrams have, then the variables, then the links of the added variables.
    old_set, new_set = set(old_ids), set(new_ids)
    if [i for i in old_ids if i in new_set] != [i for i in new_ids if i in old_set]:
        return None  # reordered: every loop's first member may change; a recount
    among_old = [k for k in new.links if k.source in old_set and k.target in old_set]
    analysis: LoopAnalysis | None = previous
    same_links = len(among_old) == len(old.links) and all(map(operator.is_, among_old, old.links))
    if not same_links and link_signature(among_old) != link_signature(old.links):
        step = old.model_copy(update={"links": among_old})
        analysis = _links_updated(previous, old, step, compiled, max_loops)
        if analysis is None:
            return None
    renamed = new.model_copy(update={"links": among_old})
    analysis = _renumbered(analysis, renamed, compiled)
    if analysis is None or len(among_old) == len(new.links):
        return analysis
    return _links_updated(analysis, renamed, new, compiled, max_loops)


def _links_updated(
    previous: LoopAnalysis,
    old: Diagram,
    new: Diagram,
    compiled: bool | None,
    max_loops: int | None,
) -> LoopAnalysis | None:
    """:func:`updated_analysis` where only links changed (the same variables, in the same
    order, in the same domains)."""
    table = previous.table
    assert table is not None
    if [v.id for v in old.variables] != [v.id for v in new.variables]:
        return None
    old_graph = table.graph
    one = _one_link_edit(old_graph, old.links, new.links)
    if one is not None:
        edited, removed, added, row_of = one
    else:
        # Links are immutable: one that is the same object in both diagrams is unchanged, and
        # only the others are compared (an edit keeps every link it does not touch).
        before = {link.id: link for link in old.links}
        edited = [link for link in new.links if before.get(link.id) is not link]
        after = {link.id for link in new.links}
        removed = {i for i in before if i not in after}
        added = []
        for link in edited:
            was = before.get(link.id)
            if was is None or (was.source, was.target) != (link.source, link.target):
                added.append(link.id)
                if was is not None:
                    removed.add(link.id)
        if len(removed) + len(added) > MAX_CHANGED_LINKS:
            return None
        row_of = {link_id: row for row, link_id in enumerate(old_graph.link_ids) if link_id}
        if row_of.keys() != before.keys():
            return None  # not the analysis of ``old``
    ids = [v.id for v in new.variables]
    dom = [DOMAIN_BITS.get(v.domain or "", 0) for v in new.variables]
    graph, changed = _table_graph(old_graph, ids, dom, edited, row_of, removed, added)
    if graph.m > 2 * max(len(new.links), 32):
        return None  # mostly rows left behind: renumber them with a recount
    if old_graph.dom != graph.dom:
        return None  # a domain changed: the loops of a variable, found as quickly by a recount
    # A flipped sign (+ and - swapped) turns R into B and back in each loop through it an odd
    # number of times; any other change of a link's flags reclassifies its loops from scratch.
    removed_rows = [row_of[i] for i in removed]
    flipped = [r for r in changed if old_graph.flags[r] ^ graph.flags[r] == NEGATIVE]
    changed = [r for r in changed if r not in flipped]
    placing = None
    if compiled is not False and (is_numpy(table.edges) or added):
        placing = engine.compiled_placing(load=bool(compiled))
    fresh = _Fresh([], [0], [], [])
    if added:
        added_rows = list(range(old_graph.m, graph.m))
        limit = max(int(len(table) * FRESH_SHARE), FRESH_AT_LEAST)
        if max_loops is not None:
            limit = min(limit, max_loops)
        found = _fresh_loops(table, graph, added_rows, compiled, placing, limit)
        if found is None:
            return None  # as many new loops as old ones or more: a recount is as quick
        fresh = found
    if is_numpy(table.edges):
        from .incremental_arrays import updated_arrays

        merged = updated_arrays(table, graph, (removed_rows, changed, flipped), fresh, placing)
        return LoopAnalysis(LoopList(merged), True, None, None, None, merged)
    gone = lists.loops_with(table, removed_rows)
    recode = lists.loops_with(table, changed)
    flips: set[int] = set()
    for row in flipped:
        flips.symmetric_difference_update(lists.loops_with(table, [row]))
    flips.difference_update(recode)
    merged = lists.joined(table, graph, set(gone), recode, sorted(flips), fresh)
    return LoopAnalysis(LoopList(merged), True, None, None, None, merged)


def _one_link_edit(
    graph: LoopGraph, old: list[Any], new: list[Any]
) -> tuple[list[Any], set[str], list[str], dict[str, int]] | None:
    """For an edit that replaced, removed or added one link and kept every other link object
    in its place (most edits): (the new diagram's links that are not the old ones' objects,
    the ids removed, the ids added, the table row of each old link among them), found by
    comparing the two lists' objects, without reading the others; None for any other edit,
    or when ``graph`` (the previous table's) does not hold ``old``'s links."""
    if abs(len(old) - len(new)) > 1:
        return None
    same = list(map(operator.is_, old, new))
    at = same.index(False) if False in same else len(same)
    link_ids = graph.link_ids
    if len(link_ids) - link_ids.count("") != len(old):
        return None  # not the analysis of ``old``
    if len(old) == len(new):
        if at == len(same) or same.count(False) != 1:
            return None
        was, link = old[at], new[at]
        if was.id != link.id or (was.source, was.target) != (link.source, link.target):
            return None
        row = _row(link_ids, was.id)
        return None if row is None else ([link], set(), [], {was.id: row})
    if len(new) < len(old):  # one removed, at ``at``
        if not all(map(operator.is_, old[at + 1 :], new[at:])):
            return None
        row = _row(link_ids, old[at].id)
        return None if row is None else ([], {old[at].id}, [], {old[at].id: row})
    link = new[at]  # one added, at ``at``
    if not all(map(operator.is_, old[at:], new[at + 1 :])) or link.id in link_ids:
        return None
    return [link], set(), [link.id], {}


def _row(link_ids: list[str], link_id: str) -> int | None:
    try:
        return link_ids.index(link_id)
    except ValueError:
        return None


def _renumbered(
    analysis: LoopAnalysis, new: Diagram, compiled: bool | None = None
) -> LoopAnalysis | None:
    """``analysis`` with its variables those of ``new``: some added or removed (no loop runs
    through them) and some in another domain (the loops through them reclassified), the others
    in the same order. Loops keep their order and names: a loop's first member and the order
    of loops follow the order of the variables, which is kept. None when a link of the table
    touches a variable that went (the caller recounts). ``compiled``: as for
    :func:`updated_analysis` (the compiled one-pass retagging, for tables in arrays)."""
    table = analysis.table
    assert table is not None
    old = table.graph
    ids = [v.id for v in new.variables]
    dom = [DOMAIN_BITS.get(v.domain or "", 0) for v in new.variables]
    if ids == old.ids:  # the same variables: only domains changed; the rows stay
        moved = {v for v, bits in enumerate(dom) if bits != old.dom[v]}
        return _retagged(analysis, dataclasses.replace(old, dom=dom), moved, compiled)
    index = {variable_id: i for i, variable_id in enumerate(ids)}
    if any(
        link_id and (old.ids[s] not in index or old.ids[t] not in index)
        for link_id, s, t in zip(old.link_ids, old.src, old.tgt, strict=True)
    ):
        return None
    # Rows left behind (nameless, in no loop) may join a variable that went: any number does.
    to_new = [index.get(variable_id, 0) for variable_id in old.ids]
    graph = LoopGraph(
        ids=ids,
        link_ids=list(old.link_ids),
        head=[],
        tgt=[to_new[t] if link_id else 0 for link_id, t in zip(old.link_ids, old.tgt, strict=True)],
        src=[to_new[s] if link_id else 0 for link_id, s in zip(old.link_ids, old.src, strict=True)],
        flags=list(old.flags),
        dom=dom,
        rhead=[],
        redge=[],
        rsrc=[],
        link_of=[],
    )
    moved = {
        index[variable_id]
        for v, variable_id in enumerate(old.ids)
        if variable_id in index and dom[index[variable_id]] != old.dom[v]
    }
    return _retagged(analysis, graph, moved, compiled)


def _retagged(
    analysis: LoopAnalysis, graph: LoopGraph, moved: set[int], compiled: bool | None
) -> LoopAnalysis:
    """``analysis`` over ``graph``: the table's link rows, its variables renumbered or not,
    the loops through the variables ``moved`` to another domain (numbers in ``graph``)
    reclassified (see :func:`_renumbered`)."""
    table = analysis.table
    assert table is not None
    rows = [r for r in range(graph.m) if graph.link_ids[r] and graph.src[r] in moved]
    placing = None
    if moved and compiled is not False and is_numpy(table.edges):
        placing = engine.compiled_placing(load=bool(compiled))
    by_link = None  # (list tables have no index)
    if is_numpy(table.edges):
        from .incremental_arrays import retagged

        codes, by_link = retagged(table, graph, moved, rows, placing)
    elif rows:
        codes = list(table.codes)
        for i in lists.loops_with(table, rows):
            codes[i] = lists.code_of(graph, lists.rows_of(table, i))
    else:
        codes = table.codes
    renumbered = LoopTable(graph, table.edges, table.starts, codes, _by_link=by_link)
    return LoopAnalysis(LoopList(renumbered), True, None, None, None, renumbered)


def _table_graph(
    old: LoopGraph,
    ids: list[str],
    dom: list[int],
    edited: list[Any],
    row_of: dict[str, int],
    removed: set[str],
    added: list[str],
) -> tuple[LoopGraph, list[int]]:
    """The old table's rows with the removed links' rows left nameless, kept links' flags as
    they are now (``edited``: the new diagram's links that are not the old ones' objects, the
    only ones that can have changed), and the added links as rows at the end; and the kept
    rows whose flags changed. Only for looking rows up (ids, members, flags): it cannot be
    searched."""
    index = {variable_id: i for i, variable_id in enumerate(ids)} if added else {}
    links = {link.id: link for link in edited}
    link_ids, src, tgt, flags = list(old.link_ids), list(old.src), list(old.tgt), list(old.flags)
    for link_id in removed:
        link_ids[row_of[link_id]] = ""
    changed = []
    for link_id, link in links.items():
        row = row_of.get(link_id)
        if row is None or link_id in removed:
            continue
        now = _flags_of(link)
        if now != flags[row]:
            flags[row] = now
            changed.append(row)
    changed.sort()
    for link_id in added:
        link = links[link_id]
        link_ids.append(link_id)
        src.append(index[link.source])
        tgt.append(index[link.target])
        flags.append(_flags_of(link))
    graph = LoopGraph(
        ids=ids,
        link_ids=link_ids,
        head=[],
        tgt=tgt,
        src=src,
        flags=flags,
        dom=dom,
        rhead=[],
        redge=[],
        rsrc=[],
        link_of=[],
    )
    return graph, changed


class _Fresh:
    """The new loops in table order: link rows end to end (``edges``, ``starts``), classes, and
    where each goes among the old loops (``places``, the index of the old loop it precedes)."""

    def __init__(self, edges: Any, starts: Any, codes: Any, places: Any) -> None:
        self.edges, self.starts, self.codes, self.places = edges, starts, codes, places

    def as_lists(self) -> _Fresh:
        if not is_numpy(self.edges):
            return self
        return _Fresh(
            *(part.tolist() for part in (self.edges, self.starts, self.codes, self.places))
        )

    def __len__(self) -> int:
        return len(self.codes)


#: More new loops than this are sorted and placed with numpy, fewer by binary searches.
VECTOR_FROM = 256


def _fresh_loops(
    table: LoopTable,
    graph: LoopGraph,
    added_rows: list[int],
    compiled: bool | None,
    placing: Any,
    limit: int,
) -> _Fresh | None:
    """The loops through each added link row (with the links added after it left out), in the
    table's rows, turned to start at their first member, sorted and placed; None when there
    are more than ``limit``."""
    parts = []
    later = set(added_rows)
    total = 0
    for row in added_rows:
        later.discard(row)
        part = _loops_through(graph, row, later, compiled, limit - total)
        if part is None:
            return None
        parts.append(part)
        total += len(part[1]) - 1
    if total > VECTOR_FROM or (total and placing is not None and is_numpy(table.edges)):
        from .incremental_arrays import fresh_arrays

        placer = None if placing is None else placing.place
        return _Fresh(*fresh_arrays(table, graph, parts, placer))
    src = graph.src
    found = []
    for edges, starts, _codes in parts:
        if is_numpy(edges):
            edges, starts = edges.tolist(), starts.tolist()
        for a, b in itertools.pairwise(starts):
            rows = edges[a:b]
            members = [src[e] for e in rows]
            turn = members.index(min(members))
            found.append(((b - a, members[turn:] + members[:turn]), rows[turn:] + rows[:turn]))
    found.sort()
    places = [lists.place(table, src, key) for key, _rows_of in found]
    edges = [e for _key, rows in found for e in rows]
    starts = list(itertools.accumulate((len(rows) for _key, rows in found), initial=0))
    codes = [lists.code_of(graph, rows) for _key, rows in found]
    return _Fresh(edges, starts, codes, places)


def _loops_through(
    graph: LoopGraph, row: int, without: set[int], compiled: bool | None, limit: int
) -> tuple[Any, Any, Any] | None:
    """(link rows end to end, starts, class codes) of every loop through link ``row`` of the
    table's ``graph`` that uses none of the links ``without`` nor a row left behind (nameless),
    each starting at this link's source (``compiled``: as for :class:`KernelRun`); None when
    there are more than ``limit``."""
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
        if graph.link_ids[r] and r not in without and (graph.src[r] != u or r == row)
    )
    local = LoopGraph.from_rows([graph.ids[v] for v in order], [graph.dom[v] for v in order], rows)
    run = KernelRun(
        local, max_loops=limit + 1, max_members=1 << 62, done=[0] + [1] * (n - 1), compiled=compiled
    )
    if run.run() == "full" or run.stored > limit:
        return None
    edges, starts, codes = run.output()
    if is_numpy(edges):
        import numpy as np

        return np.asarray(local.link_of, dtype=np.int32)[edges], starts, codes
    return [local.link_of[e] for e in edges], list(starts), list(codes)
