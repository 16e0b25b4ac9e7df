"""DiagramScene: the canvas's QGraphicsScene, a live projection of one Document.

It keeps one item per record (dicts keyed by id), updates just the affected items on each
document event and recreates everything on ``rebuild()`` (and on DocumentReset). Gestures go to
the active tool first (:mod:`cld_editor.ui.canvas.tools`); everything that changes the diagram is an Op
pushed through the undo stack (``push``). Keyboard handling and the selection commands live in
:class:`cld_editor.ui.canvas.scene_commands.SceneCommands`, link geometry (arrowheads parted) and the
selection by id in :class:`cld_editor.ui.canvas.scene_links.SceneLinks`, loop highlight and labels in
:class:`cld_editor.ui.canvas.scene_loops.SceneLoops`. View state (selection, highlighted loop,
latest analysis) stays here, out of the document. Call ``detach()`` before dropping a scene whose
document lives on, so the document stops calling it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QWidget

from cld_editor.analysis.loops import Loop, LoopAnalysis
from cld_editor.core import events as ev
from cld_editor.core.document import Document
from cld_editor.core.ops import Op
from cld_editor.ui.drawing import geometry as geo
from cld_editor.ui.drawing import render, render_overlays
from cld_editor.ui.canvas.items import LinkItem, LoopLabelItem, VariableItem, WaterlineItem
from cld_editor.ui.canvas.scene_commands import SceneCommands
from cld_editor.ui.canvas.scene_links import SceneLinks
from cld_editor.ui.canvas.scene_loops import SceneLoops
from cld_editor.ui.canvas.tools import LinkTool, SelectTool, Tool
from cld_editor.ui.undo import push_op

SCENE_MARGIN = 1000.0
BULK_UPDATE = 200  # links reshaped at once beyond which the spatial index is rebuilt instead


class DiagramScene(SceneCommands, SceneLinks, SceneLoops, QGraphicsScene):
    selection_ids_changed = Signal()
    loop_label_rename_requested = Signal(str)
    status_message = Signal(str)
    tool_changed = Signal(str)
    #: The highlighted loop changed (Loop or None), e.g. Esc cleared it on the canvas.
    highlighted_loop_changed = Signal(object)

    def __init__(
        self, document: Document, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        QGraphicsScene.__init__(self, parent)
        self.document = document
        self.undo_stack = undo_stack
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.setBackgroundBrush(QColor(render.BACKGROUND))
        self._variables: dict[str, VariableItem] = {}
        self._links: dict[str, LinkItem] = {}
        self._links_of: dict[str, set[str]] = {}
        self._labels: dict[str, LoopLabelItem] = {}
        self._waterline: WaterlineItem | None = None
        self._analysis: LoopAnalysis | None = None
        self._highlight: Loop | None = None
        self._tools: dict[str, Tool] = {"select": SelectTool(self), "link": LinkTool(self)}
        self._tool: Tool = self._tools["select"]
        self._export_mode = False
        self._dirty_links: set[str] | None = None
        self._dirty_groups: set[str] | None = None  # targets whose arrowheads to re-part
        self._aims: dict[str, geo.Point] = {}  # links aimed off their target's centre
        SceneCommands.__init__(self)
        self.selectionChanged.connect(self.selection_ids_changed)
        document.subscribe(self._on_document_event)
        self.rebuild()

    def detach(self) -> None:
        """Stop listening to the document (before the scene is thrown away)."""
        self.document.unsubscribe(self._on_document_event)

    # -- pushing ops -------------------------------------------------------------------------
    def push(self, op: Op, merge_key: str | None = None) -> bool:
        """Push ``op`` as one undo step; False (nothing changed) when the document refuses it."""
        return push_op(self.undo_stack, self.document, op, merge_key)

    # -- tools -------------------------------------------------------------------------------
    def tool_name(self) -> str:
        return self._tool.name

    def set_tool(self, name: str) -> None:
        if name not in self._tools:
            raise ValueError(f"unknown tool {name!r}")
        if self._tools[name] is self._tool:
            return
        self._tool.cancel()
        self._tool = self._tools[name]
        self.tool_changed.emit(name)
        self.status_message.emit(
            "Link tool: drag from one variable to another"
            if name == "link"
            else "Select tool: drag from a variable's edge (or with Alt) to draw a link"
        )

    # -- building the items ------------------------------------------------------------------
    def rebuild(self) -> None:
        """Drop every item and recreate them from the document."""
        self._tool.cancel()
        self.close_editor()
        self.clearSelection()
        self.blockSignals(True)
        try:
            self.clear()
        finally:
            self.blockSignals(False)
        self._variables.clear()
        self._links.clear()
        self._links_of.clear()
        self._labels.clear()
        self._aims.clear()
        self._waterline = None
        doc = self.document
        for variable in doc.variables.values():
            self._add_variable_item(variable.id)
        self._dirty_groups = set()
        try:
            for link_id in doc.links:
                self._add_link_item(link_id)
        finally:
            groups, self._dirty_groups = self._dirty_groups, None
        for target_id in groups:
            self._respread(target_id)
        for label_id in doc.loop_labels:
            self._add_label_item(label_id)
        self._sync_waterline()
        self._apply_highlight()
        self.setSceneRect(
            self._content_rect().adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN)
        )
        self.selection_ids_changed.emit()

    def _add_variable_item(self, variable_id: str) -> None:
        item = VariableItem(self.document.variables[variable_id])
        self._variables[variable_id] = item
        self._links_of.setdefault(variable_id, set())
        self.addItem(item)

    def _add_link_item(self, link_id: str) -> None:
        link = self.document.links[link_id]
        item = LinkItem(link)
        self._links[link_id] = item
        self._links_of.setdefault(link.source, set()).add(link_id)
        self._links_of.setdefault(link.target, set()).add(link_id)
        self.refresh_link(item)
        self.addItem(item)
        self._group_changed(link.target)

    def _add_label_item(self, label_id: str) -> None:
        item = LoopLabelItem(self.document.loop_labels[label_id])
        self._labels[label_id] = item
        self._refresh_label(item)
        self.addItem(item)

    def _refresh_label(self, item: LoopLabelItem) -> None:
        doc = self.document
        item.set_look(
            render_overlays.loop_label_look(
                item.record, doc.variables, doc.link_between, self._analysis
            )
        )

    def _refresh_labels(self) -> None:
        for item in self._labels.values():
            self._refresh_label(item)

    # -- following the document --------------------------------------------------------------
    def _on_document_event(self, event: ev.Event) -> None:
        # Events arrive after the whole op has been applied, so a batch may announce a record
        # that a later part of the same op removed again (or re-added). Each id is therefore
        # reconciled with the document as it is now, which makes every handler idempotent.
        if isinstance(event, ev.DocumentReset):
            self.rebuild()
            return
        with self._moves_batched() as dirty:
            if isinstance(event, ev.VariablesAdded | ev.VariablesRemoved | ev.VariablesChanged):
                for i in event.ids:
                    self._sync_variable(i, dirty)
            elif isinstance(event, ev.LinksAdded | ev.LinksRemoved | ev.LinksChanged):
                for i in event.ids:
                    self._sync_link(i, dirty)
            elif isinstance(
                event, ev.LoopLabelsAdded | ev.LoopLabelsRemoved | ev.LoopLabelsChanged
            ):
                for i in event.ids:
                    self._sync_label(i)
            elif isinstance(event, ev.DiagramPropertiesChanged):
                self._sync_waterline()
                return
        self._refresh_labels()
        self._apply_highlight()
        self._grow_scene_rect(event.ids)

    def _sync_variable(self, variable_id: str, dirty: set[str]) -> None:
        record = self.document.variables.get(variable_id)
        item = self._variables.get(variable_id)
        if record is None:
            if item is not None:
                for link_id in list(self._links_of.get(variable_id, ())):
                    self._remove_link_item(link_id)
                self._links_of.pop(variable_id, None)
                del self._variables[variable_id]
                self.removeItem(item)
        elif item is None:
            self._add_variable_item(variable_id)
        else:
            item.apply(record)
            # A relabel changes the box size: its links must re-clip to the new outline.
            dirty.update(self._links_of.get(variable_id, ()))

    def _sync_link(self, link_id: str, dirty: set[str]) -> None:
        record = self.document.links.get(link_id)
        item = self._links.get(link_id)
        if item is not None and (
            record is None or (item.source_id, item.target_id) != (record.source, record.target)
        ):
            self._remove_link_item(link_id)
            item = None
        if record is None:
            return
        if item is None:
            for end in (record.source, record.target):
                if end not in self._variables and end in self.document.variables:
                    self._add_variable_item(end)
            self._add_link_item(link_id)
        elif item.apply(record):
            dirty.add(link_id)

    def _remove_link_item(self, link_id: str) -> None:
        item = self._links.pop(link_id, None)
        if item is None:
            return
        self._links_of.get(item.source_id, set()).discard(link_id)
        self._links_of.get(item.target_id, set()).discard(link_id)
        self.removeItem(item)
        self._aims.pop(link_id, None)
        self._group_changed(item.target_id)

    def _sync_label(self, label_id: str) -> None:
        record = self.document.loop_labels.get(label_id)
        item = self._labels.get(label_id)
        if record is None:
            if item is not None:
                del self._labels[label_id]
                self.removeItem(item)
        elif item is None:
            self._add_label_item(label_id)
        else:
            item.apply(record)

    def variable_item_moved(self, item: VariableItem) -> None:
        """Called by a VariableItem whenever it moves (drags, nudges, undo): links follow."""
        if self._variables.get(item.variable_id) is not item:
            return
        links = self._links_of.get(item.variable_id, ())
        if self._dirty_links is not None:
            self._dirty_links.update(links)
            return
        for link_id in links:
            self.refresh_link(self._links[link_id])
        for target_id in {self._links[link_id].target_id for link_id in links}:
            self._respread(target_id)
        for label in self._labels.values():
            if item.variable_id in label.record.loop:
                self._refresh_label(label)

    @contextmanager
    def _moves_batched(self) -> Iterator[set[str]]:
        """Within this block, moved variables only mark their links; each marked link is then
        recomputed once (a link between two moved variables would otherwise be done twice)."""
        if self._dirty_links is not None:
            yield self._dirty_links
            return
        dirty: set[str] = set()
        groups: set[str] = set()
        self._dirty_links, self._dirty_groups = dirty, groups
        try:
            yield dirty
        finally:
            self._dirty_links, self._dirty_groups = None, None
            # Reshaping many items one by one makes the BSP index re-file each of them; for a
            # big batch it is far cheaper to drop the index and let Qt rebuild it once.
            bulk = len(dirty) > BULK_UPDATE
            if bulk:
                self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
            for link_id in dirty:
                item = self._links.get(link_id)
                if item is not None:
                    self.refresh_link(item)
                    groups.add(item.target_id)
            for target_id in groups:
                self._respread(target_id)
            if bulk:
                self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
            if dirty:
                self._refresh_labels()

    # -- waterline ---------------------------------------------------------------------------
    def waterline_item(self) -> WaterlineItem | None:
        return self._waterline

    @property
    def waterline_visible(self) -> bool:
        return self.document.waterline is not None

    def _sync_waterline(self) -> None:
        y = self.document.waterline
        if y is None:
            if self._waterline is not None:
                self.removeItem(self._waterline)
                self._waterline = None
            return
        if self._waterline is None:
            self._waterline = WaterlineItem(y, self._content_rect())
            self.addItem(self._waterline)
        else:
            self._waterline.set_line(y, self._content_rect())

    def preview_waterline(self, y: float) -> None:
        if self._waterline is not None:
            self._waterline.set_line(y)

    # -- lookups -----------------------------------------------------------------------------
    def item_for(self, record_id: str) -> QGraphicsItem | None:
        """The item drawing a record (variable, link or loop label), for tests and tools."""
        return (
            self._variables.get(record_id)
            or self._links.get(record_id)
            or self._labels.get(record_id)
        )

    def variable_item_at(self, pos: QPointF) -> VariableItem | None:
        """The topmost variable whose box or edge zone contains ``pos``."""
        for item in self.items(pos):
            if isinstance(item, VariableItem):
                return item
        return None

    def link_sign_at(self, pos: QPointF) -> LinkItem | None:
        for item in self.items(pos):
            if isinstance(item, LinkItem) and item.hits_sign(pos):
                return item
        return None

    def content_at(self, pos: QPointF) -> bool:
        """Whether a record's item (not the waterline, not a rubber arrow) is under ``pos``."""
        return any(isinstance(i, VariableItem | LinkItem | LoopLabelItem) for i in self.items(pos))

    def variable_scene_pos(self, variable_id: str) -> QPointF:
        return self._variables[variable_id].pos()

    def _content_rect(self) -> QRectF:
        rect = QRectF()
        for group in (self._variables, self._links, self._labels):
            for item in group.values():
                rect = rect.united(item.sceneBoundingRect())
        return rect

    def items_bounding_rect(self) -> QRectF:
        """Bounds of the diagram's records (for Fit), without the waterline's wide band."""
        return self._content_rect()

    def _grow_scene_rect(self, ids: Iterable[str]) -> None:
        """Make room around the records just added or changed (and their links). Grow only: a
        scene rect that shrinks under the user's feet makes the view jump."""
        content = QRectF()
        for record_id in ids:
            item = self.item_for(record_id)
            if item is not None:
                content = content.united(item.sceneBoundingRect())
            for link_id in self._links_of.get(record_id, ()):
                content = content.united(self._links[link_id].sceneBoundingRect())
        if content.isNull():
            return
        wanted = content.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN)
        if not self.sceneRect().contains(wanted):
            self.setSceneRect(self.sceneRect().united(wanted))

    @property
    def export_mode(self) -> bool:
        return self._export_mode

    def set_export_mode(self, on: bool) -> None:
        """While on, items draw as exports do: no selection outline, bend handle or hover ring
        (the selection itself is kept). Items never cache pixmaps, so SVG and PDF stay vector."""
        self._export_mode = on
        self.update()
