"""Edit fields of the Properties panel that Qt lacks: a multi-line label field that commits
like a line edit, a focus-out hook for plain-text fields, and setting a field's value without it
counting as typed (:func:`set_line`, :func:`set_text`, :func:`set_combo`).

Variable labels may hold line breaks (Shift+Enter on the canvas), which a QLineEdit would
silently drop. :class:`LabelEdit` is a short QPlainTextEdit with the QLineEdit API the panel
uses (``text``, ``setText``, ``isModified``, ``editingFinished``): Enter finishes the edit,
Shift+Enter starts a new line, leaving the field finishes it too.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

#: Visible lines of a LabelEdit; longer labels scroll.
LABEL_LINES = 2


class LabelEdit(QPlainTextEdit):
    """A two-line text field committing on Enter or focus-out, like a QLineEdit."""

    editingFinished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        margins = self.contentsMargins()
        line = self.fontMetrics().lineSpacing()
        self.setFixedHeight(
            LABEL_LINES * line + 2 * round(self.document().documentMargin())
            + margins.top() + margins.bottom() + 2
        )  # fmt: skip

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)

    def isModified(self) -> bool:
        return self.document().isModified()

    def setModified(self, modified: bool) -> None:
        self.document().setModified(modified)

    def setCursorPosition(self, position: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(position)
        self.setTextCursor(cursor)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.editingFinished.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()


class FocusOutCommitter(QObject):
    """Calls ``commit`` when a QPlainTextEdit loses focus (it has no editingFinished)."""

    def __init__(self, editor: QPlainTextEdit, commit: Callable[[], None]) -> None:
        super().__init__(editor)
        self._commit = commit
        editor.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._commit()
        return False


#: The entry of a combo box standing for several different values.
MIXED = "(mixed)"


def set_line(editor: QLineEdit | LabelEdit, text: str) -> None:
    """Show ``text`` in a line field, not as typed (not modified)."""
    if editor.text() != text:
        editor.setText(text)
        editor.setCursorPosition(0)
    editor.setModified(False)


def set_text(editor: QPlainTextEdit, text: str) -> None:
    """Show ``text`` in a plain-text field, not as typed (not modified)."""
    if editor.toPlainText() != text:
        editor.setPlainText(text)
    editor.document().setModified(False)


def set_combo(combo: QComboBox, value: object) -> None:
    """Choose the entry whose data is ``value``; :data:`MIXED` adds (or picks) a "(mixed)"
    entry, any other value removes it."""
    mixed_index = combo.findText(MIXED)
    if value == MIXED:
        if mixed_index < 0:
            combo.addItem(MIXED, MIXED)
            mixed_index = combo.count() - 1
        combo.setCurrentIndex(mixed_index)
        return
    if mixed_index >= 0:
        combo.removeItem(mixed_index)
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            combo.setCurrentIndex(index)
            return
