"""Random signed diagrams for benchmarks: a reproducible generator shared by the analysis and
canvas benchmarks (``from benchmarks.diagrams import random_diagram``).

The same arguments always give the same diagram, so figures from different runs compare.
Variables are laid out on a square grid in document order; links join distinct random pairs.
"""

from __future__ import annotations

import math
import random

from cld_editor.core.model import Diagram, Link, Variable

#: Spacing of the layout grid, in scene units (wide enough for a default variable box).
GRID_STEP = 160.0


def random_diagram(
    n_variables: int,
    out_degree: float,
    seed: int,
    *,
    negative: float = 0.35,
    unknown: float = 0.0,
    delayed: float = 0.15,
    self_links: bool = False,
) -> Diagram:
    """A diagram of ``n_variables`` variables and ``round(n_variables * out_degree)`` links
    between random distinct (source, target) pairs.

    Each link is "-" with probability ``negative``, "?" with probability ``unknown`` and "+"
    otherwise, and delayed with probability ``delayed``. Variables are CX, EX or untagged in
    equal shares. Self-links are drawn only when ``self_links`` is true.
    """
    rng = random.Random(seed)
    pairs_available = n_variables * n_variables - (0 if self_links else n_variables)
    n_links = round(n_variables * out_degree)
    if n_links > pairs_available:
        raise ValueError(f"{n_variables} variables cannot hold {n_links} distinct links")
    columns = max(1, math.isqrt(n_variables))
    variables = [
        Variable(
            id=f"v{i}",
            label=f"Variable {i}",
            domain=rng.choice(("CX", "EX", None)),
            x=GRID_STEP * (i % columns),
            y=GRID_STEP * (i // columns),
        )
        for i in range(n_variables)
    ]
    pairs: set[tuple[int, int]] = set()
    links: list[Link] = []
    while len(links) < n_links:
        source, target = rng.randrange(n_variables), rng.randrange(n_variables)
        if (source == target and not self_links) or (source, target) in pairs:
            continue
        pairs.add((source, target))
        draw = rng.random()
        polarity = "-" if draw < negative else "?" if draw < negative + unknown else "+"
        links.append(
            Link(
                id=f"l{len(links) + 1}",
                source=f"v{source}",
                target=f"v{target}",
                polarity=polarity,
                delay=rng.random() < delayed,
            )
        )
    return Diagram(
        title=f"Random diagram ({n_variables} variables, out-degree {out_degree}, seed {seed})",
        variables=variables,
        links=links,
    )
