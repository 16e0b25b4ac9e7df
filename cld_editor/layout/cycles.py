"""Which loops a loop-aware layout draws as cycles: the shortest loop through each link,
found by breadth-first searches bounded in length (never a full enumeration, which can explode),
then the loops the user labelled first, the rest shortest first, each kept only while it adds a
link no kept loop has (so the kept loops are independent, as in a cycle basis).

Everything here is deterministic: variables and links are visited in document order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import networkx as nx

from ..core.model import Diagram, canonical_loop
from .cancel import checkpoint

#: Loops longer than this are not drawn as cycles (a 13-variable circle reads as a tangle).
MAX_CYCLE = 12


def adjacency(diagram: Diagram, members: set[str] | None = None) -> dict[str, list[str]]:
    """Successors of each variable (in document order), self-links left out."""
    keep = members if members is not None else {v.id for v in diagram.variables}
    out: dict[str, list[str]] = {v.id: [] for v in diagram.variables if v.id in keep}
    for link in diagram.links:
        if link.source != link.target and link.source in keep and link.target in keep:
            out[link.source].append(link.target)
    order = {v.id: i for i, v in enumerate(diagram.variables)}
    for successors in out.values():
        successors.sort(key=order.__getitem__)
    return out


def shortest_loops(
    successors: dict[str, list[str]], max_length: int = MAX_CYCLE
) -> list[tuple[str, ...]]:
    """For every link, the shortest loop through it (up to ``max_length`` links), each loop
    once, shortest first and then in the order found. A loop starts at its first member in
    ``successors`` order and runs the way its links do."""
    graph = nx.DiGraph()
    graph.add_nodes_from(successors)
    graph.add_edges_from((u, v) for u, vs in successors.items() for v in vs)
    component = {}
    for n, nodes in enumerate(nx.strongly_connected_components(graph)):
        for node in nodes:
            component[node] = n
    predecessors: dict[str, list[str]] = {u: [] for u in successors}
    for u, vs in successors.items():
        for v in vs:
            if component[u] == component[v]:
                predecessors[v].append(u)
    rank = {u: i for i, u in enumerate(successors)}
    found: dict[tuple[str, ...], tuple[str, ...]] = {}
    for start in successors:
        checkpoint()
        if not predecessors[start]:
            continue
        # Breadth-first from ``start`` inside its component: the shortest path to each
        # predecessor closes the shortest loop through that predecessor's link into start.
        parent = {start: start}
        depth = {start: 0}
        queue = deque([start])
        wanted = set(predecessors[start])
        while queue and wanted:
            u = queue.popleft()
            if depth[u] >= max_length - 1:
                break
            for v in successors[u]:
                if v not in parent and component[v] == component[start]:
                    parent[v] = u
                    depth[v] = depth[u] + 1
                    wanted.discard(v)
                    queue.append(v)
        for last in predecessors[start]:
            if last not in parent:
                continue
            path = [last]
            while path[-1] != start:
                path.append(parent[path[-1]])
            loop = tuple(reversed(path))
            first = min(range(len(loop)), key=lambda i: rank[loop[i]])
            loop = loop[first:] + loop[:first]
            found.setdefault(canonical_loop(loop), loop)
    return sorted(found.values(), key=len)


def loop_links(loop: Sequence[str]) -> list[tuple[str, str]]:
    return [(loop[i], loop[(i + 1) % len(loop)]) for i in range(len(loop))]


def is_loop(successors: dict[str, list[str]], loop: Sequence[str]) -> bool:
    return (
        len(loop) >= 2
        and len(set(loop)) == len(loop)
        and all(u in successors and v in successors[u] for u, v in loop_links(loop))
    )


def chosen_loops(
    diagram: Diagram, members: set[str] | None = None, max_length: int = MAX_CYCLE
) -> list[tuple[str, ...]]:
    """The loops to draw as cycles, in the order to place them: labelled loops (shortest
    first, then in the order of their labels), then the shortest loop through each link,
    shortest first; a loop is kept only when it has a link that no loop kept before it has."""
    successors = adjacency(diagram, members)
    labelled = [
        tuple(label.loop)
        for label in diagram.loop_labels
        if is_loop(successors, label.loop) and len(label.loop) <= max_length
    ]
    candidates = sorted(labelled, key=len) + shortest_loops(successors, max_length)
    covered: set[tuple[str, str]] = set()
    seen: set[tuple[str, ...]] = set()
    out: list[tuple[str, ...]] = []
    for loop in candidates:
        key = canonical_loop(loop)
        links = loop_links(loop)
        if key in seen or covered.issuperset(links):
            continue
        seen.add(key)
        covered.update(links)
        out.append(loop)
    return out
