"""After any Arrange, no loop label sits on a polarity sign or a delay mark as drawn: Arrange
places labels without Qt, blind to where the drawing puts the signs, and
:func:`overlay_places.labels_clear_of_marks` moves those that would cover one (a new user's
Iceberg left the "+" of Customer demand -> Workload on the "W" of "Workload brake")."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF

from cld_editor.core.model import Diagram
from cld_editor.formats.native import load_diagram
from cld_editor.layout import plan
from cld_editor.ui.drawing import render
from cld_editor.ui.drawing.overlay_places import (
    _arranged,
    labels_clear_of_marks,
    loop_label_parts,
)
from cld_editor.ui.drawing.render_diagram import DiagramLayout
from cld_editor.ui.drawing.render_overlays import loop_label_rect

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
STYLES = ("loops", "layered", "organic", "iceberg")


def ex_cx() -> Diagram:
    """The new user's diagram: EX and CX feeding each other, a balancing and a reinforcing
    loop, both labelled, one delayed link and one variable without a domain."""
    spots = {
        "v1": ("Employee engagement", "EX", -249, -84),
        "v2": ("Service quality", "CX", -89, -284),
        "v3": ("Customer satisfaction", "CX", 151, -284),
        "v4": ("Customer demand", "CX", 291, -64),
        "v5": ("Workload", "EX", 31, -64),
        "v6": ("Revenue", None, 151, 156),
        "v7": ("Training budget", "EX", -169, 156),
        "v8": ("Manager support", "EX", 257.4, -341.85),
    }
    links = [("v1", "v2", "+"), ("v2", "v3", "+"), ("v3", "v6", "+"), ("v6", "v7", "+")]
    links += [("v7", "v1", "+"), ("v3", "v4", "+"), ("v4", "v5", "+"), ("v5", "v1", "-")]
    return Diagram.model_validate(
        {
            "waterline": -215.1,
            "variables": [
                {"id": i, "label": label, "domain": domain, "x": x, "y": y}
                for i, (label, domain, x, y) in spots.items()
            ],
            "links": [
                {
                    "id": f"l{k}",
                    "source": s,
                    "target": t,
                    "polarity": p,
                    "delay": (s, t) == ("v6", "v7"),
                }
                for k, (s, t, p) in enumerate(links, start=1)
            ],
            "loop_labels": [
                {
                    "id": "loop1",
                    "loop": ["v1", "v2", "v3", "v4", "v5"],
                    "x": 26.33,
                    "y": -157.79,
                    "name": "Workload brake",
                },
                {
                    "id": "loop2",
                    "loop": ["v1", "v2", "v3", "v6", "v7"],
                    "x": -52.94,
                    "y": 12.9,
                    "name": "Service pays back",
                },
            ],
        }
    )


def covered_marks(diagram: Diagram, whole_rect: bool = False) -> list[tuple[str, str]]:
    """(label id, link id) of every sign or delay mark a loop label covers as drawn: its
    circle's square or its caption's strip (with ``whole_rect``, anywhere in the box around
    both)."""
    drawn = DiagramLayout.of(diagram, None)
    out = []
    for label in diagram.loop_labels:
        if whole_rect:
            parts = [loop_label_rect(drawn.looks[label.id]).translated(label.x, label.y)]
        else:
            parts = loop_label_parts(label.name, (label.x, label.y))
        for link in diagram.links:
            g = drawn.links[link.id].geometry
            marks = [QRectF(g.sign_pos[0] - 9, g.sign_pos[1] - 10, 18, 20)]
            if link.delay:
                marks.append(QRectF(g.mid[0] - 9, g.mid[1] - 9, 18, 18))
            if any(part.intersects(mark) for part in parts for mark in marks):
                out.append((label.id, link.id))
    return out


def sizes_of(diagram: Diagram) -> dict[str, tuple[float, float]]:
    shapes = {v.id: render.variable_shape(v.label) for v in diagram.variables}
    return {i: (shape.width, shape.height) for i, shape in shapes.items()}


@pytest.mark.parametrize("style", STYLES)
def test_after_arrange_no_sign_sits_on_a_loop_label(arranging_window, style: str) -> None:
    window = arranging_window
    window.files.load_diagram(ex_cx(), None)
    assert window.arrange.arrange(style)
    diagram = window.document.diagram
    assert covered_marks(diagram, whole_rect=True) == []
    # The canvas, once the variables have glided to their places, draws the signs where the
    # export layout does.
    window.arrange.glide.finish()
    layout = window.scene._projection.layout
    drawn = DiagramLayout.of(diagram, None)
    for link in diagram.links:
        canvas, export = layout.geometry(link.id).sign_pos, drawn.links[link.id].geometry.sign_pos
        assert math.dist(canvas, export) < 1e-6


def test_the_trial_s_iceberg_put_a_label_on_a_sign_and_now_moves_it() -> None:
    diagram = ex_cx()
    arranged = plan(diagram, "iceberg", sizes=sizes_of(diagram))
    assert covered_marks(_arranged(diagram, arranged))  # the layout alone cannot see the "+"
    cleared = labels_clear_of_marks(diagram, arranged)
    assert covered_marks(_arranged(diagram, cleared)) == []
    moved = {k for k, spot in cleared.labels.items() if spot != arranged.labels[k]}
    assert moved == {"loop1"}  # Workload brake moves, Service pays back keeps its spot
    assert cleared.positions == arranged.positions
    assert cleared.curvatures == arranged.curvatures
    assert cleared.waterline == arranged.waterline


@pytest.mark.parametrize("name", ["experience-loop", "shifting-the-burden", "limits-to-growth"])
def test_every_style_on_the_examples_leaves_every_mark_uncovered(name: str) -> None:
    diagram = load_diagram(EXAMPLES / f"{name}.cld.json")
    for style in STYLES:
        arranged = plan(diagram, style, sizes=sizes_of(diagram))
        cleared = labels_clear_of_marks(diagram, arranged)
        assert covered_marks(_arranged(diagram, cleared)) == [], style
        for label_id, spot in cleared.labels.items():
            if not covered_marks(_arranged(diagram, arranged)):
                assert spot == arranged.labels[label_id]  # nothing covered: nothing moves


def test_a_moved_label_keeps_off_the_other_labels_and_the_waterline() -> None:
    diagram = ex_cx()
    cleared = _arranged(diagram, labels_clear_of_marks(diagram, plan(diagram, "iceberg")))
    rects = [loop_label_parts(label.name, (label.x, label.y)) for label in cleared.loop_labels]
    assert not any(a.intersects(b) for a in rects[0] for b in rects[1])
    for parts in rects:
        for part in parts:
            assert not part.top() <= cleared.waterline <= part.bottom()
