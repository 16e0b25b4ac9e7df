"""Where the drawing aims each link inside its target, so a layout checks links as drawn.

The drawing (``ui/drawing/link_layout.py``, which the layout may not import) aims a link at its
target's centre, except where the tips of several links arriving at one target come closer
than ``SPREAD_GAP`` on its outline: those links are aimed ``SPREAD_GAP`` apart across their
mean direction of arrival, in the order their tips have, so their arrowheads stay apart. The
aimed link is still the arc with the same curvature, now ending at the aimed point, which moves
its last stretch by up to the size of the target. :func:`arrival_aims` applies the same rule to
the layout's boxes (plain rectangles: the drawn corners are rounded, which moves a tip by at
most a few units), and :func:`drawn_points` samples a link as drawn.
``tests/layout/test_aims.py`` holds the rule to the drawing's on generated diagrams.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np

from ..core.model import Link
from .boxes import Point, Rect
from .links import SAMPLE_SPACING, arc_points

SPREAD_GAP = 16.0
SPREAD_MARGIN = 5.0


def _tip(points: np.ndarray, target: Rect) -> tuple[Point, float] | None:
    """Where the sampled arc enters ``target`` for the last time, and its direction there."""
    inside = (np.abs(points[:, 0] - target.cx) <= target.hw) & (
        np.abs(points[:, 1] - target.cy) <= target.hh
    )
    outside = np.flatnonzero(~inside)
    if not len(outside) or outside[-1] == len(points) - 1:
        return None
    j = int(outside[-1])
    (x0, y0), (x1, y1) = points[j], points[j + 1]
    # The segment j -> j+1 crosses the outline: bisect for the crossing.
    lo, hi = 0.0, 1.0
    for _ in range(24):
        mid = (lo + hi) / 2
        x, y = x0 + (x1 - x0) * mid, y0 + (y1 - y0) * mid
        if abs(x - target.cx) <= target.hw and abs(y - target.cy) <= target.hh:
            hi = mid
        else:
            lo = mid
    tip = (x0 + (x1 - x0) * hi, y0 + (y1 - y0) * hi)
    return tip, math.atan2(y1 - y0, x1 - x0)


def spread(target: Rect, tips: Mapping[str, tuple[Point, float]]) -> dict[str, Point]:
    """The aims parting crowded tips at ``target`` (the drawing's rule, see the module doc)."""
    if len(tips) < 2:
        return {}
    around = sorted(
        tips, key=lambda i: (math.atan2(tips[i][0][1] - target.cy, tips[i][0][0] - target.cx), i)
    )
    groups: list[list[str]] = [[around[0]]]
    for link_id in around[1:]:
        if math.dist(tips[groups[-1][-1]][0], tips[link_id][0]) < SPREAD_GAP:
            groups[-1].append(link_id)
        else:
            groups.append([link_id])
    if len(groups) > 1 and math.dist(tips[groups[-1][-1]][0], tips[groups[0][0]][0]) < SPREAD_GAP:
        groups[0] = groups.pop() + groups[0]
    aims: dict[str, Point] = {}
    limit_x = max(target.hw - SPREAD_MARGIN, 0.0)
    limit_y = max(target.hh - SPREAD_MARGIN, 0.0)
    for group in groups:
        if len(group) < 2:
            continue
        ux = sum(math.cos(tips[i][1]) for i in group)
        uy = sum(math.sin(tips[i][1]) for i in group)
        n = math.hypot(ux, uy) or 1.0
        nx, ny = -uy / n, ux / n
        ordered = sorted(group, key=lambda i: (tips[i][0][0] * nx + tips[i][0][1] * ny, i))
        middle = (len(ordered) - 1) / 2
        for k, link_id in enumerate(ordered):
            shift = (k - middle) * SPREAD_GAP
            aims[link_id] = (
                max(-limit_x, min(limit_x, nx * shift)),
                max(-limit_y, min(limit_y, ny * shift)),
            )
    return aims


def arrival_aims(
    links: Iterable[Link],
    pos: Mapping[str, Point],
    boxes: Mapping[str, Rect],
    curvatures: Mapping[str, float],
) -> dict[str, Point]:
    """The aim (offset from the target's centre) of every link the drawing aims off centre."""
    tips: dict[str, dict[str, tuple[Point, float]]] = {}
    for link in links:
        if link.source == link.target:
            continue
        c = curvatures.get(link.id, link.curvature)
        points = arc_points(pos[link.source], pos[link.target], c, SAMPLE_SPACING / 2)
        tip = _tip(points, boxes[link.target])
        if tip is not None:
            tips.setdefault(link.target, {})[link.id] = tip
    aims: dict[str, Point] = {}
    for target in sorted(tips):
        aims.update(spread(boxes[target], tips[target]))
    return aims


def drawn_points(
    p0: Point, p1: Point, curvature: float, aim: Point | None, spacing: float = SAMPLE_SPACING
) -> np.ndarray:
    """Samples of a link as drawn: the arc to the target's centre moved by ``aim``."""
    end = p1 if aim is None else (p1[0] + aim[0], p1[1] + aim[1])
    return arc_points(p0, end, curvature, spacing)
