"""Where the polarity signs of the links arriving at one variable go, so that each reads as its
own link's: :func:`sign_spots`, Qt-free.

A sign normally sits beside its arrowhead, SIGN_BACK back along the link and SIGN_OFFSET out on
the outer side of its curve (:func:`geometry.link_geometry`). Where several links arrive at one
variable (a layered layout feeds a variable from many sources, side by side), that spot can lie
on a neighbouring link, on its arrowhead, or on another sign, and the reader cannot tell which
link the sign belongs to. Here every sign whose usual spot is not clear moves to the first spot,
in the order nearest first and the usual side before the other at each distance, that lies at
least LINE_CLEAR from every other link touching the variable, ARROW_CLEAR from their arrowheads
and SIGN_CLEAR from the signs placed before it (the variable's arriving links are taken in order
round the variable), CROSS_CLEAR from where its link crosses another, and clear of the
variable's outline; where no spot that near the arrowhead is clear (the link runs alongside
and across others there), spots farther back along the link are tried. A link squeezed between
neighbours on both sides gets its sign on its own line (the sign's halo breaks the line there),
still clear of the others. Where no spot within reach is clear, the one with the most room is kept.
Deterministic; the whole-diagram layout of links (:mod:`.link_layout`) calls it for each variable
whose links changed. All the spots a link may take are scored at once (:mod:`.sign_rooms`
measures); the order above decides among them.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Mapping, Sequence

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
from cld_editor.ui.drawing.sign_rooms import (
    crossings,
    distances_to_points,
    distances_to_segments,
    points_near,
    rooms,
    segments_near,
)

#: A sign keeps this far from any other link, more than twice as far as from its own
#: (SIGN_OFFSET): in the gap between two links it reads as the nearer one's only when the gap is
#: that wide (at 20, five links into SIR's Reproduction Rate left a "-" between two lines; signs
#: within 12 units of being as near another link as their own, examples and corpus: 56 -> 17 of
#: 661).
LINE_CLEAR = 26.0
ARROW_CLEAR = 10.0  # ... from the points of other arrowheads
#: ... and from the centres of the other signs at the variable: two signs closer than this, in
#: the gap between their links, read as a pair that either link could own.
SIGN_CLEAR = 24.0
#: A sign on its own line keeps this far from other links, and this far back from the tip (clear
#: of its own arrowhead).
ON_LINE_CLEAR, ON_LINE_BACK = 10.0, 23.0
BACK_STEP = 6.0  # the spots tried lie this far apart along the link
BACK_STEPS = 12  # how many distances are tried (SIGN_BACK up to SIGN_BACK + 11 steps)
#: Where none of those is clear (the link runs alongside and across others near its arrowhead),
#: this many more, farther back: past the crossings, a sign still reads as its own link's.
FAR_STEPS = 8
#: A sign keeps this far from the points where its link crosses another: there it would read
#: as either link's (a new link's "+" drawn on its crossing with a delayed link, beside that
#: link's delay mark, read as the delayed link's).
CROSS_CLEAR = 20.0
#: Links and arrowheads farther than this from the variable's box do not matter: the farthest
#: spot tried, and the room it needs from other links.
REACH = SIGN_BACK + (BACK_STEPS + FAR_STEPS - 1) * BACK_STEP + SIGN_OFFSET + LINE_CLEAR
_SOURCE_ROOM = 14.0  # a sign stays this far from where its link leaves its source


def link_segments(g: LinkGeometry) -> np.ndarray:
    """The pieces (n x 4: x0, y0, x1, y1) of a link that signs near it are checked against."""
    points = np.array([*polyline(g.start, g.cubics, 6), g.tip], dtype=float)
    return np.hstack((points[:-1], points[1:]))


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
    ids = list(arriving)
    # Every link by number: the arriving ones first, then ``others``.
    geometries = [g for g, _ in arriving.values()] + list(others)
    known = [segments(i) for i in ids] + [segments(k) for k in range(len(others))]
    pieces = [
        p if p is not None else link_segments(g) for p, g in zip(known, geometries, strict=True)
    ]
    lines, owners = _near(pieces, target)
    heads = np.fromiter(
        itertools.chain.from_iterable(itertools.chain.from_iterable(g.arrow for g in geometries)),
        float,
        count=8 * len(geometries),
    ).reshape(-1, 2)
    heads_of = np.repeat(np.arange(len(geometries)), 4)
    usual_spots = np.array([usual for _, usual in arriving.values()], dtype=float)
    if _all_clear(usual_spots, lines, owners, heads, heads_of):
        return {link_id: usual for link_id, (_, usual) in arriving.items()}
    tried = [_tried(g, usual, target) for g, usual in arriving.values()]
    # Only what comes this near some spot tried matters (see sign_rooms.rooms).
    spots = np.concatenate([spots for spots, _ in tried])
    margin = max(LINE_CLEAR, ON_LINE_CLEAR, ARROW_CLEAR, CROSS_CLEAR) + 1.0
    lo, hi = spots.min(axis=0) - margin, spots.max(axis=0) + margin
    keep = segments_near(lines, lo, hi)
    lines, owners = lines[keep], owners[keep]
    keep = points_near(heads, lo, hi)
    heads, heads_of = heads[keep], heads_of[keep]
    placed: list[Point] = []
    out: dict[str, Point] = {}
    round_target = sorted(
        range(len(ids)), key=lambda n: (angle_round(geometries[n].tip, target), ids[n])
    )
    for k in round_target:
        mine = owners == k
        walls = lines[~mine]
        spots, clears = tried[k]
        near = [
            (heads[heads_of != k], ARROW_CLEAR),
            (crossings(lines[mine], walls), CROSS_CLEAR),
            (np.array(placed, dtype=float).reshape(-1, 2), SIGN_CLEAR),
        ]
        best = _best(spots, rooms(spots, clears, walls, near), arriving[ids[k]][1])
        out[ids[k]] = best
        placed.append(best)
    return out


def _best(spots: np.ndarray, room: np.ndarray, usual: Point) -> Point:
    """The spot a sign takes, given the room (:func:`sign_rooms.rooms`) at each of ``spots``
    (the usual spot first, then the others in the order tried): the usual one where it is
    clear, else the first clear one, else the roomiest if it has more room than the usual."""
    if room[0] >= 0 or len(room) == 1:
        return usual
    tried = room[1:]
    clear = np.flatnonzero(tried >= 0)
    # The first of the roomiest, not whichever rounding favours: mirrored spots often have
    # the same room.
    k = int(clear[0]) if len(clear) else int(np.flatnonzero(tried >= tried.max() - 1e-6)[0])
    if len(clear) or tried[k] > room[0] + 1e-9:
        return float(spots[k + 1, 0]), float(spots[k + 1, 1])
    return usual


def _near(pieces: Sequence[np.ndarray], target: Box) -> tuple[np.ndarray, np.ndarray]:
    """The segments of the links (``pieces``: n x 4 each) that come within REACH of the box,
    in one array, and the number of the link each belongs to."""
    segments = np.concatenate(pieces) if pieces else np.empty((0, 4))
    owners = np.repeat(np.arange(len(pieces)), [len(p) for p in pieces])
    x0, y0, x1, y1 = segments.T
    keep = (
        (np.maximum(x0, x1) >= target.cx - target.hw - REACH)
        & (np.minimum(x0, x1) <= target.cx + target.hw + REACH)
        & (np.maximum(y0, y1) >= target.cy - target.hh - REACH)
        & (np.minimum(y0, y1) <= target.cy + target.hh + REACH)
    )
    return segments[keep], owners[keep]


def _all_clear(
    spots: np.ndarray,
    lines: np.ndarray,
    owners: np.ndarray,
    heads: np.ndarray,
    heads_of: np.ndarray,
) -> bool:
    """Whether every usual spot (``spots``, of the arriving links, links 0 to k - 1) is clear
    of the other links (``lines``, each segment by link number ``owners``), arrowheads
    (``heads``, each point by link number ``heads_of``) and usual spots: the common case."""
    apart = np.hypot(*(spots[:, None, :] - spots[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(apart, np.inf)
    if (apart < SIGN_CLEAR).any():
        return False
    for k, spot in enumerate(spots):
        walls = lines[
            (owners != k) & segments_near(lines, spot - LINE_CLEAR - 1, spot + LINE_CLEAR + 1)
        ]
        if distances_to_segments(spot[None], walls)[0] < LINE_CLEAR:
            return False
        points = heads[
            (heads_of != k) & points_near(heads, spot - ARROW_CLEAR - 1, spot + ARROW_CLEAR + 1)
        ]
        if distances_to_points(spot[None], points)[0] < ARROW_CLEAR:
            return False
    return True


def _tried(geometry: LinkGeometry, usual: Point, target: Box) -> tuple[np.ndarray, np.ndarray]:
    """The usual spot and every spot tried instead (k x 2), in the order tried, with the room
    each needs from other links (k): first those up to BACK_STEPS steps back from the usual
    distance, then FAR_STEPS more. At each distance, from the arrowhead back: beside the link,
    the usual side before the other; then on the link itself (the sign's halo breaks the line),
    for links squeezed between neighbours on both sides."""
    path = [geometry.tip, *reversed(polyline(geometry.start, geometry.cubics, 8))]
    lengths = [0.0]
    for a, b in itertools.pairwise(path):
        lengths.append(lengths[-1] + math.dist(a, b))
    side = _side(path, lengths, usual)
    r = SIGN_CLEARANCE  # a sign's glyph keeps this far from the outline (geometry.sign_touches)
    grown = Box(target.cx, target.cy, target.hw + r, target.hh + r, target.radius + r)
    on, normals = _along(path, lengths, _BACKS)
    beside = on[:, None, :] + (np.array([side, -side])[None, :, None] * normals[:, None, :]) * (
        SIGN_OFFSET
    )
    spots = np.concatenate((beside.reshape(-1, 2), on))[_ORDER]
    backs = _BACKS[_STEP_OF]
    tried = (backs <= lengths[-1] - _SOURCE_ROOM) & (~_ON_LINE | (backs >= ON_LINE_BACK))
    tried[tried] = ~_inside(grown, spots[tried])
    return (
        np.concatenate((np.array([usual], dtype=float), spots[tried])),
        np.concatenate(([LINE_CLEAR], _CLEARS[tried])),
    )


def _order() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The order :func:`_tried` tries the spots in, as indexes into the spots beside the link
    (two for each distance, the usual side first) followed by those on it (one each); the
    step back of each and which are on the link."""
    steps = BACK_STEPS + FAR_STEPS
    order: list[int] = []
    for batch in (range(BACK_STEPS), range(BACK_STEPS, steps)):
        order += [2 * k + side for k in batch for side in (0, 1)]
        order += [2 * steps + k for k in batch]
    index = np.array(order)
    on_line = index >= 2 * steps
    return index, np.where(on_line, index - 2 * steps, index // 2), on_line


_ORDER, _STEP_OF, _ON_LINE = _order()
_CLEARS = np.where(_ON_LINE, ON_LINE_CLEAR, LINE_CLEAR)
_BACKS = SIGN_BACK + np.arange(BACK_STEPS + FAR_STEPS) * BACK_STEP


def _inside(box: Box, points: np.ndarray) -> np.ndarray:
    """Which of ``points`` (k x 2) :meth:`Box.contains` (the same answer, for many at once)."""
    dx, dy = np.abs(points[:, 0] - box.cx), np.abs(points[:, 1] - box.cy)
    r = min(box.radius, box.hw, box.hh)
    within = (dx <= box.hw) & (dy <= box.hh)
    inside = within & ((dx <= box.hw - r) | (dy <= box.hh - r))
    # Round a corner, Box.contains's own float arithmetic decides (a handful of points).
    for k in np.flatnonzero(within & ~inside):
        inside[k] = box.contains(float(points[k, 0]), float(points[k, 1]))
    return inside


def _along(
    path: list[Point], lengths: list[float], backs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_at` for each of ``backs``: the points (k x 2) and unit normals (k x 2)."""
    xy, at = np.array(path), np.array(lengths)
    k = np.clip(np.searchsorted(at, backs, side="left"), 1, len(path) - 1)
    piece = at[k] - at[k - 1]
    t = np.minimum(np.maximum((backs - at[k - 1]) / np.where(piece != 0, piece, 1.0), 0.0), 1.0)
    steps = xy[1:] - xy[:-1]
    norms = np.array([math.hypot(dx, dy) or 1.0 for dx, dy in steps.tolist()])
    d, n = steps[k - 1], norms[k - 1]
    on = xy[k - 1] + d * t[:, None]
    return on, np.stack((-d[:, 1] / n, d[:, 0] / n), axis=1)


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
