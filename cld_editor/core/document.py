"""The Document: the one place where a diagram changes.

It holds the diagram's records in insertion-ordered dicts keyed by id (document order is the
dict order), applies Ops (see :mod:`cld_editor.core.ops`), counts revisions and tells its
subscribers what changed. Nothing else mutates a diagram: the GUI, the command line and the
tests all go through ``Document.apply``. Readers get read-only views (``variables``, ``links``,
``loop_labels`` are mappings that cannot be assigned to; ``title`` and the other diagram
properties have no setter); the Ops change the document only through its public "used by Ops"
methods (``append_records``, ``insert_records``, ``replace_records``, ``remove_records``,
``set_properties``), which keep the link-by-ends index in step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from . import events as ev
from .model import Diagram, Link, LoopLabel, Variable

if TYPE_CHECKING:
    from .ops import Op
    from .story import Story

Listener = Callable[[ev.Event], None]
R = TypeVar("R", Variable, Link, LoopLabel)
Table = Literal["variables", "links", "loop_labels"]
#: The diagram's properties besides its records, changed by ``set_properties``.
PROPERTIES = ("title", "description", "waterline", "story")


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
    def variables(self) -> Mapping[str, Variable]:
        """Variables by id, in document order (read only)."""
        return self._views["variables"]  # type: ignore[return-value]

    @property
    def links(self) -> Mapping[str, Link]:
        """Links by id, in document order (read only)."""
        return self._views["links"]  # type: ignore[return-value]

    @property
    def loop_labels(self) -> Mapping[str, LoopLabel]:
        """Loop labels by id, in document order (read only)."""
        return self._views["loop_labels"]  # type: ignore[return-value]

    @property
    def title(self) -> str:
        return self._properties["title"]

    @property
    def description(self) -> str:
        return self._properties["description"]

    @property
    def waterline(self) -> float | None:
        return self._properties["waterline"]

    @property
    def story(self) -> Story:
        return self._properties["story"]

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
    # An Op checks everything before it calls these, so they do not check again.
    def append_records(self, table: Table, records: Iterable[R]) -> None:
        """Add records at the end of ``table``."""
        store = self._tables[table]
        for record in records:
            store[record.id] = record
            if isinstance(record, Link):
                self._pairs[(record.source, record.target)] = record

    def insert_records(self, table: Table, records: Iterable[tuple[int, R]]) -> None:
        """Insert records at document positions (ascending), as undo of a removal needs."""
        store = self._tables[table]
        items = list(store.items())
        for index, record in sorted(records, key=lambda pair: pair[0]):
            items.insert(min(index, len(items)), (record.id, record))
        store.clear()
        store.update(items)
        if table == "links":
            self._pairs = {(link.source, link.target): link for link in self._links.values()}

    def replace_records(self, table: Table, records: Iterable[R]) -> None:
        """Put new versions of existing records in their places (same ids, same ends)."""
        self.append_records(table, records)

    def remove_records(self, table: Table, ids: Iterable[str]) -> list[tuple[int, R]]:
        """Remove records; return (original position, record) pairs, ascending by position."""
        store = self._tables[table]
        wanted = set(ids)
        order = {record_id: index for index, record_id in enumerate(store) if record_id in wanted}
        removed = [(order[i], store[i]) for i in sorted(wanted, key=order.__getitem__)]
        for _, record in removed:
            del store[record.id]
            if isinstance(record, Link):
                self._pairs.pop((record.source, record.target), None)
        return removed  # type: ignore[return-value]

    def set_properties(self, changes: Mapping[str, Any]) -> None:
        """Set diagram properties (see PROPERTIES); values are already validated."""
        unknown = set(changes) - set(PROPERTIES)
        if unknown:
            raise OpError(f"unknown diagram property {sorted(unknown)[0]!r}")
        self._properties.update(changes)

    # -- inside ----------------------------------------------------------------------------
    def _load(self, diagram: Diagram) -> None:
        self._properties: dict[str, Any] = {key: getattr(diagram, key) for key in PROPERTIES}
        self._variables: dict[str, Variable] = {v.id: v for v in diagram.variables}
        self._links: dict[str, Link] = {link.id: link for link in diagram.links}
        self._loop_labels: dict[str, LoopLabel] = {lab.id: lab for lab in diagram.loop_labels}
        self._tables: dict[str, dict[str, Any]] = {
            "variables": self._variables,
            "links": self._links,
            "loop_labels": self._loop_labels,
        }
        self._views = {name: MappingProxyType(table) for name, table in self._tables.items()}
        self._pairs = {(link.source, link.target): link for link in diagram.links}
        self._counters: dict[str, int] = {}

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
