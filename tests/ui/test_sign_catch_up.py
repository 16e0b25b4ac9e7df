"""Signs on the canvas after an open and during a drag: clear of each variable's own links at
once, clear of the links passing by in slices of the event loop afterwards, and then exactly
where a fresh layout (an export) puts them."""

from __future__ import annotations

import math
import random

from canvas_helpers import make_canvas
from PySide6.QtCore import QPointF

from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.drawing.link_layout import link_geometries


def dense(n: int, per_variable: int, seed: int) -> Diagram:
    """``n`` variables on a grid, each with links to ``per_variable`` random others."""
    rng = random.Random(seed)
    ids = [f"v{i}" for i in range(n)]
    variables = [Variable(id=v, x=140.0 * (i % 8), y=90.0 * (i // 8)) for i, v in enumerate(ids)]
    pairs = {(s, t) for s in ids for t in rng.sample(ids, per_variable) if s != t}
    links = [
        Link(id=f"{s}-{t}", source=s, target=t, polarity=rng.choice("+-")) for s, t in sorted(pairs)
    ]
    return Diagram(variables=variables, links=links)


def fresh_signs(canvas) -> dict[str, tuple[float, float]]:
    projection = canvas.scene._projection
    boxes = {v: item.box() for v, item in projection.variables.items()}
    links = [
        (link.id, link.source, link.target, link.curvature) for link in canvas.doc.diagram.links
    ]
    return {i: g.sign_pos for i, g in link_geometries(boxes, links).items()}


def drawn_signs(canvas) -> dict[str, tuple[float, float]]:
    layout = canvas.scene._projection.layout
    return {link.id: layout.geometry(link.id).sign_pos for link in canvas.doc.diagram.links}


def same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(math.dist(a[k], b[k]) < 1e-6 for k in a)


def test_signs_catch_up_after_an_open_and_after_a_drag(qtbot) -> None:
    diagram = dense(60, 3, seed=4)  # links pass by many variables
    canvas = make_canvas(qtbot, diagram)
    layout = canvas.scene._projection.layout
    qtbot.waitUntil(lambda: not layout.pending, timeout=10000)  # slices of the event loop
    assert same(drawn_signs(canvas), fresh_signs(canvas))
    # A drag: each step settles the moved links' ends; the rest follows once it pauses.
    item = canvas.scene.item_for(diagram.variables[0].id)
    start = item.pos()
    for step in range(1, 6):
        with canvas.scene.moves_batched(live=True):
            item.setPos(start + QPointF(25.0 * step, 15.0 * step))
    assert layout.pending  # the links it moved pass by other variables
    qtbot.waitUntil(lambda: not layout.pending, timeout=10000)
    assert same(drawn_signs(canvas), fresh_signs(canvas))
