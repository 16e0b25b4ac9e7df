"""Loop-label spots after a layout, Qt-free: :func:`loop_label_spots` puts each loop label at the
middle of its loop, or the nearest spot from there that is clear of every variable, link and
label placed before it, and of the iceberg's waterline when one is shown, inside the loop as
drawn (its links' arcs, :func:`loop_outline`) when there is room there.

Where loops overlap (they share variables, as in most real models), a spot inside its own loop
may lie inside other labelled loops too, and the reader cannot tell which loop a label names: of
the clear spots inside its loop, a label takes the one inside the fewest other labelled loops
(nearest the middle among equals); with no clear spot inside, the nearest clear spot outside
that lies no nearer another loop's outline than its own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ..core.model import Diagram
from .boxes import Grid, Point, Rect, Size, rects, text_width
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
#: Where no spot is clear, what one costs beside the things it covers (a variable 1,000, the
#: waterline 500, each sample of a link under it 10): lying outside its own loop.
OUTSIDE = 30.0
#: A clear spot outside its loop should lie no nearer another loop's outline than this beyond
#: its own loop's, or the label seems to name the other loop.
OUTLINE_MARGIN = 10.0
#: Labels keep this much more apart than touching: two labels side by side read as a pair and
#: the reader cannot tell which loop each names.
LABEL_GAP = 24.0
#: Spots tested against their own loop at once (numpy) on the spiral.
CHUNK = 128
#: Clear spots inside its loop (but inside other loops too) weighed before the best is taken.
MAX_INSIDE = 60


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
    starts: Mapping[str, Point] | None = None,
) -> dict[str, Point]:
    """A spot for each loop label whose variables all exist (or only those of loops touching
    ``only``): the middle of its loop, or the nearest spot from there clear of variables,
    links, the labels placed before it and the ``waterline`` (its y, when one is shown).
    ``starts`` gives labels a spot to search from instead of their loop's middle (where an
    imported drawing put them: kept when clear)."""
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
    # Every labelled loop as drawn: a label inside another loop, or nearer another loop than
    # its own, seems to name that one.
    outlines = {
        b.id: loop_outline(diagram, b.loop, positions, curvatures)
        for b in diagram.loop_labels
        if len(b.loop) > 1 and all(v in positions for v in b.loop)
    }
    # How many labelled loops pass through each variable: a label starts its search nearer
    # the members its loop has to itself, so that labels of loops sharing most of their
    # variables do not all start from one middle.
    shared: dict[str, int] = {}
    for b in diagram.loop_labels:
        for v in set(b.loop):
            shared[v] = shared.get(v, 0) + 1
    out: dict[str, Point] = {}
    # The smallest loops first: they have the least room, and a bigger loop around them then
    # finds its spot outside them (``_clear_spot``).
    for label in sorted(diagram.loop_labels, key=lambda b: _area(outlines.get(b.id, ()))):
        if any(v not in positions for v in label.loop):
            continue
        if only is not None and only.isdisjoint(label.loop):
            continue
        extent = label_extent(label.name)
        if len(label.loop) == 1:
            out[label.id] = _self_loop_label(boxes[label.loop[0]], extent)
            continue
        start = (starts or {}).get(label.id) or _start(label.loop, positions, shared)
        outline = outlines[label.id]
        others = [shape for key, shape in outlines.items() if key != label.id]
        spot = _clear_spot(start, extent, grid, ink, outline, waterline, others)
        out[label.id] = spot
        left, top, right, bottom = extent
        ink.add(
            f"label:{label.id}",
            Rect(
                spot[0] + (left + right) / 2,
                spot[1] + (top + bottom) / 2,
                (right - left) / 2 + LABEL_GAP,
                (bottom - top) / 2 + LABEL_GAP,
            ),
        )
    return {b.id: out[b.id] for b in diagram.loop_labels if b.id in out}


def _start(loop: Sequence[str], positions: Mapping[str, Point], shared: Mapping[str, int]) -> Point:
    """Where the search for a loop's label starts: the middle of its members, each weighed
    by 1 / n² for the n labelled loops through it (its own included)."""
    weights = [1.0 / max(1, shared.get(v, 1)) ** 2 for v in loop]
    total = sum(weights)
    x = sum(w * positions[v][0] for w, v in zip(weights, loop, strict=True)) / total
    y = sum(w * positions[v][1] for w, v in zip(weights, loop, strict=True)) / total
    return (x, y)


def _area(polygon: Sequence[Point]) -> float:
    """The area a loop's outline encloses (shoelace; 0 for fewer than three points)."""
    if len(polygon) < 3:
        return 0.0
    a = np.asarray(polygon, dtype=float)
    x, y = a[:, 0], a[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def _edges(polygon: np.ndarray) -> np.ndarray:
    """The closed outline through ``polygon`` (n x 2) as edges (n x 4: x0, y0, x1, y1)."""
    return np.hstack((polygon, np.roll(polygon, 1, axis=0)))


def _inside_all(spots: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Even-odd rule for many spots (k x 2) at once: which lie inside the outline ``edges``."""
    x, y = spots[:, 0:1], spots[:, 1:2]
    x0, y0, x1, y1 = (edges[None, :, j] for j in range(4))
    crosses = (y0 > y) != (y1 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    return ((crosses & (x < at)).sum(axis=1) % 2) == 1


def _distance_all(spots: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """The distance from each spot (k x 2) to the closed outline through ``polygon``."""
    a, b = polygon, np.roll(polygon, -1, axis=0)
    d = b - a
    length2 = np.maximum((d * d).sum(axis=1), 1e-12)
    rel = spots[:, None, :] - a[None, :, :]
    t = np.clip((rel * d[None]).sum(axis=2) / length2[None], 0.0, 1.0)
    gap = rel - t[..., None] * d[None]
    return np.sqrt((gap * gap).sum(axis=2)).min(axis=1)


def _inside_counts(
    spots: np.ndarray, shapes: Sequence[tuple[np.ndarray, np.ndarray]], wanted: np.ndarray
) -> np.ndarray:
    """How many of ``shapes`` (other loops' outlines: edges and bounding box) each of the
    ``wanted`` ``spots`` lies inside (0 for the others)."""
    count = np.zeros(len(spots), dtype=np.int64)
    x, y = spots[:, 0], spots[:, 1]
    for edges, (lo_x, lo_y, hi_x, hi_y) in shapes:
        within = np.flatnonzero(wanted & (lo_x <= x) & (x <= hi_x) & (lo_y <= y) & (y <= hi_y))
        if len(within):
            count[within] += _inside_all(spots[within], edges)
    return count


def _nearer_others(
    spots: np.ndarray, own: np.ndarray, others: Sequence[np.ndarray], wanted: np.ndarray
) -> np.ndarray:
    """For each of the ``wanted`` ``spots`` (outside its loop), whether it lies nearer another
    loop's outline than OUTLINE_MARGIN beyond its own loop's (False for the others). An
    outline whose bounding box is that far from a spot or farther is not measured."""
    nearer = np.zeros(len(spots), dtype=bool)
    at = np.flatnonzero(wanted)
    if not len(at):
        return nearer
    points = spots[at]
    mine = _distance_all(points, own) + OUTLINE_MARGIN
    for other in others:
        lo, hi = other.min(axis=0), other.max(axis=0)
        gap = np.maximum(np.maximum(lo - points, points - hi), 0.0)
        close = np.flatnonzero(np.sqrt((gap * gap).sum(axis=1)) < mine)
        if len(close):
            nearer[at[close]] |= _distance_all(points[close], other) < mine[close]
    return nearer


def _clear_spot(
    start: Point,
    extent: tuple[float, float, float, float],
    grid: Grid,
    ink: Grid,
    polygon: Sequence[Point],
    waterline: float | None = None,
    others: Sequence[Sequence[Point]] = (),
) -> Point:
    """A spot on a spiral from ``start`` for a label of ``extent`` (see the module doc): of
    the spots clear of boxes, ink and the waterline inside ``polygon`` (its loop), the one
    inside the fewest of ``others``, nearest ``start`` among equals; else the first clear spot
    outside its loop that lies no nearer another loop than its own (else the first clear one);
    else the spot that covers least, inside its loop preferred."""
    left, top, right, bottom = extent
    hw, hh = (right - left) / 2, (bottom - top) / 2
    ox, oy = (left + right) / 2, (top + bottom) / 2
    # The spiral reaches as far as the loop does (a big loop's middle may be crowded while
    # there is room inside nearer its rim), at least 600 spots, at most MAX_SPOTS.
    reach = max((math.dist(start, p) for p in polygon), default=0.0)
    count = min(MAX_SPOTS, max(600, int((reach / 6.0) ** 2)))
    k = np.arange(count)
    radius, angle = 6.0 * np.sqrt(k), k * 2.399963
    spots = np.column_stack((start[0] + radius * np.cos(angle), start[1] + radius * np.sin(angle)))
    outlines = [a for a in (np.asarray(o, dtype=float) for o in others) if len(a) > 2]
    shapes = [(_edges(a), (*a.min(axis=0), *a.max(axis=0))) for a in outlines]
    own = np.asarray(polygon, dtype=float)
    own_edges = _edges(own) if len(own) > 2 else own
    has_shape = len(polygon) > 2
    inner: tuple[int, int] | None = None  # (other loops around it, index) of the best inside
    outer: int | None = None  # the first clear spot outside, no nearer another loop
    outer_any: int | None = None  # the first clear spot outside
    fallback: tuple[float, int] | None = None
    found = 0  # clear spots inside the loop seen so far
    ins = np.zeros(0, dtype=bool)
    covered = np.zeros(0, dtype=np.int64)
    for i in range(count):
        if i % CHUNK == 0:
            if radius[i] > reach and (inner or outer is not None or outer_any is not None):
                break  # every spot from here lies outside the loop, no nearer than those found
            chunk = spots[i : i + CHUNK]
            ins = _inside_all(chunk, own_edges) if has_shape else np.ones(len(chunk), dtype=bool)
            # Covering a variable is worst, then covering ink.
            boxed = chunk + np.array([ox, oy])  # the label's box centres
            covered = (
                grid.count_overlapping(boxed, (hw, hh), 6.0) * 1000
                + ink.count_overlapping(boxed, (hw, hh), 3.0) * 10
            )
            around_all: np.ndarray | None = None  # other loops around each spot, when needed
            nearer_all: np.ndarray | None = None  # nearer another loop than its own, the same
        inside_own = bool(ins[i % CHUNK])
        if not inside_own and (inner is not None or outer is not None):
            continue  # a clear spot inside, or a clear one outside by its own loop, is known
        x, y = float(spots[i, 0]), float(spots[i, 1])
        hits = int(covered[i % CHUNK])
        # On the waterline a label hides the line and crowds its captions: nearly as bad as
        # covering a variable (a loop that crosses the line has room on either side of it).
        if waterline is not None and y + top - WATER_CLEARANCE < waterline < y + bottom + (
            WATER_CLEARANCE
        ):
            hits += 500
        if hits:
            cost = hits + (0 if inside_own else OUTSIDE)
            if fallback is None or cost < fallback[0]:
                fallback = (cost, i)
            continue
        if inside_own:
            if shapes and around_all is None:
                around_all = _inside_counts(chunk, shapes, (covered == 0) & ins)
            around = int(around_all[i % CHUNK]) if around_all is not None else 0
            if around == 0:
                return (x, y)
            if inner is None or around < inner[0]:
                inner = (around, i)
            found += 1
            if found >= MAX_INSIDE:
                break
        elif outer_any is None or outer is None:
            if outer_any is None:
                outer_any = i
            if outlines and nearer_all is None:
                nearer_all = _nearer_others(chunk, own, outlines, (covered == 0) & ~ins)
            if nearer_all is None or not nearer_all[i % CHUNK]:
                outer = i
    chosen = (
        inner[1]
        if inner is not None
        else outer
        if outer is not None
        else outer_any
        if outer_any is not None
        else fallback[1]
        if fallback is not None
        else 0
    )
    return (float(spots[chosen, 0]), float(spots[chosen, 1]))
