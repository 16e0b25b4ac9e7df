"""The Organic style's force step (layout/organic.py): the blocked pairwise repulsion gives the
forces of the plain formula, and a piece is laid out the same way for the same seed."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from cld_editor.layout.organic import BLOCK, _repulsion, lay_out_organic


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
