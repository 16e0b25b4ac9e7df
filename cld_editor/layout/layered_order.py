"""Crossing reduction for the Layered style (:mod:`.layered`): the order of the points
(variables and the dummy points of long links) within each level.

The points are numbered and each level is an array of them, so that a sweep orders a level with
a few array operations (on 1,000 loop-rich variables, whose levels hold 15,600 dummy points, a
sweep takes milliseconds). From each of a few starting orders (the order the points were
levelled in, each level reversed, an order by depth-first search from the first level, and
seeded shuffles: same input, same result), downward and upward sweeps order each level by the
barycentre of its links' ends on the level before (or after); on graphs of a few hundred
points, swaps of neighbours within a level follow while a swap removes crossings (counted
exactly on both sides). The order with the fewest crossings between neighbouring levels wins.

A point may be *pinned* to the top (-1) or the bottom (+1) of its level: the dummy points of a
link that runs backwards, which is drawn bowing round the levels rather than through them, so
that its ends are drawn towards the side it bows on.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

import numpy as np

from .cancel import checkpoint

#: Sweeps from each starting order, and how many in a row may find nothing better.
SWEEPS = 12
PATIENCE = 4
#: ... and on graphs of more points than this (1,000 random-pair variables: 130,000), where a
#: sweep costs tens of milliseconds: 1% more crossings there, 0.1 s sooner (1,000 loop-rich
#: variables, 15,600 points, crossed 4% more links with 2).
SHORT_PATIENCE, SHORT_ABOVE = 2, 50_000
#: Points dealt with between two checks for a cancel (:mod:`.cancel`) where they are many.
CHECK_EVERY = 4096
#: Links compared at once when counting crossings (memory: BLOCK x links booleans).
BLOCK = 512
#: Levels of graphs up to this many points (dummies included) also get adjacent swaps.
TRANSPOSE_MAX = 400
TRANSPOSE_PASSES = 6
#: Starting orders tried, by points (dummies included): many for small graphs, where a sweep
#: costs next to nothing, two for the biggest.
STARTS = ((300, 10), (2000, 6), (8000, 3))
FEW_STARTS = 1


def count_crossings(upper: np.ndarray, lower: np.ndarray) -> int:
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


class Levels:
    """The points of a layered piece as numbers, each level an array of them in order, and the
    links between neighbouring levels as arrays (upper end, lower end)."""

    def __init__(
        self,
        names: Sequence[str],
        layer_of: Mapping[str, int],
        down: Mapping[str, list[str]],
        pin: Mapping[str, int] | None = None,
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
        self.pin = np.zeros(len(names), dtype=np.int64)
        for v, side in (pin or {}).items():
            self.pin[number[v]] = side
        ends: list[tuple[list[int], list[int]]] = [([], []) for _ in range(depth)]
        for k, v in enumerate(names):
            if not k % CHECK_EVERY:
                checkpoint()
            for w in down[v]:
                ends[layer_of[v]][0].append(number[v])
                ends[layer_of[v]][1].append(number[w])
        self.links = [(np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)) for a, b in ends]

    def set_layers(self, layers: Sequence[np.ndarray]) -> None:
        self.layers = [np.array(layer, dtype=np.int64) for layer in layers]
        for layer in self.layers:
            self.pos[layer] = np.arange(len(layer))

    def between(self, i: int) -> int:
        """Crossings between level i and level i + 1."""
        a, b = self.links[i]
        return count_crossings(self.pos[a], self.pos[b]) if len(a) > 1 else 0

    def total(self) -> int:
        total = 0
        for i in range(len(self.layers) - 1):
            checkpoint()
            total += self.between(i)
        return total

    def sort_level(self, i: int, downward: bool) -> None:
        """Order level i by the barycentre of its links' ends on the level before (sweeping
        down) or after; a point without such links keeps its place, ties keep their order,
        pinned points go to their end of the level."""
        layer = self.layers[i]
        here, there = (self.links[i - 1][::-1]) if downward else self.links[i]
        current = np.arange(len(layer))
        slot = self.pos[here]
        count = np.bincount(slot, minlength=len(layer))
        sums = np.bincount(slot, weights=self.pos[there].astype(float), minlength=len(layer))
        bary = np.where(count > 0, sums / np.maximum(count, 1), current)
        order = np.lexsort((current, bary, self.pin[layer]))
        self.layers[i] = layer = layer[order]
        self.pos[layer] = current

    def transpose(self) -> None:
        """Swap neighbours within each level while that removes crossings with the levels on
        either side (pinned points stay at their ends; a few passes). A swap of u and v
        changes only the crossings between their own links: those of u's neighbours lying
        beyond v's, on each side."""
        ups: dict[int, list[int]] = {}
        downs: dict[int, list[int]] = {}
        for a, b in self.links:
            checkpoint()
            for u, w in zip(a.tolist(), b.tolist(), strict=True):
                downs.setdefault(u, []).append(w)
                ups.setdefault(w, []).append(u)
        pos = self.pos.tolist()
        pin = self.pin.tolist()
        none: list[int] = []

        def crossed(u: int, v: int) -> int:
            """Crossings between u's links and v's with u before v."""
            count = 0
            for side in (ups, downs):
                nv = side.get(v, none)
                if nv:
                    for a in side.get(u, none):
                        pa = pos[a]
                        count += sum(1 for b in nv if pos[b] < pa)
            return count

        layers = [layer.tolist() for layer in self.layers]
        for _ in range(TRANSPOSE_PASSES):
            improved = False
            for layer in layers:
                checkpoint()
                for k in range(len(layer) - 1):
                    if not k % 64:
                        checkpoint()
                    u, v = layer[k], layer[k + 1]
                    if pin[u] != pin[v] or crossed(v, u) >= crossed(u, v):
                        continue
                    layer[k], layer[k + 1] = v, u
                    pos[u], pos[v] = k + 1, k
                    improved = True
            if not improved:
                break
        self.set_layers([np.array(layer, dtype=np.int64) for layer in layers])


def _depth_first(levels: Levels, down: Mapping[int, list[int]]) -> list[np.ndarray]:
    """Each level in the order a depth-first search from the first level's points meets its
    points (Gansner et al.'s initial order)."""
    seen: set[int] = set()
    found: list[list[int]] = [[] for _ in levels.layers]
    level_of = {v: i for i, layer in enumerate(levels.layers) for v in layer.tolist()}
    met = 0
    for layer in levels.layers:
        for root in layer.tolist():
            if root in seen:
                continue
            seen.add(root)
            stack = [root]
            while stack:
                u = stack.pop()
                met += 1
                if not met % 512:
                    checkpoint()
                found[level_of[u]].append(u)
                for w in reversed(down.get(u, ())):
                    if w not in seen:
                        seen.add(w)
                        stack.append(w)
    return [np.array(f, dtype=np.int64) for f in found]


def _starts(levels: Levels, count: int) -> list[list[np.ndarray]]:
    first = [layer.copy() for layer in levels.layers]
    out = [first]
    if count > 1:
        down: dict[int, list[int]] = {}
        for a, b in levels.links:
            checkpoint()
            for u, w in zip(a.tolist(), b.tolist(), strict=True):
                down.setdefault(u, []).append(w)
        out.append(_depth_first(levels, down))
    if count > 2:
        out.append([layer[::-1].copy() for layer in first])
    rng = random.Random(0)
    while len(out) < count:
        shuffled = []
        for layer in first:
            checkpoint()
            items = layer.tolist()
            rng.shuffle(items)
            shuffled.append(np.array(items, dtype=np.int64))
        out.append(shuffled)
    return out


def _sweep(levels: Levels) -> tuple[list[np.ndarray], int]:
    """Sweeps from the levels' current order: the best order seen and its crossings."""
    depth = len(levels.layers)
    best, best_count = [layer.copy() for layer in levels.layers], levels.total()
    idle = 0
    patience = SHORT_PATIENCE if len(levels.pos) > SHORT_ABOVE else PATIENCE
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        for i in range(1, depth) if downward else range(depth - 2, -1, -1):
            checkpoint()
            levels.sort_level(i, downward)
        count = levels.total()
        if count < best_count:
            best, best_count, idle = [layer.copy() for layer in levels.layers], count, 0
        else:
            idle += 1
            if idle >= patience or not best_count:
                break
    return best, best_count


def order_levels(
    levels: Levels, starts: int | None = None, others: list[list[np.ndarray]] | None = None
) -> int:
    """Order ``levels`` in place (see the module doc); returns the crossings left between
    neighbouring levels. ``others``, when given, receives the orders reached from the other
    starts (fewest crossings first, each once), for a search that judges them otherwise."""
    points = len(levels.pos)
    if starts is None:
        starts = next((n for limit, n in STARTS if points <= limit), FEW_STARTS)
    reached: list[tuple[int, int, list[np.ndarray]]] = []
    for k, start in enumerate(_starts(levels, starts)):
        levels.set_layers(start)
        # Pinned points begin at their ends of the level.
        for i in range(len(levels.layers)):
            checkpoint()
            layer = levels.layers[i]
            order = np.lexsort((np.arange(len(layer)), levels.pin[layer]))
            levels.layers[i] = layer[order]
        levels.set_layers(levels.layers)
        layers, count = _sweep(levels)
        if points <= TRANSPOSE_MAX and count:
            levels.set_layers(layers)
            levels.transpose()
            layers, count = [layer.copy() for layer in levels.layers], levels.total()
        reached.append((count, k, layers))
        if not count and others is None:
            break
    reached.sort(key=lambda r: r[:2])
    best_count, _, best = reached[0]
    if others is not None:
        seen = {tuple(np.concatenate(best).tolist())}
        for _, _, layers in reached[1:]:
            key = tuple(np.concatenate(layers).tolist())
            if key not in seen:
                seen.add(key)
                others.append(layers)
    levels.set_layers(best)
    return best_count
