"""A link drawn by hand bows around a variable in its way (a new user saw one clip a box)."""

from __future__ import annotations

from canvas_helpers import make_canvas
from PySide6.QtCore import Qt

from cld_editor.core.model import DEFAULT_CURVATURE, Diagram, Variable
from cld_editor.layout.boxes import Grid
from cld_editor.layout.boxes import Rect as Box
from cld_editor.layout.links import arc_points, blocking

ALT = Qt.KeyboardModifier.AltModifier


def _boxes(c) -> dict[str, Box]:
    out = {}
    for vid in c.doc.variables:
        b = c.scene.item_for(vid).box()
        out[vid] = Box(b.cx, b.cy, b.hw, b.hh)
    return out


def _passes_over(c, link) -> set[str]:
    boxes = _boxes(c)
    p0 = (boxes[link.source].cx, boxes[link.source].cy)
    p1 = (boxes[link.target].cx, boxes[link.target].cy)
    grid = Grid(boxes, cell=120.0)
    return blocking(arc_points(p0, p1, link.curvature), grid, (link.source, link.target))


def test_a_link_drawn_past_a_variable_bows_around_it(qtbot) -> None:
    diagram = Diagram(
        variables=[
            Variable(id="a", label="Workload", x=-250, y=0),
            Variable(id="b", label="Employee engagement", x=250, y=0),
            Variable(id="c", label="Revenue", x=0, y=-95),  # on the default bow's arc
        ]
    )
    c = make_canvas(qtbot, diagram)
    c.drag((-250, 0), (250, 0), ALT)
    link = c.doc.link_between("a", "b")
    assert link is not None
    as_default = link.model_copy(update={"curvature": DEFAULT_CURVATURE})
    assert _passes_over(c, as_default) == {"c"}  # the default bow would run over Revenue
    assert link.curvature != DEFAULT_CURVATURE
    assert _passes_over(c, link) == set()
    assert c.stack.count() == 1  # still one step: the bend is part of adding the link
    c.stack.undo()
    assert not c.doc.links


def test_a_link_with_nothing_in_its_way_keeps_the_default_bow(qtbot) -> None:
    diagram = Diagram(
        variables=[
            Variable(id="a", label="Workload", x=-250, y=0),
            Variable(id="b", label="Employee engagement", x=250, y=0),
            Variable(id="c", label="Revenue", x=0, y=300),
        ]
    )
    c = make_canvas(qtbot, diagram)
    c.drag((-250, 0), (250, 0), ALT)
    assert c.doc.link_between("a", "b").curvature == DEFAULT_CURVATURE
