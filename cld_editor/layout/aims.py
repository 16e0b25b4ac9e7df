"""The arrowhead-spreading rule: where a link is aimed inside its target, for the drawing and
the layouts alike.

A link is drawn as an arc aimed at its target's centre, except where the tips of several links
arriving at one target come closer than ``SPREAD_GAP`` on its outline: those links are aimed
``SPREAD_GAP`` apart across their mean direction of arrival, in the order their tips have, so
their arrowheads and signs stay apart (:func:`spread_aims`). The aimed link is still the arc with
the same curvature, now ending at the aimed point, which moves its last stretch by up to the
size of the target. This module is the rule's one home: the drawing
(``ui/drawing/link_layout.py``) imports :func:`spread_aims`, and :func:`arrival_aims` applies it
to a layout's boxes with the tips found on the outline as drawn (rounded corners of
``CORNER_RADIUS``), so a layout checks links exactly where the canvas draws them;
:func:`drawn_points` samples a link as drawn. ``tests/layout/test_aims.py`` holds the two to the
same aims on examples and generated diagrams.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Protocol

import numpy as np

from ..core.model import Link
from .boxes import Point
from .links import SAMPLE_SPACING, arc_points

SPREAD_GAP = 16.0  # arrowheads closer than this on one outline are spread this far apart
SPREAD_MARGIN = 5.0  # a spread arc still aims this far inside the target's outline
#: The corner radius of a variable's box as drawn (the drawing imports it from here).
CORNER_RADIUS = 9.0
_STRAIGHT = 1e-3  # below this |curvature| a link is drawn straight (as in the drawing)
_BISECTIONS = 32


class Outline(Protocol):
    """What the rule needs of a target: its centre and half extents."""

    @property
    def cx(self) -> float: ...
    @property
    def cy(self) -> float: ...
    @property
    def hw(self) -> float: ...
    @property
    def hh(self) -> float: ...


def angle_round(point: Point, target: Outline) -> float:
    """The angle of ``point`` round ``target``'s centre, rounded to a millionth of a radian so
    that float noise cannot reorder two points; a point at the centre (a tip inside overlapping
    boxes, whose angle is noise) sorts last."""
    dx, dy = point[0] - target.cx, point[1] - target.cy
    if math.hypot(dx, dy) <= 1e-6:
        return 9.0
    return round(math.atan2(dy, dx), 6)


def spread_aims(target: Outline, tips: Mapping[str, tuple[Point, float]]) -> dict[str, Point]:
    """Aims (offsets from ``target``'s centre) that part arrowheads crowding one spot.

    ``tips`` holds, for each link arriving at ``target`` (self-links excluded), the tip and tip
    angle it has when aimed at the centre. Tips closer than SPREAD_GAP to a neighbour form a
    group; its links are aimed SPREAD_GAP apart across the group's mean direction, in the order
    their tips already have, so they neither cross nor pile up and their signs come apart.
    Links that are alone get no entry. Deterministic: the same inputs give the same aims.
    """
    if len(tips) < 2:
        return {}
    # Keys rounded to a millionth: a link moved with both its ends (translated) and the same
    # link drawn afresh differ by float noise, which must not regroup or reorder.
    around = sorted(tips, key=lambda i: (angle_round(tips[i][0], target), i))

    def close(a: str, b: str) -> bool:
        return round(math.dist(tips[a][0], tips[b][0]), 6) < SPREAD_GAP

    groups: list[list[str]] = [[around[0]]]
    for link_id in around[1:]:
        if close(groups[-1][-1], link_id):
            groups[-1].append(link_id)
        else:
            groups.append([link_id])
    # The circle closes: the last group may continue into the first.
    if len(groups) > 1 and close(groups[-1][-1], groups[0][0]):
        groups[0] = groups.pop() + groups[0]
    aims: dict[str, Point] = {}
    limit_x = max(target.hw - SPREAD_MARGIN, 0.0)
    limit_y = max(target.hh - SPREAD_MARGIN, 0.0)
    for group in groups:
        if len(group) < 2:
            continue
        ux = sum(math.cos(tips[i][1]) for i in group)
        uy = sum(math.sin(tips[i][1]) for i in group)
        n = math.hypot(ux, uy) or 1.0
        nx, ny = -uy / n, ux / n  # across the mean direction of arrival
        ordered = sorted(
            group, key=lambda i: (round(tips[i][0][0] * nx + tips[i][0][1] * ny, 6), i)
        )
        middle = (len(ordered) - 1) / 2
        for k, link_id in enumerate(ordered):
            shift = (k - middle) * SPREAD_GAP
            aims[link_id] = (
                max(-limit_x, min(limit_x, nx * shift)),
                max(-limit_y, min(limit_y, ny * shift)),
            )
    return aims


class _Arc:
    """The arc from p0 to p1 bowing left by ``curvature`` x chord, by a parameter t in [0, 1]
    (the drawing's parametrisation: uniform in angle, or in length when straight)."""

    def __init__(self, p0: Point, p1: Point, curvature: float) -> None:
        self.p0, self.p1 = p0, p1
        dx, dy = p1[0] - p0[0], p1[1] - p0[1]
        chord = math.hypot(dx, dy)
        self.straight = abs(curvature) < _STRAIGHT or chord < 1e-9
        self.length = chord
        if self.straight:
            self.angle = math.atan2(dy, dx)
            return
        nx, ny = dy / chord, -dx / chord
        s = curvature * chord
        self.radius = (chord * chord / 4 + s * s) / (2 * abs(s))
        mx, my = (p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2
        off = s - math.copysign(self.radius, s)
        self.cx, self.cy = mx + nx * off, my + ny * off
        self.a0 = math.atan2(p0[1] - self.cy, p0[0] - self.cx)
        a1 = math.atan2(p1[1] - self.cy, p1[0] - self.cx)
        am = math.atan2(my + ny * s - self.cy, mx + nx * s - self.cx)
        forward = (a1 - self.a0) % (2 * math.pi)
        in_order = (am - self.a0) % (2 * math.pi) < forward
        self.sweep = forward if in_order else forward - 2 * math.pi
        self.length = abs(self.sweep) * self.radius

    def points(self, t: np.ndarray) -> np.ndarray:
        if self.straight:
            (x0, y0), (x1, y1) = self.p0, self.p1
            return np.column_stack((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
        a = self.a0 + self.sweep * t
        return np.column_stack(
            (self.cx + self.radius * np.cos(a), self.cy + self.radius * np.sin(a))
        )

    def point(self, t: float) -> Point:
        if self.straight:
            (x0, y0), (x1, y1) = self.p0, self.p1
            return (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
        a = self.a0 + self.sweep * t
        return (self.cx + self.radius * math.cos(a), self.cy + self.radius * math.sin(a))

    def direction(self, t: float) -> float:
        if self.straight:
            return self.angle
        return self.a0 + self.sweep * t + math.copysign(math.pi / 2, self.sweep)


def _inside(target: Outline, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Which points lie in ``target`` drawn with rounded corners (as ``geometry.Box``)."""
    r = min(CORNER_RADIUS, target.hw, target.hh)
    ix, iy = target.hw - r, target.hh - r
    dx, dy = np.abs(x - target.cx), np.abs(y - target.cy)
    corner = (np.maximum(dx - ix, 0.0) ** 2 + np.maximum(dy - iy, 0.0) ** 2) <= r * r
    return (dx <= target.hw) & (dy <= target.hh) & corner


def _inside_one(target: Outline, x: float, y: float) -> bool:
    r = min(CORNER_RADIUS, target.hw, target.hh)
    dx, dy = abs(x - target.cx), abs(y - target.cy)
    if dx > target.hw or dy > target.hh:
        return False
    ex, ey = dx - (target.hw - r), dy - (target.hh - r)
    return ex <= 0 or ey <= 0 or ex * ex + ey * ey <= r * r


def drawn_tip(
    p0: Point, p1: Point, curvature: float, target: Outline
) -> tuple[Point, float] | None:
    """Where the arc from ``p0`` to ``p1`` (the target's centre) last enters ``target`` as
    drawn, and its direction there; None when it never leaves the target."""
    arc = _Arc(p0, p1, curvature)
    step = SAMPLE_SPACING / 2
    n = max(2, math.ceil(arc.length / step))
    t = np.linspace(0.0, 1.0, n + 1)
    # Only the samples of the last stretch, longer than the box is wide, are looked at when
    # the first of them is outside: the last sample outside is then among them, the one the
    # whole arc would give. (An arc curling back into its target is sampled whole.)
    first = max(0, n - math.ceil((2 * math.hypot(target.hw, target.hh) + 2 * step) / step))
    pts = arc.points(t[first:])
    outside = np.flatnonzero(~_inside(target, pts[:, 0], pts[:, 1])) + first
    if first and (not len(outside) or outside[0] != first):
        pts = arc.points(t)
        outside = np.flatnonzero(~_inside(target, pts[:, 0], pts[:, 1]))
    if not len(outside) or outside[-1] == n:
        return None
    lo, hi = float(t[outside[-1]]), float(t[outside[-1] + 1])  # lo outside, hi inside
    for _ in range(_BISECTIONS):
        mid = (lo + hi) / 2
        if _inside_one(target, *arc.point(mid)):
            hi = mid
        else:
            lo = mid
    return arc.point(hi), arc.direction(hi)


def arrival_aims(
    links: Iterable[Link],
    pos: Mapping[str, Point],
    boxes: Mapping[str, Outline],
    curvatures: Mapping[str, float],
) -> dict[str, Point]:
    """The aim (offset from the target's centre) of every link the drawing aims off centre."""
    tips: dict[str, dict[str, tuple[Point, float]]] = {}
    for link in links:
        if link.source == link.target:
            continue
        c = curvatures.get(link.id, link.curvature)
        tip = drawn_tip(pos[link.source], pos[link.target], c, boxes[link.target])
        if tip is not None:
            tips.setdefault(link.target, {})[link.id] = tip
    aims: dict[str, Point] = {}
    for target in sorted(tips):
        aims.update(spread_aims(boxes[target], tips[target]))
    return aims


def drawn_points(
    p0: Point, p1: Point, curvature: float, aim: Point | None, spacing: float = SAMPLE_SPACING
) -> np.ndarray:
    """Samples of a link as drawn: the arc to the target's centre moved by ``aim``."""
    end = p1 if aim is None else (p1[0] + aim[0], p1[1] + aim[1])
    return arc_points(p0, end, curvature, spacing)
