"""Alignment guides through real mouse events: a dragged variable snaps to another's centre or
edge within a few pixels and guide lines show it; Alt turns snapping off; one Move per drag."""

from __future__ import annotations

from canvas_helpers import LEFT, make_canvas
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cld_editor.core.model import Diagram, Variable
from cld_editor.ui.canvas.tools.snapping import GuideItem


def three() -> Diagram:
    return Diagram(
        variables=[
            Variable(id="a", label="Alpha", x=-200, y=0),
            Variable(id="b", label="Beta", x=100, y=-150),
            Variable(id="c", label="Delta", x=100, y=150),
        ]
    )


def guides(c) -> list[GuideItem]:
    return [item for item in c.scene.items() if isinstance(item, GuideItem)]


def move_with(c, x: float, y: float, modifiers) -> None:
    """A mouse move with the left button down and ``modifiers`` held (QTest cannot hold Alt)."""
    port = c.port
    local = QPointF(c.at(x, y))
    event = QMouseEvent(
        QMouseEvent.Type.MouseMove, local, port.mapToGlobal(local), Qt.MouseButton.NoButton,
        LEFT, modifiers,
    )  # fmt: skip
    QApplication.sendEvent(port, event)


def test_a_drag_snaps_to_another_centre_and_shows_a_guide(qtbot) -> None:
    c = make_canvas(qtbot, three())
    QTest.mousePress(c.port, LEFT, Qt.KeyboardModifier.NoModifier, c.at(-200, 0))
    for step in range(1, 7):  # towards x = 103: 3 units (3 pixels at 100%) off b's centre
        QTest.mouseMove(c.port, c.at(-200 + 303 * step / 6, 0))
    shown = guides(c)
    assert shown and shown[0].lines
    assert any(line.x1() == line.x2() == 100 for line in shown[0].lines)
    QTest.mouseRelease(c.port, LEFT, Qt.KeyboardModifier.NoModifier, c.at(103, 0))
    assert c.doc.variables["a"].x == 100  # snapped onto b's and c's centre line
    assert c.doc.variables["a"].y == 0
    assert not guides(c)  # the guides leave with the drag
    assert c.stack.count() == 1 and c.stack.undoText() == "Move"


def test_edges_snap_to_edges(qtbot) -> None:
    c = make_canvas(qtbot, three())
    right_of_b = c.scene.item_for("b").box().cx + c.scene.item_for("b").box().hw
    a = c.scene.item_for("a").box()
    target_x = right_of_b + a.hw + 4  # a's left edge 4 units right of b's right edge
    c.drag((-200, 0), (target_x, 0))
    assert c.doc.variables["a"].x - a.hw == right_of_b


def test_alt_turns_snapping_off(qtbot) -> None:
    c = make_canvas(qtbot, three())
    QTest.mousePress(c.port, LEFT, Qt.KeyboardModifier.NoModifier, c.at(-200, 0))
    for step in range(1, 7):
        move_with(c, -200 + 303 * step / 6, 0, Qt.KeyboardModifier.AltModifier)
    assert not any(g.lines for g in guides(c))
    QTest.mouseRelease(c.port, LEFT, Qt.KeyboardModifier.AltModifier, c.at(103, 0))
    assert 101 <= c.doc.variables["a"].x <= 105  # where the mouse left it, not on b's centre


def test_far_from_everything_nothing_snaps(qtbot) -> None:
    c = make_canvas(qtbot, three())
    c.drag((-200, 0), (-120, 60))
    assert (c.doc.variables["a"].x, c.doc.variables["a"].y) == (-120, 60)
    assert not guides(c)
