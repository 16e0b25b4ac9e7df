"""The last step of a layout: no link passes over a variable it does not connect.

:func:`~cld_editor.layout.links.link_curvatures` bends each link around the variables in its
way, but a long link through a crowded part of a big diagram can find no bend that clears them
all. Then the variables in the way step aside: each is pushed away from the link, across it,
in steps, to the first place where the link no longer touches it and it keeps its gap to every
other box (and, in the iceberg, stays in its band). The curvatures of the links that moved are
chosen again, a few rounds at most.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ..core.model import Diagram, Link
from .boxes import GAP, Grid, Point, Rect, Size, rects
from .cancel import checkpoint
from .links import (
    CLEARANCE,
    COARSE_ABOVE,
    COARSE_SPACING,
    LONG_LINK,
    SAMPLE_SPACING,
    arc_points,
    blocking,
    link_curvatures,
)

ROUNDS = 3
STEP = 12.0
MAX_PUSH = 40


def _push(
    key: str,
    points: np.ndarray,
    pos: dict[str, Point],
    sizes: Mapping[str, Size],
    grid: Grid,
    limit: tuple[float, float] | None,
) -> Point | None:
    """Where ``key`` can go, square to the line through ``points``, to clear it."""
    x, y = pos[key]
    d = points - np.array([x, y])
    k = int(np.argmin(np.einsum("ij,ij->i", d, d)))
    nearest = points[k]
    ahead = points[min(k + 1, len(points) - 1)] - points[max(k - 1, 0)]
    nx, ny = -ahead[1], ahead[0]
    norm = math.hypot(nx, ny) or 1.0
    nx, ny = nx / norm, ny / norm
    if (x - nearest[0]) * nx + (y - nearest[1]) * ny < 0:
        nx, ny = -nx, -ny
    hw, hh = sizes[key][0] / 2, sizes[key][1] / 2
    # Away from the link first; across it when that side is full.
    for sign in (1.0, -1.0):
        for step in range(1, MAX_PUSH + 1):
            cx, cy = x + sign * nx * STEP * step, y + sign * ny * STEP * step
            if limit is not None and not limit[0] <= cy <= limit[1]:
                break
            inside = (np.abs(points[:, 0] - cx) <= hw + CLEARANCE) & (
                np.abs(points[:, 1] - cy) <= hh + CLEARANCE
            )
            if inside.any() or grid.any_overlapping(Rect(cx, cy, hw, hh), GAP, skip=key):
                continue
            return (round(float(cx), 2) + 0.0, round(float(cy), 2) + 0.0)
    return None


def clear_links(
    diagram: Diagram,
    positions: dict[str, Point],
    sizes: Mapping[str, Size],
    movable: set[str],
    loops: Sequence[Sequence[str]] = (),
    limits: Mapping[str, tuple[float, float]] | None = None,
    only: set[str] | None = None,
    back_bow: float = 0.0,
    rounds: int = ROUNDS,
    tight_back: bool = True,
) -> tuple[dict[str, Point], dict[str, float]]:
    """Positions (``movable`` ones may move) and curvatures with, where it can be had, no link
    over a variable it does not connect (``back_bow``, ``tight_back``: see ``link_curvatures``)."""
    pos = dict(positions)
    limits = limits or {}
    failed: dict[str, int] = {}
    curvatures = link_curvatures(
        diagram,
        pos,
        sizes,
        loops,
        only=only,
        blocked=failed,
        back_bow=back_bow,
        tight_back=tight_back,
    )
    links = {link.id: link for link in diagram.links if link.source != link.target}
    coarse = len(diagram.links) > COARSE_ABOVE
    for _ in range(rounds):
        if not failed:
            break
        grid = Grid(rects(pos, sizes), cell=120.0)
        moved: set[str] = set()
        for link_id in sorted(failed, key=list(curvatures).index):
            checkpoint()
            link = links[link_id]
            points = _samples(pos[link.source], pos[link.target], curvatures[link_id], coarse)
            for key in sorted(blocking(points, grid, (link.source, link.target), margin=0.0)):
                if key not in movable or key in moved:
                    continue
                spot = _push(key, points, pos, sizes, grid, limits.get(key))
                if spot is None:
                    continue
                grid.remove(key)
                pos[key] = spot
                grid.add(key, Rect(spot[0], spot[1], sizes[key][0] / 2, sizes[key][1] / 2))
                moved.add(key)
        if not moved:
            break
        # The links of what moved get new bends; so do links that what moved now lies on.
        failed = {}
        again = link_curvatures(
            diagram,
            pos,
            sizes,
            loops,
            only=moved,
            blocked=failed,
            back_bow=back_bow,
            tight_back=tight_back,
        )
        curvatures.update({k: c for k, c in again.items() if only is None or k in curvatures})
        grid = Grid(rects(pos, sizes), cell=120.0)
        newly = set(blocked_links(links, curvatures, pos, grid)) - set(failed)
        if newly:
            again = link_curvatures(
                diagram,
                pos,
                sizes,
                loops,
                blocked=failed,
                link_ids=newly,
                back_bow=back_bow,
                tight_back=tight_back,
            )
            curvatures.update(again)
    return pos, curvatures


def blocked_links(
    links: Mapping[str, Link],
    curvatures: Mapping[str, float],
    pos: Mapping[str, Point],
    grid: Grid,
) -> list[str]:
    """The links (of ``curvatures``) that pass over a variable they do not connect."""
    out = []
    for link_id, c in curvatures.items():
        checkpoint()
        link = links.get(link_id)
        if link is None:
            continue
        points = _samples(pos[link.source], pos[link.target], c, len(links) > COARSE_ABOVE)
        if blocking(points, grid, (link.source, link.target), margin=0.0):
            out.append(link_id)
    return out


def _samples(p0: Point, p1: Point, c: float, coarse: bool) -> np.ndarray:
    """A link's arc sampled for the checks here: as :func:`.links.link_curvatures` samples it
    while choosing its bend (long links of big diagrams COARSE_SPACING apart)."""
    long = coarse and math.dist(p0, p1) >= LONG_LINK
    return arc_points(p0, p1, c, COARSE_SPACING if long else SAMPLE_SPACING)
