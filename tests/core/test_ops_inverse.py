"""Every Op followed by its inverse leaves the document exactly as it was; a failing Op leaves
it untouched; History undoes and redoes everything. Checked on random documents and random ops
of every kind (hypothesis), comparing saved bytes so that document order and float signs count.
"""

from __future__ import annotations

from core_strategies import OP_KINDS, diagrams, draw_op
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cld_editor.core import Diagram, Document, History, OpError
from cld_editor.core.model import check_references
from cld_editor.formats.native import dumps_diagram

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def snapshot(doc: Document) -> str:
    """Everything a file keeps, as bytes: order, values, float signs."""
    return dumps_diagram(doc.diagram)


def assert_consistent(doc: Document) -> None:
    """The document's invariants hold and its link index matches its links."""
    diagram = doc.diagram
    check_references(diagram.variables, diagram.links, diagram.loop_labels)
    Diagram.model_validate(diagram.model_dump())
    assert doc._pairs == {(link.source, link.target): link for link in doc.links.values()}


@SETTINGS
@given(diagrams(), st.data())
def test_every_op_then_its_inverse_restores_the_document(diagram: Diagram, data) -> None:
    doc = Document(diagram)
    for _ in range(data.draw(st.integers(1, 6), label="steps")):
        before = snapshot(doc)
        revision = doc.revision
        op = draw_op(data, doc)
        try:
            inverse = doc.apply(op)
        except OpError:
            event(f"{type(op).__name__}: refused")
            assert snapshot(doc) == before, f"failed {op} changed the document"
            assert doc.revision == revision
            assert_consistent(doc)
            continue
        event(f"{type(op).__name__}: applied")
        after = snapshot(doc)
        assert_consistent(doc)
        redo = doc.apply(inverse)
        assert snapshot(doc) == before, f"undo of {op} did not restore the document"
        assert_consistent(doc)
        doc.apply(redo)
        assert snapshot(doc) == after, f"redo of {op} did not give the same result"
        assert_consistent(doc)


def test_the_strategy_covers_every_op_kind() -> None:
    """Guard for the property test above: it draws from all kinds the helper knows."""
    assert len(OP_KINDS) == len(set(OP_KINDS)) >= 21


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diagrams(), st.data())
def test_history_undo_all_and_redo_all(diagram: Diagram, data) -> None:
    doc = Document(diagram)
    history = History(doc)
    # states[i] is the document after i steps of the history; position is where it is now.
    states = [snapshot(doc)]
    position = 0
    for _ in range(data.draw(st.integers(1, 12), label="steps")):
        if history.can_undo and data.draw(st.integers(0, 4)) == 0:
            history.undo()
            position -= 1
            assert snapshot(doc) == states[position]
            continue
        try:
            history.push(draw_op(data, doc))
        except OpError:
            assert snapshot(doc) == states[position]
            continue
        del states[position + 1 :]
        states.append(snapshot(doc))
        position += 1
    while history.can_undo:
        history.undo()
    assert snapshot(doc) == states[0]
    while history.can_redo:
        history.redo()
    assert snapshot(doc) == states[-1]
    assert not history.can_redo and len(history._undo) == len(states) - 1
