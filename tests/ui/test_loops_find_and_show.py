"""Finding and showing loops in a large diagram, as a new user met them: a chosen loop is brought
into view, a loop label selects its loop and says which it is, the Loops table keeps its rows
under a long loop's description, Show Loop Label agrees between menu and panel, and Find Loops
Again says that it ran."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtTest import QTest
from window_helpers import (
    visible_rect,
    wait_for_analysis,
    window_showing,
)

from cld_editor.core import edits
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.canvas.view import READABLE_ZOOM

LONG = 27  # the long loop's links


def spread_diagram() -> Diagram:
    """12 small loops far apart on a 4 x 3 grid (CX, EX or crossing), and one 27-link loop
    around them all."""
    variables: list[Variable] = []
    links: list[Link] = []
    for g in range(12):
        cx, cy = (g % 4) * 1400.0, (g // 4) * 1100.0
        ids = [f"g{g}v{k}" for k in range(3)]
        for k, vid in enumerate(ids):
            domain = ("CX", "EX", "CX" if k else "EX")[g % 3]
            x, y = cx + 120 * math.cos(2.1 * k), cy + 120 * math.sin(2.1 * k)
            variables.append(Variable(id=vid, label=f"Group {g} item {k}", x=x, y=y, domain=domain))
        for k in range(3):
            links.append(Link(id=f"g{g}l{k}", source=ids[k], target=ids[(k + 1) % 3]))
    ring = [f"r{k}" for k in range(LONG)]
    for k, vid in enumerate(ring):
        angle = 2 * math.pi * k / LONG
        x, y = 2100 + 3200 * math.cos(angle), 1100 + 2400 * math.sin(angle)
        variables.append(Variable(id=vid, label=f"Ring stage {k}", x=x, y=y))
    for k in range(LONG):
        links.append(Link(id=f"rl{k}", source=ring[k], target=ring[(k + 1) % LONG]))
    return Diagram(title="Spread", variables=variables, links=links)


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    window = window_showing(qtbot, monkeypatch, tmp_path / "settings", spread_diagram())
    yield window
    window.shutdown()


def loop_rect(window, loop) -> QRectF:
    return window.scene.records_rect([*loop.variables, *loop.links])


def loop_through(window, variable_id: str):
    return next(lp for lp in window.loops_panel.analysis.loops if variable_id in lp.variables)


def view_state(view) -> tuple[float, int, int]:
    return (
        view.zoom_factor(),
        view.horizontalScrollBar().value(),
        view.verticalScrollBar().value(),
    )


def test_choosing_a_loop_row_brings_the_loop_into_view_gently(window, qtbot):
    view, panel = window.view, window.loops_panel
    view.set_zoom(1.0)
    view.center_on_variable("g0v0")
    far = loop_through(window, "g11v0")
    assert not visible_rect(view).intersects(loop_rect(window, far))
    assert panel.select_loop(far.name)
    assert visible_rect(view).contains(loop_rect(window, far))
    assert view.zoom_factor() == pytest.approx(1.0)  # it fitted: no zoom out, never in
    # Already whole in sight: nothing moves.
    before = view_state(view)
    panel.clear_selection()
    assert panel.select_loop(far.name)
    assert view_state(view) == before
    # The long loop does not fit at 100 %: zoomed out just enough to see it whole.
    ring = loop_through(window, "r0")
    assert panel.select_loop(ring.name)
    assert visible_rect(view).contains(loop_rect(window, ring))
    assert view.zoom_factor() < 1.0
    fitted = view.zoom_factor()
    # A new analysis keeps the row selected without moving the view the user then scrolled.
    view.set_zoom(2.0)
    view.center_on_variable("g0v0")
    before = view_state(view)
    window.actions.reanalyse.trigger()
    wait_for_analysis(qtbot, window)
    assert panel.selected_loop() is not None and panel.selected_loop().key == ring.key
    assert view_state(view) == before
    assert fitted > 0.05


def test_a_loop_chosen_in_a_diagram_fitted_whole_is_zoomed_to_readable(window, qtbot):
    view, panel = window.view, window.loops_panel
    view.fit_diagram()
    assert view.zoom_factor() < READABLE_ZOOM / 2  # the whole spread: text unreadable
    small = loop_through(window, "g6v0")
    assert visible_rect(view).contains(loop_rect(window, small))  # in sight, but a speck
    assert panel.select_loop(small.name)
    assert view.zoom_factor() == pytest.approx(READABLE_ZOOM)  # fits at that zoom
    assert visible_rect(view).contains(loop_rect(window, small))
    before = view_state(view)
    panel.clear_selection()
    assert panel.select_loop(small.name)
    assert view_state(view) == before  # readable and in sight: nothing moves
    # The ring does not fit at the readable zoom: zoomed to fit it whole, no further.
    view.fit_diagram()
    ring = loop_through(window, "r0")
    assert panel.select_loop(ring.name)
    assert visible_rect(view).contains(loop_rect(window, ring))
    assert view.zoom_factor() < READABLE_ZOOM


def test_clicking_the_chosen_row_again_shows_its_loop_again(window, qtbot):
    view, panel = window.view, window.loops_panel
    view.set_zoom(1.0)
    far = loop_through(window, "g11v0")
    assert panel.select_loop(far.name)
    view.center_on_variable("g0v0")
    row = panel.table.selectionModel().selectedRows()[0]
    panel.table.clicked.emit(row)
    assert visible_rect(view).contains(loop_rect(window, far))


def test_selecting_a_loop_label_selects_its_row_and_properties_say_which_loop(window, qtbot):
    panel, props = window.loops_panel, window.properties_panel
    loop = loop_through(window, "g5v0")
    op = edits.show_loop_label(window.document, loop.variables, 5600, 1100)
    assert window.scene.push(op)
    label_id = edits.added_ids(op, "loop_labels")[0]
    wait_for_analysis(qtbot, window)
    window.view.set_zoom(1.0)
    label_item = window.scene.item_for(label_id)
    window.view.centerOn(label_item.sceneBoundingRect().center())
    before = view_state(window.view)
    at = window.view.mapFromScene(label_item.sceneBoundingRect().center())
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert window.scene.selected_label_ids() == [label_id]  # a real click on the label
    assert panel.selected_loop() is not None and panel.selected_loop().key == loop.key
    assert window.scene.highlighted_loop() is not None
    assert window.scene.highlighted_loop().key == loop.key
    assert view_state(window.view) == before  # a click on the canvas does not move it
    assert props.label_group.isVisible()
    assert props.label_loop.text().startswith(f"{loop.name} (reinforcing, 3 links, CX + EX")
    assert props.label_members.text() == "Group 5 item 0 → Group 5 item 1 → Group 5 item 2 → " + (
        "Group 5 item 0"
    )
    assert props.label_members.textInteractionFlags()  # selectable, not editable
    # Filtered out of the table: the loop is still highlighted on the canvas.
    window.scene.select_ids([])
    panel.domain_filter.setCurrentIndex(panel.domain_filter.findData(1))  # CX only
    window.scene.select_ids([label_id])
    assert panel.selected_loop() is None
    assert window.scene.highlighted_loop().key == loop.key


def test_a_long_loops_description_keeps_the_table_usable(window, qtbot):
    panel = window.loops_panel
    qtbot.wait(20)
    rows_before = panel.table.viewport().height()
    ring = loop_through(window, "r0")
    assert panel.select_loop(ring.name)
    qtbot.wait(20)
    details = panel.details
    assert details.isVisible() and "Ring stage 26 → Ring stage 0" in details.text()
    assert details.height() <= details.max_height()
    assert details.verticalScrollBar().maximum() > 0  # the rest scrolls within the box
    lines = panel.table.verticalHeader().defaultSectionSize()
    assert panel.table.viewport().height() >= rows_before - details.max_height() - 12
    assert panel.table.viewport().height() >= 6 * lines
    selected = panel.table.selectionModel().selectedRows()[0]
    assert panel.table.viewport().rect().contains(panel.table.visualRect(selected))


def test_show_loop_label_in_the_menu_agrees_with_the_panel(window, qtbot):
    panel, action = window.loops_panel, window.actions.show_loop_label
    assert not action.isEnabled()  # nothing selected
    loop = loop_through(window, "g1v0")
    assert panel.select_loop(loop.name)
    assert action.isEnabled() and panel.show_label_button.isEnabled()
    action.trigger()
    assert not action.isEnabled() and not panel.show_label_button.isEnabled()
    window.undo_stack.undo()
    assert action.isEnabled() and panel.show_label_button.isEnabled()
    panel.clear_selection()
    assert not action.isEnabled()


def test_find_loops_again_says_that_it_ran(window, qtbot):
    bar = window.statusBar()
    window.actions.reanalyse.trigger()
    assert bar.currentMessage() == "Finding loops again…"
    qtbot.waitUntil(lambda: bar.currentMessage() == "Found loops again", timeout=10000)
    # What was found is the summary beside the message, whole or in its tooltip.
    summary = window.loop_summary
    assert summary.text() == window.runner.analysis.summary_text()


def test_focus_on_a_long_loop_opens_fitted_and_zooms_with_ctrl(window, qtbot):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    ring = loop_through(window, "r0")
    dialog = window.arrange.focus_loop(ring)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.view
    whole = view.item.boundingRect()

    def fitted() -> bool:
        shown = view.mapFromScene(whole).boundingRect()
        return view.viewport().rect().adjusted(-1, -1, 1, 1).contains(shown)

    assert fitted() and view.zoom_factor() < 1.0
    fit_zoom = view.zoom_factor()
    middle = view.viewport().rect().center()
    before = view.mapToScene(middle)
    event = QWheelEvent(
        QPointF(middle),
        QPointF(view.viewport().mapToGlobal(middle)),
        QPoint(),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)
    assert view.zoom_factor() == pytest.approx(fit_zoom * 1.25**2)
    after = view.mapToScene(middle)  # zoomed around the cursor
    assert abs(after.x() - before.x()) < 2 / view.zoom_factor() + 1
    ctrl = Qt.KeyboardModifier.ControlModifier
    QTest.keyClick(view, Qt.Key.Key_Minus, ctrl)
    assert view.zoom_factor() == pytest.approx(fit_zoom * 1.25)
    QTest.keyClick(view, Qt.Key.Key_Plus, ctrl)
    assert view.zoom_factor() == pytest.approx(fit_zoom * 1.25**2)
    # Zoomed by the user, a resize keeps the zoom; Ctrl+0 fits again, and then follows size.
    dialog.resize(dialog.width() + 100, dialog.height() + 50)
    qtbot.wait(10)
    assert view.zoom_factor() == pytest.approx(fit_zoom * 1.25**2)
    QTest.keyClick(view, Qt.Key.Key_0, ctrl)
    assert fitted()
    dialog.close()


def test_a_chosen_loop_never_zooms_a_readable_canvas_in(window):
    view, panel = window.view, window.loops_panel
    view.set_zoom(0.6)
    view.centerOn(-20000, -20000)  # far from everything, zoomed out but readable
    far = loop_through(window, "g6v0")
    assert not visible_rect(view).intersects(loop_rect(window, far))
    assert panel.select_loop(far.name)
    assert view.zoom_factor() == pytest.approx(0.6)
    assert visible_rect(view).contains(loop_rect(window, far))
    centre = visible_rect(view).center()
    assert (centre - loop_rect(window, far).center()).manhattanLength() < 20 / 0.6
