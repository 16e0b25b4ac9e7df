"""Loop-label spots after a layout, Qt-free: :func:`loop_label_spots` puts each loop label at the
middle of its loop, or the nearest spot from there that is clear of every variable, link and
label placed before it, and of the iceberg's waterline when one is shown, inside the loop as
drawn (its links' arcs, :func:`loop_outline`) when there is room there.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from ..core.model import Diagram
from .boxes import Grid, Point, Rect, Size, rects, text_width
from .label_place import inside
from .links import arc_points

#: The loop label's drawing (see ui/drawing/render_overlays.py): a circle of radius 16 in a
#: 44 x 44 square, a caption in 12 px italics 2 px under the circle, 20 px tall.
LABEL_HALF = 22.0
CAPTION_TOP, CAPTION_HEIGHT = 18.0, 20.0
SELF_LOOP_RADIUS, SELF_LOOP_INSET = 21.0, 1.45
#: The most spots tried for one loop label.
MAX_SPOTS = 4000
#: A label keeps this far from the waterline (its dashes, and room for the captions' line).
WATER_CLEARANCE = 8.0


def loop_outline(
    diagram: Diagram,
    loop: Sequence[str],
    positions: Mapping[str, Point],
    curvatures: Mapping[str, float],
) -> list[Point]:
    """The loop as drawn: the arcs of its links, one after another (a member polygon where a
    link of the loop is missing)."""
    bend = {(k.source, k.target): curvatures.get(k.id, k.curvature) for k in diagram.links}
    out: list[Point] = []
    for i, u in enumerate(loop):
        v = loop[(i + 1) % len(loop)]
        c = bend.get((u, v))
        if c is None or u == v:
            out.append(positions[u])
            continue
        out.extend(
            (float(x), float(y)) for x, y in arc_points(positions[u], positions[v], c, 12.0)[:-1]
        )
    return out


def label_extent(name: str | None) -> tuple[float, float, float, float]:
    """left, top, right, bottom of a loop label around its centre."""
    half, bottom = LABEL_HALF, LABEL_HALF
    if name:
        half = max(half, (text_width(name) * 12 / 13 + 8) / 2)
        bottom = CAPTION_TOP + CAPTION_HEIGHT
    return (-half, -LABEL_HALF, half, bottom)


def _self_loop_label(box: Rect, extent: tuple[float, float, float, float]) -> Point:
    r = SELF_LOOP_RADIUS
    x = box.cx + max(box.hw - r * SELF_LOOP_INSET, r * 0.2)
    top = box.cy - box.hh - r * 0.5 - r
    return (x, top - 6.0 - extent[3])


def link_samples(
    diagram: Diagram, positions: Mapping[str, Point], curvatures: Mapping[str, float]
) -> dict[str, list[Point]]:
    return {
        link.id: arc_points(
            positions[link.source], positions[link.target], curvatures.get(link.id, link.curvature)
        )
        for link in diagram.links
        if link.source != link.target
    }


def loop_label_spots(
    diagram: Diagram,
    positions: Mapping[str, Point],
    sizes: Mapping[str, Size],
    curvatures: Mapping[str, float],
    only: set[str] | None = None,
    waterline: float | None = None,
) -> dict[str, Point]:
    """A spot for each loop label whose variables all exist (or only those of loops touching
    ``only``): the middle of its loop, or the nearest spot from there clear of variables,
    links, the labels placed before it and the ``waterline`` (its y, when one is shown)."""
    wanted = [
        b
        for b in diagram.loop_labels
        if all(v in positions for v in b.loop) and (only is None or not only.isdisjoint(b.loop))
    ]
    if not wanted:
        return {}
    boxes = rects(positions, sizes)
    grid = Grid(boxes, cell=120.0)
    ink = Grid({}, cell=60.0)
    for link_id, points in link_samples(diagram, positions, curvatures).items():
        for k, (x, y) in enumerate(points):
            ink.add(f"{link_id}#{k}", Rect(x, y, 1.0, 1.0))
    out: dict[str, Point] = {}
    for label in diagram.loop_labels:
        if any(v not in positions for v in label.loop):
            continue
        if only is not None and only.isdisjoint(label.loop):
            continue
        extent = label_extent(label.name)
        if len(label.loop) == 1:
            out[label.id] = _self_loop_label(boxes[label.loop[0]], extent)
            continue
        pts = [positions[v] for v in label.loop]
        start = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
        outline = loop_outline(diagram, label.loop, positions, curvatures)
        spot = _clear_spot(start, extent, grid, ink, outline, waterline)
        out[label.id] = spot
        left, top, right, bottom = extent
        ink.add(
            f"label:{label.id}",
            Rect(
                spot[0] + (left + right) / 2,
                spot[1] + (top + bottom) / 2,
                (right - left) / 2,
                (bottom - top) / 2,
            ),
        )
    return out


def _clear_spot(
    start: Point,
    extent: tuple[float, float, float, float],
    grid: Grid,
    ink: Grid,
    polygon: Sequence[Point],
    waterline: float | None = None,
) -> Point:
    """The first spot on a spiral from ``start`` clear of boxes, ink and the waterline, inside
    ``polygon`` when the polygon has room (a loop's label belongs inside its loop)."""
    left, top, right, bottom = extent
    hw, hh = (right - left) / 2, (bottom - top) / 2
    ox, oy = (left + right) / 2, (top + bottom) / 2
    best: tuple[int, Point] | None = None
    # The spiral reaches as far as the loop does (a big loop's middle may be crowded while
    # there is room inside nearer its rim), at least 600 spots, at most MAX_SPOTS.
    reach = max((math.dist(start, p) for p in polygon), default=0.0)
    for k in range(min(MAX_SPOTS, max(600, int((reach / 6.0) ** 2)))):
        radius = 6.0 * math.sqrt(k)
        angle = k * 2.399963
        x, y = start[0] + radius * math.cos(angle), start[1] + radius * math.sin(angle)
        box = Rect(x + ox, y + oy, hw, hh)
        # Covering a variable is worst, then covering ink; outside its loop is only a
        # last preference (a clear spot outside beats a cluttered one inside).
        hits = len(grid.overlapping(box, 6.0)) * 1000 + len(ink.overlapping(box, 3.0)) * 10
        if len(polygon) > 2 and not inside((x, y), polygon):
            hits += 5
        # On the waterline a label hides the line and crowds its captions: nearly as bad as
        # covering a variable (a loop that crosses the line has room on either side of it).
        if waterline is not None and y + top - WATER_CLEARANCE < waterline < y + bottom + (
            WATER_CLEARANCE
        ):
            hits += 500
        if hits == 0:
            return (x, y)
        if best is None or hits < best[0]:
            best = (hits, (x, y))
    assert best is not None
    return best[1]
