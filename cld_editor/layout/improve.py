"""Local improvement of a loop layout: each variable that is not on a drawn cycle tries nearby
spots and keeps the one where its links cross the fewest others.

The Loops style draws its chosen loops as cycles and then places every other variable near what
it links to, at the mean of its neighbours, which for a variable linked to both sides of a
loop is the middle of that loop: hand-drawn diagrams never do that, and the links it draws
cross many others. Here each such variable, one after another in document order, tries spots
on an even spiral around its neighbours' mean and around where it is, and moves to the spot
with the lowest cost: crossings of its (straight) links with the others, a variable sitting
inside a drawn cycle it is not on, its box on a link or its links over a box, then the length of
its links. A spot must keep the gap to every box; the spots of a variable are weighed all at
once (numpy arrays of spot x link), the first on the spiral among equals. A few rounds at most; same
input, same output.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .boxes import GAP, Grid, Point, Rect, Size, rects
from .cancel import checkpoint
from .crossing import PlacedLinks
from .metrics import convex

#: Weights of the cost (the length of the links counts one per unit).
CROSSING = 400.0
NESTED = 1500.0
ON_LINK = 600.0
ROUNDS = 2
SPOTS = 70
#: Spots tried around a variable on a cycle (a short way: about two box sizes).
NEAR_SPOTS = 16
#: Pieces larger than this are not improved (each spot costs a pass over every link), and
#: variables on cycles move only in pieces up to HELD_UP_TO with at most HELD_LINKS links per
#: variable (each spot also checks every cycle they are on).
MAX_PIECE = 150
HELD_UP_TO = 25
HELD_LINKS = 3.0
#: Free variables swap places pairwise (each try counts every crossing) in pieces with at most
#: this many of them, for SWAP_PASSES passes at most.
SWAP_UP_TO = 30
SWAP_PASSES = 3
#: Bounding boxes that pick the pairs worth testing are grown by this much, so that rounding
#: never leaves out a pair the exact test would count.
SLACK = 1e-6


def _side(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    return (b[..., 0] - a[..., 0]) * (c[..., 1] - a[..., 1]) - (b[..., 1] - a[..., 1]) * (
        c[..., 0] - a[..., 0]
    )


class _Links:
    def __init__(self, piece: Sequence[str], neighbours: Mapping[str, list[str]]) -> None:
        self.index = {v: i for i, v in enumerate(piece)}
        self.pairs = np.array(
            [
                (self.index[u], self.index[v])
                for u in piece
                for v in neighbours.get(u, ())
                if v in self.index and self.index[u] < self.index[v]
            ],
            dtype=np.int64,
        ).reshape(-1, 2)


def improve(
    pos: dict[str, Point],
    piece: Sequence[str],
    neighbours: Mapping[str, list[str]],
    sizes: Mapping[str, Size],
    cycles: Sequence[Sequence[str]],
    rounds: int = ROUNDS,
    held_too: bool = True,
    limits: Mapping[str, tuple[float, float]] | None = None,
) -> dict[str, Point]:
    """``pos`` with the variables of ``piece`` moved where their links cross least (see the
    module doc): first those on none of ``cycles``, then (``held_too``), a short way and only
    while each of their cycles stays convex with nothing inside, those on cycles. ``limits``
    keeps a variable's y within a range (the iceberg's bands)."""
    if len(piece) > MAX_PIECE or len(piece) < 3:
        return pos
    pos = dict(pos)
    links = _Links(piece, neighbours)
    if not len(links.pairs):
        return pos
    on_cycle = {v for c in cycles for v in c}
    free = [v for v in piece if v not in on_cycle and neighbours.get(v)]
    sparse = len(links.pairs) <= HELD_LINKS * len(piece)
    small = held_too and len(piece) <= HELD_UP_TO and sparse
    held = [v for v in piece if v in on_cycle] if small else []
    xy = np.array([pos[v] for v in piece], dtype=float)
    grid = Grid(rects({v: pos[v] for v in piece}, sizes))
    for _ in range(rounds):
        moved = False
        for group, far in ((free, True), (held, False)):
            for v in group:
                checkpoint()
                spot = _best_spot(
                    v,
                    pos,
                    piece,
                    neighbours,
                    sizes,
                    cycles,
                    links,
                    xy,
                    grid,
                    far,
                    (limits or {}).get(v),
                )
                if spot is not None:
                    grid.remove(v)
                    pos[v] = spot
                    xy[links.index[v]] = spot
                    grid.add(v, Rect(spot[0], spot[1], sizes[v][0] / 2, sizes[v][1] / 2))
                    moved = True
        if not moved:
            break
    if len(free) <= SWAP_UP_TO:
        _swap(pos, piece, neighbours, sizes, free, limits or {})
    return pos


def _swap(
    pos: dict[str, Point],
    piece: Sequence[str],
    neighbours: Mapping[str, list[str]],
    sizes: Mapping[str, Size],
    free: Sequence[str],
    limits: Mapping[str, tuple[float, float]],
) -> None:
    """Swap the places of two free variables (in the same band) while that takes out straight
    crossings and keeps every box clear of the others (in place; a few passes)."""
    current = PlacedLinks({v: pos[v] for v in piece}, neighbours).crossings()
    for _ in range(SWAP_PASSES):
        better = False
        for i, a in enumerate(free):
            for b in free[i + 1 :]:
                checkpoint()
                if limits.get(a) != limits.get(b) or current == 0:
                    continue
                trial = {**pos, a: pos[b], b: pos[a]}
                boxes = rects({v: trial[v] for v in piece}, sizes)
                near = Grid({k: r for k, r in boxes.items() if k not in (a, b)})
                if near.overlapping(boxes[a], GAP) or near.overlapping(boxes[b], GAP):
                    continue
                if boxes[a].overlaps(boxes[b], GAP):
                    continue
                count = PlacedLinks({v: trial[v] for v in piece}, neighbours).crossings()
                if count < current:
                    pos[a], pos[b] = trial[a], trial[b]
                    current, better = count, True
        if not better:
            return


def inside_all(points: np.ndarray, polygon: Sequence[Point]) -> np.ndarray:
    """Which of ``points`` lie inside ``polygon`` (even-odd rule, all at once)."""
    poly = np.asarray(polygon, dtype=float)
    x, y = points[:, 0][:, None], points[:, 1][:, None]
    x0, y0 = poly[:, 0][None, :], poly[:, 1][None, :]
    x1, y1 = np.roll(poly[:, 0], -1)[None, :], np.roll(poly[:, 1], -1)[None, :]
    spans = (y0 > y) != (y1 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    return ((spans & (x < at)).sum(axis=1) % 2) == 1


def _outlines(cycles: Sequence[Sequence[str]], pos: Mapping[str, Point]) -> list[list[Point]]:
    """The drawn cycles' outlines: member polygons, and for a loop of two the lens of its
    two bows (each link bows by a fifth of its length)."""
    return [outline([pos[v] for v in cycle]) for cycle in cycles]


def outline(pts: list[Point]) -> list[Point]:
    """The drawn outline of a loop through ``pts``: its polygon, or for two the lens of its
    bows."""
    if len(pts) == 2:
        (ax, ay), (bx, by) = pts
        mx, my = (ax + bx) / 2, (ay + by) / 2
        nx, ny = (by - ay) * 0.2, -(bx - ax) * 0.2
        return [(ax, ay), (mx + nx, my + ny), (bx, by), (mx - nx, my - ny)]
    return pts


def _best_spot(
    v: str,
    pos: Mapping[str, Point],
    piece: Sequence[str],
    neighbours: Mapping[str, list[str]],
    sizes: Mapping[str, Size],
    cycles: Sequence[Sequence[str]],
    links: _Links,
    xy: np.ndarray,
    grid: Grid,
    far_too: bool = True,
    limit: tuple[float, float] | None = None,
) -> Point | None:
    """The spot for ``v`` with the lowest cost, if lower than where it is. ``far_too``: try
    spots around its neighbours' mean as well as around it, and far; else only near it.
    ``limit`` keeps the spot's y within a range (an iceberg band)."""
    i = links.index[v]
    mine = [links.index[n] for n in neighbours[v] if n in links.index]
    if not mine:
        return None
    other = links.pairs[(links.pairs[:, 0] != i) & (links.pairs[:, 1] != i)]
    far = xy[mine]
    a, b = xy[other[:, 0]], xy[other[:, 1]]
    shares = other[:, :, None] == np.array(mine)[None, None, :]  # other link x my link
    shares = shares.any(axis=1)
    # Each outline with its bounding box: a spot outside the box is outside the outline.
    outlines = [
        (
            o,
            (
                min(x for x, _ in o),
                min(y for _, y in o),
                max(x for x, _ in o),
                max(y for _, y in o),
            ),
        )
        for o, c in zip(_outlines(cycles, pos), cycles, strict=True)
        if v not in c
    ]
    # The cycles ``v`` is on, with ``v``'s place in each, and the variables that could fall
    # inside them.
    own = [list(c) for c in cycles if v in c]
    w, h = sizes[v]
    boxes = np.array(
        [[*xy[k], sizes[u][0] / 2 + 4, sizes[u][1] / 2 + 4] for k, u in enumerate(piece)]
    )
    unrelated = np.ones(len(piece), dtype=bool)
    unrelated[[i, *mine]] = False
    others_box = boxes[unrelated]

    def shape(p: Point) -> int:
        """Faults of ``v``'s own cycles with ``v`` at ``p``: not convex, or holding a
        variable that is not on them."""
        faults = 0
        for cycle in own:
            polygon = [p if u == v else pos[u] for u in cycle]
            if len(cycle) > 2 and not convex(polygon):
                faults += 1
            held = inside_all(xy, outline(polygon))
            held[[links.index[u] for u in cycle]] = False
            faults += int(held.sum())
        return faults

    # The link samples of the other links (for a box on a link), once for every spot.
    t = np.linspace(0.0, 1.0, 17)
    link_pts = a[:, None, :] + (b - a)[:, None, :] * t[None, :, None]  # links x 17 x 2
    apart = ~shares.T  # my link x other link: they share no variable
    link_lo, link_hi = link_pts.min(axis=1), link_pts.max(axis=1)

    def costs(spots: np.ndarray) -> np.ndarray:
        """The cost of ``v`` at each of ``spots`` (k x 2), all at once."""
        p0 = spots[:, None, None, :]  # spot x 1 x 1 x 2
        q0 = far[None, :, None, :]  # 1 x my link x 1 x 2
        a4, b4 = a[None, None], b[None, None]  # 1 x 1 x other link x 2
        crossing = (_side(a4, b4, p0) * _side(a4, b4, q0) < 0) & (
            _side(p0, q0, a4) * _side(p0, q0, b4) < 0
        )
        crossings = (crossing & apart[None]).sum(axis=(1, 2))
        nested = np.zeros(len(spots))
        for shape_, (x0, y0, x1, y1) in outlines:
            near = (
                (spots[:, 0] >= x0)
                & (spots[:, 0] <= x1)
                & (spots[:, 1] >= y0)
                & (spots[:, 1] <= y1)
            )
            if near.any():
                nested[near] += inside_all(spots[near], shape_)
        if own:
            nested += [shape((float(x), float(y))) for x, y in spots]
        on_link = np.zeros(len(spots))
        if len(a):
            # Only the (spot, link) pairs whose link's bounding box comes near enough.
            reach_x, reach_y = w / 2 + 4.0 + SLACK, h / 2 + 4.0 + SLACK
            near = (
                (spots[:, None, 0] >= link_lo[None, :, 0] - reach_x)
                & (spots[:, None, 0] <= link_hi[None, :, 0] + reach_x)
                & (spots[:, None, 1] >= link_lo[None, :, 1] - reach_y)
                & (spots[:, None, 1] <= link_hi[None, :, 1] + reach_y)
            )
            si, li = np.nonzero(near)
            if len(si):
                dx = np.abs(link_pts[li, :, 0] - spots[si, None, 0]) <= w / 2 + 4.0
                dy = np.abs(link_pts[li, :, 1] - spots[si, None, 1]) <= h / 2 + 4.0
                on_link += np.bincount(si, (dx & dy).any(axis=1), minlength=len(spots))
        # My links over boxes they do not connect: only (spot, box) pairs where the box meets
        # the bounding box of the spot's links.
        mine_pts = (
            spots[:, None, None, :]
            + (far[None, :, None, :] - spots[:, None, None, :]) * (t[None, None, :, None])
        )
        mine_pts = mine_pts.reshape(len(spots), -1, 2)  # spot x samples x 2
        lo, hi = mine_pts.min(axis=1), mine_pts.max(axis=1)
        reach = others_box[None, :, 2:] + SLACK
        meet = (
            (lo[:, None, 0] <= others_box[None, :, 0] + reach[..., 0])
            & (hi[:, None, 0] >= others_box[None, :, 0] - reach[..., 0])
            & (lo[:, None, 1] <= others_box[None, :, 1] + reach[..., 1])
            & (hi[:, None, 1] >= others_box[None, :, 1] - reach[..., 1])
        )
        si, bi = np.nonzero(meet)
        if len(si):
            pts, box = mine_pts[si], others_box[bi]
            over = (np.abs(pts[:, :, 0] - box[:, None, 0]) <= box[:, None, 2]) & (
                np.abs(pts[:, :, 1] - box[:, None, 1]) <= box[:, None, 3]
            )
            on_link += np.bincount(si, over.any(axis=1), minlength=len(spots))
        length = np.sqrt(((far[None, :, :] - spots[:, None, :]) ** 2).sum(axis=2)).sum(axis=1)
        return CROSSING * crossings + NESTED * nested + ON_LINK * on_link + length

    current = pos[v]
    best_cost = float(costs(np.array([current], dtype=float))[0])
    here_cost = best_cost
    best: Point | None = None
    step = max(30.0, (w + h) / 4)
    origins = [tuple(far.mean(axis=0)), current] if far_too else [current]
    count = SPOTS if far_too else NEAR_SPOTS
    spiral: list[tuple[float, float]] = []
    for origin in origins:
        for k in range(count):
            r = step * math.sqrt(k)
            angle = k * 2.399963
            p = (origin[0] + r * math.cos(angle), origin[1] + r * math.sin(angle))
            if limit is None or limit[0] <= p[1] <= limit[1]:
                spiral.append(p)
    # Only spots that keep the gap to every other box, in spiral order.
    crowded = grid.count_overlapping(np.array(spiral).reshape(-1, 2), (w / 2, h / 2), GAP, v)
    tried = [p for p, n in zip(spiral, crowded.tolist(), strict=True) if not n]
    if tried:
        for p, c in zip(tried, costs(np.array(tried, dtype=float)).tolist(), strict=True):
            if c < best_cost - 1e-6:
                best_cost, best = c, (float(p[0]), float(p[1]))
    if best is not None and not far_too and best_cost > here_cost - CROSSING / 2:
        return None  # a variable on a cycle moves only to take out a crossing
    return best
