"""Counting crossings of straight links quickly, while a layout is being made: all pairs of
the links among placed variables at once (:class:`PlacedLinks`), and the crossings a candidate
placement of a few new variables would add (:func:`estimated_crossings`). Links that share a
variable never count as crossing. Finished layouts are measured as drawn instead
(:mod:`cld_editor.layout.choose`, :mod:`cld_editor.layout.metrics`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .boxes import Point
from .cancel import checkpoint

#: Links whose crossings with all the others are counted at once.
BLOCK = 256


class PlacedLinks:
    """The straight links among placed variables, as arrays, to count crossings against."""

    def __init__(self, pos: Mapping[str, Point], neighbours: Mapping[str, list[str]]) -> None:
        self.ids = {v: k for k, v in enumerate(pos)}
        pairs = [
            (self.ids[u], self.ids[v])
            for u in pos
            for v in neighbours.get(u, ())
            if v in self.ids and self.ids[u] < self.ids[v]
        ]
        points = np.array([pos[v] for v in pos], dtype=float).reshape(-1, 2)
        self.ends = np.array(pairs, dtype=np.int64).reshape(-1, 2)
        self.segments = (
            np.concatenate((points[self.ends[:, 0]], points[self.ends[:, 1]]), axis=1)
            if len(pairs)
            else np.zeros((0, 4))
        )

    def crossings(self) -> int:
        """How many pairs of these straight links cross (links sharing a variable do not)."""
        seg, ends = self.segments, self.ends
        r, t = seg[None, :, 0:2], seg[None, :, 2:4]
        total = 0
        for start in range(0, len(seg), BLOCK):  # rows of links at a time: memory stays small
            checkpoint()
            rows = slice(start, start + BLOCK)
            p, q = seg[rows, None, 0:2], seg[rows, None, 2:4]
            crossing = (_side(r, t, p) * _side(r, t, q) < 0) & (_side(p, q, r) * _side(p, q, t) < 0)
            shared = (ends[rows, None, :, None] == ends[None, :, None, :]).any(axis=(2, 3))
            total += int((crossing & ~shared).sum())
        return total // 2


def _side(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    return (b[..., 0] - a[..., 0]) * (c[..., 1] - a[..., 1]) - (b[..., 1] - a[..., 1]) * (
        c[..., 0] - a[..., 0]
    )


def estimated_crossings(
    new: Mapping[str, Point],
    pos: Mapping[str, Point],
    neighbours: Mapping[str, list[str]],
    placed: PlacedLinks,
) -> int:
    """Crossings between straight links touching the new members and those among placed ones
    or other new ones (an estimate, to choose between candidate placements)."""
    both = {**pos, **new}
    fresh = [
        (u, v) for u in new for v in neighbours.get(u, ()) if v in both and (v not in new or u < v)
    ]
    if not fresh:
        return 0
    f = np.array([(*both[u], *both[v]) for u, v in fresh], dtype=float)
    # Ids for shared-end checks: placed variables keep theirs, new ones come after.
    extra = {v: len(placed.ids) + k for k, v in enumerate(new)}
    ident = {**placed.ids, **extra}
    f_ends = np.array([(ident[u], ident[v]) for u, v in fresh], dtype=np.int64)
    # Only placed links whose box meets the new links' box can cross them.
    x0, y0 = np.minimum(f[:, 0:2], f[:, 2:4]).min(axis=0)
    x1, y1 = np.maximum(f[:, 0:2], f[:, 2:4]).max(axis=0)
    old = placed.segments
    near = (
        (np.maximum(old[:, 0], old[:, 2]) >= x0)
        & (np.minimum(old[:, 0], old[:, 2]) <= x1)
        & (np.maximum(old[:, 1], old[:, 3]) >= y0)
        & (np.minimum(old[:, 1], old[:, 3]) <= y1)
    )
    segments = np.concatenate((old[near], f))
    ends = np.concatenate((placed.ends[near], f_ends))
    p, q = f[:, None, 0:2], f[:, None, 2:4]
    r, t = segments[None, :, 0:2], segments[None, :, 2:4]
    crossing = (_side(r, t, p) * _side(r, t, q) < 0) & (_side(p, q, r) * _side(p, q, t) < 0)
    shared = (f_ends[:, None, 0:1] == ends[None, :, :]).any(axis=2) | (
        f_ends[:, None, 1:2] == ends[None, :, :]
    ).any(axis=2)
    return int((crossing & ~shared).sum())
