"""Links as drawn, for weighing candidate spots of a variable all at once (see
:mod:`.untangle`): every link of a finished layout as a polyline of ``SEGMENTS`` pieces (and its
fine samples), updated as variables move; a link between each of many spots and one other end,
drawn the drawing's way (a circular arc bowing left by its curvature); and, for many polylines at
once, how many other links each crosses and how many boxes each passes over. Only pairs whose
bounding boxes meet are tested.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ..core.model import Diagram
from . import choose
from .boxes import Grid, Point, Size
from .links import arc_points

#: Points per link for the crossing test (as :mod:`.choose` counts them).
SEGMENTS = choose.SEGMENTS


class DrawnLinks:
    """Every link as drawn (polylines of SEGMENTS pieces, and its fine samples), updated as
    variables move."""

    def __init__(
        self,
        diagram: Diagram,
        pos: Mapping[str, Point],
        sizes: Mapping[str, Size],
        bends: Mapping[str, float],
    ) -> None:
        lines = choose.drawn_lines(diagram, pos, sizes, bends)
        ends = {link.id: (link.source, link.target) for link in diagram.links}
        self.ids = [k for k in ends if k in lines and len(lines[k]) >= 2]
        self.row = {k: i for i, k in enumerate(self.ids)}
        self.src = [ends[k][0] for k in self.ids]
        self.dst = [ends[k][1] for k in self.ids]
        self.samples = {k: lines[k] for k in self.ids}
        self.poly = np.stack([_resample(lines[k]) for k in self.ids]) if self.ids else None
        self._all: tuple[np.ndarray, np.ndarray] | None = None

    def all_samples(self) -> tuple[np.ndarray, np.ndarray]:
        """Every link's samples in one array, and the row of the link of each."""
        if self._all is None:
            # Every other sample (8 units apart): still two or more in any box a link crosses.
            parts = [self.samples[k][::2] for k in self.ids]
            self._all = (
                np.concatenate(parts),
                np.repeat(np.arange(len(parts)), [len(p) for p in parts]),
            )
        return self._all

    def touching(self, v: str) -> np.ndarray:
        return np.array([s == v or t == v for s, t in zip(self.src, self.dst, strict=True)])

    def redraw(
        self, link_id: str, pos: Mapping[str, Point], bend: float, sizes: Mapping[str, Size]
    ) -> None:
        """``link_id`` drawn again between its ends at ``pos``, bent by ``bend``, outside
        both boxes."""
        if link_id not in self.row or self.poly is None:
            return
        k = self.row[link_id]
        a, b = pos[self.src[k]], pos[self.dst[k]]
        pts = arc_points(a, b, bend, 4.0)
        keep = np.ones(len(pts), dtype=bool)
        for (x, y), name in ((a, self.src[k]), (b, self.dst[k])):
            w, h = sizes[name]
            keep &= ~((np.abs(pts[:, 0] - x) <= w / 2) & (np.abs(pts[:, 1] - y) <= h / 2))
        pts = pts[keep] if keep.sum() >= 2 else pts[[0, -1]]
        self.samples[link_id] = pts
        self.poly[k] = _resample(pts)
        self._all = None


def _resample(pts: np.ndarray) -> np.ndarray:
    return pts[np.linspace(0, len(pts) - 1, SEGMENTS + 1).round().astype(int)]


def _side(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> np.ndarray:
    return (q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1]) - (q[..., 1] - p[..., 1]) * (
        r[..., 0] - p[..., 0]
    )


def arcs(p: np.ndarray, q: np.ndarray, c: float, outgoing: bool) -> np.ndarray:
    """Polylines (spots x SEGMENTS+1 x 2) of a link between each spot ``p[k]`` and ``q``,
    bowing left of its direction by ``c`` times its length (the drawing's rule): from the spot
    when ``outgoing``, into it otherwise."""
    a, b = (p, np.broadcast_to(q, p.shape)) if outgoing else (np.broadcast_to(q, p.shape), p)
    t = np.linspace(0.0, 1.0, SEGMENTS + 1)[None, :, None]
    d = b - a
    chord = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-9)
    if abs(c) < 1e-3:
        return a[:, None, :] + d[:, None, :] * t
    n = np.column_stack((d[:, 1] / chord, -d[:, 0] / chord))
    sag = c * chord
    radius = (chord * chord / 4 + sag * sag) / (2 * np.abs(sag))
    mid = (a + b) / 2
    centre = mid + n * (sag - np.copysign(radius, sag))[:, None]
    a0 = np.arctan2(a[:, 1] - centre[:, 1], a[:, 0] - centre[:, 0])
    a1 = np.arctan2(b[:, 1] - centre[:, 1], b[:, 0] - centre[:, 0])
    apex = mid + n * sag[:, None]
    am = np.arctan2(apex[:, 1] - centre[:, 1], apex[:, 0] - centre[:, 0])
    forward = (a1 - a0) % (2 * math.pi)
    sweep = np.where((am - a0) % (2 * math.pi) < forward, forward, forward - 2 * math.pi)
    angles = a0[:, None] + sweep[:, None] * t[..., 0]
    return np.stack(
        (
            centre[:, None, 0] + radius[:, None] * np.cos(angles),
            centre[:, None, 1] + radius[:, None] * np.sin(angles),
        ),
        axis=2,
    )


def crossing_counts(lines: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """For each polyline of ``lines`` (k x points x 2), how many of ``poly`` (links x points
    x 2) it crosses; only pairs whose bounding boxes meet are tested."""
    out = np.zeros(len(lines), dtype=np.int64)
    if not len(poly) or not len(lines):
        return out
    lo, hi = lines.min(axis=1), lines.max(axis=1)
    plo, phi = poly.min(axis=1), poly.max(axis=1)
    meet = (
        (lo[:, None, 0] <= phi[None, :, 0])
        & (plo[None, :, 0] <= hi[:, None, 0])
        & (lo[:, None, 1] <= phi[None, :, 1])
        & (plo[None, :, 1] <= hi[:, None, 1])
    )
    i, j = np.nonzero(meet)
    if not len(i):
        return out
    a, b = lines[i, :-1][:, :, None, :], lines[i, 1:][:, :, None, :]
    c, d = poly[j, :-1][:, None, :, :], poly[j, 1:][:, None, :, :]
    hit = (_side(c, d, a) * _side(c, d, b) < 0) & (_side(a, b, c) * _side(a, b, d) < 0)
    np.add.at(out, i, hit.any(axis=(1, 2)).astype(np.int64))
    return out


def boxes_passed(lines: np.ndarray, table: np.ndarray, end: int, margin: float) -> np.ndarray:
    """For each polyline of ``lines``, how many boxes of ``table`` (cx, cy, hw, hh) but row
    ``end`` it passes over (within ``margin``)."""
    lo, hi = lines.min(axis=1), lines.max(axis=1)
    reach = table[:, 2:] + margin
    meet = (
        (lo[:, None, 0] <= table[None, :, 0] + reach[None, :, 0])
        & (hi[:, None, 0] >= table[None, :, 0] - reach[None, :, 0])
        & (lo[:, None, 1] <= table[None, :, 1] + reach[None, :, 1])
        & (hi[:, None, 1] >= table[None, :, 1] - reach[None, :, 1])
    )
    meet[:, end] = False
    i, j = np.nonzero(meet)
    out = np.zeros(len(lines), dtype=np.int64)
    if len(i):
        pts = lines[i]
        hit = (np.abs(pts[:, :, 0] - table[j, None, 0]) <= reach[j, None, 0]) & (
            np.abs(pts[:, :, 1] - table[j, None, 1]) <= reach[j, None, 1]
        )
        np.add.at(out, i, hit.any(axis=1).astype(np.int64))
    return out


def apart(drawn: DrawnLinks, a: str, b: str) -> np.ndarray:
    """The links sharing no variable with a link between ``a`` and ``b``."""
    return np.array(
        [s not in (a, b) and t not in (a, b) for s, t in zip(drawn.src, drawn.dst, strict=True)],
        dtype=bool,
    )


#: Costs of a spot for a variable, in crossings: its box on another link, one of its links over
#: a box, and per unit of its links' length (:mod:`.untangle`, :mod:`.layered_polish`).
ON_LINK = 1.5
OVER_BOX = 1.5
LENGTH = 1 / 400


def crossings_now(drawn: DrawnLinks, mine: np.ndarray) -> int:
    """How many crossings the links ``mine`` (a mask: a variable's links) take part in now,
    pair by pair, as drawn (a link crossing two of them counts twice, as a score does)."""
    assert drawn.poly is not None
    return sum(
        int(
            crossing_counts(
                drawn.poly[k][None], drawn.poly[apart(drawn, drawn.src[k], drawn.dst[k])]
            )[0]
        )
        for k in np.flatnonzero(mine)
    )


def spot_costs(
    v: str,
    spots: np.ndarray,
    pos: Mapping[str, Point],
    own: list[tuple[str, str, float, bool]] | tuple[tuple[str, str, float, bool], ...],
    size: Size,
    drawn: DrawnLinks,
    mine: np.ndarray,
    names: list[str],
    table: np.ndarray,
    margin: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(cost, crossings) of each of ``spots`` for ``v``: its links ``own`` (id, other end,
    bend, from v) drawn from there cross the others (``mine``: v's own, left out), pass over
    boxes (``table``, one row per name in ``names``), and are long; and its box (``size``)
    lies on another link. The weights are ON_LINK, OVER_BOX and LENGTH."""
    assert drawn.poly is not None
    cost = np.zeros(len(spots))
    crossed = np.zeros(len(spots), dtype=np.int64)
    others = ~mine
    for _, n, bend, outgoing in own:
        q = np.array(pos[n], dtype=float)
        lines = arcs(spots, q, bend, outgoing)
        # A straight link is one segment.
        tested = lines if abs(bend) >= 1e-3 else lines[:, [0, -1]]
        count = crossing_counts(tested, drawn.poly[others & apart(drawn, v, n)])
        crossed += count
        cost += count
        cost += OVER_BOX * boxes_passed(lines, table, names.index(n), margin)
        cost += LENGTH * np.sqrt(((spots - q) ** 2).sum(axis=1))
    # The box on another link.
    w, h = size
    pts, rows = drawn.all_samples()
    lo, hi = spots.min(axis=0) - (w + h), spots.max(axis=0) + (w + h)
    pts = pts[((pts >= lo) & (pts <= hi)).all(axis=1) & others[rows]]
    if len(pts):
        on = (np.abs(pts[None, :, 0] - spots[:, None, 0]) <= w / 2 + margin) & (
            np.abs(pts[None, :, 1] - spots[:, None, 1]) <= h / 2 + margin
        )
        cost += ON_LINK * on.any(axis=1)
    return cost, crossed


def other_boxes(grid: Grid, v: str) -> tuple[list[str], np.ndarray]:
    """The names of every box in ``grid`` but ``v``'s, and their (cx, cy, hw, hh) as rows."""
    names = [k for k in grid.boxes if k != v]
    boxes = grid.boxes
    rows = [[boxes[k].cx, boxes[k].cy, boxes[k].hw, boxes[k].hh] for k in names]
    return names, np.array(rows, dtype=float).reshape(-1, 4)


def clear_of_boxes(spots: np.ndarray, table: np.ndarray, size: Size, gap: float) -> np.ndarray:
    """Which of ``spots`` a box of ``size`` centred there keeps ``gap`` from every box of
    ``table`` (all at once; only the boxes near the spots are looked at)."""
    w, h = size
    if not len(spots):
        return np.zeros(0, dtype=bool)
    lo, hi = spots.min(axis=0) - w - gap, spots.max(axis=0) + w + gap
    near = table[
        (table[:, 0] + table[:, 2] >= lo[0])
        & (table[:, 0] - table[:, 2] <= hi[0])
        & (table[:, 1] + table[:, 3] >= lo[1])
        & (table[:, 1] - table[:, 3] <= hi[1])
    ]
    return ~(
        (np.abs(spots[:, None, 0] - near[None, :, 0]) < w / 2 + near[None, :, 2] + gap)
        & (np.abs(spots[:, None, 1] - near[None, :, 1]) < h / 2 + near[None, :, 3] + gap)
    ).any(axis=1)


def cheapest_with_fewer(cost: np.ndarray, crossed: np.ndarray, now: int) -> int | None:
    """Of the spots (spot 0 is where the variable is) whose links cross fewer than ``now``,
    the cheapest; None when none does."""
    fewer = crossed < now
    fewer[0] = False
    if not fewer.any():
        return None
    return int(np.argmin(np.where(fewer, cost, np.inf)))
