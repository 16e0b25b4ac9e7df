"""Where a link's bend handle sits and what dragging it does, both ways: the handle is a point
of the link's arc (its apex unless dragged elsewhere along it); dragging it to a point gives the
curvature whose arc runs through that point (:func:`curvature_through`) and the place along the
arc the handle then has (:func:`arc_parameter`), which :func:`arc_point` turns back into that
point. So the handle stays under the pointer where it is released, and grabbing it again does
not make the link jump. Plain floats, no Qt; the arc is :mod:`.geometry`'s.
"""

from __future__ import annotations

import math

from cld_editor.ui.drawing.geometry import Point
from cld_editor.ui.drawing.geometry import _Curve as Arc

#: A dragged handle keeps at least this far (as a fraction of the arc) from either end, where
#: the boxes would hide it.
END_ROOM = 0.1


def arc_point(p0: Point, p1: Point, curvature: float, t: float) -> Point:
    """The point ``t`` (0..1) of the way along the arc from p0 to p1 (by angle)."""
    return Arc(p0, p1, curvature).point(t)


def curvature_through(p0: Point, p1: Point, point: Point) -> float:
    """The curvature of the arc from p0 to p1 that runs through ``point``: the inverse of
    :func:`arc_point` (so a bend handle dragged to a point puts the arc under it)."""
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    chord = math.hypot(dx, dy)
    if chord < 1e-9:
        return 0.0
    h = chord / 2
    mx, my = (p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2
    # The point in the chord's frame: u along it from the middle, v to its left.
    u = ((point[0] - mx) * dx + (point[1] - my) * dy) / chord
    v = ((point[0] - mx) * dy - (point[1] - my) * dx) / chord
    if abs(v) < 1e-9:
        return 0.0
    # The circle through (-h, 0), (h, 0) and (u, v) has its centre at (0, k); the arc through
    # the point crosses the middle at the root s of s^2 - 2ks - h^2 = 0 on the point's side,
    # taken in the form that does not cancel.
    k = (u * u + v * v - h * h) / (2 * v)
    r = math.hypot(h, k)
    side = 1.0 if v > 0 else -1.0
    k *= side
    s = k + r if k >= 0 else h * h / (r - k)
    return side * s / chord


def arc_parameter(p0: Point, p1: Point, curvature: float, point: Point) -> float:
    """How far along the arc from p0 to p1 (0..1, as :func:`arc_point` counts) the point of it
    nearest ``point`` lies."""
    curve = Arc(p0, p1, curvature)
    if curve.straight:
        dx, dy = p1[0] - p0[0], p1[1] - p0[1]
        length2 = dx * dx + dy * dy
        if length2 < 1e-18:
            return 0.5
        t = ((point[0] - p0[0]) * dx + (point[1] - p0[1]) * dy) / length2
        return min(max(t, 0.0), 1.0)
    turned = (math.atan2(point[1] - curve.centre[1], point[0] - curve.centre[0]) - curve.a0) % (
        2 * math.pi
    )
    if curve.sweep < 0:
        turned = (2 * math.pi - turned) % (2 * math.pi)
    sweep = abs(curve.sweep)
    if turned <= sweep:
        return turned / sweep
    # Off the arc's angular range: the nearer end.
    return 1.0 if turned - sweep < 2 * math.pi - turned else 0.0
