"""The Layered style: Sugiyama's method, left to right.

1. Break cycles: a depth-first search in document order marks the links that close a cycle as
   back links (they keep their direction in the diagram and curve around the levels later;
   :mod:`.layered_breaks`).
2. Levels: the longest path from a source, so every forward link runs rightwards; then each
   source moves to the level just before its first target, so that a constant feeding a
   variable deep in the diagram sits next to it instead of in the first column (on the
   271-variable Covid model this halves the crossings drawn: 1,709 instead of 3,448); then
   each variable moves towards the side where most of its links are (:func:`_balanced`).
3. Long links get a dummy point on each level they cross, so the ordering keeps room for them.
4. Crossing reduction (:mod:`.layered_order`): barycentre sweeps from several starting orders,
   adjacent swaps on small graphs, the order with the fewest crossings between levels kept.
5. Coordinates: levels become columns as wide as their widest box; within a column boxes are
   stacked in order, then pulled towards their neighbours' mean height in a few passes that never
   let two boxes come closer than the gap.

A piece of up to CHOOSE_UP_TO variables is laid out several ways: links reversed by other
searches (depth-first in reverse document order, Eades, Lin and Smyth's greedy feedback arc
set), and the dummy points of links back pinned to one side of their levels (where they lean,
or all at the bottom) so that a link back's ends sit where it bows round the levels; each way
and its mirror image is drawn as the layout's last steps draw it and the one crossing fewest
links wins (:mod:`.layered_choice`). On the examples this takes the crossings to 0 (from 1 or
2), and the 15-variable energy model from 3 to 0 (1 before its bows were turned over, see
:mod:`.layered_choice`). A whole diagram of up to 30 variables then goes through a local search
on its finished drawing (:mod:`.layered_polish`, called by :mod:`.plan`): SIR from 3 to 0.
A piece of up to BREAKS_UP_TO variables is laid out from BREAKS choices of links to reverse
(:func:`_of_breaks`), the one whose drawing crosses fewest links kept among those drawn no
bigger than SPREAD times the plain one (:func:`.layered_choice.fewest_turned`): on 22 diagrams
of 35 to 90 variables, with the sweeps of moves of :mod:`.layered_polish`, 652 crossings
instead of 990 (808 with the sweeps alone) at about the same area, in about five times the
time (2 to 4 s for 80 to 90 variables). The 82-variable Stella model of the shared corpus keeps
its plain layout there (the choice crossing fewest links bows long links round the whole
diagram: two and a half times the area) and crosses 21 links instead of 28 after the sweeps.

Why not grandalf's Sugiyama (the only pip-installable one besides igraph's, which the team does
not use): measured on the same graphs, it crosses about as many links (82-variable Stella model:
150 against 133 here; 100 and 300 loop-rich variables: 92 and 599 against 120 and 688) and takes
2 to 5 times as long (0.22 s against 0.04 s for 300 variables), and it is one more pure-Python
dependency whose last release was 2023.

Step 5 works on numbered points with numpy. A greedy cycle breaking alone for every piece was
tried and dropped: it makes far shallower levels (29 instead of 206 on 1,000 loop-rich
variables) but, since links are drawn as arcs between their ends and not through the dummy
points, tall columns crossed three times as many links; it stays one of the small pieces'
candidates, judged by its drawing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .boxes import GAP, Point, Size
from .cancel import checkpoint
from .layered_breaks import Breaks, back_links, break_choices
from .layered_choice import fewest_drawn, fewest_turned
from .layered_order import Levels, order_levels

#: Pieces of up to this many variables are laid out several ways (links reversed by other
#: searches, links back pinned to a side of the levels), and the way whose drawing crosses
#: fewest links is kept (:mod:`.layered_choice`).
CHOOSE_UP_TO = 30
#: Pieces of more variables, up to BREAKS_UP_TO, are laid out from BREAKS choices of links to
#: reverse (:mod:`.layered_breaks`). On 22 diagrams of 35 to 90 variables (loop-rich, random
#: and the Stella model of the shared corpus, finished and polished as a whole layout) 6 choices
#: cross 739 links, 12 cross 681 and 20 cross 673, against 990 with one; with OTHER_STARTS
#: starting orders for all but the first choice, 12 cross 667 and take a tenth less time.
BREAKS_UP_TO = 90
BREAKS = 12
#: Starting orders for each of those other ways (the first way takes layered_order's own).
OTHER_STARTS = 3
#: Passes pulling each point towards its neighbours' mean height.
COORDINATE_SWEEPS = 8
COLUMN_GAP = 110.0
ROW_GAP = GAP + 12
#: Passes of link shortening after the longest-path levels (:func:`_balanced`).
BALANCE_PASSES = 4
#: Pieces of up to this many variables pull chains from constants along (:func:`_balanced`).
#: On 1,000 variables linked in random pairs it changed the crossings by half a percent either
#: way and made the layout 0.3 s slower (r2.0/2 of benchmarks/bench_layout.py: 4.3 s against
#: 3.9 s, its goal 5 s).
PULL_UP_TO = 500
#: Rows spread apart where many long links cross the columns: by the dummy points per
#: variable over LOAD, at most MAX_SPREAD times. A straight link crossing a column of boxes 30
#: units tall, ROW_GAP apart, meets one 58% of the time (the clearance counted), 32% at 2.5
#: times the gap. On 1,000 random-pair variables (50 to 140 dummy points per variable) 40 to
#: 60 links were left over a variable after the repair, none with the rows spread, at 18% more
#: crossings, and the layout is done sooner (5.3 s -> 4.7 s). With the links shortened, the
#: Covid model has about 4 per variable: LOAD 5 left its rows ROW_GAP apart, and the repair
#: then took 0.5 s more and crossings were 1,802; at LOAD 3 (rows 1.3 times apart) 1,660
#: (2 and 2.5: 1,599 and 1,661, but the 82-variable Stella model, 3 per variable, crossed 74
#: and 63 links instead of 61).
LOAD = 3.0
MAX_SPREAD = 2.5
DUMMY_HEIGHT = 14.0


def _levels(order: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    incoming: dict[str, list[str]] = {v: [] for v in order}
    outdeg = {v: 0 for v in order}
    for u, v in edges:
        incoming[v].append(u)
        outdeg[u] += 1
    level: dict[str, int] = {}
    indeg = {v: len(incoming[v]) for v in order}
    ready = [v for v in order if indeg[v] == 0]
    succ: dict[str, list[str]] = {v: [] for v in order}
    for u, v in edges:
        succ[u].append(v)
    for v in ready:
        level[v] = 0
    i = 0
    while i < len(ready):
        u = ready[i]
        i += 1
        for v in succ[u]:
            level[v] = max(level.get(v, 0), level[u] + 1)
            indeg[v] -= 1
            if indeg[v] == 0:
                ready.append(v)
    _sources_forward(level, incoming, succ)
    _balanced(order, level, incoming, succ)
    return level


def _balanced(
    order: list[str],
    level: dict[str, int],
    incoming: Mapping[str, list[str]],
    outgoing: Mapping[str, list[str]],
) -> None:
    """Shorten links, in place: each variable with more links in than out moves to the level
    just after its last source, one with more out than in to the level just before its first
    target (a few passes; a variable without links out follows its sources). A network simplex
    in miniature: on the Covid model the drawing crosses 1,660 links instead of 2,075 (with the
    rows as far apart), and 300 loop-rich variables 474 instead of 488; the 82-variable Stella
    model keeps 61, 100 loop-rich variables cross 81 instead of 75. A variable with as many
    links in as out moves to the level just before its first target when what feeds it feeds
    nothing else, so that a chain from a constant (a constant, a rate made of it) follows it
    to the variable it feeds: the finished drawing of the Stella model then crosses 42 links
    instead of 50 and the Covid model 1,585 instead of 1,660; the loop-rich diagrams have no
    such chains (81 and 474 for 100 and 300 variables, as before); see PULL_UP_TO."""
    pull = len(order) <= PULL_UP_TO
    for _ in range(BALANCE_PASSES):
        moved = False
        for k, v in enumerate(order):
            if not k % 512:
                checkpoint()
            ins, outs = incoming[v], outgoing[v]
            # As many links in as out: moving changes no length, unless what feeds v feeds
            # nothing else (a chain from a constant), which then follows it.
            pulled = pull and bool(outs) and all(outgoing[u] == [v] for u in ins)
            if len(ins) == len(outs) and not pulled:
                continue
            low = max((level[u] + 1 for u in ins), default=level[v])
            high = min((level[w] - 1 for w in outs), default=level[v])
            if not ins:
                low = high
            if not outs:
                high = low
            want = low if len(ins) > len(outs) else high
            if len(ins) == len(outs):
                want = high
            if want != level[v] and low <= want <= high:
                level[v] = want
                moved = True
        if not moved:
            break
    first = min(level.values())
    for v in level:
        level[v] -= first


def _sources_forward(
    level: dict[str, int], incoming: Mapping[str, list[str]], outgoing: Mapping[str, list[str]]
) -> None:
    """Move each source (nothing links to it: a constant, an input) to the level just before
    its first target, in place; the levels then start at 0 again. (Moving the other variables
    too, :func:`_balanced`, once left the link repair half a second more work on the Covid
    model; with the rows spread a little sooner, see LOAD, it costs nothing.)
    """
    for v, sources in incoming.items():
        if not sources and outgoing[v]:
            level[v] = min(level[w] for w in outgoing[v]) - 1
    first = min(level.values())
    for v in level:
        level[v] -= first


@dataclass
class _Graph:
    """A piece's links made acyclic and levelled, long ones through dummy points: the points
    in the order they were levelled (dummies after the variables that start them), their
    levels and links, and the links that run backwards with the dummy points of each."""

    names: list[str]
    layer_of: dict[str, int]
    down: dict[str, list[str]]
    up: dict[str, list[str]]
    back_dummies: dict[tuple[str, str], list[str]]


def _graph(piece: list[str], succ: Mapping[str, list[str]], back: Breaks) -> _Graph:
    edges = [(u, v) if (u, v) not in back else (v, u) for u in piece for v in succ[u]]
    edges = list(dict.fromkeys(e for e in edges if e[0] != e[1]))
    level = _levels(piece, edges)
    down: dict[str, list[str]] = {v: [] for v in piece}
    up: dict[str, list[str]] = {v: [] for v in piece}
    layer_of = dict(level)
    back_dummies: dict[tuple[str, str], list[str]] = {}
    for u, v in edges:
        checkpoint()
        prev = u
        chain = back_dummies.setdefault((u, v), []) if (v, u) in back else None
        for k in range(level[u] + 1, level[v]):
            d = f"\0{u}\0{v}\0{k}"
            layer_of[d] = k
            down[d], up[d] = [], []
            down[prev].append(d)
            up[d].append(prev)
            prev = d
            if chain is not None:
                chain.append(d)
        down[prev].append(v)
        up[v].append(prev)
    return _Graph(list(layer_of), layer_of, down, up, back_dummies)


def _ordered(
    graph: _Graph,
    pin: Mapping[str, int] | None = None,
    others: list[list[list[str]]] | None = None,
    starts: int | None = None,
) -> list[list[str]]:
    """The best order of ``graph``'s levels (:func:`.layered_order.order_levels`, from
    ``starts`` starting orders); ``others`` receives the orders reached from the other starts."""
    levels = Levels(graph.names, graph.layer_of, graph.down, pin)
    reached: list[list[np.ndarray]] | None = None if others is None else []
    order_levels(levels, starts, others=reached)
    for layers in reached or ():
        assert others is not None
        others.append([[graph.names[k] for k in layer.tolist()] for layer in layers])
    return [[graph.names[k] for k in layer.tolist()] for layer in levels.layers]


def _leaning(graph: _Graph, layers: list[list[str]]) -> dict[str, int]:
    """Each link back's dummy points pinned to the end of their levels where they already lie
    on the whole (ties: the bottom, where links back bow first)."""
    where = {v: (k + 0.5) / len(layer) for layer in layers for k, v in enumerate(layer)}
    pin: dict[str, int] = {}
    for chain in graph.back_dummies.values():
        if chain:
            side = -1 if sum(where[d] for d in chain) / len(chain) < 0.5 else 1
            pin.update(dict.fromkeys(chain, side))
    return pin


def lay_out_layered(
    piece: list[str], successors: Mapping[str, list[str]], sizes: Mapping[str, Size]
) -> dict[str, Point]:
    """Positions for one connected piece, levels running left to right (see the module doc)."""
    members = set(piece)
    succ = {u: [v for v in successors.get(u, ()) if v in members and v != u] for u in piece}
    if CHOOSE_UP_TO < len(piece) <= BREAKS_UP_TO:
        return _of_breaks(piece, succ, sizes)
    graph = _graph(piece, succ, back_links(piece, succ))
    if len(piece) > CHOOSE_UP_TO:
        return _coordinates(_ordered(graph), sizes, graph.up, graph.down)
    others: list[list[list[str]]] = []
    first = _ordered(graph, others=others)
    candidates = [_coordinates(first, sizes, graph.up, graph.down)]
    # Other choices of links to reverse: the search in reverse order, the greedy set.
    breaks = break_choices(piece, succ, 3)[1:]
    graphs = [(graph, first), *((_graph(piece, succ, b), None) for b in breaks)]
    for g, free in graphs:
        checkpoint()
        free = free or _ordered(g, starts=OTHER_STARTS)
        if free is not first:
            candidates.append(_coordinates(free, sizes, g.up, g.down))
        if not g.back_dummies:
            continue
        for pin in (_leaning(g, free), {d: 1 for c in g.back_dummies.values() for d in c}):
            if pin:
                layers = _ordered(g, pin, starts=OTHER_STARTS)
                candidates.append(_coordinates(layers, sizes, g.up, g.down))
    # Last, the orders the first search reached from its other starts.
    candidates += [_coordinates(layers, sizes, graph.up, graph.down) for layers in others]
    return fewest_drawn(candidates, piece, succ, sizes)


def _of_breaks(
    piece: list[str], succ: Mapping[str, list[str]], sizes: Mapping[str, Size]
) -> dict[str, Point]:
    """A piece of more than CHOOSE_UP_TO variables laid out from each of a few choices of links
    to reverse (:func:`.layered_breaks.break_choices`, BREAKS of them), the one whose drawing
    crosses fewest links kept (:func:`.layered_choice.fewest_turned`)."""
    candidates = []
    for k, back in enumerate(break_choices(piece, succ, BREAKS)):
        checkpoint()
        graph = _graph(piece, succ, back)
        layers = _ordered(graph, starts=OTHER_STARTS if k else None)
        candidates.append(_coordinates(layers, sizes, graph.up, graph.down))
    return fewest_turned(candidates, piece, succ, sizes)


def _coordinates(
    layers: list[list[str]],
    sizes: Mapping[str, Size],
    up: Mapping[str, list[str]],
    down: Mapping[str, list[str]],
) -> dict[str, Point]:
    names = [v for layer in layers for v in layer]
    number = {v: i for i, v in enumerate(names)}
    height = np.array([sizes[v][1] if v in sizes else DUMMY_HEIGHT for v in names])
    x = 0.0
    xs: list[float] = []
    for layer in layers:
        width = max((sizes[v][0] for v in layer if v in sizes), default=0.0)
        xs.append(x + width / 2)
        x += width + COLUMN_GAP
    # Each level stacked from the top with the gap between boxes, centred on 0. Per level: its
    # points, each centre's offset from the first with every gap closed, and its links (the
    # slot of the point in the level, the number of the point at the other end).
    ys = np.empty(len(names))
    variables = sum(1 for v in names if v in sizes)
    row_gap = ROW_GAP * min(MAX_SPREAD, max(1.0, (len(names) - variables) / variables / LOAD))
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    first = 0
    for layer in layers:
        checkpoint()
        idx = np.arange(first, first + len(layer))
        first += len(layer)
        h = height[idx]
        steps = np.concatenate(([0.0], h[:-1] / 2 + row_gap + h[1:] / 2))
        centres = np.cumsum(steps) + h[0] / 2
        ys[idx] = centres - (centres[-1] + h[-1] / 2 + row_gap) / 2
        slots = [k for k, v in enumerate(layer) for _ in (*up[v], *down[v])]
        ends = [number[n] for v in layer for n in (*up[v], *down[v])]
        count = np.bincount(np.array(slots, dtype=np.int64), minlength=len(layer))
        ends_of = np.array(ends, dtype=np.int64)
        parts.append((idx, np.cumsum(steps), np.array(slots, dtype=np.int64), ends_of, count))
    for sweep in range(COORDINATE_SWEEPS):
        seq = parts if sweep % 2 == 0 else parts[::-1]
        for idx, offset, slots, ends, count in seq:
            checkpoint()
            sums = np.bincount(slots, weights=ys[ends], minlength=len(idx))
            wanted = np.where(count > 0, sums / np.maximum(count, 1), ys[idx])
            # Each box as near its wish as the gap to the one above allows (pushing down), and
            # again from the bottom (pushing up); the mean of the two keeps order and gaps.
            forward = np.maximum.accumulate(wanted - offset) + offset
            backward = np.minimum.accumulate((wanted - offset)[::-1])[::-1] + offset
            ys[idx] = (forward + backward) / 2
    return {
        v: (xs[i], float(ys[number[v]]))
        for i, layer in enumerate(layers)
        for v in layer
        if v in sizes
    }
