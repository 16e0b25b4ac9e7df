"""Selecting, moving, nudging and deleting on the canvas, through real input events."""

from canvas_helpers import LEFT, NONE, make_canvas
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cld_editor.core.model import Diagram, Link, LoopLabel, Variable
from cld_editor.core.ops import SetDiagramProperties

CTRL = Qt.KeyboardModifier.ControlModifier


def triangle(**diagram) -> Diagram:
    return Diagram(
        variables=[
            Variable(id="a", label="A", x=0, y=-100),
            Variable(id="b", label="B", x=120, y=60),
            Variable(id="c", label="C", x=-120, y=60),
        ],
        links=[
            Link(id="ab", source="a", target="b"),
            Link(id="bc", source="b", target="c", polarity="-"),
            Link(id="ca", source="c", target="a"),
        ],
        **diagram,
    )


def test_one_drag_of_several_selected_variables_is_one_undo_step(qtbot):
    c = make_canvas(qtbot, triangle())
    c.click(0, -100)
    c.click(120, 60, CTRL)
    assert c.scene.selected_variable_ids() == ["a", "b"]
    link = c.scene.item_for("bc")
    start_before = link.geometry.start
    QTest.mousePress(c.port, LEFT, NONE, c.at(0, -100))
    for step in range(1, 6):
        QTest.mouseMove(c.port, c.at(10 * step, -100 + 8 * step))
    # The links follow live, before anything is pushed.
    assert c.stack.count() == 0
    assert link.geometry.start != start_before
    QTest.mouseRelease(c.port, LEFT, NONE, c.at(50, -60))
    assert c.stack.count() == 1 and c.stack.undoText() == "Move"
    assert (c.doc.variables["a"].x, c.doc.variables["a"].y) == (50, -60)
    assert (c.doc.variables["b"].x, c.doc.variables["b"].y) == (170, 100)
    assert (c.doc.variables["c"].x, c.doc.variables["c"].y) == (-120, 60)
    c.stack.undo()
    assert c.scene.variable_scene_pos("b").x() == 120
    assert link.geometry.start == start_before


def test_ctrl_click_toggles_and_rubber_band_selects(qtbot):
    c = make_canvas(qtbot, triangle())
    changes = []
    c.scene.selection_ids_changed.connect(lambda: changes.append(1))
    c.click(0, -100)
    c.click(-120, 60, CTRL)
    c.click(0, -100, CTRL)
    assert c.scene.selected_variable_ids() == ["c"]
    assert changes
    c.drag((-300, -300), (300, 20))  # covers a and the top of the links
    assert c.scene.selected_variable_ids() == ["a"]
    assert c.scene.selected_link_ids() == []  # links merely crossing the band are left out
    c.key(Qt.Key.Key_Escape)
    assert not c.scene.selectedItems()


def test_arrow_key_nudges_merge_into_one_step(qtbot):
    c = make_canvas(qtbot, triangle())
    c.scene.select_ids(["a", "c"])
    c.key(Qt.Key.Key_Right)
    c.key(Qt.Key.Key_Right)
    c.key(Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert (c.doc.variables["a"].x, c.doc.variables["a"].y) == (20, -99)
    assert c.stack.count() == 1
    c.stack.undo()
    assert (c.doc.variables["a"].x, c.doc.variables["a"].y) == (0, -100)
    assert (c.doc.variables["c"].x, c.doc.variables["c"].y) == (-120, 60)
    c.stack.redo()
    assert c.doc.variables["c"].x == -100


def test_delete_removes_the_selection_with_its_links_in_one_step(qtbot):
    c = make_canvas(qtbot, triangle())
    c.scene.select_ids(["a", "bc"])
    c.key(Qt.Key.Key_Delete)
    assert list(c.doc.variables) == ["b", "c"] and not c.doc.links
    assert c.stack.count() == 1 and c.stack.undoText() == "Delete"
    assert all(c.scene.item_for(i) is None for i in ("a", "ab", "bc", "ca"))
    c.stack.undo()
    assert list(c.doc.links) == ["ab", "bc", "ca"]
    assert all(c.scene.item_for(i) is not None for i in ("a", "ab", "bc", "ca"))
    c.scene.select_ids(["ab"])
    c.key(Qt.Key.Key_Backspace)
    assert list(c.doc.links) == ["bc", "ca"]


def test_dragging_the_waterline_is_one_step(qtbot):
    c = make_canvas(qtbot, triangle(waterline=0.0))
    assert c.scene.waterline_item() is not None
    c.drag((300, 0), (300, 40))
    assert c.doc.waterline == 40.0 and c.stack.count() == 1
    assert c.scene.waterline_item().line_y == 40.0
    c.stack.undo()
    assert c.scene.waterline_item().line_y == 0.0
    c.scene.push(SetDiagramProperties({"waterline": None}))
    assert c.scene.waterline_item() is None and not c.scene.waterline_visible


def test_loop_label_drags_in_one_step_and_double_click_asks_for_a_name(qtbot):
    label = LoopLabel(id="L1", loop=["a", "b", "c"], x=0, y=10)
    c = make_canvas(qtbot, triangle(loop_labels=[label]))
    asked = []
    c.scene.loop_label_rename_requested.connect(asked.append)
    c.drag((0, 10), (30, 40))
    assert (c.doc.loop_labels["L1"].x, c.doc.loop_labels["L1"].y) == (30, 40)
    assert c.stack.count() == 1
    c.double_click(30, 40)
    assert asked == ["L1"]


def test_scene_rect_grows_around_new_and_moved_content_but_never_shrinks(qtbot):
    from cld_editor.core.ops import add_variable, move_variables

    c = make_canvas(qtbot, triangle())
    before = c.scene.sceneRect()
    c.scene.push(add_variable(Variable(id="far", label="Far away", x=5000, y=-4000)))
    grown = c.scene.sceneRect()
    assert grown.contains(before) and grown.contains(5900, -4900)
    c.scene.push(move_variables({"far": (0, 0)}))
    assert c.scene.sceneRect() == grown
