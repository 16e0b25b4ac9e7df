"""The Organic style: a force-directed layout (Fruchterman and Reingold) for large, loosely
looped maps, vectorised with numpy and seeded, with the ideal link length taken from the real
box sizes so that the overlap removal that follows has little left to do.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from .boxes import GAP, Point, Size
from .cancel import checkpoint

#: Force rounds (the heat falls to nothing over them). With the repulsion twice as fast as it
#: was, 240 rounds cost what 160 did and cross fewer links: 3,616 against 3,996 on 18 generated
#: diagrams of 60 to 300 variables, 20,274 against 22,244 on three of 1,000 (fewer rounds, 100,
#: crossed more and left more for the link bending to do).
ITERATIONS = 240
#: Rows of the pairwise repulsion computed at once: few, so that a block's arrays (BLOCK x n
#: floats, a few of them) stay in the processor's cache; the same forces as with 512 rows,
#: 0.95 s instead of 1.6 s for the rounds on 1,000 variables.
BLOCK = 64
#: Above this many variables in a piece the rounds shrink with the square of the size.
LARGE = 2000
MIN_ITERATIONS = 25


def lay_out_organic(
    piece: list[str],
    neighbours: Mapping[str, list[str]],
    sizes: Mapping[str, Size],
    seed: int,
    initial: Mapping[str, Point] | None = None,
    heat: float = 1.0,
    iterations: int = ITERATIONS,
) -> dict[str, Point]:
    """Positions for one connected piece (the same for the same seed). From ``initial``
    positions with a low ``heat`` it tidies a layout instead of making one."""
    n = len(piece)
    if n == 1:
        return {piece[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(piece)}
    extent = np.array([[sizes[v][0], sizes[v][1]] for v in piece], dtype=float)
    k = float(np.mean(extent[:, 0] + extent[:, 1]) / 2 + 2 * GAP + 40)
    rng = np.random.default_rng(seed)
    if initial is None:
        pos = rng.uniform(-1, 1, size=(n, 2)) * k * math.sqrt(n)
    else:
        pos = np.array([initial[v] for v in piece], dtype=float)
    src = np.array(
        [index[u] for u in piece for v in neighbours[u] if index[u] < index[v]], dtype=int
    )
    dst = np.array(
        [index[v] for u in piece for v in neighbours[u] if index[u] < index[v]], dtype=int
    )
    # Each round costs n^2: a piece of many thousands gets fewer rounds (and a rougher layout)
    # rather than minutes.
    iterations = max(MIN_ITERATIONS, min(iterations, int(iterations * (LARGE / n) ** 2)))
    temperature = heat * k * math.sqrt(n) / 2
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        checkpoint()
        force = _repulsion(pos, k)
        if len(src):
            d = pos[src] - pos[dst]
            length = np.sqrt(np.maximum(np.einsum("ij,ij->i", d, d), 1e-4))
            pull = d * (length / k)[:, None]  # attraction d^2 / k along the unit vector
            np.add.at(force, src, -pull)
            np.add.at(force, dst, pull)
        # A weak pull to the middle keeps loosely linked parts from drifting off.
        force -= pos * (0.02 * k / max(k * math.sqrt(n), 1.0))
        size = np.sqrt(np.maximum(np.einsum("ij,ij->i", force, force), 1e-9))
        pos += force / size[:, None] * np.minimum(size, temperature)[:, None]
        temperature -= cooling
    return {v: (float(pos[i, 0]), float(pos[i, 1])) for i, v in enumerate(piece)}


def _repulsion(pos: np.ndarray, k: float) -> np.ndarray:
    """Every pair pushes apart by k^2 / d, along the line between them (k^2 * delta / d^2),
    in blocks of rows so that a big piece needs memory in proportion to its size. The x and y
    differences are kept as two flat matrices and reused in place (about twice as fast as one
    n x n x 2 array summed with einsum)."""
    n = len(pos)
    x, y = pos[:, 0], pos[:, 1]
    force = np.empty_like(pos)
    kk = k * k
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        dx = x[start:stop, None] - x[None, :]
        dy = y[start:stop, None] - y[None, :]
        weight = dx * dx
        weight += dy * dy
        weight[np.arange(stop - start), np.arange(start, stop)] = np.inf  # itself
        np.maximum(weight, 1e-2, out=weight)
        np.divide(kk, weight, out=weight)
        force[start:stop, 0] = np.einsum("ij,ij->i", dx, weight)
        force[start:stop, 1] = np.einsum("ij,ij->i", dy, weight)
    return force
