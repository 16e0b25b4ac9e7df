"""The Iceberg style: CX variables above the waterline, EX below, each side drawn in loops.

Bands (:func:`bands`): a CX or EX variable is in its own band; a variable without a domain
joins the band most of its neighbours are in; on a tie, the band holding more of the other
members of its drawn loops (its loops then cross the waterline less), then the band with fewer
members (the drawing stays balanced), then EX. A piece with no CX or EX variable at all stays
above the line. A whole diagram whose variables all fall in one band (none tagged, say) is drawn
as the Loops style draws it, with the waterline below it (above it when all are EX); see
:func:`.plan.plan`.

Two kinds of drawing are made and the one that reads best as drawn is kept (:func:`.choose.score`:
links over variables, crossings, loops out of shape; ties keep the banded one):

- *banded*: each band laid out with the Loops style on its own side of the line, the upper band
  mirrored left to right when that crosses fewer links;
- *cut*: the Loops layout of the whole diagram, turned to the angle at which a level line best
  parts CX from EX, that line opened into the waterline's gap (each band moved off it) and any
  variable still on the wrong side moved onto its band's edge. This is how the hand-made
  iceberg is drawn: a loop that runs between customers and staff is cut by the waterline, and
  the links between the bands cross it once each, in order.

Each is finished (overlaps removed in its band, links bent clear of variables); the banded
drawing and the best cut are then improved within their bands (:func:`.improve.improve`, small
diagrams only) and weighed once more with their spread (``SPREAD``): a chain of loops turned
upright by the cut can cross a link fewer than the banded drawing and still fill a page twice as
big with long links. Same input, same output.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ..core.model import Diagram
from . import choose
from .alternatives import loops_candidates
from .boxes import Point, Size, bounds, rects
from .cancel import checkpoint
from .crossing import PlacedLinks
from .cycles import adjacency
from .finish import finish, moved_to
from .improve import improve
from .pack import undirected
from .styles import style_positions

#: Space between each band and the waterline.
WATER_MARGIN = 45.0
#: Diagrams up to this many variables weigh the local improvement of every variable within its
#: band (each variable tries about 140 spots). On tagged loop-rich diagrams of 60 and 80
#: variables it takes 48 crossings down to 19 and 66 to 22, for 0.7 and 1 s more; up to 60 an
#: Iceberg still takes less time than it took before its spots were weighed all at once.
IMPROVE_UP_TO = 60
#: Diagrams up to this many variables finish both drawings and keep the better as drawn; bigger
#: ones finish only the one whose straight links cross fewer others.
FINISH_BOTH_UP_TO = 150
#: What a drawing's spread (:func:`spread`) costs in the choice, in the units of
#: :func:`.choose.score` (a crossing: 10).
SPREAD = 3.0
#: Angles tried for the cut (every 15 degrees).
ANGLES = 24

Finished = tuple[dict[str, Point], dict[str, float]]


def bands(
    diagram: Diagram, members: Sequence[str], loops: Sequence[Sequence[str]] = ()
) -> tuple[list[str], list[str]]:
    """The CX and EX bands of ``members`` (see the module doc), each in document order.
    ``loops``: the loops drawn as cycles (for the tie-break)."""
    domain = {v.id: v.domain for v in diagram.variables}
    members = list(members)
    keep = set(members)
    neighbours = undirected(members, adjacency(diagram, keep))
    mates: dict[str, set[str]] = {v: set() for v in members}
    for loop in loops:
        checkpoint()
        for v in loop:
            if v in mates:
                mates[v].update(u for u in loop if u != v and u in keep)
    band = {v: domain[v] for v in members if domain[v] in ("CX", "EX")}
    tagged = set(band)
    for _ in range(3):
        for v in members:
            if v in tagged:
                continue
            checkpoint()
            cx = sum(1 for n in neighbours[v] if band.get(n) == "CX")
            ex = sum(1 for n in neighbours[v] if band.get(n) == "EX")
            if not cx and not ex:
                continue
            if cx != ex:
                band[v] = "CX" if cx > ex else "EX"
                continue
            cx = sum(1 for n in mates[v] if band.get(n) == "CX")
            ex = sum(1 for n in mates[v] if band.get(n) == "EX")
            if cx == ex:  # fewer members wins (not counting v itself)
                ex = sum(1 for u, b in band.items() if b == "CX" and u != v)
                cx = sum(1 for u, b in band.items() if b == "EX" and u != v)
            band[v] = "CX" if cx > ex else "EX"
    return (
        [v for v in members if band.get(v, "CX") == "CX"],
        [v for v in members if band.get(v) == "EX"],
    )


def band_limits(
    above: Sequence[str], below: Sequence[str], sizes: Mapping[str, Size], waterline: float
) -> dict[str, tuple[float, float]]:
    """The range of each variable's centre y that keeps its box in its band."""
    limits = {v: (-1e9, waterline - WATER_MARGIN - sizes[v][1] / 2) for v in above}
    limits.update({v: (waterline + WATER_MARGIN + sizes[v][1] / 2, 1e9) for v in below})
    return limits


def banded(
    diagram: Diagram,
    above: list[str],
    below: list[str],
    sizes: Mapping[str, Size],
    centre: Point,
    waterline: float,
) -> dict[str, Point]:
    """Each band laid out in loops on its side of ``waterline`` (the *banded* drawing)."""
    top = style_positions("loops", diagram, above, sizes) if above else {}
    bottom = style_positions("loops", diagram, below, sizes) if below else {}
    pos: dict[str, Point] = {}
    if top:
        top = moved_to(top, sizes, (centre[0], 0.0))
        shift = waterline - WATER_MARGIN - bounds(rects(top, sizes).values())[3]
        pos.update({v: (x, y + shift) for v, (x, y) in top.items()})
    if bottom:
        bottom = moved_to(bottom, sizes, (centre[0], 0.0))
        shift = waterline + WATER_MARGIN - bounds(rects(bottom, sizes).values())[1]
        pos.update({v: (x, y + shift) for v, (x, y) in bottom.items()})
    if not top:
        return pos
    # The upper band as laid out or mirrored, whichever crosses fewer links (those between the
    # bands decide).
    members = [*above, *below]
    neighbours = undirected(members, adjacency(diagram, set(members)))
    mid = sum(pos[v][0] for v in top) / len(top)
    mirrored = {v: ((2 * mid - x, y) if v in top else (x, y)) for v, (x, y) in pos.items()}
    if PlacedLinks(mirrored, neighbours).crossings() < PlacedLinks(pos, neighbours).crossings():
        return mirrored
    return pos


def _best_turn(
    pos: Mapping[str, Point], above: Sequence[str], below: Sequence[str]
) -> tuple[np.ndarray, float]:
    """The variables' centres (``above`` then ``below``) turned to the angle at which a level
    line best parts the two, and that line's y: fewest on the wrong side, then the widest gap
    between the centres on either side, then the smallest turn."""
    names = [*above, *below]
    xy = np.array([pos[v] for v in names], dtype=float)
    xy -= xy.mean(axis=0)
    upper = np.array([True] * len(above) + [False] * len(below))
    best: tuple[tuple[float, float, int], np.ndarray, float] | None = None
    for k in range(ANGLES):
        a = 2 * math.pi * k / ANGLES
        turned = xy @ np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
        order = np.argsort(turned[:, 1], kind="stable")
        ys, up = turned[order, 1], upper[order]
        # A line after the first i centres (top to bottom): EX above it, CX below it.
        ex_above = np.concatenate(([0], np.cumsum(~up)))
        cx_below = np.concatenate((np.cumsum(up[::-1])[::-1], [0]))
        wrong = ex_above + cx_below
        gaps = np.concatenate(([0.0], np.diff(ys), [0.0]))
        i = int(np.lexsort((-gaps, wrong))[0])
        line = ys[0] - 1.0 if i == 0 else ys[-1] + 1.0 if i == len(ys) else (ys[i - 1] + ys[i]) / 2
        key = (float(wrong[i]), -float(gaps[i]), k)
        if best is None or key < best[0]:
            best = (key, turned, line)
    assert best is not None
    return best[1], best[2]


def cut(
    layout: Mapping[str, Point],
    above: list[str],
    below: list[str],
    sizes: Mapping[str, Size],
    centre_x: float,
    waterline: float,
) -> dict[str, Point]:
    """The *cut* drawing (module doc) of a whole-diagram ``layout``, centred on ``centre_x``
    with the line at ``waterline``."""
    turned, line = _best_turn(layout, above, below)
    names = [*above, *below]
    half = np.array([sizes[v][1] / 2 for v in names])
    upper = np.arange(len(names)) < len(above)
    x, y = turned[:, 0].copy(), turned[:, 1].copy()
    right = np.where(upper, y < line, y > line)
    # Open the gap: each band moves off the line as a whole, as far as its lowest (highest)
    # variable on the right side needs.
    up = upper & right
    if up.any():
        y[upper] -= max(0.0, float((y[up] + half[up]).max()) - (line - WATER_MARGIN))
    down = ~upper & right
    if down.any():
        y[~upper] += max(0.0, (line + WATER_MARGIN) - float((y[down] - half[down]).min()))
    # What is still on the wrong side goes to its band's edge.
    y = np.where(upper, np.minimum(y, line - WATER_MARGIN - half), y)
    y = np.where(~upper, np.maximum(y, line + WATER_MARGIN + half), y)
    dx = centre_x - (x.min() + x.max()) / 2
    return {v: (float(x[k] + dx), float(y[k] - line + waterline)) for k, v in enumerate(names)}


def _improved(
    diagram: Diagram,
    made: Finished,
    start: dict[str, Point],
    box: Mapping[str, Size],
    members: list[str],
    loops: Sequence[Sequence[str]],
    limits: Mapping[str, tuple[float, float]],
    old: Mapping[str, Point],
) -> tuple[float, dict[str, Point], dict[str, float]]:
    """The finished drawing ``made`` (started from ``start``), or improved within its bands
    (each variable tries spots in its band where its links cross fewer others, those on loops a
    short way only, or all of them freely), whichever scores best as drawn, with its score."""
    neighbours = undirected(members, adjacency(diagram, set(members)))
    drawn = {link.id: link.curvature for link in diagram.links}
    best = (choose.score(diagram, made[0], box, drawn | made[1], loops), *made)
    if len(members) > IMPROVE_UP_TO:
        return best
    for cycles in (loops, []):
        checkpoint()
        held = [lp for lp in cycles if set(lp) <= set(start)]
        moved = improve(dict(start), members, neighbours, box, held, limits=limits)
        pos, curved = finish(
            "iceberg", diagram, {**old, **moved}, box, members, loops, limits, None
        )
        value = choose.score(diagram, pos, box, drawn | curved, loops)
        if value < best[0]:
            best = (value, pos, curved)
    return best


def arrange_iceberg(
    diagram: Diagram,
    members: list[str],
    box: Mapping[str, Size],
    centre: Point,
    old: Mapping[str, Point],
    loops: Sequence[Sequence[str]],
) -> tuple[dict[str, Point], dict[str, float], float, dict[str, tuple[float, float]]]:
    """The whole diagram as an iceberg: positions of every variable, link bends, the waterline
    and the band limits (the best of the drawings in the module doc)."""
    above, below = bands(diagram, members, loops)
    waterline = centre[1]
    limits = band_limits(above, below, box, waterline)
    starts = [banded(diagram, above, below, box, centre, waterline)]
    wholes = loops_candidates(diagram, members, box, loops, centre) or [
        style_positions("loops", diagram, members, box)
    ]
    starts += [cut(w, above, below, box, centre[0], waterline) for w in wholes]
    if len(members) > FINISH_BOTH_UP_TO:
        neighbours = undirected(members, adjacency(diagram, set(members)))
        counts = [PlacedLinks(s, neighbours).crossings() for s in starts]
        starts = [starts[counts.index(min(counts))]]
    drawn = {link.id: link.curvature for link in diagram.links}
    finished = []
    for k, start in enumerate(starts):
        checkpoint()
        pos, curved = finish(
            "iceberg", diagram, {**old, **start}, box, members, loops, limits, None
        )
        if len(starts) == 1 and len(members) > IMPROVE_UP_TO:
            return pos, curved, waterline, limits
        value = choose.score(diagram, pos, box, drawn | curved, loops)
        finished.append((value, k, pos, curved, start))
    # The banded drawing and the best cut, each improved, weighed with their spread.
    contenders = [finished[0]]
    if len(finished) > 1:
        contenders.append(min(finished[1:], key=lambda f: (f[0], f[1])))
    best: tuple[float, dict[str, Point], dict[str, float]] | None = None
    for _, _, pos, curved, start in contenders:
        value, pos, curved = _improved(
            diagram, (pos, curved), start, box, members, loops, limits, old
        )
        value += SPREAD * spread({v: pos[v] for v in members}, box)
        if best is None or value < best[0]:
            best = (value, pos, curved)
    assert best is not None
    return best[1], best[2], waterline, limits


def spread(pos: Mapping[str, Point], sizes: Mapping[str, Size]) -> float:
    """How spread out a drawing is: the area of the box around it over the area of its
    variables' boxes."""
    left, top, right, bottom = bounds(rects(pos, sizes).values())
    return (right - left) * (bottom - top) / max(sum(sizes[v][0] * sizes[v][1] for v in pos), 1.0)
