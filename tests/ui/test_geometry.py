"""Geometry of links and loops: arrowheads on outlines, arcs on the right side, turning."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from cld_editor.ui.drawing import geometry as geo


def on_outline(box: geo.Box, point: geo.Point, angle: float, tolerance: float = 0.05) -> bool:
    """Just before ``point`` along ``angle`` is outside the box, just after is inside."""
    ux, uy = math.cos(angle), math.sin(angle)
    before = (point[0] - ux * tolerance, point[1] - uy * tolerance)
    after = (point[0] + ux * tolerance, point[1] + uy * tolerance)
    return not box.contains(*before) and box.contains(*after)


def on_radial_outline(box: geo.Box, point: geo.Point, tolerance: float = 0.05) -> bool:
    """A step towards the centre is inside, a step away from it is outside (convex box)."""
    dx, dy = point[0] - box.cx, point[1] - box.cy
    n = math.hypot(dx, dy)
    ux, uy = dx / n * tolerance, dy / n * tolerance
    return box.contains(point[0] - ux, point[1] - uy) and not box.contains(
        point[0] + ux, point[1] + uy
    )


coords = st.floats(-600, 600)
sizes = st.tuples(st.floats(32, 90), st.floats(15, 40))


@settings(max_examples=60, deadline=None)
@given(coords, coords, sizes, coords, coords, sizes, st.floats(-1.5, 1.5))
def test_arrow_tip_lies_on_target_outline(x0, y0, s0, x1, y1, s1, curvature):
    source = geo.Box(x0, y0, *s0, radius=8)
    target = geo.Box(x1, y1, *s1, radius=8)
    # Only boxes that do not overlap: otherwise there is no outside arc to draw.
    if abs(x0 - x1) < s0[0] + s1[0] + 4 and abs(y0 - y1) < s0[1] + s1[1] + 4:
        return
    g = geo.link_geometry(source, target, curvature)
    assert on_outline(target, g.tip, g.tip_angle)
    assert g.arrow[0] == g.tip
    # The arc leaves the source from its outline.
    assert on_radial_outline(source, g.start)


def test_tip_is_exact_for_a_straight_horizontal_link():
    g = geo.link_geometry(geo.Box(0, 0, 40, 15), geo.Box(300, 0, 50, 15), 0.0)
    assert math.isclose(g.tip[0], 250.0, abs_tol=1e-3) and math.isclose(g.tip[1], 0, abs_tol=1e-9)
    assert math.isclose(g.start[0], 40.0, abs_tol=1e-3)
    assert math.isclose(g.tip_angle, 0.0, abs_tol=1e-9)


def test_positive_curvature_bows_left_of_the_direction_on_screen():
    # Going right on a y-down screen, "left" is up (smaller y).
    g = geo.link_geometry(geo.Box(0, 0, 40, 15), geo.Box(300, 0, 40, 15), 0.2)
    assert g.handle[1] < -50
    assert math.isclose(g.handle[1], -0.2 * 300, abs_tol=1e-6)
    # The sign sits on the outer side of the curve, above the arrowhead.
    assert g.sign_pos[1] < g.tip[1]


def test_a_to_b_and_b_to_a_are_distinct_arcs():
    a, b = geo.Box(0, 0, 40, 15), geo.Box(300, 0, 40, 15)
    ab = geo.link_geometry(a, b, 0.2)
    ba = geo.link_geometry(b, a, 0.2)
    assert ab.handle[1] < 0 < ba.handle[1]
    assert ab.cubics != ba.cubics


@given(coords, coords, coords, coords, st.floats(-1.8, 1.8))
@settings(max_examples=60, deadline=None)
def test_handle_and_curvature_are_inverse(x0, y0, x1, y1, curvature):
    if math.dist((x0, y0), (x1, y1)) < 1:
        return
    apex = geo.arc_apex((x0, y0), (x1, y1), curvature)
    back = geo.curvature_for_handle((x0, y0), (x1, y1), apex)
    assert math.isclose(back, curvature if abs(curvature) >= 1e-3 else 0.0, abs_tol=1e-6)


def test_self_link_is_a_loop_on_the_top_edge_ending_on_the_outline():
    box = geo.Box(100, 100, 50, 16)
    g = geo.self_link_geometry(box)
    assert on_outline(box, g.tip, g.tip_angle)
    assert not box.contains(*g.start)
    # It stands on the top edge, in the right half.
    assert g.handle[0] > box.cx and g.handle[1] < box.cy - box.hh - 10
    assert geo.link_geometry(box, box, 0.2) == g


def test_polarity_sign_is_clear_of_the_target():
    target = geo.Box(0, 0, 60, 18)
    for curvature in (-0.8, -0.2, 0.0, 0.3, 1.0):
        for angle in range(0, 360, 30):
            a = math.radians(angle)
            source = geo.Box(250 * math.cos(a), 250 * math.sin(a), 40, 15)
            g = geo.link_geometry(source, target, curvature)
            grown = geo.Box(0, 0, 60 + 6, 18 + 6, 14)
            assert not grown.contains(*g.sign_pos), (curvature, angle)


def test_delay_strokes_cross_the_arrow():
    a, b, c, d = geo.delay_strokes((0.0, 0.0), 0.0)
    assert a[0] == b[0] and c[0] == d[0] and a[0] != c[0]
    assert a[1] == -b[1] != 0


def test_turning_direction_on_a_y_down_screen():
    clockwise = [(0.0, 0.0), (100.0, 0.0), (50.0, 80.0)]  # right, then down-left: clockwise
    assert geo.turns_clockwise(clockwise)
    assert not geo.turns_clockwise(list(reversed(clockwise)))
    assert geo.centroid(clockwise) == (50.0, 80.0 / 3)
