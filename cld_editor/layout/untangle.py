"""Taking crossings out of a finished loop layout, as drawn, by moving the parts of it that
hang off the drawn cycles (constants, chains of auxiliaries, small trees) and the cycle variables
they hang from.

:func:`.improve.improve` moves variables while the layout is being made, against straight links;
the finish then bends links round their cycles and round boxes, and a bent link can cross one
that was clear when straight. Here, on the finished layout, each variable that is on none of the
drawn cycles, then each cycle variable one of those links to, whose links (as drawn) cross
others, tries spots all at once against every other link as drawn: a variable off the cycles on
even spirals around its neighbours' mean, each neighbour and where it is; a variable on a cycle
a short way around where it is, only where each of its cycles drawn convex stays convex. Its
links are drawn from the spot with the bend they have (those on a cycle or with a link back) or
straight (the others: the finish bends them again where needed). A spot costs their crossings,
its box on another link or its links over a box (each more than a crossing: the finish would have
to bend round them), its place inside a drawn cycle it is not on (a tight one, no room; a wider
one a little: its middle is for its label), and the length of its links; the variable moves to
the cheapest spot where its links cross fewer others, when that costs less than staying by
GAIN. After each sweep the layout is finished again and kept only if it scores better as drawn
(:func:`.choose.faults`) with no more crossings, links over variables or loops out of shape: the
step never makes a layout worse. Variables are visited in document order: same input, same
output.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..core.model import Diagram
from . import choose
from .boxes import GAP, Grid, Point, Rect, Size, rects
from .cancel import checkpoint
from .cycles import loop_links
from .drawn_links import (
    DrawnLinks,
    cheapest_with_fewer,
    clear_of_boxes,
    crossings_now,
    other_boxes,
    spot_costs,
)
from .finish import finish
from .improve import inside_all, outline
from .metrics import convex, crossings

#: Spots tried on each spiral around a variable off the cycles, and around one on a cycle (a
#: short way: about two box sizes); sweeps over the variables (each is finished again). On the
#: 82-variable GeneratedByAIThenEdited.stmx (shared corpus) 24 spots around a cycle variable
#: leave 23 crossings, 36 to 96 leave 16 to 21 (48: 19), at 0.1 s a sweep.
SPOTS = 60
NEAR_SPOTS = 48
ROUNDS = 3
#: Costs, in crossings, of a place inside a drawn cycle of at most choose.TIGHT members (no
#: room there) or inside a wider one (room, but its middle is its label's); those of a box on
#: a link, a link over a box and a link's length are drawn_links.ON_LINK, OVER_BOX, LENGTH.
NESTED = 4.0
NESTED_WIDE = 0.5
#: How far a link keeps from a box it passes (as the finish's repair checks it).
MARGIN = 4.0
#: Only layouts of at most this many variables are untangled. Each variable costs a few
#: milliseconds a sweep, more in a bigger diagram (its spots are weighed against every link):
#: on the 271-variable Covid model (shared corpus, 224 variables off its 36 cycle variables)
#: three sweeps take 859 crossings down to 523 but cost 8 s where the rest of the layout takes
#: 0.4 s (one sweep: 601, 3 s).
UP_TO = 150
#: How much lower (in crossings) a spot's cost must be than staying.
GAIN = 0.5


def _spots(origins: Sequence[Point], step: float, count: int) -> np.ndarray:
    k = np.arange(count)
    r = step * np.sqrt(k)
    ring = np.column_stack((r * np.cos(k * 2.399963), r * np.sin(k * 2.399963)))
    return np.concatenate([ring + np.array(o) for o in origins])


def _best_spot(
    v: str,
    pos: Mapping[str, Point],
    own: Sequence[tuple[str, str, float, bool]],
    sizes: Mapping[str, Size],
    drawn: DrawnLinks,
    grid: Grid,
    outlines: Sequence[tuple[list[Point], float]],
    cycles: Sequence[Sequence[str]],
    limit: tuple[float, float] | None,
) -> Point | None:
    """The spot for ``v`` with the lowest cost (see the module doc), or None when no spot
    takes out a crossing. ``own`` holds v's links (id, other end, bend, from v); ``cycles``
    the drawn cycles v is on (v then moves a short way only, each stays convex if it is)."""
    assert drawn.poly is not None
    mine = drawn.touching(v)
    # Crossings of v's links now, as drawn, pair by pair (as the score counts them).
    now = crossings_now(drawn, mine)
    if now == 0:
        return None
    w, h = sizes[v]
    here = pos[v]
    far = [pos[n] for _, n, _, _ in own]
    if cycles:
        spots = _spots([here], max(20.0, (w + h) / 6), NEAR_SPOTS)
    else:
        mean = (sum(p[0] for p in far) / len(far), sum(p[1] for p in far) / len(far))
        origins = list(dict.fromkeys([mean, here, *far]))  # a leaf's mean is its neighbour
        spots = _spots(origins, max(30.0, (w + h) / 4), SPOTS)
    if limit is not None:
        spots = spots[(spots[:, 1] >= limit[0]) & (spots[:, 1] <= limit[1])]
    names, table = other_boxes(grid, v)
    # Spots keeping the gap to every box (all at once), where each of v's cycles drawn convex
    # stays convex.
    clear = clear_of_boxes(spots, table, (w, h), GAP)
    spots = spots[clear]
    if cycles:
        shaped = [
            all(_keeps_shape(cycle, v, (float(x), float(y)), pos) for cycle in cycles)
            for x, y in spots
        ]
        spots = spots[np.array(shaped, dtype=bool)].reshape(-1, 2)
    spots = np.concatenate(([here], spots))
    cost, crossed_at = spot_costs(v, spots, pos, own, (w, h), drawn, mine, names, table, MARGIN)
    for shape, weight in outlines:
        cost += weight * inside_all(spots, shape)
    best = cheapest_with_fewer(cost, crossed_at, now)
    if best is None:
        return None
    # Spot 0 is where v is, its links drawn as the model draws them: a move must cost less
    # than that by half a crossing at least.
    if cost[best] > cost[0] - GAIN:
        return None
    return (float(spots[best, 0]), float(spots[best, 1]))


def _keeps_shape(cycle: Sequence[str], v: str, p: Point, pos: Mapping[str, Point]) -> bool:
    """Whether ``cycle``, drawn convex with ``v`` where it is, stays convex with ``v`` at
    ``p`` (one drawn out of shape may change freely)."""
    if len(cycle) < 3:
        return True
    now = [pos[u] for u in cycle]
    if not convex(now):
        return True
    return convex([p if u == v else pos[u] for u in cycle])


def untangle(
    diagram: Diagram,
    pos: dict[str, Point],
    bends: dict[str, float],
    sizes: Mapping[str, Size],
    members: Sequence[str],
    loops: Sequence[Sequence[str]],
    style: str = "loops",
    limits: Mapping[str, tuple[float, float]] | None = None,
    rounds: int = ROUNDS,
) -> tuple[dict[str, Point], dict[str, float]]:
    """The finished layout ``pos`` and ``bends`` (every variable; the layout's bends), or,
    when it scores better as drawn, the same with the variables of ``members`` that hang off
    ``loops`` and those they hang from moved where their links cross fewer others (see the
    module doc), finished again with ``style``'s finish; ``limits`` keeps a variable's y within
    a range (the iceberg's bands); ``rounds``: the most sweeps."""
    if not 3 <= len(members) <= UP_TO:
        return pos, bends
    keep = set(members)
    on_cycle = {v for loop in loops for v in loop}
    neighbours: dict[str, list[str]] = {v: [] for v in members}
    for link in diagram.links:
        s, t = link.source, link.target
        if s != t and s in keep and t in keep:
            neighbours[s].append(t)
            neighbours[t].append(s)
    free = [v for v in members if v not in on_cycle and neighbours[v]]
    # The cycle variables the hanging parts link to move too (a short way): on a diagram with
    # nothing off its cycles the step costs nothing.
    anchors = {n for v in free for n in neighbours[v]}
    free += [v for v in members if v in on_cycle and v in anchors]
    if not free:
        return pos, bends
    drawn_before = {link.id: link.curvature for link in diagram.links}
    best = choose.faults(diagram, pos, sizes, drawn_before | bends, loops)
    crossed = crossings(diagram, pos, sizes, drawn_before | bends)
    for _ in range(rounds):
        moved = _sweep(diagram, pos, bends, sizes, free, neighbours, loops, limits or {})
        if moved is None:
            break
        start = {**pos, **moved}
        new_pos, new_bends = finish(
            style, diagram, start, sizes, members, loops, limits or {}, None
        )
        faults = choose.faults(diagram, new_pos, sizes, drawn_before | new_bends, loops)
        worse = faults[0] > best[0] or faults[1] > best[1] or faults[3] > best[3]
        if worse or choose.weigh(faults) >= choose.weigh(best):
            break
        # The crossings as the benchmark counts them (finer samples) may not grow either.
        count = crossings(diagram, new_pos, sizes, drawn_before | new_bends)
        if count > crossed:
            break
        pos, bends, best, crossed = new_pos, new_bends, faults, count
    return pos, bends


def _sweep(
    diagram: Diagram,
    pos: Mapping[str, Point],
    bends: Mapping[str, float],
    sizes: Mapping[str, Size],
    free: Sequence[str],
    neighbours: Mapping[str, list[str]],
    loops: Sequence[Sequence[str]],
    limits: Mapping[str, tuple[float, float]],
) -> dict[str, Point] | None:
    """New places for the variables of ``free`` that take out crossings, one after another
    (each sees the moves before it), or None when none moves."""
    drawn_bends = {link.id: link.curvature for link in diagram.links} | dict(bends)
    drawn = DrawnLinks(diagram, pos, sizes, drawn_bends)
    if drawn.poly is None:
        return None
    here = dict(pos)
    grid = Grid(rects(here, sizes))
    # Links keeping their bend when an end moves: those of drawn cycles and those with a link
    # back; the others are drawn straight (the finish bends them again where needed).
    pairs = {(link.source, link.target) for link in diagram.links}
    keep_bends = {p for loop in loops for p in loop_links(loop)} | {
        (s, t) for s, t in pairs if (t, s) in pairs
    }
    moved: dict[str, Point] = {}
    for v in free:
        checkpoint()
        mine = [lp for lp in loops if v in lp]
        outlines = [
            (outline([here[u] for u in loop]), NESTED if len(loop) <= choose.TIGHT else NESTED_WIDE)
            for loop in loops
            if v not in loop
        ]
        own = [
            (
                link.id,
                link.target if link.source == v else link.source,
                drawn_bends[link.id] if (link.source, link.target) in keep_bends else 0.0,
                link.source == v,
            )
            for link in diagram.links
            if v in (link.source, link.target) and link.source != link.target
        ]
        spot = _best_spot(v, here, own, sizes, drawn, grid, outlines, mine, limits.get(v))
        if spot is None:
            continue
        grid.remove(v)
        here[v] = spot
        moved[v] = spot
        grid.add(v, Rect(spot[0], spot[1], sizes[v][0] / 2, sizes[v][1] / 2))
        for link_id, _, bend, _ in own:
            drawn.redraw(link_id, here, bend, sizes)
    return moved or None
