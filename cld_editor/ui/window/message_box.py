"""Message boxes and tooltips whose text is always plain text.

Qt guesses whether a text is rich text (QMessageBox's static helpers, tooltips), so a file named
``<b>plan</b>.cld.json`` or a label quoted in a message would be rendered as HTML. Every
question, warning and error the editor shows about the user's files goes through here instead,
and so does every tooltip that quotes a label or a path (:func:`plain_tooltip`).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

Button = QMessageBox.StandardButton


def _box(
    icon: QMessageBox.Icon, parent: QWidget | None, title: str, text: str, buttons: Button
) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def ask(parent: QWidget | None, title: str, text: str, buttons: Button, default: Button) -> Button:
    """A question; the button the user chose (Escape or closing gives the escape button)."""
    box = _box(QMessageBox.Icon.Question, parent, title, text, buttons)
    box.setDefaultButton(default)
    return Button(box.exec())


def warn(parent: QWidget | None, title: str, text: str) -> None:
    _box(QMessageBox.Icon.Warning, parent, title, text, Button.Ok).exec()


def fail(parent: QWidget | None, title: str, text: str) -> None:
    _box(QMessageBox.Icon.Critical, parent, title, text, Button.Ok).exec()


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` exactly as typed (tags, ampersands, line breaks)."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"
