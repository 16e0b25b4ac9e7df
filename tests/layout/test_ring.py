"""Hairballs on a ring (layout/ring.py): which diagrams count as hairballs, and that on a ring
no link passes over a variable, no boxes overlap, the Iceberg keeps CX above the waterline and
EX below, and the same diagram gives the same layout."""

from __future__ import annotations

import math

import pytest
from layout_strategies import random_pairs

from cld_editor.core.model import Diagram
from cld_editor.layout import metrics, plan
from cld_editor.layout.boxes import diagram_sizes
from cld_editor.layout.cycles import chosen_loops
from cld_editor.layout.ring import RING_FROM, is_hairball, ring_bends


def chain_of_loops(n: int) -> Diagram:
    """Loops of three hung one after the other: every link on a short loop."""
    links = []
    for k in range(0, n - 2, 2):
        links += [(k, k + 1), (k + 1, k + 2), (k + 2, k)]
    return Diagram.model_validate(
        {
            "variables": [{"id": f"v{i}", "label": f"V {i}"} for i in range(n)],
            "links": [{"source": f"v{a}", "target": f"v{b}"} for a, b in links],
        }
    )


@pytest.fixture(scope="module")
def hairball() -> Diagram:
    return random_pairs(RING_FROM + 20, 2.0, 11)


def test_links_between_random_pairs_make_a_hairball(hairball):
    members = [v.id for v in hairball.variables]
    assert is_hairball(hairball, members, chosen_loops(hairball))


def test_small_or_loop_rich_diagrams_are_not_hairballs():
    small = random_pairs(RING_FROM - 1, 2.0, 3)
    assert not is_hairball(small, [v.id for v in small.variables], chosen_loops(small))
    loopy = chain_of_loops(RING_FROM + 21)
    assert not is_hairball(loopy, [v.id for v in loopy.variables], chosen_loops(loopy))


@pytest.fixture(scope="module")
def laid_out(hairball):
    return {style: plan(hairball, style) for style in ("loops", "iceberg")}


@pytest.mark.parametrize("style", ["loops", "iceberg"])
def test_a_hairball_on_a_ring_has_no_link_over_a_variable(hairball, laid_out, style):
    layout = laid_out[style]
    sizes = diagram_sizes(hairball)
    bends = {link.id: 0.0 for link in hairball.links} | layout.curvatures
    assert metrics.overlaps(layout.positions, sizes) == 0
    assert metrics.links_over_variables(hairball, layout.positions, sizes, bends) == 0


def test_the_iceberg_ring_keeps_its_bands(hairball, laid_out):
    layout = laid_out["iceberg"]
    sizes = diagram_sizes(hairball)
    line = layout.waterline
    assert line is not None
    for v in hairball.variables:
        _, y = layout.positions[v.id]
        if v.domain == "CX":
            assert y + sizes[v.id][1] / 2 < line
        elif v.domain == "EX":
            assert y - sizes[v.id][1] / 2 > line


def test_the_ring_is_deterministic(hairball, laid_out):
    again = plan(hairball, "loops")
    assert again.positions == laid_out["loops"].positions
    assert again.curvatures == laid_out["loops"].curvatures


def test_ring_links_bow_towards_the_middle_and_a_link_back_apart():
    # Four variables on a circle of radius 1,000 around the origin; a -> b and back.
    pos = {
        k: (1000 * math.cos(a), 1000 * math.sin(a))
        for k, a in zip("abcd", (0.0, 0.1, math.pi / 2, math.pi), strict=True)
    }
    diagram = Diagram.model_validate(
        {
            "variables": [{"id": k, "label": k} for k in "abcd"],
            "links": [
                {"id": "ab", "source": "a", "target": "b"},
                {"id": "ba", "source": "b", "target": "a"},
                {"id": "ad", "source": "a", "target": "d"},
            ],
        }
    )
    bends = ring_bends(diagram, pos, (0.0, 0.0))

    def apex(u: str, v: str, c: float) -> tuple[float, float]:
        """The middle of the arc u -> v bowed left by c (the drawing's rule)."""
        (x0, y0), (x1, y1) = pos[u], pos[v]
        chord = math.hypot(x1 - x0, y1 - y0)
        nx, ny = (y1 - y0) / chord, -(x1 - x0) / chord
        return ((x0 + x1) / 2 + nx * c * chord, (y0 + y1) / 2 + ny * c * chord)

    def inwards(u: str, v: str, c: float) -> bool:
        mid = ((pos[u][0] + pos[v][0]) / 2, (pos[u][1] + pos[v][1]) / 2)
        return math.hypot(*apex(u, v, c)) < math.hypot(*mid)

    # a -> d runs through the middle: hardly bent. a -> b is short: bowed steeply inwards.
    assert abs(bends["ad"]) <= 0.1
    assert abs(bends["ab"]) >= 0.3 and inwards("a", "b", bends["ab"])
    # The link back bows inwards too, further, so that the two lie apart.
    assert inwards("b", "a", bends["ba"]) and abs(bends["ba"]) - abs(bends["ab"]) >= 0.2
