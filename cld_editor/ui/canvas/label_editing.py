"""The in-place label editor on the canvas: naming a new variable and renaming one.

One :class:`LabelEditor` at most is open. Enter commits (one Op from
:mod:`cld_editor.core.edits`: add the variable, or rename it), Esc cancels, a click elsewhere
commits. A new variable's editor opens on a free name ("Variable 3"), selected, so typing
replaces it; a click elsewhere while it still shows that name adds nothing (a stray
double-click), Enter on it adds the variable. While a new variable is being named, the status
bar shows how to finish. A name another variable holds (:mod:`cld_editor.core.names`) is
refused with one line in the status bar: after Enter the editor opens again on the refused
text, selected, to be corrected; after a click elsewhere the edit is dropped, and nothing
changes either way.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPointF, Qt, QTimer

from cld_editor.core import edits, names
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
        # The status bar shows NEW_VARIABLE_HINT or a refusal about the open editor: clear it
        # when the editor closes.
        self._hint = False
        self._replacing = False  # _open commits the editor it replaces: never reopen that one

    def start_rename(self, variable_id: str, text: str | None = None) -> None:
        """Open the editor on the variable's name (or on ``text``, a refused name to correct)."""
        canvas = self.canvas
        item = canvas.item_for(variable_id)
        assert isinstance(item, VariableItem)
        label = canvas.document.variables[variable_id].label
        editor = self._open(item.pos(), label if text is None else text)
        item.editing = True
        item.update()

        def finished() -> None:
            item.editing = False
            item.update()
            self.close()

        def committed(text: str) -> None:
            again = self._stays_open(editor)
            finished()
            if self._refused(text, variable_id):
                if again and variable_id in canvas.document.variables:
                    self.start_rename(variable_id, text)
                    self._hint = True
                return
            canvas.push(rename_op(canvas.document, variable_id, text))

        editor.committed.connect(committed)
        editor.cancelled.connect(finished)

    def start_new_variable(self, pos: QPointF, text: str | None = None) -> LabelEditor:
        """Open the editor at ``pos`` on a free name (or on ``text``, a refused name to
        correct); Enter adds the variable (one undo step), Esc nothing."""
        canvas = self.canvas
        pos = QPointF(pos)
        offered = names.new_variable_name(canvas.document.variables.values())
        editor = self._open(pos, offered if text is None else text)

        def committed(typed: str) -> None:
            again = self._stays_open(editor)
            self.close()
            if not again and text is None and not editor.document().isModified():
                # Left (a click elsewhere, another editor opening) on the name offered, never
                # typed over: a stray double-click, not a variable. Enter on it still adds it,
                # and so does leaving it on the same name typed again.
                return
            if self._refused(typed, None):
                if again:
                    self.start_new_variable(pos, typed)
                return
            op = edits.add_variable(canvas.document, typed, pos.x(), pos.y())
            if canvas.push(op):
                canvas.select_ids(edits.added_ids(op))

        editor.committed.connect(committed)
        editor.cancelled.connect(self.close)
        if text is None:
            canvas.status_message.emit(NEW_VARIABLE_HINT)
        self._hint = True
        return editor

    def _stays_open(self, editor: LabelEditor) -> bool:
        """Whether a refused name keeps the editor open: Enter (it still has the keyboard),
        not a click elsewhere and not another editor opening."""
        return editor.hasFocus() and not self._replacing

    def _refused(self, text: str, variable_id: str | None) -> bool:
        """True, with the reason in the status bar, when another variable holds ``text``."""
        document = self.canvas.document
        record = document.variables.get(variable_id) if variable_id is not None else None
        if record is not None and text == record.label.strip():
            # Unchanged (the editor trims a file's "Revenue " to "Revenue"): nothing to refuse,
            # even when a file already shares the name.
            return False
        if not names.is_taken(document.variables.values(), text, own_id=variable_id):
            return False
        self.canvas.status_message.emit(names.taken_message(text))
        return True

    def _open(self, centre: QPointF, text: str) -> LabelEditor:
        if self.editor is not None:
            self._replacing = True
            try:
                self.editor.commit()
            finally:
                self._replacing = False
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
