"""The Layered style: Sugiyama's method, left to right.

1. Break cycles: a depth-first search in document order marks the links that close a cycle as
   back links (they keep their direction in the diagram and curve around the levels later).
2. Levels: the longest path from a source, so every forward link runs rightwards; then each
   source moves to the level just before its first target, so that a constant feeding a
   variable deep in the diagram sits next to it instead of in the first column (on the
   271-variable Covid model this halves the crossings drawn: 1,709 instead of 3,448).
3. Long links get a dummy point on each level they cross, so the ordering keeps room for them.
4. Crossing reduction: alternate downward and upward sweeps ordering each level by the
   barycentre of its neighbours on the level before, keeping the best order seen (crossings
   counted exactly between each pair of levels), then, on graphs of a few hundred points,
   swaps of neighbours within a level while a swap removes crossings.
5. Coordinates: levels become columns as wide as their widest box; within a column boxes are
   stacked in order, then pulled towards their neighbours' mean height in a few passes that never
   let two boxes come closer than the gap.

Why not grandalf's Sugiyama (the only pip-installable one besides igraph's, which the team does
not use): measured on the same graphs, it crosses about as many links (82-variable Stella model:
150 against 133 here; 100 and 300 loop-rich variables: 92 and 599 against 120 and 688) and takes
2 to 5 times as long (0.22 s against 0.04 s for 300 variables), and it is one more pure-Python
dependency whose last release was 2023. After the link bending that follows, this layout crosses
114 and 565 links on those two.

Steps 4 and 5 work on numbered points with numpy, a level at a time (a sweep orders a level
with a few array operations; the crossings between two levels are counted by comparing every
pair of their links at once): on 1,000 loop-rich variables, whose longest-path levels hold
15,600 dummy points, the layout takes 0.13 s instead of 0.47 s, with the same orders and the
same positions. A greedy cycle breaking (Eades, Lin and Smyth) was tried and dropped: it makes
far shallower levels (29 instead of 206) but, since links are drawn as arcs between their ends
and not through the dummy points, tall columns crossed three times as many links.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .boxes import GAP, Point, Size
from .cancel import checkpoint

SWEEPS = 12
#: Passes pulling each point towards its neighbours' mean height.
COORDINATE_SWEEPS = 8
#: Levels of graphs up to this many points (dummies included) also get adjacent swaps.
TRANSPOSE_MAX = 400
COLUMN_GAP = 110.0
ROW_GAP = GAP + 12
#: Rows spread apart where many long links cross the columns: by the dummy points per
#: variable over LOAD, at most MAX_SPREAD times. A straight link crossing a column of boxes 30
#: units tall, ROW_GAP apart, meets one 58% of the time (the clearance counted), 32% at 2.5
#: times the gap. On 1,000 random-pair variables (50 to 140 dummy points per variable) 40 to
#: 60 links were left over a variable after the repair, none with the rows spread, at 18% more
#: crossings, and the layout is done sooner (5.3 s -> 4.7 s); the Covid model (8 per variable,
#: rows 1.5 times apart) lost its last links over a variable, at 2% more crossings. Diagrams
#: with up to LOAD per variable (the examples, 82 variables of the Stella model, 300 loop-rich
#: ones) keep ROW_GAP.
LOAD = 5.0
MAX_SPREAD = 2.5
DUMMY_HEIGHT = 14.0
#: Points dealt with between two checks for a cancel (:mod:`.cancel`) where they are many.
CHECK_EVERY = 4096
#: Links compared at once when counting crossings (memory: BLOCK x links booleans).
BLOCK = 512


def _back_links(order: list[str], successors: Mapping[str, list[str]]) -> set[tuple[str, str]]:
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    for root in order:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(successors.get(root, ())))]
        while stack:
            u, it = stack[-1]
            for v in it:
                if v not in state:
                    state[v] = 1
                    stack.append((v, iter(successors.get(v, ()))))
                    break
                if state[v] == 1:
                    back.add((u, v))
            else:
                state[u] = 2
                stack.pop()
    return back


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
    return level


def _sources_forward(
    level: dict[str, int], incoming: Mapping[str, list[str]], outgoing: Mapping[str, list[str]]
) -> None:
    """Move each source (nothing links to it: a constant, an input) to the level just before
    its first target, in place; the levels then start at 0 again.

    Moving every variable with more links out than in as far as its links allow (a network
    simplex in miniature) crossed a few links fewer on the Covid model (1,588 against 1,709)
    but left the link repair after the layout half a second more work; sources alone give most
    of the gain at no cost, and change nothing in a diagram without them.
    """
    for v, sources in incoming.items():
        if not sources and outgoing[v]:
            level[v] = min(level[w] for w in outgoing[v]) - 1
    first = min(level.values())
    for v in level:
        level[v] -= first


def _crossings(upper: list[str], lower: list[str], edges: Mapping[str, list[str]]) -> int:
    pos = {v: i for i, v in enumerate(lower)}
    ends = sorted((i, pos[w]) for i, u in enumerate(upper) for w in edges.get(u, ()) if w in pos)
    # Count inversions of the lower ends (a Fenwick tree keeps it n log n).
    tree = [0] * (len(lower) + 1)
    count = 0
    for seen, (_, j) in enumerate(ends):
        k = j + 1
        below = 0
        while k > 0:
            below += tree[k]
            k -= k & -k
        count += seen - below
        k = j + 1
        while k <= len(lower):
            tree[k] += 1
            k += k & -k
    return count


def _count(upper: np.ndarray, lower: np.ndarray) -> int:
    """Crossings among links whose ends sit at positions ``upper`` on one level and ``lower``
    on the next: pairs in one order above and the other below. In the order of the upper
    ends (ties: lower ends rising, so that they never count), these are the pairs whose lower
    ends fall; counted a block of BLOCK links at a time, against the blocks before it (kept
    sorted, a binary search each) and within it (every pair)."""
    if len(upper) <= BLOCK:  # few links: every pair at once
        return int(np.count_nonzero((upper[:, None] < upper[None, :]) & (lower[:, None] > lower)))
    order = np.lexsort((lower, upper))
    ends = lower[order]
    total = 0
    seen = np.zeros(0, dtype=ends.dtype)
    for start in range(0, len(ends), BLOCK):
        block = ends[start : start + BLOCK]
        # Earlier links whose lower end lies further on (strictly) cross these.
        total += int((len(seen) - np.searchsorted(seen, block, side="right")).sum())
        total += int(np.count_nonzero(np.triu(block[:, None] > block[None, :], 1)))
        seen = np.sort(np.concatenate((seen, block)))
    return total


class _Levels:
    """The points of a layered piece (variables and dummies) as numbers, each level an array
    of them in order, and the links between neighbouring levels as arrays, so that a sweep
    orders a level with a few array operations."""

    def __init__(
        self, names: list[str], layer_of: Mapping[str, int], down: Mapping[str, list[str]]
    ):
        number = {v: i for i, v in enumerate(names)}
        depth = max(layer_of.values()) + 1
        members: list[list[int]] = [[] for _ in range(depth)]
        for k, v in enumerate(names):
            if not k % CHECK_EVERY:
                checkpoint()
            members[layer_of[v]].append(number[v])
        self.layers = [np.array(m, dtype=np.int64) for m in members]
        self.pos = np.zeros(len(names), dtype=np.int64)
        for layer in self.layers:
            self.pos[layer] = np.arange(len(layer))
        # Links from level i to level i + 1, as (upper end, lower end) arrays.
        ends: list[tuple[list[int], list[int]]] = [([], []) for _ in range(depth)]
        for k, v in enumerate(names):
            if not k % CHECK_EVERY:
                checkpoint()
            for w in down[v]:
                ends[layer_of[v]][0].append(number[v])
                ends[layer_of[v]][1].append(number[w])
        self.links = [(np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)) for a, b in ends]

    def total(self) -> int:
        total = 0
        for a, b in self.links[:-1]:
            checkpoint()
            if len(a) > 1:
                total += _count(self.pos[a], self.pos[b])
        return total

    def sort_level(self, i: int, downward: bool) -> None:
        """Order level i by the barycentre of its links' ends on the level before (sweeping
        down) or after; a point without such links keeps its place, ties keep their order."""
        layer = self.layers[i]
        here, there = (self.links[i - 1][::-1]) if downward else self.links[i]
        current = np.arange(len(layer))
        slot = self.pos[here]
        count = np.bincount(slot, minlength=len(layer))
        sums = np.bincount(slot, weights=self.pos[there].astype(float), minlength=len(layer))
        bary = np.where(count > 0, sums / np.maximum(count, 1), current)
        order = np.lexsort((current, bary))
        self.layers[i] = layer = layer[order]
        self.pos[layer] = current


def lay_out_layered(
    piece: list[str], successors: Mapping[str, list[str]], sizes: Mapping[str, Size]
) -> dict[str, Point]:
    """Positions for one connected piece, levels running left to right."""
    members = set(piece)
    succ = {u: [v for v in successors.get(u, ()) if v in members and v != u] for u in piece}
    back = _back_links(piece, succ)
    edges = [(u, v) if (u, v) not in back else (v, u) for u in piece for v in succ[u]]
    edges = list(dict.fromkeys(e for e in edges if e[0] != e[1]))
    level = _levels(piece, edges)
    # Dummy points for links longer than one level.
    down: dict[str, list[str]] = {v: [] for v in piece}
    up: dict[str, list[str]] = {v: [] for v in piece}
    layer_of = dict(level)
    for u, v in edges:
        checkpoint()
        prev = u
        for k in range(level[u] + 1, level[v]):
            d = f"\0{u}\0{v}\0{k}"
            layer_of[d] = k
            down[d], up[d] = [], []
            down[prev].append(d)
            up[d].append(prev)
            prev = d
        down[prev].append(v)
        up[v].append(prev)
    # Levels in the order points were levelled, dummies after the variables that start them.
    names = list(layer_of)
    levels = _Levels(names, layer_of, down)
    depth = len(levels.layers)
    best, best_count = list(levels.layers), levels.total()
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        for i in range(1, depth) if downward else range(depth - 2, -1, -1):
            checkpoint()
            levels.sort_level(i, downward)
        count = levels.total()
        if count < best_count:
            best, best_count = list(levels.layers), count
    ordered = [[names[k] for k in layer.tolist()] for layer in best]
    if len(layer_of) <= TRANSPOSE_MAX:
        _transpose(ordered, down)
    return _coordinates(ordered, sizes, up, down)


def _transpose(layers: list[list[str]], down: Mapping[str, list[str]]) -> None:
    """Swap neighbours within a level while that removes crossings with the levels on either
    side (in place; a few passes)."""

    def local(i: int) -> int:
        count = 0
        if i > 0:
            count += _crossings(layers[i - 1], layers[i], down)
        if i + 1 < len(layers):
            count += _crossings(layers[i], layers[i + 1], down)
        return count

    for _ in range(4):
        improved = False
        for i, layer in enumerate(layers):
            checkpoint()
            for k in range(len(layer) - 1):
                before = local(i)
                layer[k], layer[k + 1] = layer[k + 1], layer[k]
                if local(i) < before:
                    improved = True
                else:
                    layer[k], layer[k + 1] = layer[k + 1], layer[k]
        if not improved:
            return


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
