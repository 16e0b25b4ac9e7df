"""Links and selection on the canvas: a link's arc recomputed from its ends (or just moved
when both ends moved together), arrowheads that arrive at one variable from about the same side
parted along its outline, and the selection by record id (the rubber band selects a link only
when it holds it whole). A mixin of :class:`cld_editor.ui.canvas.scene.DiagramScene`; view state only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem

from cld_editor.ui.drawing import geometry as geo
from cld_editor.ui.drawing import render
from cld_editor.ui.canvas.items import LinkItem

if TYPE_CHECKING:
    from cld_editor.ui.canvas.scene import DiagramScene

CENTRE: geo.Point = (0.0, 0.0)  # a link aimed at its target's centre


class SceneLinks:
    """Mixin: needs the DiagramScene item tables (``_variables``, ``_links``, ``_links_of``,
    ``_aims``, ``_dirty_groups``) and ``item_for``."""

    def refresh_link(self: DiagramScene, item: LinkItem) -> None:
        """Recompute a link's geometry from its ends' current item positions and curvature (and
        its aim, see ``_respread``)."""
        source = self._variables[item.source_id].box()
        target = self._variables[item.target_id].box()
        aim = self._aims.get(item.link_id, CENTRE)
        anchor = item.anchor
        if (
            anchor is not None
            and item.paths is not None
            and (anchor[2], anchor[3]) == (item.curvature, aim)
        ):
            old_source, old_target, _, _ = anchor
            dx, dy = source.cx - old_source.cx, source.cy - old_source.cy
            if (
                geo.same_shape(source, old_source)
                and geo.same_shape(target, old_target)
                and (target.cx - old_target.cx, target.cy - old_target.cy) == (dx, dy)
            ):
                # Both ends moved together (a whole selection dragged): the arc just moves.
                if dx or dy:
                    item.set_paths(
                        render.translated_paths(item.paths, dx, dy),
                        (source, target, item.curvature, aim),
                    )
                return
        paths = render.link_paths(geo.link_geometry(source, target, item.curvature, aim))
        item.set_paths(paths, (source, target, item.curvature, aim))

    def reshape_link(self: DiagramScene, item: LinkItem) -> None:
        """``refresh_link``, then re-part the arrowheads at its target (a bend in progress)."""
        self.refresh_link(item)
        self._group_changed(item.target_id)

    # -- arrowheads sharing a spot ----------------------------------------------------------
    def _group_changed(self: DiagramScene, target_id: str) -> None:
        """Links arriving at ``target_id`` changed: re-part their arrowheads now, or at the
        end of the batch in progress."""
        if self._dirty_groups is not None:
            self._dirty_groups.add(target_id)
        else:
            self._respread(target_id)

    def _respread(self: DiagramScene, target_id: str) -> None:
        """Give the links arriving at ``target_id`` the aims ``geometry.spread_aims`` says (the
        same rule ``geometry.link_geometries`` applies to a whole diagram for exports)."""
        target_item = self._variables.get(target_id)
        if target_item is None:
            return
        arriving = [
            link_id
            for link_id in self._links_of.get(target_id, ())
            if self._links[link_id].target_id == target_id
            and self._links[link_id].source_id != target_id
        ]
        if len(arriving) < 2 and not any(link_id in self._aims for link_id in arriving):
            return
        aims: dict[str, geo.Point] = {}
        if len(arriving) >= 2:
            target = target_item.box()
            tips: dict[str, tuple[geo.Point, float]] = {}
            for link_id in arriving:
                item = self._links[link_id]
                if link_id in self._aims or item.paths is None:
                    source = self._variables[item.source_id].box()
                    centred = geo.link_geometry(source, target, item.curvature)
                else:
                    centred = item.paths.geometry  # already aimed at the centre
                tips[link_id] = (centred.tip, centred.tip_angle)
            aims = geo.spread_aims(target, tips)
        for link_id in arriving:
            aim = aims.get(link_id)
            if aim != self._aims.get(link_id):
                if aim is None:
                    del self._aims[link_id]
                else:
                    self._aims[link_id] = aim
                self.refresh_link(self._links[link_id])

    # -- selection ---------------------------------------------------------------------------
    def _selected(self: DiagramScene, table: dict[str, QGraphicsItem]) -> list[str]:
        chosen = {i for i, item in table.items() if item.isSelected()}
        return [i for i in table if i in chosen]

    def selected_variable_ids(self: DiagramScene) -> list[str]:
        return self._selected(self._variables)  # type: ignore[arg-type]

    def selected_link_ids(self: DiagramScene) -> list[str]:
        return self._selected(self._links)  # type: ignore[arg-type]

    def selected_label_ids(self: DiagramScene) -> list[str]:
        return self._selected(self._labels)  # type: ignore[arg-type]

    def restrict_band_links(self: DiagramScene, band: QRectF, keep: set[str]) -> None:
        """After Qt's rubber band selected what it touches: a link is selected only when
        ``band`` holds its line and arrowhead whole, or both its ends are selected (links in
        ``keep``, selected before a Ctrl band, stay)."""
        changed = False
        self.blockSignals(True)
        try:
            for link_id, item in self._links.items():
                ends = (self._variables[item.source_id], self._variables[item.target_id])
                wanted = link_id in keep or all(end.isSelected() for end in ends)
                if not wanted and item.isSelected() and item.paths is not None:
                    wanted = band.contains(item.paths.ink)
                if wanted != item.isSelected():
                    item.setSelected(wanted)
                    changed = True
        finally:
            self.blockSignals(False)
        if changed:
            self.selection_ids_changed.emit()

    def select_ids(self: DiagramScene, ids: Iterable[str]) -> None:
        """Replace the selection by these records (unknown ids are ignored)."""
        wanted = set(ids)
        self.blockSignals(True)
        try:
            self.clearSelection()
            for record_id in wanted:
                item = self.item_for(record_id)
                if item is not None:
                    item.setSelected(True)
        finally:
            self.blockSignals(False)
        self.selection_ids_changed.emit()
