"""Align, Distribute and the snapping guides, without Qt."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cld_editor.layout import Guide, align, distribute, snap
from cld_editor.layout.boxes import Rect
from cld_editor.layout.guides import ALIGN_GAP

BOXES = {"a": Rect(0, 0, 40, 15), "b": Rect(100, 50, 60, 20), "c": Rect(330, -20, 30, 15)}


@pytest.mark.parametrize(
    ("how", "check"),
    [
        ("left", lambda r: r.left == -40),
        ("right", lambda r: r.right == 360),
        ("centre", lambda r: r.cx == 160),
        ("top", lambda r: r.top == -35),
        ("bottom", lambda r: r.bottom == 70),
        ("middle", lambda r: r.cy == 17.5),
    ],
)
def test_align_lines_boxes_up_on_the_selection_box(how, check) -> None:
    moved = align(BOXES, how)
    for key, box in BOXES.items():
        x, y = moved.get(key, (box.cx, box.cy))
        assert check(Rect(x, y, box.hw, box.hh)), key


def test_align_returns_only_what_moves_and_needs_two() -> None:
    apart = {"a": Rect(0, 0, 40, 15), "b": Rect(100, 80, 60, 20), "c": Rect(330, -60, 30, 15)}
    assert "a" not in align(apart, "left")
    assert "c" not in align(apart, "right")
    assert align({"a": BOXES["a"]}, "left") == {}
    with pytest.raises(ValueError):
        align(BOXES, "diagonal")


@given(st.lists(st.tuples(st.floats(-1e4, 1e4), st.floats(1, 200)), min_size=3, max_size=9))
def test_distribute_gives_equal_gaps_and_keeps_the_ends_when_there_is_room(spec) -> None:
    boxes = {f"v{i}": Rect(x, 0.0, hw, 10.0) for i, (x, hw) in enumerate(spec)}
    moved = distribute(boxes, "horizontal")
    after = {k: Rect(moved.get(k, (b.cx, b.cy))[0], b.cy, b.hw, b.hh) for k, b in boxes.items()}
    order = sorted(boxes, key=lambda k: (boxes[k].cx, k))
    gaps = [after[order[i + 1]].left - after[order[i]].right for i in range(len(order) - 1)]
    assert max(gaps) - min(gaps) < 1e-6 * max(1.0, *map(abs, gaps))
    assert min(gaps) >= ALIGN_GAP - 1e-6
    room = boxes[order[-1]].right - boxes[order[0]].left - sum(2 * b.hw for b in boxes.values())
    if room >= ALIGN_GAP * (len(order) - 1):
        assert after[order[0]] == boxes[order[0]] and after[order[-1]] == boxes[order[-1]]
    else:  # the row grew about its middle
        middle = (boxes[order[0]].left + boxes[order[-1]].right) / 2
        assert abs((after[order[0]].left + after[order[-1]].right) / 2 - middle) < 1e-6 * max(
            1.0, abs(middle)
        )


BOX = st.builds(
    Rect,
    st.floats(-600, 600),
    st.floats(-600, 600),
    st.floats(20, 90),
    st.floats(12, 40),
)


@given(
    st.dictionaries(st.sampled_from("abcdefgh"), BOX, min_size=2),
    st.dictionaries(st.sampled_from("pqrstu"), BOX, max_size=4),
    st.sampled_from(["left", "centre", "right", "top", "middle", "bottom"]),
)
def test_align_lines_up_and_leaves_a_sensible_gap(boxes, others, how) -> None:
    # The other boxes do not overlap each other (a diagram after a layout or by hand).
    kept: dict[str, Rect] = {}
    for k, b in others.items():
        if not any(b.overlaps(o, ALIGN_GAP) for o in kept.values()):
            kept[k] = b
    moved = align(boxes, how, others=kept)
    after = {k: Rect(*moved.get(k, (b.cx, b.cy)), b.hw, b.hh) for k, b in boxes.items()}
    line = {
        "left": lambda r: r.left,
        "centre": lambda r: r.cx,
        "right": lambda r: r.right,
        "top": lambda r: r.top,
        "middle": lambda r: r.cy,
        "bottom": lambda r: r.bottom,
    }[how]
    assert max(map(line, after.values())) - min(map(line, after.values())) < 1e-6
    everything = list(after.items()) + list(kept.items())
    for i, (a, ra) in enumerate(everything):
        for b, rb in everything[i + 1 :]:
            if a in kept and b in kept:
                continue
            assert not ra.overlaps(rb, ALIGN_GAP - 1e-6), (a, b)


def test_align_top_parts_boxes_that_would_touch() -> None:
    # Two boxes side by side, 4 apart, at different heights: aligned on top they would
    # almost touch; they part to the sensible gap, each moving half-way.
    boxes = {"a": Rect(0, 0, 50, 15), "b": Rect(104, 40, 50, 15)}
    moved = align(boxes, "top")
    a, b = moved["a"], moved["b"]
    assert a[1] == b[1] == 0
    assert b[0] - a[0] == 100 + ALIGN_GAP
    assert a[0] == -(ALIGN_GAP - 4) / 2


def test_distribute_vertically_and_needs_three() -> None:
    boxes = {"a": Rect(0, 0, 10, 10), "b": Rect(0, 15, 10, 10), "c": Rect(0, 100, 10, 10)}
    assert distribute(boxes, "vertical") == {"b": (0, 50)}
    assert distribute({"a": boxes["a"], "b": boxes["b"]}, "vertical") == {}


def test_snap_to_the_nearest_centre_and_edge_with_guides() -> None:
    others = [Rect(0, 0, 40, 15), Rect(300, 200, 50, 15)]
    dx, dy, guides = snap(Rect(4, 197, 30, 15), others, threshold=6)
    assert (dx, dy) == (-4, 3)  # centre on a's centre x, middle on the other's middle y
    assert Guide(True, 0, -15, 215) in guides
    assert Guide(False, 200, -30, 350) in guides


def test_snap_edges_to_edges_and_nothing_beyond_the_threshold() -> None:
    others = [Rect(0, 0, 40, 15)]
    dx, _, guides = snap(Rect(72, 300, 30, 15), others, threshold=6)
    assert dx == -2  # its left edge (42) onto the other's right edge (40)
    assert guides == [Guide(True, 40, -15, 315)]
    assert snap(Rect(90, 300, 30, 15), others, threshold=6) == (0.0, 0.0, [])


def test_an_edge_never_snaps_to_a_centre() -> None:
    # The moving box's bottom (215) is 3 below the other's centre y (212): no snap, no guide.
    others = [Rect(500, 212, 40, 15)]
    dx, dy, guides = snap(Rect(0, 200, 30, 15), others, threshold=6)
    assert (dx, dy, guides) == (0.0, 0.0, [])
    # Centre to centre still snaps.
    assert snap(Rect(0, 208, 30, 15), others, threshold=6)[1] == 4
