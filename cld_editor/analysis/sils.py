"""The shortest independent loop set (SILS, Oliva 2004): a readable set of loops for a model with
millions of them. Every loop in the set has a link that no loop before it has, the set covers every
link that lies on a loop, and it has exactly as many loops as the cyclomatic number of the strongly
connected parts (links - variables + 1 in each), the size of any maximal independent loop set
(Kampmann 2012).

Taking loops simply shortest first, each with a new link, can stop short of that number: in three
variables linked both ways the three 2-link loops already cover all six links, while the cyclomatic
number is 4. So a loop is taken only if it adds exactly one independent cycle to the links taken so
far (their cycle rank, links - variables + components, grows by one; counted with a union-find),
which is what makes every step count. Candidates are, shortest first, the shortest loop through
each link, found by one breadth-first search from each variable (no loop is enumerated), and they
are swept again while any is taken. Links still uncovered then join by ears: contract every
connected part of the links taken (each is strongly connected, being a union of loops) to one node,
find the shortest cycle through an uncovered link in that contracted graph, and route it through
each part it enters (shortest paths over taken links). Such a loop always adds exactly one
independent cycle, and one exists while a link of a strongly connected part is uncovered, so the
set reaches the cyclomatic number. Ears are taken for the uncovered links in the order of their
shortest loop, which is taken instead whenever it has come to add exactly one cycle. The set is
listed in the order its loops were taken; ties are broken by document order, so the set is the same
every time.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from ..core.model import Diagram
from .graph import LoopGraph, strong_parts
from .table import KINDS, LETTERS, LoopList, LoopTable

if TYPE_CHECKING:
    from .loops import Loop


class SetStopped(Exception):
    """The search for the set stopped before it was complete: ``reason`` "time limit" or
    "cancelled"; ``loops`` are those taken by then (each still adds a link no loop before it
    has, and they are independent, but they are fewer than the cyclomatic number and do not
    cover every link on a loop)."""

    def __init__(self, reason: str, loops: LoopList) -> None:
        super().__init__(reason)
        self.reason = reason
        self.loops = loops


class _Clock:
    """When the search must stop: a deadline (``time.monotonic()``) and a cancel flag, looked
    at between breadth-first searches (a few milliseconds each at 12,000 links)."""

    def __init__(self, deadline: float | None, cancelled: Callable[[], bool] | None) -> None:
        self.deadline, self.cancelled = deadline, cancelled
        self.out: str | None = None

    def stop(self) -> bool:
        if self.out is None:
            if self.cancelled is not None and self.cancelled():
                self.out = "cancelled"
            elif self.deadline is not None and time.monotonic() > self.deadline:
                self.out = "time limit"
        return self.out is not None


def independent_loops(
    diagram: Diagram,
    *,
    deadline: float | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> LoopList:
    """The shortest independent loop set of ``diagram`` (see the module docstring), named as a
    listing is (R1, R2, ..., B1, ... in the order the loops were taken). Past ``deadline``
    (``time.monotonic()``) or once ``cancelled()`` says so, raises :class:`SetStopped` with the
    loops taken so far (the shortest loops through the links looked at by then)."""
    graph = LoopGraph.of(diagram)
    chooser = _Chooser(graph)
    clock = _Clock(deadline, cancelled)
    candidates = _shortest_through_each_link(graph, clock)
    chooser.sweep(candidates)
    # Then each link still uncovered, in the order of its shortest loop: that loop if it now adds
    # exactly one independent cycle, or else the shortest ear through the link.
    shortest: dict[int, list[int]] = {}
    for rows in candidates:
        for r in rows:
            shortest.setdefault(r, rows)
    for r in shortest:
        if clock.out is not None or chooser.covered[r]:
            continue
        if chooser.cycles_added(shortest[r]) == 1:
            chooser.take(shortest[r])
        elif not clock.stop():
            chooser.take(chooser.ear_through(r))
    taken = _as_list(graph, chooser.taken)
    if clock.out is not None:
        raise SetStopped(clock.out, taken)
    return taken


def _as_list(graph: LoopGraph, taken: list[list[int]]) -> LoopList:
    edges: list[int] = []
    starts = [0]
    codes: list[int] = []
    for rows in taken:
        edges.extend(rows)
        starts.append(len(edges))
        codes.append(_code(graph, rows))
    return LoopList(LoopTable(graph, edges, starts, codes))


def named_as_listed(
    chosen: Iterable[Loop], names: Mapping[tuple[str, ...], str]
) -> tuple[list[Loop], int]:
    """The set's loops under the names a listing gives them (``names``: loop key -> name), so
    that a name means the same loop in both; loops the listing does not hold are named R*1,
    B*1, ... in the set's order. Also returns how many those are."""
    beyond = [0, 0, 0]
    named = []
    for loop in chosen:
        name = names.get(loop.key)
        if name is None:
            kind = KINDS.index(loop.polarity)
            beyond[kind] += 1
            name = f"{LETTERS[kind]}*{beyond[kind]}"
        named.append(dataclasses.replace(loop, name=name))
    return named, sum(beyond)


def cyclomatic_number(diagram: Diagram) -> int:
    """Links minus variables plus one, summed over the strongly connected parts that hold a
    loop: the number of loops in an independent set."""
    graph = LoopGraph.of(diagram)
    part = strong_parts(graph)
    links_in: dict[int, int] = {}
    for row in range(graph.m):
        if part[graph.src[row]] == part[graph.tgt[row]]:
            links_in[part[graph.src[row]]] = links_in.get(part[graph.src[row]], 0) + 1
    sizes: dict[int, int] = {}
    for p in part:
        sizes[p] = sizes.get(p, 0) + 1
    return sum(links - sizes[p] + 1 for p, links in links_in.items())


class _Chooser:
    """The loops taken so far, the links they cover, and a union-find of their variables."""

    def __init__(self, graph: LoopGraph) -> None:
        self.graph = graph
        self.covered = [False] * graph.m
        self.root = list(range(graph.n))
        self.taken: list[list[int]] = []

    def find(self, x: int) -> int:
        root = self.root
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    def cycles_added(self, rows: list[int]) -> int:
        """How much the cycle rank of the taken links grows if the loop ``rows`` is taken."""
        overlay: dict[int, int] = {}

        def find(x: int) -> int:
            x = self.find(x)
            while x in overlay:
                x = overlay[x]
            return x

        added = 0
        for r in rows:
            if self.covered[r]:
                continue
            a, b = find(self.graph.src[r]), find(self.graph.tgt[r])
            if a == b:
                added += 1
            else:
                overlay[a] = b
        return added

    def take(self, rows: list[int]) -> None:
        for r in rows:
            self.covered[r] = True
            a, b = self.find(self.graph.src[r]), self.find(self.graph.tgt[r])
            if a != b:
                self.root[a] = b
        self.taken.append(rows)

    def sweep(self, pending: list[list[int]]) -> None:
        """Take, in order, every candidate that adds exactly one independent cycle, sweeping
        again while any is taken."""
        while True:
            left: list[list[int]] = []
            took = False
            for rows in pending:
                added = self.cycles_added(rows)
                if added == 1:
                    self.take(rows)
                    took = True
                elif added:
                    left.append(rows)
            pending = left
            if not took:
                return

    def ear_through(self, first: int) -> list[int]:
        """The loop that closes, through the contracted parts of the taken links, a shortest
        cycle starting with the uncovered link ``first``."""
        graph, find, covered = self.graph, self.find, self.covered
        members: dict[int, list[int]] = {}  # the variables of each contracted part, by root
        for v in range(graph.n):
            members.setdefault(find(v), []).append(v)
        start, goal = find(graph.tgt[first]), find(graph.src[first])
        parent: dict[int, int] = {start: -1}  # contracted node -> uncovered link reaching it
        frontier = [start]
        while goal not in parent:
            following = []
            for node in frontier:
                for v in members[node]:
                    for row in range(graph.head[v], graph.head[v + 1]):
                        if covered[row]:
                            continue
                        w = find(graph.tgt[row])
                        if w not in parent:
                            parent[w] = row
                            following.append(w)
            if not following:
                raise AssertionError("an uncovered link of a strongly connected part has a loop")
            frontier = following
        outer = [first]  # uncovered links of the contracted cycle, in order
        node = goal
        steps: list[int] = []
        while node != start:
            steps.append(parent[node])
            node = find(graph.src[parent[node]])
        outer.extend(reversed(steps))
        rows: list[int] = []
        for k, row in enumerate(outer):
            rows.append(row)
            leave = outer[(k + 1) % len(outer)]
            rows.extend(self._inside(graph.tgt[row], graph.src[leave]))
        turn = min(range(len(rows)), key=lambda i: graph.src[rows[i]])
        return rows[turn:] + rows[:turn]

    def _inside(self, a: int, b: int) -> list[int]:
        """Link rows of a shortest path from ``a`` to ``b`` over taken links (empty if a == b)."""
        graph = self.graph
        parent = {a: -1}
        frontier = [a]
        while b not in parent:
            following = []
            for x in frontier:
                for row in range(graph.head[x], graph.head[x + 1]):
                    y = graph.tgt[row]
                    if self.covered[row] and y not in parent:
                        parent[y] = row
                        following.append(y)
            frontier = following
        path: list[int] = []
        while b != a:
            path.append(parent[b])
            b = graph.src[parent[b]]
        path.reverse()
        return path


def _shortest_through_each_link(graph: LoopGraph, clock: _Clock) -> list[list[int]]:
    """The shortest loop through each link that lies on one (link rows, starting at its first
    variable in document order), shortest first, then by members in document order; of the
    links looked at before ``clock`` said stop."""
    candidates: list[tuple[int, list[int], list[int]]] = []
    paths_from: dict[int, list[int]] = {}
    for row in range(graph.m):
        u, v = graph.src[row], graph.tgt[row]
        parent = paths_from.get(v)
        if parent is None:
            if clock.stop():
                break
            parent = paths_from[v] = _bfs_tree(graph, v)
        if parent[u] == -1 and u != v:
            continue  # the link lies on no loop
        path = [row]  # link rows from v back round to u, then this link
        node = u
        while node != v:
            into = parent[node]
            path.append(into)
            node = graph.src[into]
        path.reverse()  # v -> ... -> u -> v
        members = [graph.src[r] for r in path]
        turn = members.index(min(members))
        rows = path[turn:] + path[:turn]
        candidates.append((len(rows), _members(graph, rows), rows))
    candidates.sort(key=lambda c: (c[0], c[1]))
    return [rows for _length, _members_of, rows in candidates]


def _members(graph: LoopGraph, rows: list[int]) -> list[int]:
    return [graph.src[r] for r in rows]


def _bfs_tree(graph: LoopGraph, start: int) -> list[int]:
    """``parent[x]``: the link row by which a shortest path from ``start`` first reaches x
    (successors in document order), -1 where x is not reached."""
    parent = [-1] * graph.n
    reached = [False] * graph.n
    reached[start] = True
    frontier = [start]
    head, tgt = graph.head, graph.tgt
    while frontier:
        following = []
        for x in frontier:
            for row in range(head[x], head[x + 1]):
                y = tgt[row]
                if not reached[y]:
                    reached[y] = True
                    parent[y] = row
                    following.append(y)
        frontier = following
    return parent


def _code(graph: LoopGraph, rows: list[int]) -> int:
    """A loop's class code (see :mod:`.kernel`) from its link rows."""
    flags = [graph.flags[r] for r in rows]
    members = [graph.dom[graph.src[r]] for r in rows]
    kind = 2 if any(f & 2 for f in flags) else sum(f & 1 for f in flags) & 1
    delayed = 1 if any(f & 4 for f in flags) else 0
    mask = (1 if any(d & 1 for d in members) else 0) | (2 if any(d & 2 for d in members) else 0)
    return kind + 3 * delayed + 6 * mask
