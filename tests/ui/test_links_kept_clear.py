"""Links bent clear of variables they do not connect after Align, Distribute, a rename that
grows a box, and Tidy Up: through the window's actions and real key presses, on the small CX/EX
diagram a new user drew (four variables in a ragged row under three CX ones)."""

from __future__ import annotations

import pytest
from canvas_helpers import make_canvas
from PySide6.QtCore import Qt
from window_helpers import Dialogs, open_window, use_temp_settings

from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.layout.boxes import Grid, rects
from cld_editor.layout.link_checks import links_over
from cld_editor.layout.moved_links import CLEAR_BY
from cld_editor.ui.drawing import render

ROW = ["rev", "inv", "work", "eng"]


def user_diagram() -> Diagram:
    variables = [
        Variable(id="eng", label="Employee engagement", domain="EX", x=264, y=-15),
        Variable(id="sq", label="Service quality", domain="CX", x=260, y=-214),
        Variable(id="cs", label="Customer satisfaction", domain="CX", x=-35, y=-287),
        Variable(id="rev", label="Revenue", x=-349, y=10),
        Variable(id="inv", label="Investment in employees", domain="EX", x=-145, y=-2),
        Variable(id="work", label="Workload", domain="EX", x=30, y=8),
        Variable(id="cd", label="Customer demand", domain="CX", x=-349, y=-214),
    ]
    pairs = [
        ("eng", "sq", "+"),
        ("sq", "cs", "+"),
        ("cs", "rev", "+"),
        ("rev", "inv", "+"),
        ("inv", "eng", "+"),
        ("cs", "cd", "+"),
        ("cd", "work", "+"),
        ("work", "eng", "-"),
        ("inv", "work", "-"),
    ]
    links = [
        Link(id=f"{s}-{t}", source=s, target=t, polarity=p, curvature=0.0) for s, t, p in pairs
    ]
    return Diagram(variables=variables, links=links)


def crowded(document) -> dict[str, list[str]]:
    """The links passing over, or within CLEAR_BY of, a variable they do not connect."""
    sizes = {}
    for v in document.variables.values():
        shape = render.variable_shape(v.label)
        sizes[v.id] = (shape.width, shape.height)
    pos = {v.id: (v.x, v.y) for v in document.variables.values()}
    bends = {link.id: link.curvature for link in document.links.values()}
    grid = Grid(rects(pos, sizes), cell=120.0, margin=CLEAR_BY + 2)
    return links_over(list(document.links.values()), pos, bends, grid, CLEAR_BY)


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    use_temp_settings(tmp_path / "settings")
    Dialogs().install(monkeypatch)
    window = open_window(qtbot, example=False)
    window.files.load_diagram(user_diagram(), None)
    yield window
    window.shutdown()


def test_align_middle_then_distribute_keeps_investment_clear_of_workload(window) -> None:
    window.scene.select_ids(ROW)
    window.arrange.align_actions["middle"].trigger()
    window.arrange.distribute_h.trigger()
    assert len({round(window.document.variables[v].y, 2) for v in ROW}) == 1
    # Straight, Investment -> Employee engagement would run through Workload's box: it is
    # bent, and keeps clear of the box, its badge and the arrowheads landing on it.
    assert window.document.links["inv-eng"].curvature != 0
    assert crowded(window.document) == {}
    window.undo_stack.undo()  # Distribute
    window.undo_stack.undo()  # Align, with the bends it made
    assert window.document.links["inv-eng"].curvature == 0


def test_tidy_up_says_what_it_did(window) -> None:
    window.scene.select_ids([])
    assert window.arrange.tidy()
    message = window.statusBar().currentMessage()
    assert message.startswith("Tidied: ")
    assert "re-bent 1 link" in message  # inv -> eng, through Workload on a nearly level row
    assert crowded(window.document) == {}
    assert not window.arrange.tidy()
    assert window.statusBar().currentMessage() == "Already tidy"


def workload_row() -> Diagram:
    """Investment -> Engagement bowed just clear of Workload, in a row between them."""
    return Diagram(
        variables=[
            Variable(id="a", label="Investment", x=-250, y=0),
            Variable(id="w", label="Workload", x=0, y=0),
            Variable(id="b", label="Engagement", x=250, y=0),
        ],
        links=[Link(id="ab", source="a", target="b", curvature=0.07)],
    )


def test_a_rename_that_grows_a_box_bends_the_links_it_now_blocks_in_one_step(qtbot) -> None:
    c = make_canvas(qtbot, workload_row())
    assert crowded(c.doc) == {}  # the bow clears the one-line box
    c.scene.select_ids(["w"])
    c.key(Qt.Key.Key_F2)
    c.type("Workload per employee")
    c.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    c.type("and overtime hours")
    c.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    c.type("per week")
    c.key(Qt.Key.Key_Return)
    assert c.doc.variables["w"].label.count("\n") == 2
    assert crowded(c.doc) == {}
    assert abs(c.doc.links["ab"].curvature) > 0.07
    assert c.stack.count() == 1 and c.stack.undoText() == "Rename"
    c.stack.undo()
    assert c.doc.variables["w"].label == "Workload"
    assert c.doc.links["ab"].curvature == 0.07


def test_a_rename_that_does_not_grow_the_box_leaves_links_alone(qtbot) -> None:
    c = make_canvas(qtbot, workload_row())
    c.scene.select_ids(["w"])
    c.key(Qt.Key.Key_F2)
    c.type("Load")
    c.key(Qt.Key.Key_Return)
    assert c.doc.variables["w"].label == "Load"
    assert c.doc.links["ab"].curvature == 0.07
