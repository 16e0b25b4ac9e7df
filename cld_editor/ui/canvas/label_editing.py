"""The in-place label editor on the canvas: naming a new variable and renaming one.

One :class:`LabelEditor` at most is open. Enter commits (one Op from
:mod:`cld_editor.core.edits`: add the variable, or rename it), Esc cancels, a click elsewhere
commits. While a new variable is being named, the status bar shows how to finish.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPointF, Qt, QTimer

from cld_editor.core import edits
from cld_editor.ui.canvas.host import Canvas
from cld_editor.ui.canvas.items import LabelEditor, VariableItem

NEW_VARIABLE_HINT = "Type the variable's name; Enter adds it, Esc cancels"


class LabelEditing:
    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.editor: LabelEditor | None = None
        self._hint = False  # the status bar shows NEW_VARIABLE_HINT for the open editor

    def start_rename(self, variable_id: str) -> None:
        canvas = self.canvas
        item = canvas.item_for(variable_id)
        assert isinstance(item, VariableItem)
        editor = self._open(item.pos(), canvas.document.variables[variable_id].label)
        item.editing = True
        item.update()

        def finished() -> None:
            item.editing = False
            item.update()
            self.close()

        def committed(text: str) -> None:
            finished()
            canvas.push(edits.rename_variable(canvas.document, variable_id, text))

        editor.committed.connect(committed)
        editor.cancelled.connect(finished)

    def start_new_variable(self, pos: QPointF) -> LabelEditor:
        """Open the editor at ``pos``; Enter adds the variable (one undo step), Esc nothing."""
        canvas = self.canvas
        pos = QPointF(pos)
        editor = self._open(pos, "")

        def committed(text: str) -> None:
            self.close()
            op = edits.add_variable(canvas.document, text, pos.x(), pos.y())
            if canvas.push(op):
                canvas.select_ids(edits.added_ids(op))

        editor.committed.connect(committed)
        editor.cancelled.connect(self.close)
        canvas.status_message.emit(NEW_VARIABLE_HINT)
        self._hint = True
        return editor

    def _open(self, centre: QPointF, text: str) -> LabelEditor:
        if self.editor is not None:
            self.editor.commit()
        editor = LabelEditor(centre, text)
        self.editor = editor
        self.canvas.addItem(editor)
        self.canvas.clearSelection()
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return editor

    def close(self) -> None:
        editor, self.editor = self.editor, None
        if self._hint:
            self._hint = False
            self.canvas.status_message.emit("")  # the typing hint is over (Enter, Esc or a click)
        if editor is None:
            return
        editor.cancel()  # no-op when it already reported
        editor.clearFocus()
        editor.hide()
        canvas = self.canvas

        # Removing the item inside its own key or focus handler is unsafe: do it afterwards
        # (by then a rebuild may have deleted it along with everything else).
        def remove() -> None:
            if shiboken6.isValid(editor) and editor.scene() is not None:
                canvas.removeItem(editor)

        QTimer.singleShot(0, remove)

    def contains(self, pos: QPointF) -> bool:
        editor = self.editor
        return (
            editor is not None and editor.isVisible() and editor.sceneBoundingRect().contains(pos)
        )
