"""Shared steps of the layout styles: splitting a diagram into connected pieces, placing the
variables a style left over next to what they link to, and packing laid-out pieces side by side
in rows (biggest first), so that a style only ever lays out one connected piece at a time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from .boxes import GAP, Grid, Point, Rect, Size, bounds, free_spot, rects
from .cancel import checkpoint

#: Space between two packed pieces.
PIECE_GAP = 80.0


def components(order: list[str], neighbours: Mapping[str, list[str]]) -> list[list[str]]:
    """Connected pieces (links in either direction), each in document order, biggest first
    (ties: the one whose first variable comes first)."""
    seen: set[str] = set()
    pieces: list[list[str]] = []
    rank = {v: i for i, v in enumerate(order)}
    for start in order:
        if start in seen:
            continue
        seen.add(start)
        stack, piece = [start], []
        while stack:
            u = stack.pop()
            piece.append(u)
            for v in neighbours.get(u, ()):
                if v not in seen:
                    seen.add(v)
                    stack.append(v)
        pieces.append(sorted(piece, key=rank.__getitem__))
    pieces.sort(key=lambda p: (-len(p), rank[p[0]]))
    return pieces


def place_near_neighbours(
    pos: dict[str, Point],
    todo: list[str],
    neighbours: Mapping[str, list[str]],
    sizes: Mapping[str, Size],
    distance: float = 150.0,
) -> None:
    """Place each variable of ``todo`` (in place, into ``pos``) next to its placed neighbours:
    those with the most placed neighbours first, at the mean of those neighbours pushed away
    from the middle of what is placed, then at the nearest free spot."""
    grid = Grid(rects(pos, sizes))
    remaining = [v for v in todo if v not in pos]
    rank = {v: i for i, v in enumerate(remaining)}
    while remaining:
        checkpoint()
        placed_count = {v: sum(1 for n in neighbours.get(v, ()) if n in pos) for v in remaining}
        best = max(remaining, key=lambda v: (placed_count[v], -rank[v]))
        if not pos:
            spot: Point = (0.0, 0.0)
        elif placed_count[best] == 0:
            _, top, right, bottom = bounds(grid.boxes.values())
            spot = (right + GAP + sizes[best][0] / 2, (top + bottom) / 2)
        else:
            anchors = [pos[n] for n in neighbours[best] if n in pos]
            ax = sum(p[0] for p in anchors) / len(anchors)
            ay = sum(p[1] for p in anchors) / len(anchors)
            mx = sum(p[0] for p in pos.values()) / len(pos)
            my = sum(p[1] for p in pos.values()) / len(pos)
            dx, dy = ax - mx, ay - my
            norm = math.hypot(dx, dy)
            if norm < 1e-6:
                dx, dy, norm = 0.0, 1.0, 1.0
            push = distance if len(anchors) == 1 else distance / 2
            spot = (ax + dx / norm * push, ay + dy / norm * push)
        spot = free_spot(grid, spot, sizes[best], GAP)
        pos[best] = spot
        grid.add(best, Rect(spot[0], spot[1], sizes[best][0] / 2, sizes[best][1] / 2))
        remaining.remove(best)


def pack(
    pieces: list[dict[str, Point]], sizes: Mapping[str, Size], row_width: float | None = None
) -> dict[str, Point]:
    """Put laid-out pieces side by side in rows about ``row_width`` wide (by default about as
    wide as the pieces are tall in all), the first piece centred on the origin."""
    if not pieces:
        return {}
    extents = [bounds(rects(piece, sizes).values()) for piece in pieces]
    if row_width is None:
        area = sum((x1 - x0 + PIECE_GAP) * (y1 - y0 + PIECE_GAP) for x0, y0, x1, y1 in extents)
        row_width = max(math.sqrt(area) * 1.3, extents[0][2] - extents[0][0])
    out: dict[str, Point] = {}
    x = y = row_height = 0.0
    first = extents[0]
    x0 = first[0]
    y0 = first[1]
    for piece, (left, top, right, bottom) in zip(pieces, extents, strict=True):
        width, height = right - left, bottom - top
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + PIECE_GAP, 0.0
        dx, dy = x0 + x - left, y0 + y - top
        for key, (px, py) in piece.items():
            out[key] = (px + dx, py + dy)
        x += width + PIECE_GAP
        row_height = max(row_height, height)
    return out


def by_piece(
    order: list[str],
    neighbours: Mapping[str, list[str]],
    sizes: Mapping[str, Size],
    lay_out: Callable[[list[str]], dict[str, Point]],
) -> dict[str, Point]:
    """Lay out each connected piece with ``lay_out`` and pack the results."""
    pieces = [lay_out(piece) for piece in components(order, neighbours)]
    return pack(pieces, sizes)


def undirected(order: list[str], successors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Neighbours in either direction, each list in document order, no repeats."""
    rank = {v: i for i, v in enumerate(order)}
    out: dict[str, set[str]] = {v: set() for v in order}
    for u, vs in successors.items():
        for v in vs:
            if u != v and u in out and v in out:
                out[u].add(v)
                out[v].add(u)
    return {v: sorted(ns, key=rank.__getitem__) for v, ns in out.items()}
