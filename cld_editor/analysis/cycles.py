"""The reference elementary-cycle search: Johnson's algorithm, and Gupta and Suzumura's variant
for a maximum cycle length, in idiomatic Python over adjacency lists of tuples, with networkx's
strongly connected components. Loop analysis runs :mod:`.kernel` instead; this independent
implementation stays so that tests hold the kernel (compiled and in CPython) to it and to
networkx. The budget (cycle count, deadline, cancellation) is checked every few thousand steps.

Nodes are numbered in document order and every adjacency list is sorted by target, so each cycle
is found starting at its lowest-numbered member and, within one length, cycles come out in
lexicographic order of their member lists. Cycles are collected per length, which makes
"numbered by length, then document order" a concatenation rather than a sort. Each edge carries
an integer ``code`` (see :func:`edge_code`); summing the codes along the search path gives, for
every cycle found, its count of negative, undetermined and delayed links and of CX and EX members
without a second pass over the cycle. Member and link ids are kept in lists along the path, so
a cycle found costs two tuple copies. networkx supplies the strongly connected components.
"""

from __future__ import annotations

import heapq
import sys
import time
from collections.abc import Callable

import networkx as nx

#: One adjacency entry: (target node, edge code, link id, target id).
Edge = tuple[int, int, str, str]
#: One cycle found: (member ids from the lowest-numbered, link ids in order, summed codes).
Cycle = tuple[tuple[str, ...], tuple[str, ...], int]

#: Search steps (nodes pushed onto the path) between two looks at the clock and the cancel flag.
CHECK_EVERY = 2048
#: Shortest interval between two progress reports, in seconds.
PROGRESS_INTERVAL = 0.1
#: About how long turning one cycle found into a named Loop takes, with room to spare.
FINISH_SECONDS_PER_CYCLE = 2e-6


class SearchStopped(Exception):
    """Unwinds the search when a limit is reached; ``reason`` is what LoopAnalysis reports."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def field_width(n_nodes: int) -> int:
    """Bits per counter in an edge code: wide enough that a count never carries into the next
    counter, since no cycle is longer than the number of nodes."""
    return max(1, n_nodes.bit_length())


def edge_code(width: int, negative: bool, unknown: bool, delayed: bool, target_domain: int) -> int:
    """The code of one edge. Summed over a cycle's edges it holds five counters of ``width``
    bits: negative links, undetermined links, delayed links, CX members, EX members (each member
    is the target of exactly one edge of its cycle, so counting targets counts members).
    ``target_domain`` is 1 for CX, 2 for EX, 0 for none."""
    return (
        int(negative)
        | int(unknown) << width
        | int(delayed) << 2 * width
        | (target_domain & 1) << 3 * width
        | (target_domain >> 1) << 4 * width
    )


class CycleSearch:
    """Enumerates the elementary cycles of a graph given as ``successors[node] = [Edge, ...]``
    (sorted by target) with ``names[node]`` its id, within a budget. Call :meth:`run`, then read
    ``by_length``, ``through``, ``complete`` and ``stopped_by``."""

    def __init__(
        self,
        successors: list[list[Edge]],
        names: list[str],
        *,
        max_length: int | None = None,
        max_cycles: int | None = None,
        max_members: int | None = None,
        deadline: float | None = None,
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        n = len(successors)
        self.successors = successors
        self.names = names
        self.max_length = max_length
        self.deadline = deadline
        self.cancelled = cancelled
        self.progress = progress
        #: ``by_length[k]`` holds the cycles of k links, in lexicographic order of members.
        self.by_length: list[list[Cycle]] = [[] for _ in range(n + 1)]
        #: ``through[node]``: how many of the cycles found pass through the node.
        self.through = [0] * n
        self.stopped_by: str | None = None
        # Cycles still allowed; -1 counts down forever, so "unlimited" costs no extra test.
        self._remaining = self._first_remaining = max_cycles if max_cycles else -1
        # Members (summed cycle lengths) still allowed: this bounds the memory the cycles take.
        self._room = max_members if max_members else sys.maxsize
        self._last_progress = time.monotonic()
        # Per-node search state, allocated once and reset for each component's nodes after use.
        self._blocked = [False] * n
        self._on_path = [False] * n
        self._lock = [0] * n
        self._blocked_by: list[set[int]] = [set() for _ in range(n)]

    @property
    def complete(self) -> bool:
        return self.stopped_by is None

    @property
    def count(self) -> int:
        """Cycles found so far."""
        return self._first_remaining - self._remaining

    def run(self) -> None:
        """Search every component, lowest-numbered start first, until done or stopped."""
        try:
            self._run()
        except SearchStopped as stop:
            self.stopped_by = stop.reason
        if self.progress is not None:
            self.progress(self.count)

    def _run(self) -> None:
        successors = self.successors
        max_length = self.max_length
        if max_length is not None and max_length < 1:
            return
        linked_to_self = {v for v, edges in enumerate(successors) for e in edges if e[0] == v}
        self_linked = [v in linked_to_self for v in range(len(successors))]
        if max_length == 1:
            for v, linked in enumerate(self_linked):
                if linked:
                    self._search_bounded(v, {v: [e for e in successors[v] if e[0] == v]}, 1)
            return
        graph = nx.DiGraph()
        graph.add_nodes_from(range(len(successors)))
        graph.add_edges_from((v, e[0]) for v, edges in enumerate(successors) for e in edges)
        # A heap keyed by each component's lowest node: the starts then come in increasing order,
        # which keeps every length's cycles in lexicographic order without sorting them.
        heap: list[tuple[int, list[int]]] = []
        for component in nx.strongly_connected_components(graph):
            if len(component) > 1 or self_linked[next(iter(component))]:
                heapq.heappush(heap, (min(component), sorted(component)))
        while heap:
            self._checkpoint()
            start, members = heapq.heappop(heap)
            inside = set(members)
            local = {v: [e for e in successors[v] if e[0] in inside] for v in members}
            if max_length is None or max_length >= len(members):
                self._search_johnson(start, local)
            else:
                self._search_bounded(start, local, max_length)
            # Every cycle through `start` is found; the rest of the component is searched
            # without it, one strongly connected piece at a time.
            inside.discard(start)
            if len(inside) == 1:
                (v,) = inside
                if self_linked[v]:
                    heapq.heappush(heap, (v, [v]))
            elif inside:
                for piece in nx.strongly_connected_components(graph.subgraph(inside)):
                    if len(piece) > 1 or self_linked[next(iter(piece))]:
                        heapq.heappush(heap, (min(piece), sorted(piece)))

    def _checkpoint(self, remaining: int | None = None) -> None:
        """Raise SearchStopped when cancelled or past the deadline; report progress now and then.

        ``remaining`` is the searching method's count of cycles still allowed (it keeps it in a
        local variable); the deadline is brought forward by the time that naming the cycles
        found so far will take, so that the whole analysis keeps to its time limit.
        """
        if self.cancelled is not None and self.cancelled():
            raise SearchStopped("cancelled")
        now = time.monotonic()
        found = self._first_remaining - (self._remaining if remaining is None else remaining)
        if self.deadline is not None and now + found * FINISH_SECONDS_PER_CYCLE > self.deadline:
            raise SearchStopped("time limit")
        if self.progress is not None and now - self._last_progress >= PROGRESS_INTERVAL:
            self._last_progress = now
            self.progress(found)

    def _search_johnson(self, s: int, successors: dict[int, list[Edge]]) -> None:
        """All cycles through ``s`` whose other members are in ``successors`` (Johnson 1975).

        A node stays blocked after a fruitless visit until one of the nodes it leads to finds a
        cycle, so no part of the graph is explored twice without producing a cycle in between.
        """
        by_length = self.by_length
        through = self.through
        blocked = self._blocked
        blocked_by = self._blocked_by
        remaining = self._remaining
        room = self._room
        tick = CHECK_EVERY
        # Per node on the path: the edge into it (none for s), its id and that edge's link id
        # (copied into each cycle found), `remaining` when it was entered (the difference is
        # the cycles found below it) and the iterator over its successors. `codes` is the sum
        # of the path's edge codes.
        path: list[Edge] = []
        members = [self.names[s]]
        links: list[str] = []
        marks = [remaining]
        stack = [iter(successors[s])]
        codes = 0
        blocked[s] = True
        try:
            while stack:
                for edge in stack[-1]:
                    w = edge[0]
                    if w == s:
                        if not remaining:
                            raise SearchStopped("loop limit")
                        depth = len(stack)
                        if depth > room:
                            raise SearchStopped("size limit")
                        remaining -= 1
                        room -= depth
                        by_length[depth].append(
                            (tuple(members), (*links, edge[2]), codes + edge[1])
                        )
                    elif not blocked[w]:
                        tick -= 1
                        if not tick:
                            tick = CHECK_EVERY
                            self._checkpoint(remaining)
                        blocked[w] = True
                        path.append(edge)
                        members.append(edge[3])
                        links.append(edge[2])
                        codes += edge[1]
                        marks.append(remaining)
                        stack.append(iter(successors[w]))
                        break
                else:
                    stack.pop()
                    if path:
                        edge = path.pop()
                        members.pop()
                        links.pop()
                        v = edge[0]
                        codes -= edge[1]
                    else:
                        v = s
                    below = marks.pop() - remaining
                    if below:
                        through[v] += below
                        blocked[v] = False
                        waiting = blocked_by[v]
                        if waiting:
                            unblock = list(waiting)
                            waiting.clear()
                            while unblock:
                                u = unblock.pop()
                                if blocked[u]:
                                    blocked[u] = False
                                    waiting = blocked_by[u]
                                    if waiting:
                                        unblock.extend(waiting)
                                        waiting.clear()
                    else:
                        for edge in successors[v]:
                            blocked_by[edge[0]].add(v)
        finally:
            self._remaining = remaining
            self._room = room
            self._count_stopped_path(s, path, marks, remaining)
            for v in successors:
                blocked[v] = False
                blocked_by[v].clear()

    def _search_bounded(self, s: int, successors: dict[int, list[Edge]], bound: int) -> None:
        """All cycles of at most ``bound`` links through ``s`` (Gupta and Suzumura 2021).

        Johnson's blocking becomes a lock per node: the path length below which the node may
        still be entered. A fruitless visit at depth d locks the node at d, since it is only
        worth revisiting from a shorter path; finding a cycle below it unlocks it fully, and
        nodes waiting on it are unlocked as far as their distance to it allows.
        """
        by_length = self.by_length
        through = self.through
        lock = self._lock
        on_path = self._on_path
        blocked_by = self._blocked_by
        remaining = self._remaining
        room = self._room
        tick = CHECK_EVERY
        for v in successors:
            lock[v] = bound
        lock[s] = 0
        on_path[s] = True
        path: list[Edge] = []
        members = [self.names[s]]
        links: list[str] = []
        marks = [remaining]
        stack = [iter(successors[s])]
        codes = 0
        try:
            while stack:
                depth = len(stack)
                for edge in stack[-1]:
                    w = edge[0]
                    if w == s:
                        if not remaining:
                            raise SearchStopped("loop limit")
                        if depth > room:
                            raise SearchStopped("size limit")
                        remaining -= 1
                        room -= depth
                        by_length[depth].append(
                            (tuple(members), (*links, edge[2]), codes + edge[1])
                        )
                    elif depth < lock[w]:
                        tick -= 1
                        if not tick:
                            tick = CHECK_EVERY
                            self._checkpoint(remaining)
                        lock[w] = depth
                        on_path[w] = True
                        path.append(edge)
                        members.append(edge[3])
                        links.append(edge[2])
                        codes += edge[1]
                        marks.append(remaining)
                        stack.append(iter(successors[w]))
                        break
                else:
                    stack.pop()
                    if path:
                        edge = path.pop()
                        members.pop()
                        links.pop()
                        v = edge[0]
                        codes -= edge[1]
                    else:
                        v = s
                    on_path[v] = False
                    below = marks.pop() - remaining
                    if below:
                        through[v] += below
                        relax = [(v, 1)]
                        while relax:
                            u, distance = relax.pop()
                            if lock[u] < bound - distance + 1:
                                lock[u] = bound - distance + 1
                                relax.extend(
                                    (x, distance + 1) for x in blocked_by[u] if not on_path[x]
                                )
                    else:
                        for edge in successors[v]:
                            blocked_by[edge[0]].add(v)
        finally:
            self._remaining = remaining
            self._room = room
            self._count_stopped_path(s, path, marks, remaining)
            for v in successors:
                on_path[v] = False
                blocked_by[v].clear()

    def _count_stopped_path(
        self, s: int, path: list[Edge], marks: list[int], remaining: int
    ) -> None:
        """Credit the nodes still on the path with the cycles found below them, which a finished
        search credits as it backtracks; after a stop the path is abandoned instead."""
        if not marks:
            return
        self.through[s] += marks[0] - remaining
        for edge, mark in zip(path, marks[1:], strict=True):
            self.through[edge[0]] += mark - remaining
