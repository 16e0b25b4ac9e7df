"""The grid on which :class:`.link_layout.LinkLayout` indexes where links run and variables
reach (so that a variable's signs are redone when a link starts or stops passing by it), and
the plain moves of a link's geometry. Plain floats and numpy, no Qt.
"""

from __future__ import annotations

import math

import numpy as np

from cld_editor.ui.drawing.geometry import Box, LinkGeometry, Point
from cld_editor.ui.drawing.sign_places import REACH

#: The grid that indexes where links pass and variables sit (scene units).
CELL = 60.0
STEP = 30.0  # a link's path is indexed at points at most this far apart
#: A link that runs this near a variable's box counts for its signs though it does not touch it:
#: a sign sits beside its arrowhead, about 25 units out, but where links crowd it moves back
#: along its link as far as sign_places.REACH allows, and it must be clear of every link there
#: (at 40, a sign moved 80 back sat on a crossing with a link the layout had not passed on).
PASS_REACH = REACH
Cell = tuple[int, int]


def translated(g: LinkGeometry, dx: float, dy: float) -> LinkGeometry:
    """The same link moved by (dx, dy): when both ends move together nothing else changes."""

    def t(p: Point) -> Point:
        return (p[0] + dx, p[1] + dy)

    return LinkGeometry(
        start=t(g.start),
        cubics=tuple((t(c1), t(c2), t(p)) for c1, c2, p in g.cubics),
        tip=t(g.tip),
        tip_angle=g.tip_angle,
        arrow=(t(g.arrow[0]), t(g.arrow[1]), t(g.arrow[2]), t(g.arrow[3])),
        sign_pos=t(g.sign_pos),
        mid=t(g.mid),
        mid_angle=g.mid_angle,
        handle=t(g.handle),
        outward=g.outward,
    )


def path_cells(segments: np.ndarray) -> frozenset[Cell]:
    """The grid cells a link runs through (its ``link_segments``, each cut in pieces no longer
    than STEP so that no cell between a long piece's ends is missed)."""
    length = np.hypot(segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1])
    counts = np.maximum(1, np.ceil(length / STEP).astype(int))
    t = np.concatenate([np.arange(n) / n for n in counts.tolist()] + [np.ones(1)])
    owner = np.concatenate([np.repeat(np.arange(len(segments)), counts), [len(segments) - 1]])
    a, b = segments[owner, :2], segments[owner, 2:]
    cells = np.floor((a + (b - a) * t[:, None]) / CELL).astype(int)
    return frozenset(map(tuple, np.unique(cells, axis=0).tolist()))


def box_cells(box: Box) -> frozenset[Cell]:
    """The grid cells within PASS_REACH of a variable's box: where a link passing by runs."""
    x0 = math.floor((box.cx - box.hw - PASS_REACH) / CELL)
    x1 = math.floor((box.cx + box.hw + PASS_REACH) / CELL)
    y0 = math.floor((box.cy - box.hh - PASS_REACH) / CELL)
    y1 = math.floor((box.cy + box.hh + PASS_REACH) / CELL)
    return frozenset((gx, gy) for gx in range(x0, x1 + 1) for gy in range(y0, y1 + 1))


def same_shape(a: Box, b: Box) -> bool:
    """Equal size and corners (positions may differ)."""
    return (a.hw, a.hh, a.radius) == (b.hw, b.hh, b.radius)
