"""Hypothesis strategies for layout tests: small random diagrams with loops, labels of varied
length (one or two lines), CX/EX tags and loop labels on real loops."""

from __future__ import annotations

import random

from hypothesis import strategies as st

from cld_editor.core.model import Diagram

WORDS = ["Stress", "Customer satisfaction", "Revenue", "x", "Investment in employees", "W", "Ab"]


@st.composite
def diagrams(draw, max_variables: int = 12, domains: bool = True) -> Diagram:
    n = draw(st.integers(1, max_variables))
    variables = []
    for i in range(n):
        label = draw(st.sampled_from(WORDS)) + (f" {i}" if draw(st.booleans()) else "")
        domain = draw(st.sampled_from([None, "CX", "EX"])) if domains else None
        x = draw(st.floats(-500, 500, allow_nan=False))
        y = draw(st.floats(-500, 500, allow_nan=False))
        variables.append({"id": f"v{i}", "label": label, "domain": domain, "x": x, "y": y})
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    # A ring through the first few variables, so most diagrams have loops.
    ring = draw(st.integers(0, n))
    pairs += [(i, (i + 1) % ring) for i in range(ring)] if ring > 1 else []
    links = []
    seen = set()
    for s, t in pairs:
        if (s, t) in seen:
            continue
        seen.add((s, t))
        links.append({"source": f"v{s}", "target": f"v{t}", "polarity": "+"})
    labels = []
    if ring > 1 and draw(st.booleans()):
        labels.append(
            {"id": "L1", "loop": [f"v{i}" for i in range(ring)], "x": 0.0, "y": 0.0, "name": "Ring"}
        )
    return Diagram.model_validate({"variables": variables, "links": links, "loop_labels": labels})


def random_pairs(n: int, per_variable: float, seed: int) -> Diagram:
    """``n`` variables with links between random pairs: long links through crowds."""
    rng = random.Random(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < int(n * per_variable):
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            pairs.add((a, b))
    return Diagram.model_validate(
        {
            "variables": [
                {"id": f"v{i}", "label": f"Variable {i}", "domain": rng.choice(["CX", "EX", None])}
                for i in range(n)
            ],
            "links": [{"source": f"v{a}", "target": f"v{b}"} for a, b in sorted(pairs)],
        }
    )
