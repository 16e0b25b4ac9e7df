"""LabelEditor: the in-place text editor for a variable's label (new variable or rename).

Enter commits, Shift+Enter starts a new line, Esc cancels, and losing focus (a click elsewhere)
commits, as on a whiteboard. It stays centred on the point it was opened at while the text
grows, and it reports once: ``committed(text)`` or ``cancelled()``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPainter, QPen, QTextCursor, QTextOption
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem, QStyle, QStyleOptionGraphicsItem

from cld_editor.ui.drawing import render


class LabelEditor(QGraphicsTextItem):
    committed = Signal(str)
    cancelled = Signal()

    def __init__(self, centre: QPointF, text: str = "") -> None:
        super().__init__()
        self.setZValue(100.0)
        self._centre = QPointF(centre)
        self._finished = False
        self.setFont(render.label_font())
        self.setDefaultTextColor(render.INK)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsFocusable, True)
        option = QTextOption(Qt.AlignmentFlag.AlignHCenter)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDefaultTextOption(option)
        self.document().setDocumentMargin(4)
        self.setTextWidth(render.WRAP_WIDTH + 8)
        self.setPlainText(text)
        self.document().contentsChanged.connect(self._recentre)
        self._recentre()
        cursor = self.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        self.setTextCursor(cursor)

    @property
    def finished(self) -> bool:
        return self._finished

    def text(self) -> str:
        return self.toPlainText()

    def commit(self) -> None:
        if not self._finished:
            self._finished = True
            self.committed.emit(self.toPlainText().strip())

    def cancel(self) -> None:
        if not self._finished:
            self._finished = True
            self.cancelled.emit()

    def _recentre(self) -> None:
        rect = self.boundingRect()
        self.setPos(self._centre - QPointF(rect.width() / 2, rect.height() / 2))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                super().keyPressEvent(event)
            else:
                self.commit()
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            self.cancel()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        # A popup (context menu, input method) taking focus is not the user leaving the editor.
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.commit()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Any = None
    ) -> None:
        painter.setPen(QPen(render.ACCENT, 1.5))
        painter.setBrush(render.BACKGROUND)
        painter.drawRoundedRect(self.boundingRect().adjusted(1, 1, -1, -1), 6, 6)
        # Our own frame replaces Qt's dashed focus rectangle.
        option.state &= ~(QStyle.StateFlag.State_HasFocus | QStyle.StateFlag.State_Selected)
        super().paint(painter, option, widget)
