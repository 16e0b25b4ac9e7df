"""Events a Document emits after each change, named in the past tense.

Listeners (the Qt scene, the loop-analysis scheduler, tests) subscribe with
``Document.subscribe`` and receive every event with the ids it concerns, so that they can update
just the affected items. ``DocumentReset`` means "everything may have changed: rebuild".

Events are emitted after an Op has fully applied (never for a failed one), in the order the
changes happened, so a listener can always look the ids up in the document: removing variables
emits ``LinksRemoved`` for their links before ``VariablesRemoved``, and undoing that emits
``VariablesAdded`` before ``LinksAdded``. A ``*Changed`` event lists each id once.
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
    """Title, description or waterline changed."""


@dataclass(frozen=True)
class DocumentReset(Event):
    """The whole diagram was replaced."""
