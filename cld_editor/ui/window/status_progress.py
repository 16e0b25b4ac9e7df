"""The status bar's part for work going on in the background (an Arrange, a report): a line
saying what is done, a busy bar and a Cancel button bound to a ``cancel`` action, which is
enabled only while the work runs (so that the rest of the time its shortcut, Esc for Arrange,
is free for others)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton


class StatusProgress(QObject):
    """Widgets named ``<name>_progress_label``, ``<name>_progress_bar`` and
    ``<name>_cancel_button``, put in ``bar`` hidden; :meth:`show_text` shows them."""

    def __init__(self, bar: QStatusBar, cancel: QAction, name: str, cancel_tip: str) -> None:
        super().__init__(bar)
        self.cancel_action = cancel
        self.label = QLabel()
        self.label.setObjectName(f"{name}_progress_label")
        self.bar = QProgressBar()
        self.bar.setObjectName(f"{name}_progress_bar")
        self.bar.setRange(0, 0)  # busy: the work does not know how far it is within a step
        self.bar.setMaximumWidth(140)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setObjectName(f"{name}_cancel_button")
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip(cancel_tip)
        self.cancel_button.clicked.connect(cancel.trigger)
        for position, widget in enumerate(self.widgets()):
            bar.insertPermanentWidget(position, widget)
            widget.hide()
        cancel.setEnabled(False)

    def widgets(self) -> tuple[QLabel, QProgressBar, QToolButton]:
        return (self.label, self.bar, self.cancel_button)

    @property
    def visible(self) -> bool:
        return not self.cancel_button.isHidden()

    def show_text(self, text: str, tooltip: str = "") -> None:
        self.label.setText(text)
        self.label.setToolTip(tooltip)
        for widget in self.widgets():
            widget.show()
        self.cancel_action.setEnabled(True)

    def hide(self) -> None:
        for widget in self.widgets():
            widget.hide()
        self.cancel_action.setEnabled(False)
