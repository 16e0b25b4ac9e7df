"""Links arriving at one variable from about the same direction get arrowheads (and polarity
signs) apart instead of on one spot; the canvas, a rebuilt scene and the exports agree."""

from __future__ import annotations

import math

from canvas_helpers import make_canvas
from PySide6.QtCore import Qt

from cld_editor.core.model import Diagram, Variable
from cld_editor.layout.aims import SPREAD_GAP
from cld_editor.ui.drawing import geometry as geo
from cld_editor.ui.drawing.render_diagram import _layout


def crowd() -> Diagram:
    """Two sources above the target, side by side: their links would meet at one spot."""
    return Diagram(
        variables=[
            Variable(id="t", label="Customer trust", x=0, y=0),
            Variable(id="p", label="Price", x=-20, y=-220),
            Variable(id="b", label="Brand", x=40, y=-230),
            Variable(id="w", label="Far away", x=-400, y=300),
        ]
    )


def draw_link(c, source: str, target: str) -> None:
    """With the link tool, drag from one variable's body to another's."""
    c.key(Qt.Key.Key_L)
    a, b = c.scene.item_for(source).box(), c.scene.item_for(target).box()
    c.drag((a.cx, a.cy), (b.cx, b.cy))
    c.key(Qt.Key.Key_V)
    assert c.doc.link_between(source, target) is not None


def geometry(c, source: str, target: str) -> geo.LinkGeometry:
    return c.scene.item_for(c.doc.link_between(source, target).id).geometry


def on_outline(box: geo.Box, point: geo.Point, angle: float) -> bool:
    ux, uy = math.cos(angle), math.sin(angle)
    before = (point[0] - ux * 0.05, point[1] - uy * 0.05)
    after = (point[0] + ux * 0.05, point[1] + uy * 0.05)
    return not box.contains(*before) and box.contains(*after)


def test_links_from_one_side_get_their_arrowheads_apart(qtbot):
    c = make_canvas(qtbot, crowd())
    c.view.centerOn(0, -100)
    draw_link(c, "p", "t")
    draw_link(c, "b", "t")
    target = c.scene.item_for("t").box()
    one, two = geometry(c, "p", "t"), geometry(c, "b", "t")
    centred = [
        geo.link_geometry(c.scene.item_for(s).box(), target, c.doc.link_between(s, "t").curvature)
        for s in ("p", "b")
    ]
    assert math.dist(centred[0].tip, centred[1].tip) < 8  # they would share one spot
    assert math.dist(one.tip, two.tip) >= SPREAD_GAP - 2
    assert math.dist(one.sign_pos, two.sign_pos) >= SPREAD_GAP - 2
    for g in (one, two):
        assert on_outline(target, g.tip, g.tip_angle)  # still exactly on the outline
    assert one.tip[0] < two.tip[0]  # in the order they come from: no crossing


def test_moving_a_source_away_lets_the_other_arrowhead_back_to_the_middle(qtbot):
    c = make_canvas(qtbot, crowd())
    c.view.centerOn(0, -100)
    draw_link(c, "p", "t")
    draw_link(c, "b", "t")
    c.scene.clearSelection()
    c.drag((40, -230), (300, 0))  # Brand to the right of the target
    assert c.doc.variables["b"].x == 300
    target = c.scene.item_for("t").box()
    alone = geo.link_geometry(c.scene.item_for("p").box(), target, 0.2)
    assert geometry(c, "p", "t").tip == alone.tip
    c.stack.undo()
    assert math.dist(geometry(c, "p", "t").tip, geometry(c, "b", "t").tip) >= SPREAD_GAP - 2


def test_the_canvas_a_rebuilt_scene_and_the_export_layout_agree(qtbot):
    c = make_canvas(qtbot, crowd())
    c.view.centerOn(0, -100)
    draw_link(c, "p", "t")
    draw_link(c, "b", "t")
    draw_link(c, "w", "t")
    c.drag((-20, -220), (10, -250))  # nudge Price by mouse
    live = {i: c.scene.item_for(i).geometry for i in c.doc.links}
    _, _, exported = _layout(c.doc.diagram)

    def close(a: geo.LinkGeometry, b: geo.LinkGeometry) -> bool:
        return math.dist(a.tip, b.tip) < 1e-6 and math.dist(a.sign_pos, b.sign_pos) < 1e-6

    assert all(close(live[i], exported[i].geometry) for i in live)
    c.scene.rebuild()
    assert all(close(live[i], c.scene.item_for(i).geometry) for i in live)
