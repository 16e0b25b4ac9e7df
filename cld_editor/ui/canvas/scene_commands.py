"""The scene's commands on the selection, its mouse and key handling, double-clicks, context menus
and the in-place label editor: a mixin of :class:`cld_editor.ui.canvas.scene.DiagramScene`, kept apart
so each module stays small. Every command builds one Op and pushes it; nothing here edits the
document. Mouse presses go to the active tool first (:mod:`cld_editor.ui.canvas.tools`), then to Qt's
standard selection and moving, whose finished drag becomes one Move op on release.

Keys (when the canvas has focus and no label is being edited): + - ? polarity of the selected
links; D toggles their delay; C / E / N set the selected variables' domain to CX / EX / none;
F2 renames; Delete or Backspace deletes the selection; arrows nudge by 10 (Shift: 1), and
consecutive nudges of the same selection merge into one undo step; Esc cancels a link drag, else
clears the loop highlight and the selection; L picks the link tool, V or S the select tool.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
    QMenu,
)

from cld_editor.core.model import Variable
from cld_editor.core.ops import (
    Batch,
    Op,
    add_variable,
    bend_link,
    delete,
    move_variables,
    rename_variable,
    set_delay,
    set_domain,
    set_polarity,
    update_loop_labels,
)
from cld_editor.ui.canvas.items import LabelEditor, LinkItem, LoopLabelItem, VariableItem

if TYPE_CHECKING:
    from cld_editor.ui.canvas.scene import DiagramScene

NUDGE, FINE_NUDGE = 10.0, 1.0
_ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}
POLARITY_SIGNS = {"+": "+ (same direction)", "-": "− (opposite direction)", "?": "? (unknown)"}
_DOMAIN_KEYS = {Qt.Key.Key_C: "CX", Qt.Key.Key_E: "EX", Qt.Key.Key_N: None}
NEW_VARIABLE_HINT = "Type the variable's name; Enter adds it, Esc cancels"
#: The key of each context-menu command, shown after a tab as menus show shortcuts (the canvas
#: handles these keys itself, see the module docstring).
DELETE_KEY = QKeySequence(Qt.Key.Key_Delete).toString(QKeySequence.SequenceFormat.NativeText)


class SceneCommands:
    """Mixin: needs the DiagramScene attributes (document, push, selection helpers)."""

    def __init__(self) -> None:
        self._editor: LabelEditor | None = None
        self._editor_hint = False  # the status bar shows NEW_VARIABLE_HINT for the open editor

    # -- commands on the selection (also called by the window's menus) ---------------------
    def delete_selection(self: DiagramScene) -> bool:
        variables = self.selected_variable_ids()
        doomed = set(variables)
        # Links of deleted variables go with them inside the op; listing them twice would fail.
        links = [
            i
            for i in self.selected_link_ids()
            if self.document.links[i].source not in doomed
            and self.document.links[i].target not in doomed
        ]
        labels = self.selected_label_ids()
        if not (variables or links or labels):
            return False
        return self.push(delete(variables, links, labels))

    def set_polarity_of_selection(self: DiagramScene, polarity: str) -> bool:
        links = [i for i in self.selected_link_ids() if self.document.links[i].polarity != polarity]
        if not (links and self.push(set_polarity(links, polarity))):
            return False
        what = "link" if len(links) == 1 else f"{len(links)} links"
        # Replaces a hint that still names the old sign ("... (+); press - or ?").
        self.status_message.emit(f"Polarity of the {what}: {POLARITY_SIGNS[polarity]}")
        return True

    def toggle_delay_of_selection(self: DiagramScene) -> bool:
        links = self.selected_link_ids()
        if not links:
            return False
        # Mixed selection: switch them all on, as most editors do with a mixed checkbox.
        value = not all(self.document.links[i].delay for i in links)
        return self.push(set_delay(links, value))

    def set_domain_of_selection(self: DiagramScene, domain: str | None) -> bool:
        ids = [
            i for i in self.selected_variable_ids() if self.document.variables[i].domain != domain
        ]
        return bool(ids) and self.push(set_domain(ids, domain))

    def straighten_selection(self: DiagramScene) -> bool:
        links = [i for i in self.selected_link_ids() if self.document.links[i].curvature != 0]
        if not links:
            return False
        ops = [bend_link(i, 0.0) for i in links]
        if len(ops) == 1:
            return self.push(ops[0])
        return self.push(Batch(tuple(ops), "Straighten links"))

    def nudge_selection(self: DiagramScene, dx: float, dy: float) -> bool:
        ids = self.selected_variable_ids()
        if not ids:
            return False
        doc = self.document
        positions = {i: (doc.variables[i].x + dx, doc.variables[i].y + dy) for i in ids}
        return self.push(move_variables(positions), merge_key="nudge:" + ",".join(ids))

    # -- the in-place label editor -----------------------------------------------------------
    def rename_selected(self: DiagramScene) -> bool:
        """F2: rename the one selected variable in place, or ask to rename a loop label."""
        ids = self.selected_variable_ids()
        labels = self.selected_label_ids()
        if len(ids) == 1 and not labels:
            self.start_rename(ids[0])
            return True
        if len(labels) == 1 and not ids:
            self.loop_label_rename_requested.emit(labels[0])
            return True
        return False

    def start_rename(self: DiagramScene, variable_id: str) -> None:
        item = self._variables[variable_id]
        editor = self._open_editor(item.pos(), self.document.variables[variable_id].label)
        item.editing = True
        item.update()

        def committed(text: str) -> None:
            item.editing = False
            item.update()
            self.close_editor()
            record = self.document.variables.get(variable_id)
            if text and record is not None and text != record.label:
                self.push(rename_variable(variable_id, text))

        def cancelled() -> None:
            item.editing = False
            item.update()
            self.close_editor()

        editor.committed.connect(committed)
        editor.cancelled.connect(cancelled)

    def start_new_variable(self: DiagramScene, pos: QPointF) -> LabelEditor:
        """Open the editor at ``pos``; Enter adds the variable (one undo step), Esc nothing."""
        editor = self._open_editor(pos, "")
        x, y = round(pos.x(), 2), round(pos.y(), 2)

        def committed(text: str) -> None:
            self.close_editor()
            if text:
                variable = Variable(id=self.document.new_id("v"), label=text, x=x, y=y)
                if self.push(add_variable(variable)):
                    self.select_ids([variable.id])

        editor.committed.connect(committed)
        editor.cancelled.connect(self.close_editor)
        self.status_message.emit(NEW_VARIABLE_HINT)
        self._editor_hint = True
        return editor

    def _open_editor(self: DiagramScene, centre: QPointF, text: str) -> LabelEditor:
        if self._editor is not None:
            self._editor.commit()
        editor = LabelEditor(centre, text)
        self._editor = editor
        self.addItem(editor)
        self.clearSelection()
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return editor

    def label_editor(self) -> LabelEditor | None:
        return self._editor

    def close_editor(self: DiagramScene) -> None:
        editor, self._editor = self._editor, None
        if self._editor_hint:
            self._editor_hint = False
            self.status_message.emit("")  # the typing hint is over (Enter, Esc or a click)
        if editor is None:
            return
        editor.cancel()  # no-op when it already reported
        editor.clearFocus()
        editor.hide()

        # Removing the item inside its own key or focus handler is unsafe: do it afterwards
        # (by then a rebuild may have deleted it along with everything else).
        def remove() -> None:
            if shiboken6.isValid(editor) and editor.scene() is not None:
                self.removeItem(editor)

        QTimer.singleShot(0, remove)

    def editor_contains(self: DiagramScene, pos: QPointF) -> bool:
        editor = self._editor
        return (
            editor is not None and editor.isVisible() and editor.sceneBoundingRect().contains(pos)
        )

    # -- keys --------------------------------------------------------------------------------
    def keyPressEvent(self: DiagramScene, event: QKeyEvent) -> None:
        if self._editor is not None and self.focusItem() is self._editor:
            super().keyPressEvent(event)  # type: ignore[misc]
            return
        if self.handle_key(event):
            event.accept()
            return
        super().keyPressEvent(event)  # type: ignore[misc]

    def handle_key(self: DiagramScene, event: QKeyEvent) -> bool:
        key, text, mods = event.key(), event.text(), event.modifiers()
        if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier):
            return False
        if key in _ARROWS:
            step = FINE_NUDGE if mods & Qt.KeyboardModifier.ShiftModifier else NUDGE
            dx, dy = _ARROWS[Qt.Key(key)]
            self.nudge_selection(dx * step, dy * step)
            return True
        if text in ("+", "=") or key == Qt.Key.Key_Plus:
            self.set_polarity_of_selection("+")
        elif text == "-" or key == Qt.Key.Key_Minus:
            self.set_polarity_of_selection("-")
        elif text == "?" or key == Qt.Key.Key_Question:
            self.set_polarity_of_selection("?")
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_selection()
        elif key == Qt.Key.Key_Escape:
            if not self._tool.cancel():
                self.set_highlighted_loop(None)
                self.clearSelection()
        elif key == Qt.Key.Key_F2:
            self.rename_selected()
        elif key == Qt.Key.Key_D:
            self.toggle_delay_of_selection()
        elif key in _DOMAIN_KEYS:
            self.set_domain_of_selection(_DOMAIN_KEYS[Qt.Key(key)])
        elif key == Qt.Key.Key_L:
            self.set_tool("link")
        elif key in (Qt.Key.Key_V, Qt.Key.Key_S):
            self.set_tool("select")
        else:
            return False
        return True

    # -- mouse: tools first, then Qt's standard selection and moving -------------------------
    def mousePressEvent(self: DiagramScene, event: QGraphicsSceneMouseEvent) -> None:
        if self.editor_contains(event.scenePos()):
            super().mousePressEvent(event)  # type: ignore[misc]
            return
        if self._tool.mouse_press(event):
            event.accept()
            return
        super().mousePressEvent(event)  # type: ignore[misc]

    def mouseMoveEvent(self: DiagramScene, event: QGraphicsSceneMouseEvent) -> None:
        if self._tool.mouse_move(event):
            event.accept()
            return
        with self._moves_batched():
            super().mouseMoveEvent(event)  # type: ignore[misc]

    def mouseReleaseEvent(self: DiagramScene, event: QGraphicsSceneMouseEvent) -> None:
        if self._tool.mouse_release(event):
            event.accept()
            return
        super().mouseReleaseEvent(event)  # type: ignore[misc]
        self._commit_moves()

    def _commit_moves(self: DiagramScene) -> None:
        """Turn a finished Qt drag of the selection into one Move op."""
        doc = self.document
        moved: dict[str, tuple[float, float]] = {}
        for variable_id in self.selected_variable_ids():
            pos, record = self._variables[variable_id].pos(), doc.variables[variable_id]
            if (pos.x(), pos.y()) != (record.x, record.y):
                moved[variable_id] = (round(pos.x(), 2), round(pos.y(), 2))
        labels: dict[str, dict[str, float]] = {}
        for label_id in self.selected_label_ids():
            pos, record = self._labels[label_id].pos(), doc.loop_labels[label_id]
            if (pos.x(), pos.y()) != (record.x, record.y):
                labels[label_id] = {"x": round(pos.x(), 2), "y": round(pos.y(), 2)}
        ops: list[Op] = []
        if moved:
            ops.append(move_variables(moved))
        if labels:
            ops.append(update_loop_labels(labels, "Move loop label"))
        if len(ops) == 1:
            self.push(ops[0])
        elif ops:
            self.push(Batch(tuple(ops), "Move"))

    # -- double-click and context menu -------------------------------------------------------
    def mouseDoubleClickEvent(self: DiagramScene, event: QGraphicsSceneMouseEvent) -> None:
        pos = event.scenePos()
        if self.editor_contains(pos):
            super().mouseDoubleClickEvent(event)  # type: ignore[misc]
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        event.accept()
        variable = self.variable_item_at(pos)
        if variable is not None and variable.in_box(pos):
            self.start_rename(variable.variable_id)
            return
        for item in self.items(pos):
            if isinstance(item, LoopLabelItem):
                self.loop_label_rename_requested.emit(item.label_id)
                return
        sign = self.link_sign_at(pos)
        if sign is not None:
            self._tool.cycle_polarity(sign)  # a quick second click keeps cycling
            return
        if not self.content_at(pos):
            self.start_new_variable(pos)

    def contextMenuEvent(self: DiagramScene, event: QGraphicsSceneContextMenuEvent) -> None:
        pos = event.scenePos()
        target = next(
            (i for i in self.items(pos) if isinstance(i, VariableItem | LinkItem | LoopLabelItem)),
            None,
        )
        if target is None:
            empty = QMenu()
            empty.addAction("New variable here").triggered.connect(
                lambda: self.start_new_variable(pos)
            )
            empty.exec(event.screenPos())
            return
        if not target.isSelected():
            self.clearSelection()
            target.setSelected(True)
        menu = QMenu()
        if isinstance(target, LinkItem):
            for polarity, label in (
                ("+", "Polarity +\t+"),
                ("-", "Polarity \u2212\t-"),
                ("?", "Polarity ?\t?"),
            ):
                action = menu.addAction(label)
                action.setCheckable(True)
                action.setChecked(target.polarity == polarity)
                action.triggered.connect(
                    lambda _=False, p=polarity: self.set_polarity_of_selection(p)
                )
            menu.addSeparator()
            delay = menu.addAction("Delay\tD")
            delay.setCheckable(True)
            delay.setChecked(target.delay)
            delay.triggered.connect(self.toggle_delay_of_selection)
            menu.addAction("Straighten").triggered.connect(self.straighten_selection)
        elif isinstance(target, VariableItem):
            for domain, label in (
                ("CX", "Domain CX\tC"),
                ("EX", "Domain EX\tE"),
                (None, "No domain\tN"),
            ):
                action = menu.addAction(label)
                action.setCheckable(True)
                action.setChecked(target.domain == domain)
                action.triggered.connect(lambda _=False, d=domain: self.set_domain_of_selection(d))
            menu.addSeparator()
            menu.addAction("Rename\tF2").triggered.connect(self.rename_selected)
        else:
            label_id = target.label_id
            menu.addAction("Rename loop label\u2026\tF2").triggered.connect(
                lambda: self.loop_label_rename_requested.emit(label_id)
            )
        menu.addSeparator()
        menu.addAction(f"Delete\t{DELETE_KEY}").triggered.connect(self.delete_selection)
        menu.exec(event.screenPos())
