"""Ops one by one: what each changes, what it refuses (with which message), and that a refused
op, or a batch with a failing step, leaves the document exactly as it was."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cld_editor.core import ops
from cld_editor.core.document import Document, OpError
from cld_editor.core.events import Event
from cld_editor.core.model import Diagram, Link, LoopLabel, Variable
from cld_editor.formats.native import dumps_diagram


def v(vid: str, x: float = 0.0, y: float = 0.0) -> Variable:
    return Variable(id=vid, label=vid.upper(), x=x, y=y)


def link(lid: str, source: str, target: str, polarity: str = "+") -> Link:
    return Link(id=lid, source=source, target=target, polarity=polarity)


@pytest.fixture
def doc() -> Document:
    return Document(
        Diagram(
            title="T",
            variables=[v("a"), v("b", 10), v("c", 20)],
            links=[link("l1", "a", "b"), link("l2", "b", "c", "-"), link("l3", "c", "a")],
            loop_labels=[LoopLabel(id="r", loop=["a", "b", "c"], x=5, y=5)],
        )
    )


def refused(doc: Document, op: ops.Op, message: str) -> None:
    before = dumps_diagram(doc.diagram)
    with pytest.raises(OpError, match=message):
        doc.apply(op)
    assert dumps_diagram(doc.diagram) == before


def test_self_links_are_allowed(doc: Document) -> None:
    doc.apply(ops.add_link(link("self", "a", "a", "-")))
    assert doc.link_between("a", "a") is not None


def test_a_second_link_with_the_same_ends_is_refused(doc: Document) -> None:
    refused(doc, ops.add_link(link("l9", "a", "b")), "already a link from 'a' to 'b'")
    doc.apply(ops.add_link(link("l9", "b", "a")))  # the opposite direction is another link


def test_links_need_existing_ends_and_fresh_ids(doc: Document) -> None:
    refused(doc, ops.add_link(link("l9", "a", "zzz")), "no variable 'zzz'")
    refused(doc, ops.add_link(link("a", "a", "c")), "id 'a' is already used")
    two = ops.AddRecords("links", (link("l8", "a", "c"), link("l9", "a", "c")))
    refused(doc, two, "already a link from 'a' to 'c'")


def test_add_records_checks_the_table_and_positions(doc: Document) -> None:
    refused(doc, ops.AddRecords("links", (v("x"),)), "Variable cannot be added to links")
    refused(doc, ops.AddRecords("variables", (v("x"), v("y")), (0,)), "2 records but 1 positions")


def test_add_at_positions_keeps_document_order(doc: Document) -> None:
    doc.apply(ops.AddRecords("variables", (v("x"), v("y")), (0, 2)))
    assert list(doc.variables) == ["x", "a", "y", "b", "c"]


def test_deleting_a_variable_takes_its_links_and_undo_puts_them_back_in_place(
    doc: Document,
) -> None:
    before = dumps_diagram(doc.diagram)
    inverse = doc.apply(ops.delete(variable_ids=["b"]))
    assert list(doc.variables) == ["a", "c"]
    assert list(doc.links) == ["l3"]
    assert "r" in doc.loop_labels  # a label outlives its loop (shown as stale)
    doc.apply(inverse)
    assert dumps_diagram(doc.diagram) == before


def test_delete_with_repeated_and_overlapping_ids(doc: Document) -> None:
    inverse = doc.apply(ops.delete(variable_ids=["a", "a"], link_ids=["l1", "l1"]))
    assert list(doc.links) == ["l2"]
    doc.apply(inverse)
    assert list(doc.links) == ["l1", "l2", "l3"]


def test_removing_a_missing_record_is_refused(doc: Document) -> None:
    refused(doc, ops.delete(link_ids=["nope"]), "no such link: 'nope'")
    refused(doc, ops.remove_loop_labels(["nope"]), "no such loop label: 'nope'")


def test_updates_validate_like_the_file_reader(doc: Document) -> None:
    refused(doc, ops.set_polarity(["l1"], "x"), "l1: polarity")
    refused(doc, ops.move_variables({"a": (float("nan"), 0.0)}), "a: x")
    refused(doc, ops.move_variables({"a": (0.0, 2e9)}), "a: y")
    refused(doc, ops.bend_link("l1", float("inf")), "l1: curvature")
    refused(doc, ops.rename_variable("a", "x" * 1001), "a: label")
    refused(doc, ops.set_domain(["a"], "cx"), "a: domain")
    refused(doc, ops.update_variables({"a": {"colour": "red"}}, "Colour"), "a: colour")
    refused(doc, ops.rename_variable("nope", "x"), "no such variable: 'nope'")


def test_ids_and_link_ends_cannot_change(doc: Document) -> None:
    refused(doc, ops.update_variables({"a": {"id": "z"}}, "Re-id"), "a: id cannot be changed")
    refused(doc, ops.update_links({"l1": {"target": "c"}}, "Rewire"), "target cannot be changed")


def test_repeated_ids_in_one_update_apply_in_order(doc: Document) -> None:
    before = dumps_diagram(doc.diagram)
    op = ops.UpdateRecords("variables", (("a", {"x": 1.0}), ("a", {"y": 2.0, "x": 3.0})))
    inverse = doc.apply(op)
    assert (doc.variables["a"].x, doc.variables["a"].y) == (3.0, 2.0)
    doc.apply(inverse)
    assert dumps_diagram(doc.diagram) == before


def test_merged_nudges_are_one_step(doc: Document) -> None:
    first = ops.move_variables({"a": (1.0, 0.0)})
    merged = first.merged_with(ops.move_variables({"a": (2.0, 0.0), "b": (5.0, 5.0)}))
    inverse = doc.apply(merged)
    assert (doc.variables["a"].x, doc.variables["b"].x) == (2.0, 5.0)
    doc.apply(inverse)
    assert (doc.variables["a"].x, doc.variables["b"].x) == (0.0, 10.0)


def test_diagram_properties_store_validated_values(doc: Document) -> None:
    inverse = doc.apply(ops.SetDiagramProperties({"waterline": 5, "title": "New"}))
    assert doc.waterline == 5.0 and type(doc.waterline) is float
    assert doc.title == "New"
    doc.apply(inverse)
    assert (doc.waterline, doc.title) == (None, "T")
    refused(doc, ops.SetDiagramProperties({"waterline": float("nan")}), "waterline")
    refused(doc, ops.SetDiagramProperties({"colour": 1}), "unknown diagram property 'colour'")


@dataclass(frozen=True)
class Explodes(ops.Op):
    """A step that fails with something other than OpError, as a bug would."""

    name: str = "Boom"

    def apply(self, doc: Document) -> tuple[ops.Op, list[Event]]:
        raise RuntimeError("boom")


@pytest.mark.parametrize("failure", [Explodes(), ops.set_polarity(["l1"], "bad")])
def test_a_failing_step_rolls_the_whole_batch_back(doc: Document, failure: ops.Op) -> None:
    before = dumps_diagram(doc.diagram)
    revision = doc.revision
    batch = ops.Batch(
        (ops.delete(variable_ids=["a"]), ops.add_variable(v("new")), failure), "Several"
    )
    with pytest.raises((OpError, RuntimeError)):
        doc.apply(batch)
    assert dumps_diagram(doc.diagram) == before
    assert doc.revision == revision
    assert doc.link_between("a", "b") is not None


def test_new_id_skips_taken_ids(doc: Document) -> None:
    doc.apply(ops.add_variable(v("v1")))
    assert doc.new_id("v") == "v2"
    assert doc.new_id("l") == "l4"
