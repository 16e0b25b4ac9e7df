"""What new users stumbled on (issue 9.6): loop labels.

"Show label" must place a label where it overlaps no variable, link or other label, inside its
loop when there is room; and a label's whole area takes the mouse, so dragging a label that lies
over a variable never starts a link from that variable.
"""

from __future__ import annotations

import pytest
from canvas_helpers import LEFT, NONE, make_canvas
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath, QPainterPathStroker, QPolygonF
from PySide6.QtTest import QTest

from cld_editor.analysis.loops import find_loops
from cld_editor.core.model import Diagram, Link, LoopLabel, Variable
from cld_editor.ui.canvas.items import LinkItem, LoopLabelItem, VariableItem
from cld_editor.ui.undo import push_op
from cld_editor.ui.window.panels.loops_panel import LoopsPanel

SQUARE = ["a", "b", "c", "d"]


def crowded_square() -> Diagram:
    """A loop a -> b -> c -> d -> a drawn as a diamond, whose middle is taken: a variable sits
    there, a straight link a -> c runs through it and the label of the loop a -> c -> d sits
    below it."""
    variables = [
        Variable(id="a", label="Employee engagement", x=-220, y=0),
        Variable(id="b", label="Service quality", x=0, y=-170),
        Variable(id="c", label="Customer loyalty", x=220, y=0),
        Variable(id="d", label="Revenue", x=0, y=170),
        Variable(id="h", label="Morale", x=0, y=-40),
    ]
    ends = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("a", "c")]
    links = [Link(id=f"{s}{t}", source=s, target=t, curvature=0.0) for s, t in ends]
    labels = [LoopLabel(id="acd", loop=["a", "c", "d"], x=0, y=70, name="Growth")]
    return Diagram(variables=variables, links=links, loop_labels=labels)


@pytest.fixture
def canvas_and_panel(qtbot):
    c = make_canvas(qtbot, crowded_square())
    panel = LoopsPanel(c.doc, lambda op: push_op(c.stack, c.doc, op))
    qtbot.addWidget(panel)
    panel.show()
    panel.set_analysis(find_loops(c.doc.diagram))
    yield c, panel
    panel.detach()


def click_row_of(panel: LoopsPanel, members: list[str], qtbot) -> None:
    loops = panel.visible_loops()
    [row] = [r for r, loop in enumerate(loops) if set(loop.variables) == set(members)]
    rect = panel.table.visualRect(panel.proxy.index(row, 0))
    QTest.mouseClick(panel.table.viewport(), LEFT, NONE, rect.center())
    assert set(panel.selected_loop().variables) == set(members)


def stroke(path: QPainterPath, width: float = 2.0) -> QPainterPath:
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    return stroker.createStroke(path)


def test_show_label_places_it_inside_its_loop_over_nothing(canvas_and_panel, qtbot):
    c, panel = canvas_and_panel
    click_row_of(panel, SQUARE, qtbot)
    QTest.mouseClick(panel.show_label_button, LEFT)
    [label_id] = [i for i, lab in c.doc.loop_labels.items() if lab.loop_key != ("a", "c", "d")]
    label = c.scene.item_for(label_id)
    area = label.sceneBoundingRect()
    for item in c.scene.items():
        if isinstance(item, VariableItem):
            box = item.box()
            rect = QRectF(box.cx - box.hw, box.cy - box.hh, 2 * box.hw, 2 * box.hh)
            assert not area.intersects(rect), item.variable_id
        elif isinstance(item, LinkItem):
            assert not stroke(item.paths.line).intersects(area), item.link_id
            assert not item.paths.arrow.boundingRect().intersects(area), item.link_id
            sx, sy = item.geometry.sign_pos
            assert not QRectF(sx - 6, sy - 6, 12, 12).intersects(area), item.link_id
        elif isinstance(item, LoopLabelItem) and item is not label:
            assert not item.sceneBoundingRect().intersects(area)
    diamond = QPolygonF([c.scene.variable_scene_pos(v) for v in SQUARE])
    assert diamond.containsPoint(label.pos(), Qt.FillRule.OddEvenFill)
    # ... and not inside the labelled loop a -> c -> d, whose label it would seem to be.
    triangle = QPolygonF([c.scene.variable_scene_pos(v) for v in ("a", "c", "d")])
    assert not triangle.containsPoint(label.pos(), Qt.FillRule.OddEvenFill)


def test_show_label_with_a_name_keeps_its_caption_clear_too(canvas_and_panel, qtbot, monkeypatch):
    c, panel = canvas_and_panel
    click_row_of(panel, SQUARE, qtbot)
    from cld_editor.ui.window.panels import loop_label_edits

    monkeypatch.setattr(
        loop_label_edits.QInputDialog,
        "getText",
        staticmethod(lambda *a, **k: ("A rather long virtuous cycle", True)),
    )
    QTest.mouseClick(panel.rename_label_button, LEFT)
    label = next(i for i in c.scene.items() if isinstance(i, LoopLabelItem) and i.label_id != "acd")
    area = label.sceneBoundingRect()
    assert area.width() > 150  # the caption is part of the label's box
    for item in c.scene.items():
        if isinstance(item, VariableItem):
            assert not area.intersects(item.sceneBoundingRect().adjusted(8, 12, -8, -8))
        elif isinstance(item, LinkItem):
            assert not stroke(item.paths.line).intersects(area), item.link_id


def label_over_edge() -> Diagram:
    """A loop label whose circle lies on the top edge of the variable "a"."""
    variables = [
        Variable(id="a", label="Alpha", x=0, y=0),
        Variable(id="b", label="Beta", x=300, y=0),
    ]
    links = [Link(id="ab", source="a", target="b"), Link(id="ba", source="b", target="a")]
    return Diagram(
        variables=variables,
        links=links,
        loop_labels=[LoopLabel(id="L", loop=["a", "b"], x=0, y=-15)],
    )


@pytest.mark.parametrize("tool", ["select", "link"])
def test_dragging_a_label_over_a_variable_moves_the_label(qtbot, tool):
    c = make_canvas(qtbot, label_over_edge())
    c.scene.set_tool(tool)
    top = c.scene.item_for("a").box().cy - c.scene.item_for("a").box().hh
    assert abs(top - -15) < 1  # the label's centre is on the variable's edge
    c.drag((0, -15), (-40, -160))
    assert len(c.doc.links) == 2  # no link was started from "a"
    label = c.doc.loop_labels["L"]
    assert (label.x, label.y) == pytest.approx((-40, -160), abs=1.5)
    assert (c.doc.variables["a"].x, c.doc.variables["a"].y) == (0, 0)
    assert c.stack.undoText() == "Move loop label"


def test_a_label_over_a_variable_takes_the_hover_and_the_double_click(qtbot):
    c = make_canvas(qtbot, label_over_edge())
    variable = c.scene.item_for("a")
    box = variable.box()
    QTest.mouseMove(c.port, c.at(box.cx - box.hw + 4, box.cy + 8))  # beside the label
    qtbot.waitUntil(lambda: variable.ring is not None)
    QTest.mouseMove(c.port, c.at(0, -15))  # onto the label, over the variable's edge
    qtbot.waitUntil(lambda: variable.ring is None)
    renames: list[str] = []
    c.scene.loop_label_rename_requested.connect(renames.append)
    c.double_click(0, -8)  # the label, over the body of the variable
    assert renames == ["L"] and c.scene.label_editor() is None


def test_a_new_label_spot_avoids_a_variable_met_in_the_middle(qtbot):
    """The spot is chosen on the picture as drawn: a self-loop's label goes above its arc, and
    when something is already there, nearby instead."""
    from cld_editor.ui.window.panels.loop_label_edits import loop_label_position

    diagram = Diagram(
        variables=[
            Variable(id="a", label="Burnout", x=0, y=0),
            Variable(id="t", label="Turnover", x=40, y=-75),
        ],
        links=[Link(id="aa", source="a", target="a")],
    )
    c = make_canvas(qtbot, diagram)
    [loop] = find_loops(c.doc.diagram).loops
    x, y = loop_label_position(c.doc, loop)
    look_rect = QRectF(x - 22, y - 22, 44, 44)
    assert not look_rect.intersects(c.scene.item_for("t").sceneBoundingRect())
    assert not stroke(c.scene.item_for("aa").paths.line).intersects(look_rect)
    assert QPointF(x, y) != QPointF(0, 0)
