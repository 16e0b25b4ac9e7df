"""The Qt-free loop-label spot: clear of boxes and lines, inside its loop when there is room,
outside other labelled loops when it can, the least covered spot when nothing is clear."""

from __future__ import annotations

import itertools

from cld_editor.layout.label_place import Obstacles, inside, loop_label_spot, segment_hits_box

LABEL = (-22.0, -22.0, 22.0, 22.0)
SQUARE = [(-200.0, -200.0), (200.0, -200.0), (200.0, 200.0), (-200.0, 200.0)]


def closed(points):
    return [*points, points[0]]


def box_at(x: float, y: float, extent=LABEL):
    return (x + extent[0], y + extent[1], x + extent[2], y + extent[3])


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_segment_and_box():
    box = (0.0, 0.0, 10.0, 10.0)
    assert segment_hits_box((-5, 5), (15, 5), box)
    assert segment_hits_box((5, 5), (6, 6), box)  # wholly inside
    assert not segment_hits_box((-5, -5), (-1, 20), box)
    assert not segment_hits_box((-5, 12), (20, 30), box)


def test_a_clear_middle_is_kept():
    obstacles = Obstacles([], [closed(SQUARE)])
    assert loop_label_spot((0.0, 0.0), LABEL, obstacles, SQUARE) == (0.0, 0.0)


def test_a_spot_taken_by_a_box_and_a_line_moves_inside_the_loop():
    taken = [(-40.0, -20.0, 40.0, 20.0)]
    across = [(-200.0, 30.0), (200.0, 30.0)]
    obstacles = Obstacles(taken, [closed(SQUARE), across])
    x, y = loop_label_spot((0.0, 0.0), LABEL, obstacles, SQUARE)
    spot = box_at(x, y)
    assert not overlaps(spot, taken[0])
    assert not (spot[1] <= 30.0 <= spot[3] and spot[0] <= 200 and spot[2] >= -200)
    assert inside((x, y), SQUARE)


def test_a_full_loop_sends_the_label_outside_to_the_nearest_clear_spot():
    small = [(-25.0, -25.0), (25.0, -25.0), (25.0, 25.0), (-25.0, 25.0)]  # no room inside
    obstacles = Obstacles([], [closed(small)])
    x, y = loop_label_spot((0.0, 0.0), LABEL, obstacles, small)
    assert not inside((x, y), small)
    assert not any(
        segment_hits_box(a, b, box_at(x, y)) for a, b in itertools.pairwise(closed(small))
    )
    assert max(abs(x), abs(y)) < 90  # near, not anywhere


def test_other_labelled_loops_are_avoided_when_there_is_room():
    lower = [(-200.0, 0.0), (200.0, 0.0), (200.0, 200.0), (-200.0, 200.0)]
    obstacles = Obstacles([], [closed(SQUARE), [(-200.0, 0.0), (200.0, 0.0)]])
    x, y = loop_label_spot((0.0, 10.0), LABEL, obstacles, SQUARE, [lower])
    assert inside((x, y), SQUARE) and not inside((x, y), lower)
    # With no room outside the other loop, inside it is still better than outside its own.
    x, y = loop_label_spot((0.0, 10.0), LABEL, obstacles, SQUARE, [SQUARE])
    assert inside((x, y), SQUARE)


def test_with_nothing_clear_the_least_covered_spot():
    wall = [(-1000.0 + 30 * k, -1000.0, -1000.0 + 30 * k + 20, 1000.0) for k in range(67)]
    x, y = loop_label_spot((0.0, 0.0), LABEL, Obstacles(wall, []))
    assert sum(overlaps(box_at(x, y), w) for w in wall) <= 2
