"""Rubber-band selection with the mouse: variables it touches, links only when it holds them whole
or both their ends are selected (a link that merely crosses the band is not taken)."""

from __future__ import annotations

from canvas_helpers import make_canvas, two_variables
from PySide6.QtCore import Qt

from cld_editor.core.model import Diagram, Link, Variable

CTRL = Qt.KeyboardModifier.ControlModifier


def test_a_band_that_only_crosses_a_link_does_not_select_it(qtbot):
    c = make_canvas(qtbot, two_variables(curvature=0.0, link=True))
    c.drag((-30, -60), (30, 60))  # across the middle of the link, no variable
    assert c.scene.selected_link_ids() == []
    assert c.scene.selectedItems() == []


def test_a_band_over_one_end_takes_the_variable_but_not_its_link(qtbot):
    c = make_canvas(qtbot, two_variables(curvature=0.0, link=True))
    c.drag((-250, -60), (0, 60))  # Alpha and half the link
    assert c.scene.selected_variable_ids() == ["a"]
    assert c.scene.selected_link_ids() == []


def test_a_band_holding_both_ends_takes_the_link_even_if_its_arc_bows_out(qtbot):
    c = make_canvas(qtbot, two_variables(curvature=0.6, link=True))
    arc_top = c.scene.item_for("l1").paths.ink.top()
    assert arc_top < -100  # the arc bows far above the variables
    c.drag((-250, -40), (250, 40))
    assert sorted(c.scene.selected_variable_ids()) == ["a", "b"]
    assert c.scene.selected_link_ids() == ["l1"]


def test_a_band_holding_a_link_whole_takes_it(qtbot):
    variables = [
        Variable(id="a", label="Alpha", x=-150, y=0),
        Variable(id="b", label="Beta", x=150, y=0),
        Variable(id="c", label="Gamma", x=0, y=200),
    ]
    links = [Link(id="l1", source="a", target="c", curvature=0.0)]
    c = make_canvas(qtbot, Diagram(variables=variables, links=links))
    c.drag((-300, -80), (300, 150))  # a, b and the whole link, not its target c
    assert sorted(c.scene.selected_variable_ids()) == ["a", "b"]
    assert c.scene.selected_link_ids() == []  # its arrowhead is on c, outside the band
    c.click(0, 400)
    c.drag((-300, -80), (300, 260))
    assert c.scene.selected_link_ids() == ["l1"]


def test_ctrl_band_keeps_the_links_selected_before(qtbot):
    c = make_canvas(qtbot, two_variables(curvature=0.0, link=True))
    c.click(0, 0)
    assert c.scene.selected_link_ids() == ["l1"]
    c.drag((-250, -60), (-100, 60), modifiers=CTRL)  # adds Alpha
    assert c.scene.selected_variable_ids() == ["a"]
    assert c.scene.selected_link_ids() == ["l1"]
