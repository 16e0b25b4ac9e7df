"""Where a loop label goes so that it hides nothing: one Qt-free function, :func:`loop_label_spot`.

The caller hands over what is drawn, as it is drawn: the boxes of the variables (label and badge
included), of the other loop labels, polarity signs and delay marks, and the links as polylines
(arcs sampled finely, arrowheads as small closed polylines). Candidate centres are tried on an
even spiral from a starting point (the middle of the loop); a spot is clear when the label's box,
grown by a clearance, overlaps no box and crosses no line. Inside the loop's outline is preferred
when there is room there (a loop's label belongs inside its loop), and there, outside the loops
that carry a label already (a label inside another loop seems to name it); otherwise the nearest
clear spot outside; when nothing is clear within reach, the spot that covers the fewest things.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from .boxes import Grid, Point, Rect

#: left, top, right, bottom.
Extent = tuple[float, float, float, float]
#: Space kept between a label and anything drawn.
CLEARANCE = 6.0
SPIRAL_STEP = 5.0
GOLDEN_ANGLE = 2.399963
MAX_TRIES = 6000


def _segments(lines: Iterable[Sequence[Point]]) -> list[tuple[Point, Point]]:
    out = []
    for line in lines:
        out.extend((line[k], line[k + 1]) for k in range(len(line) - 1))
    return out


def segment_hits_box(a: Point, b: Point, box: Extent) -> bool:
    """Whether the segment a-b touches the box (left, top, right, bottom): Liang-Barsky."""
    left, top, right, bottom = box
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - left), (dx, right - a[0]), (-dy, a[1] - top), (dy, bottom - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        if p < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 > t1:
            return False
    return True


def inside(point: Point, polygon: Sequence[Point]) -> bool:
    """Even-odd rule: whether ``point`` lies inside the closed path through ``polygon``."""
    x, y = point
    result = False
    for i, (x0, y0) in enumerate(polygon):
        x1, y1 = polygon[i - 1]
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            result = not result
    return result


class Obstacles:
    """What a label must not cover, indexed on a grid for quick neighbour queries."""

    def __init__(self, boxes: Iterable[Extent], lines: Iterable[Sequence[Point]]) -> None:
        self.boxes = {
            f"b{k}": Rect((x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2)
            for k, (x0, y0, x1, y1) in enumerate(boxes)
        }
        self.segments = _segments(lines)
        self._box_grid = Grid(self.boxes, cell=120.0)
        seg_rects = {}
        for k, (a, b) in enumerate(self.segments):
            seg_rects[k] = Rect(
                (a[0] + b[0]) / 2, (a[1] + b[1]) / 2, abs(b[0] - a[0]) / 2, abs(b[1] - a[1]) / 2
            )
        self._segment_grid = Grid(seg_rects, cell=60.0)  # type: ignore[arg-type]

    def hits(self, box: Extent, clearance: float) -> int:
        """How many obstacles the box, grown by ``clearance``, overlaps or crosses."""
        left, top, right, bottom = box
        rect = Rect((left + right) / 2, (top + bottom) / 2, (right - left) / 2, (bottom - top) / 2)
        count = len(self._box_grid.overlapping(rect, clearance))
        grown = (left - clearance, top - clearance, right + clearance, bottom + clearance)
        for k in self._segment_grid.near(rect, clearance):
            a, b = self.segments[k]  # type: ignore[index]
            if segment_hits_box(a, b, grown):
                count += 1
        return count


def loop_label_spot(
    start: Point,
    extent: Extent,
    obstacles: Obstacles,
    outline: Sequence[Point] = (),
    others: Sequence[Sequence[Point]] = (),
    clearance: float = CLEARANCE,
) -> Point:
    """The centre for a label whose box is ``extent`` around its centre, searched on a spiral
    from ``start``: the first spot clear of ``obstacles``, inside ``outline`` (the loop as
    drawn, a closed polygon; empty for no preference) and inside none of ``others`` (the
    outlines of loops that have a label already, which a label inside them would seem to
    name); else the first clear spot inside ``outline``; else the first clear spot outside it;
    else the spot covering the fewest obstacles."""
    left, top, right, bottom = extent
    reach = max((math.dist(start, p) for p in outline), default=0.0) if len(outline) >= 3 else 0.0
    others = [o for o in others if len(o) >= 3]
    inside_shared: Point | None = None  # clear, inside the loop, but also inside another one
    outside: Point | None = None
    best: tuple[int, Point] | None = None
    for k in range(MAX_TRIES):
        radius = SPIRAL_STEP * math.sqrt(k)
        angle = k * GOLDEN_ANGLE
        x, y = start[0] + radius * math.cos(angle), start[1] + radius * math.sin(angle)
        hits = obstacles.hits((x + left, y + top, x + right, y + bottom), clearance)
        if hits == 0:
            if len(outline) < 3 or inside((x, y), outline):
                if not any(inside((x, y), other) for other in others):
                    return (round(x, 2), round(y, 2))
                if inside_shared is None:
                    inside_shared = (x, y)
            elif outside is None:
                outside = (x, y)
        elif best is None or hits < best[0]:
            best = (hits, (x, y))
        if radius > reach and (inside_shared is not None or outside is not None):
            break  # no spot inside the loop is left to try
    spot = inside_shared or outside or (best[1] if best is not None else start)
    return (round(spot[0], 2), round(spot[1], 2))
