"""The shortest independent loop set (SILS, Oliva 2004): a readable set of loops for a model with
millions of them. Loops are taken shortest first, each only if it has a link that no loop taken
before has; the set then covers every link that lies on a loop, and its loops are linearly
independent. It has at most as many loops as the cyclomatic number of the strongly connected
parts (links - variables + 1 in each), and often fewer: in three variables all linked both ways
the three 2-link loops already cover every link, while the cyclomatic number is 4 (no set built
shortest first, each loop with a new link, can reach it there).

Taking loops shortest first, each with a new link, is the same as taking, link by link in order
of the shortest loop through it, that shortest loop whenever the link is not yet covered (a
link left uncovered by the shorter loops has no shorter loop), so no loop is enumerated: one
breadth-first search from each variable finds the shortest loop through every link. Ties are
broken by document order, so the set is the same every time.
"""

from __future__ import annotations

from ..core.model import Diagram
from .graph import LoopGraph
from .table import LoopList, LoopTable


def independent_loops(diagram: Diagram) -> LoopList:
    """The shortest independent loop set of ``diagram``, named and ordered as a listing is
    (by length, then document order; the names are the set's own: R1, R2, ..., B1, ...)."""
    graph = LoopGraph.of(diagram)
    candidates = []  # (length, members, link rows) of the shortest loop through each link
    paths_from: dict[int, list[int]] = {}
    for row in range(graph.m):
        u, v = graph.src[row], graph.tgt[row]
        parent = paths_from.get(v)
        if parent is None:
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
        candidates.append((len(rows), [graph.src[r] for r in rows], rows))
    candidates.sort(key=lambda c: (c[0], c[1]))
    covered = [False] * graph.m
    taken: list[tuple[int, list[int], list[int]]] = []
    for length, members, rows in candidates:
        if all(covered[r] for r in rows):
            continue
        taken.append((length, members, rows))
        for r in rows:
            covered[r] = True
    edges: list[int] = []
    starts = [0]
    codes: list[int] = []
    for _length, _members, rows in taken:
        edges.extend(rows)
        starts.append(len(edges))
        codes.append(_code(graph, rows))
    return LoopList(LoopTable(graph, edges, starts, codes))


def cyclomatic_number(diagram: Diagram) -> int:
    """Links minus variables plus one, summed over the strongly connected parts that hold a
    loop: the number of loops in an independent set."""
    graph = LoopGraph.of(diagram)
    part = _parts(graph)
    links_in: dict[int, int] = {}
    for row in range(graph.m):
        if part[graph.src[row]] == part[graph.tgt[row]]:
            links_in[part[graph.src[row]]] = links_in.get(part[graph.src[row]], 0) + 1
    sizes: dict[int, int] = {}
    for p in part:
        sizes[p] = sizes.get(p, 0) + 1
    return sum(links - sizes[p] + 1 for p, links in links_in.items())


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


def _parts(graph: LoopGraph) -> list[int]:
    """The strongly connected part of each variable (Tarjan's algorithm, iteratively)."""
    n, head, tgt = graph.n, graph.head, graph.tgt
    index = [-1] * n
    low = [0] * n
    part = [-1] * n
    on_stack = [False] * n
    stack: list[int] = []
    counter = parts = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, head[root])]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, row = work[-1]
            if row < head[v + 1]:
                work[-1] = (v, row + 1)
                w = tgt[row]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, head[w]))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    part[w] = parts
                    if w == v:
                        break
                parts += 1
    return part


def _code(graph: LoopGraph, rows: list[int]) -> int:
    """A loop's class code (see :mod:`.kernel`) from its link rows."""
    flags = [graph.flags[r] for r in rows]
    members = [graph.dom[graph.src[r]] for r in rows]
    kind = 2 if any(f & 2 for f in flags) else sum(f & 1 for f in flags) & 1
    delayed = 1 if any(f & 4 for f in flags) else 0
    mask = (1 if any(d & 1 for d in members) else 0) | (2 if any(d & 2 for d in members) else 0)
    return kind + 3 * delayed + 6 * mask
