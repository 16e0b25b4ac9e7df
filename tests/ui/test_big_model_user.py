"""A big model as a system-dynamics analyst meets it: Find brings the variable found up to a
readable size when the whole diagram is shown, the status bar's loop summary gives way to the
messages beside it instead of cutting them off, and Preferences say what their limits count."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_helpers import (
    visible_rect,
    wait_for_analysis,
    window_showing,
)

from cld_editor.core import edits
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.canvas.view import READABLE_ZOOM
from cld_editor.ui.drawing import export

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
    window = window_showing(qtbot, monkeypatch, tmp_path / "settings", grid_diagram())
    yield window
    window.shutdown()


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


LONG_SUMMARY = (
    "at least 100,000 loops (stopped at the loop limit; all loops of up to 37 links found): "
    "50,046 reinforcing, 49,954 balancing"
)
HINT = "Drag to another variable (or back onto this one for a self-link)"


def test_a_long_loop_summary_gives_a_message_room_and_takes_it_back(window, qtbot):
    window.resize(900, 600)
    qtbot.waitUntil(lambda: window.width() <= 900, timeout=3000)
    bar, summary = window.statusBar(), window.loop_summary
    window.analysis_status.set_summary(LONG_SUMMARY)
    qtbot.wait(20)
    assert summary.text() == LONG_SUMMARY and not summary.is_elided()
    assert summary.toolTip() == ""
    bar.showMessage(HINT)
    qtbot.wait(20)
    # The hint is drawn from the bar's left edge up to the summary: seen whole, with a gap.
    assert summary.geometry().left() >= bar.fontMetrics().horizontalAdvance(HINT) + 8
    assert summary.is_elided() and summary.shown_text().endswith("…")
    assert summary.shown_text().startswith("at least 100,000 loops")
    assert summary.toolTip() == LONG_SUMMARY and summary.text() == LONG_SUMMARY
    bar.clearMessage()
    qtbot.wait(20)
    assert not summary.is_elided() and summary.shown_text() == LONG_SUMMARY
    assert summary.toolTip() == ""


def test_find_loops_again_does_not_repeat_the_summary_beside_it(window, qtbot):
    bar = window.statusBar()
    window.actions.reanalyse.trigger()
    qtbot.waitUntil(lambda: bar.currentMessage() == "Found loops again", timeout=10000)
    assert window.loop_summary.text() == window.runner.analysis.summary_text()


def loop_through_link(window, link_id: str):
    return next(lp for lp in window.loops_panel.analysis.loops if link_id in lp.links)


def test_a_row_whose_loop_an_edit_broke_gets_no_label_and_no_focus(window, qtbot):
    """Until the new listing arrives (a second on a big model), the table still lists the
    loops found before the edit: one whose link was just deleted is no loop any more."""
    panel, bar = window.loops_panel, window.statusBar()
    loop = loop_through_link(window, "b3-0")
    assert panel.select_loop(loop.name)
    window.scene.push(edits.delete(window.document, link_ids=["b3-0"]))
    assert panel.selected_loop() == loop  # not analysed again yet: the row is still there
    window.actions.show_loop_label.trigger()
    assert not window.document.loop_labels
    assert f"{loop.name} is no longer a loop" in bar.currentMessage()
    assert window.arrange.focus_loop() is None
    assert "no longer in the diagram" in bar.currentMessage()
    wait_for_analysis(qtbot, window)
    assert all("b3-0" not in lp.links for lp in panel.analysis.loops)


def test_a_row_whose_loop_only_changed_sign_still_gets_its_label(window, qtbot):
    panel = window.loops_panel
    loop = loop_through_link(window, "b5-2")
    assert panel.select_loop(loop.name)
    window.scene.push(edits.set_polarity(window.document, ["b5-2"], "+"))
    assert panel.selected_loop() == loop  # the old listing, the same loop with another sign
    label_id = panel.show_label_for_selected()
    assert label_id is not None
    assert window.document.loop_labels[label_id].loop_key == loop.key
    dialog = window.arrange.focus_loop()
    assert dialog is not None
    dialog.close()


def test_a_highlighted_loop_beyond_the_listing_is_exported_and_copied(
    window, qtbot, monkeypatch, tmp_path
):
    """The independent set of a truncated listing shows loops the listing lacks (R*1, B*1,
    ...): highlighted on the canvas, Copy Image and Export Image highlight that loop too (Copy
    Image refused it: 'no loop named B*1')."""
    from cld_editor.analysis.loops import Budget
    from cld_editor.ui.window import export_actions
    from cld_editor.ui.window.export_dialog import ExportImageDialog

    window.runner.budget = Budget(max_loops=5)
    window.runner.run_now(force=True)
    wait_for_analysis(qtbot, window)
    panel = window.loops_panel
    panel.sets.independent_set.setChecked(True)
    qtbot.waitUntil(lambda: any("*" in lp.name for lp in panel.visible_loops()), timeout=10000)
    beyond = next(lp for lp in panel.visible_loops() if "*" in lp.name)
    assert window.runner.analysis.by_name(beyond.name) is None
    assert panel.select_loop(beyond.name)
    assert window.scene.highlighted_loop() == beyond
    warnings = []
    monkeypatch.setattr(export_actions.message_box, "warn", lambda *args: warnings.append(args))
    assert window.exports.copy_image()
    assert warnings == []
    dialog = ExportImageDialog(
        window.document.diagram,
        window.runner.analysis,
        highlighted_loop=window.exports._highlighted(),
        settings=None,
    )
    qtbot.addWidget(dialog)
    assert dialog.loop_combo.currentData() == beyond
    assert dialog.loop_combo.currentText().startswith(f"{beyond.name}, ")
    picture = export.make_picture(window.document.diagram, window.runner.analysis, dialog.options())
    assert picture.highlighted_loop == beyond
    dialog.path_edit.setText(str(tmp_path / "beyond.svg"))
    assert dialog.export() and (tmp_path / "beyond.svg").exists()
    # A listed loop is still offered by its name.
    listed = window.runner.analysis.loops[2]
    again = ExportImageDialog(
        window.document.diagram, window.runner.analysis, highlighted_loop=listed, settings=None
    )
    qtbot.addWidget(again)
    assert again.loop_combo.currentData() == listed.name
