"""Ops: every change to a diagram, as a value whose ``apply`` returns its inverse.

There are few op classes, each generic over the three record tables (variables, links, loop
labels), plus diagram properties and batches; the functions at the bottom (``add_variable``,
``set_polarity``, ``move_variables``, ...) build them with the names the user sees in
"Undo Add link". An op checks everything before it changes anything, so an ``OpError`` leaves
the document as it was. Undo is complete by construction: ``doc.apply(doc.apply(op))`` restores
the diagram exactly, including document order.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from . import events as ev
from .document import Document, OpError, Table
from .model import DiagramFields, Link, LoopLabel, Variable

Record = Variable | Link | LoopLabel
Changes = tuple[tuple[str, Mapping[str, Any]], ...]

_EVENTS = {
    "variables": (ev.VariablesAdded, ev.VariablesRemoved, ev.VariablesChanged),
    "links": (ev.LinksAdded, ev.LinksRemoved, ev.LinksChanged),
    "loop_labels": (ev.LoopLabelsAdded, ev.LoopLabelsRemoved, ev.LoopLabelsChanged),
}
_FIXED_FIELDS = {"variables": {"id"}, "links": {"id", "source", "target"}, "loop_labels": {"id"}}
_RECORD_TYPES = {"variables": Variable, "links": Link, "loop_labels": LoopLabel}


class Op(ABC):
    """A change to a document. ``name`` is what the user sees ("Undo Move")."""

    name: str

    @abstractmethod
    def apply(self, doc: Document) -> tuple[Op, list[ev.Event]]:
        """Change ``doc``; return the inverse op and the events describing the change."""


def checked_update(record: Record, changes: Mapping[str, Any]) -> Record:
    """A copy of ``record`` with ``changes``, validated like a record read from a file."""
    try:
        return type(record).model_validate({**record.model_dump(), **changes})
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise OpError(f"{record.id}: {where}: {error['msg']}") from None


@dataclass(frozen=True)
class AddRecords(Op):
    """Insert records, each at a document position (``None``: at the end)."""

    table: Table
    records: tuple[Record, ...]
    positions: tuple[int, ...] | None = None
    name: str = "Add"

    def apply(self, doc: Document) -> tuple[Op, list[ev.Event]]:
        self._check(doc)
        if self.positions is None:
            doc.append_records(self.table, self.records)
        else:
            doc.insert_records(self.table, zip(self.positions, self.records, strict=True))
        ids = tuple(r.id for r in self.records)
        inverse = RemoveRecords(self.table, ids, name=self.name)
        return inverse, [_EVENTS[self.table][0](ids)]

    def _check(self, doc: Document) -> None:
        if self.positions is not None and len(self.positions) != len(self.records):
            raise OpError(f"{len(self.records)} records but {len(self.positions)} positions")
        fresh: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        wanted = _RECORD_TYPES[self.table]
        for record in self.records:
            if type(record) is not wanted:
                raise OpError(f"a {type(record).__name__} cannot be added to {self.table}")
            if doc.has_id(record.id) or record.id in fresh:
                raise OpError(f"id {record.id!r} is already used")
            fresh.add(record.id)
            if isinstance(record, Link):
                for end in (record.source, record.target):
                    if end not in doc.variables:
                        raise OpError(f"link {record.id!r}: no variable {end!r}")
                pair = (record.source, record.target)
                if doc.link_between(*pair) is not None or pair in pairs:
                    raise OpError(f"there is already a link from {pair[0]!r} to {pair[1]!r}")
                pairs.add(pair)


@dataclass(frozen=True)
class RemoveRecords(Op):
    """Remove records by id. Removing variables removes their links too (one step)."""

    table: Table
    ids: tuple[str, ...]
    name: str = "Delete"

    def apply(self, doc: Document) -> tuple[Op, list[ev.Event]]:
        table = getattr(doc, self.table)
        ids = tuple(dict.fromkeys(self.ids))
        missing = [i for i in ids if i not in table]
        if missing:
            raise OpError(f"no such {_singular(self.table)}: {missing[0]!r}")
        inverses: list[Op] = []
        events: list[ev.Event] = []
        if self.table == "variables":
            doomed = set(ids)
            link_ids = tuple(
                link.id
                for link in doc.links.values()
                if link.source in doomed or link.target in doomed
            )
            if link_ids:
                inverse_links, link_events = RemoveRecords("links", link_ids).apply(doc)
                inverses.append(inverse_links)
                events += link_events
        removed = doc.remove_records(self.table, ids)
        inverses.insert(
            0,
            AddRecords(
                self.table,
                tuple(r for _, r in removed),
                tuple(i for i, _ in removed),
                name=self.name,
            ),
        )
        events.append(_EVENTS[self.table][1](ids))
        inverse = inverses[0] if len(inverses) == 1 else Batch(tuple(inverses), self.name)
        return inverse, events


def _singular(table: Table) -> str:
    return {"variables": "variable", "links": "link", "loop_labels": "loop label"}[table]


@dataclass(frozen=True)
class UpdateRecords(Op):
    """Change fields of existing records: ``changes`` is ((id, {field: value}), ...)."""

    table: Table
    changes: Changes
    name: str = "Change"

    def apply(self, doc: Document) -> tuple[Op, list[ev.Event]]:
        table = getattr(doc, self.table)
        # Changes to the same record apply in order, each on top of the previous one; the
        # inverse restores each changed field to its value before this op.
        updated: dict[str, Record] = {}
        undo: dict[str, dict[str, Any]] = {}
        for record_id, fields in self.changes:
            original = table.get(record_id)
            if original is None:
                raise OpError(f"no such {_singular(self.table)}: {record_id!r}")
            fixed = _FIXED_FIELDS[self.table] & set(fields)
            if fixed:
                raise OpError(f"{record_id}: {sorted(fixed)[0]} cannot be changed")
            record = updated.get(record_id, original)
            updated[record_id] = checked_update(record, fields)
            restore = undo.setdefault(record_id, {})
            for key in fields:
                restore.setdefault(key, getattr(original, key))
        doc.replace_records(self.table, updated.values())
        inverse = UpdateRecords(self.table, tuple(undo.items()), name=self.name)
        return inverse, [_EVENTS[self.table][2](tuple(updated))]

    def merged_with(self, later: UpdateRecords) -> UpdateRecords:
        """One op doing this and then ``later`` (arrow-key nudges merge into one undo step)."""
        combined: dict[str, dict[str, Any]] = {}
        for record_id, fields in self.changes + later.changes:
            combined.setdefault(record_id, {}).update(fields)
        return UpdateRecords(self.table, tuple(combined.items()), name=self.name)


_PROPERTIES = ("title", "description", "waterline")


@dataclass(frozen=True)
class SetDiagramProperties(Op):
    """Change title, description and/or waterline (``None`` waterline hides it)."""

    changes: Mapping[str, Any] = field(default_factory=dict)
    name: str = "Change diagram"

    def apply(self, doc: Document) -> tuple[Op, list[ev.Event]]:
        unknown = set(self.changes) - set(_PROPERTIES)
        if unknown:
            raise OpError(f"unknown diagram property {sorted(unknown)[0]!r}")
        current = {key: getattr(doc, key) for key in _PROPERTIES}
        try:
            checked = DiagramFields.model_validate({**current, **self.changes})
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in error["loc"])
            raise OpError(f"{where}: {error['msg']}") from None
        # The validated value: an int waterline becomes a float, as it would after a reload.
        doc.set_properties({key: getattr(checked, key) for key in self.changes})
        old = {key: current[key] for key in self.changes}
        return SetDiagramProperties(old, self.name), [ev.DiagramPropertiesChanged()]


@dataclass(frozen=True)
class Batch(Op):
    """Several ops as one step; if one fails, those already applied are rolled back.

    Its events are the net effect of its parts (see :func:`events.net_events`), since
    listeners hear them only once the whole batch has applied.
    """

    ops: tuple[Op, ...]
    name: str = "Edit"

    def apply(self, doc: Document) -> tuple[Op, list[ev.Event]]:
        inverses: list[Op] = []
        events: list[ev.Event] = []
        try:
            for op in self.ops:
                inverse, op_events = op.apply(doc)
                inverses.append(inverse)
                events += op_events
        except Exception:
            # Any failure (an OpError, or a bug) rolls back, so the document is never left half
            # changed; nothing was emitted yet (Document.apply emits after success).
            for inverse in reversed(inverses):
                inverse.apply(doc)
            raise
        return Batch(tuple(reversed(inverses)), self.name), ev.net_events(events)


# -- the ops under the names the user sees ---------------------------------------------------


def add_variable(variable: Variable) -> AddRecords:
    return AddRecords("variables", (variable,), name="Add variable")


def add_link(link: Link) -> AddRecords:
    return AddRecords("links", (link,), name="Add link")


def add_loop_label(label: LoopLabel) -> AddRecords:
    return AddRecords("loop_labels", (label,), name="Show loop label")


def remove_loop_labels(ids: Iterable[str]) -> RemoveRecords:
    return RemoveRecords("loop_labels", tuple(ids), name="Remove loop label")


def delete(
    variable_ids: Iterable[str] = (), link_ids: Iterable[str] = (), label_ids: Iterable[str] = ()
) -> Batch:
    """Delete a selection: links first, then variables (with their remaining links), then labels."""
    variable_ids = tuple(variable_ids)
    ops: list[Op] = []
    links = tuple(link_ids)
    if links:
        ops.append(RemoveRecords("links", links))
    if variable_ids:
        ops.append(RemoveRecords("variables", variable_ids))
    labels = tuple(label_ids)
    if labels:
        ops.append(RemoveRecords("loop_labels", labels))
    return Batch(tuple(ops), "Delete")


def update_variables(changes: Mapping[str, Mapping[str, Any]], name: str) -> UpdateRecords:
    return UpdateRecords("variables", tuple(changes.items()), name=name)


def rename_variable(variable_id: str, label: str) -> UpdateRecords:
    return update_variables({variable_id: {"label": label}}, "Rename")


def set_domain(variable_ids: Iterable[str], domain: str | None) -> UpdateRecords:
    return update_variables({i: {"domain": domain} for i in variable_ids}, "Set domain")


def move_variables(positions: Mapping[str, tuple[float, float]]) -> UpdateRecords:
    return update_variables({i: {"x": x, "y": y} for i, (x, y) in positions.items()}, "Move")


def update_links(changes: Mapping[str, Mapping[str, Any]], name: str) -> UpdateRecords:
    return UpdateRecords("links", tuple(changes.items()), name=name)


def set_polarity(link_ids: Iterable[str], polarity: str) -> UpdateRecords:
    return update_links({i: {"polarity": polarity} for i in link_ids}, "Set polarity")


def set_delay(link_ids: Iterable[str], delay: bool) -> UpdateRecords:
    return update_links({i: {"delay": delay} for i in link_ids}, "Toggle delay")


def bend_link(link_id: str, curvature: float) -> UpdateRecords:
    return update_links({link_id: {"curvature": curvature}}, "Bend link")


def update_loop_labels(changes: Mapping[str, Mapping[str, Any]], name: str) -> UpdateRecords:
    return UpdateRecords("loop_labels", tuple(changes.items()), name=name)
