"""The canvas's picture of one Document: one item per record, kept in step with its events.

The Projection owns the tables of items by id (variables, links, loop labels, the waterline) and
the :class:`LinkLayout` that says where every link is drawn. Each document event is reconciled
id by id with the document as it is now (so every handler is idempotent, whatever a batch
announced), and ``rebuild`` recreates everything; both must give the same picture. Variable
items report their moves here while they are dragged, so links follow live; moves within
``moves_batched`` only mark links, which are recomputed once when the block ends. It never
changes the document: it only reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QRectF, QTimer
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from cld_editor.analysis.loops import LoopAnalysis
from cld_editor.core import events as ev
from cld_editor.core.document import Document
from cld_editor.ui.canvas.items import LinkItem, LoopLabelItem, VariableItem, WaterlineItem
from cld_editor.ui.drawing import render_links, render_overlays
from cld_editor.ui.drawing.link_layout import LinkLayout, Placed

SCENE_MARGIN = 1000.0
#: After a live move (a drag step, a frame of a glide) the signs of the variables the moved
#: links only pass by are redone this long after the moving stops (they cost more than the
#: drag step itself on a dense diagram).
CATCH_UP_MS = 150
#: Seconds of sign work per turn of the event loop while signs catch up (after an open too).
CATCH_UP_SLICE = 0.03
BULK_UPDATE = 200
#: The waterline's captions are looked for from this far left of the diagram (as in exports).
CAPTION_MARGIN = 20.0  # links reshaped at once beyond which the spatial index is rebuilt instead


class Projection:
    """Items for the records of ``document`` in ``scene``; ``changed`` is called after items
    were added, removed or reshaped (the loop highlight is re-applied there)."""

    def __init__(
        self, scene: QGraphicsScene, document: Document, changed: Callable[[], None]
    ) -> None:
        self.scene = scene
        self.document = document
        self._changed = changed
        self.variables: dict[str, VariableItem] = {}
        self.links: dict[str, LinkItem] = {}
        self.labels: dict[str, LoopLabelItem] = {}
        self.waterline: WaterlineItem | None = None
        self.analysis: LoopAnalysis | None = None
        self.layout = LinkLayout()
        self._batching = False
        self._moved_in_batch = False
        self._unplaced: list[LinkItem] = []  # new link items, added once they have paths
        self._catch_up = QTimer(scene)  # dies with the scene and its items
        self._catch_up.setSingleShot(True)
        self._catch_up.setInterval(CATCH_UP_MS)
        self._catch_up.timeout.connect(self._catch_up_signs)

    # -- building ----------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Drop every item and recreate them from the document."""
        scene = self.scene
        scene.blockSignals(True)
        try:
            scene.clear()
        finally:
            scene.blockSignals(False)
        self.variables.clear()
        self.links.clear()
        self.labels.clear()
        self._unplaced.clear()
        self.layout = LinkLayout()
        self.waterline = None
        doc = self.document
        for variable_id in doc.variables:
            self._add_variable_item(variable_id)
        for link_id in doc.links:
            self._add_link_item(link_id)
        # Signs clear of each variable's own links now; of the links passing by it in slices
        # from the next turn of the event loop on, so that a big diagram shows at once.
        self._settle(passers_by=False)
        if self.layout.pending:
            self._catch_up.start(0)
        for label_id in doc.loop_labels:
            self._add_label_item(label_id)
        self.sync_waterline()
        self._changed()
        scene.setSceneRect(
            self.content_rect().adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN)
        )

    def _add_variable_item(self, variable_id: str) -> None:
        item = VariableItem(self.document.variables[variable_id])
        self.variables[variable_id] = item
        self.scene.addItem(item)
        self.layout.set_box(variable_id, item.box())

    def _add_link_item(self, link_id: str) -> None:
        link = self.document.links[link_id]
        item = LinkItem(link)
        self.links[link_id] = item
        self.layout.set_link(link_id, link.source, link.target, link.curvature)
        self._unplaced.append(item)

    def _add_label_item(self, label_id: str) -> None:
        item = LoopLabelItem(self.document.loop_labels[label_id])
        self.labels[label_id] = item
        self.refresh_label(item)
        self.scene.addItem(item)

    def refresh_label(self, item: LoopLabelItem) -> None:
        doc = self.document
        item.set_look(
            render_overlays.loop_label_look(
                item.record, doc.variables, doc.link_between, self.analysis
            )
        )

    def refresh_labels(self) -> None:
        for item in self.labels.values():
            self.refresh_label(item)

    # -- following the document --------------------------------------------------------------
    def follow(self, event: ev.Event) -> None:
        """Bring the items in step with one document event (not DocumentReset: rebuild)."""
        with self.moves_batched():
            if isinstance(event, ev.VariablesAdded | ev.VariablesRemoved | ev.VariablesChanged):
                for i in event.ids:
                    self._sync_variable(i)
            elif isinstance(event, ev.LinksAdded | ev.LinksRemoved | ev.LinksChanged):
                for i in event.ids:
                    self._sync_link(i)
            elif isinstance(
                event, ev.LoopLabelsAdded | ev.LoopLabelsRemoved | ev.LoopLabelsChanged
            ):
                for i in event.ids:
                    self._sync_label(i)
            elif isinstance(event, ev.DiagramPropertiesChanged):
                self.sync_waterline()
                return
        self.refresh_labels()
        self._changed()
        self._grow_scene_rect(event.ids)  # type: ignore[attr-defined]
        self.place_waterline_captions()

    def _sync_variable(self, variable_id: str) -> None:
        record = self.document.variables.get(variable_id)
        item = self.variables.get(variable_id)
        if record is None:
            if item is not None:
                for link_id in list(self.layout.links_of(variable_id)):
                    self._remove_link_item(link_id)
                self.layout.remove_variable(variable_id)
                del self.variables[variable_id]
                self.scene.removeItem(item)
        elif item is None:
            self._add_variable_item(variable_id)
        else:
            item.apply(record)
            # A relabel changes the box size: its links re-clip to the new outline.
            self.layout.set_box(variable_id, item.box())

    def _sync_link(self, link_id: str) -> None:
        record = self.document.links.get(link_id)
        item = self.links.get(link_id)
        if item is not None and (
            record is None or (item.source_id, item.target_id) != (record.source, record.target)
        ):
            self._remove_link_item(link_id)
            item = None
        if record is None:
            return
        if item is None:
            for end in (record.source, record.target):
                if end not in self.variables and end in self.document.variables:
                    self._add_variable_item(end)
            self._add_link_item(link_id)
        else:
            item.apply(record)
            self.layout.set_link(link_id, record.source, record.target, record.curvature)

    def _remove_link_item(self, link_id: str) -> None:
        item = self.links.pop(link_id, None)
        if item is None:
            return
        self.layout.remove_link(link_id)
        if item in self._unplaced:
            self._unplaced.remove(item)
        else:
            self.scene.removeItem(item)

    def _sync_label(self, label_id: str) -> None:
        record = self.document.loop_labels.get(label_id)
        item = self.labels.get(label_id)
        if record is None:
            if item is not None:
                del self.labels[label_id]
                self.scene.removeItem(item)
        elif item is None:
            self._add_label_item(label_id)
        else:
            item.apply(record)

    # -- links following their ends ------------------------------------------------------------
    def variable_moved(self, item: VariableItem) -> None:
        """A variable item moved (drag, nudge, undo): its links follow."""
        variable_id = item.variable_id
        if self.variables.get(variable_id) is not item:
            return
        self.layout.set_box(variable_id, item.box())
        if self._batching:
            self._moved_in_batch = True
            return
        self._settle()
        for label in self.labels.values():
            if variable_id in label.record.loop:
                self.refresh_label(label)

    def preview_curvature(
        self, link_id: str, curvature: float, handle_at: float | None = None
    ) -> None:
        """Draw a link with ``curvature`` without changing the document (a bend in progress),
        its bend handle ``handle_at`` of the way along its arc when given (view state)."""
        item = self.links[link_id]
        self.layout.set_link(link_id, item.source_id, item.target_id, curvature)
        if handle_at is not None:
            self.layout.set_handle_at(link_id, handle_at)
        if not self._batching:
            self._settle()

    @contextmanager
    def moves_batched(self, live: bool = False) -> Iterator[None]:
        """Within this block, moved variables only mark their links; each marked link is then
        recomputed once (a link between two moved variables would otherwise be done twice).
        ``live``: a step of a drag or glide, after which the signs of variables the moved links
        only pass by wait until the moving pauses (CATCH_UP_MS)."""
        if self._batching:
            yield
            return
        self._batching, self._moved_in_batch = True, False
        try:
            yield
        finally:
            self._batching = False
            self._settle(passers_by=not live)
            if live and self.layout.pending:
                self._catch_up.start(CATCH_UP_MS)
            if self._moved_in_batch:
                self.refresh_labels()
                if not live:  # a glide's last step: the signs the waterline stops under moved
                    self.place_waterline_captions()

    def _settle(self, passers_by: bool = True) -> None:
        """Give every link the layout changed its new paths, and add new link items (see
        :meth:`LinkLayout.settle` for ``passers_by``)."""
        if passers_by:
            self._catch_up.stop()
        self._apply(self.layout.settle(passers_by))

    def _catch_up_signs(self) -> None:
        """A slice of the signs a live settle left, then the next on the next turn."""
        self._apply(self.layout.catch_up(CATCH_UP_SLICE))
        if self.layout.pending:
            self._catch_up.start(0)

    def settle_signs(self) -> None:
        """Finish every sign a live settle or an open left (before reading the picture)."""
        self._settle()

    def _apply(self, changed: dict[str, Placed]) -> None:
        # Reshaping many items one by one makes the BSP index re-file each of them; for a
        # big batch it is far cheaper to drop the index and let Qt rebuild it once.
        bulk = len(changed) > BULK_UPDATE
        scene = self.scene
        if bulk:
            scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        links = self.links
        for link_id, placed in changed.items():
            item = links.get(link_id)
            if item is not None:
                item.set_paths(_paths(item, placed))
        for item in self._unplaced:
            scene.addItem(item)
        self._unplaced.clear()
        if bulk:
            scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)

    # -- waterline ---------------------------------------------------------------------------
    def sync_waterline(self) -> None:
        y = self.document.waterline
        if y is None:
            if self.waterline is not None:
                self.scene.removeItem(self.waterline)
                self.waterline = None
            return
        if self.waterline is None:
            self.waterline = WaterlineItem(y, self.content_rect())
            self.scene.addItem(self.waterline)
        else:
            self.waterline.set_line(y, self.content_rect())
        self.place_waterline_captions()

    def place_waterline_captions(self) -> None:
        """Put the waterline's captions where they cover no variable, loop label, sign or delay
        mark and no link crosses them, searching from the diagram's left edge as exports do, and
        tell the line which signs it must stop under. Done after each change of the document,
        not at every step of a drag (a few ms with dozens of links crossing the line)."""
        waterline = self.waterline
        if waterline is None:
            return
        y = waterline.line_y
        content = waterline.content
        left, right = content.left() - CAPTION_MARGIN, content.right() + CAPTION_MARGIN
        above, below = render_overlays.waterline_caption_rects(y, 0.0)
        strip = QRectF(left, above.top(), right - left, below.bottom() - above.top())
        obstacles: list[QRectF] = []
        lines = []
        signs = []
        for item in self.scene.items(strip.adjusted(-10, -10, 10, 10)):
            if isinstance(item, VariableItem | LoopLabelItem):
                obstacles.append(item.sceneBoundingRect())
            elif isinstance(item, LinkItem) and item.paths is not None:
                g = item.paths.geometry
                obstacles.append(QRectF(g.sign_pos[0] - 9, g.sign_pos[1] - 10, 18, 20))
                signs.append(g.sign_pos)
                if item.delay:
                    obstacles.append(QRectF(g.mid[0] - 9, g.mid[1] - 9, 18, 18))
                lines.append(item.polyline())
                lines.append([*g.arrow, g.arrow[0]])
        waterline.set_signs(signs)
        waterline.set_caption_x(
            render_overlays.waterline_caption_x(y, left, right, obstacles, lines)
        )

    # -- lookups and extent ------------------------------------------------------------------
    def item_for(self, record_id: str) -> QGraphicsItem | None:
        return (
            self.variables.get(record_id) or self.links.get(record_id) or self.labels.get(record_id)
        )

    def content_rect(self) -> QRectF:
        rect = QRectF()
        for group in (self.variables, self.links, self.labels):
            for item in group.values():
                rect = rect.united(item.sceneBoundingRect())
        return rect

    def _grow_scene_rect(self, ids: Iterable[str]) -> None:
        """Make room around the records just added or changed (and their links). Grow only: a
        scene rect that shrinks under the user's feet makes the view jump."""
        content = QRectF()
        for record_id in ids:
            item = self.item_for(record_id)
            if item is not None:
                content = content.united(item.sceneBoundingRect())
            for link_id in self.layout.links_of(record_id):
                content = content.united(self.links[link_id].sceneBoundingRect())
        if content.isNull():
            return
        wanted = content.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN)
        scene = self.scene
        if not scene.sceneRect().contains(wanted):
            scene.setSceneRect(scene.sceneRect().united(wanted))


def _paths(item: LinkItem, placed: Placed) -> render_links.LinkPaths:
    if placed.shift is not None and item.paths is not None:
        return render_links.translated_paths(item.paths, placed.geometry, *placed.shift)
    return render_links.link_paths(placed.geometry)
