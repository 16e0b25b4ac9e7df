"""The edits (core/edits.py), headless through the plain-Python History: each keeps only the
records that change, returns None when nothing would, and undoes back to the diagram it found."""

from __future__ import annotations

import pytest

from cld_editor.core import edits
from cld_editor.core.document import Document
from cld_editor.core.history import History
from cld_editor.core.model import Diagram, Link, LoopLabel, Variable


@pytest.fixture
def history() -> History:
    diagram = Diagram(
        title="Service",
        variables=[
            Variable(id="a", label="Staff", x=0, y=0, domain="EX"),
            Variable(id="b", label="Quality", x=100, y=0),
            Variable(id="c", label="Customers", x=50, y=-80, domain="CX"),
        ],
        links=[
            Link(id="ab", source="a", target="b"),
            Link(id="bc", source="b", target="c", polarity="-", delay=True),
            Link(id="ca", source="c", target="a", curvature=0.0),
        ],
        loop_labels=[LoopLabel(id="r1", loop=["a", "b", "c"], x=50, y=-20)],
    )
    return History(Document(diagram))


def push(history: History, op) -> str:
    """Push ``op`` (which must be an Op), then check that undo restores the diagram exactly."""
    assert op is not None
    before = history.doc.diagram
    history.push(op)
    after = history.doc.diagram
    assert after != before
    history.undo()
    assert history.doc.diagram == before
    history.redo()
    assert history.doc.diagram == after
    return op.name


def test_delete_takes_links_of_deleted_variables_once(history: History) -> None:
    doc = history.doc
    assert push(history, edits.delete(doc, ["a"], ["ab", "bc"], ["r1"])) == "Delete"
    assert set(doc.variables) == {"b", "c"}
    assert set(doc.links) == set() and not doc.loop_labels


def test_delete_of_nothing_is_none(history: History) -> None:
    assert edits.delete(history.doc) is None
    assert edits.delete(history.doc, ["nope"]) is None
    assert edits.cut(history.doc, []) is None


def test_cut_is_one_step_named_cut(history: History) -> None:
    assert push(history, edits.cut(history.doc, ["b"])) == "Cut"
    assert set(history.doc.links) == {"ca"}


def test_polarity_keeps_only_links_that_change(history: History) -> None:
    doc = history.doc
    op = edits.set_polarity(doc, ["ab", "bc"], "-")
    assert op is not None and [i for i, _ in op.changes] == ["ab"]
    assert push(history, op) == "Set polarity"
    assert edits.set_polarity(doc, ["ab", "bc"], "-") is None


def test_cycle_polarity(history: History) -> None:
    doc = history.doc
    seen = []
    for _ in range(3):
        history.push(edits.cycle_polarity(doc, "ab"))
        seen.append(doc.links["ab"].polarity)
    assert seen == ["-", "?", "+"]
    assert edits.cycle_polarity(doc, "nope") is None


def test_toggle_delay_switches_a_mixed_selection_on(history: History) -> None:
    doc = history.doc
    assert push(history, edits.toggle_delay(doc, ["ab", "bc"])) == "Toggle delay"
    assert doc.links["ab"].delay and doc.links["bc"].delay
    history.push(edits.toggle_delay(doc, ["ab", "bc"]))
    assert not doc.links["ab"].delay and not doc.links["bc"].delay
    assert edits.set_delay(doc, ["ab"], False) is None


def test_domain_rename_and_notes(history: History) -> None:
    doc = history.doc
    assert edits.set_domain(doc, ["a"], "EX") is None
    assert push(history, edits.set_domain(doc, ["a", "b"], "CX")) == "Set domain"
    assert doc.variables["b"].domain == "CX"
    assert edits.rename_variable(doc, "a", "") is None
    assert edits.rename_variable(doc, "a", "Staff") is None
    assert push(history, edits.rename_variable(doc, "a", "Morale")) == "Rename"
    assert push(history, edits.set_notes(doc, "a", "see survey")) == "Edit notes"
    assert edits.set_notes(doc, "a", "see survey") is None


def test_move_rounds_and_joins_labels_in_one_step(history: History) -> None:
    doc = history.doc
    op = edits.move(doc, {"a": (10.123, 0.0), "b": (100.0, 0.0)}, {"r1": (1.0, 2.0)})
    assert push(history, op) == "Move"
    assert (doc.variables["a"].x, doc.variables["a"].y) == (10.12, 0.0)
    assert (doc.loop_labels["r1"].x, doc.loop_labels["r1"].y) == (1.0, 2.0)
    assert edits.move(doc, {"b": (100.0, 0.0)}) is None
    assert push(history, edits.move(doc, labels={"r1": (5, 5)})) == "Move loop label"


def test_nudge(history: History) -> None:
    doc = history.doc
    assert push(history, edits.nudge(doc, ["a", "c"], 10, -1)) == "Move"
    assert (doc.variables["c"].x, doc.variables["c"].y) == (60, -81)
    assert edits.nudge(doc, [], 10, 0) is None


def test_add_variable_and_link(history: History) -> None:
    doc = history.doc
    op = edits.add_variable(doc, "Price", 3.14159, 2)
    assert push(history, op) == "Add variable"
    (new,) = edits.added_ids(op)
    assert doc.variables[new].label == "Price" and doc.variables[new].x == 3.14
    assert edits.add_variable(doc, "", 0, 0) is None
    assert edits.add_link(doc, "a", "b") is None  # there is one already
    link = edits.add_link(doc, "b", "a")
    assert push(history, link) == "Add link"
    (link_id,) = edits.added_ids(link, "links")
    assert doc.links[link_id].polarity == "+"
    assert edits.add_link(doc, "a", "missing") is None


def test_bend_and_straighten(history: History) -> None:
    doc = history.doc
    assert push(history, edits.bend(doc, "ab", 0.5)) == "Bend link"
    assert edits.bend(doc, "ab", 0.5) is None
    assert push(history, edits.straighten(doc, ["ab", "bc", "ca"])) == "Straighten links"
    assert all(link.curvature == 0 for link in doc.links.values())
    assert edits.straighten(doc, ["ca"]) is None


def test_paste_gives_fresh_ids_and_keeps_inner_links(history: History) -> None:
    doc = history.doc
    variables = [doc.variables["a"], doc.variables["b"]]
    op = edits.paste(doc, variables, list(doc.links.values()), (30, 40))
    assert push(history, op) == "Paste"
    new = edits.added_ids(op)
    assert len(new) == 2 and not set(new) & {"a", "b"}
    assert doc.variables[new[0]].x == 30 and doc.variables[new[1]].y == 40
    assert doc.link_between(new[0], new[1]) is not None
    assert len(doc.links) == 4  # only a -> b had both ends pasted
    assert edits.paste(doc, [], []) is None


def test_loop_labels(history: History) -> None:
    doc = history.doc
    op = edits.show_loop_label(doc, ["b", "c", "a"], 1.234, 2, name="  Growth   engine ")
    assert push(history, op) == "Show named loop label"
    (label_id,) = edits.added_ids(op, "loop_labels")
    assert doc.loop_labels[label_id].name == "Growth engine"
    assert doc.loop_labels[label_id].x == 1.23
    assert edits.show_loop_label(doc, ["a"], 0, 0).name == "Show loop label"
    assert push(history, edits.rename_loop_label(doc, "r1", " Vicious ")) == "Rename loop label"
    assert doc.loop_labels["r1"].name == "Vicious"
    assert edits.rename_loop_label(doc, "r1", "Vicious") is None
    history.push(edits.rename_loop_label(doc, "r1", "   "))
    assert doc.loop_labels["r1"].name is None
    assert push(history, edits.remove_loop_labels(doc, ["r1"])) == "Remove loop label"
    assert edits.remove_loop_labels(doc, ["r1"]) is None


def test_waterline_title_description(history: History) -> None:
    doc = history.doc
    assert edits.default_waterline(doc) == -40.0  # between CX (-80) and EX (0)
    assert push(history, edits.show_waterline(doc, True)) == "Show waterline"
    assert edits.show_waterline(doc, True) is None
    assert push(history, edits.move_waterline(doc, 12.345)) == "Move waterline"
    assert doc.waterline == 12.3
    assert edits.move_waterline(doc, 12.3) is None
    assert push(history, edits.show_waterline(doc, False)) == "Hide waterline"
    assert edits.move_waterline(doc, 5) is None  # no waterline to move
    assert push(history, edits.set_title(doc, "  ")) == "Rename diagram"
    assert doc.title == "Untitled"
    assert edits.set_title(doc, "Untitled") is None
    assert push(history, edits.set_description(doc, "why")) == "Edit description"
    assert edits.set_description(doc, "why") is None


def test_align_and_distribute_are_moves_under_their_own_name(history: History) -> None:
    doc = history.doc
    assert push(history, edits.move(doc, {"a": (-0.001, 5.0)}, name="Align")) == "Align"
    assert str(doc.variables["a"].x) == "0.0"  # not -0.0 in a saved file
    assert edits.move(doc, {"a": (0.0, 5.0)}, name="Align") is None
