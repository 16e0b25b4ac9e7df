"""What the canvas items may ask of the scene they live in, as a Protocol.

Items never import the scene: they hold ids, draw, and tell their host when they move (so links
follow) or are hovered (so the status bar can hint). The DiagramScene satisfies this protocol;
a test can hand an item any object that does.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QGraphicsItem


class StatusSignal(Protocol):
    def emit(self, text: str) -> None: ...


class ItemHost(Protocol):
    @property
    def export_mode(self) -> bool:
        """True while the scene draws for an export (no selection, handles or hover rings)."""
        ...

    @property
    def status_message(self) -> StatusSignal: ...

    def tool_name(self) -> str: ...

    def variable_item_moved(self, item: QGraphicsItem) -> None:
        """A variable item's position changed (a drag, a nudge, an undo): its links follow."""
        ...


def host_of(item: QGraphicsItem) -> ItemHost | None:
    """The scene of ``item`` as an :class:`ItemHost`, or None when it is in no scene."""
    return item.scene()  # type: ignore[return-value]
