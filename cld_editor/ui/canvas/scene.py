"""DiagramScene: the canvas's QGraphicsScene, a projection of one Document plus tool dispatch.

The scene composes small collaborators and owns none of their logic: the :class:`Projection`
keeps one item per record in step with the document's events (and the link layout that places
the arcs), :class:`Selection` and :class:`LoopHighlight` hold the view state (never part of the
document), :class:`CanvasCommands` and :class:`LabelEditing` turn commands on the selection into
Ops from :mod:`cld_editor.core.edits`. Every input event (mouse, keys, double-click, context
menu) goes to the active tool first (:mod:`cld_editor.ui.canvas.tools`), which may hand it back
to Qt's standard handling through ``pass_to_qt``. Tools and commands see the scene through the
:class:`cld_editor.ui.canvas.host.Canvas` protocol and items through ``items.host.ItemHost``, so
none of them imports this module. Call ``detach()`` before dropping a scene whose document lives
on, so the document stops calling it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager

from PySide6.QtCore import QEvent, QPointF, QRectF, Signal
from PySide6.QtGui import QAction, QColor, QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
    QWidget,
)

from cld_editor.analysis.loops import Loop, LoopAnalysis
from cld_editor.core import events as ev
from cld_editor.core.document import Document
from cld_editor.core.ops import Op
from cld_editor.ui.canvas.commands import CanvasCommands
from cld_editor.ui.canvas.items import (
    LabelEditor,
    LinkItem,
    LoopLabelItem,
    VariableItem,
    WaterlineItem,
)
from cld_editor.ui.canvas.label_editing import LabelEditing
from cld_editor.ui.canvas.projection import Projection
from cld_editor.ui.canvas.selection import LoopHighlight, Selection
from cld_editor.ui.canvas.tools import LinkTool, SelectTool, Tool
from cld_editor.ui.drawing import render
from cld_editor.ui.undo import push_op

_QT_HANDLERS: dict[QEvent.Type, Callable[[QGraphicsScene, QEvent], None]] = {
    QEvent.Type.GraphicsSceneMousePress: QGraphicsScene.mousePressEvent,  # type: ignore[dict-item]
    QEvent.Type.GraphicsSceneMouseMove: QGraphicsScene.mouseMoveEvent,  # type: ignore[dict-item]
    QEvent.Type.GraphicsSceneMouseRelease: QGraphicsScene.mouseReleaseEvent,  # type: ignore[dict-item]
    QEvent.Type.GraphicsSceneMouseDoubleClick: QGraphicsScene.mouseDoubleClickEvent,  # type: ignore[dict-item]
    QEvent.Type.KeyPress: QGraphicsScene.keyPressEvent,  # type: ignore[dict-item]
    QEvent.Type.GraphicsSceneContextMenu: QGraphicsScene.contextMenuEvent,  # type: ignore[dict-item]
}


class DiagramScene(QGraphicsScene):
    selection_ids_changed = Signal()
    loop_label_rename_requested = Signal(str)
    status_message = Signal(str)
    #: A message about the selection went stale (the selection changed): the status bar drops
    #: it if it still shows it.
    status_withdrawn = Signal(str)
    tool_changed = Signal(str)
    #: The highlighted loop changed (Loop or None), e.g. Esc cleared it on the canvas.
    highlighted_loop_changed = Signal(object)

    def __init__(
        self, document: Document, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.undo_stack = undo_stack
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.setBackgroundBrush(QColor(render.BACKGROUND))
        self._projection = Projection(self, document, self._items_changed)
        self._selection = Selection(self._projection, self.selection_ids_changed.emit)
        self._highlight = LoopHighlight(self._projection)
        self._commands = CanvasCommands(self)
        self._editing = LabelEditing(self)
        self._tools: dict[str, Tool] = {}
        for tool in (SelectTool(self), LinkTool(self)):
            self.add_tool(tool)
        self._tool: Tool = self._tools["select"]
        self._export_mode = False
        self._empty_canvas_actions: list[QAction | None] = []
        self._context_point: QPointF | None = None
        self.selectionChanged.connect(self.selection_ids_changed)
        #: The last message about the selection, and the selection it was about.
        self._selection_note: tuple[str, tuple[str, ...]] | None = None
        self.selection_ids_changed.connect(self._withdraw_stale_note)
        document.subscribe(self._on_document_event)
        self.rebuild()

    def detach(self) -> None:
        """Stop listening to the document (before the scene is thrown away)."""
        self.document.unsubscribe(self._on_document_event)

    def push(self, op: Op | None, merge_key: str | None = None) -> bool:
        """Push ``op`` as one undo step; False (nothing changed) for None or when the document
        refuses it."""
        return op is not None and push_op(self.undo_stack, self.document, op, merge_key)

    # -- the projection ------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Drop every item and recreate them from the document."""
        self._tool.cancel()
        self.close_editor()
        self.clearSelection()
        self._projection.rebuild()
        self.selection_ids_changed.emit()

    def _on_document_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.DocumentReset):
            self.rebuild()
        else:
            self._projection.follow(event)

    def _items_changed(self) -> None:
        self._highlight.apply()

    def variable_item_moved(self, item: QGraphicsItem) -> None:
        """Called by a VariableItem whenever it moves (drags, nudges, undo): links follow."""
        self._projection.variable_moved(item)  # type: ignore[arg-type]

    def moves_batched(self, live: bool = False) -> AbstractContextManager[None]:
        return self._projection.moves_batched(live)

    def settle_signs(self) -> None:
        """Place now the signs still catching up after an open or a drag (see Projection)."""
        self._projection.settle_signs()

    def preview_curvature(
        self, link_id: str, curvature: float, handle_at: float | None = None
    ) -> None:
        self._projection.preview_curvature(link_id, curvature, handle_at)

    def link_chord(self, link_id: str) -> tuple[tuple[float, float], tuple[float, float]]:
        return self._projection.layout.chord(link_id)

    def preview_waterline(self, y: float) -> None:
        if self._projection.waterline is not None:
            self._projection.waterline.set_line(y)

    def waterline_item(self) -> WaterlineItem | None:
        return self._projection.waterline

    @property
    def waterline_visible(self) -> bool:
        return self.document.waterline is not None

    # -- lookups -------------------------------------------------------------------------------
    def item_for(self, record_id: str) -> QGraphicsItem | None:
        """The item drawing a record (variable, link or loop label), for tests and tools."""
        return self._projection.item_for(record_id)

    def variable_item_at(self, pos: QPointF) -> VariableItem | None:
        """The topmost variable whose box or edge zone contains ``pos``."""
        return next((i for i in self.items(pos) if isinstance(i, VariableItem)), None)

    def link_sign_at(self, pos: QPointF) -> LinkItem | None:
        return next(
            (i for i in self.items(pos) if isinstance(i, LinkItem) and i.hits_sign(pos)), None
        )

    def content_at(self, pos: QPointF) -> bool:
        """Whether a record's item (not the waterline, not a rubber arrow) is under ``pos``."""
        return any(isinstance(i, VariableItem | LinkItem | LoopLabelItem) for i in self.items(pos))

    def variable_scene_pos(self, variable_id: str) -> QPointF:
        return self._projection.variables[variable_id].pos()

    def records_rect(self, record_ids: Iterable[str]) -> QRectF:
        """Scene bounds of the items drawing these records (a loop's variables and links)."""
        rect = QRectF()
        for record_id in record_ids:
            item = self._projection.item_for(record_id)
            if item is not None:
                rect = rect.united(item.sceneBoundingRect())
        return rect

    def items_bounding_rect(self) -> QRectF:
        """Bounds of the diagram's records (for Fit), without the waterline's wide band."""
        return self._projection.content_rect()

    @property
    def export_mode(self) -> bool:
        return self._export_mode

    def set_export_mode(self, on: bool) -> None:
        """While on, items draw as exports do: no selection outline, bend handle or hover ring
        (the selection itself is kept). Items never cache pixmaps, so SVG and PDF stay vector."""
        self._export_mode = on
        self.update()

    # -- view state: selection and loops -------------------------------------------------------
    def selected_variable_ids(self) -> list[str]:
        return self._selection.variable_ids()

    def selected_link_ids(self) -> list[str]:
        return self._selection.link_ids()

    def selected_label_ids(self) -> list[str]:
        return self._selection.label_ids()

    def select_ids(self, ids: Iterable[str]) -> None:
        self._selection.select_ids(ids)

    def say_about_selection(self, text: str) -> None:
        """A status message about what is selected (its sign, its delay mark): it goes when
        the selection changes, so it never describes another item."""
        self.status_message.emit(text)
        self._selection_note = (text, self._selected_ids())

    def _selected_ids(self) -> tuple[str, ...]:
        selection = self._selection
        return (*selection.variable_ids(), *selection.link_ids(), *selection.label_ids())

    def _withdraw_stale_note(self) -> None:
        note = self._selection_note
        if note is None or self._selected_ids() == note[1]:
            return
        self._selection_note = None
        self.status_withdrawn.emit(note[0])

    def restrict_band_links(self, band: QRectF, keep: set[str]) -> None:
        self._selection.restrict_band_links(band, keep)

    def set_loops(self, analysis: LoopAnalysis | None) -> None:
        """The latest analysis (or None while unknown): loop labels take names from it."""
        self._projection.analysis = analysis
        self._projection.refresh_labels()

    def highlighted_loop(self) -> Loop | None:
        return self._highlight.loop

    def set_highlighted_loop(self, loop: Loop | None) -> None:
        """Draw ``loop`` strongly and dim everything else (None: back to normal)."""
        if self._highlight.set(loop):
            self.highlighted_loop_changed.emit(loop)

    def show_waterline(self, show: bool) -> bool:
        """Show the waterline between the CX and EX variables as drawn, or hide it."""
        return self._commands.show_waterline(show)

    # -- tools ---------------------------------------------------------------------------------
    def set_empty_canvas_actions(self, actions: Iterable[QAction | None]) -> None:
        """The window's canvas-wide actions (Paste, Select All, ...) for the empty-canvas
        context menu, in order; None puts a separator."""
        self._empty_canvas_actions = list(actions)

    def empty_canvas_actions(self) -> list[QAction | None]:
        return list(self._empty_canvas_actions)

    def set_context_point(self, point: QPointF | None) -> None:
        """Where the empty-canvas menu was opened, while it is open (None after): its actions
        (Paste) act there rather than at the middle of the view."""
        self._context_point = None if point is None else QPointF(point)

    def context_point(self) -> QPointF | None:
        return None if self._context_point is None else QPointF(self._context_point)

    def add_tool(self, tool: Tool) -> None:
        """Offer ``tool`` (a new interaction mode) to ``set_tool`` under its name."""
        self._tools[tool.name] = tool

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
        if self._tool.hint:
            self.status_message.emit(self._tool.hint)

    def pass_to_qt(self, event: QEvent) -> None:
        """Qt's standard handling of an input event the tool leaves alone."""
        _QT_HANDLERS[event.type()](self, event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._tool.mouse_press(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._tool.mouse_move(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._tool.mouse_release(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._tool.double_click(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self._tool.key_press(event)

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        self._tool.context_menu(event)

    # -- the in-place label editor -------------------------------------------------------------
    def label_editor(self) -> LabelEditor | None:
        return self._editing.editor

    def editor_contains(self, pos: QPointF) -> bool:
        return self._editing.contains(pos)

    def start_rename(self, variable_id: str) -> None:
        self._editing.start_rename(variable_id)

    def start_new_variable(self, pos: QPointF) -> LabelEditor:
        return self._editing.start_new_variable(pos)

    def close_editor(self) -> None:
        self._editing.close()

    # -- commands on the selection (also called by the window's menus) -------------------------
    def delete_selection(self) -> bool:
        return self._commands.delete_selection()

    def set_polarity_of_selection(self, polarity: str) -> bool:
        return self._commands.set_polarity_of_selection(polarity)

    def toggle_delay_of_selection(self) -> bool:
        return self._commands.toggle_delay_of_selection()

    def set_domain_of_selection(self, domain: str | None) -> bool:
        return self._commands.set_domain_of_selection(domain)

    def straighten_selection(self) -> bool:
        return self._commands.straighten_selection()

    def nudge_selection(self, dx: float, dy: float) -> bool:
        return self._commands.nudge_selection(dx, dy)

    def rename_selected(self) -> bool:
        return self._commands.rename_selected()

    def commit_moves(self) -> bool:
        return self._commands.commit_moves()
