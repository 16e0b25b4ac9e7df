"""The arrowhead-spreading rule has one home (layout.aims): the layouts, applying it to their
boxes, aim every link exactly where the canvas (ui/drawing/link_layout.py) aims it, rounded
corners included, so a layout checks links as they are drawn."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from layout_strategies import diagrams

from cld_editor.core.model import Diagram
from cld_editor.formats.native import load_diagram
from cld_editor.layout import plan
from cld_editor.layout.aims import CORNER_RADIUS, arrival_aims, drawn_tip
from cld_editor.layout.boxes import diagram_sizes, rects
from cld_editor.ui.drawing.geometry import Box, link_geometry
from cld_editor.ui.drawing.link_layout import link_geometries

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.json"))
EXAMPLES = [p for p in EXAMPLES if p.name != "index.json"]


def _apex(p0, p1, c):
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    chord = math.hypot(dx, dy)
    mx, my = (p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2
    if abs(c) < 1e-3 or chord < 1e-9:
        return (mx, my)
    return (mx + dy / chord * c * chord, my - dx / chord * c * chord)


def differences(diagram: Diagram, pos, bends) -> list[float]:
    """For each link: how far the apex of its arc as the layout aims it lies from the bend
    handle (the apex) of the arc the canvas draws."""
    sizes = diagram_sizes(diagram)
    boxes = {
        v: Box(x, y, sizes[v][0] / 2, sizes[v][1] / 2, CORNER_RADIUS) for v, (x, y) in pos.items()
    }
    drawn = link_geometries(
        boxes, [(k.id, k.source, k.target, bends.get(k.id, k.curvature)) for k in diagram.links]
    )
    aims = arrival_aims(diagram.links, pos, rects(pos, sizes), bends)
    out = []
    for link in diagram.links:
        if link.source == link.target or pos[link.source] == pos[link.target]:
            continue
        ax, ay = aims.get(link.id, (0.0, 0.0))
        tx, ty = pos[link.target]
        apex = _apex(pos[link.source], (tx + ax, ty + ay), bends.get(link.id, link.curvature))
        out.append(math.dist(apex, drawn[link.id].handle))
    return out


EXACT = 1e-3  # scene units: the same arc to well under a pixel


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("style", ["hand", "loops", "layered"])
def test_links_are_aimed_where_the_canvas_aims_them(path: Path, style: str) -> None:
    diagram = load_diagram(path)
    if style == "hand":
        pos = {v.id: (v.x, v.y) for v in diagram.variables}
        bends = {}
    else:
        layout = plan(diagram, style)
        pos, bends = layout.positions, layout.curvatures
    assert max(differences(diagram, pos, bends), default=0.0) < EXACT


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diagrams())
def test_aims_agree_after_any_layout(diagram: Diagram) -> None:
    layout = plan(diagram, "loops")
    assert max(differences(diagram, layout.positions, layout.curvatures), default=0.0) < EXACT


def test_ignoring_the_spread_would_be_seen() -> None:
    # Three links arriving side by side at one target: the canvas spreads them.
    diagram = Diagram.model_validate(
        {
            "variables": [
                {"id": "t", "label": "Target", "x": 0, "y": 0},
                *({"id": f"s{k}", "label": f"S{k}", "x": 300, "y": 6.0 * k} for k in range(3)),
            ],
            "links": [
                {"source": f"s{k}", "target": "t", "polarity": "+", "curvature": 0.0}
                for k in range(3)
            ],
        }
    )
    pos = {v.id: (v.x, v.y) for v in diagram.variables}
    assert max(differences(diagram, pos, {})) < EXACT
    assert arrival_aims(diagram.links, pos, rects(pos, diagram_sizes(diagram)), {})


@pytest.mark.parametrize("curvature", [0.0, 0.15, -0.35, 0.6])
def test_tips_are_found_on_the_rounded_outline_as_drawn(curvature: float) -> None:
    # Arcs arriving all round a target, many through its rounded corners: the layout's tip is
    # the drawing's, where a square-cornered box would put it up to several units away.
    target = Box(0.0, 0.0, 50.0, 16.0, CORNER_RADIUS)
    source_hw = 30.0
    worst = 0.0
    for k in range(72):
        a = 2 * math.pi * k / 72
        source = Box(200 * math.cos(a), 120 * math.sin(a), source_hw, 15.0, CORNER_RADIUS)
        drawn = link_geometry(source, target, curvature)
        tip = drawn_tip((source.cx, source.cy), (0.0, 0.0), curvature, target)
        assert tip is not None
        worst = max(worst, math.dist(tip[0], drawn.tip))
        turn = (tip[1] - drawn.tip_angle + math.pi) % (2 * math.pi) - math.pi
        assert abs(turn) < 1e-6
    assert worst < EXACT
