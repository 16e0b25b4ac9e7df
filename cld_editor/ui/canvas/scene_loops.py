"""Loops on the canvas: the latest analysis, the highlighted loop (its variables and links drawn
strongly, everything else dimmed) and where a new loop label goes. A mixin of
:class:`cld_editor.ui.canvas.scene.DiagramScene`; all of it is view state, never part of the document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF

from cld_editor.analysis.loops import Loop, LoopAnalysis

if TYPE_CHECKING:
    from cld_editor.ui.canvas.scene import DiagramScene


class SceneLoops:
    """Mixin: needs the DiagramScene item tables and ``_refresh_labels``."""

    def set_loops(self: DiagramScene, analysis: LoopAnalysis | None) -> None:
        """The latest analysis (or None while unknown): loop labels take names from it."""
        self._analysis = analysis
        self._refresh_labels()

    def highlighted_loop(self: DiagramScene) -> Loop | None:
        return self._highlight

    def set_highlighted_loop(self: DiagramScene, loop: Loop | None) -> None:
        """Draw ``loop`` strongly and dim everything else (None: back to normal)."""
        changed = loop != self._highlight
        self._highlight = loop
        self._apply_highlight()
        if changed:
            self.highlighted_loop_changed.emit(loop)

    def _apply_highlight(self: DiagramScene) -> None:
        loop = self._highlight
        on = loop is not None
        variables = set(loop.variables) if loop is not None else set()
        links = set(loop.links) if loop is not None else set()
        key = loop.key if loop is not None else None
        for group, members in ((self._variables, variables), (self._links, links)):
            for record_id, item in group.items():
                dimmed, strong = on and record_id not in members, on and record_id in members
                if (item.dimmed, item.highlighted) != (dimmed, strong):
                    item.dimmed, item.highlighted = dimmed, strong
                    item.update()
        for item in self._labels.values():
            dimmed = on and item.record.loop_key != key
            if item.dimmed != dimmed:
                item.dimmed = dimmed
                item.update()

    def loop_centre(self: DiagramScene, loop: Loop) -> QPointF:
        """Where a new label for ``loop`` goes: the mean of its variables' positions."""
        points = [self._variables[v].pos() for v in loop.variables if v in self._variables]
        if not points:
            return QPointF()
        return QPointF(
            sum(p.x() for p in points) / len(points), sum(p.y() for p in points) / len(points)
        )
