"""How other tools describe a bent arrow, converted to and from our ``curvature``.

Our link is a circular arc through its ends' centres that bows to the left of its direction by
``curvature`` times the chord (the apex, halfway along the arc, is ``curvature * chord`` from the
chord's middle; y grows downwards). Vensim gives a point the arc passes through (its "handle"),
XMILE the tangent angle at the start (degrees, counter-clockwise, y up), LOOPY the apex's signed
offset in pixels, positive to the left, which is exactly ``curvature * chord``. Plain float
maths, no Qt.
"""

from __future__ import annotations

import math

from ..core.model import MAX_CURVATURE

Point = tuple[float, float]
#: Below this a curvature is drawn straight (and written as a straight arrow).
STRAIGHT = 1e-3


def clamp_curvature(curvature: float) -> tuple[float, bool]:
    """The curvature limited to what the model holds, and whether it had to be limited."""
    if not math.isfinite(curvature):
        return 0.0, True
    if abs(curvature) > MAX_CURVATURE:
        return math.copysign(MAX_CURVATURE, curvature), True
    return curvature, False


def apex(p0: Point, p1: Point, curvature: float) -> Point:
    """The point halfway along the arc (a handle Vensim draws the arc through)."""
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    mx, my = (p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2
    # The left normal on a y-down screen is (dy, -dx) / chord; times curvature * chord.
    return (mx + dy * curvature, my - dx * curvature)


def curvature_through(p0: Point, p1: Point, handle: Point) -> float:
    """The curvature of the circular arc from ``p0`` to ``p1`` through ``handle`` (0 when the
    three points are in line or the ends coincide). Unclamped: see :func:`clamp_curvature`."""
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    chord = math.hypot(dx, dy)
    if chord < 1e-9:
        return 0.0
    # The handle's signed distance to the left of the chord, and its position along it.
    left = ((handle[0] - p0[0]) * dy - (handle[1] - p0[1]) * dx) / chord
    along = ((handle[0] - p0[0]) * dx + (handle[1] - p0[1]) * dy) / chord
    if abs(left) < 1e-9 * max(1.0, chord):
        return 0.0
    # In chord coordinates (u along, v to the left) with the ends at u=0 and u=chord, the
    # circle's centre is at (chord/2, t): solve |centre - handle| = |centre - p0| for t.
    half = chord / 2
    t = ((along - half) ** 2 + left * left - half * half) / (2 * left)
    radius = math.hypot(half, t)
    # The apex lies on the handle's side; the arc is the major one when the centre is too.
    sagitta = radius + t if left > 0 else -(radius - t)
    return sagitta / chord


def xmile_angle(p0: Point, p1: Point, curvature: float) -> float:
    """XMILE's connector ``angle``: the tangent at ``p0`` in degrees, counter-clockwise, y up."""
    chord_angle = math.degrees(math.atan2(-(p1[1] - p0[1]), p1[0] - p0[0]))
    # A circular arc leaves its chord at twice the angle whose tangent is sagitta / half-chord.
    bend = math.degrees(2 * math.atan(2 * curvature))
    return _normalise(chord_angle + bend)


def curvature_from_angle(p0: Point, p1: Point, angle: float) -> float:
    """The inverse of :func:`xmile_angle` (unclamped; 0 for coinciding ends)."""
    if p0 == p1 or not math.isfinite(angle):
        return 0.0
    chord_angle = math.degrees(math.atan2(-(p1[1] - p0[1]), p1[0] - p0[0]))
    bend = _normalise(angle - chord_angle)
    if abs(bend) >= 179.999:
        return math.copysign(MAX_CURVATURE, bend)
    return math.tan(math.radians(bend) / 2) / 2


def chord_length(p0: Point, p1: Point) -> float:
    return math.hypot(p1[0] - p0[0], p1[1] - p0[1])


def _normalise(degrees: float) -> float:
    """An angle in (-180, 180]."""
    out = math.fmod(degrees, 360.0)
    if out <= -180:
        out += 360
    elif out > 180:
        out -= 360
    return out
