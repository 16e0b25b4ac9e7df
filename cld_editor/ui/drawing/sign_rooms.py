"""How much room a sign has at each of many spots, worked out for all of them at once (numpy,
Qt-free): the distances from spots to the segments of links and to points, where one link's
segments cross others', and the room left before the nearest clearance breaks.
:mod:`.sign_places` decides what a sign must keep clear of and which spot it takes; this
module only measures, and gives the same numbers, bit for bit, as measuring every pair.

Two things make it fast. Every cut (segments or points whose bounds lie too far away) only
drops what lies farther from every spot than the clearance checked: a broken (negative) room
comes out the same whatever was dropped, and one that is not broken stays non-negative. And the
work goes in slices of at most CHUNK pairs: numpy's temporaries then stay small enough for the
C library's allocator to reuse (above some 70 KB each, glibc hands back and asks again for
fresh pages on every operation, and the same sums take five times as long).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

#: Pairs (of a spot and a segment, say) worked on at once: temporaries of 48 KB.
CHUNK = 6144


def segments_near(segments: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Which of ``segments`` (n x 4: x0, y0, x1, y1) have bounds meeting the box from ``lo``
    to ``hi`` (a mask)."""
    x0, y0, x1, y1 = segments.T
    return (
        (np.maximum(x0, x1) >= lo[0])
        & (np.minimum(x0, x1) <= hi[0])
        & (np.maximum(y0, y1) >= lo[1])
        & (np.minimum(y0, y1) <= hi[1])
    )


def points_near(points: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Which of ``points`` (n x 2) lie in the box from ``lo`` to ``hi`` (a mask)."""
    return ((points >= lo) & (points <= hi)).all(axis=1)


def nearest(ex: np.ndarray, ey: np.ndarray) -> np.ndarray:
    """Of each row of offsets (``ex``, ``ey``: k x n, n > 0), the shortest length, exactly
    ``np.hypot(ex, ey).min(axis=1)``. hypot costs ten times a sum of squares, so only the
    pairs within a millionth of their row's shortest square length are measured with it: no
    pair farther out can be as short once rounded."""
    d2 = ex * ex + ey * ey
    # The tiny addend keeps every pair whose squares underflow (lengths under 1e-140).
    rows, cols = np.nonzero(d2 <= d2.min(axis=1)[:, None] * (1 + 1e-6) + 1e-280)
    lengths = np.hypot(ex[rows, cols], ey[rows, cols])
    # np.nonzero goes row by row, and each row keeps at least its shortest pair.
    starts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
    return np.minimum.reduceat(lengths, starts)


def distances_to_segments(spots: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """The distance from each of ``spots`` (k x 2) to the nearest of ``segments`` (n x 4)."""
    out = np.full(len(spots), math.inf)
    if not len(segments):
        return out
    ax, ay, bx, by = (c[None, :] for c in segments.T)
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    length2 = np.where(length2 > 0, length2, 1.0)
    step = max(1, CHUNK // len(segments))
    for first in range(0, len(spots), step):
        px, py = spots[first : first + step, 0:1], spots[first : first + step, 1:2]
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / length2, 0, 1)
        out[first : first + step] = nearest(ax + t * dx - px, ay + t * dy - py)
    return out


def distances_to_points(spots: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The distance from each of ``spots`` (k x 2) to the nearest of ``points`` (n x 2)."""
    out = np.full(len(spots), math.inf)
    if not len(points):
        return out
    step = max(1, CHUNK // len(points))
    for first in range(0, len(spots), step):
        part = spots[first : first + step]
        out[first : first + step] = nearest(
            part[:, 0:1] - points[None, :, 0], part[:, 1:2] - points[None, :, 1]
        )
    return out


def crossings(own: np.ndarray, walls: np.ndarray) -> np.ndarray:
    """Where the segments ``own`` (m x 4, one link's) cross the segments ``walls`` (n x 4,
    other links'): k x 2 points."""
    if not len(own):
        return np.empty((0, 2))
    ends = own.reshape(-1, 2)
    walls = walls[segments_near(walls, ends.min(axis=0), ends.max(axis=0))]
    if not len(walls):
        return np.empty((0, 2))
    cx, cy, dx, dy = (c[None, :] for c in walls.T)
    sx, sy = dx - cx, dy - cy
    wall_lengths = np.hypot(sx, sy)
    found = [np.empty((0, 2))]
    step = max(1, CHUNK // len(walls))
    for first in range(0, len(own), step):
        part = own[first : first + step]
        ax, ay, bx, by = (c[:, None] for c in part.T)
        rx, ry = bx - ax, by - ay
        denominator = rx * sy - ry * sx
        # Lines meeting at under about 3 degrees do not cross so much as run together (a link
        # and its mirror image): their distance decides, and float noise would place such
        # crossings.
        square = np.abs(denominator) > 0.05 * np.hypot(rx, ry) * wall_lengths + 1e-12
        safe = np.where(square, denominator, 1.0)
        t = ((cx - ax) * sy - (cy - ay) * sx) / safe
        u = ((cx - ax) * ry - (cy - ay) * rx) / safe
        rows, cols = np.nonzero(square & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1))
        tt = t[rows, cols]
        x0, y0, x1, y1 = part[rows].T
        found.append(np.stack((x0 + tt * (x1 - x0), y0 + tt * (y1 - y0)), axis=1))
    return np.concatenate(found)


def rooms(
    spots: np.ndarray,
    clears: np.ndarray,
    walls: np.ndarray,
    near: Sequence[tuple[np.ndarray, float]],
) -> np.ndarray:
    """For each of ``spots`` (k x 2), how far it is from breaking its nearest clearance
    (negative: broken): ``clears`` (k) to the segments ``walls`` (n x 4), and each of
    ``near``'s clearances to its points (m x 2)."""
    # Only what lies near the spots can break a clearance (and a far room is as good as any).
    lo, hi = spots.min(axis=0), spots.max(axis=0)
    reach = float(clears.max()) + 1.0
    walls = walls[segments_near(walls, lo - reach, hi + reach)]
    out = distances_to_segments(spots, walls) - clears
    for points, clear in near:
        points = points[points_near(points, lo - clear - 1.0, hi + clear + 1.0)]
        if len(points):
            out = np.minimum(out, distances_to_points(spots, points) - clear)
    return out
