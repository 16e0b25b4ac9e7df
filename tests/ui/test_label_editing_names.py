"""Naming variables in place on the canvas: a new variable is offered a free name, and a name
another variable holds is refused (the editor stays open on it after Enter, a click elsewhere
drops it), leaving the diagram and the undo stack as they were."""

from __future__ import annotations

import pytest
from canvas_helpers import make_canvas
from PySide6.QtCore import Qt

from cld_editor.core.model import Diagram, Variable

TAKEN = "“revenue” is already the name of another variable: choose another so loops read clearly"


@pytest.fixture
def canvas(qtbot):
    diagram = Diagram(
        variables=[
            Variable(id="r", label="Revenue", x=-150, y=0),
            Variable(id="c", label="Cost", x=150, y=0),
            Variable(id="v", label="Variable 1", x=0, y=200),
        ]
    )
    c = make_canvas(qtbot, diagram)
    c.said = []
    c.scene.status_message.connect(c.said.append)
    return c


def two_named(first: str, second: str) -> Diagram:
    """Variables a and b, side by side, labelled ``first`` and ``second``."""
    return Diagram(
        variables=[
            Variable(id="a", label=first, x=-150, y=0),
            Variable(id="b", label=second, x=150, y=0),
        ]
    )


def editor_state(c) -> tuple[str, str]:
    """(text, selected text) of the open label editor."""
    editor = c.scene.label_editor()
    assert editor is not None and editor.isVisible() and editor.hasFocus()
    return editor.text(), editor.textCursor().selectedText()


def test_a_new_variable_is_offered_a_free_name_that_typing_replaces(canvas, qtbot):
    c = canvas
    c.double_click(0, -200)
    assert editor_state(c) == ("Variable 2", "Variable 2")
    c.key(Qt.Key.Key_Return)
    assert [v.label for v in c.doc.variables.values()][-1] == "Variable 2"
    c.double_click(300, -200)
    assert editor_state(c) == ("Variable 3", "Variable 3")
    c.type("Price")
    c.key(Qt.Key.Key_Return)
    assert [v.label for v in c.doc.variables.values()][-1] == "Price"
    assert c.stack.count() == 2


def test_enter_on_a_taken_name_keeps_the_new_variable_editor_open_on_it(canvas, qtbot):
    c = canvas
    before = c.doc.diagram
    c.double_click(0, -200)
    c.type("revenue")
    c.key(Qt.Key.Key_Return)
    assert c.doc.diagram == before and c.stack.count() == 0
    assert editor_state(c) == ("revenue", "revenue")  # selected: typing replaces it
    assert c.said[-1] == TAKEN
    c.type("Revenue growth")
    c.key(Qt.Key.Key_Return)
    assert [v.label for v in c.doc.variables.values()][-1] == "Revenue growth"
    assert c.stack.count() == 1 and c.stack.undoText() == "Add variable"
    qtbot.waitUntil(lambda: c.scene.label_editor() is None)
    assert c.said[-1] == ""  # the refusal is over


def test_a_taken_rename_is_refused_until_corrected_or_cancelled(canvas, qtbot):
    c = canvas
    before = c.doc.diagram
    c.scene.select_ids(["c"])
    c.key(Qt.Key.Key_F2)
    c.type("  REVENUE ")
    c.key(Qt.Key.Key_Return)
    assert c.doc.diagram == before and c.stack.count() == 0
    assert editor_state(c) == ("REVENUE", "REVENUE")
    assert c.said[-1].startswith("“REVENUE” is already the name of another variable")
    c.key(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: c.scene.label_editor() is None)
    assert c.doc.diagram == before and c.stack.count() == 0
    assert not c.scene.item_for("c").editing
    # Corrected the second time.
    c.double_click(150, 0)
    c.type("Revenue")
    c.key(Qt.Key.Key_Return)
    c.type("Costs")
    c.key(Qt.Key.Key_Return)
    assert c.doc.variables["c"].label == "Costs" and c.stack.count() == 1


def test_a_click_elsewhere_drops_a_taken_name(canvas, qtbot):
    c = canvas
    before = c.doc.diagram
    c.double_click(150, 0)
    c.type("Revenue")
    c.click(0, -250)
    qtbot.waitUntil(lambda: c.scene.label_editor() is None)
    assert c.doc.diagram == before and c.stack.count() == 0
    assert c.said[-1].startswith("“Revenue” is already the name")
    # A new variable's editor on a taken name, left by a double-click elsewhere: that one
    # opens, the taken one is dropped.
    c.double_click(0, -200)
    c.type("Cost")
    c.double_click(300, -200)
    assert editor_state(c) == ("Variable 2", "Variable 2")
    assert c.doc.diagram == before


def test_a_variable_may_take_its_own_name_in_another_case(canvas):
    c = canvas
    c.scene.select_ids(["r"])
    c.key(Qt.Key.Key_F2)
    c.type("REVENUE")
    c.key(Qt.Key.Key_Return)
    assert c.doc.variables["r"].label == "REVENUE" and c.stack.count() == 1


def test_an_unchanged_name_shared_in_the_file_is_not_refused(qtbot):
    c = make_canvas(
        qtbot,
        two_named("Revenue", "Revenue"),
    )
    said: list[str] = []
    c.scene.status_message.connect(said.append)
    c.scene.select_ids(["b"])
    c.key(Qt.Key.Key_F2)
    c.key(Qt.Key.Key_Return)  # the name as it was: nothing to do, nothing to say
    qtbot.waitUntil(lambda: c.scene.label_editor() is None)
    assert c.stack.count() == 0 and not any("already" in line for line in said)


def test_a_click_elsewhere_on_the_offered_name_adds_nothing(canvas, qtbot):
    """A stray double-click on empty canvas, then a click elsewhere: no "Variable 2"."""
    c = canvas
    before = c.doc.diagram
    c.double_click(0, -200)
    assert editor_state(c) == ("Variable 2", "Variable 2")
    c.click(300, 300)
    qtbot.waitUntil(lambda: c.scene.label_editor() is None)
    assert c.doc.diagram == before and c.stack.count() == 0
    assert c.said[-1] == ""  # the typing hint is gone too
    # Another double-click elsewhere drops it the same way, and opens there on the same name.
    c.double_click(0, -200)
    c.double_click(300, -200)
    assert editor_state(c) == ("Variable 2", "Variable 2")
    assert c.doc.diagram == before
    # Enter on the offered name adds it; a name typed is kept by a click elsewhere.
    c.key(Qt.Key.Key_Return)
    assert [v.label for v in c.doc.variables.values()][-1] == "Variable 2"
    c.double_click(-300, -200)
    c.type("Price")
    c.click(300, 300)
    qtbot.waitUntil(lambda: c.scene.label_editor() is None)
    assert [v.label for v in c.doc.variables.values()][-1] == "Price"
    c.double_click(-300, -300)
    assert editor_state(c) == ("Variable 3", "Variable 3")
    c.type("Variable 3")  # the offered name, typed: meant
    c.click(300, 300)
    qtbot.waitUntil(lambda: c.scene.label_editor() is None)
    assert [v.label for v in c.doc.variables.values()][-1] == "Variable 3"
    assert c.stack.count() == 3


def test_enter_on_an_unchanged_name_with_spaces_at_its_ends_is_not_refused(qtbot):
    """The editor trims "Revenue " to "Revenue": that is still its own name, though another
    variable holds "Revenue"; nor does Enter make a rename of the spaces."""
    c = make_canvas(
        qtbot,
        Diagram(
            variables=[
                Variable(id="a", label="Revenue ", x=-150, y=0),
                Variable(id="b", label="Revenue", x=150, y=0),
                Variable(id="m", label=" Margin", x=0, y=200),
            ]
        ),
    )
    said: list[str] = []
    c.scene.status_message.connect(said.append)
    before = c.doc.diagram
    for variable_id in ("a", "m"):
        c.scene.select_ids([variable_id])
        c.key(Qt.Key.Key_F2)
        c.key(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: c.scene.label_editor() is None)
    assert c.doc.diagram == before and c.stack.count() == 0
    assert not any("already" in line for line in said)


def test_a_new_case_of_a_name_another_variable_shares_is_still_refused(qtbot):
    c = make_canvas(
        qtbot,
        two_named("Revenue ", "Revenue"),
    )
    c.view.activateWindow()  # Enter keeps the editor open only while it has the keyboard
    qtbot.waitUntil(c.view.isActiveWindow)
    said: list[str] = []
    c.scene.status_message.connect(said.append)
    before = c.doc.diagram
    c.scene.select_ids(["a"])
    c.key(Qt.Key.Key_F2)
    c.type("REVENUE")
    c.key(Qt.Key.Key_Return)
    assert said[-1].startswith("“REVENUE” is already the name of another variable")
    assert editor_state(c) == ("REVENUE", "REVENUE")
    assert c.doc.diagram == before and c.stack.count() == 0
