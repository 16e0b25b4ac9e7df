"""Drawing on the canvas through real mouse and keyboard events: variables and links."""

from canvas_helpers import make_canvas, two_variables
from PySide6.QtCore import Qt

from cld_editor.core.model import Diagram, Link, Variable

ALT = Qt.KeyboardModifier.AltModifier


def edge_point(canvas, variable_id: str) -> tuple[float, float]:
    """A point just inside the top edge of a variable (where a press starts a link)."""
    box = canvas.scene.item_for(variable_id).box()
    return (box.cx, box.cy - box.hh + 2)


def test_double_click_creates_a_variable_with_its_label_in_one_undo_step(qtbot):
    c = make_canvas(qtbot)
    c.double_click(40, 30)
    assert c.scene.label_editor() is not None
    c.type("Customer trust")
    c.key(Qt.Key.Key_Return)
    [variable] = c.doc.variables.values()
    assert (variable.label, variable.x, variable.y) == ("Customer trust", 40.0, 30.0)
    assert c.stack.count() == 1 and c.stack.undoText() == "Add variable"
    assert c.scene.selected_variable_ids() == [variable.id]
    c.stack.undo()
    assert not c.doc.variables and c.scene.item_for(variable.id) is None
    c.stack.redo()
    assert c.doc.variables[variable.id].label == "Customer trust"
    assert c.scene.item_for(variable.id) is not None


def test_escape_cancels_a_new_variable(qtbot):
    c = make_canvas(qtbot)
    c.double_click(0, 0)
    c.type("Nope")
    c.key(Qt.Key.Key_Escape)
    assert not c.doc.variables and c.stack.count() == 0
    qtbot.waitUntil(lambda: c.scene.label_editor() is None)


def test_double_click_and_f2_rename_in_place(qtbot):
    c = make_canvas(qtbot, two_variables())
    c.double_click(-150, 0)
    c.type("Service quality")
    c.key(Qt.Key.Key_Return)
    assert c.doc.variables["a"].label == "Service quality"
    assert c.stack.undoText() == "Rename"
    # The box grew to fit the longer label.
    assert c.scene.item_for("a").box().hw > 40
    c.scene.select_ids(["b"])
    c.key(Qt.Key.Key_F2)
    c.type("Staff morale")
    c.key(Qt.Key.Key_Return)
    assert c.doc.variables["b"].label == "Staff morale"
    c.stack.undo()
    c.stack.undo()
    assert [v.label for v in c.doc.variables.values()] == ["Alpha", "Beta"]


def test_drag_from_a_variables_edge_draws_a_link(qtbot):
    c = make_canvas(qtbot, two_variables())
    c.drag(edge_point(c, "a"), (150, 0))
    [link] = c.doc.links.values()
    assert (link.source, link.target, link.polarity, link.curvature) == ("a", "b", "+", 0.2)
    assert c.stack.undoText() == "Add link" and c.stack.count() == 1
    assert c.scene.selected_link_ids() == [link.id]
    c.stack.undo()
    assert not c.doc.links and c.scene.item_for(link.id) is None
    c.stack.redo()
    assert c.scene.item_for(link.id) is not None


def test_dragging_a_variables_body_moves_it_instead(qtbot):
    c = make_canvas(qtbot, two_variables())
    c.drag((-150, 0), (-150, 120))
    assert not c.doc.links
    assert (c.doc.variables["a"].x, c.doc.variables["a"].y) == (-150, 120)


def test_alt_drag_and_link_tool_draw_links_from_anywhere_on_a_variable(qtbot):
    c = make_canvas(qtbot, two_variables())
    c.drag((-150, 0), (150, 0), ALT)
    assert c.doc.link_between("a", "b") is not None
    c.key(Qt.Key.Key_L)
    assert c.view.tool() == "link"
    c.drag((150, 0), (-150, 0))
    assert c.doc.link_between("b", "a") is not None
    c.key(Qt.Key.Key_V)
    assert c.view.tool() == "select"


def test_a_drag_that_returns_to_its_variable_makes_a_self_link(qtbot):
    c = make_canvas(qtbot, two_variables())
    start = edge_point(c, "a")
    c.drag(start, (-150, -120), steps=4)
    assert not c.doc.links  # released on empty canvas: cancelled
    c.key(Qt.Key.Key_L)
    from PySide6.QtTest import QTest

    QTest.mousePress(
        c.port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, c.at(-150, 0)
    )
    QTest.mouseMove(c.port, c.at(-150, -100))
    QTest.mouseMove(c.port, c.at(-150, 3))
    QTest.mouseRelease(
        c.port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, c.at(-150, 3)
    )
    [link] = c.doc.links.values()
    assert link.source == link.target == "a"


def test_a_click_on_the_edge_makes_no_link_but_selects(qtbot):
    c = make_canvas(qtbot, two_variables(link=True))
    c.click(*edge_point(c, "a"))
    assert list(c.doc.links) == ["l1"] and c.stack.count() == 0
    assert c.scene.selected_variable_ids() == ["a"]
    # A click on the arrowhead (inside the target's edge zone) selects the link.
    tip = c.scene.item_for("l1").geometry.arrow[2]
    c.click(*tip)
    assert c.scene.selected_link_ids() == ["l1"] and not c.scene.selected_variable_ids()


def test_dropping_on_empty_canvas_cancels_and_says_so(qtbot):
    c = make_canvas(qtbot, two_variables())
    messages = []
    c.scene.status_message.connect(messages.append)
    c.drag(edge_point(c, "a"), (0, 200))
    assert not c.doc.links and c.stack.count() == 0
    assert "cancelled" in messages[-1].lower()
    assert not any(type(i).__name__ == "RubberLinkItem" for i in c.scene.items())


def test_a_duplicate_link_is_refused_with_a_message(qtbot):
    c = make_canvas(qtbot, two_variables(link=True))
    messages = []
    c.scene.status_message.connect(messages.append)
    c.drag(edge_point(c, "a"), (150, 0))
    assert list(c.doc.links) == ["l1"] and c.stack.count() == 0
    assert "already a link" in messages[-1]


def test_escape_cancels_a_link_drag(qtbot):
    from PySide6.QtTest import QTest

    c = make_canvas(qtbot, two_variables())
    QTest.mousePress(
        c.port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, c.at(*edge_point(c, "a"))
    )
    QTest.mouseMove(c.port, c.at(100, 0))
    c.key(Qt.Key.Key_Escape)
    QTest.mouseRelease(
        c.port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, c.at(150, 0)
    )
    assert not c.doc.links


def test_polarity_keys_and_delay_on_the_selected_link(qtbot):
    c = make_canvas(qtbot, two_variables(link=True))
    messages: list[str] = []
    c.scene.status_message.connect(messages.append)
    c.scene.select_ids(["l1"])
    c.key(Qt.Key.Key_Minus)
    assert c.doc.links["l1"].polarity == "-"
    # The status bar says the new sign (a hint naming the old one does not stay).
    assert messages == ["Polarity of the link: \u2212 (opposite direction)"]
    c.type("?")
    assert c.doc.links["l1"].polarity == "?"
    c.type("+")
    assert c.doc.links["l1"].polarity == "+"
    c.key(Qt.Key.Key_D)
    assert c.doc.links["l1"].delay is True and c.stack.undoText() == "Toggle delay"
    c.key(Qt.Key.Key_D)
    assert c.doc.links["l1"].delay is False
    for _ in range(5):
        c.stack.undo()
    assert c.doc.links["l1"].polarity == "+" and c.stack.index() == 0
    c.stack.redo()
    assert c.doc.links["l1"].polarity == "-"


def test_clicking_the_polarity_sign_cycles_it(qtbot):
    c = make_canvas(qtbot, two_variables(link=True))
    sign = c.scene.item_for("l1").geometry.sign_pos
    c.click(*sign)  # the first click selects the link (tests/ui/test_sign_click.py)
    assert c.doc.links["l1"].polarity == "+" and c.scene.selected_link_ids() == ["l1"]
    c.click(*sign)
    assert c.doc.links["l1"].polarity == "-"
    c.click(*sign)
    assert c.doc.links["l1"].polarity == "?"
    c.click(*sign)
    assert c.doc.links["l1"].polarity == "+"
    assert c.stack.count() == 3


def test_dragging_the_handle_bends_the_link_in_one_step(qtbot):
    c = make_canvas(qtbot, two_variables(link=True))
    item = c.scene.item_for("l1")
    c.click(*item.geometry.mid)  # select the link
    assert c.scene.selected_link_ids() == ["l1"]
    handle = item.geometry.handle
    before = item.geometry.cubics
    c.drag(handle, (0, 90))  # below the chord: bows to the right of a -> b
    link = c.doc.links["l1"]
    assert abs(link.curvature - (-90 / 300)) < 0.01
    assert c.stack.count() == 1 and c.stack.undoText() == "Bend link"
    assert item.geometry.handle[1] > 80 and item.geometry.cubics != before
    c.stack.undo()
    assert c.doc.links["l1"].curvature == 0.2 and item.geometry.cubics == before


def test_domain_keys_set_the_domain_of_selected_variables(qtbot):
    c = make_canvas(qtbot, two_variables())
    c.scene.select_ids(["a", "b"])
    c.key(Qt.Key.Key_C)
    assert [v.domain for v in c.doc.variables.values()] == ["CX", "CX"]
    c.key(Qt.Key.Key_E)
    assert c.scene.item_for("a").domain == "EX"
    c.key(Qt.Key.Key_N)
    assert c.doc.variables["b"].domain is None
    assert c.stack.count() == 3


def test_shift_enter_starts_a_new_line_in_the_label(qtbot):
    c = make_canvas(qtbot)
    c.double_click(0, 0)
    c.type("Staff")
    c.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    c.type("morale")
    c.key(Qt.Key.Key_Return)
    [variable] = c.doc.variables.values()
    assert variable.label == "Staff\nmorale"
    item = c.scene.item_for(variable.id)
    assert [text for text, _, _ in item.layout.lines] == ["Staff", "morale"]


def test_one_key_that_changes_many_records_says_what_it_did(qtbot):
    """Ctrl+A then a stray E, N or D changes the whole diagram: the status bar says so."""
    variables = [Variable(id=f"v{k}", label=f"V{k}", x=200.0 * k, y=0) for k in range(4)]
    links = [Link(id=f"l{k}", source=f"v{k}", target=f"v{(k + 1) % 4}") for k in range(4)]
    c = make_canvas(qtbot, Diagram(variables=variables, links=links))
    messages: list[str] = []
    c.scene.status_message.connect(messages.append)
    c.scene.select_ids([*c.doc.variables, *c.doc.links])
    c.key(Qt.Key.Key_E)
    assert messages[-1] == "Domain EX for 4 variables"
    c.key(Qt.Key.Key_N)
    assert messages[-1] == "No domain for 4 variables"
    c.key(Qt.Key.Key_D)
    assert messages[-1] == "Delay mark on for 4 links"
    c.key(Qt.Key.Key_D)
    assert messages[-1] == "Delay mark off for 4 links"
    assert c.stack.count() == 4  # each one step, undone by Ctrl+Z
    c.scene.select_ids(["v1"])
    c.key(Qt.Key.Key_C)
    assert messages[-1] == "Domain CX for the variable"
