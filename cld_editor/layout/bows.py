"""Turning link bows over to take out crossings, on a finished layout (Organic and Iceberg).

The finish bends each link clear of the variables in its way, taking the smallest bend that
clears them, on whichever side comes first; two links that could each bow away from the other
may then cross. Here each link, in document order, tries its bow on the other side, straight,
and a few set bows either way (``BOWS``), drawn as the drawing draws it (a circular arc, its
arrowhead aimed as now); it takes the one that crosses the fewest other links, if fewer than
now, and only where it passes over no variable it does not connect. Links on a drawn cycle keep
their bow (it follows the cycle), and so does a link with a link back (their bows keep the two
apart). Once the arrowheads are aimed again, a turn that leaves a link over a variable is taken
back, and the turns are kept only when the whole drawing crosses fewer links
(:func:`.choose.crossings`). Same input, same output.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..core.model import Diagram
from . import choose
from .aims import drawn_points
from .boxes import Grid, Point, Size, rects
from .cancel import checkpoint
from .cycles import loop_links
from .drawn_links import DrawnLinks, apart, arcs, crossing_counts
from .link_checks import MARGIN, SPACING, aims_in_parts, links_over
from .links import blocking

#: The bows a link tries besides its own turned over and straight (curvature: the sag over the
#: chord's length, left of the direction of travel when positive).
BOWS = (0.12, -0.12, 0.25, -0.25)
#: Layouts of up to this many variables have their bows turned over (each link tries its bows
#: against every other link).
UP_TO = 300
#: Rounds of taking turns back (see :func:`_settled`).
ROUNDS = 3


def _turned(
    diagram: Diagram,
    pos: Mapping[str, Point],
    sizes: Mapping[str, Size],
    bends: dict[str, float],
    loops: Sequence[Sequence[str]],
) -> tuple[dict[str, float], int]:
    """``bends`` with links turned over where that crosses fewer links (module doc), and the
    crossings as drawn with ``bends`` (:func:`.choose.crossings`)."""
    start, bends = dict(bends), dict(bends)
    drawn = DrawnLinks(diagram, pos, sizes, bends)
    if drawn.poly is None:
        return bends, 0
    crossed = choose.crossings(diagram, dict(drawn.samples))
    grid = Grid(rects(pos, sizes), cell=120.0)
    aims = aims_in_parts(diagram.links, pos, grid.boxes, bends)
    pairs = {(link.source, link.target) for link in diagram.links}
    held = {p for loop in loops for p in loop_links(loop)}
    for link in diagram.links:
        s, t = link.source, link.target
        if s == t or link.id not in drawn.row or (s, t) in held or (t, s) in pairs:
            continue
        checkpoint()
        others = drawn.poly[apart(drawn, s, t)]
        now = bends[link.id]
        tries = [c for c in dict.fromkeys((-now, 0.0, *BOWS)) if abs(c - now) > 1e-9]
        lines = np.concatenate(
            [
                arcs(np.array([pos[s]], dtype=float), np.array(pos[t], dtype=float), c, True)
                for c in (now, *tries)
            ]
        )
        counts = crossing_counts(lines, others)
        best: tuple[int, float] | None = None
        for c, count in zip(tries, counts[1:].tolist(), strict=True):
            if count >= counts[0] or (best is not None and count >= best[0]):
                continue
            points = drawn_points(pos[s], pos[t], c, aims.get(link.id), SPACING)
            if not blocking(points, grid, (s, t), MARGIN):
                best = (count, c)
        if best is not None:
            bends[link.id] = best[1]
            drawn.redraw(link.id, pos, best[1], sizes)
    if bends == start:
        return bends, crossed
    return _settled(diagram, pos, grid, start, bends, aims), crossed


def _settled(
    diagram: Diagram,
    pos: Mapping[str, Point],
    grid: Grid,
    start: dict[str, float],
    bends: dict[str, float],
    aims: Mapping[str, Point],
) -> dict[str, float]:
    """``bends`` with the turns taken back that, once the arrowheads are aimed again (a turned
    link may change where those beside it land), leave a link over a variable that was clear
    with the ``start`` bends (aimed by ``aims``): the turned link itself, or those arriving
    where it arrives; ``start`` when some are still left after ROUNDS rounds."""
    links = [link for link in diagram.links if link.source != link.target]
    target = {link.id: link.target for link in links}
    was = set(links_over(links, pos, start, grid, aims=aims))
    for _ in range(ROUNDS):
        now = aims_in_parts(links, pos, grid.boxes, bends)
        over = set(links_over(links, pos, bends, grid, aims=now)) - was
        if not over:
            return bends
        ends = {target[k] for k in over}
        for k in target:
            if bends[k] != start[k] and (k in over or target[k] in ends):
                bends[k] = start[k]
    return start


def flip_bows(
    diagram: Diagram,
    pos: Mapping[str, Point],
    sizes: Mapping[str, Size],
    bends: Mapping[str, float],
    loops: Sequence[Sequence[str]] = (),
) -> dict[str, float]:
    """The layout's link bends (``bends``: those it changed) with links turned over where that
    takes out crossings (module doc), or ``bends`` as they are when the drawing, measured whole,
    would pass over more variables or cross as many links."""
    drawn = {link.id: link.curvature for link in diagram.links}
    before = drawn | dict(bends)
    after, crossed = _turned(diagram, pos, sizes, before, loops)
    if after == before:
        return dict(bends)
    # No link newly over a variable (_settled), and fewer crossings as drawn.
    if choose.crossings(diagram, choose.drawn_lines(diagram, pos, sizes, after)) >= crossed:
        return dict(bends)
    changed = {k: c for k, c in after.items() if c != before[k]}
    return dict(bends) | changed
