"""Measures of a layout, for the tests and ``benchmarks/bench_layout.py``: overlapping boxes,
links passing over a variable they do not connect, link crossings, and how many loops are
drawn as convex cycles. Links are measured as the drawing code draws them: circular arcs
between the ends' centres (see :mod:`cld_editor.layout.links`), aimed apart where arrowheads
crowd one spot of a target (:mod:`cld_editor.layout.aims`), clipped to the boxes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from ..core.model import Diagram
from .aims import drawn_points
from .boxes import Grid, Point, Size, overlapping_pairs, rects
from .cancel import checkpoint
from .link_checks import aims_in_parts
from .links import blocking


def overlaps(positions: Mapping[str, Point], sizes: Mapping[str, Size]) -> int:
    """Pairs of variables whose boxes overlap (touching is not overlapping)."""
    return len(overlapping_pairs(rects(positions, sizes), -1e-6))


def _curves(
    diagram: Diagram,
    positions: Mapping[str, Point],
    sizes: Mapping[str, Size],
    curvatures: Mapping[str, float],
    spacing: float,
) -> dict[str, tuple[str, str, list[Point]]]:
    boxes = rects(positions, sizes)
    aims = aims_in_parts(diagram.links, positions, boxes, curvatures)
    out = {}
    for link in diagram.links:
        if link.source == link.target:
            continue
        checkpoint()
        c = curvatures.get(link.id, link.curvature)
        ends = (positions[link.source], positions[link.target])
        points = drawn_points(*ends, c, aims.get(link.id), spacing)
        a, b = boxes[link.source], boxes[link.target]
        inside_a = (abs(points[:, 0] - a.cx) <= a.hw) & (abs(points[:, 1] - a.cy) <= a.hh)
        inside_b = (abs(points[:, 0] - b.cx) <= b.hw) & (abs(points[:, 1] - b.cy) <= b.hh)
        visible = [(float(x), float(y)) for x, y in points[~(inside_a | inside_b)]]
        out[link.id] = (link.source, link.target, visible)
    return out


def links_over_variables(
    diagram: Diagram,
    positions: Mapping[str, Point],
    sizes: Mapping[str, Size],
    curvatures: Mapping[str, float] | None = None,
) -> int:
    """(link, variable) pairs where the link's arc passes over a variable it does not connect."""
    grid = Grid(rects(positions, sizes), cell=120.0)
    total = 0
    for source, target, points in _curves(
        diagram, positions, sizes, curvatures or {}, 4.0
    ).values():
        total += len(blocking(points, grid, (source, target), margin=0.0))
    return total


def _cross(p: Point, q: Point, r: Point, s: Point) -> bool:
    def side(a: Point, b: Point, c: Point) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    return side(r, s, p) * side(r, s, q) < 0 and side(p, q, r) * side(p, q, s) < 0


def crossings(
    diagram: Diagram,
    positions: Mapping[str, Point],
    sizes: Mapping[str, Size],
    curvatures: Mapping[str, float] | None = None,
) -> int:
    """Pairs of links whose drawn arcs cross (links sharing a variable are not counted)."""
    curves = _curves(diagram, positions, sizes, curvatures or {}, 12.0)
    cells: dict[tuple[int, int], list[tuple[str, int]]] = {}
    size = 60.0
    for link_id, (_, _, pts) in curves.items():
        for k in range(len(pts) - 1):
            (x0, y0), (x1, y1) = pts[k], pts[k + 1]
            for gx in range(int(min(x0, x1) // size), int(max(x0, x1) // size) + 1):
                for gy in range(int(min(y0, y1) // size), int(max(y0, y1) // size) + 1):
                    cells.setdefault((gx, gy), []).append((link_id, k))
    crossed: set[tuple[str, str]] = set()
    for segments in cells.values():
        checkpoint()
        for i, (a, k) in enumerate(segments):
            sa, ta, pa = curves[a]
            for b, m in segments[i + 1 :]:
                if a == b or (min(a, b), max(a, b)) in crossed:
                    continue
                sb, tb, pb = curves[b]
                if {sa, ta} & {sb, tb}:
                    continue
                if _cross(pa[k], pa[k + 1], pb[m], pb[m + 1]):
                    crossed.add((min(a, b), max(a, b)))
    return len(crossed)


def convex(points: Sequence[Point]) -> bool:
    """Whether the closed path through ``points`` turns one way only and goes round once."""
    n = len(points)
    if n < 3:
        return True
    sign = 0
    winding = 0.0

    for i in range(n):
        a, b, c = points[i - 1], points[i], points[(i + 1) % n]
        cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])
        if abs(cross) < 1e-9:
            continue
        s = 1 if cross > 0 else -1
        if sign and s != sign:
            return False
        sign = s
        turn = math.atan2(cross, (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]))
        winding += turn
    return abs(abs(winding) - 2 * math.pi) < 1e-3


def convex_share(loops: Sequence[Sequence[str]], positions: Mapping[str, Point]) -> float:
    """The share of ``loops`` whose members, in loop order, make a convex polygon."""
    if not loops:
        return 1.0
    return sum(convex([positions[v] for v in loop]) for loop in loops) / len(loops)


__all__ = ["convex", "convex_share", "crossings", "links_over_variables", "overlaps"]
