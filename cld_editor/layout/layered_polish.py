"""The last step of a whole-diagram Layered layout of up to UP_TO variables: a local search
on the finished drawing for fewer link crossings, as drawn, that keeps the levels. Layouts of
up to MOVES_UP_TO variables get rounds of moves; bigger ones have their bows turned once and
then sweeps of moves (:func:`_one_sweep`).

The Layered style chooses among whole drawings (:mod:`.layered_choice`); the one it keeps may
still have a link crossing others that one link bowed another way, or one variable moved within
the levels, would clear. Each round tries, one after another:

- *Bows* (:func:`.layered_bows.turn_bows`): every link on the bow, straight or either way,
  that crosses fewest links, a link and its link back together.
- *Variables*: each variable whose links cross others tries spots in its own column and in the
  nearest column either side where every one of its links keeps its direction (a link running
  rightwards still does, a link back still runs back), every STEP from above the drawing to
  below it, keeping the gap to every box. A spot costs its links' crossings as drawn from there
  (a link back, or one with a link back, keeps its bow; the others are drawn straight, as the
  finish starts them), more for its box on another link or a link over a box, and a little per
  unit of link length; each variable proposes its cheapest spot where its links cross fewer,
  and the proposals, fewest crossings first, are tried (at most TRIALS a round) with the
  variable's links, and those now over its box, bent again as the finish bends them.

The first drawing of a round that crosses fewer links, measured as the benchmark measures it
(:mod:`.metrics`), with no overlap and no more links over variables, is kept and the next round
starts from it; a round without one ends the search. A layout of more than MOVES_UP_TO
variables, where a round costs a few tenths of a second, gets sweeps instead (up to SWEEPS,
while one takes out crossings): the proposals made once and tried in turn, each kept while the
quick count falls, the whole sweep kept only when the benchmark's measure agrees. The step
never makes a drawing worse. Same input, same output.

Measured (real box sizes, as benchmarks/bench_layout.py measures): SIR (shared corpus, 11
variables) crosses 0 links instead of 3, at 0.20 s instead of 0.15 s; the 82-variable Stella
model GeneratedByAIThenEdited.stmx 28 instead of 42 (most of it one link back that the link
bending bowed through the middle of the levels), at 0.5 s instead of 0.25 s. Rounds of moves
there took 2 s for a few crossings more; sweeps, made while one takes out crossings (at most
SWEEPS), leave 25, 22 and 21 after one, two and three, at 1.7, 2.2 and 2.8 s in all (22
diagrams of 35 to 90 variables, loop-rich, random and that model, laid out as :mod:`.layered`
does: 689, 660 and 652 crossings; 24, 29 and 33 s). Above 90 variables (the 100-variable
timing goal is 0.2 s) nothing is done.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from ..core.model import Diagram
from . import choose
from .boxes import GAP, Grid, Point, Size, rects
from .cancel import checkpoint
from .clearing import blocked_links
from .drawn_links import (
    DrawnLinks,
    cheapest_with_fewer,
    clear_of_boxes,
    crossings_now,
    other_boxes,
    spot_costs,
)
from .finish import BACK_BOW
from .layered_bows import turn_bows
from .link_checks import MARGIN
from .links import link_curvatures
from .metrics import crossings, links_over_variables, overlaps

#: Whole Layered layouts of up to this many variables have their bows turned over, and those
#: of up to MOVES_UP_TO their variables moved too.
UP_TO = 90
MOVES_UP_TO = 30
#: Rounds of moves (each keeps the first trial that takes out a crossing), and the moves
#: tried in a round.
ROUNDS = 12
TRIALS = 8
#: Moves tried in a layout of more variables (:func:`_one_sweep`), and sweeps made while one
#: takes out crossings (module doc).
SWEEP_TRIALS = 16
SWEEPS = 3
#: Heights tried in a column: this far apart, from above the drawing to below it.
STEP = 12.0
#: ... and in the sweep of a bigger layout (on 22 diagrams of 35 to 90 variables the sweep then
#: takes a tenth less time, and the drawings cross 676 links instead of 687).
SWEEP_STEP = 24.0
#: Variables in one column lie within this of its x.
SAME_COLUMN = 2.0


Measure = tuple[int, int, int]


def _measure(
    diagram: Diagram,
    pos: Mapping[str, Point],
    sizes: Mapping[str, Size],
    bends: Mapping[str, float],
) -> Measure:
    """Overlaps, links over variables, crossings: as the benchmark counts them."""
    return (
        overlaps(pos, sizes),
        links_over_variables(diagram, pos, sizes, bends),
        crossings(diagram, pos, sizes, bends),
    )


def _columns(pos: Mapping[str, Point], members: Sequence[str]) -> list[float]:
    xs = sorted({pos[v][0] for v in members})
    out: list[float] = []
    for x in xs:
        if not out or x - out[-1] > SAME_COLUMN:
            out.append(x)
    return out


def _allowed(x: float, here: float, others: Sequence[float]) -> bool:
    """Whether every link from ``here`` to an end at one of ``others`` keeps its direction
    when its end moves to ``x``."""
    for o in others:
        was, now = o - here, o - x
        if abs(was) > SAME_COLUMN and (abs(now) <= SAME_COLUMN or (was > 0) != (now > 0)):
            return False
    return True


def _spots(
    v: str,
    pos: Mapping[str, Point],
    sizes: Mapping[str, Size],
    columns: Sequence[float],
    ends: Sequence[str],
    grid: Grid,
    top: float,
    bottom: float,
    step: float,
) -> np.ndarray:
    """Spots for ``v``: its column and the nearest allowed one either side, every ``step``
    from ``top`` to ``bottom``, each keeping the gap to every other box."""
    x0 = pos[v][0]
    others = [pos[n][0] for n in ends]
    near = min(range(len(columns)), key=lambda k: abs(columns[k] - x0))
    xs = [x0]
    for way in (-1, 1):
        k = near + way
        while 0 <= k < len(columns):
            if _allowed(columns[k], x0, others):
                xs.append(columns[k])
                break
            k += way
    ys = np.arange(top, bottom + step, step)
    spots = np.array([(x, y) for x in xs for y in ys], dtype=float).reshape(-1, 2)
    _names, table = other_boxes(grid, v)
    clear = clear_of_boxes(spots, table, sizes[v], GAP)
    return spots[clear]


def _best_spot(
    v: str,
    pos: Mapping[str, Point],
    own: Sequence[tuple[str, str, float, bool]],
    sizes: Mapping[str, Size],
    drawn: DrawnLinks,
    grid: Grid,
    spots: np.ndarray,
) -> tuple[int, float, Point] | None:
    """The cheapest of ``spots`` for ``v`` with fewer crossings (module doc): the crossings it
    takes out (negative), how much less it costs than staying, and the spot; None when no
    spot takes one out."""
    assert drawn.poly is not None
    mine = drawn.touching(v)
    now = crossings_now(drawn, mine)
    if now == 0 or not len(spots):
        return None
    spots = np.concatenate(([pos[v]], spots))
    names, table = other_boxes(grid, v)
    cost, crossed = spot_costs(v, spots, pos, own, sizes[v], drawn, mine, names, table, MARGIN)
    best = cheapest_with_fewer(cost, crossed, now)
    if best is None:
        return None
    spot = (float(spots[best, 0]), float(spots[best, 1]))
    return int(crossed[best]) - now, float(cost[best] - cost[0]), spot


def _proposals(
    diagram: Diagram,
    pos: Mapping[str, Point],
    bends: Mapping[str, float],
    sizes: Mapping[str, Size],
    members: Sequence[str],
    step: float = STEP,
) -> list[tuple[str, Point]]:
    """For each variable whose links cross others, the spot where they would cross fewest
    (module doc; heights ``step`` apart), the most promising first: fewest crossings taken out
    last, then cost."""
    drawn = DrawnLinks(diagram, pos, sizes, bends)
    if drawn.poly is None:
        return []
    grid = Grid(rects(pos, sizes))
    columns = _columns(pos, members)
    top = min(y - sizes[v][1] for v, (_, y) in pos.items()) - 3 * STEP
    bottom = max(y + sizes[v][1] for v, (_, y) in pos.items()) + 3 * STEP
    pairs = {(link.source, link.target) for link in diagram.links}
    found: list[tuple[int, float, int, str, Point]] = []
    for k, v in enumerate(members):
        checkpoint()
        own = []
        for link in diagram.links:
            s, t = link.source, link.target
            if v not in (s, t) or s == t:
                continue
            n = t if s == v else s
            keep = pos[t][0] < pos[s][0] - SAME_COLUMN or (t, s) in pairs
            own.append((link.id, n, bends[link.id] if keep else 0.0, s == v))
        if not own:
            continue
        ends = [n for _, n, _, _ in own]
        spots = _spots(v, pos, sizes, columns, ends, grid, top, bottom, step)
        best = _best_spot(v, pos, own, sizes, drawn, grid, spots)
        if best is not None:
            found.append((best[0], best[1], k, v, best[2]))
    found.sort(key=lambda f: f[:3])
    return [(v, spot) for *_, v, spot in found]


def _rebent(
    diagram: Diagram,
    pos: Mapping[str, Point],
    sizes: Mapping[str, Size],
    bends: Mapping[str, float],
    v: str,
) -> dict[str, float]:
    """``bends`` with ``v``'s links (and their links back) bent afresh for ``pos``, as the
    finish bends links, and so are the links now over ``v``'s box."""
    pair_ids = {(link.source, link.target): link.id for link in diagram.links}
    links = {link.id: link for link in diagram.links if link.source != link.target}

    def with_partners(ids: set[str]) -> set[str]:
        back = {pair_ids.get((links[k].target, links[k].source)) for k in ids}
        return ids | {k for k in back if k is not None}

    mine = with_partners({k for k, link in links.items() if v in (link.source, link.target)})
    grid = Grid(rects(pos, sizes), cell=120.0)
    grid.freeze()
    out = dict(bends)
    out.update(link_curvatures(diagram, pos, sizes, link_ids=mine, back_bow=BACK_BOW, grid=grid))
    over = set(blocked_links(links, {k: out[k] for k in links}, pos, grid)) - mine
    if over:
        out.update(
            link_curvatures(
                diagram, pos, sizes, link_ids=with_partners(over), back_bow=BACK_BOW, grid=grid
            )
        )
    return out


def _trials(
    diagram: Diagram,
    pos: dict[str, Point],
    bends: dict[str, float],
    sizes: Mapping[str, Size],
    members: Sequence[str],
    tried: set[tuple[str, Point]],
) -> Iterator[tuple[dict[str, Point], dict[str, float]]]:
    """The drawings a round tries, one at a time: the bows turned over, then each proposed
    move not tried before (at most TRIALS)."""
    yield pos, turn_bows(diagram, pos, sizes, bends)
    if len(members) > MOVES_UP_TO:
        return
    fresh = [p for p in _proposals(diagram, pos, bends, sizes, members) if p not in tried]
    for v, spot in fresh[:TRIALS]:
        tried.add((v, spot))
        moved = {**pos, v: spot}
        yield moved, _rebent(diagram, moved, sizes, bends, v)


def polish(
    diagram: Diagram,
    pos: dict[str, Point],
    bends: dict[str, float],
    sizes: Mapping[str, Size],
    members: Sequence[str],
) -> tuple[dict[str, Point], dict[str, float]]:
    """The finished Layered layout ``pos`` (every variable) and ``bends`` (the layout's link
    bends), or one that crosses fewer links as drawn (module doc)."""
    if not 3 <= len(members) <= UP_TO:
        return pos, bends
    bends = {link.id: link.curvature for link in diagram.links} | bends
    best = _measure(diagram, pos, sizes, bends)
    quick = choose.crossings(diagram, choose.drawn_lines(diagram, pos, sizes, bends))
    tried: set[tuple[str, Point]] = set()
    # Without moves a second round would only turn the same bows again.
    for _ in range(ROUNDS if len(members) <= MOVES_UP_TO else 1):
        if not best[2]:
            break
        better = None
        for new_pos, new_bends in _trials(diagram, pos, bends, sizes, members, tried):
            checkpoint()
            # The quick count first; the benchmark's measure decides.
            count = choose.crossings(
                diagram, choose.drawn_lines(diagram, new_pos, sizes, new_bends)
            )
            if count >= quick:
                continue
            found = _measure(diagram, new_pos, sizes, new_bends)
            if not found[0] and found[1] <= best[1] and found[2] < best[2]:
                better = (new_pos, new_bends, found, count)
                break
        if better is None:
            break
        pos, bends, best, quick = better
    for _ in range(SWEEPS if len(members) > MOVES_UP_TO and SWEEP_TRIALS else 0):
        if not best[2]:
            break
        swept = _one_sweep(diagram, pos, bends, sizes, members, (best, quick))
        if swept is None:
            break
        pos, bends, best, quick = swept
    return pos, bends


def _one_sweep(
    diagram: Diagram,
    pos: dict[str, Point],
    bends: dict[str, float],
    sizes: Mapping[str, Size],
    members: Sequence[str],
    now: tuple[Measure, int],
) -> tuple[dict[str, Point], dict[str, float], Measure, int] | None:
    """Moves for a layout of more than MOVES_UP_TO variables: the proposals are made once, on
    the drawing as it is, and tried one after another (at most SWEEP_TRIALS), each kept when
    the quick count of the drawing then falls, with no overlap and no more links over
    variables; the next is tried on the drawing so changed. The benchmark's count of
    crossings is taken once, at the end (each step measured so took 0.1 s on the Stella model
    of the shared corpus): the drawing, its measure and quick count when it crosses fewer
    links than the sweep's start, else None. (Leaving the links over variables to that last
    measure too was tried: on the Stella model every sweep then passed over two, and had to be
    made again.)"""
    start, quick = now
    new_pos, new_bends = pos, bends
    for v, spot in _proposals(diagram, pos, bends, sizes, members, SWEEP_STEP)[:SWEEP_TRIALS]:
        checkpoint()
        moved = {**new_pos, v: spot}
        if overlaps(moved, sizes):
            continue
        rebent = _rebent(diagram, moved, sizes, new_bends, v)
        count = choose.crossings(diagram, choose.drawn_lines(diagram, moved, sizes, rebent))
        if count >= quick or links_over_variables(diagram, moved, sizes, rebent) > start[1]:
            continue
        new_pos, new_bends, quick = moved, rebent, count
        if not quick:
            break
    if new_pos is pos:
        return None
    found = _measure(diagram, new_pos, sizes, new_bends)
    if not found[0] and found[1] <= start[1] and found[2] < start[2]:
        return new_pos, new_bends, found, quick
    return None


__all__ = ["polish"]
