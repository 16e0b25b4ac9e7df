"""The canvas tools: every input on the canvas reaches the active tool first.

A tool receives mouse presses, moves and releases, double-clicks, keys and the context menu. A
press either starts a gesture (link drawing, bend, waterline drag), acts at once (a click on the
polarity sign of the link selected alone cycles it; on another link's sign it selects that link),
or is passed on to Qt's standard handling (select, Ctrl-click toggle,
move the selection, rubber band), whose finished drag the tool commits as one Move on release.
A press on a variable or label moves nothing until the mouse has gone the platform's drag
distance, so a click that trembles a pixel (or a move event of no travel, whose float error
Qt would add to the positions) is a selection only, never an edit.
Keys and menus are shared by both tools (:mod:`.keys`, :mod:`.menus`); the select tool starts a
link from a variable's edge (or with Alt), the link tool from anywhere on a variable. Tools talk
to the canvas through :class:`cld_editor.ui.canvas.host.Canvas` and change the diagram only by
pushing Ops from :mod:`cld_editor.core.edits`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
)

from cld_editor.core import edits
from cld_editor.ui.canvas.host import Canvas
from cld_editor.ui.canvas.items import LinkItem, LoopLabelItem
from cld_editor.ui.canvas.tools import keys, menus, picking
from cld_editor.ui.canvas.tools.gestures import BendDrag, Gesture, LinkDrawing, WaterlineDrag
from cld_editor.ui.canvas.tools.snapping import DragSnap


class Tool:
    """Base of the canvas tools; the scene hands every input event to the active one."""

    name = ""
    #: What the status bar says when the tool is picked.
    hint = ""
    #: Whether a press anywhere on a variable (not just its edge) starts a link.
    link_anywhere = False

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.gesture: Gesture | None = None
        self._empty_press = False  # the left button went down on empty canvas
        # The left button went down on content that Qt handles (it may move the selection) and
        # the mouse has not yet gone the drag distance: Qt sees no move, and release no Move.
        self._holding = False
        self.snap = DragSnap(canvas)  # alignment guides while dragging variables

    # -- mouse ---------------------------------------------------------------------------------
    def mouse_press(self, event: QGraphicsSceneMouseEvent) -> None:
        pos = event.scenePos()
        in_editor = self.canvas.editor_contains(pos)
        if in_editor or not self._start(event):
            left = event.button() == Qt.MouseButton.LeftButton
            self._holding = left and not in_editor and self.canvas.content_at(pos)
            self.snap.press(event)
            self.canvas.pass_to_qt(event)
        else:
            event.accept()

    def _start(self, event: QGraphicsSceneMouseEvent) -> bool:
        """True when the press started a gesture or acted at once."""
        self._empty_press = False
        if event.button() != Qt.MouseButton.LeftButton or self.gesture is not None:
            return self.gesture is not None
        pos = event.scenePos()
        canvas = self.canvas
        for item in canvas.items(pos):
            if isinstance(item, LinkItem) and item.isSelected() and item.hits_handle(pos):
                self.gesture = BendDrag(canvas, item, pos)
                return True
        if isinstance(picking.record_item_at(canvas, pos), LoopLabelItem):
            return False  # Qt selects the label and moves it, whatever lies under it
        variable = canvas.variable_item_at(pos)
        if variable is not None:
            alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
            if self.link_anywhere or alt or variable.in_border_zone(pos):
                ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
                self.gesture = LinkDrawing(canvas, variable, pos, toggle=ctrl)
                return True
            return False
        link = canvas.link_sign_at(pos)
        if link is not None:
            self.click_sign(link, event.modifiers())
            return True
        if not canvas.content_at(pos):
            near = picking.link_near(canvas, pos, picking.view_scale(event.widget()))
            if near is not None:
                self._pick(near, event.modifiers())
                return True
        waterline = canvas.waterline_item()
        if waterline is not None and waterline.hits_grip(pos.y()) and not canvas.content_at(pos):
            self.gesture = WaterlineDrag(canvas, pos.y())
            return True
        # A click (not a drag) on empty canvas also clears the loop highlight (on release).
        self._empty_press = not canvas.content_at(pos) and not event.modifiers()
        return False

    def _pick(self, link: LinkItem, modifiers: Qt.KeyboardModifier) -> None:
        """A press near a link selects it as a press on it would (Ctrl toggles)."""
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            link.setSelected(not link.isSelected())
        else:
            self.canvas.clearSelection()
            link.setSelected(True)

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.gesture is not None:
            self.gesture.move(event.scenePos())
            event.accept()
            return
        if self._holding:
            if _dragged(event):
                self._holding = False
            elif event.buttons() & Qt.MouseButton.LeftButton:
                event.accept()
                return
        with self.canvas.moves_batched(live=True):
            self.canvas.pass_to_qt(event)
            self.snap.moved(event)

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.gesture is not None:
            gesture, self.gesture = self.gesture, None
            gesture.finish(event.scenePos())
            event.accept()
            return
        held, self._holding = self._holding, False
        self.canvas.pass_to_qt(event)
        self.snap.clear()
        if not held:
            self.canvas.commit_moves()
        left = event.button() == Qt.MouseButton.LeftButton
        if self._empty_press and left and not _dragged(event):
            self.canvas.set_highlighted_loop(None)
        self._empty_press = False

    def double_click(self, event: QGraphicsSceneMouseEvent) -> None:
        """On a variable: rename it; on a loop label: rename that; on a sign: keep cycling;
        on empty canvas: a new variable there."""
        canvas = self.canvas
        pos = event.scenePos()
        if canvas.editor_contains(pos):
            canvas.pass_to_qt(event)
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        event.accept()
        top = picking.record_item_at(canvas, pos)
        if isinstance(top, LoopLabelItem):
            canvas.loop_label_rename_requested.emit(top.label_id)
            return
        variable = canvas.variable_item_at(pos)
        if variable is not None and variable.in_box(pos):
            canvas.start_rename(variable.variable_id)
            return
        sign = canvas.link_sign_at(pos)
        if sign is not None:
            # The press before selected the link (or cycled its sign): this second click
            # cycles, as a click on the sign of the link selected alone does.
            self.click_sign(sign, event.modifiers())
            return
        near = picking.link_near(canvas, pos, picking.view_scale(event.widget()))
        if not canvas.content_at(pos) and near is None:  # a double-click near a link is on it
            canvas.start_new_variable(pos)

    def click_sign(self, link: LinkItem, modifiers: Qt.KeyboardModifier) -> None:
        """A click on a link's sign: on the link selected alone it cycles the sign; on any
        other it only selects the link, as a click on its line does (Ctrl toggles it), so that
        a first click never changes the diagram."""
        canvas = self.canvas
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        alone = (
            canvas.selected_link_ids() == [link.link_id]
            and not canvas.selected_variable_ids()
            and not canvas.selected_label_ids()
        )
        if alone and not ctrl:
            self.cycle_polarity(link)
            return
        self._pick(link, modifiers)
        if link.isSelected() and not ctrl:
            canvas.say_about_selection(
                "Link selected: click its sign again, or press +, - or ?, to change its polarity"
            )

    def cycle_polarity(self, link: LinkItem) -> None:
        """+ -> - -> ? -> + on ``link``, selected alone (the status bar names the new sign)."""
        canvas = self.canvas
        canvas.select_ids([link.link_id])
        polarity = canvas.document.links[link.link_id].polarity
        canvas.set_polarity_of_selection(edits.NEXT_POLARITY[polarity])

    # -- keys and menus ------------------------------------------------------------------------
    def key_press(self, event: QKeyEvent) -> None:
        if keys.handle_key(self.canvas, self, event):
            event.accept()
        else:
            self.canvas.pass_to_qt(event)

    def context_menu(self, event: QGraphicsSceneContextMenuEvent) -> None:
        menus.show_context_menu(self.canvas, event)

    def cancel(self) -> bool:
        """Esc: abandon the gesture in progress; False when there was none."""
        if self.gesture is None:
            return False
        gesture, self.gesture = self.gesture, None
        gesture.cancel()
        return True


def _dragged(event: QGraphicsSceneMouseEvent) -> bool:
    """Whether the mouse went the platform's drag distance since the left button went down."""
    moved = event.screenPos() - event.buttonDownScreenPos(Qt.MouseButton.LeftButton)
    return moved.manhattanLength() >= QApplication.startDragDistance()


class SelectTool(Tool):
    name = "select"
    hint = "Select tool: drag from a variable's edge (or with Alt) to draw a link"


class LinkTool(Tool):
    name = "link"
    hint = "Link tool: drag from one variable to another"
    link_anywhere = True
