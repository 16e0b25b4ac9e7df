"""The view: zoom around the cursor, zoom steps, fit, actual size, panning, context menus."""

import pytest
from canvas_helpers import LEFT, NONE, make_canvas, two_variables
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

CTRL = Qt.KeyboardModifier.ControlModifier


def wheel(view, at: QPoint, steps: int, modifiers) -> None:
    pos = QPointF(at)
    event = QWheelEvent(
        pos,
        QPointF(view.viewport().mapToGlobal(at)),
        QPoint(),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def test_ctrl_wheel_zooms_around_the_cursor(qtbot):
    c = make_canvas(qtbot, two_variables())
    at = c.at(150, 0)
    wheel(c.view, at, 2, CTRL)
    assert c.view.zoom_factor() == pytest.approx(1.25**2)
    # The scene point under the cursor stayed under the cursor.
    under = c.view.mapToScene(at)
    assert abs(under.x() - 150) < 2 and abs(under.y()) < 2
    wheel(c.view, at, -2, CTRL)
    assert c.view.zoom_factor() == pytest.approx(1.0)
    wheel(c.view, at, 1, NONE)  # a plain wheel scrolls, it does not zoom
    assert c.view.zoom_factor() == pytest.approx(1.0)


def test_zoom_steps_fit_and_actual_size(qtbot):
    c = make_canvas(qtbot, two_variables())
    c.view.zoom_in()
    assert c.view.zoom_factor() == pytest.approx(1.25)
    c.view.zoom_out()
    c.view.zoom_out()
    assert c.view.zoom_factor() == pytest.approx(0.8)
    c.view.fit_diagram()  # a small diagram is not blown up beyond 100 %
    assert c.view.zoom_factor() == pytest.approx(1.0)
    content = c.scene.items_bounding_rect()
    assert c.view.mapToScene(c.view.viewport().rect()).boundingRect().contains(content)
    c.view.set_zoom(3.0)
    c.view.actual_size()
    assert c.view.zoom_factor() == pytest.approx(1.0)
    c.view.center_on_variable("b")
    centre = c.view.mapToScene(c.view.viewport().rect().center())
    assert abs(centre.x() - 150) < 2


def test_middle_drag_and_space_drag_pan_without_editing(qtbot):
    c = make_canvas(qtbot, two_variables())
    c.scene.setSceneRect(-3000, -3000, 6000, 6000)
    before = c.view.mapToScene(c.view.viewport().rect().center())
    middle = Qt.MouseButton.MiddleButton
    QTest.mousePress(c.port, middle, NONE, QPoint(400, 300))
    QTest.mouseMove(c.port, QPoint(350, 260))
    QTest.mouseRelease(c.port, middle, NONE, QPoint(350, 260))
    after = c.view.mapToScene(c.view.viewport().rect().center())
    assert (after.x() - before.x(), after.y() - before.y()) == pytest.approx((50, 40), abs=1.5)
    # Space held: a left drag over a variable pans instead of moving it.
    QTest.keyPress(c.view, Qt.Key.Key_Space)
    start = c.at(-150, 0)
    QTest.mousePress(c.port, LEFT, NONE, start)
    QTest.mouseMove(c.port, start + QPoint(30, 0))
    QTest.mouseRelease(c.port, LEFT, NONE, start + QPoint(30, 0))
    QTest.keyRelease(c.view, Qt.Key.Key_Space)
    assert c.stack.count() == 0 and c.doc.variables["a"].x == -150
    later = c.view.mapToScene(c.view.viewport().rect().center())
    assert later.x() == pytest.approx(after.x() - 30, abs=1.5)


def _choose_from_menu(text: str, seen: list[str]) -> None:
    def pick() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, pick)
            return
        seen.extend(action.text() for action in menu.actions() if action.text())
        for action in menu.actions():
            if action.text() == text:
                action.trigger()
        menu.close()

    QTimer.singleShot(20, pick)


def test_context_menus_on_links_and_variables(qtbot):
    c = make_canvas(qtbot, two_variables(link=True))
    seen: list[str] = []
    mid = c.scene.item_for("l1").geometry.mid
    _choose_from_menu("Polarity \u2212\t-", seen)
    _context_menu(c, mid)
    assert c.doc.links["l1"].polarity == "-"
    assert {"Polarity +\t+", "Polarity ?\t?", "Delay\tD", "Straighten", "Delete\tDel"} <= set(seen)
    seen.clear()
    _choose_from_menu("Domain EX\tE", seen)
    _context_menu(c, (150, 0))
    assert c.doc.variables["b"].domain == "EX"
    assert {"Domain CX\tC", "No domain\tN", "Rename\tF2", "Delete\tDel"} <= set(seen)


def test_the_keys_shown_in_context_menus_do_what_the_menu_does(qtbot):
    c = make_canvas(qtbot, two_variables(link=True))
    seen: list[str] = []
    _choose_from_menu("", seen)  # just look
    _context_menu(c, c.scene.item_for("l1").geometry.mid)
    keys = {text.split("\t")[0]: text.split("\t")[1] for text in seen if "\t" in text}
    assert keys["Polarity ?"] == "?" and keys["Delay"] == "D"
    # The key shown does the same on the selected link (the menu selected it).
    assert c.scene.selected_link_ids() == ["l1"]
    c.key(Qt.Key.Key_Question)
    c.key(Qt.Key.Key_D)
    assert (c.doc.links["l1"].polarity, c.doc.links["l1"].delay) == ("?", True)


def _context_menu(c, at) -> None:
    pos = c.at(*at)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, pos, c.port.mapToGlobal(pos), Qt.KeyboardModifier(0)
    )
    QApplication.sendEvent(c.port, event)


def test_context_menu_on_empty_canvas_offers_a_new_variable(qtbot):
    c = make_canvas(qtbot, two_variables())
    _choose_from_menu("New Variable Here", [])
    _context_menu(c, (0, 150))
    assert c.scene.label_editor() is not None
    c.type("Trust")
    c.key(Qt.Key.Key_Return)
    assert [(v.label, v.x, v.y) for v in c.doc.variables.values()][-1] == ("Trust", 0, 150)


def test_hovering_a_variables_edge_shows_the_link_ring(qtbot):
    c = make_canvas(qtbot, two_variables())
    messages: list[str] = []
    c.scene.status_message.connect(messages.append)
    item = c.scene.item_for("a")
    box = item.box()
    # From empty canvas first, so the pointer enters the variable whatever came before.
    QTest.mouseMove(c.port, c.at(0, 200))
    QTest.mouseMove(c.port, c.at(box.cx, box.cy))
    qtbot.waitUntil(lambda: item.ring == "hover")
    QTest.mouseMove(c.port, c.at(box.cx, box.cy - box.hh + 1))
    qtbot.waitUntil(lambda: item.ring == "edge")
    assert "link" in messages[-1]
    QTest.mouseMove(c.port, c.at(0, 200))
    qtbot.waitUntil(lambda: item.ring is None)
