"""The placement of polarity signs as it was before :mod:`cld_editor.ui.drawing.sign_places`
was made fast (commit 360e546): every spot scored one batch at a time, each segment and point
measured against it, the per-candidate loops written out. Tests compare the package's
:func:`sign_spots` with this one on the same input, spot for spot; it shares the package's
constants, so a change of a clearance changes both, and a change of the rules must be made here
too (on purpose: the fast code is checked against the plain statement of the rules).
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from cld_editor.layout.aims import angle_round
from cld_editor.ui.drawing.geometry import (
    SIGN_BACK,
    SIGN_CLEARANCE,
    SIGN_OFFSET,
    Box,
    LinkGeometry,
    Point,
    polyline,
)
from cld_editor.ui.drawing.sign_places import (
    _SOURCE_ROOM,
    ARROW_CLEAR,
    BACK_STEP,
    BACK_STEPS,
    CROSS_CLEAR,
    FAR_STEPS,
    LINE_CLEAR,
    ON_LINE_BACK,
    ON_LINE_CLEAR,
    REACH,
    SIGN_CLEAR,
    link_segments,
)


def sign_spots(
    target: Box,
    arriving: Mapping[str, tuple[LinkGeometry, Point]],
    others: Sequence[LinkGeometry] = (),
    segments: Callable[[str | int], np.ndarray | None] = lambda key: None,
) -> dict[str, Point]:
    """Where the sign of each link in ``arriving`` (id -> its geometry and its usual sign spot)
    goes, given the other links near ``target`` (``others``: those leaving it, its self-link,
    links passing by). Links whose usual spot is clear keep it. ``segments`` may give a link's
    :func:`link_segments` already worked out (by id, or by index in ``others``)."""
    if not arriving or (len(arriving) == 1 and not others):
        return {link_id: usual for link_id, (_, usual) in arriving.items()}
    keys = [*arriving, *(f"#{k}" for k in range(len(others)))]
    geometries = [g for g, _ in arriving.values()] + list(others)
    known = [segments(i) for i in arriving] + [segments(k) for k in range(len(others))]
    pieces = [
        p if p is not None else link_segments(g) for p, g in zip(known, geometries, strict=True)
    ]
    lines = dict(zip(keys, _near_many(pieces, target), strict=True))
    arrows = {key: np.array(g.arrow, dtype=float) for key, g in zip(keys, geometries, strict=True)}
    if _all_clear(arriving, lines, arrows):
        return {link_id: usual for link_id, (_, usual) in arriving.items()}
    order = sorted(arriving, key=lambda i: (angle_round(arriving[i][0].tip, target), i))
    placed: list[Point] = []
    out: dict[str, Point] = {}
    for link_id in order:
        geometry, usual = arriving[link_id]
        others_lines = [seg for key, seg in lines.items() if key != link_id and len(seg)]
        others_arrows = [a for key, a in arrows.items() if key != link_id]
        walls = np.concatenate(others_lines) if others_lines else np.empty((0, 4))
        points = np.concatenate(others_arrows) if others_arrows else np.empty((0, 2))
        own = lines[link_id]
        near = [(points, ARROW_CLEAR), (_crossings(own, walls), CROSS_CLEAR)]
        best = usual
        room = _rooms(np.array([usual]), np.array([LINE_CLEAR]), walls, near, placed)[0]
        if room < 0:
            tried: list[tuple[Point, float]] = []
            rooms = np.empty(0)
            for first, last in ((0, BACK_STEPS), (BACK_STEPS, BACK_STEPS + FAR_STEPS)):
                more = list(_candidates(geometry, usual, target, first, last))
                if not more:
                    continue
                spots = np.array([spot for spot, _ in more])
                clears = np.array([clear for _, clear in more])
                tried += more
                rooms = np.concatenate((rooms, _rooms(spots, clears, walls, near, placed)))
                if (rooms >= 0).any():
                    break  # farther spots only where none nearer is clear
            if tried:
                clear = np.flatnonzero(rooms >= 0)
                # The first of the roomiest, not whichever rounding favours: mirrored spots
                # often have the same room.
                k = (
                    int(clear[0])
                    if len(clear)
                    else int(np.flatnonzero(rooms >= rooms.max() - 1e-6)[0])
                )
                if len(clear) or rooms[k] > room + 1e-9:
                    best = tried[k][0]
        out[link_id] = best
        placed.append(best)
    return out


def _all_clear(
    arriving: Mapping[str, tuple[LinkGeometry, Point]],
    lines: dict[str, np.ndarray],
    arrows: dict[str, np.ndarray],
) -> bool:
    """Whether every usual spot is clear of the other links, arrowheads and usual spots (the
    common case, checked in one pass)."""
    ids = list(arriving)
    spots = np.array([arriving[i][1] for i in ids], dtype=float)
    keys = list(lines)
    segments = [lines[k] for k in keys]
    owners = np.repeat(np.arange(len(keys)), [len(seg) for seg in segments])
    if len(owners):
        ax, ay, bx, by = (c[None, :] for c in np.concatenate(segments).T)
        px, py = spots[:, 0:1], spots[:, 1:2]
        dx, dy = bx - ax, by - ay
        length2 = np.where(dx * dx + dy * dy > 0, dx * dx + dy * dy, 1.0)
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / length2, 0, 1)
        distance = np.hypot(ax + t * dx - px, ay + t * dy - py)
        own = owners[None, :] == np.array([keys.index(i) for i in ids])[:, None]
        if (np.where(own, np.inf, distance) < LINE_CLEAR).any():
            return False
    heads = np.stack([arrows[k] for k in keys])  # keys x 4 x 2
    gaps = np.hypot(*(spots[:, None, None, :] - heads[None]).transpose(3, 0, 1, 2)).min(axis=2)
    gaps[np.arange(len(ids)), [keys.index(i) for i in ids]] = np.inf
    if (gaps < ARROW_CLEAR).any():
        return False
    apart = np.hypot(*(spots[:, None, :] - spots[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(apart, np.inf)
    return not (apart < SIGN_CLEAR).any()


def _rooms(
    spots: np.ndarray,
    clears: np.ndarray,
    walls: np.ndarray,
    near: Sequence[tuple[np.ndarray, float]],
    placed: list,
) -> np.ndarray:
    """For each of ``spots`` (k x 2), how far it is from breaking its nearest clearance
    (negative: broken): ``clears`` to the other links' segments ``walls``, each of ``near``'s
    clearances to its points (other arrowheads, crossings), SIGN_CLEAR to the signs ``placed``."""
    # Only what lies near the spots can break a clearance (and a far room is as good as any):
    # a cheap cut first, as a variable's neighbourhood holds many links.
    lo, hi = spots.min(axis=0), spots.max(axis=0)
    reach = float(clears.max()) + 1.0
    rooms = _distances_to_segments(spots, _segments_near(walls, lo - reach, hi + reach)) - clears
    for points, clear in (*near, (np.array(placed, dtype=float), SIGN_CLEAR)):
        if len(points):
            keep = ((points >= lo - clear - 1.0) & (points <= hi + clear + 1.0)).all(axis=1)
            points = points[keep]
        if len(points):
            gaps = np.hypot(*(spots[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
            rooms = np.minimum(rooms, gaps.min(axis=1) - clear)
    return rooms


def _segments_near(segments: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The segments (n x 4) whose bounds meet the box from ``lo`` to ``hi`` (x, y)."""
    if not len(segments):
        return segments
    keep = (
        (np.maximum(segments[:, 0], segments[:, 2]) >= lo[0])
        & (np.minimum(segments[:, 0], segments[:, 2]) <= hi[0])
        & (np.maximum(segments[:, 1], segments[:, 3]) >= lo[1])
        & (np.minimum(segments[:, 1], segments[:, 3]) <= hi[1])
    )
    return segments[keep]


def _crossings(own: np.ndarray, walls: np.ndarray) -> np.ndarray:
    """Where the segments ``own`` (m x 4, one link's) cross the segments ``walls`` (n x 4,
    other links'): k x 2 points."""
    if len(own):
        walls = _segments_near(
            walls, own.reshape(-1, 2).min(axis=0), own.reshape(-1, 2).max(axis=0)
        )
    if not len(own) or not len(walls):
        return np.empty((0, 2))
    ax, ay, bx, by = (c[:, None] for c in own.T)
    cx, cy, dx, dy = (c[None, :] for c in walls.T)
    rx, ry, sx, sy = bx - ax, by - ay, dx - cx, dy - cy
    denominator = rx * sy - ry * sx
    # Lines meeting at under about 3 degrees do not cross so much as run together (a link and
    # its mirror image): their distance decides, and float noise would place such crossings.
    square = np.abs(denominator) > 0.05 * np.hypot(rx, ry) * np.hypot(sx, sy) + 1e-12
    safe = np.where(square, denominator, 1.0)
    t = ((cx - ax) * sy - (cy - ay) * sx) / safe
    u = ((cx - ax) * ry - (cy - ay) * rx) / safe
    hit = square & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1)
    rows, cols = np.nonzero(hit)
    tt = t[rows, cols]
    return np.stack(
        (
            own[rows, 0] + tt * (own[rows, 2] - own[rows, 0]),
            own[rows, 1] + tt * (own[rows, 3] - own[rows, 1]),
        ),
        axis=1,
    )


def _near_many(pieces: Sequence[np.ndarray], target: Box) -> list[np.ndarray]:
    """The segments of each link (``pieces``: n x 4 each) that come within REACH of the box,
    worked out at once."""
    if not pieces:
        return []
    segments = np.vstack(pieces)
    keep = _within_reach(segments, target)
    owners = np.repeat(np.arange(len(pieces)), [len(p) for p in pieces])[keep]
    cuts = np.searchsorted(owners, np.arange(1, len(pieces)))
    return [piece.reshape(-1, 4) for piece in np.split(segments[keep], cuts)]


def _within_reach(segments: np.ndarray, target: Box) -> np.ndarray:
    """Which segments (n x 4) have bounds within REACH of the box."""
    lo_x = np.minimum(segments[:, 0], segments[:, 2])
    hi_x = np.maximum(segments[:, 0], segments[:, 2])
    lo_y = np.minimum(segments[:, 1], segments[:, 3])
    hi_y = np.maximum(segments[:, 1], segments[:, 3])
    return (
        (hi_x >= target.cx - target.hw - REACH)
        & (lo_x <= target.cx + target.hw + REACH)
        & (hi_y >= target.cy - target.hh - REACH)
        & (lo_y <= target.cy + target.hh + REACH)
    )


def _distances_to_segments(spots: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """The distance from each of ``spots`` (k x 2) to the nearest of ``segments`` (n x 4)."""
    if not len(segments):
        return np.full(len(spots), math.inf)
    ax, ay, bx, by = (c[None, :] for c in segments.T)
    px, py = spots[:, 0:1], spots[:, 1:2]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = np.clip(((px - ax) * dx + (py - ay) * dy) / np.where(length2 > 0, length2, 1.0), 0, 1)
    return np.hypot(ax + t * dx - px, ay + t * dy - py).min(axis=1)


def _candidates(
    geometry: LinkGeometry, usual: Point, target: Box, first: int, last: int
) -> Iterable[tuple[Point, float]]:
    """Spots ``first`` to ``last`` (exclusive) steps back from the usual distance, with the
    room they need from other links: beside the link, nearest the arrowhead first, the usual
    side before the other; then on the link itself (the sign's halo breaks the line), for links
    squeezed between neighbours on both sides."""
    path = [geometry.tip, *reversed(polyline(geometry.start, geometry.cubics, 8))]
    lengths = [0.0]
    for a, b in itertools.pairwise(path):
        lengths.append(lengths[-1] + math.dist(a, b))
    total = lengths[-1]
    side = _side(path, lengths, usual)
    r = SIGN_CLEARANCE  # a sign's glyph keeps this far from the outline (geometry.sign_touches)
    grown = Box(target.cx, target.cy, target.hw + r, target.hh + r, target.radius + r)
    backs = [
        SIGN_BACK + k * BACK_STEP
        for k in range(first, last)
        if SIGN_BACK + k * BACK_STEP <= total - _SOURCE_ROOM
    ]
    for back in backs:
        on, (nx, ny) = _at(path, lengths, back)
        for s in (side, -side):
            spot = (on[0] + s * nx * SIGN_OFFSET, on[1] + s * ny * SIGN_OFFSET)
            if not grown.contains(*spot):
                yield spot, LINE_CLEAR
    for back in backs:
        if back >= ON_LINE_BACK:
            on, _ = _at(path, lengths, back)
            if not grown.contains(*on):
                yield on, ON_LINE_CLEAR


def _at(path: list[Point], lengths: list[float], back: float) -> tuple[Point, Point]:
    """The point ``back`` along ``path`` (tip first) and the unit normal to its left there."""
    k = max(1, min(len(path) - 1, bisect.bisect_left(lengths, back)))
    (x0, y0), (x1, y1) = path[k - 1], path[k]
    piece = lengths[k] - lengths[k - 1] or 1.0
    t = min(max((back - lengths[k - 1]) / piece, 0.0), 1.0)
    n = math.hypot(x1 - x0, y1 - y0) or 1.0
    return (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t), (-(y1 - y0) / n, (x1 - x0) / n)


def _side(path: list[Point], lengths: list[float], usual: Point) -> float:
    """Which side of the link (+1 left of the path, -1 right) the usual sign spot is on."""
    on, (nx, ny) = _at(path, lengths, SIGN_BACK)
    return 1.0 if (usual[0] - on[0]) * nx + (usual[1] - on[1]) * ny >= 0 else -1.0
