"""The Document tells its listeners what changed, as documented in core/events.py: after the
change, in order, each id once, and nothing for a refused op."""

from __future__ import annotations

import pytest

from cld_editor.core import events as ev
from cld_editor.core import ops
from cld_editor.core.document import Document, OpError
from cld_editor.core.model import Diagram, Link, LoopLabel, Variable


@pytest.fixture
def doc() -> Document:
    return Document(
        Diagram(
            variables=[Variable(id=i, x=0, y=0) for i in "abc"],
            links=[
                Link(id="l1", source="a", target="b"),
                Link(id="l2", source="b", target="c"),
                Link(id="l3", source="c", target="a"),
            ],
        )
    )


@pytest.fixture
def heard(doc: Document) -> list[ev.Event]:
    events: list[ev.Event] = []

    def listener(event: ev.Event) -> None:
        # Events come after the change: every id they name can be looked up (or is gone).
        for record_id in getattr(event, "ids", ()):
            present = doc.has_id(record_id)
            removed = isinstance(
                event, ev.VariablesRemoved | ev.LinksRemoved | ev.LoopLabelsRemoved
            )
            assert present != removed, (event, record_id)
        events.append(event)

    doc.subscribe(listener)
    return events


def test_each_kind_of_change_has_its_event(doc: Document, heard: list[ev.Event]) -> None:
    doc.apply(ops.add_variable(Variable(id="d", x=1, y=1)))
    doc.apply(ops.add_link(Link(id="l4", source="c", target="d")))
    doc.apply(ops.move_variables({"a": (5, 5), "b": (6, 6)}))
    doc.apply(ops.set_polarity(["l1"], "-"))
    doc.apply(ops.add_loop_label(LoopLabel(id="r", loop=["a", "b", "c"], x=0, y=0)))
    doc.apply(ops.update_loop_labels({"r": {"name": "Virtuous"}}, "Rename loop"))
    doc.apply(ops.remove_loop_labels(["r"]))
    doc.apply(ops.SetDiagramProperties({"title": "New"}))
    assert heard == [
        ev.VariablesAdded(("d",)),
        ev.LinksAdded(("l4",)),
        ev.VariablesChanged(("a", "b")),
        ev.LinksChanged(("l1",)),
        ev.LoopLabelsAdded(("r",)),
        ev.LoopLabelsChanged(("r",)),
        ev.LoopLabelsRemoved(("r",)),
        ev.DiagramPropertiesChanged(),
    ]


def test_removing_variables_announces_their_links_first(
    doc: Document, heard: list[ev.Event]
) -> None:
    inverse = doc.apply(ops.delete(variable_ids=["a"]))
    assert heard == [ev.LinksRemoved(("l1", "l3")), ev.VariablesRemoved(("a",))]
    heard.clear()
    doc.apply(inverse)
    assert heard == [ev.VariablesAdded(("a",)), ev.LinksAdded(("l1", "l3"))]


def test_changed_events_name_each_id_once(doc: Document, heard: list[ev.Event]) -> None:
    doc.apply(ops.UpdateRecords("variables", (("a", {"x": 1.0}), ("b", {}), ("a", {"y": 1.0}))))
    assert heard == [ev.VariablesChanged(("a", "b"))]


def test_a_refused_op_is_silent_and_keeps_the_revision(
    doc: Document, heard: list[ev.Event]
) -> None:
    revision = doc.revision
    with pytest.raises(OpError):
        doc.apply(ops.Batch((ops.set_delay(["l1"], True), ops.set_polarity(["l2"], "x"))))
    assert heard == []
    assert doc.revision == revision
    assert doc.links["l1"].delay is False


def test_replace_resets_and_counts_a_revision(doc: Document, heard: list[ev.Event]) -> None:
    revision = doc.revision
    doc.replace(Diagram(title="Other"))
    assert heard == [ev.DocumentReset()]
    assert doc.revision == revision + 1
    assert doc.variables == {} and doc.link_between("a", "b") is None


def test_unsubscribed_listeners_hear_nothing(doc: Document) -> None:
    heard: list[ev.Event] = []
    doc.subscribe(heard.append)
    doc.unsubscribe(heard.append)
    doc.apply(ops.set_delay(["l1"], True))
    assert heard == []


def test_a_batch_announces_its_net_effect(doc: Document, heard: list[ev.Event]) -> None:
    doc.apply(
        ops.Batch(
            (
                ops.move_variables({"a": (1, 1), "b": (2, 2)}),
                ops.set_polarity(["l1", "l2"], "-"),
                ops.delete(variable_ids=["a"]),
                ops.add_variable(Variable(id="tmp", x=0, y=0)),
                ops.delete(variable_ids=["tmp"]),
                ops.add_variable(Variable(id="d", x=0, y=0)),
                ops.add_link(Link(id="l9", source="d", target="b")),
                ops.SetDiagramProperties({"title": "x"}),
                ops.SetDiagramProperties({"title": "y"}),
            )
        )
    )
    assert heard == [
        ev.LinksRemoved(("l1", "l3")),
        ev.VariablesRemoved(("a",)),
        ev.VariablesAdded(("d",)),
        ev.LinksAdded(("l9",)),
        ev.VariablesChanged(("b",)),
        ev.LinksChanged(("l2",)),
        ev.DiagramPropertiesChanged(),
    ]


def test_removed_and_added_again_in_one_batch_is_a_change(
    doc: Document, heard: list[ev.Event]
) -> None:
    doc.apply(
        ops.Batch(
            (
                ops.delete(link_ids=["l1"]),
                ops.add_link(Link(id="l1", source="a", target="b", polarity="-")),
            )
        )
    )
    assert heard == [ev.LinksChanged(("l1",))]


def test_ops_on_empty_selections_are_silent(doc: Document, heard: list[ev.Event]) -> None:
    doc.apply(ops.set_polarity([], "-"))
    doc.apply(ops.RemoveRecords("variables", ()))
    doc.apply(ops.delete())
    assert heard == []


def test_a_failing_listener_does_not_keep_the_others_from_hearing(doc: Document) -> None:
    heard: list[ev.Event] = []

    def broken(event: ev.Event) -> None:
        raise RuntimeError("listener bug")

    doc.subscribe(broken)
    doc.subscribe(heard.append)
    with pytest.raises(RuntimeError, match="listener bug"):
        doc.apply(ops.delete(variable_ids=["a"]))
    assert heard == [ev.LinksRemoved(("l1", "l3")), ev.VariablesRemoved(("a",))]
    assert "a" not in doc.variables  # the change stays made


def test_with_a_handler_a_failing_listener_leaves_the_edit_undoable(doc: Document) -> None:
    errors: list[Exception] = []
    doc.listener_error_handler = errors.append

    def broken(event: ev.Event) -> None:
        raise RuntimeError("listener bug")

    doc.subscribe(broken)
    inverse = doc.apply(ops.delete(variable_ids=["a"]))
    assert len(errors) == 2 and all(isinstance(e, RuntimeError) for e in errors)
    doc.apply(inverse)
    assert list(doc.variables) == ["a", "b", "c"] and list(doc.links) == ["l1", "l2", "l3"]
