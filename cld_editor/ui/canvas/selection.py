"""The canvas's view state over a projection: the selection by record id and the loop highlight.

Selection and highlight are never part of the document nor of undo. Selected ids come back in
document order; ``select_ids`` replaces the selection in one change (one
``selection_ids_changed``), and the rubber band selects a link only when it holds it whole or
both its ends are selected. The highlighted loop is drawn strongly and everything else dimmed;
loop labels of other loops dim too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem

from cld_editor.analysis.loops import Loop
from cld_editor.ui.canvas.projection import Projection


class Selection:
    """Selected records by id; ``changed`` is called once per change made here."""

    def __init__(self, projection: Projection, changed: Callable[[], None]) -> None:
        self.projection = projection
        self._changed = changed

    @staticmethod
    def _selected(table: dict[str, QGraphicsItem]) -> list[str]:
        chosen = {i for i, item in table.items() if item.isSelected()}
        return [i for i in table if i in chosen]

    def variable_ids(self) -> list[str]:
        return self._selected(self.projection.variables)  # type: ignore[arg-type]

    def link_ids(self) -> list[str]:
        return self._selected(self.projection.links)  # type: ignore[arg-type]

    def label_ids(self) -> list[str]:
        return self._selected(self.projection.labels)  # type: ignore[arg-type]

    def restrict_band_links(self, band: QRectF, keep: set[str]) -> None:
        """After Qt's rubber band selected what it touches: a link is selected only when
        ``band`` holds its line and arrowhead whole, or both its ends are selected (links in
        ``keep``, selected before a Ctrl band, stay)."""
        projection = self.projection
        scene = projection.scene
        changed = False
        scene.blockSignals(True)
        try:
            for link_id, item in projection.links.items():
                ends = (projection.variables[item.source_id], projection.variables[item.target_id])
                wanted = link_id in keep or all(end.isSelected() for end in ends)
                if not wanted and item.isSelected() and item.paths is not None:
                    wanted = band.contains(item.paths.ink)
                if wanted != item.isSelected():
                    item.setSelected(wanted)
                    changed = True
        finally:
            scene.blockSignals(False)
        if changed:
            self._changed()

    def select_ids(self, ids: Iterable[str]) -> None:
        """Replace the selection by these records (unknown ids are ignored)."""
        wanted = set(ids)
        scene = self.projection.scene
        scene.blockSignals(True)
        try:
            scene.clearSelection()
            for record_id in wanted:
                item = self.projection.item_for(record_id)
                if item is not None:
                    item.setSelected(True)
        finally:
            scene.blockSignals(False)
        self._changed()


class LoopHighlight:
    """The highlighted loop: its variables and links strong, everything else dimmed."""

    def __init__(self, projection: Projection) -> None:
        self.projection = projection
        self.loop: Loop | None = None

    def set(self, loop: Loop | None) -> bool:
        """Highlight ``loop`` (None: back to normal); True when that changed the highlight."""
        changed = loop != self.loop
        self.loop = loop
        self.apply()
        return changed

    def apply(self) -> None:
        """Bring every item's dimmed/strong state in line with the highlight."""
        loop, projection = self.loop, self.projection
        on = loop is not None
        variables = set(loop.variables) if loop is not None else set()
        links = set(loop.links) if loop is not None else set()
        key = loop.key if loop is not None else None
        for group, members in ((projection.variables, variables), (projection.links, links)):
            for record_id, item in group.items():
                dimmed, strong = on and record_id not in members, on and record_id in members
                if (item.dimmed, item.highlighted) != (dimmed, strong):
                    item.dimmed, item.highlighted = dimmed, strong
                    item.update()
        for item in projection.labels.values():
            dimmed = on and item.record.loop_key != key
            if item.dimmed != dimmed:
                item.dimmed = dimmed
                item.update()
