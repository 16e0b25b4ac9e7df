"""A click on a link's polarity sign: the first click selects the link, a click on the sign of
the link selected alone cycles it (+ -> - -> ?), so that a stray click never changes a loop."""

from __future__ import annotations

from canvas_helpers import make_canvas
from PySide6.QtCore import Qt

from cld_editor.core.model import Diagram, Link, Variable

CTRL = Qt.KeyboardModifier.ControlModifier


def triangle() -> Diagram:
    """a -> b -> c -> a, one of them negative: a balancing loop."""
    variables = [
        Variable(id="a", label="Workload", x=0, y=-150),
        Variable(id="b", label="Engagement", x=180, y=120),
        Variable(id="c", label="Service", x=-180, y=120),
    ]
    links = [
        Link(id="ab", source="a", target="b", polarity="-"),
        Link(id="bc", source="b", target="c"),
        Link(id="ca", source="c", target="a"),
    ]
    return Diagram(variables=variables, links=links)


def canvas_with_messages(qtbot):
    c = make_canvas(qtbot, triangle())
    said: list[str] = []
    c.scene.status_message.connect(said.append)
    return c, said


def sign(c, link_id: str) -> tuple[float, float]:
    return c.scene.item_for(link_id).geometry.sign_pos


def polarities(c) -> dict[str, str]:
    return {link.id: link.polarity for link in c.doc.diagram.links}


def test_a_click_on_the_sign_of_an_unselected_link_only_selects_it(qtbot):
    c, said = canvas_with_messages(qtbot)
    before = polarities(c)
    c.click(*sign(c, "ab"))
    assert polarities(c) == before and c.stack.count() == 0
    assert c.scene.selected_link_ids() == ["ab"] and not c.scene.selected_variable_ids()
    # It says how to change the sign, now that a click no longer does.
    assert said[-1] == (
        "Link selected: click its sign again, or press +, - or ?, to change its polarity"
    )


def test_a_click_on_the_sign_of_the_link_selected_alone_cycles_it(qtbot):
    c, said = canvas_with_messages(qtbot)
    c.click(*sign(c, "ab"))
    c.click(*sign(c, "ab"))
    assert c.doc.links["ab"].polarity == "?" and c.stack.count() == 1
    assert said[-1] == "Polarity of the link: ? (unknown)"
    c.click(*sign(c, "ab"))
    assert c.doc.links["ab"].polarity == "+"
    assert c.scene.selected_link_ids() == ["ab"]
    c.stack.undo()
    c.stack.undo()
    assert c.doc.links["ab"].polarity == "-"


def test_a_click_on_another_links_sign_moves_the_selection_and_changes_nothing(qtbot):
    c, _ = canvas_with_messages(qtbot)
    c.scene.select_ids(["bc"])
    before = polarities(c)
    c.click(*sign(c, "ab"))
    assert polarities(c) == before and c.stack.count() == 0
    assert c.scene.selected_link_ids() == ["ab"]


def test_a_link_selected_with_others_is_selected_alone_first(qtbot):
    c, _ = canvas_with_messages(qtbot)
    c.scene.select_ids(["ab", "a"])
    c.click(*sign(c, "ab"))
    assert c.doc.links["ab"].polarity == "-" and c.stack.count() == 0
    assert c.scene.selected_link_ids() == ["ab"] and not c.scene.selected_variable_ids()
    c.click(*sign(c, "ab"))
    assert c.doc.links["ab"].polarity == "?"


def test_ctrl_click_on_a_sign_toggles_the_link_in_the_selection_and_never_cycles(qtbot):
    c, _ = canvas_with_messages(qtbot)
    c.scene.select_ids(["bc"])
    c.click(*sign(c, "ab"), CTRL)
    assert c.scene.selected_link_ids() == ["ab", "bc"]
    c.scene.select_ids(["ab"])
    c.click(*sign(c, "ab"), CTRL)
    assert c.scene.selected_link_ids() == [] and c.doc.links["ab"].polarity == "-"
    assert c.stack.count() == 0


def test_a_double_click_on_a_sign_is_a_select_then_a_cycle(qtbot):
    c, _ = canvas_with_messages(qtbot)
    c.double_click(*sign(c, "ab"))  # press: selects; the second click: the selected sign cycles
    assert c.doc.links["ab"].polarity == "?" and c.stack.count() == 1
    c.double_click(*sign(c, "ab"))  # selected already: both clicks cycle
    assert c.doc.links["ab"].polarity == "-" and c.stack.count() == 3
