"""Link shapes after a layout, Qt-free (loop-label spots: :mod:`.loop_labels`).

A link is drawn as a circular arc between its ends' centres bowing to the LEFT of its direction
by ``curvature`` times the distance between them (the drawing code's rule, see
``ui/drawing/geometry.py``). :func:`link_curvatures` gives each link the curvature that follows
its loop's circle when the loop is drawn round, or a straight line (a slight bow for a link with
a link back), and then bends it as little further as needed so that it passes over no variable it
does not connect. :func:`loop_label_spots` puts each loop label at the middle of its loop, or the
nearest spot from there that is clear of every variable and link.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ..core.model import DEFAULT_CURVATURE, Diagram
from .boxes import FrozenCells, Grid, Point, Rect, Size, rects
from .cancel import checkpoint

#: Steps tried away from a link's preferred curvature (each way), and their size.
BEND_STEPS = 12
BEND_STEP = 0.1
MAX_BEND = 0.8
#: Fine steps (a third of a step) tried each way when no coarse step clears a link.
FINE_STEPS = 18
#: A link longer than this is tested bend by bend against the grid (and gets no fine steps).
LONG_LINK = 900.0
#: Above this many links, bends are tried only within QUICK_REACH of the preferred one.
QUICK_ABOVE = 2000
QUICK_REACH = 0.4
#: Above this many links, links longer than LONG_LINK are sampled COARSE_SPACING apart while
#: their bends are chosen: still two samples in the narrowest box (30 units and the clearance)
#: a link runs through, though one that only clips a corner may be missed (the repair that
#: follows samples every link 4 units apart).
COARSE_ABOVE = 1000
COARSE_SPACING = 16.0
#: Steps of the bows tried for a link running backwards in the Layered style, smallest first.
BACK_STEP = 0.05
#: Points of a link from which :func:`blocking` looks at the grid as arrays (building them
#: once after each change of the grid costs about a millisecond on 1,000 boxes).
FREEZE_FROM = 150
#: Keep this far from the outline of a variable a link passes.
CLEARANCE = 4.0
SAMPLE_SPACING = 8.0


def arc_points(
    p0: Point, p1: Point, curvature: float, spacing: float = SAMPLE_SPACING
) -> np.ndarray:
    """Points (an n x 2 array) along the arc from p0 to p1 that bows left by ``curvature`` x
    chord, about ``spacing`` apart, both ends included."""
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    chord = math.hypot(dx, dy)
    if chord < 1e-9:
        return np.array([p0], dtype=float)
    if abs(curvature) < 1e-3:
        n = max(2, math.ceil(chord / spacing))
        t = _unit_steps(n)
        out = np.empty((n + 1, 2))
        out[:, 0] = p0[0] + dx * t
        out[:, 1] = p0[1] + dy * t
        return out
    nx, ny = dy / chord, -dx / chord
    s = curvature * chord
    radius = (chord * chord / 4 + s * s) / (2 * abs(s))
    mx, my = (p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2
    off = s - math.copysign(radius, s)
    cx, cy = mx + nx * off, my + ny * off
    a0 = math.atan2(p0[1] - cy, p0[0] - cx)
    a1 = math.atan2(p1[1] - cy, p1[0] - cx)
    am = math.atan2(my + ny * s - cy, mx + nx * s - cx)
    forward = (a1 - a0) % (2 * math.pi)
    sweep = forward if (am - a0) % (2 * math.pi) < forward else forward - 2 * math.pi
    n = max(2, math.ceil(abs(sweep) * radius / spacing))
    angles = a0 + sweep * _unit_steps(n)
    out = np.empty((n + 1, 2))
    np.cos(angles, out=out[:, 0])
    np.sin(angles, out=out[:, 1])
    out[:, 0] *= radius
    out[:, 0] += cx
    out[:, 1] *= radius
    out[:, 1] += cy
    return out


def _unit_steps(n: int) -> np.ndarray:
    """``np.linspace(0.0, 1.0, n + 1)``, the same numbers, without its overhead."""
    t = np.arange(n + 1, dtype=float)
    t *= 1.0 / n
    t[-1] = 1.0
    return t


def blocking(
    points: Sequence[Point], grid: Grid, ends: tuple[str, str], margin: float = CLEARANCE
) -> set[str]:
    """Variables (other than ``ends``) whose box, grown by ``margin``, holds one of ``points``.

    Only boxes in the grid cells the points fall in are looked at (the grid registers each box
    with a margin), all of them at once (numpy).
    """
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    if grid.frozen is not None or len(pts) > FREEZE_FROM:  # the grid as arrays (numpy)
        return _blocking_frozen(pts, grid.freeze(), ends, margin)
    cells = np.floor(pts / grid.cell).astype(np.int64)
    if len(cells) > 1:  # neighbouring points mostly share a cell: keep each run's first
        cells = cells[np.concatenate(([True], (cells[1:] != cells[:-1]).any(axis=1)))]
    found: set[str] = set()
    for gx, gy in set(map(tuple, cells.tolist())):
        found.update(grid.cell_keys(gx, gy))
    keys = sorted(found.difference(ends))
    if not keys:
        return set()
    boxes = np.array(
        [[grid.boxes[k].cx, grid.boxes[k].cy, grid.boxes[k].hw, grid.boxes[k].hh] for k in keys]
    )
    inside = (np.abs(pts[:, None, 0] - boxes[None, :, 0]) <= boxes[None, :, 2] + margin) & (
        np.abs(pts[:, None, 1] - boxes[None, :, 1]) <= boxes[None, :, 3] + margin
    )
    return {keys[j] for j in np.flatnonzero(inside.any(axis=0))}


def _blocking_frozen(
    pts: np.ndarray, frozen: FrozenCells, ends: tuple[str, str], margin: float
) -> set[str]:
    """:func:`blocking` on a frozen grid: each point against the boxes of its own cell."""
    _point, box = _inside(pts, frozen, ends, margin)
    return {frozen.names[k] for k in np.unique(box).tolist()}


def _inside(
    pts: np.ndarray, frozen: FrozenCells, ends: tuple[str, str], margin: float
) -> tuple[np.ndarray, np.ndarray]:
    """The (point, box) pairs of the frozen grid where a point lies within ``margin`` of a box
    of its cell other than ``ends``'."""
    point, box = frozen.pairs_at(pts)
    for end in ends:
        k = frozen.number.get(end)
        if k is not None and len(box):
            keep = box != k
            point, box = point[keep], box[keep]
    table = frozen.table[box]
    inside = (np.abs(pts[point, 0] - table[:, 0]) <= table[:, 2] + margin) & (
        np.abs(pts[point, 1] - table[:, 1]) <= table[:, 3] + margin
    )
    return point[inside], box[inside]


def clear_each(
    lines: Sequence[np.ndarray], grid: Grid, ends: tuple[str, str], margin: float = CLEARANCE
) -> np.ndarray:
    """For each of ``lines`` (arrays of points), whether it keeps ``margin`` from every box
    but ``ends`` (``not blocking(line, ...)`` for each, all at once on the frozen grid)."""
    flags = np.ones(len(lines), dtype=bool)
    if not len(lines):
        return flags
    frozen = grid.freeze()
    pts = np.concatenate(lines)
    owner = np.repeat(np.arange(len(lines)), [len(line) for line in lines])
    point, _box = _inside(pts, frozen, ends, margin)
    flags[owner[point]] = False
    return flags


def _steps(loop: Sequence[str]) -> list[tuple[str, str]]:
    """The links of a loop, as (source, target) pairs."""
    return list(zip(loop, [*loop[1:], loop[0]], strict=True))


def _round_loops(
    loops: Sequence[Sequence[str]], pos: Mapping[str, Point]
) -> dict[tuple[str, str], tuple[Point, float, bool]]:
    """For each link of a loop drawn about round: the loop's centre, radius and turning."""
    out: dict[tuple[str, str], tuple[Point, float, bool]] = {}
    for loop in loops:
        # A loop of two is a pair of gentle bows (the default for a link with a link back),
        # not a full circle.
        if len(loop) < 3 or any(v not in pos for v in loop):
            continue
        pts = [pos[v] for v in loop]
        cx, cy = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
        dists = [math.dist(p, (cx, cy)) for p in pts]
        radius = sum(dists) / len(dists)
        if radius < 1e-6 or max(abs(d - radius) for d in dists) > 0.35 * radius:
            continue
        area = sum(
            pts[i][0] * pts[(i + 1) % len(pts)][1] - pts[(i + 1) % len(pts)][0] * pts[i][1]
            for i in range(len(pts))
        )
        for i in range(len(loop)):
            out.setdefault((loop[i], loop[(i + 1) % len(loop)]), ((cx, cy), radius, area >= 0))
    return out


def _obstacles(grid: Grid, p0: Point, p1: Point, ends: tuple[str, str]) -> np.ndarray:
    """cx, cy, hw, hh of every box (but ``ends``) that some bend of the link p0 -> p1 could
    pass over: those near the chord, as far out as the largest bow reaches."""
    chord = math.dist(p0, p1)
    reach = chord * MAX_BEND + CLEARANCE
    region = Rect(
        (p0[0] + p1[0]) / 2,
        (p0[1] + p1[1]) / 2,
        abs(p1[0] - p0[0]) / 2 + reach,
        abs(p1[1] - p0[1]) / 2 + reach,
    )
    keys = sorted(k for k in grid.near(region) if k not in ends)
    boxes = [grid.boxes[k] for k in keys]
    return np.array([[b.cx, b.cy, b.hw + CLEARANCE, b.hh + CLEARANCE] for b in boxes]).reshape(
        -1, 4
    )


def _hits(points: np.ndarray, boxes: np.ndarray) -> int:
    """How many of ``boxes`` (already grown by the clearance) hold one of ``points``."""
    if not len(boxes):
        return 0
    lo, hi = points.min(axis=0), points.max(axis=0)
    near = boxes[
        (boxes[:, 0] + boxes[:, 2] >= lo[0])
        & (boxes[:, 0] - boxes[:, 2] <= hi[0])
        & (boxes[:, 1] + boxes[:, 3] >= lo[1])
        & (boxes[:, 1] - boxes[:, 3] <= hi[1])
    ]
    if not len(near):
        return 0
    inside = (np.abs(points[:, None, 0] - near[None, :, 0]) <= near[None, :, 2]) & (
        np.abs(points[:, None, 1] - near[None, :, 1]) <= near[None, :, 3]
    )
    return int(inside.any(axis=0).sum())


def _candidates(preferred: float) -> tuple[list[float], list[float]]:
    """Curvatures to try, nearest ``preferred`` first: coarse steps, and fine ones between."""
    coarse = [
        round(preferred + ((k + 1) // 2) * (1 if k % 2 else -1) * BEND_STEP, 3)
        for k in range(2 * BEND_STEPS + 1)
    ]
    coarse = [c for c in dict.fromkeys(coarse) if abs(c) <= MAX_BEND]
    fine = [
        round(preferred + ((k + 1) // 2) * (1 if k % 2 else -1) * BEND_STEP / 3, 3)
        for k in range(1, 2 * FINE_STEPS + 1)
    ]
    taken = set(coarse)
    fine = [c for c in dict.fromkeys(fine) if abs(c) <= MAX_BEND and c not in taken]
    return coarse, fine or [preferred]


def _apart(c: float, partner: float | None) -> bool:
    """Whether a link bent by ``c`` stays clear of the link back bent by ``partner`` (in its
    own direction, so the two bows lie apart when both are positive)."""
    if partner is None:
        return abs(c) >= 0.08
    return abs(c) >= 0.08 and abs(c + partner) >= 0.2


def _following(p0: Point, p1: Point, centre: Point, radius: float) -> float:
    """The curvature of the arc p0 -> p1 on the circle around ``centre`` (bowing outwards)."""
    chord = math.dist(p0, p1)
    if chord < 1e-9:
        return 0.0
    mx, my = (p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2
    depth = math.dist((mx, my), centre)
    sag = max(radius - depth, 0.0) if depth < radius else 0.0
    nx, ny = (p1[1] - p0[1]) / chord, -(p1[0] - p0[0]) / chord
    side = 1.0 if nx * (mx - centre[0]) + ny * (my - centre[1]) >= 0 else -1.0
    return max(-0.7, min(0.7, side * sag / chord))


def link_curvatures(
    diagram: Diagram,
    positions: Mapping[str, Point],
    sizes: Mapping[str, Size],
    loops: Sequence[Sequence[str]] = (),
    only: set[str] | None = None,
    blocked: dict[str, int] | None = None,
    link_ids: set[str] | None = None,
    back_bow: float = 0.0,
    grid: Grid | None = None,
    work: list[float] | None = None,
    tight_back: bool = True,
) -> dict[str, float]:
    """A curvature for each link (self-links keep theirs), or only for links touching ``only``.
    ``blocked``, when given, receives the links that no bend clears (id -> boxes passed over);
    ``link_ids`` restricts the work to those links. ``back_bow`` is where a link running right
    to left starts (the Layered style bows them below the levels): with ``tight_back`` it
    takes the smallest bow that clears every box, else the one nearest ``back_bow``. ``grid``:
    the boxes at ``positions`` already in a grid (cell 120), where the ends of the links asked
    for may be missing; the repair passes its own rather than have one built for every call.
    ``work``, when given, has the number of points sampled along the bends tried added to its
    first item.

    ``positions`` holds every variable's centre. Links of ``loops`` drawn round follow their
    circle; the others start straight (a link with a link back starts at the default bow, so
    the pair stays apart). Each is then bent step by step, alternately each way, until it passes
    over no variable it does not connect; one that cannot be cleared keeps the bend that passes
    over the fewest.
    """
    if grid is None:
        grid = Grid(rects(positions, sizes), cell=120.0)
        grid.freeze()
    wanted = diagram.links
    if link_ids is not None:
        wanted = [link for link in diagram.links if link.id in link_ids]
        ends = {(link.source, link.target) for link in wanted}
        loops = [lp for lp in loops if len(lp) > 2 and any(p in ends for p in _steps(lp))]
    round_links = _round_loops(loops, positions)
    pair_ids = {(link.source, link.target): link.id for link in diagram.links}
    pairs = pair_ids.keys()
    # On a very big diagram each link gets a few bends near its preferred one, not dozens.
    quick = len(diagram.links) > QUICK_ABOVE
    # ... and its long links are sampled more coarsely (the repair after checks them finely).
    coarse_above = len(diagram.links) > COARSE_ABOVE
    out: dict[str, float] = {}
    for link in wanted:
        checkpoint()
        u, v = link.source, link.target
        backwards = False
        if u == v or (only is not None and u not in only and v not in only):
            continue
        if link_ids is not None and link.id not in link_ids:
            continue
        p0, p1 = positions[u], positions[v]
        reciprocal = (v, u) in pairs
        if (u, v) in round_links:
            centre, radius, _ = round_links[(u, v)]
            preferred = _following(p0, p1, centre, radius)
        else:
            preferred = DEFAULT_CURVATURE if reciprocal else 0.0
            backwards = bool(back_bow) and p1[0] < p0[0] - 1.0
            if backwards:
                preferred = back_bow
        partner = out.get(pair_ids.get((v, u), ""))
        best: tuple[int, float] | None = None
        # A short link: its possible obstacles once, then each bend tested against them; a long
        # one: each bend against the boxes of the grid cells it crosses.
        obstacles = _obstacles(grid, p0, p1, (u, v)) if math.dist(p0, p1) < LONG_LINK else None
        spacing = COARSE_SPACING if coarse_above and obstacles is None else SAMPLE_SPACING
        coarse, fine = _candidates(preferred)
        if backwards and not tight_back:  # round the levels from back_bow outwards
            coarse = [
                sign * round(back_bow + k * BEND_STEP, 3)
                for k in range(BEND_STEPS)
                for sign in (1, -1)
                if back_bow + k * BEND_STEP <= MAX_BEND
            ]
            fine = [preferred]
        elif backwards:
            # The smallest bow, below or above, that clears every box: a link back hugs the
            # levels it spans (or threads between their boxes) instead of a wide arc.
            coarse = [
                sign * round(k * BACK_STEP, 3)
                for k in range(1, round(MAX_BEND / BACK_STEP) + 1)
                for sign in (1, -1)
            ]
            fine = [preferred]
        if obstacles is None:
            fine = [preferred]  # what coarse bends do not clear, variables stepping aside do
        if quick:
            coarse = [c for c in coarse if abs(c - preferred) <= QUICK_REACH] or [preferred]
            fine = [preferred]
        for c in coarse + fine:
            if c is fine[0] and best is not None and best[0] > 1:
                break  # fine steps only help a link that a coarse step nearly cleared
            if reciprocal and not _apart(c, partner):
                continue
            points = arc_points(p0, p1, c, spacing)
            if work is not None:
                work[0] += len(points)
            if obstacles is None:
                hits = len(blocking(points, grid, (u, v)))
            else:
                hits = _hits(points, obstacles)
            if best is None or hits < best[0]:
                best = (hits, c)
            if hits == 0:
                break
        if best is None:  # every bend would lie on the link back: bow away from it
            best = (0, round((partner or 0.0) * -1 + 0.3, 3))
        out[link.id] = best[1] + 0.0
        if blocked is not None and best[0]:
            blocked[link.id] = best[0]
    return out
