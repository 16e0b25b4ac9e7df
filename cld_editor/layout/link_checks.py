"""Links as drawn, tested against the variables' boxes, for the link repair (:mod:`.repair`)
and the links an edit disturbs (:mod:`.moved_links`): which links pass over a variable they do
not connect, the nearest bend that clears every box, the drawing's arrowhead aims worked out a
few targets at a time (so that a cancelled layout stops between them, :mod:`.cancel`), and the
spiral of spots a variable that must step aside tries. A link bent again after an edit
(:mod:`.moved_links`) may be given a :class:`BendRoom`: its bow then stays within a few box
heights of its chord and within the diagram, however long the link (the curvature counts in
chords, so a bend of 0.8 on a link 8,000 units long would bow it 6,400 units out).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..core.model import Link
from .aims import Outline, arrival_aims, drawn_points
from .boxes import Grid, Point
from .cancel import checkpoint
from .links import MAX_BEND, blocking, clear_each

#: How far the check reaches beyond a box (arrowheads and the stroke of a drawn link), and how
#: far apart it samples a link (as finely as the benchmark's measure).
MARGIN = 2.0
SPACING = 4.0
#: Bends tested against the boxes at once when a link is bent again.
REBEND_BATCH = 16
#: Bends tried when a link is bent again: MAX_BEND / BEND_STEP each way.
BEND_STEP = 0.02
#: Within a :class:`BendRoom`, bends are tried this many scene units of bow apart on a link
#: long enough that BEND_STEP would be coarser (on 8,000 units it is 160).
BULGE_STEP = 6.0


@dataclass(frozen=True)
class BendRoom:
    """How far a link bent again may bow: no more than ``bulge`` scene units from its chord,
    and its arc inside ``bounds`` (left, top, right, bottom)."""

    bulge: float
    bounds: tuple[float, float, float, float]

    def bends(self, p0: Point, p1: Point) -> list[float]:
        """The curvatures allowed to the link p0 -> p1 by the bulge, straight included, in
        steps of BEND_STEP or, on a long link, of BULGE_STEP units of bow."""
        chord = math.dist(p0, p1)
        if chord < 1e-9:
            return [0.0]
        step = min(BEND_STEP, BULGE_STEP / chord)
        limit = min(MAX_BEND, self.bulge / chord)
        steps = int(limit / step + 1e-9)
        return [round(k * step, 5) + 0.0 for k in range(-steps, steps + 1)]

    def holds(self, points: np.ndarray) -> bool:
        """Whether a link drawn through ``points`` stays inside the bounds."""
        left, top, right, bottom = self.bounds
        lo, hi = points.min(axis=0), points.max(axis=0)
        return bool(lo[0] >= left and lo[1] >= top and hi[0] <= right and hi[1] <= bottom)


def links_over(
    links: Sequence[Link],
    pos: Mapping[str, Point],
    curvatures: Mapping[str, float],
    grid: Grid,
    margin: float = MARGIN,
    aims: Mapping[str, Point] | None = None,
) -> dict[str, list[str]]:
    """Each link (by id) that, as drawn (aimed by ``aims``), passes over variables it does not
    connect, with those variables."""
    aims = aims or {}
    out: dict[str, list[str]] = {}
    for link in links:
        checkpoint()
        c = curvatures.get(link.id, link.curvature)
        points = drawn_points(pos[link.source], pos[link.target], c, aims.get(link.id), SPACING)
        hit = blocking(points, grid, (link.source, link.target), margin)
        if hit:
            out[link.id] = sorted(hit)
    return out


def rebend(
    link: Link,
    pos: Mapping[str, Point],
    grid: Grid,
    current: float,
    partner: float | None,
    aim: Point | None,
    settles: Callable[[float], bool] = lambda c: True,
    room: BendRoom | None = None,
) -> tuple[float | None, int]:
    """The bend nearest ``current`` that clears every box, and for which ``settles`` (the
    arrowheads at the target spread again) holds, or None; and how many bends were tried.
    With ``room``, only bends within it are tried (:class:`BendRoom`)."""
    p0, p1 = pos[link.source], pos[link.target]
    if room is None:
        steps = round(MAX_BEND / BEND_STEP)
        choices = [round(k * BEND_STEP, 3) for k in range(-steps, steps + 1)]
    else:
        choices = room.bends(p0, p1)
    bends = sorted(choices, key=lambda c: (abs(c - current), c))
    # Not on its link back (it would lie on it).
    bends = [c for c in bends if partner is None or (abs(c) >= 0.08 and abs(c + partner) >= 0.2)]
    tried = 0
    ends = (link.source, link.target)
    start, size = 0, 1
    while start < len(bends):  # a few bends tested at once: 1, then 4, then REBEND_BATCH
        checkpoint()
        batch = bends[start : start + size]
        start, size = start + size, min(4 * size, REBEND_BATCH)
        lines = [drawn_points(p0, p1, c, aim) for c in batch]
        flags = clear_each(lines, grid, ends)
        if room is not None:
            flags &= np.array([room.holds(line) for line in lines], dtype=bool)
        for c, free in zip(batch, flags.tolist(), strict=True):
            tried += 1
            if free and settles(c):
                return c + 0.0, tried
    return None, tried


def spiral(centre: Point, step: float, count: int) -> Iterator[Point]:
    """``count`` - 1 spots on an even spiral around ``centre`` (the golden angle apart)."""
    for k in range(1, count):
        radius = step * math.sqrt(k)
        angle = k * 2.399963
        yield (centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle))


#: Links whose aims are worked out at once (all the links into the same targets).
AIM_CHUNK = 40


def aims_in_parts(
    links: Iterable[Link],
    pos: Mapping[str, Point],
    boxes: Mapping[str, Outline],
    curvatures: Mapping[str, float],
) -> dict[str, Point]:
    """:func:`.aims.arrival_aims` of ``links``, worked out for a few targets at a time (each
    target's arrowheads are spread among its own links only, so the result is the same)."""
    by_target: dict[str, list[Link]] = {}
    for link in links:
        by_target.setdefault(link.target, []).append(link)
    aims: dict[str, Point] = {}
    part: list[Link] = []
    for target in sorted(by_target):
        part += by_target[target]
        if len(part) >= AIM_CHUNK:
            checkpoint()
            aims.update(arrival_aims(part, pos, boxes, curvatures))
            part = []
    if part:
        checkpoint()
        aims.update(arrival_aims(part, pos, boxes, curvatures))
    return aims
