"""Align, Distribute and the snapping guides, without Qt."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cld_editor.layout import Guide, align, distribute, snap
from cld_editor.layout.boxes import Rect

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
    assert "a" not in align(BOXES, "left")
    assert align({"a": BOXES["a"]}, "left") == {}
    with pytest.raises(ValueError):
        align(BOXES, "diagonal")


@given(st.lists(st.tuples(st.floats(-1e4, 1e4), st.floats(1, 200)), min_size=3, max_size=9))
def test_distribute_gives_equal_gaps_and_keeps_the_ends(spec) -> None:
    boxes = {f"v{i}": Rect(x, 0.0, hw, 10.0) for i, (x, hw) in enumerate(spec)}
    moved = distribute(boxes, "horizontal")
    after = {k: Rect(moved.get(k, (b.cx, b.cy))[0], b.cy, b.hw, b.hh) for k, b in boxes.items()}
    order = sorted(boxes, key=lambda k: (boxes[k].cx, k))
    assert after[order[0]] == boxes[order[0]] and after[order[-1]] == boxes[order[-1]]
    gaps = [after[order[i + 1]].left - after[order[i]].right for i in range(len(order) - 1)]
    assert max(gaps) - min(gaps) < 1e-6 * max(1.0, *map(abs, gaps))


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
