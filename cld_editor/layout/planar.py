"""A drawing of a small planar diagram without crossings, the way people often draw one: its
longest face as a round outer ring, everything else inside it (Tutte's barycentric drawing).

The variables that hang off the rest by a single link are set aside first (they would sit on
their neighbour), and what remains is tested for planarity (networkx). Its embedding's faces
are walked; the one with the most variables becomes a circle (each member given an arc as long
as its box needs, like a loop's circle), and every other variable is placed at the mean of its
neighbours, all at once (one linear system): for a graph whose pieces hang together in threes
no two links then cross and every inner face is convex. The variables set aside come back
beside their neighbour, pointing away from the middle. Diagrams that are not planar get nothing
here. Deterministic: variables and faces are taken in document order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import networkx as nx
import numpy as np

from .boxes import GAP, Grid, Point, Rect, Size, free_spot, rects

ARROW_ROOM = 95.0
#: How far from its neighbour a variable set aside comes back.
LEAF_DISTANCE = 150.0


def _faces(embedding: nx.PlanarEmbedding, order: Mapping[str, int]) -> list[list[str]]:
    seen: set[tuple[str, str]] = set()
    faces = []
    for u, v in sorted(embedding.edges(), key=lambda e: (order[e[0]], order[e[1]])):
        if (u, v) not in seen:
            faces.append(embedding.traverse_face(u, v, mark_half_edges=seen))
    return faces


def planar_drawing(
    members: Sequence[str], links: Sequence[tuple[str, str]], sizes: Mapping[str, Size]
) -> dict[str, Point] | None:
    """Positions drawing ``members`` and ``links`` without crossings (see the module doc), or
    None when the diagram is not planar or too small to have a ring."""
    order = {v: i for i, v in enumerate(members)}
    graph = nx.Graph()
    graph.add_nodes_from(members)
    graph.add_edges_from((u, v) for u, v in links if u != v and u in order and v in order)
    set_aside: list[tuple[str, str]] = []
    while True:
        leaves = sorted((v for v in graph if graph.degree(v) <= 1), key=order.__getitem__)
        if not leaves or graph.number_of_nodes() - len(leaves) < 3:
            break
        for v in leaves:
            if graph.degree(v) == 1:
                set_aside.append((v, next(iter(graph[v]))))
            else:
                return None  # a piece of its own: not one connected diagram
        graph.remove_nodes_from(leaves)
    if graph.number_of_nodes() < 3:
        return None
    planar, embedding = nx.check_planarity(graph)
    if not planar:
        return None
    faces = _faces(embedding, order)
    outer = max(faces, key=lambda f: (len(set(f)), -min(order[v] for v in f)))
    ring = list(dict.fromkeys(outer))
    inner = [v for v in sorted(graph, key=order.__getitem__) if v not in set(ring)]
    spans = [0.7 * sizes[v][0] + 0.3 * sizes[v][1] + ARROW_ROOM for v in ring]
    total = sum(spans)
    # The ring grows with what it holds, so the inner variables have room.
    radius = max(90.0, total / (2 * math.pi)) * max(
        1.0, math.sqrt(graph.number_of_nodes() / len(ring))
    )
    pos: dict[str, Point] = {}
    angle = -math.pi / 2
    for i, v in enumerate(ring):
        pos[v] = (radius * math.cos(angle), radius * math.sin(angle))
        angle += (spans[i] + spans[(i + 1) % len(ring)]) / 2 / total * 2 * math.pi
    if inner:
        index = {v: i for i, v in enumerate(inner)}
        matrix = np.zeros((len(inner), len(inner)))
        rhs = np.zeros((len(inner), 2))
        for v in inner:
            i = index[v]
            matrix[i, i] = graph.degree(v)
            for w in graph[v]:
                if w in index:
                    matrix[i, index[w]] -= 1.0
                else:
                    rhs[i] += pos[w]
        try:
            solved = np.linalg.solve(matrix, rhs)
        except np.linalg.LinAlgError:
            return None
        pos.update({v: (float(solved[index[v], 0]), float(solved[index[v], 1])) for v in inner})
    grid = Grid(rects(pos, sizes))
    for v, n in reversed(set_aside):
        x, y = pos[n]
        d = math.hypot(x, y) or 1.0
        spot = free_spot(
            grid, (x + x / d * LEAF_DISTANCE, y + y / d * LEAF_DISTANCE), sizes[v], GAP
        )
        pos[v] = spot
        grid.add(v, Rect(spot[0], spot[1], sizes[v][0] / 2, sizes[v][1] / 2))
    return pos
