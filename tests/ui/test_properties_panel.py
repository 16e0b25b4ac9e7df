"""The Properties panel: fields follow the selection and every edit is one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QUndoStack

from cld_editor.core import ops
from cld_editor.core.document import Document
from cld_editor.core.model import Diagram, Link, LoopLabel, Variable
from cld_editor.ui.undo import push_op
from cld_editor.ui.window.panels.properties_panel import MIXED, PropertiesPanel


@pytest.fixture
def setup(qtbot):
    diagram = Diagram(
        title="Sample",
        description="About staff",
        variables=[
            Variable(id="a", label="Staff morale", domain="EX", x=0, y=0, notes="survey"),
            Variable(id="b", label="Service quality", domain="CX", x=100, y=0),
        ],
        links=[
            Link(id="l1", source="a", target="b"),
            Link(id="l2", source="b", target="a", polarity="-", delay=True),
        ],
        loop_labels=[LoopLabel(id="loop1", loop=["a", "b"], x=50, y=0)],
    )
    document = Document(diagram)
    stack = QUndoStack()
    panel = PropertiesPanel(document, lambda op: push_op(stack, document, op))
    qtbot.addWidget(panel)
    panel.show()
    yield document, stack, panel
    stack.clear()  # delete the commands now, not in a garbage-collector cycle


def type_and_finish(qtbot, line_edit, text: str) -> None:
    line_edit.setFocus()
    line_edit.selectAll()
    qtbot.keyClick(line_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(line_edit, text)
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)


def test_nothing_selected_shows_and_edits_the_diagram(setup, qtbot):
    document, stack, panel = setup
    assert panel.diagram_group.isVisible() and not panel.variable_group.isVisible()
    assert panel.diagram_title.text() == "Sample"
    type_and_finish(qtbot, panel.diagram_title, "Service profit chain")
    assert document.title == "Service profit chain"
    assert stack.count() == 1 and stack.undoText() == "Rename diagram"
    panel.diagram_description.setFocus()
    panel.diagram_description.selectAll()
    qtbot.keyClicks(panel.diagram_description, "New text")
    panel.commit_pending()
    assert document.description == "New text"
    stack.undo()
    stack.undo()
    assert (document.title, document.description) == ("Sample", "About staff")
    assert panel.diagram_title.text() == "Sample"  # the field follows undo


def test_renaming_a_variable_is_one_undo_step(setup, qtbot):
    document, stack, panel = setup
    panel.set_selection(["a"])
    assert panel.variable_label.text() == "Staff morale"
    assert panel.variable_domain.currentData() == "EX"
    assert panel.variable_notes.toPlainText() == "survey"
    type_and_finish(qtbot, panel.variable_label, "Employee engagement")
    assert document.variables["a"].label == "Employee engagement"
    assert stack.count() == 1 and stack.undoText() == "Rename"
    stack.undo()
    assert panel.variable_label.text() == "Staff morale"


def test_empty_label_is_refused_and_restored(setup, qtbot):
    document, stack, panel = setup
    panel.set_selection(["a"])
    type_and_finish(qtbot, panel.variable_label, "   ")
    assert document.variables["a"].label == "Staff morale"
    assert panel.variable_label.text() == "Staff morale"
    assert stack.count() == 0


def test_domain_of_several_variables_shows_mixed_and_sets_all(setup):
    document, stack, panel = setup
    panel.set_selection(["a", "b"])
    assert panel.variable_domain.currentText() == MIXED
    assert not panel.variable_label.isEnabled()
    panel.variable_domain.setCurrentIndex(panel.variable_domain.findData("CX"))
    panel.variable_domain.activated.emit(panel.variable_domain.currentIndex())
    assert {v.domain for v in document.variables.values()} == {"CX"}
    assert stack.count() == 1 and stack.undoText() == "Set domain"
    assert panel.variable_domain.findText(MIXED) == -1
    stack.undo()
    assert panel.variable_domain.currentText() == MIXED


def test_notes_commit_when_the_selection_changes(setup, qtbot):
    document, stack, panel = setup
    panel.set_selection(["a"])
    panel.variable_notes.setFocus()
    panel.variable_notes.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(panel.variable_notes, ", Q3 pulse")
    panel.set_selection(["b"])
    assert document.variables["a"].notes == "survey, Q3 pulse"
    assert stack.count() == 1 and stack.undoText() == "Edit notes"


def test_a_new_diagram_never_inherits_a_stale_field(qtbot):
    """The canvas reports its (empty) selection during a DocumentReset before the panel has
    heard of the reset; the panel must not push its old title onto the new diagram."""
    document = Document(Diagram(title="First"))
    stack = QUndoStack()
    holder: list[PropertiesPanel] = []
    document.subscribe(lambda event: holder and holder[0].set_selection([]))  # like the scene
    panel = PropertiesPanel(document, lambda op: push_op(stack, document, op))
    qtbot.addWidget(panel)
    holder.append(panel)
    document.replace(Diagram(title="Second"))
    assert document.title == "Second"
    assert stack.count() == 0
    assert panel.diagram_title.text() == "Second"


def test_link_polarity_and_delay(setup):
    document, stack, panel = setup
    panel.set_selection(link_ids=["l1"])
    assert panel.link_group.isVisible() and not panel.variable_group.isVisible()
    assert panel.link_ends.text() == "Staff morale → Service quality"
    panel.link_polarity.setCurrentIndex(panel.link_polarity.findData("-"))
    panel.link_polarity.activated.emit(panel.link_polarity.currentIndex())
    assert document.links["l1"].polarity == "-"
    panel.link_delay.click()
    assert document.links["l1"].delay is True
    assert [stack.text(i) for i in range(stack.count())] == ["Set polarity", "Toggle delay"]
    stack.undo()
    assert not panel.link_delay.isChecked()


def test_mixed_delay_click_delays_every_selected_link(setup):
    document, _, panel = setup
    panel.set_selection(link_ids=["l1", "l2"])
    assert panel.link_delay.checkState() == Qt.CheckState.PartiallyChecked
    panel.link_delay.click()
    assert all(link.delay for link in document.links.values())


def test_loop_label_name(setup, qtbot):
    document, stack, panel = setup
    panel.set_selection(label_ids=["loop1"])
    type_and_finish(qtbot, panel.label_name, "Doom loop")
    assert document.loop_labels["loop1"].name == "Doom loop"
    type_and_finish(qtbot, panel.label_name, "")
    assert document.loop_labels["loop1"].name is None
    assert stack.count() == 2


def test_selection_of_a_deleted_record_falls_back(setup):
    document, stack, panel = setup
    panel.set_selection(["a"])
    push_op(stack, document, ops.delete(variable_ids=["a"]))
    assert not panel.variable_group.isVisible()
    assert panel.diagram_group.isVisible()


def test_label_line_breaks_survive_and_shift_enter_adds_one(setup, qtbot):
    document, stack, panel = setup
    panel.set_selection(["b"])
    field = panel.variable_label
    field.setFocus()
    field.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(field, "(perceived)")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert document.variables["b"].label == "Service quality\n(perceived)"
    assert stack.count() == 1
    panel.set_selection(["a"])
    panel.set_selection(["b"])
    assert field.text() == "Service quality\n(perceived)"


def test_diagram_counts_are_singular_for_one(setup):
    document, stack, panel = setup
    assert panel.diagram_counts.text() == "2 variables, 2 links, 1 loop label"
    push_op(stack, document, ops.RemoveRecords("links", ("l2",)))
    panel.refresh()
    assert panel.diagram_counts.text() == "2 variables, 1 link, 1 loop label"
