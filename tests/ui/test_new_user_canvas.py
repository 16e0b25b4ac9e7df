"""What new users stumbled on (issue 9.6) on the canvas: picking links, clearing the loop
highlight, the empty-canvas context menu and the hover ring, all with real mouse and keys."""

from __future__ import annotations

import math

import pytest
from canvas_helpers import LEFT, NONE, context_menu_entries, make_canvas, two_variables
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from window_helpers import Dialogs, open_window, use_temp_settings, wait_for_analysis

from cld_editor.analysis.loops import find_loops
from cld_editor.core import edits
from cld_editor.ui.drawing import geometry as geo
from cld_editor.ui.window.clipboard import PASTE_OFFSET

#: The pick area asked for: about 8 view pixels either side of a link's line.
PICK_PIXELS = 8.0


def _off_the_line(c, link_id: str, pixels: float) -> QPoint:
    """A viewport point ``pixels`` view pixels from the link's line, a third of the way along
    it (away from the sign near its tip and from the bend handle at its middle), outside the
    arc's bow."""
    item = c.scene.item_for(link_id)
    g = item.geometry
    line = [c.view.mapFromScene(QPointF(x, y)) for x, y in geo.polyline(g.start, g.cubics, 12)]
    k = len(line) // 3
    before, at, after = line[k - 1], line[k], line[k + 1]
    dx, dy = after.x() - before.x(), after.y() - before.y()
    length = math.hypot(dx, dy)
    nx, ny = dy / length, -dx / length
    ox, oy = g.outward
    side = 1.0 if nx * ox + ny * oy > 0 else -1.0
    return QPoint(round(at.x() + side * nx * pixels), round(at.y() + side * ny * pixels))


@pytest.mark.parametrize("zoom", [0.5, 1.0, 2.0])
def test_a_curved_link_is_picked_within_8_view_pixels_of_its_line(qtbot, zoom):
    c = make_canvas(qtbot, two_variables(curvature=0.35, link=True))
    c.view.resetTransform()
    c.view.scale(zoom, zoom)
    c.view.centerOn(0, 0)
    QTest.mouseClick(c.port, LEFT, NONE, _off_the_line(c, "l1", PICK_PIXELS - 1.5))
    assert c.scene.selected_link_ids() == ["l1"]
    QTest.mouseClick(c.port, LEFT, NONE, c.at(0, 250))  # empty canvas
    assert c.scene.selected_link_ids() == []
    QTest.mouseClick(c.port, LEFT, NONE, _off_the_line(c, "l1", PICK_PIXELS + 6))
    assert c.scene.selected_link_ids() == []  # beyond reach: still empty canvas


def test_ctrl_click_near_a_link_adds_it_and_a_right_click_there_offers_its_menu(qtbot):
    c = make_canvas(qtbot, two_variables(curvature=0.35, link=True))
    c.view.resetTransform()
    c.view.scale(0.5, 0.5)
    c.view.centerOn(0, 0)
    c.click(-150, 0)
    QTest.mouseClick(c.port, LEFT, Qt.KeyboardModifier.ControlModifier, _off_the_line(c, "l1", 6))
    assert c.scene.selected_link_ids() == ["l1"] and c.scene.selected_variable_ids() == ["a"]
    seen = _menu_entries(c, _off_the_line(c, "l1", 6))
    assert "Straighten" in seen and "New Variable Here" not in seen


def test_a_double_click_near_a_link_makes_no_variable_but_farther_away_it_does(qtbot):
    c = make_canvas(qtbot, two_variables(curvature=0.35, link=True))
    c.view.resetTransform()
    c.view.scale(0.5, 0.5)
    c.view.centerOn(0, 0)
    near = _off_the_line(c, "l1", PICK_PIXELS - 2)
    QTest.mouseClick(c.port, LEFT, NONE, near)
    QTest.mouseDClick(c.port, LEFT, NONE, near)
    assert c.scene.label_editor() is None and c.scene.selected_link_ids() == ["l1"]
    far = _off_the_line(c, "l1", PICK_PIXELS + 30)
    QTest.mouseClick(c.port, LEFT, NONE, far)
    QTest.mouseDClick(c.port, LEFT, NONE, far)
    assert c.scene.label_editor() is not None


def _menu_entries(c, pos: QPoint, choose: str | None = None) -> list[str]:
    return context_menu_entries(c.port, pos, choose)


def test_a_click_on_empty_canvas_clears_the_loop_highlight(qtbot):
    c = make_canvas(qtbot, two_variables(link=True))
    c.scene.push(edits.add_link(c.doc, "b", "a"))
    [loop] = find_loops(c.doc.diagram).loops
    c.scene.set_highlighted_loop(loop)
    c.drag((-300, 200), (-250, 250))  # a rubber band is not a click: the highlight stays
    assert c.scene.highlighted_loop() == loop
    c.click(0, 250)
    assert c.scene.highlighted_loop() is None
    assert not any(getattr(i, "dimmed", False) for i in c.scene.items())


def test_drawing_a_link_leaves_no_hover_ring_on_its_source(qtbot):
    c = make_canvas(qtbot, two_variables())
    a = c.scene.item_for("a")
    box = a.box()
    edge = (box.cx + box.hw - 2, box.cy)
    QTest.mouseMove(c.port, c.at(box.cx, box.cy))
    QTest.mouseMove(c.port, c.at(*edge))
    qtbot.waitUntil(lambda: a.ring == "edge")
    c.drag(edge, (150, 0))
    assert len(c.doc.links) == 1
    assert a.ring is None and a.cursor().shape() != Qt.CursorShape.CrossCursor


# -- in the editor's window ---------------------------------------------------------------------


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    use_temp_settings(tmp_path / "settings")
    Dialogs().install(monkeypatch)
    window = open_window(qtbot)
    yield window
    window.undo_stack.clear()


def _highlight_first_loop(window, qtbot) -> None:
    panel = window.loops_panel
    rect = panel.table.visualRect(panel.proxy.index(0, 0))
    QTest.mouseClick(panel.table.viewport(), LEFT, NONE, rect.center())
    assert window.scene.highlighted_loop() is not None


def test_esc_clears_the_highlight_from_anywhere_in_the_loops_panel(window, qtbot):
    panel = window.loops_panel
    for widget in (panel.table, panel.type_filter, panel.through_selection, panel.summary):
        _highlight_first_loop(window, qtbot)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        focused = QApplication.focusWidget() or panel.table
        QTest.keyClick(focused, Qt.Key.Key_Escape)
        assert window.scene.highlighted_loop() is None, widget
        assert panel.selected_loop() is None


def test_a_click_on_empty_canvas_clears_the_highlight_and_the_panels_row(window, qtbot):
    _highlight_first_loop(window, qtbot)
    view = window.view
    empty = _empty_spot(window)
    QTest.mouseClick(view.viewport(), LEFT, NONE, empty)
    assert window.scene.highlighted_loop() is None
    assert window.loops_panel.selected_loop() is None


def _empty_spot(window) -> QPoint:
    """A viewport point with nothing within 20 pixels of it."""
    view = window.view
    port = view.viewport().rect()
    for y in range(20, port.height() - 20, 15):
        for x in range(20, port.width() - 20, 15):
            area = view.mapToScene(x - 20, y - 20, 40, 40).boundingRect()
            if not any(i.isVisible() and i.zValue() >= 0 for i in window.scene.items(area)):
                return QPoint(x, y)
    raise AssertionError("no empty spot on the canvas")


def test_empty_canvas_menu_offers_paste_select_all_fit_waterline_and_a_new_variable(window, qtbot):
    class C:  # the canvas helpers' view of the window's canvas
        port = window.view.viewport()

    spot = _empty_spot(window)
    seen = _menu_entries(C, spot)
    for entry in ("New Variable Here", "Paste", "Select All", "Fit Diagram", "Show Waterline"):
        assert entry in seen
    _menu_entries(C, spot, choose="Select All")
    assert set(window.scene.selected_variable_ids()) == set(window.document.variables)
    _menu_entries(C, spot, choose="Show Waterline")
    assert window.document.waterline is not None and window.actions.waterline.isChecked()
    _menu_entries(C, spot, choose="Show Waterline")
    assert window.document.waterline is None
    window.view.scale(3, 3)
    _menu_entries(C, _empty_spot(window), choose="Fit Diagram")
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(window.scene.items_bounding_rect())
    at = _empty_spot(window)
    scene_at = window.view.mapToScene(at)
    _menu_entries(C, at, choose="New Variable Here")
    editor = window.scene.label_editor()
    assert editor is not None and window.scene.focusItem() is editor
    QTest.keyClicks(window.view, "Trust")
    QTest.keyClick(window.view, Qt.Key.Key_Return)
    new = list(window.document.variables.values())[-1]
    assert new.label == "Trust"
    assert math.dist((new.x, new.y), (scene_at.x(), scene_at.y())) < 1.0


def test_paste_from_the_empty_canvas_menu(window, qtbot):
    class C:
        port = window.view.viewport()

    first = next(iter(window.document.variables))
    window.scene.select_ids([first])
    window.actions.copy.trigger()
    count = len(window.document.variables)
    spot = _empty_spot(window)
    scene_at = window.view.mapToScene(spot)
    _menu_entries(C, spot, choose="Paste")
    assert len(window.document.variables) == count + 1
    # It lands where the menu was opened, not beside the original.
    pasted = window.document.variables[window.scene.selected_variable_ids()[0]]
    assert math.dist((pasted.x, pasted.y), (scene_at.x(), scene_at.y())) < 1.0
    assert window.scene.context_point() is None  # only while the menu is open
    # Edit > Paste (the pointer not moved since) cascades on from the copy just placed.
    window.actions.paste.trigger()
    again = window.document.variables[window.scene.selected_variable_ids()[0]]
    step = PASTE_OFFSET
    assert math.dist((again.x, again.y), (pasted.x + step, pasted.y + step)) < 0.02
    wait_for_analysis(qtbot, window)
