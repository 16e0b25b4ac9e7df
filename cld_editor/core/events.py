"""Events a Document emits after each change, named in the past tense.

Listeners (the Qt scene, the loop-analysis scheduler, tests) subscribe with
``Document.subscribe`` and receive every event with the ids it concerns, so that they can update
just the affected items. ``DocumentReset`` means "everything may have changed: rebuild".

Events are emitted after an Op has fully applied (never for a failed one), and describe the
document as it is then: every id in an added or changed event can be looked up, no id in a
removed event can. Removals come first (links before the variables they hang on), then
additions (variables before their links), then changes. So removing variables emits
``LinksRemoved`` for their links before ``VariablesRemoved``; undoing that emits
``VariablesAdded`` before ``LinksAdded``. Each event lists an id once (and at least one id:
an op on an empty selection is silent), and a Batch emits the
net effect of its parts (:func:`net_events`): a variable moved and then deleted in one batch
is only ``VariablesRemoved``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """Base of all document events."""


@dataclass(frozen=True)
class VariablesAdded(Event):
    ids: tuple[str, ...]


@dataclass(frozen=True)
class VariablesRemoved(Event):
    ids: tuple[str, ...]


@dataclass(frozen=True)
class VariablesChanged(Event):
    """Label, domain, notes or position of these variables changed."""

    ids: tuple[str, ...]


@dataclass(frozen=True)
class LinksAdded(Event):
    ids: tuple[str, ...]


@dataclass(frozen=True)
class LinksRemoved(Event):
    ids: tuple[str, ...]


@dataclass(frozen=True)
class LinksChanged(Event):
    """Polarity, delay or curvature of these links changed."""

    ids: tuple[str, ...]


@dataclass(frozen=True)
class LoopLabelsAdded(Event):
    ids: tuple[str, ...]


@dataclass(frozen=True)
class LoopLabelsRemoved(Event):
    ids: tuple[str, ...]


@dataclass(frozen=True)
class LoopLabelsChanged(Event):
    ids: tuple[str, ...]


@dataclass(frozen=True)
class DiagramPropertiesChanged(Event):
    """Title, description, waterline or story changed."""


@dataclass(frozen=True)
class DocumentReset(Event):
    """The whole diagram was replaced."""


# (added, removed, changed) event classes of each table, in the order their removals are
# announced; additions are announced in the reverse order (variables before their links).
_TABLES: tuple[tuple[type[Event], type[Event], type[Event]], ...] = (
    (LinksAdded, LinksRemoved, LinksChanged),
    (LoopLabelsAdded, LoopLabelsRemoved, LoopLabelsChanged),
    (VariablesAdded, VariablesRemoved, VariablesChanged),
)
_KIND = {
    cls: (table, kind) for table, classes in enumerate(_TABLES) for kind, cls in enumerate(classes)
}
_ADDED, _REMOVED, _CHANGED = 0, 1, 2


def net_events(events: list[Event]) -> list[Event]:
    """The net effect of a sequence of events, for listeners that see only the end state.

    A Batch emits its events after all of its parts have applied, so "changed, then removed"
    must reach listeners as just "removed", "added, then removed" as nothing, "removed, then
    added again" as "changed". The result is ordered so that a listener can follow it step by
    step: removals (links, loop labels, variables), then additions (variables, links, loop
    labels), then changes, then diagram properties; every id named by an added or changed
    event exists in the document, and every id named by a removed event does not.
    """
    first: dict[tuple[int, str], int] = {}
    last: dict[tuple[int, str], int] = {}
    properties = False
    for event in events:
        if isinstance(event, DiagramPropertiesChanged):
            properties = True
            continue
        table, kind = _KIND[type(event)]
        for record_id in event.ids:  # type: ignore[attr-defined]
            first.setdefault((table, record_id), kind)
            last[(table, record_id)] = kind
    net: dict[tuple[int, int], list[str]] = {}
    for key, first_kind in first.items():
        existed = first_kind != _ADDED
        exists = last[key] != _REMOVED
        if existed and exists:
            kind = _CHANGED
        elif exists:
            kind = _ADDED
        elif existed:
            kind = _REMOVED
        else:
            continue
        net.setdefault((key[0], kind), []).append(key[1])
    order = [(table, _REMOVED) for table in range(len(_TABLES))]
    order += [(table, _ADDED) for table in reversed(range(len(_TABLES)))]
    order += [(table, _CHANGED) for table in reversed(range(len(_TABLES)))]
    out: list[Event] = [
        _TABLES[table][kind](tuple(net[table, kind]))  # type: ignore[call-arg]
        for table, kind in order
        if (table, kind) in net
    ]
    if properties:
        out.append(DiagramPropertiesChanged())
    return out
