"""Hairballs: big diagrams whose links mostly join variables on no short loop (links between
random pairs), laid out as a ring so that no link passes over a variable.

In such a diagram almost every link is long, whatever the layout: spread in a plane, a straight
link passes over four boxes on average (1,000 variables, 2 links each, Loops), and spreading the
plane three times as wide still leaves one over a box for most links, 196 of them past every
bend and every move the link repair tries (and six seconds of trying). On a ring the inside is
empty: every link is an arc from one point of the ring to another, bowed towards the middle
steeply enough (see :func:`ring_bends`) to leave its ends' neighbours on the ring at once, so
it passes over no variable by construction. The order around the ring is the order of the
angles in a quick force-directed layout, so that linked variables sit near each other. The
Iceberg puts its CX band on the upper half of the ring and its EX band on the lower half, the
waterline across the middle.

A diagram is a hairball (:func:`is_hairball`) from ``RING_FROM`` variables when fewer than
``LOOP_SHARE`` of its links lie on the loops the Loops style draws as cycles: 19 to 54% on the
benchmark's random-pair diagrams, 93% on its loop-rich ones of the same size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ..core.model import DEFAULT_CURVATURE, Diagram
from .boxes import GAP, Point, Size
from .cancel import checkpoint
from .cycles import loop_links
from .organic import lay_out_organic
from .pack import by_piece

#: A hairball has at least this many variables (below, a plane layout finds clear bends) ...
RING_FROM = 500
#: ... and fewer than this share of its links on the loops drawn as cycles.
LOOP_SHARE = 0.75
#: Force rounds for the first order around the ring (only the angles matter), and the sweeps
#: moving each variable towards its neighbours on the ring after them.
ORDER_ROUNDS = 60
ORDER_SWEEPS = 15
#: The smallest angle between a link and the ring where it leaves or reaches it (degrees):
#: steep enough to clear the boxes beside its ends.
DEPARTURE = 70.0
#: Extra room between neighbours on the ring, beyond ``GAP``.
ROOM = 16.0


def is_hairball(diagram: Diagram, members: Sequence[str], loops: Sequence[Sequence[str]]) -> bool:
    """Whether ``members`` (the whole diagram) form a hairball (see the module doc)."""
    if len(members) < RING_FROM:
        return False
    links = {(link.source, link.target) for link in diagram.links if link.source != link.target}
    if not links:
        return False
    on_loops = {pair for loop in loops for pair in loop_links(loop)} & links
    return len(on_loops) < LOOP_SHARE * len(links)


def ring_orders(
    members: list[str],
    neighbours: Mapping[str, list[str]],
    sizes: Mapping[str, Size],
    bands: Sequence[Sequence[str]] | None = None,
) -> list[list[str]]:
    """The order around the ring: of all ``members`` (one list), or with ``bands`` (the
    Iceberg's CX and EX) of each band along its half, the upper one left to right and the
    lower one right to left. Each variable starts at its angle around the middle of a quick
    force-directed layout, then ORDER_SWEEPS times moves to the mean direction of its
    neighbours on the ring (and of itself), which shortens links and so uncrosses them
    (1,000 variables, 2 links each: 216,000 crossings -> 187,000)."""
    pos = by_piece(
        members,
        neighbours,
        sizes,
        lambda p: lay_out_organic(p, neighbours, sizes, 0, iterations=ORDER_ROUNDS),
    )
    cx = sum(x for x, _ in pos.values()) / len(pos)
    cy = sum(y for _, y in pos.values()) / len(pos)
    index = {v: i for i, v in enumerate(members)}
    theta = np.array([math.atan2(pos[v][1] - cy, pos[v][0] - cx) for v in members])
    src = np.array([index[u] for u in members for n in neighbours[u] if n in index], dtype=int)
    dst = np.array([index[n] for u in members for n in neighbours[u] if n in index], dtype=int)
    # Arcs: (members' numbers, first angle, sweep, whether ordered left to right by x).
    arcs = (
        [(np.arange(len(members)), -math.pi, 2 * math.pi)]
        if bands is None
        else [
            (np.array([index[v] for v in band], dtype=int), start, math.pi)
            for band, start in zip(bands, (-math.pi, 0.0), strict=True)
        ]
    )

    def orders() -> list[np.ndarray]:
        out = []
        for numbers, start, _sweep in arcs:
            if bands is None:
                key = np.mod(theta[numbers] - start, 2 * math.pi)
            else:  # along the half: the upper one from the left, the lower from the right
                key = np.cos(theta[numbers]) * (1.0 if start < -1.0 else -1.0)
            out.append(numbers[np.lexsort((numbers, key))])
        return out

    for _ in range(ORDER_SWEEPS):
        checkpoint()
        for (_, start, sweep), ranked in zip(arcs, orders(), strict=True):
            theta[ranked] = start + sweep * (np.arange(len(ranked)) + 0.5) / max(len(ranked), 1)
        sx = np.bincount(src, weights=np.cos(theta[dst]), minlength=len(members))
        sy = np.bincount(src, weights=np.sin(theta[dst]), minlength=len(members))
        theta = np.arctan2(sy + np.sin(theta), sx + np.cos(theta))
    return [[members[k] for k in ranked.tolist()] for ranked in orders()]


def _span(size: Size, angle: float) -> float:
    """Room along the ring for a box at ``angle``: its extent along the tangent, and the gap."""
    return abs(size[0] * math.sin(angle)) + abs(size[1] * math.cos(angle)) + GAP + ROOM


def _on_arc(
    order: list[str], sizes: Mapping[str, Size], start: float, sweep: float, radius: float
) -> list[float]:
    """Angles for ``order`` from ``start`` over ``sweep``, each box given its span there."""
    angles = [start + sweep * (k + 0.5) / len(order) for k in range(len(order))]
    for _ in range(2):  # spans depend on where a box sits: place, measure, place again
        spans = [_span(sizes[v], a) for v, a in zip(order, angles, strict=True)]
        total = sum(spans)
        at, out = start, []
        for span in spans:
            out.append(at + sweep * span / 2 / total)
            at += sweep * span / total
        angles = out
    return angles


def _radius(order: Sequence[str], sizes: Mapping[str, Size], sweep: float) -> float:
    """A radius at which ``order`` fits on an arc of ``sweep`` (the widest spans count)."""
    room = sum(max(sizes[v][0], sizes[v][1]) + GAP + ROOM for v in order)
    return max(200.0, room / sweep)


def ring(order: Sequence[str], sizes: Mapping[str, Size], centre: Point) -> dict[str, Point]:
    """``order`` on one circle around ``centre``, each given room for its box."""
    order = list(order)
    radius = _radius(order, sizes, 2 * math.pi)
    placed = _on_arc(order, sizes, -math.pi, 2 * math.pi, radius)
    return {
        v: (centre[0] + radius * math.cos(a), centre[1] + radius * math.sin(a))
        for v, a in zip(order, placed, strict=True)
    }


def half_rings(
    top: Sequence[str],
    bottom: Sequence[str],
    sizes: Mapping[str, Size],
    centre_x: float,
    waterline: float,
    margin: float,
) -> dict[str, Point]:
    """``top`` (in order, left to right) on the upper half of a circle centred on the
    waterline, ``bottom`` (right to left) on the lower half, every box at least ``margin``
    from the line."""
    out: dict[str, Point] = {}
    radius = max(
        _radius(top, sizes, math.pi) if top else 0.0,
        _radius(bottom, sizes, math.pi) if bottom else 0.0,
    )
    tallest = max(sizes[v][1] for v in (*top, *bottom))
    gap = math.asin(min(0.5, (margin + tallest / 2 + GAP) / radius))
    for band, start in ((top, -math.pi + gap), (bottom, gap)):
        if not band:
            continue
        placed = _on_arc(list(band), sizes, start, math.pi - 2 * gap, radius)
        for v, a in zip(band, placed, strict=True):
            out[v] = (centre_x + radius * math.cos(a), waterline + radius * math.sin(a))
    return out


def ring_bends(diagram: Diagram, pos: Mapping[str, Point], centre: Point) -> dict[str, float]:
    """A curvature for each link (not a self-link) between variables on a ring around
    ``centre``: bowed towards the middle just enough to meet the ring at ``DEPARTURE`` degrees
    or more; of a link and its link back, the second bows further, so that the two lie apart."""
    out: dict[str, float] = {}
    done: set[tuple[str, str]] = set()
    steep = math.radians(DEPARTURE)
    for link in diagram.links:
        u, v = link.source, link.target
        if u == v or u not in pos or v not in pos:
            continue
        (x0, y0), (x1, y1) = pos[u], pos[v]
        chord = math.hypot(x1 - x0, y1 - y0)
        if chord < 1e-9:
            out[link.id] = 0.0
            continue
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        r0 = math.hypot(x0 - centre[0], y0 - centre[1])
        # The chord meets the ring at half the angle it spans at the centre.
        half = math.asin(min(1.0, chord / (2 * max(r0, 1e-9))))
        lacking = max(0.0, steep - half)
        c = max(0.08, math.tan(lacking / 2) / 2)  # an arc meets its chord at 2 atan(2c)
        if (v, u) in done:
            c = max(c, DEFAULT_CURVATURE) + 0.25
        done.add((u, v))
        # Left of the direction of travel (the drawing's rule) is towards the middle, or not.
        nx, ny = (y1 - y0) / chord, -(x1 - x0) / chord
        side = 1.0 if nx * (centre[0] - mx) + ny * (centre[1] - my) >= 0 else -1.0
        out[link.id] = round(side * c, 3) + 0.0
    return out
