"""The main window as a person uses it: the example opens with its loops, edits update them,
loops highlight, labels are placed and saved, the clipboard, properties, find and waterline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtTest import QTest
from window_helpers import Dialogs, open_window, use_temp_settings, wait_for_analysis

from cld_editor.analysis.loops import Budget, find_loops
from cld_editor.core import ops
from cld_editor.core.edits import default_waterline as waterline_y
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.formats.native import load_diagram
from cld_editor.ui.window.file_ops import default_example


@pytest.fixture
def dialogs(monkeypatch, tmp_path):
    use_temp_settings(tmp_path / "settings")
    return Dialogs().install(monkeypatch)


@pytest.fixture
def window(qtbot, dialogs):
    window = open_window(qtbot)
    yield window
    window.shutdown()


def names(window) -> list[str]:
    return [loop.name for loop in window.loops_panel.visible_loops()]


def test_opens_on_an_untitled_copy_of_the_example_with_its_loops(window):
    expected = find_loops(load_diagram(default_example()))
    assert window.windowTitle() == "Untitled[*] — cld-editor"
    assert not window.isWindowModified()
    assert window.files.path is None
    assert names(window) == [loop.name for loop in expected.loops]
    assert window.loop_summary.text() == expected.summary_text()
    assert window.loops_panel.model.display_name(expected.loops[0]) == "Turnover spiral (R1)"


def test_modified_marker_and_undo_text_follow_the_stack(window):
    window.scene.push(ops.add_link(Link(id="new", source="service", target="engagement")))
    assert window.isWindowModified()
    assert window.actions.undo.text() == "&Undo Add link"
    window.actions.undo.trigger()
    assert not window.isWindowModified()
    assert window.actions.redo.text() == "&Redo Add link"


def test_loops_panel_updates_after_an_edit(window, qtbot):
    before = len(names(window))
    window.scene.push(ops.add_link(Link(id="back", source="service", target="engagement")))
    qtbot.waitUntil(lambda: len(names(window)) == before + 1, timeout=10000)
    new = [loop for loop in window.loops_panel.visible_loops() if "back" in loop.links]
    assert [loop.variables for loop in new] == [("engagement", "service")]
    assert window.loop_summary.text().startswith(f"{before + 1} loops")
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: len(names(window)) == before, timeout=10000)


def test_selecting_a_loop_highlights_it_and_esc_on_the_canvas_clears_it(window, qtbot):
    assert window.loops_panel.select_loop("B1")
    assert window.scene.highlighted_loop().name == "B1"
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.scene.highlighted_loop() is None
    assert window.loops_panel.selected_loop() is None


def test_highlight_survives_an_edit_that_keeps_the_loop(window, qtbot):
    window.loops_panel.select_loop("R1")
    window.scene.push(ops.add_link(Link(id="back", source="service", target="engagement")))
    wait_for_analysis(qtbot, window)
    assert window.scene.highlighted_loop().variables == ("workload", "burnout", "turnover")


def test_filter_through_the_selected_variable(window):
    window.scene.select_ids(["revenue"])
    window.loops_panel.through_selection.setChecked(True)
    assert names(window) == ["R2"]
    window.scene.select_ids(["workload"])
    assert sorted(names(window)) == ["B1", "R1"]


def test_show_label_places_a_label_that_is_saved(window, dialogs, tmp_path):
    window.loops_panel.select_loop("R1")
    assert window.loops_panel.remove_label_of_selected()
    assert window.loops_panel.show_label_button.isEnabled()
    window.loops_panel.show_label_button.click()
    label = next(lab for lab in window.document.loop_labels.values() if lab.id.startswith("loop"))
    assert label.loop == ["workload", "burnout", "turnover"]
    dialogs.save_name = str(tmp_path / "saved")
    assert window.files.save()
    saved = load_diagram(tmp_path / "saved.cld.json")
    assert label in saved.loop_labels


def test_rename_request_from_the_canvas_opens_a_dialog(window, monkeypatch):
    from cld_editor.ui.window.panels import loop_label_edits

    monkeypatch.setattr(
        loop_label_edits.QInputDialog, "getText", staticmethod(lambda *a, **k: ("Doom loop", True))
    )
    window.scene.loop_label_rename_requested.emit("squeeze")
    assert window.document.loop_labels["squeeze"].name == "Doom loop"
    assert window.undo_stack.undoText() == "Rename loop label"


def test_copy_paste_gives_fresh_ids_inner_links_offset_and_selection(window):
    doc = window.document
    window.scene.select_ids(["workload", "burnout"])
    assert window.clipboard.copy()
    pasted = window.clipboard.paste()
    assert len(pasted) == 2 and not set(pasted) & {"workload", "burnout"}
    assert sorted(window.scene.selected_variable_ids()) == sorted(pasted)
    by_label = {doc.variables[i].label: doc.variables[i] for i in pasted}
    # The originals are still there: the copies get free names.
    assert (by_label["Workload 2"].x, by_label["Workload 2"].y) == (60.0, -190.0)
    inner = [link for link in doc.links.values() if link.source in pasted]
    assert [(doc.variables[k.source].label, doc.variables[k.target].label) for k in inner] == [
        ("Workload 2", "Stress and burnout 2")
    ]
    assert inner[0].delay is True and inner[0].id not in {"l9"}
    assert window.undo_stack.undoText() == "Paste"
    second = window.clipboard.paste()
    assert doc.variables[second[0]].y == -130.0  # each paste lands further on


def test_cut_then_paste_puts_them_back_in_place_in_one_step_each(window):
    doc = window.document
    window.scene.select_ids(["turnover"])
    assert window.clipboard.cut()
    assert "turnover" not in doc.variables
    assert window.undo_stack.undoText() == "Cut"
    (new_id,) = window.clipboard.paste()
    assert (doc.variables[new_id].x, doc.variables[new_id].y) == (-125.0, -420.0)
    assert doc.variables[new_id].label == "Staff turnover"


def test_plain_text_on_the_clipboard_pastes_as_variables(window):
    QGuiApplication.clipboard().setText("Trust\nTrust -> Referrals (+)")
    pasted = window.clipboard.paste()
    labels = sorted(window.document.variables[i].label for i in pasted)
    assert labels == ["Referrals", "Trust"]
    assert any(link.source in pasted for link in window.document.links.values())


def test_properties_panel_edits_are_undoable(window, qtbot):
    window.scene.select_ids(["revenue"])
    field = window.properties_panel.variable_label
    assert field.text() == "Revenue"
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "Profit")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.document.variables["revenue"].label == "Profit"
    assert window.actions.undo.text() == "&Undo Rename"
    window.actions.undo.trigger()
    assert window.document.variables["revenue"].label == "Revenue"
    assert field.text() == "Revenue"


def test_find_variable_selects_and_centres_it(window, qtbot):
    window.actions.find.trigger()
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.field, "burn")
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    assert window.scene.selected_variable_ids() == ["burnout"]
    centre = window.view.mapToScene(window.view.viewport().rect().center())
    target = window.scene.variable_scene_pos("burnout")
    assert abs(centre.x() - target.x()) < 5 and abs(centre.y() - target.y()) < 5
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()


def test_f2_in_the_find_bar_renames_the_variable_found(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.actions.find.trigger()
    qtbot.keyClicks(window.find_bar.field, "burn")
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_F2)
    editor = window.scene.label_editor()
    assert editor is not None  # renaming Burnout in place, with the keyboard
    assert window.find_bar.field.text() == "burn"  # nothing typed into the find field
    qtbot.keyClicks(window.view, "x")
    assert window.find_bar.field.text() == "burn"


def test_waterline_toggle_is_an_undoable_property(window):
    action = window.actions.waterline
    assert not action.isChecked()
    action.trigger()
    y = window.document.waterline  # between the variables as drawn (test_new_user_waterline)
    boxes = [window.scene.item_for(v).sceneBoundingRect() for v in window.document.variables]
    assert y is not None and not any(box.top() < y < box.bottom() for box in boxes)
    assert window.undo_stack.undoText() == "Show waterline"
    window.undo_stack.undo()
    assert window.document.waterline is None
    assert not action.isChecked()


def test_a_waterline_over_a_mixed_drawing_says_what_would_part_cx_and_ex(window):
    doc = window.document
    tagged = [v for v in doc.variables.values() if v.domain in ("CX", "EX")]
    # Alternate CX and EX down a column: no line parts them.
    order = sorted(tagged, key=lambda v: v.domain)
    cx = [v for v in order if v.domain == "CX"]
    ex = [v for v in order if v.domain == "EX"]
    mixed = [v for pair in zip(cx, ex, strict=False) for v in pair] + cx[len(ex) :] + ex[len(cx) :]
    moves = {v.id: (0.0, 200.0 * k) for k, v in enumerate(mixed)}
    window.scene.push(ops.move_variables(moves))
    window.actions.waterline.trigger()
    message = window.statusBar().currentMessage()
    assert f"of the {len(tagged)} variables tagged CX or EX are on the wrong side" in message
    assert "Arrange as Iceberg" in message
    window.undo_stack.undo()
    # Parted cleanly, nothing to say.
    window.scene.push(ops.move_variables({v.id: (v.x, -300.0 if v.domain == "CX" else 200.0)
                                          for v in doc.variables.values()}))  # fmt: skip
    window.statusBar().clearMessage()
    window.actions.waterline.trigger()
    assert "wrong side" not in window.statusBar().currentMessage()


def test_waterline_sits_between_the_cx_and_ex_groups(window):
    doc = window.document
    window.scene.push(ops.move_variables({v.id: (v.x, -300.0 if v.domain == "CX" else 200.0)
                                          for v in doc.variables.values()}))  # fmt: skip
    assert waterline_y(doc) == -50.0


def test_dropping_a_file_opens_it(window, qtbot, tmp_path):
    path = tmp_path / "dropped.cld.json"
    path.write_bytes(default_example().read_bytes())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    window.dropEvent(event)
    qtbot.waitUntil(lambda: window.files.path == path, timeout=5000)
    assert window.windowTitle() == "dropped.cld.json[*] — cld-editor"


def test_tool_actions_follow_the_canvas(window, qtbot):
    window.actions.link_tool.trigger()
    assert window.view.tool() == "link"
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_V)
    assert window.actions.select_tool.isChecked()


def test_every_action_has_a_tooltip_naming_its_shortcut(window):
    a = window.actions
    for action in (a.new, a.open, a.save, a.undo, a.redo, a.cut, a.copy, a.paste, a.zoom_in,
                   a.fit, a.actual_size, a.find, a.select_tool, a.link_tool):  # fmt: skip
        assert action.toolTip().endswith(")"), action.toolTip()
    assert a.zoom_in.toolTip().startswith("Zoom in (")


def dense_diagram(n: int) -> Diagram:
    """A complete digraph: n = 10 has 1.1 million loops, far more than a test waits for."""
    variables = [Variable(id=f"v{i}", label=f"V{i}", x=i * 80.0, y=0.0) for i in range(n)]
    links = [Link(id=f"k{i}_{j}", source=f"v{i}", target=f"v{j}")
             for i in range(n) for j in range(n) if i != j]  # fmt: skip
    return Diagram(variables=variables, links=links)


def test_a_long_analysis_shows_progress_and_can_be_stopped(qtbot, dialogs):
    window = open_window(qtbot, example=False)
    window.runner.budget = Budget(max_loops=None, time_limit=None)
    # 11 variables: the search itself (which Stop interrupts) lasts many seconds. On 10 it is
    # over in under a second and Stop could land while the loops are named, which runs to the
    # end and rightly reports a complete result.
    window.files.load_diagram(dense_diagram(11), None)
    qtbot.waitUntil(window.stop_button.isVisible, timeout=10000)
    assert window.progress.isVisible()
    window.stop_button.click()
    wait_for_analysis(qtbot, window)
    assert not window.stop_button.isVisible()
    assert window.loop_summary.text().startswith("at least")
    assert "(analysis stopped" in window.loop_summary.text()
    window.shutdown()


def test_closing_stops_a_long_analysis_cleanly(qtbot, dialogs):
    window = open_window(qtbot, example=False)
    window.runner.budget = Budget(max_loops=None, time_limit=None)
    window.files.load_diagram(dense_diagram(10), None)
    qtbot.waitUntil(lambda: window.runner.running, timeout=5000)
    assert window.close()
    assert not window.runner._thread.isRunning()


def test_standard_shortcuts_reach_their_actions(window, qtbot):
    """Real key presses on the focused canvas: Ctrl+A, Ctrl+C, Ctrl+V, Ctrl+Z, Ctrl+F."""
    window.activateWindow()
    qtbot.waitActive(window)
    window.view.setFocus()
    count = len(window.document.variables)
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window.view, Qt.Key.Key_A, ctrl)
    assert len(window.scene.selected_variable_ids()) == count
    qtbot.keyClick(window.view, Qt.Key.Key_C, ctrl)
    qtbot.keyClick(window.view, Qt.Key.Key_V, ctrl)
    assert len(window.document.variables) == 2 * count
    qtbot.keyClick(window.view, Qt.Key.Key_Z, ctrl)
    assert len(window.document.variables) == count
    qtbot.keyClick(window.view, Qt.Key.Key_F, ctrl)
    assert window.find_bar.isVisible() and window.find_bar.field.hasFocus()


def test_actions_are_enabled_only_when_they_can_act(window, dialogs, tmp_path):
    a = window.actions
    window.scene.clearSelection()
    assert not a.copy.isEnabled() and not a.cut.isEnabled() and not a.delete.isEnabled()
    window.scene.select_ids(["revenue"])
    assert a.copy.isEnabled() and a.cut.isEnabled() and a.delete.isEnabled()
    assert not a.revert.isEnabled()  # untitled: nothing to revert to
    dialogs.save_name = str(tmp_path / "x.cld.json")
    window.files.save()
    assert not a.revert.isEnabled()  # saved: nothing to revert
    window.scene.push(ops.rename_variable("revenue", "Income"))
    assert a.revert.isEnabled()


def test_choosing_a_completion_with_enter_finds_it_once(window, qtbot):
    found: list[str] = []
    window.find_bar.found.connect(found.append)
    window.actions.find.trigger()
    qtbot.keyClicks(window.find_bar.field, "cust")
    popup = window.find_bar.field.completer().popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert found == ["demand"]  # the first completion, alphabetically: "Customer demand"
    qtbot.wait(10)
    window.find_bar.field.setText("Customer")
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    qtbot.wait(10)
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    assert found[1:] == ["satisfaction", "loyalty"]  # Enter again: the next match
    assert window.find_bar.message.text() == "2 of 3"


def test_loop_counts_in_the_status_bar_have_thousands_separators(qtbot, dialogs):
    window = open_window(qtbot, example=False)
    window.runner.budget = Budget(max_loops=1500, time_limit=None)
    window.files.load_diagram(dense_diagram(10), None)
    wait_for_analysis(qtbot, window)
    assert window.loop_summary.text().startswith("at least 1,500 loops (stopped at the loop limit")
    assert window.loops_panel.summary.text().startswith("at least 1,500 loops")
    assert "1500" not in window.loop_summary.text()
    window.shutdown()


def _double_click_canvas(window, x: float, y: float) -> None:
    port = window.view.viewport()
    at = window.view.mapFromScene(QPointF(x, y))
    QTest.mouseClick(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    QTest.mouseDClick(port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)


def test_the_typing_hint_leaves_the_status_bar_when_the_label_editor_closes(qtbot, dialogs):
    window = open_window(qtbot, example=False)
    window.view.setFocus()
    for x, finish in ((0, Qt.Key.Key_Return), (-250, Qt.Key.Key_Escape)):
        _double_click_canvas(window, x, 0)
        assert window.statusBar().currentMessage().startswith("Type the variable's name")
        qtbot.keyClicks(window.view, "Trust")
        qtbot.keyClick(window.view, finish)
        assert window.statusBar().currentMessage() == ""
    assert [v.label for v in window.document.variables.values()] == ["Trust"]
    window.shutdown()


def test_a_variable_made_by_double_click_and_enter_is_selected_in_the_properties(qtbot, dialogs):
    window = open_window(qtbot, example=False)
    window.view.setFocus()
    _double_click_canvas(window, 40, 40)
    qtbot.keyClicks(window.view, "Trust")
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    wait_for_analysis(qtbot, window)
    [variable_id] = window.document.variables
    assert window.scene.selected_variable_ids() == [variable_id]
    panel = window.properties_panel
    assert panel.variable_ids == [variable_id]
    assert not panel.heading.isVisible()  # not "Nothing selected"
    assert panel.variable_label.text() == "Trust"
    window.shutdown()


def test_toolbar_undo_and_redo_keep_their_texts_so_the_buttons_do_not_move(window, qtbot):
    toolbar = window.toolbar
    undo_button = toolbar.widgetForAction(window.actions.undo_tool)
    redo_button = toolbar.widgetForAction(window.actions.redo_tool)
    select_button = toolbar.widgetForAction(window.actions.select_tool)
    before = select_button.geometry()
    window.view.setFocus()
    _double_click_canvas(window, -400, 200)
    qtbot.keyClicks(window.view, "Trust")
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    qtbot.wait(10)
    assert undo_button.text() == "Undo" and redo_button.text() == "Redo"
    assert select_button.geometry() == before
    assert window.actions.undo.text() == "&Undo Add variable"  # the Edit menu names the step
    assert undo_button.toolTip().startswith("Undo Add variable (")
    qtbot.mouseClick(undo_button, Qt.MouseButton.LeftButton)
    assert "Trust" not in [v.label for v in window.document.variables.values()]
    assert redo_button.isEnabled() and redo_button.toolTip().startswith("Redo Add variable (")
    assert select_button.geometry() == before
    qtbot.mouseClick(redo_button, Qt.MouseButton.LeftButton)
    assert "Trust" in [v.label for v in window.document.variables.values()]
    assert not redo_button.isEnabled()


def test_ctrl_y_redoes_where_the_standard_redo_keys_lack_it(qtbot, dialogs, monkeypatch):
    from PySide6.QtGui import QKeySequence

    from cld_editor.ui.window import actions

    gnome_like = {QKeySequence.StandardKey.Redo: [QKeySequence("Ctrl+Shift+Z")]}
    real = actions.standard_keys
    monkeypatch.setattr(actions, "standard_keys", lambda key: gnome_like.get(key) or real(key))
    window = open_window(qtbot)
    window.activateWindow()
    qtbot.waitActive(window)
    window.view.setFocus()
    count = len(window.document.variables)
    window.scene.select_ids(["revenue"])
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert len(window.document.variables) == count - 1
    qtbot.keyClick(window.view, Qt.Key.Key_Z, ctrl)
    assert len(window.document.variables) == count
    qtbot.keyClick(window.view, Qt.Key.Key_Y, ctrl)
    assert len(window.document.variables) == count - 1
    qtbot.keyClick(window.view, Qt.Key.Key_Z, ctrl)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert len(window.document.variables) == count - 1  # the standard key still works
    window.shutdown()


def test_pasted_copies_land_clear_of_the_originals_and_cascade(window, qtbot):
    """Click a variable on the canvas, Ctrl+C, then Ctrl+V twice."""
    window.activateWindow()
    qtbot.waitActive(window)
    view, scene = window.view, window.scene
    original = scene.item_for("workload")
    view.centerOn(original)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(original.pos())
    )
    assert scene.selected_variable_ids() == ["workload"]
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(view, Qt.Key.Key_C, ctrl)
    boxes = [original.box()]
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key.Key_V, ctrl)
        [copy_id] = scene.selected_variable_ids()
        box = scene.item_for(copy_id).box()
        for earlier in boxes:  # clear of the original and of the copy before
            assert box.cy - earlier.cy >= 2 * box.hh + 20 and box.cx > earlier.cx
        boxes.append(box)
        seen = view.mapToScene(view.viewport().rect()).boundingRect()
        assert seen.contains(scene.item_for(copy_id).sceneBoundingRect())
