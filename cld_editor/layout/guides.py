"""Arranging by hand, Qt-free: Align and Distribute for a selection, and the alignment guides a
drag snaps to.

Boxes are :class:`~cld_editor.layout.boxes.Rect` (centre and half extents, scene units). Align
lines a selection up on one edge or middle of the box around it; Distribute spaces it so that
the gaps between neighbouring boxes are equal, the two outermost staying put. :func:`snap`
compares a moving box's left edge, centre and right edge (top, middle, bottom) with those of the
other boxes and returns the smallest shift within the threshold that lines them up, plus the
guide lines to draw for every alignment that shift makes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .boxes import Point, Rect

ALIGNMENTS: tuple[str, ...] = ("left", "centre", "right", "top", "middle", "bottom")
SNAP_DISTANCE = 6.0


def align(boxes: Mapping[str, Rect], how: str) -> dict[str, Point]:
    """New centres lining ``boxes`` up: "left", "centre", "right" (on the left edge, middle or
    right edge of the box around them all) or "top", "middle", "bottom". Only boxes that move
    are returned."""
    if how not in ALIGNMENTS:
        raise ValueError(f"unknown alignment {how!r} (choose from {', '.join(ALIGNMENTS)})")
    if len(boxes) < 2:
        return {}
    values = list(boxes.values())
    left, right = min(b.left for b in values), max(b.right for b in values)
    top, bottom = min(b.top for b in values), max(b.bottom for b in values)
    out: dict[str, Point] = {}
    for key, b in boxes.items():
        x, y = b.cx, b.cy
        if how == "left":
            x = left + b.hw
        elif how == "centre":
            x = (left + right) / 2
        elif how == "right":
            x = right - b.hw
        elif how == "top":
            y = top + b.hh
        elif how == "middle":
            y = (top + bottom) / 2
        else:
            y = bottom - b.hh
        if (x, y) != (b.cx, b.cy):
            out[key] = (x, y)
    return out


def distribute(boxes: Mapping[str, Rect], axis: str) -> dict[str, Point]:
    """New centres giving equal gaps between neighbouring boxes along ``axis`` ("horizontal" or
    "vertical"), in the order of their centres; the first and last stay. Needs three boxes."""
    if axis not in ("horizontal", "vertical"):
        raise ValueError(f"unknown axis {axis!r} (horizontal or vertical)")
    if len(boxes) < 3:
        return {}
    horizontal = axis == "horizontal"

    def centre(b: Rect) -> float:
        return b.cx if horizontal else b.cy

    def half(b: Rect) -> float:
        return b.hw if horizontal else b.hh

    order = sorted(boxes, key=lambda k: (centre(boxes[k]), k))
    first, last = boxes[order[0]], boxes[order[-1]]
    span = (centre(last) + half(last)) - (centre(first) - half(first))
    gap = (span - sum(2 * half(boxes[k]) for k in order)) / (len(order) - 1)
    out: dict[str, Point] = {}
    edge = centre(first) - half(first)
    for key in order:
        b = boxes[key]
        c = edge + half(b)
        edge += 2 * half(b) + gap
        new = (c, b.cy) if horizontal else (b.cx, c)
        if key not in (order[0], order[-1]) and abs(c - centre(b)) > 1e-9:
            out[key] = new
    return out


@dataclass(frozen=True)
class Guide:
    """A line to draw while dragging: ``vertical`` at x = ``at`` from y ``start`` to ``end``,
    or horizontal at y = ``at`` from x ``start`` to ``end``."""

    vertical: bool
    at: float
    start: float
    end: float


def _lines(b: Rect, vertical: bool) -> tuple[float, float, float]:
    return (b.left, b.cx, b.right) if vertical else (b.top, b.cy, b.bottom)


#: Which of a box's lines (0 first edge, 1 centre, 2 second edge) may line up with which of
#: another's: centre with centre, an edge with either edge; never an edge with a centre, which
#: would show a guide for an alignment nobody sees.
_PAIRS = ((0, 0), (1, 1), (2, 2), (0, 2), (2, 0))


def _best_shift(moving: Rect, others: list[Rect], vertical: bool, threshold: float) -> float | None:
    best: float | None = None
    mine = _lines(moving, vertical)
    for other in others:
        theirs_all = _lines(other, vertical)
        for i, j in _PAIRS:
            d = theirs_all[j] - mine[i]
            if abs(d) <= threshold and (best is None or abs(d) < abs(best) - 1e-9):
                best = d
    return best


def snap(
    moving: Rect, others: Iterable[Rect], threshold: float = SNAP_DISTANCE
) -> tuple[float, float, list[Guide]]:
    """The shift (dx, dy) that lines ``moving`` up with the nearest edge or centre of the
    ``others`` within ``threshold`` on each axis (0 where none is), and the guides to show:
    one per line the shifted box shares with other boxes, spanning all of them."""
    others = list(others)
    dx = _best_shift(moving, others, True, threshold) or 0.0
    dy = _best_shift(moving, others, False, threshold) or 0.0
    moved = Rect(moving.cx + dx, moving.cy + dy, moving.hw, moving.hh)
    guides: list[Guide] = []
    for vertical in (True, False):
        mine = _lines(moved, vertical)
        for line in sorted(set(mine)):
            kinds = [i for i, m in enumerate(mine) if m == line]
            lo = moved.top if vertical else moved.left
            hi = moved.bottom if vertical else moved.right
            hit = False
            for other in others:
                theirs = _lines(other, vertical)
                if any(abs(line - theirs[j]) < 1e-6 for i, j in _PAIRS if i in kinds):
                    hit = True
                    lo = min(lo, other.top if vertical else other.left)
                    hi = max(hi, other.bottom if vertical else other.right)
            if hit:
                guides.append(Guide(vertical, line, lo, hi))
    return dx, dy, guides
