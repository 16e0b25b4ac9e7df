"""Plain-float geometry of the drawing: variable outlines, link arcs, arrowheads and loop turning.

Kept free of Qt types (points are ``(x, y)`` tuples in scene units, y grows downwards) so it is
cheap, testable on its own and shared by the canvas items and the exporters (through
:mod:`~cld_editor.ui.drawing.link_layout` and :mod:`~cld_editor.ui.drawing.render`). A link is a
circular arc through its ends' centres that bows to the LEFT of its direction by ``curvature``
times the distance between the centres (0 is a straight line). The arc is clipped to the two
outlines, so it starts on the source's outline and the tip of its arrowhead lies exactly (to a
fraction of a unit) on the target's outline. The arrowhead points along the chord of its own length
of arc, so on a tight curve it follows the line instead of sticking out at a tangent. A self-link
is a clockwise loop standing on the variable's top edge near its right corner; its arrowhead
re-enters the top edge, the polarity sign sits beside it on the right, and a loop label for it goes
above the loop (:func:`self_loop_label_centre`). Which links share a target and are aimed apart is
the whole diagram's business: :mod:`cld_editor.ui.drawing.link_layout`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Point = tuple[float, float]
Cubic = tuple[Point, Point, Point]

ARROW_LENGTH = 11.0
ARROW_HALF_WIDTH = 4.6
SIGN_BACK = 17.0  # how far back from the tip, along the arc, the polarity sign sits
SIGN_OFFSET = 11.0  # how far from the arc, on its outer side
SIGN_CLEARANCE = 7.0  # a sign's glyph keeps this far from the target's outline
SELF_LOOP_RADIUS = 21.0
SELF_LOOP_LIFT = 0.5  # the loop's centre stands this many radii above the top edge
SELF_LOOP_INSET = 1.45  # ... and this many radii left of the right edge
SELF_LOOP_LABEL_GAP = 6.0  # between a self-loop and the loop label placed above it
_STRAIGHT = 1e-3  # below this |curvature| a link is drawn straight


@dataclass(frozen=True)
class Box:
    """A rounded rectangle: centre, half width, half height, corner radius."""

    cx: float
    cy: float
    hw: float
    hh: float
    radius: float = 8.0

    def __post_init__(self) -> None:
        # Called hundreds of thousands of times when a big diagram opens: precompute the
        # corner geometry once (plain attributes, not fields, so equality is unaffected).
        r = min(self.radius, self.hw, self.hh)
        object.__setattr__(self, "_r2", r * r)
        object.__setattr__(self, "_ix", self.hw - r)
        object.__setattr__(self, "_iy", self.hh - r)

    def contains(self, x: float, y: float) -> bool:
        dx, dy = abs(x - self.cx), abs(y - self.cy)
        if dx > self.hw or dy > self.hh:
            return False
        ix, iy = self._ix, self._iy  # type: ignore[attr-defined]
        if dx <= ix or dy <= iy:
            return True
        return (dx - ix) ** 2 + (dy - iy) ** 2 <= self._r2  # type: ignore[attr-defined]


class _Curve:
    """A parametric curve on t in [0, 1]: a segment or a circular arc."""

    def __init__(self, p0: Point, p1: Point, curvature: float) -> None:
        self.p0, self.p1 = p0, p1
        dx, dy = p1[0] - p0[0], p1[1] - p0[1]
        chord = math.hypot(dx, dy)
        self.straight = abs(curvature) < _STRAIGHT or chord < 1e-9
        if self.straight:
            return
        nx, ny = dy / chord, -dx / chord  # left of the direction on a y-down screen
        s = curvature * chord
        radius = (chord * chord / 4 + s * s) / (2 * abs(s))
        mx, my = (p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2
        off = s - math.copysign(radius, s)
        self.centre = (mx + nx * off, my + ny * off)
        self.radius = radius
        apex = (mx + nx * s, my + ny * s)
        self.a0 = _angle(self.centre, p0)
        a1, am = _angle(self.centre, p1), _angle(self.centre, apex)
        forward = (a1 - self.a0) % (2 * math.pi)
        if (am - self.a0) % (2 * math.pi) < forward:
            self.sweep = forward
        else:
            self.sweep = forward - 2 * math.pi

    @classmethod
    def circle(cls, centre: Point, radius: float, a0: float, sweep: float) -> _Curve:
        curve = cls.__new__(cls)
        curve.straight = False
        curve.centre, curve.radius, curve.a0, curve.sweep = centre, radius, a0, sweep
        return curve

    def point(self, t: float) -> Point:
        if self.straight:
            return (
                self.p0[0] + (self.p1[0] - self.p0[0]) * t,
                self.p0[1] + (self.p1[1] - self.p0[1]) * t,
            )
        a = self.a0 + self.sweep * t
        return (
            self.centre[0] + self.radius * math.cos(a),
            self.centre[1] + self.radius * math.sin(a),
        )

    def direction(self, t: float) -> float:
        """Angle of travel at t (radians, y-down)."""
        if self.straight:
            return math.atan2(self.p1[1] - self.p0[1], self.p1[0] - self.p0[0])
        a = self.a0 + self.sweep * t
        return a + math.copysign(math.pi / 2, self.sweep)

    def cubics(self, t0: float, t1: float) -> list[Cubic]:
        """Cubic Bezier pieces (at most a quarter turn each) of the curve between t0 and t1."""
        if self.straight:
            a, b = self.point(t0), self.point(t1)
            return [(_lerp(a, b, 1 / 3), _lerp(a, b, 2 / 3), b)]
        total = self.sweep * (t1 - t0)
        n = max(1, math.ceil(abs(total) / (math.pi / 2) - 1e-9))
        step = total / n
        k = 4 / 3 * math.tan(step / 4) * self.radius
        out: list[Cubic] = []
        a = self.a0 + self.sweep * t0
        cx, cy = self.centre
        for _ in range(n):
            b = a + step
            pa = (cx + self.radius * math.cos(a), cy + self.radius * math.sin(a))
            pb = (cx + self.radius * math.cos(b), cy + self.radius * math.sin(b))
            c1 = (pa[0] - k * math.sin(a), pa[1] + k * math.cos(a))
            c2 = (pb[0] + k * math.sin(b), pb[1] - k * math.cos(b))
            out.append((c1, c2, pb))
            a = b
        return out


@dataclass(frozen=True)
class LinkGeometry:
    """Everything needed to draw one link, in scene coordinates."""

    start: Point
    cubics: tuple[Cubic, ...]  # the stroked line, ending under the arrowhead
    tip: Point  # on the target's outline
    tip_angle: float  # direction of travel at the tip
    arrow: tuple[Point, Point, Point, Point]  # tip, wing, notch, wing
    sign_pos: Point  # centre of the polarity sign
    mid: Point  # middle of the visible arc (delay mark)
    mid_angle: float
    handle: Point  # the bend handle: on the arc, its apex unless dragged elsewhere along it
    outward: Point  # unit vector towards the outer side of the curve at the middle


def link_geometry(
    source: Box, target: Box, curvature: float, aim: Point = (0.0, 0.0), handle_at: float = 0.5
) -> LinkGeometry:
    """The arc from ``source`` to ``target`` bowing left by ``curvature`` (see module doc).
    ``aim`` moves the point inside the target the arc runs to, off its centre (see
    :func:`cld_editor.layout.aims.spread_aims`); the arrowhead still ends on the outline. The
    bend handle sits ``handle_at`` of the way along the arc between the centres (the middle,
    unless the user dragged it elsewhere)."""
    p0, p1 = (source.cx, source.cy), (target.cx + aim[0], target.cy + aim[1])
    if source == target:
        return self_link_geometry(source)
    curve = _Curve(p0, p1, curvature)
    # Search the whole arc, not just its halves: boxes of unequal size that nearly touch have
    # their meeting point far from the middle.
    t0 = _exit_parameter(curve, source, 0.0, 1.0)
    t1 = _exit_parameter(curve, target, 1.0, t0)
    if t1 <= t0:  # overlapping boxes: draw centre to centre rather than nothing
        t0, t1 = 0.0, 1.0
    handle = curve.point(handle_at)
    if curve.straight:
        dx, dy = p1[0] - p0[0], p1[1] - p0[1]
        length = math.hypot(dx, dy) or 1.0
        outward = (dy / length, -dx / length)
    else:
        mid_full = curve.point(0.5)
        ox, oy = mid_full[0] - curve.centre[0], mid_full[1] - curve.centre[1]
        length = math.hypot(ox, oy) or 1.0
        outward = (ox / length, oy / length)
    return _finish(curve, t0, t1, handle, outward, outward_at=None, target=target)


def self_loop_circle(box: Box) -> tuple[Point, float]:
    """Centre and radius of the circle a self-link of ``box`` is drawn on."""
    r = SELF_LOOP_RADIUS
    # Mostly above the top edge, near the right corner: clear of links leaving the sides. On a
    # narrow box it is kept right of the centre so the loop still stands on the top edge.
    x = box.cx + max(box.hw - r * SELF_LOOP_INSET, r * 0.2)
    return (x, box.cy - box.hh - r * SELF_LOOP_LIFT), r


def self_loop_label_centre(box: Box, label_below: float) -> Point:
    """Where a loop label for the self-loop of ``box`` goes: straight above the loop, clear of
    it by SELF_LOOP_LABEL_GAP; ``label_below`` is how far the label reaches below its centre
    (its circle, or its caption)."""
    (x, y), r = self_loop_circle(box)
    return (x, y - r - SELF_LOOP_LABEL_GAP - label_below)


def self_link_geometry(box: Box) -> LinkGeometry:
    """A clockwise loop standing on the top edge of ``box`` near its right corner, arrowhead
    back on its outline."""
    centre, r = self_loop_circle(box)
    a0 = _angle(centre, (box.cx, box.cy))
    curve = _Curve.circle(centre, r, a0, 2 * math.pi)
    t0 = _exit_parameter(curve, box, 0.0, 0.5)
    t1 = _exit_parameter(curve, box, 1.0, 0.5)
    handle = curve.point(0.5)
    ox, oy = handle[0] - centre[0], handle[1] - centre[1]
    length = math.hypot(ox, oy) or 1.0
    return _finish(curve, t0, t1, handle, (ox / length, oy / length), outward_at=centre, target=box)


def _finish(
    curve: _Curve,
    t0: float,
    t1: float,
    handle: Point,
    outward: Point,
    outward_at: Point | None,
    target: Box | None = None,
) -> LinkGeometry:
    tip = curve.point(t1)
    tip_angle = curve.direction(t1)
    # The arrowhead's axis is the chord over its own length of arc: its base sits on the line.
    base = curve.point(_parameter_at_distance(curve, t0, t1, ARROW_LENGTH))
    arrow_angle = math.atan2(tip[1] - base[1], tip[0] - base[0]) if base != tip else tip_angle
    # The line stops inside the arrowhead so its flat end never shows beside the sharp tip.
    t_line = _parameter_at_distance(curve, t0, t1, ARROW_LENGTH * 0.6)
    # The sign sits beside the arrow, on the outer side of the curve; on a steep approach it
    # slides back along the arc until its glyph is clear of the target's outline.
    for back in range(int(SIGN_BACK), int(SIGN_BACK) + 40, 3):
        sign_pos = _sign_position(curve, t0, t1, float(back), outward, outward_at)
        if target is None or not sign_touches(target, *sign_pos):
            break
    tm = (t0 + t1) / 2
    return LinkGeometry(
        start=curve.point(t0),
        cubics=tuple(curve.cubics(t0, t_line)),
        tip=tip,
        tip_angle=tip_angle,
        arrow=arrowhead(tip, arrow_angle),
        sign_pos=sign_pos,
        mid=curve.point(tm),
        mid_angle=curve.direction(tm),
        handle=handle,
        outward=outward,
    )


def _sign_position(
    curve: _Curve, t0: float, t1: float, back: float, outward: Point, outward_at: Point | None
) -> Point:
    on = curve.point(_parameter_at_distance(curve, t0, t1, back))
    if outward_at is None and curve.straight:
        side = outward
    else:
        centre = curve.centre if outward_at is None else outward_at
        ox, oy = on[0] - centre[0], on[1] - centre[1]
        n = math.hypot(ox, oy) or 1.0
        side = (ox / n, oy / n)
    return (on[0] + side[0] * SIGN_OFFSET, on[1] + side[1] * SIGN_OFFSET)


def sign_touches(box: Box, x: float, y: float) -> bool:
    """Whether a sign's glyph centred at (x, y) would come closer than SIGN_CLEARANCE to
    ``box``'s outline."""
    r = SIGN_CLEARANCE
    grown = Box(box.cx, box.cy, box.hw + r, box.hh + r, box.radius + r)
    return grown.contains(x, y)


def polyline(start: Point, cubics: tuple[Cubic, ...], per_piece: int) -> list[Point]:
    """Points along cubic pieces (``per_piece`` segments each), for cheap overview drawing."""
    out = [start]
    p0 = start
    for c1, c2, p3 in cubics:
        for k in range(1, per_piece + 1):
            t = k / per_piece
            u = 1 - t
            out.append(
                (
                    u**3 * p0[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t**3 * p3[0],
                    u**3 * p0[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t**3 * p3[1],
                )
            )
        p0 = p3
    return out


def arrowhead(tip: Point, angle: float) -> tuple[Point, Point, Point, Point]:
    """A slim arrowhead with a shallow notch, pointing along ``angle`` with its point at ``tip``."""
    ux, uy = math.cos(angle), math.sin(angle)
    nx, ny = -uy, ux
    bx, by = tip[0] - ux * ARROW_LENGTH, tip[1] - uy * ARROW_LENGTH
    notch = (tip[0] - ux * ARROW_LENGTH * 0.72, tip[1] - uy * ARROW_LENGTH * 0.72)
    return (
        tip,
        (bx + nx * ARROW_HALF_WIDTH, by + ny * ARROW_HALF_WIDTH),
        notch,
        (bx - nx * ARROW_HALF_WIDTH, by - ny * ARROW_HALF_WIDTH),
    )


def delay_strokes(mid: Point, angle: float, half: float = 7.0, gap: float = 2.5) -> list[Point]:
    """The delay mark: two short parallel strokes across the arrow, as four end points."""
    ux, uy = math.cos(angle), math.sin(angle)
    nx, ny = -uy, ux
    out: list[Point] = []
    for shift in (-gap, gap):
        cx, cy = mid[0] + ux * shift, mid[1] + uy * shift
        out += [(cx + nx * half, cy + ny * half), (cx - nx * half, cy - ny * half)]
    return out


def arc_apex(p0: Point, p1: Point, curvature: float) -> Point:
    """The point of the arc halfway between its ends (where the bend handle sits unless it was
    dragged elsewhere along the arc)."""
    return _Curve(p0, p1, curvature).point(0.5)


def curvature_for_handle(p0: Point, p1: Point, handle: Point) -> float:
    """The curvature that puts the arc's apex at ``handle``'s distance from the chord (signed,
    positive to the left of p0 -> p1), as a fraction of the chord."""
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    chord = math.hypot(dx, dy)
    if chord < 1e-9:
        return 0.0
    left = ((handle[0] - p0[0]) * dy - (handle[1] - p0[1]) * dx) / chord
    return left / chord


def signed_area(points: list[Point]) -> float:
    """Shoelace area; on a y-down screen it is positive when the points run clockwise."""
    total = 0.0
    for i, (x0, y0) in enumerate(points):
        x1, y1 = points[(i + 1) % len(points)]
        total += x0 * y1 - x1 * y0
    return total / 2


def turns_clockwise(points: list[Point]) -> bool:
    """Whether a closed path through ``points`` runs clockwise on screen (ties: clockwise)."""
    return signed_area(points) >= 0


def centroid(points: list[Point]) -> Point:
    n = len(points) or 1
    return (sum(p[0] for p in points) / n, sum(p[1] for p in points) / n)


def _angle(centre: Point, p: Point) -> float:
    return math.atan2(p[1] - centre[1], p[0] - centre[0])


def _lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _exit_parameter(curve: _Curve, box: Box, inside_t: float, limit_t: float) -> float:
    """Where the curve leaves ``box`` going from ``inside_t`` towards ``limit_t``: a coarse scan
    for the first sample outside, then bisection to well under a thousandth of a unit."""
    if not box.contains(*curve.point(inside_t)):
        return inside_t
    steps = 48
    prev = inside_t
    for i in range(1, steps + 1):
        t = inside_t + (limit_t - inside_t) * i / steps
        if not box.contains(*curve.point(t)):
            lo, hi = prev, t  # lo inside, hi outside
            # 2**-26 of an arc a few thousand units long is far below a hundredth of a unit.
            for _ in range(26):
                m = (lo + hi) / 2
                if box.contains(*curve.point(m)):
                    lo = m
                else:
                    hi = m
            return hi
        prev = t
    return limit_t


def _parameter_at_distance(curve: _Curve, t0: float, t1: float, distance: float) -> float:
    """The parameter before ``t1`` whose point lies ``distance`` back along the curve (clamped
    to the middle of [t0, t1] on very short links)."""
    if curve.straight:
        length = math.dist(curve.point(t0), curve.point(t1))
    else:
        length = abs(curve.sweep) * curve.radius * (t1 - t0)
    if length <= 1e-9:
        return t1
    back = min(distance / length, 0.5) * (t1 - t0)
    return t1 - back
