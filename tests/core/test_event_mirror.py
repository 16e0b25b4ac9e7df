"""A listener that keeps a copy of the document using nothing but the events (and looking up
the ids they name) always ends up equal to the document: the events are complete and
consistent for every kind of op, batches and undo included."""

from __future__ import annotations

import contextlib
from typing import Any

from core_strategies import diagrams, draw_op
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cld_editor.core import events as ev
from cld_editor.core.document import Document, OpError
from cld_editor.core.model import Diagram

TABLES = {
    ev.VariablesAdded: ("variables", "add"),
    ev.VariablesRemoved: ("variables", "remove"),
    ev.VariablesChanged: ("variables", "change"),
    ev.LinksAdded: ("links", "add"),
    ev.LinksRemoved: ("links", "remove"),
    ev.LinksChanged: ("links", "change"),
    ev.LoopLabelsAdded: ("loop_labels", "add"),
    ev.LoopLabelsRemoved: ("loop_labels", "remove"),
    ev.LoopLabelsChanged: ("loop_labels", "change"),
}


class Mirror:
    """What a scene does: one entry per record, updated from events only."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.tables: dict[str, dict[str, Any]] = {}
        self.reset()
        doc.subscribe(self.on_event)

    def reset(self) -> None:
        self.tables = {
            name: dict(getattr(self.doc, name)) for name in ("variables", "links", "loop_labels")
        }
        self.properties = (self.doc.title, self.doc.description, self.doc.waterline)

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.DocumentReset):
            self.reset()
            return
        if isinstance(event, ev.DiagramPropertiesChanged):
            self.properties = (self.doc.title, self.doc.description, self.doc.waterline)
            return
        name, action = TABLES[type(event)]
        table = self.tables[name]
        source = getattr(self.doc, name)
        for record_id in event.ids:
            if action == "remove":
                assert record_id in table and record_id not in source, (event, record_id)
                del table[record_id]
            else:
                assert (record_id in table) == (action == "change"), (event, record_id)
                table[record_id] = source[record_id]  # a KeyError is a stale event
                if name == "links":
                    link = source[record_id]
                    assert link.source in self.tables["variables"], "link before its variable"
                    assert link.target in self.tables["variables"], "link before its variable"

    def matches(self) -> bool:
        return all(
            self.tables[name] == dict(getattr(self.doc, name)) for name in self.tables
        ) and self.properties == (self.doc.title, self.doc.description, self.doc.waterline)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diagrams(), st.data())
def test_a_listener_following_events_mirrors_the_document(diagram: Diagram, data) -> None:
    doc = Document(diagram)
    mirror = Mirror(doc)
    undo: list[Any] = []
    for _ in range(data.draw(st.integers(1, 8), label="steps")):
        if undo and data.draw(st.booleans()):
            doc.apply(undo.pop())
        else:
            with contextlib.suppress(OpError):
                undo.append(doc.apply(draw_op(data, doc)))
        assert mirror.matches()
    doc.replace(Diagram(title="fresh"))
    assert mirror.matches()
