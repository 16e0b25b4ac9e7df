"""The Document: the one place where a diagram changes.

It holds the diagram's records in insertion-ordered dicts keyed by id (document order is the
dict order), applies Ops (see :mod:`cld_editor.core.ops`), counts revisions and tells its
subscribers what changed. Nothing else mutates a diagram: the GUI, the command line and the
tests all go through ``Document.apply``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from . import events as ev
from .model import Diagram, Link, LoopLabel, Variable

if TYPE_CHECKING:
    from .ops import Op

Listener = Callable[[ev.Event], None]
R = TypeVar("R", Variable, Link, LoopLabel)


class OpError(ValueError):
    """An Op that does not fit the document (unknown id, duplicate link, ...). Nothing changed."""


class Document:
    """A mutable diagram, changed only through :meth:`apply`."""

    def __init__(self, diagram: Diagram | None = None) -> None:
        self._listeners: list[Listener] = []
        self.revision = 0
        #: Receives each exception a listener raises. When None (the default) the first one
        #: propagates out of apply()/replace() once every listener has heard every event; the
        #: change itself stays made. The GUI sets a handler that logs and reports the error, so
        #: that a faulty listener cannot cost the edit its place on the undo stack.
        self.listener_error_handler: Callable[[Exception], None] | None = None
        self._load(diagram or Diagram())

    # -- reading -------------------------------------------------------------------------
    @property
    def diagram(self) -> Diagram:
        """An immutable snapshot of the whole diagram, in document order."""
        return Diagram.model_construct(
            title=self.title,
            description=self.description,
            waterline=self.waterline,
            variables=list(self.variables.values()),
            links=list(self.links.values()),
            loop_labels=list(self.loop_labels.values()),
            story=self.story,
        )

    def links_of(self, variable_id: str) -> list[Link]:
        """Links that start or end at a variable, in document order."""
        return [
            link
            for link in self.links.values()
            if link.source == variable_id or link.target == variable_id
        ]

    def link_between(self, source: str, target: str) -> Link | None:
        return self._pairs.get((source, target))

    def new_id(self, prefix: str) -> str:
        """A fresh id such as ``v12`` that no record uses."""
        n = self._counters.get(prefix, 0)
        while True:
            n += 1
            candidate = f"{prefix}{n}"
            if not self.has_id(candidate):
                self._counters[prefix] = n
                return candidate

    def has_id(self, record_id: str) -> bool:
        return (
            record_id in self.variables or record_id in self.links or record_id in self.loop_labels
        )

    # -- changing ------------------------------------------------------------------------
    def apply(self, op: Op) -> Op:
        """Apply an Op and return its inverse; on OpError nothing has changed."""
        inverse, events = op.apply(self)
        self.revision += 1
        # An op on no records (an empty selection) changes nothing worth announcing.
        self._emit([event for event in events if getattr(event, "ids", None) != ()])
        return inverse

    def replace(self, diagram: Diagram) -> None:
        """Swap in a whole new diagram (File > Open, Revert); not an undoable step."""
        self._load(diagram)
        self.revision += 1
        self._emit([ev.DocumentReset()])

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    # -- used by Ops only ----------------------------------------------------------------
    def _load(self, diagram: Diagram) -> None:
        self.title = diagram.title
        self.description = diagram.description
        self.waterline = diagram.waterline
        self.story = diagram.story
        self.variables: dict[str, Variable] = {v.id: v for v in diagram.variables}
        self.links: dict[str, Link] = {link.id: link for link in diagram.links}
        self.loop_labels: dict[str, LoopLabel] = {lab.id: lab for lab in diagram.loop_labels}
        self._pairs = {(link.source, link.target): link for link in diagram.links}
        self._counters: dict[str, int] = {}

    def _insert(self, table: dict[str, R], records: Iterable[tuple[int, R]]) -> None:
        """Insert records at document positions (ascending), as undo of a removal needs."""
        items = list(table.items())
        for index, record in sorted(records, key=lambda pair: pair[0]):
            items.insert(min(index, len(items)), (record.id, record))
        table.clear()
        table.update(items)
        if table is self.links:
            self._pairs = {(link.source, link.target): link for link in self.links.values()}

    def _append(self, table: dict[str, R], record: R) -> None:
        table[record.id] = record
        if isinstance(record, Link):
            self._pairs[(record.source, record.target)] = record

    def _replace(self, table: dict[str, R], record: R) -> None:
        table[record.id] = record
        if isinstance(record, Link):
            self._pairs[(record.source, record.target)] = record

    def _emit(self, events: list[ev.Event]) -> None:
        """Tell every listener every event, even when one of them fails (see
        ``listener_error_handler``), so that the others stay in step with the document."""
        first_error: Exception | None = None
        for event in events:
            for listener in list(self._listeners):
                try:
                    listener(event)
                except Exception as exc:
                    if self.listener_error_handler is not None:
                        self.listener_error_handler(exc)
                    elif first_error is None:
                        first_error = exc
        if first_error is not None:
            raise first_error
