"""Variable boxes for layout: their size (measured by the GUI, or estimated without Qt), the
rectangle type every layout works with, a grid index for neighbour queries, and the overlap
removal that every style finishes with.

A variable's box is the rounded rectangle the canvas draws, label included: the GUI passes the
sizes it measured with real font metrics, and without them :func:`estimated_size` lays the label
out the way the canvas does (13 px sans serif, wrapped at 132 px, padded 11 x 7, at least
64 x 30) from a table of glyph advances, erring on the wide side. Layouts keep ``GAP`` between
boxes, which also absorbs the difference between a font and the estimate.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from ..core.model import Diagram
from .cancel import checkpoint

Point = tuple[float, float]
Size = tuple[float, float]

WRAP_WIDTH = 132.0
PAD_X, PAD_Y = 11.0, 7.0
MIN_WIDTH, MIN_HEIGHT = 64.0, 30.0
LINE_HEIGHT = 15.2
#: Space kept between two boxes after a layout.
GAP = 24.0
#: A frozen grid spanning at most this many cells looks cells up in a dense table.
DENSE_CELLS = 4_000_000
#: Advances (px) of a 13 px sans-serif font (DejaVu Sans, the usual fallback, whose glyphs are
#: among the widest); anything else counts as the widest Latin glyph, CJK and the like as 13.
_ADVANCE: dict[str, float] = {
    **dict.fromkeys("0123456789$", 8.3),
    **dict.fromkeys("abdeghnopqu", 8.3),
    **dict.fromkeys("ckvxy", 7.7),
    **dict.fromkeys("szJ", 6.8),
    **dict.fromkeys("ijlI'", 3.9),
    **dict.fromkeys("frt", 5.4),
    **dict.fromkeys(" ,.:;!|/\\", 4.4),
    **dict.fromkeys("()[]-", 5.1),
    **dict.fromkeys("mwMW%@", 13.0),
    **dict.fromkeys("ABCDEFGHKLNOPQRSTUVXYZ&", 10.3),
}
_DEFAULT_ADVANCE = 8.3


def text_width(text: str) -> float:
    return sum(_ADVANCE.get(ch, 13.0 if ord(ch) > 0x2E7F else _DEFAULT_ADVANCE) for ch in text)


def estimated_size(label: str) -> Size:
    """Width and height of a variable's box for ``label``, estimated without a font."""
    lines: list[float] = []
    for paragraph in (label if label.strip() else " ").split("\n"):
        width = 0.0
        for word in paragraph.split(" "):
            w = text_width(word)
            if width and width + _ADVANCE[" "] + w > WRAP_WIDTH:
                lines.append(width)
                width = 0.0
            width = width + _ADVANCE[" "] + w if width else w
            while width > WRAP_WIDTH:  # a word longer than a line breaks anywhere
                lines.append(WRAP_WIDTH)
                width -= WRAP_WIDTH
        lines.append(width)
    w = max(MIN_WIDTH, math.ceil(max(lines) + 2 * PAD_X))
    h = max(MIN_HEIGHT, math.ceil(LINE_HEIGHT * len(lines) + 2 * PAD_Y))
    return (float(w), float(h))


def diagram_sizes(diagram: Diagram, sizes: Mapping[str, Size] | None = None) -> dict[str, Size]:
    """Every variable's box size: ``sizes`` where given, else the estimate."""
    given = sizes or {}
    return {v.id: given.get(v.id) or estimated_size(v.label) for v in diagram.variables}


@dataclass(frozen=True, slots=True)
class Rect:
    """An axis-aligned box by its centre and half extents."""

    cx: float
    cy: float
    hw: float
    hh: float

    @property
    def left(self) -> float:
        return self.cx - self.hw

    @property
    def right(self) -> float:
        return self.cx + self.hw

    @property
    def top(self) -> float:
        return self.cy - self.hh

    @property
    def bottom(self) -> float:
        return self.cy + self.hh

    def overlaps(self, other: Rect, gap: float = 0.0) -> bool:
        return (
            abs(self.cx - other.cx) < self.hw + other.hw + gap
            and abs(self.cy - other.cy) < self.hh + other.hh + gap
        )

    def contains(self, x: float, y: float, margin: float = 0.0) -> bool:
        return abs(x - self.cx) <= self.hw + margin and abs(y - self.cy) <= self.hh + margin


def rects(positions: Mapping[str, Point], sizes: Mapping[str, Size]) -> dict[str, Rect]:
    return {i: Rect(x, y, sizes[i][0] / 2, sizes[i][1] / 2) for i, (x, y) in positions.items()}


class Grid:
    """A uniform grid of rectangles, for finding those near a point or another rectangle."""

    def __init__(self, boxes: Mapping[str, Rect], cell: float = 160.0, margin: float = 8.0) -> None:
        self.cell = cell
        self.margin = margin
        #: The grid as arrays, while no box is added or removed (:meth:`freeze`).
        self.frozen: FrozenCells | None = None
        self.boxes: dict[str, Rect] = {}
        self._cells: dict[tuple[int, int], list[str]] = {}
        for key, box in boxes.items():
            self.add(key, box)

    def _span(self, box: Rect, margin: float) -> Iterable[tuple[int, int]]:
        c = self.cell
        x0, x1 = math.floor((box.left - margin) / c), math.floor((box.right + margin) / c)
        y0, y1 = math.floor((box.top - margin) / c), math.floor((box.bottom + margin) / c)
        for gx in range(x0, x1 + 1):
            for gy in range(y0, y1 + 1):
                yield (gx, gy)

    def add(self, key: str, box: Rect) -> None:
        self.frozen = None
        self.boxes[key] = box
        for cell in self._span(box, self.margin):
            self._cells.setdefault(cell, []).append(key)

    def remove(self, key: str) -> None:
        self.frozen = None
        box = self.boxes.pop(key)
        for cell in self._span(box, self.margin):
            self._cells[cell].remove(key)

    def freeze(self) -> FrozenCells:
        """The grid as arrays (:class:`FrozenCells`), kept until a box is added or removed."""
        if self.frozen is None:
            self.frozen = FrozenCells(self)
        return self.frozen

    def cell_keys(self, gx: int, gy: int) -> list[str]:
        """The boxes that reach into cell (gx, gy), or come within the grid's margin of it."""
        return self._cells.get((gx, gy), [])

    def near(self, box: Rect, margin: float = 0.0) -> set[str]:
        found: set[str] = set()
        for cell in self._span(box, margin):
            found.update(self._cells.get(cell, ()))
        return found

    def any_overlapping(self, box: Rect, gap: float, skip: str | None = None) -> bool:
        """Whether any box (but ``skip``) comes closer than ``gap`` to ``box``
        (``overlapping``, but stopping at the first)."""
        boxes = self.boxes
        for cell in self._span(box, gap):
            for key in self._cells.get(cell, ()):
                if key != skip and boxes[key].overlaps(box, gap):
                    return True
        return False

    def overlapping(self, box: Rect, gap: float, skip: str | None = None) -> list[str]:
        return sorted(
            k for k in self.near(box, gap) if k != skip and self.boxes[k].overlaps(box, gap)
        )

    def count_overlapping(
        self, centres: np.ndarray, half: tuple[float, float], gap: float, skip: str | None = None
    ) -> np.ndarray:
        """For each of ``centres`` (k x 2), how many boxes (but ``skip``) a box of half sizes
        ``half`` centred there comes closer to than ``gap``: ``len(overlapping(...))`` for
        many boxes at once, with the same comparisons (only the boxes near all of them are
        looked at)."""
        hw, hh = half
        counts = np.zeros(len(centres), dtype=np.int64)
        if not len(centres) or not self.boxes:
            return counts
        cx, cy = centres[:, 0], centres[:, 1]
        left, right = float(cx.min()), float(cx.max())
        top, bottom = float(cy.min()), float(cy.max())
        around = Rect(
            (left + right) / 2, (top + bottom) / 2, (right - left) / 2 + hw, (bottom - top) / 2 + hh
        )
        keys = [k for k in self.near(around, gap) if k != skip]
        if not keys:
            return counts
        boxes = self.boxes
        table = np.array([[boxes[k].cx, boxes[k].cy, boxes[k].hw, boxes[k].hh] for k in keys])
        # As Rect.overlaps compares them: |dx| < box.hw + other.hw + gap, the same for y.
        near_x = np.abs(table[None, :, 0] - cx[:, None]) < table[None, :, 2] + hw + gap
        near_y = np.abs(table[None, :, 1] - cy[:, None]) < table[None, :, 3] + hh + gap
        return (near_x & near_y).sum(axis=1)


class FrozenCells:
    """A :class:`Grid` as arrays, for looking up the boxes in many cells at once (numpy): the
    occupied cells' codes in order, where each one's boxes start in a flat list of box numbers,
    and the boxes (cx, cy, hw, hh) by number."""

    #: Cell coordinates are shifted by this much to make codes of non-negative numbers.
    OFFSET = 1 << 20

    def __init__(self, grid: Grid) -> None:
        self.cell = grid.cell
        self.names = list(grid.boxes)
        self.number = {k: i for i, k in enumerate(self.names)}
        self.table = np.array(
            [[b.cx, b.cy, b.hw, b.hh] for b in grid.boxes.values()], dtype=float
        ).reshape(-1, 4)
        number = self.number
        entries = [(gx, gy, number[k]) for (gx, gy), keys in grid._cells.items() for k in keys]
        table = np.array(entries, dtype=np.int64).reshape(-1, 3)
        codes = self.code(table[:, 0], table[:, 1])
        order = np.argsort(codes, kind="stable")
        self.flat = table[order, 2]
        self.codes, counts = np.unique(codes[order], return_counts=True)
        self.starts = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        # Where the cells span a moderate area, a dense table of each cell's first box and
        # count, looked up directly (else: a binary search among the codes).
        self.dense: tuple[int, int, np.ndarray, np.ndarray] | None = None
        if len(table):
            x0, y0 = int(table[:, 0].min()), int(table[:, 1].min())
            nx, ny = int(table[:, 0].max()) - x0 + 1, int(table[:, 1].max()) - y0 + 1
            if nx * ny <= DENSE_CELLS:
                first = np.zeros((nx, ny), dtype=np.int64)
                count = np.zeros((nx, ny), dtype=np.int64)
                cx = self.codes // (2 * self.OFFSET) - self.OFFSET - x0
                cy = self.codes % (2 * self.OFFSET) - self.OFFSET - y0
                first[cx, cy] = self.starts[:-1]
                count[cx, cy] = counts
                self.dense = (x0, y0, first, count)

    def code(self, gx, gy):
        return (gx + self.OFFSET) * (2 * self.OFFSET) + (gy + self.OFFSET)

    def pairs_at(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each (point, box) pair of ``points`` and a box registered in the point's cell, as
        two arrays of numbers."""
        cells = np.floor(points / self.cell).astype(np.int64)
        if self.dense is not None:
            x0, y0, first_of, count_of = self.dense
            gx, gy = cells[:, 0] - x0, cells[:, 1] - y0
            inside = (gx >= 0) & (gx < first_of.shape[0]) & (gy >= 0) & (gy < first_of.shape[1])
            which = np.flatnonzero(inside)
            first = first_of[gx[which], gy[which]]
            lengths = count_of[gx[which], gy[which]]
        else:
            codes = self.code(cells[:, 0], cells[:, 1])
            at = np.searchsorted(self.codes, codes)
            inside = at < len(self.codes)
            inside[inside] = self.codes[at[inside]] == codes[inside]
            which = np.flatnonzero(inside)
            first = self.starts[at[which]]
            lengths = self.starts[at[which] + 1] - first
        total = int(lengths.sum())
        if not total:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        shift = first - np.concatenate(([0], np.cumsum(lengths)[:-1]))
        boxes = self.flat[np.repeat(shift, lengths) + np.arange(total)]
        return np.repeat(which, lengths), boxes


def overlapping_pairs(boxes: Mapping[str, Rect], gap: float = 0.0) -> list[tuple[str, str]]:
    """Pairs of boxes closer than ``gap`` (touching counts as apart), each pair once."""
    order = sorted(boxes, key=lambda k: boxes[k].left)
    out: list[tuple[str, str]] = []
    active: list[str] = []
    for key in order:
        box = boxes[key]
        active = [a for a in active if boxes[a].right + gap > box.left]
        out.extend((a, key) for a in active if boxes[a].overlaps(box, gap))
        active.append(key)
    return out


def separate(
    positions: dict[str, Point],
    sizes: Mapping[str, Size],
    movable: set[str],
    gap: float = GAP,
    rounds: int = 60,
    limits: Mapping[str, tuple[float, float]] | None = None,
) -> dict[str, Point]:
    """Push ``movable`` boxes apart until no two boxes are closer than ``gap``; the others stay.

    Each round moves each overlapping pair apart along the axis where they overlap least (half
    each, or all of it for the movable one of a movable and a fixed box). What rounds leave
    over, a last pass resolves box by box by moving it to the nearest free spot on a spiral.
    ``limits`` keeps a box's centre y within a range (the iceberg's bands).
    """
    limits = limits or {}
    pos = dict(positions)
    for _ in range(rounds):
        checkpoint()
        pairs = overlapping_pairs(rects(pos, sizes), gap)
        pairs = [(a, b) for a, b in pairs if a in movable or b in movable]
        if not pairs:
            return pos
        shift: dict[str, list[float]] = {}
        for a, b in pairs:
            (ax, ay), (bx, by) = pos[a], pos[b]
            ox = (sizes[a][0] + sizes[b][0]) / 2 + gap - abs(ax - bx)
            oy = (sizes[a][1] + sizes[b][1]) / 2 + gap - abs(ay - by)
            if ox < oy:
                sign = 1.0 if bx > ax or (bx == ax and b > a) else -1.0
                dx, dy = sign * (ox + 0.5), 0.0
            else:
                sign = 1.0 if by > ay or (by == ay and b > a) else -1.0
                dx, dy = 0.0, sign * (oy + 0.5)
            share_a = 0.5 if b in movable else 1.0
            share_b = 0.5 if a in movable else 1.0
            if a in movable:
                s = shift.setdefault(a, [0.0, 0.0])
                s[0] -= dx * share_a
                s[1] -= dy * share_a
            if b in movable:
                s = shift.setdefault(b, [0.0, 0.0])
                s[0] += dx * share_b
                s[1] += dy * share_b
        for key, (dx, dy) in shift.items():
            x, y = pos[key]
            pos[key] = (x + dx, _clamp(y + dy, limits.get(key)))
    return settle(pos, sizes, movable, gap, limits)


def _clamp(y: float, limit: tuple[float, float] | None) -> float:
    return y if limit is None else min(max(y, limit[0]), limit[1])


def settle(
    positions: dict[str, Point],
    sizes: Mapping[str, Size],
    movable: set[str],
    gap: float = GAP,
    limits: Mapping[str, tuple[float, float]] | None = None,
) -> dict[str, Point]:
    """Move each movable box that is too close to another to the nearest free spot (spiral)."""
    pos = dict(positions)
    fixed = {k: r for k, r in rects(pos, sizes).items() if k not in movable}
    grid = Grid(fixed)
    limits = limits or {}
    for key in sorted(movable, key=lambda k: (pos[k][1], pos[k][0], k)):
        checkpoint()
        pos[key] = free_spot(grid, pos[key], sizes[key], gap, limits.get(key))
        grid.add(key, Rect(*pos[key], sizes[key][0] / 2, sizes[key][1] / 2))
    return pos


def free_spot(
    grid: Grid, near: Point, size: Size, gap: float = GAP, limit: tuple[float, float] | None = None
) -> Point:
    """The first spot on a spiral around ``near`` where a box of ``size`` keeps ``gap`` from
    every box in ``grid`` (and its centre's y stays within ``limit``)."""
    hw, hh = size[0] / 2, size[1] / 2
    step = max(12.0, (hw + hh) / 3)  # about a third of the box per turn of the spiral
    for k in range(0, 20_000):
        if k == 0:
            x, y = near
        else:
            radius = step * math.sqrt(k)
            angle = k * 2.399963  # the golden angle: an even spiral of candidates
            x, y = near[0] + radius * math.cos(angle), near[1] + radius * math.sin(angle)
        if limit is not None and not limit[0] <= y <= limit[1]:
            if k == 0:
                y = _clamp(y, limit)
            else:
                continue
        if not grid.any_overlapping(Rect(x, y, hw, hh), gap):
            return (x, y)
    raise RuntimeError("no free spot found")  # pragma: no cover - 20,000 tries cover any diagram


def bounds(boxes: Iterable[Rect]) -> tuple[float, float, float, float]:
    """left, top, right, bottom of some boxes (zeros when there are none)."""
    boxes = list(boxes)
    if not boxes:
        return (0.0, 0.0, 0.0, 0.0)
    return (
        min(b.left for b in boxes),
        min(b.top for b in boxes),
        max(b.right for b in boxes),
        max(b.bottom for b in boxes),
    )
