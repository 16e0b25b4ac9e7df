"""No link, as the canvas draws it, passes over a variable it does not connect after any layout;
the repair pass on its own; the Loops style's choice between its result, the drawing it started
from and a circle."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from layout_strategies import diagrams

from cld_editor.core.model import Diagram
from cld_editor.layout import STYLES, choose, metrics, plan
from cld_editor.layout.boxes import diagram_sizes
from cld_editor.layout.cycles import chosen_loops
from cld_editor.layout.label_place import inside
from cld_editor.layout.repair import repair
from cld_editor.ui.drawing.geometry import Box
from cld_editor.ui.drawing.link_layout import link_geometries

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _cubic(p0, c1, c2, p1, t):
    a = 1 - t
    return tuple(
        a**3 * p0[k] + 3 * a * a * t * c1[k] + 3 * a * t * t * c2[k] + t**3 * p1[k] for k in (0, 1)
    )


def drawn_over(diagram: Diagram, pos, sizes, bends) -> list[tuple[str, str]]:
    """(link, variable) pairs where the link as the canvas draws it (LinkLayout: arcs aimed
    apart, clipped, arrowheads) passes over a box it does not connect."""
    boxes = {v: Box(x, y, sizes[v][0] / 2, sizes[v][1] / 2, 8.0) for v, (x, y) in pos.items()}
    links = [(k.id, k.source, k.target, bends.get(k.id, k.curvature)) for k in diagram.links]
    out = []
    for link_id, source, target, _ in links:
        if source == target:
            continue
        g = link_geometries(boxes, links)[link_id]
        points = [g.start, *g.arrow]
        prev = g.start
        for c1, c2, p in g.cubics:
            n = max(4, int(math.dist(prev, p) / 3))
            points += [_cubic(prev, c1, c2, p, k / n) for k in range(1, n + 1)]
            prev = p
        for v, box in boxes.items():
            if v not in (source, target) and any(box.contains(x, y) for x, y in points):
                out.append((link_id, v))
    return out


@SETTINGS
@given(diagrams(), st.sampled_from(STYLES))
def test_no_drawn_link_passes_over_an_unrelated_variable(diagram: Diagram, style: str) -> None:
    sizes = diagram_sizes(diagram)
    layout = plan(diagram, style)
    bends = {link.id: link.curvature for link in diagram.links} | layout.curvatures
    assert metrics.links_over_variables(diagram, layout.positions, sizes, bends) == 0
    assert drawn_over(diagram, layout.positions, sizes, bends) == []


def _diagram(positions: dict[str, tuple[float, float]], links, labels=None) -> Diagram:
    return Diagram.model_validate(
        {
            "variables": [
                {"id": k, "label": (labels or {}).get(k, k.upper()), "x": x, "y": y}
                for k, (x, y) in positions.items()
            ],
            "links": [
                {"source": s, "target": t, "polarity": "+", "curvature": 0.0} for s, t in links
            ],
        }
    )


def test_repair_clears_a_link_straight_through_a_box() -> None:
    diagram = _diagram({"a": (0, 0), "b": (600, 0), "c": (300, 0)}, [("a", "b")])
    sizes = diagram_sizes(diagram)
    pos = {"a": (0.0, 0.0), "b": (600.0, 0.0), "c": (300.0, 0.0)}
    assert metrics.links_over_variables(diagram, pos, sizes, {}) == 1
    # With nothing allowed to move, the link bends round the box.
    fixed, bends = repair(diagram, pos, sizes, {}, movable=set())
    assert fixed == pos and bends["l1"] != 0
    assert metrics.links_over_variables(diagram, fixed, sizes, bends) == 0
    # Allowed to move, the link still bends first (the cheaper repair).
    moved, bends = repair(diagram, pos, sizes, {}, movable={"c"})
    assert metrics.links_over_variables(diagram, moved, sizes, bends) == 0


def test_repair_moves_a_variable_aside_when_no_bend_clears_the_link() -> None:
    # A wall of boxes across the link's whole reach: no bend gets round, so "c", in the way,
    # steps aside.
    wall = {f"w{k}": (300.0, 34.0 * k) for k in range(-30, 31) if k}
    positions = {"a": (0.0, 0.0), "b": (600.0, 0.0), "c": (300.0, 0.0), **wall}
    diagram = _diagram(positions, [("a", "b")])
    sizes = diagram_sizes(diagram)
    moved, bends = repair(diagram, positions, sizes, {}, movable={"c"})
    assert moved["c"] != positions["c"]
    assert {k: p for k, p in moved.items() if k != "c"} == {
        k: p for k, p in positions.items() if k != "c"
    }
    assert metrics.links_over_variables(diagram, moved, sizes, bends) == 0
    assert metrics.overlaps(moved, sizes) == 0


def test_a_variable_linked_all_round_a_loop_stays_outside_it() -> None:
    # A triangle loop, and a variable fed by all three of its members: the mean of its
    # neighbours is the middle of the loop, where hand-drawn diagrams never put it.
    links = [("a", "b"), ("b", "c"), ("c", "a"), ("a", "x"), ("b", "x"), ("c", "x")]
    diagram = _diagram(dict.fromkeys("abcx", (0.0, 0.0)), links)
    pos = plan(diagram, "loops").positions
    assert not inside(pos["x"], [pos["a"], pos["b"], pos["c"]])


def _ring(n: int) -> Diagram:
    """Every variable linked to every other, drawn on a circle."""
    positions = {
        f"v{i}": (500 * math.cos(2 * math.pi * i / n), 500 * math.sin(2 * math.pi * i / n))
        for i in range(n)
    }
    links = [(f"v{i}", f"v{j}") for i in range(n) for j in range(n) if i != j]
    return _diagram(positions, links, {k: f"Variable {k}" for k in positions})


def test_arrange_never_comes_out_worse_than_the_drawing() -> None:
    diagram = _ring(8)
    sizes = diagram_sizes(diagram)
    loops = chosen_loops(diagram)
    start = {v.id: (v.x, v.y) for v in diagram.variables}
    # The drawing with only its links bent again (nothing moves).
    tidied, bends = repair(diagram, start, sizes, {}, set(), loops)
    drawn = {link.id: link.curvature for link in diagram.links}
    before = choose.faults(diagram, tidied, sizes, drawn | bends, loops)
    layout = plan(diagram, "loops")
    after = choose.faults(diagram, layout.positions, sizes, drawn | layout.curvatures, loops)
    assert after[:2] <= before[:2]  # links over variables, then crossings
    assert metrics.crossings(diagram, layout.positions, sizes, drawn | layout.curvatures) <= (
        metrics.crossings(diagram, start, sizes, drawn)
    )


@SETTINGS
@given(diagrams(max_variables=9))
def test_loops_from_a_drawing_is_no_worse_than_the_drawing(diagram: Diagram) -> None:
    sizes = diagram_sizes(diagram)
    start = {v.id: (v.x, v.y) for v in diagram.variables}
    if not choose.usable_start(start, sizes):
        return
    loops = chosen_loops(diagram)
    drawn = {link.id: link.curvature for link in diagram.links}
    from cld_editor.layout.boxes import separate

    # The drawing, boxes parted where they overlap, with only its links bent again.
    tidied, bends = repair(diagram, separate(start, sizes, set(start)), sizes, {}, set(), loops)
    layout = plan(diagram, "loops")
    after = choose.faults(diagram, layout.positions, sizes, drawn | layout.curvatures, loops)
    assert after[:2] <= choose.faults(diagram, tidied, sizes, drawn | bends, loops)[:2]
