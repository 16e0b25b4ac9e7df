"""Questions and warnings about the user's files show their text as typed, never as HTML."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from cld_editor.ui.window import message_box
from cld_editor.ui.window.message_box import Button


def test_every_box_is_plain_text_and_returns_the_choice(qapp, monkeypatch):
    seen: list[tuple[str, Qt.TextFormat, QMessageBox.Icon]] = []

    def exec_(box: QMessageBox) -> int:
        seen.append((box.text(), box.textFormat(), box.icon()))
        return int(Button.Discard.value)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    text = "Save the changes to <b>plan</b><img src=x>.cld.json?"
    answer = message_box.ask(None, "Unsaved", text, Button.Save | Button.Discard, Button.Save)
    assert answer == Button.Discard
    message_box.warn(None, "Cannot open", text)
    message_box.fail(None, "Cannot save", text)
    plain = Qt.TextFormat.PlainText
    icons = [QMessageBox.Icon.Question, QMessageBox.Icon.Warning, QMessageBox.Icon.Critical]
    assert seen == [(text, plain, icon) for icon in icons]
