"""Choosing between finished layouts of one diagram: a score that counts what a reader sees as
wrong, and the alternatives the Loops style weighs against its own result.

The score (lower is better) counts, as drawn: links over a variable they do not connect (worst),
pairs of links that cross, variables sitting inside a small drawn loop they are not on (see
``TIGHT``) and loop labels left outside their loop, and loops not drawn as convex cycles.
:func:`usable_start` says whether a diagram's own positions are a drawing worth keeping (not an
import without positions, where everything sits at one spot), and :func:`circle` puts every
variable of a small diagram on one circle, in the order whose chords cross least: where nearly
everything links to everything, the drawing a person makes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ..core.model import Diagram
from .aims import drawn_points
from .boxes import Grid, Point, Size, overlapping_pairs, rects
from .cancel import checkpoint
from .improve import outline
from .label_place import inside
from .link_checks import aims_in_parts
from .links import blocking
from .loop_labels import loop_label_spots, loop_outline
from .metrics import convex

#: A variable inside a loop counts against a layout when the loop has at most TIGHT members:
#: there is no room inside for it and the loop's label; a bigger loop may hold others, as the
#: outer ring of many hand-drawn diagrams does.
TIGHT = 3
#: A loop label outside its loop counts as this many variables inside a small loop.
LABEL_OUT = 2
#: Weights of the score.
OVER = 1000.0
CROSSING = 10.0
NESTED = 6.0
NOT_CONVEX = 3.0
#: Samples per link for counting crossings, and pairs of links tested at once.
SEGMENTS = 12
PAIR_BLOCK = 4000
#: Room along the circle for the arrow between two boxes.
ROOM = 95.0


def drawn_lines(
    diagram: Diagram,
    pos: Mapping[str, Point],
    sizes: Mapping[str, Size],
    bends: Mapping[str, float],
) -> dict[str, np.ndarray]:
    """Each link (not a self-link) as drawn, sampled, outside its ends' boxes."""
    boxes = rects(pos, sizes)
    aims = aims_in_parts(diagram.links, pos, boxes, bends)
    out: dict[str, np.ndarray] = {}
    for link in diagram.links:
        if link.source == link.target:
            continue
        checkpoint()
        ends = (pos[link.source], pos[link.target])
        pts = drawn_points(*ends, bends.get(link.id, link.curvature), aims.get(link.id), 4.0)
        a, b = boxes[link.source], boxes[link.target]
        keep = ~(
            ((np.abs(pts[:, 0] - a.cx) <= a.hw) & (np.abs(pts[:, 1] - a.cy) <= a.hh))
            | ((np.abs(pts[:, 0] - b.cx) <= b.hw) & (np.abs(pts[:, 1] - b.cy) <= b.hh))
        )
        out[link.id] = pts[keep]
    return out


def _side(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> np.ndarray:
    return (q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1]) - (q[..., 1] - p[..., 1]) * (
        r[..., 0] - p[..., 0]
    )


def crossings(diagram: Diagram, lines: Mapping[str, np.ndarray]) -> int:
    """Pairs of links (not sharing a variable) whose drawn lines cross, counted on polylines
    of SEGMENTS pieces each: only pairs whose bounding boxes meet are tested, all at once."""
    ends = {link.id: (link.source, link.target) for link in diagram.links}
    ids = [k for k, pts in lines.items() if len(pts) >= 2]
    if len(ids) < 2:
        return 0
    polylines = np.stack(
        [lines[k][np.linspace(0, len(lines[k]) - 1, SEGMENTS + 1).round().astype(int)] for k in ids]
    )  # links x (SEGMENTS + 1) x 2
    lo, hi = polylines.min(axis=1), polylines.max(axis=1)
    meet = (
        (lo[:, None, 0] <= hi[None, :, 0])
        & (lo[None, :, 0] <= hi[:, None, 0])
        & (lo[:, None, 1] <= hi[None, :, 1])
        & (lo[None, :, 1] <= hi[:, None, 1])
    )
    index = {v: i for i, v in enumerate(sorted({v for k in ids for v in ends[k]}))}
    src = np.array([index[ends[k][0]] for k in ids])
    dst = np.array([index[ends[k][1]] for k in ids])
    apart = (
        (src[:, None] != src[None, :])
        & (src[:, None] != dst[None, :])
        & (dst[:, None] != src[None, :])
        & (dst[:, None] != dst[None, :])
    )
    i, j = np.nonzero(np.triu(meet & apart, 1))
    if not len(i):
        return 0
    count = 0
    for start in range(0, len(i), PAIR_BLOCK):  # blocks keep the memory small
        checkpoint()
        x, y = i[start : start + PAIR_BLOCK], j[start : start + PAIR_BLOCK]
        # Segment pairs of each candidate pair of links: pairs x SEGMENTS x SEGMENTS.
        a, b = polylines[x, :-1][:, :, None, :], polylines[x, 1:][:, :, None, :]
        c, d = polylines[y, :-1][:, None, :, :], polylines[y, 1:][:, None, :, :]
        hit = (_side(c, d, a) * _side(c, d, b) < 0) & (_side(a, b, c) * _side(a, b, d) < 0)
        count += int(hit.any(axis=(1, 2)).sum())
    return count


def score(
    diagram: Diagram,
    pos: Mapping[str, Point],
    sizes: Mapping[str, Size],
    bends: Mapping[str, float],
    loops: Sequence[Sequence[str]],
) -> float:
    """The score of a finished layout (see the module doc); lower is better."""
    return weigh(faults(diagram, pos, sizes, bends, loops))


def weigh(counts: tuple[int, int, int, int]) -> float:
    """The score of a layout with these :func:`faults`."""
    over, crossed, nested, not_convex = counts
    return OVER * over + CROSSING * crossed + NESTED * nested + NOT_CONVEX * not_convex


def faults(
    diagram: Diagram,
    pos: Mapping[str, Point],
    sizes: Mapping[str, Size],
    bends: Mapping[str, float],
    loops: Sequence[Sequence[str]],
) -> tuple[int, int, int, int]:
    """Links over a variable they do not connect, crossings, variables inside a small loop they
    are not on and loop labels that find no room inside their loop, loops not drawn convex."""
    lines = drawn_lines(diagram, pos, sizes, bends)
    grid = Grid(rects(pos, sizes), cell=120.0)
    ends = {link.id: (link.source, link.target) for link in diagram.links}
    over = 0
    for k, pts in lines.items():
        checkpoint()
        over += len(blocking(pts, grid, ends[k], 0.0)) if len(pts) else 0
    nested = 0
    not_convex = 0
    for loop in loops:
        polygon = [pos[v] for v in loop]
        if not convex(polygon):
            not_convex += 1
        if len(loop) > TIGHT:
            continue
        polygon = outline(polygon)
        members = set(loop)
        xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
        for v, p in pos.items():
            if v in members or not (min(xs) < p[0] < max(xs) and min(ys) < p[1] < max(ys)):
                continue
            nested += inside(p, polygon)
    # A loop label belongs inside its loop (the Loops style promises it): one the layout
    # leaves no room for there counts as much as several crossings.
    spots = loop_label_spots(diagram, pos, sizes, bends)
    outside = 0
    for label in diagram.loop_labels:
        if label.id in spots and len(label.loop) >= 2:
            shape = loop_outline(diagram, label.loop, pos, bends)
            outside += not inside(spots[label.id], shape)
    return over, crossings(diagram, lines), nested + LABEL_OUT * outside, not_convex


def usable_start(pos: Mapping[str, Point], sizes: Mapping[str, Size]) -> bool:
    """Whether positions are a drawing: at least two variables, and at most one in ten of them
    overlapping another (an import without positions has them all at one spot)."""
    if len(pos) < 2:
        return False
    return len(overlapping_pairs(rects(pos, sizes))) * 10 <= len(pos)


def _interleaving(order: Sequence[str], pairs: np.ndarray, index: Mapping[str, int]) -> int:
    """Crossings of straight chords between variables on a circle in ``order``: two chords
    cross when their ends interleave."""
    where = np.empty(len(order), dtype=np.int64)
    for k, v in enumerate(order):
        where[index[v]] = k
    p = np.sort(where[pairs], axis=1)
    a, b = p[:, 0][:, None], p[:, 1][:, None]
    c, d = p[:, 0][None, :], p[:, 1][None, :]
    cross = ((a < c) & (c < b) & (b < d)) | ((c < a) & (a < d) & (d < b))
    return int(cross.sum())


def circle_order(
    order_from: Mapping[str, Point], members: Sequence[str], links: Sequence[tuple[str, str]]
) -> list[str]:
    """``members`` in the order of their angles around the middle of ``order_from``, then each
    moved to the place in the order where the chords cross least, while that helps (a few
    rounds): the order to put them on one circle."""
    cx = sum(order_from[v][0] for v in members) / len(members)
    cy = sum(order_from[v][1] for v in members) / len(members)
    order = sorted(
        members,
        key=lambda v: (math.atan2(order_from[v][1] - cy, order_from[v][0] - cx), v),
    )
    index = {v: i for i, v in enumerate(members)}
    pairs = np.array(
        sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in links if u != v}),
        dtype=np.int64,
    ).reshape(-1, 2)
    if len(pairs) < 2:
        return order
    best = _interleaving(order, pairs, index)
    for _ in range(4):
        improved = False
        for v in list(order):
            rest = [u for u in order if u != v]
            for k in range(len(rest) + 1):
                trial = [*rest[:k], v, *rest[k:]]
                count = _interleaving(trial, pairs, index)
                if count < best:
                    best, order, improved = count, trial, True
        if not improved or best == 0:
            break
    return order


def circle(
    order_from: Mapping[str, Point],
    members: Sequence[str],
    sizes: Mapping[str, Size],
    links: Sequence[tuple[str, str]] = (),
) -> dict[str, Point]:
    """``members`` on one circle, in the order :func:`circle_order` finds, each given an arc
    as long as its box needs, around the middle of ``order_from``."""
    cx = sum(order_from[v][0] for v in members) / len(members)
    cy = sum(order_from[v][1] for v in members) / len(members)
    order = circle_order(order_from, members, links)
    spans = [0.7 * sizes[v][0] + 0.3 * sizes[v][1] + ROOM for v in order]
    total = sum(spans)
    radius = max(90.0, total / (2 * math.pi))
    out: dict[str, Point] = {}
    angle = -math.pi / 2
    for i, v in enumerate(order):
        out[v] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
        angle += (spans[i] + spans[(i + 1) % len(order)]) / 2 / total * 2 * math.pi
    return out
