"""A quick count of the links crossing in a drawing, for the Layered style's search among its
candidates (:mod:`.layered_choice`): each link's arc (as :mod:`.links` bends it) as a few
straight pieces, every pair of pieces of links with no variable in common tested at once
(numpy). It differs from :func:`~cld_editor.layout.metrics.crossings`, which the benchmark
and the tests use, only in the details the search can afford to leave out: arrowheads aimed
apart and pieces of a link within its own ends' boxes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .boxes import Point, Size
from .links import arc_points

#: An arc is cut into pieces about this long, at most MAX_PIECES of them.
PIECE = 30.0
MAX_PIECES = 24


def _clip(points: np.ndarray, box: tuple[float, float, float, float], first: bool) -> np.ndarray:
    """``points`` without those inside ``box`` at the start (``first``) or the end, keeping
    the last (first) one inside so the line still reaches the outline's neighbourhood."""
    cx, cy, hw, hh = box
    inside = (np.abs(points[:, 0] - cx) <= hw) & (np.abs(points[:, 1] - cy) <= hh)
    if first:
        k = int(np.argmin(inside)) if not inside.all() else len(points) - 1
        return points[max(k - 1, 0) :]
    outside = np.flatnonzero(~inside)
    k = int(outside[-1]) if len(outside) else 0
    return points[: k + 2]


def sketch_crossings(
    links: Sequence[tuple[str, str]],
    pos: Mapping[str, Point],
    sizes: Mapping[str, Size],
    bends: Sequence[float],
) -> int:
    """Pairs of ``links`` (source, target) with no end in common whose arcs, bent by
    ``bends``, cross."""
    starts, ends, owner = [], [], []
    for k, ((u, w), c) in enumerate(zip(links, bends, strict=True)):
        p0, p1 = pos[u], pos[w]
        chord = math.dist(p0, p1)
        if abs(c) < 1e-3:
            points = np.array([p0, p1], dtype=float)
        else:
            length = chord * (1 + 2.7 * c * c)  # about the arc's length
            spacing = max(PIECE, length / MAX_PIECES)
            points = arc_points(p0, p1, c, spacing)
        boxes = [(pos[v][0], pos[v][1], sizes[v][0] / 2, sizes[v][1] / 2) for v in (u, w)]
        points = _clip(_clip(points, boxes[0], True), boxes[1], False)
        if len(points) < 2:
            continue
        starts.append(points[:-1])
        ends.append(points[1:])
        owner.append(np.full(len(points) - 1, k))
    if not starts:
        return 0
    a, b, who = np.concatenate(starts), np.concatenate(ends), np.concatenate(owner)
    names = sorted({v for link in links for v in link})
    index = {v: i for i, v in enumerate(names)}
    ends_of = np.array([[index[u], index[w]] for u, w in links], dtype=np.int64)
    # Pieces whose boxes meet, of different links with no end in common.
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    i, j = np.triu_indices(len(a), 1)
    meet = (
        (lo[i, 0] <= hi[j, 0])
        & (lo[j, 0] <= hi[i, 0])
        & (lo[i, 1] <= hi[j, 1])
        & (lo[j, 1] <= hi[i, 1])
        & (who[i] != who[j])
    )
    i, j = i[meet], j[meet]
    ei, ej = ends_of[who[i]], ends_of[who[j]]
    apart = (ei[:, 0] != ej[:, 0]) & (ei[:, 0] != ej[:, 1]) & (ei[:, 1] != ej[:, 0])
    apart &= ei[:, 1] != ej[:, 1]
    i, j = i[apart], j[apart]

    def side(p, q, r):
        return (q[:, 0] - p[:, 0]) * (r[:, 1] - p[:, 1]) - (q[:, 1] - p[:, 1]) * (r[:, 0] - p[:, 0])

    cross = (side(a[j], b[j], a[i]) * side(a[j], b[j], b[i]) < 0) & (
        side(a[i], b[i], a[j]) * side(a[i], b[i], b[j]) < 0
    )
    pairs = np.unique(np.stack((who[i][cross], who[j][cross]), axis=1), axis=0)
    return len(pairs)
