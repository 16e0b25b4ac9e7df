"""Arranging by hand, Qt-free: Align and Distribute for a selection, and the alignment guides a
drag snaps to.

Boxes are :class:`~cld_editor.layout.boxes.Rect` (centre and half extents, scene units). Align
lines a selection up on one edge or middle of the box around it; boxes that would then overlap
or nearly touch along the line are moved apart along it, as little as keeps ``ALIGN_GAP``
between them (in the order they had), and, when the other boxes of the diagram are given, a box
that would land on one of them slides along the line to the nearest free place. Distribute
spaces a selection so that the gaps between neighbouring boxes are equal, the two outermost
staying put, unless that leaves less than ``ALIGN_GAP``: then the row grows about its middle
to that gap. :func:`snap`
compares a moving box's left edge, centre and right edge (top, middle, bottom) with those of the
other boxes and returns the smallest shift within the threshold that lines them up, plus the
guide lines to draw for every alignment that shift makes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

from .boxes import Point, Rect

ALIGNMENTS: tuple[str, ...] = ("left", "centre", "right", "top", "middle", "bottom")
SNAP_DISTANCE = 6.0
#: The least space Align and Distribute leave between two boxes.
ALIGN_GAP = 16.0


def _spread(
    wanted: Mapping[str, float],
    halves: Mapping[str, float],
    gap: float,
    then: Mapping[str, float],
) -> dict[str, float]:
    """Centres on a line as near ``wanted`` as they can be (least squares) while neighbours, in
    the order of ``wanted`` (ties: of ``then``), keep ``gap`` between their extents (isotonic
    regression)."""
    order = sorted(wanted, key=lambda k: (wanted[k], then[k], k))
    offsets = [0.0]
    for a, b in pairwise(order):
        offsets.append(offsets[-1] + halves[a] + halves[b] + gap)
    # Pool adjacent violators: blocks of (sum, count) whose means must not decrease.
    blocks: list[list[float]] = []
    for k, key in enumerate(order):
        blocks.append([wanted[key] - offsets[k], 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    out: dict[str, float] = {}
    k = 0
    for total, count in blocks:
        for _ in range(int(count)):
            out[order[k]] = total / count + offsets[k]
            k += 1
    return out


def _slide_clear(
    moved: dict[str, Rect], others: Mapping[str, Rect], along_x: bool, gap: float
) -> None:
    """Slide each moved box that is too close to another along the line (x or y) to the
    nearest place where it keeps ``gap`` from every box, others and moved alike (in place)."""
    for key in sorted(moved, key=lambda k: (moved[k].cx, moved[k].cy, k)):
        box = moved[key]
        rest = [b for k, b in moved.items() if k != key] + list(others.values())
        if not any(box.overlaps(b, gap) for b in rest):
            continue
        for step in range(1, 4000):
            shift = (step + 1) // 2 * 4.0 * (1 if step % 2 else -1)
            trial = (
                Rect(box.cx + shift, box.cy, box.hw, box.hh)
                if along_x
                else Rect(box.cx, box.cy + shift, box.hw, box.hh)
            )
            if not any(trial.overlaps(b, gap) for b in rest):
                moved[key] = trial
                break


def align(
    boxes: Mapping[str, Rect], how: str, others: Mapping[str, Rect] | None = None
) -> dict[str, Point]:
    """New centres lining ``boxes`` up: "left", "centre", "right" (on the left edge, middle or
    right edge of the box around them all) or "top", "middle", "bottom", keeping ``ALIGN_GAP``
    between them and from ``others`` (the rest of the diagram, which stays). Only boxes that
    move are returned."""
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
        out[key] = (x, y)
    # On a row the boxes part along x, in a column along y.
    along_x = how in ("top", "middle", "bottom")
    lined = {k: Rect(*out[k], b.hw, b.hh) for k, b in boxes.items()}
    if along_x:
        xs = _spread(
            {k: b.cx for k, b in lined.items()},
            {k: b.hw for k, b in lined.items()},
            ALIGN_GAP,
            {k: b.cy for k, b in boxes.items()},
        )
        lined = {k: Rect(xs[k], b.cy, b.hw, b.hh) for k, b in lined.items()}
    else:
        ys = _spread(
            {k: b.cy for k, b in lined.items()},
            {k: b.hh for k, b in lined.items()},
            ALIGN_GAP,
            {k: b.cx for k, b in boxes.items()},
        )
        lined = {k: Rect(b.cx, ys[k], b.hw, b.hh) for k, b in lined.items()}
    if others:
        _slide_clear(lined, {k: b for k, b in others.items() if k not in boxes}, along_x, ALIGN_GAP)
    return {k: (b.cx, b.cy) for k, b in lined.items() if (b.cx, b.cy) != (boxes[k].cx, boxes[k].cy)}


def distribute(boxes: Mapping[str, Rect], axis: str) -> dict[str, Point]:
    """New centres giving equal gaps between neighbouring boxes along ``axis`` ("horizontal" or
    "vertical"), in the order of their centres; the first and last stay when the gaps come to at
    least ``ALIGN_GAP`` (see the module doc). Needs three boxes."""
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
    widths = sum(2 * half(boxes[k]) for k in order)
    gap = (span - widths) / (len(order) - 1)
    edge = centre(first) - half(first)
    if gap < ALIGN_GAP:  # no room for a sensible gap: the row grows about its middle
        gap = ALIGN_GAP
        edge -= (widths + gap * (len(order) - 1) - span) / 2
    out: dict[str, Point] = {}
    for key in order:
        b = boxes[key]
        c = edge + half(b)
        edge += 2 * half(b) + gap
        new = (c, b.cy) if horizontal else (b.cx, c)
        if abs(c - centre(b)) > 1e-9:
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
