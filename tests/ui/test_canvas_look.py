"""How the canvas draws what a newcomer looks at: a self-link's arrowhead and sign. Measured on
the geometry and pixels of the real view after driving it with the mouse and keys."""

from __future__ import annotations

import math

from canvas_helpers import LEFT, NONE, make_canvas, two_variables
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cld_editor.core.model import Link


def draw_self_link(c, variable_id: str) -> Link:
    """With the link tool: press on the variable, leave it, come back and release."""
    c.key(Qt.Key.Key_L)
    box = c.scene.item_for(variable_id).box()
    QTest.mousePress(c.port, LEFT, NONE, c.at(box.cx, box.cy))
    QTest.mouseMove(c.port, c.at(box.cx, box.cy - 100))
    QTest.mouseMove(c.port, c.at(box.cx, box.cy + 2))
    QTest.mouseRelease(c.port, LEFT, NONE, c.at(box.cx, box.cy + 2))
    c.key(Qt.Key.Key_V)
    [link] = [k for k in c.doc.links.values() if k.source == k.target == variable_id]
    return link


def distance_to_path(path, point: tuple[float, float]) -> float:
    return min(
        math.dist(point, (p.x(), p.y()))
        for p in (path.pointAtPercent(i / 2000) for i in range(2001))
    )


def test_a_self_link_has_an_arrowhead_following_its_arc_into_the_outline(qtbot):
    c = make_canvas(qtbot, two_variables())
    link = draw_self_link(c, "a")
    item = c.scene.item_for(link.id)
    g = item.geometry
    box = c.scene.item_for("a").box()
    tip, wing1, notch, wing2 = g.arrow
    assert tip == g.tip
    ux, uy = tip[0] - notch[0], tip[1] - notch[1]
    n = math.hypot(ux, uy)
    ux, uy = ux / n, uy / n
    # The arrow points into the variable: its tip is on the outline, just past it is inside.
    assert not box.contains(tip[0] - ux * 0.1, tip[1] - uy * 0.1)
    assert box.contains(tip[0] + ux * 0.5, tip[1] + uy * 0.5)
    assert uy > 0.7  # it comes down into the top edge, not along it
    # Its back sits on the arc (a tangent arrowhead sticks out of a tight loop).
    base = ((wing1[0] + wing2[0]) / 2, (wing1[1] + wing2[1]) / 2)
    assert distance_to_path(item.paths.line, base) < 0.6
    # The sign is beside the arrowhead, off the line.
    assert math.dist(g.sign_pos, tip) < 28
    assert distance_to_path(item.paths.line, g.sign_pos) > 8
    # And it is drawn: the middle of the arrowhead is link-coloured on the screen.
    image = c.view.viewport().grab().toImage()
    centre = c.at((tip[0] + notch[0] + wing1[0]) / 3, (tip[1] + notch[1] + wing2[1]) / 3)
    assert image.pixelColor(centre).lightness() < 150
