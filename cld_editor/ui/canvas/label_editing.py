"""The in-place label editor on the canvas: naming a new variable and renaming one.

One :class:`LabelEditor` at most is open. Enter commits (one Op from
:mod:`cld_editor.core.edits`: add the variable, or rename it), Esc cancels, a click elsewhere
commits. While a new variable is being named, the status bar shows how to finish.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPointF, Qt, QTimer

from cld_editor.core import edits
from cld_editor.core.document import Document
from cld_editor.core.ops import Batch, Op, UpdateRecords, update_links
from cld_editor.layout.moved_links import bends_after_move
from cld_editor.ui.canvas.host import Canvas
from cld_editor.ui.canvas.items import LabelEditor, VariableItem
from cld_editor.ui.drawing import render

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
            canvas.push(rename_op(canvas.document, variable_id, text))

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

        QTimer.singleShot(0, canvas, remove)

    def contains(self, pos: QPointF) -> bool:
        editor = self.editor
        return (
            editor is not None and editor.isVisible() and editor.sceneBoundingRect().contains(pos)
        )


def rename_op(document: Document, variable_id: str, text: str) -> Op | None:
    """Rename ``variable_id`` to ``text`` (None if that changes nothing); when the new name
    makes the box larger, the links it now blocks are bent clear of it in the same undo step
    (:func:`~cld_editor.layout.moved_links.bends_after_move`)."""
    op = edits.rename_variable(document, variable_id, text)
    if not isinstance(op, UpdateRecords):
        return op
    label = dict(op.changes)[variable_id]["label"]
    old = render.variable_shape(document.variables[variable_id].label)
    new = render.variable_shape(label)
    if new.width <= old.width and new.height <= old.height:
        return op
    shapes = {v.id: render.variable_shape(v.label) for v in document.variables.values()}
    shapes[variable_id] = new
    sizes = {k: (shape.width, shape.height) for k, shape in shapes.items()}
    bends = bends_after_move(document.diagram, {}, sizes, resized=[variable_id])
    if not bends:
        return op
    changes = {link_id: {"curvature": c} for link_id, c in bends.items()}
    return Batch((op, update_links(changes, op.name)), op.name)
