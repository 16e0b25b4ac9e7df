"""A big model as a system-dynamics analyst meets it: Find brings the variable found up to a
readable size when the whole diagram is shown, the status bar's loop summary gives way to the
messages beside it instead of cutting them off, and Preferences say what their limits count."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF, Qt
from window_helpers import Dialogs, open_window, use_temp_settings, wait_for_analysis

from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.canvas.view import READABLE_ZOOM

SIDE = 20  # variables on a side of the grid


def grid_diagram() -> Diagram:
    """SIDE x SIDE variables far apart, each row a ring of links: a big map with many loops."""
    variables, links = [], []
    for row in range(SIDE):
        for col in range(SIDE):
            variables.append(
                Variable(
                    id=f"r{row}c{col}", label=f"Stock {row}-{col}", x=300.0 * col, y=220.0 * row
                )
            )
            links.append(
                Link(
                    id=f"l{row}-{col}", source=f"r{row}c{col}", target=f"r{row}c{(col + 1) % SIDE}"
                )
            )
            if col % 2 == 0:
                links.append(
                    Link(
                        id=f"b{row}-{col}",
                        source=f"r{row}c{col + 1}",
                        target=f"r{row}c{col}",
                        polarity="-",
                    )
                )
    return Diagram(title="Grid", variables=variables, links=links)


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    use_temp_settings(tmp_path / "settings")
    Dialogs().install(monkeypatch)
    window = open_window(qtbot, example=False)
    window.resize(1200, 800)
    window.files.load_diagram(grid_diagram(), None)
    wait_for_analysis(qtbot, window)
    qtbot.wait(10)
    yield window
    window.shutdown()


def visible_rect(view) -> QRectF:
    return view.mapToScene(view.viewport().rect()).boundingRect()


def test_find_in_a_diagram_fitted_whole_zooms_to_readable(window, qtbot):
    view = window.view
    view.fit_diagram()
    assert view.zoom_factor() < READABLE_ZOOM / 2  # the whole grid: labels unreadable
    window.actions.find.trigger()
    qtbot.keyClicks(window.find_bar.field, "Stock 13-17")
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    assert window.scene.selected_variable_ids() == ["r13c17"]
    assert view.zoom_factor() == pytest.approx(READABLE_ZOOM)
    centre = view.mapToScene(view.viewport().rect().center())
    target = window.scene.variable_scene_pos("r13c17")
    assert abs(centre.x() - target.x()) < 5 and abs(centre.y() - target.y()) < 5
    assert visible_rect(view).contains(window.scene.records_rect(["r13c17"]))


def test_find_keeps_a_zoom_the_user_chose_when_it_is_readable(window, qtbot):
    view = window.view
    view.set_zoom(1.6)
    window.actions.find.trigger()
    qtbot.keyClicks(window.find_bar.field, "Stock 2-3")
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    assert window.scene.selected_variable_ids() == ["r2c3"]
    assert view.zoom_factor() == pytest.approx(1.6)  # zoomed in already: no zoom change
    centre = view.mapToScene(view.viewport().rect().center())
    target = window.scene.variable_scene_pos("r2c3")
    assert abs(centre.x() - target.x()) < 5 and abs(centre.y() - target.y()) < 5
