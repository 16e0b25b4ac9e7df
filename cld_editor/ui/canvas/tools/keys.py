"""The canvas's keys, shared by every tool.

When the canvas has focus and no label is being edited: + - ? set the polarity of the selected
links; D toggles their delay; C / E / N set the selected variables' domain to CX / EX / none;
F2 renames; Delete or Backspace deletes the selection; arrows nudge by 10 (Shift: 1), and
consecutive nudges of the same selection merge into one undo step; Esc cancels the gesture in
progress, else clears the loop highlight and the selection; L picks the link tool, V or S the
select tool. Keys with Ctrl or Meta are left to the window's shortcuts.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from cld_editor.ui.canvas.host import Canvas

NUDGE, FINE_NUDGE = 10.0, 1.0
_ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}
_DOMAIN_KEYS = {Qt.Key.Key_C: "CX", Qt.Key.Key_E: "EX", Qt.Key.Key_N: None}


class Cancellable(Protocol):
    def cancel(self) -> bool: ...


def handle_key(canvas: Canvas, tool: Cancellable, event: QKeyEvent) -> bool:
    """Act on a key; False when it is not the canvas's (Qt's standard handling follows)."""
    editor = canvas.label_editor()
    if editor is not None and canvas.focusItem() is editor:
        return False  # typing a label
    key, text, mods = event.key(), event.text(), event.modifiers()
    if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier):
        return False
    if key in _ARROWS:
        step = FINE_NUDGE if mods & Qt.KeyboardModifier.ShiftModifier else NUDGE
        dx, dy = _ARROWS[Qt.Key(key)]
        canvas.nudge_selection(dx * step, dy * step)
        return True
    if text in ("+", "=") or key == Qt.Key.Key_Plus:
        canvas.set_polarity_of_selection("+")
    elif text == "-" or key == Qt.Key.Key_Minus:
        canvas.set_polarity_of_selection("-")
    elif text == "?" or key == Qt.Key.Key_Question:
        canvas.set_polarity_of_selection("?")
    elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
        canvas.delete_selection()
    elif key == Qt.Key.Key_Escape:
        if not tool.cancel():
            canvas.set_highlighted_loop(None)
            canvas.clearSelection()
    elif key == Qt.Key.Key_F2:
        canvas.rename_selected()
    elif key == Qt.Key.Key_D:
        canvas.toggle_delay_of_selection()
    elif key in _DOMAIN_KEYS:
        canvas.set_domain_of_selection(_DOMAIN_KEYS[Qt.Key(key)])
    elif key == Qt.Key.Key_L:
        canvas.set_tool("link")
    elif key in (Qt.Key.Key_V, Qt.Key.Key_S):
        canvas.set_tool("select")
    else:
        return False
    return True
