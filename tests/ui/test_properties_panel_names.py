"""The Properties panel's Label field refuses a name another variable holds, as the canvas does:
one line for the status bar, the field keeps the name selected after Enter, leaving the field
puts the variable's name back, and the diagram and undo stack stay as they were."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from cld_editor.core.document import Document
from cld_editor.core.model import Diagram, Variable
from cld_editor.ui.undo import push_op
from cld_editor.ui.window.panels.properties_panel import PropertiesPanel


@pytest.fixture
def setup(qtbot):
    yield from panel_on(qtbot, {"r": "Revenue", "c": "Cost"}, "c")


def panel_on(qtbot, labels: dict[str, str], selected: str):
    """(document, stack, panel, said, elsewhere) with variables of these labels, one selected."""
    variables = [
        Variable(id=i, label=label, x=100 * k, y=0) for k, (i, label) in enumerate(labels.items())
    ]
    document = Document(Diagram(variables=variables))
    stack = QUndoStack()
    host = QWidget()
    panel = PropertiesPanel(document, lambda op: push_op(stack, document, op))
    elsewhere = QLineEdit()  # somewhere for the keyboard to go
    layout = QVBoxLayout(host)
    layout.addWidget(panel)
    layout.addWidget(elsewhere)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()  # Enter keeps a refused name only while the field has the keyboard
    qtbot.waitUntil(host.isActiveWindow)
    said: list[str] = []
    panel.said.connect(said.append)
    panel.set_selection([selected])
    yield document, stack, panel, said, elsewhere
    stack.clear()


def type_into(qtbot, field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, text)


def test_enter_on_a_taken_name_refuses_it_and_keeps_it_selected(setup, qtbot):
    document, stack, panel, said, _elsewhere = setup
    before = document.diagram
    field = panel.variable_label
    type_into(qtbot, field, "revenue")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert document.diagram == before and stack.count() == 0
    assert said == [
        "“revenue” is already the name of another variable: choose another so loops read clearly"
    ]
    assert field.hasFocus() and field.text() == "revenue"
    assert field.textCursor().selectedText() == "revenue"
    # Typing replaces it; Enter renames.
    qtbot.keyClicks(field, "Costs")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert document.variables["c"].label == "Costs" and stack.count() == 1


def test_leaving_the_field_on_a_taken_name_puts_the_name_back(setup, qtbot):
    document, stack, panel, said, elsewhere = setup
    before = document.diagram
    field = panel.variable_label
    type_into(qtbot, field, "REVENUE")
    qtbot.keyClick(field, Qt.Key.Key_Return)  # refused, kept
    elsewhere.setFocus()  # then left: refused again, and the field shows the name again
    qtbot.waitUntil(lambda: not field.hasFocus())
    assert document.diagram == before and stack.count() == 0
    assert field.text() == "Cost" and not field.isModified()
    assert len(said) == 2 and all(line.startswith("“REVENUE” is already") for line in said)
    # Straight to another field, no Enter.
    type_into(qtbot, field, "Revenue ")
    elsewhere.setFocus()
    qtbot.waitUntil(lambda: not field.hasFocus())
    assert field.text() == "Cost" and document.diagram == before and stack.count() == 0


def test_a_new_selection_drops_a_taken_name_too(setup, qtbot):
    document, stack, panel, _said, _elsewhere = setup
    before = document.diagram
    type_into(qtbot, panel.variable_label, "Revenue")
    qtbot.keyClick(panel.variable_label, Qt.Key.Key_Return)
    panel.set_selection(["r"])
    assert document.diagram == before and stack.count() == 0
    assert panel.variable_label.text() == "Revenue"


def test_the_own_name_in_another_case_is_a_rename(setup, qtbot):
    document, stack, panel, said, _elsewhere = setup
    type_into(qtbot, panel.variable_label, "COST")
    qtbot.keyClick(panel.variable_label, Qt.Key.Key_Return)
    assert document.variables["c"].label == "COST" and stack.count() == 1 and not said


def test_a_refused_name_left_in_the_field_is_forgotten_when_the_window_closes(setup, qtbot):
    document, stack, panel, said, elsewhere = setup
    before = document.diagram
    type_into(qtbot, panel.variable_label, "Revenue")
    qtbot.keyClick(panel.variable_label, Qt.Key.Key_Return)
    said.clear()
    panel.detach()  # the window is closing: its status bar may be gone
    elsewhere.setFocus()
    qtbot.waitUntil(lambda: not panel.variable_label.hasFocus())
    assert said == [] and document.diagram == before and stack.count() == 0


@pytest.mark.parametrize("typed", ["Revenue", "Revenue ", "  Revenue"])
def test_its_own_name_with_spaces_at_its_ends_is_not_refused(qtbot, typed):
    """A file's "Revenue " beside "Revenue": Enter on the name as shown (the field trims it)
    changes nothing and says nothing, and the field shows the name again."""
    setup = panel_on(qtbot, {"a": "Revenue ", "b": "Revenue"}, "a")
    document, stack, panel, said, _elsewhere = next(setup)
    before = document.diagram
    field = panel.variable_label
    type_into(qtbot, field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert document.diagram == before and stack.count() == 0 and said == []
    assert field.text() == "Revenue " and not field.isModified()
    type_into(qtbot, field, "Revenue (goods)")  # renaming it apart still works
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert document.variables["a"].label == "Revenue (goods)" and stack.count() == 1
    setup.close()


def test_a_new_case_of_a_name_another_variable_shares_is_still_refused(qtbot):
    setup = panel_on(qtbot, {"a": "Revenue ", "b": "Revenue"}, "a")
    document, stack, panel, said, _elsewhere = next(setup)
    before = document.diagram
    type_into(qtbot, panel.variable_label, "REVENUE")
    qtbot.keyClick(panel.variable_label, Qt.Key.Key_Return)
    assert document.diagram == before and stack.count() == 0
    assert len(said) == 1 and said[0].startswith("“REVENUE” is already the name")
    assert panel.variable_label.text() == "REVENUE"  # kept, selected, to be corrected
    setup.close()
