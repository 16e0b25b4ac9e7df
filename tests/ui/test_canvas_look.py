"""How the canvas draws what a newcomer looks at: a self-link's arrowhead and sign, polarity signs
that read equally well, the water's tint, and the hint on an empty canvas. Measured on the pixels
of the real view after driving it with the mouse and keys."""

from __future__ import annotations

import math

from canvas_helpers import LEFT, NONE, make_canvas, two_variables
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtTest import QTest

from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.drawing import render, render_links


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


# -- polarity signs --------------------------------------------------------------------------
def luminance(colour: QColor) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def contrast(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def water_on_white() -> QColor:
    water = render.WATER_FILL
    a = water.alphaF()
    return QColor.fromRgbF(*(1 - a + a * v for v in (water.redF(), water.greenF(), water.blueF())))


def painted_sign(polarity: str, background: QColor) -> tuple[float, int]:
    """(thickness, length) in pixels of the horizontal bar of a sign drawn by the shared paint
    code (canvas and exports) at 100 % on ``background``."""
    image = QImage(40, 40, QImage.Format.Format_ARGB32)
    image.fill(background)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    render_links.paint_sign(painter, (20.0, 20.3), polarity, False, static_text=False)
    painter.end()
    back, ink = luminance(background), luminance(render.SIGN_COLOURS[polarity])

    def coverage(x: int, y: int) -> float:
        lum = luminance(image.pixelColor(x, y))
        return max(0.0, min(1.0, (back - lum) / (back - ink)))

    row = [x for x in range(40) if coverage(x, 20) > 0.5]
    length = max(row) - min(row) + 1 if row else 0
    # Down the columns of the bar's left end, clear of the plus's upright.
    columns = [x for x in row if x < 17]
    thickness = sum(coverage(x, y) for x in columns for y in range(40)) / max(len(columns), 1)
    return thickness, length


def test_minus_is_as_heavy_long_and_contrasted_as_plus_on_white_and_on_water(qtbot):
    for background in (QColor("white"), water_on_white()):
        plus_bar, plus_length = painted_sign("+", background)
        minus_bar, minus_length = painted_sign("-", background)
        assert minus_length >= 9 and abs(minus_length - plus_length) <= 1
        assert minus_bar >= 2.2 and abs(minus_bar - plus_bar) < 0.3, (minus_bar, plus_bar)
        back = luminance(background)
        plus = contrast(back, luminance(render.SIGN_COLOURS["+"]))
        minus = contrast(back, luminance(render.SIGN_COLOURS["-"]))
        assert minus >= 4.5 and minus >= plus - 0.1, (minus, plus)


def test_pressing_minus_on_a_link_draws_the_minus_bar_on_the_canvas(qtbot):
    variables = [
        Variable(id="a", label="Alpha", x=-150, y=0),
        Variable(id="b", label="Beta", x=150, y=0),
    ]
    c = make_canvas(
        qtbot,
        Diagram(variables=variables, links=[Link(id="l", source="a", target="b", curvature=0.0)]),
    )
    c.click(0, 0)
    assert c.scene.selected_link_ids() == ["l"]
    c.key(Qt.Key.Key_Minus)
    assert c.doc.links["l"].polarity == "-"
    c.click(0, 250)  # deselect: a selected link is drawn in the accent colour
    image = c.view.viewport().grab().toImage()
    centre = c.at(*c.scene.item_for("l").geometry.sign_pos)
    red = render.SIGN_COLOURS["-"]
    for dx in (-4, 0, 4):  # along the bar, its full colour
        pixel = image.pixelColor(centre.x() + dx, centre.y())
        assert max(abs(pixel.red() - red.red()), abs(pixel.green() - red.green())) < 40, (
            pixel.name()
        )
    assert image.pixelColor(centre.x(), centre.y() - 5).lightness() > 200  # no upright


def test_the_water_is_not_tinted_like_cx_variables():
    def hue(colour: QColor) -> float:
        # The band as painted on white.
        alpha = colour.alphaF()
        mixed = QColor.fromRgbF(
            *(1 - alpha + alpha * v for v in (colour.redF(), colour.greenF(), colour.blueF()))
        )
        return mixed.hslHueF() * 360

    water = hue(render.WATER_FILL)
    for cx in (render.DOMAIN_STYLES["CX"].fill, render.DOMAIN_STYLES["CX"].border):
        assert abs(water - cx.hslHueF() * 360) > 25, (water, cx.hslHueF() * 360)
    assert abs(render.WATER_LINE.hslHueF() * 360 - render.ACCENT.hslHueF() * 360) > 25


# -- empty canvas ----------------------------------------------------------------------------
def ink_in_middle(c) -> int:
    """Non-background pixels in a band across the middle of the viewport (the dot grid is
    fainter than the threshold)."""
    image = c.view.viewport().grab().toImage()
    mid = image.height() // 2
    count = 0
    for y in range(mid - 30, mid + 30):
        for x in range(0, image.width(), 2):
            if image.pixelColor(x, y).lightness() < 200:
                count += 1
    return count


def test_an_empty_canvas_shows_a_hint_until_there_is_a_variable(qtbot):
    c = make_canvas(qtbot)
    assert c.view.empty_hint_shown()
    assert ink_in_middle(c) > 100  # the hint's text
    assert "Double-click" in c.view.EMPTY_HINT
    # Not part of the picture of the diagram (exports draw the scene, not the view).
    assert c.scene.items() == []
    # Scrolling keeps it whole, centred: no smeared copies.
    c.view.horizontalScrollBar().setValue(c.view.horizontalScrollBar().value() + 37)
    qtbot.wait(10)
    assert ink_in_middle(c) > 100
    c.double_click(-300, -250)  # top left, away from the hint
    assert not c.view.empty_hint_shown()  # not while the first label is typed
    c.key(Qt.Key.Key_Escape)
    qtbot.waitUntil(c.view.empty_hint_shown)
    c.double_click(-300, -250)
    c.type("Trust")
    c.key(Qt.Key.Key_Return)
    assert len(c.doc.variables) == 1
    qtbot.waitUntil(lambda: ink_in_middle(c) == 0)
    assert not c.view.empty_hint_shown()
    c.stack.undo()
    qtbot.waitUntil(lambda: ink_in_middle(c) > 100)


def test_no_hint_on_a_diagram_with_variables(qtbot):
    c = make_canvas(qtbot, two_variables())
    c.view.centerOn(QPointF(0, 400))
    assert not c.view.empty_hint_shown()
    assert ink_in_middle(c) == 0
