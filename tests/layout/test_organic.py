"""The Organic style's force step (layout/organic.py): the blocked pairwise repulsion gives the
forces of the plain formula, and a piece is laid out the same way for the same seed; and the
weighing of several starts on small diagrams (layout/organic_best.py)."""

from __future__ import annotations

import math
import random
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from layout_strategies import diagrams

from cld_editor.layout import choose, metrics
from cld_editor.layout.boxes import diagram_sizes
from cld_editor.layout.cycles import adjacency
from cld_editor.layout.finish import finish
from cld_editor.layout.organic import BLOCK, _repulsion, lay_out_organic
from cld_editor.layout.organic_best import best_organic, starts_for
from cld_editor.layout.pack import by_piece, undirected


def plain_repulsion(pos: np.ndarray, k: float) -> np.ndarray:
    out = np.zeros_like(pos)
    for i in range(len(pos)):
        for j in range(len(pos)):
            if i == j:
                continue
            dx, dy = pos[i] - pos[j]
            d2 = max(dx * dx + dy * dy, 1e-2)
            out[i] += (dx * k * k / d2, dy * k * k / d2)
    return out


@pytest.mark.parametrize("n", [1, 2, BLOCK - 1, BLOCK + 1, 2 * BLOCK + 5])
def test_the_repulsion_is_the_plain_formula_block_by_block(n: int) -> None:
    rng = np.random.default_rng(n)
    pos = rng.uniform(-400, 400, size=(n, 2))
    if n > 2:
        pos[2] = pos[1]  # two variables on the same spot push apart by the clamped distance
    assert np.allclose(_repulsion(pos, 120.0), plain_repulsion(pos, 120.0), rtol=1e-9, atol=1e-6)


def test_a_piece_is_laid_out_the_same_for_the_same_seed() -> None:
    rng = random.Random(5)
    piece = [f"v{i}" for i in range(80)]
    neighbours: dict[str, list[str]] = {v: [] for v in piece}
    for i in range(1, 80):
        j = rng.randrange(i)
        neighbours[piece[i]].append(piece[j])
        neighbours[piece[j]].append(piece[i])
    sizes = {v: (90.0, 30.0) for v in piece}
    first = lay_out_organic(piece, neighbours, sizes, seed=3)
    assert first == lay_out_organic(piece, neighbours, sizes, seed=3)
    assert first != lay_out_organic(piece, neighbours, sizes, seed=4)
    # Linked variables end up nearer each other than the average pair.
    linked = [math.dist(first[u], first[v]) for u in piece for v in neighbours[u]]
    every = [math.dist(first[u], first[v]) for u in piece for v in piece if u < v]
    assert sum(linked) / len(linked) < 0.5 * sum(every) / len(every)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diagrams(max_variables=12))
def test_weighing_starts_never_returns_worse_than_the_first(diagram) -> None:
    """organic_best keeps its own seed's layout unless another start, or untangling, passes
    over fewer variables or, as many, crosses fewer links (as drawn)."""
    ids = [v.id for v in diagram.variables]
    sizes = diagram_sizes(diagram)
    old = {v.id: (v.x, v.y) for v in diagram.variables}
    neighbours = undirected(ids, adjacency(diagram, set(ids)))
    start = by_piece(ids, neighbours, sizes, lambda p: lay_out_organic(p, neighbours, sizes, 0))
    made = finish("organic", diagram, {**old, **start}, sizes, ids, [], {}, None)
    pos, bends = best_organic(diagram, ids, sizes, 0, old, made)
    drawn = {link.id: link.curvature for link in diagram.links}
    before = choose.faults(diagram, made[0], sizes, drawn | made[1], [])
    after = choose.faults(diagram, pos, sizes, drawn | bends, [])
    assert after[:2] <= before[:2]
    assert metrics.overlaps(pos, sizes) == 0
    assert best_organic(diagram, ids, sizes, 0, old, made) == (pos, bends)


def test_small_diagrams_try_more_starts() -> None:
    counts = [starts_for(n) for n in range(1, 400)]
    assert counts[0] > 1 and counts[-1] == 1
    assert all(a >= b for a, b in pairwise(counts))
