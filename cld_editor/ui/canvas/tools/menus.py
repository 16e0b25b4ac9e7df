"""The canvas's context menus: on a link (polarity, delay, straighten), on a variable (domain,
rename), on a loop label (rename), each with Delete; on empty canvas "New Variable Here" (the
label editor opens at the click point) and the window's canvas-wide actions (Paste, Select All,
Fit Diagram, Show Waterline: ``empty_canvas_actions``, so shortcuts and states are the window's).

A right-click on an unselected record (or near a link, see :mod:`.picking`) selects it first, so
every entry acts on the selection through the canvas's commands. Entries show the key that does
the same on the canvas.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QGraphicsSceneContextMenuEvent, QMenu

from cld_editor.ui.canvas.host import Canvas
from cld_editor.ui.canvas.items import LinkItem, VariableItem
from cld_editor.ui.canvas.tools import picking

#: The key of each context-menu command, shown after a tab as menus show shortcuts (the canvas
#: handles these keys itself, see :mod:`.keys`).
DELETE_KEY = QKeySequence(Qt.Key.Key_Delete).toString(QKeySequence.SequenceFormat.NativeText)
_POLARITIES = (("+", "Polarity +\t+"), ("-", "Polarity \u2212\t-"), ("?", "Polarity ?\t?"))
_DOMAINS = (("CX", "Domain CX\tC"), ("EX", "Domain EX\tE"), (None, "No domain\tN"))


def show_context_menu(canvas: Canvas, event: QGraphicsSceneContextMenuEvent) -> None:
    pos = event.scenePos()
    target = picking.record_item_at(canvas, pos)
    if target is None and not canvas.content_at(pos):
        target = picking.link_near(canvas, pos, picking.view_scale(event.widget()))
    menu = QMenu()
    if target is None:
        menu.addAction("New Variable Here").triggered.connect(
            lambda: canvas.start_new_variable(pos)
        )
        for action in canvas.empty_canvas_actions():
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        canvas.set_context_point(pos)  # Paste from this menu lands at the click
        try:
            menu.exec(event.screenPos())
        finally:
            canvas.set_context_point(None)
        return
    if not target.isSelected():
        canvas.clearSelection()
        target.setSelected(True)
    if isinstance(target, LinkItem):
        for polarity, label in _POLARITIES:
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(target.polarity == polarity)
            action.triggered.connect(
                lambda _=False, p=polarity: canvas.set_polarity_of_selection(p)
            )
        menu.addSeparator()
        delay = menu.addAction("Delay\tD")
        delay.setCheckable(True)
        delay.setChecked(target.delay)
        delay.triggered.connect(canvas.toggle_delay_of_selection)
        menu.addAction("Straighten").triggered.connect(canvas.straighten_selection)
    elif isinstance(target, VariableItem):
        for domain, label in _DOMAINS:
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(target.domain == domain)
            action.triggered.connect(lambda _=False, d=domain: canvas.set_domain_of_selection(d))
        menu.addSeparator()
        menu.addAction("Rename\tF2").triggered.connect(canvas.rename_selected)
    else:
        label_id = target.label_id
        menu.addAction("Rename loop label\u2026\tF2").triggered.connect(
            lambda: canvas.loop_label_rename_requested.emit(label_id)
        )
    menu.addSeparator()
    menu.addAction(f"Delete\t{DELETE_KEY}").triggered.connect(canvas.delete_selection)
    menu.exec(event.screenPos())
