"""Turning link bows over (layout/bows.py): a bow that runs into another link is turned to the
other side, and turning never leaves more crossings or a link over a variable."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from layout_strategies import diagrams

from cld_editor.core.model import Diagram
from cld_editor.layout import choose, metrics
from cld_editor.layout.bows import flip_bows
from cld_editor.layout.boxes import diagram_sizes
from cld_editor.layout.cycles import adjacency
from cld_editor.layout.finish import finish
from cld_editor.layout.organic import lay_out_organic
from cld_editor.layout.pack import by_piece, undirected


def _crossed_pair(bend: float) -> tuple[Diagram, dict, dict]:
    diagram = Diagram.model_validate(
        {
            "variables": [
                {"id": "a", "label": "a", "x": 0, "y": 0},
                {"id": "b", "label": "b", "x": 400, "y": 0},
                {"id": "c", "label": "c", "x": 200, "y": -60},
                {"id": "d", "label": "d", "x": 200, "y": -200},
                {"id": "e", "label": "e", "x": 200, "y": 60},
                {"id": "f", "label": "f", "x": 200, "y": 200},
            ],
            "links": [
                {"id": "ab", "source": "a", "target": "b", "curvature": bend},
                {"id": "cd", "source": "c", "target": "d"},
            ],
        }
    )
    pos = {v.id: (v.x, v.y) for v in diagram.variables}
    return diagram, pos, diagram_sizes(diagram)


def test_a_bow_running_into_a_link_turns_to_the_other_side() -> None:
    for bend in (0.3, -0.3):
        diagram, pos, sizes = _crossed_pair(bend)
        bends = {"ab": bend, "cd": 0.0}
        if metrics.crossings(diagram, pos, sizes, bends):
            break
    assert metrics.crossings(diagram, pos, sizes, bends) == 1
    turned = flip_bows(diagram, pos, sizes, bends)
    assert metrics.crossings(diagram, pos, sizes, turned) == 0
    assert metrics.links_over_variables(diagram, pos, sizes, turned) == 0
    assert turned["ab"] != bend


def test_a_bow_on_a_drawn_cycle_stays() -> None:
    for bend in (0.3, -0.3):
        diagram, pos, sizes = _crossed_pair(bend)
        bends = {"ab": bend, "cd": 0.0}
        if metrics.crossings(diagram, pos, sizes, bends):
            break
    assert flip_bows(diagram, pos, sizes, bends, loops=[("a", "b")]) == bends


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diagrams(max_variables=12))
def test_turning_never_makes_a_drawing_worse(diagram: Diagram) -> None:
    ids = [v.id for v in diagram.variables]
    sizes = diagram_sizes(diagram)
    old = {v.id: (v.x, v.y) for v in diagram.variables}
    neighbours = undirected(ids, adjacency(diagram, set(ids)))
    start = by_piece(ids, neighbours, sizes, lambda p: lay_out_organic(p, neighbours, sizes, 0))
    pos, bends = finish("organic", diagram, {**old, **start}, sizes, ids, [], {}, None)
    turned = flip_bows(diagram, pos, sizes, bends)
    drawn = {link.id: link.curvature for link in diagram.links}
    before = choose.faults(diagram, pos, sizes, drawn | bends, [])
    after = choose.faults(diagram, pos, sizes, drawn | turned, [])
    assert after[0] <= before[0] and after[1] <= before[1]
    assert turned == flip_bows(diagram, pos, sizes, bends)


def test_layered_turns_bows_over_up_to_its_size_only(monkeypatch) -> None:
    """Layered asks for bows to be turned over on a diagram of up to LAYERED_BOWS_UP_TO
    variables, and not above (where it would cost the style its time goal)."""
    import importlib

    plan_module = importlib.import_module("cld_editor.layout.plan")
    plan = plan_module.plan

    calls: list[int] = []

    def spy(diagram, positions, box, curvatures, loops):
        calls.append(len(positions))
        return curvatures

    monkeypatch.setattr(plan_module, "flip_bows", spy)
    ids = [f"v{i}" for i in range(6)]
    small = Diagram.model_validate(
        {
            "variables": [{"id": v, "x": 0, "y": 0} for v in ids],
            "links": [
                {"source": a, "target": b} for a, b in zip(ids, ids[1:] + ids[:1], strict=True)
            ],
        }
    )
    plan(small, "layered")
    assert calls == [6]
    monkeypatch.setattr(plan_module, "LAYERED_BOWS_UP_TO", 5)
    plan(small, "layered")
    assert calls == [6]
