"""Find variable (Ctrl+F): a small bar with completion over the variables' labels.

The bar lives above the canvas, hidden until asked for. Typing offers matching labels (anywhere in
the label, case-insensitive); Enter or picking a completion selects that variable and centres the
view on it, zooming in to a readable size when a big diagram is shown whole; Enter again moves to
the next match; F2 renames the variable found, in place on the
canvas. Esc closes the bar and gives the canvas its focus back. Matching is a pure function
(:func:`matching_variables`) so it is tested without Qt.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from cld_editor.core import events as ev
from cld_editor.core.document import Document


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def matching_variables(document: Document, text: str) -> list[str]:
    """Ids of variables whose label matches ``text``: exact matches first, then labels that
    start with it, then labels that contain it; document order within each group."""
    wanted = _fold(text)
    if not wanted:
        return []
    exact, prefix, inside = [], [], []
    for variable in document.variables.values():
        label = _fold(variable.label)
        if label == wanted:
            exact.append(variable.id)
        elif label.startswith(wanted):
            prefix.append(variable.id)
        elif wanted in label:
            inside.append(variable.id)
    return exact + prefix + inside


class FindBar(QWidget):
    """The find bar; ``found(variable_id)`` asks the window to select and centre a variable."""

    found = Signal(str)
    closed = Signal()
    #: F2 in the bar: rename what was found (the canvas takes the keyboard for it).
    rename_requested = Signal()

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._last_text = ""
        self._next = 0
        self._searched_this_turn = False

        self.field = QLineEdit()
        self.field.setObjectName("find_field")
        self.field.setPlaceholderText("Find variable…")
        self.field.setClearButtonEnabled(True)
        self._labels = QStringListModel(self)
        completer = QCompleter(self._labels, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._on_completion)
        self.field.setCompleter(completer)
        self.message = QLabel()
        self.message.setObjectName("find_message")
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Close the find bar (Esc)")
        close.clicked.connect(self.close_bar)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.field, 1)
        layout.addWidget(self.message)
        layout.addWidget(close)

        self.field.returnPressed.connect(self._search_once)
        self.field.textEdited.connect(lambda _text: self.message.clear())
        document.subscribe(self._on_document_event)
        self._refresh_labels()
        self.hide()

    def detach(self) -> None:
        """Stop listening to the document (the window is closing)."""
        self.document.unsubscribe(self._on_document_event)

    def open_bar(self) -> None:
        self._refresh_labels()
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def find_next(self) -> str | None:
        """Select the next variable matching the field; returns its id (None: no match)."""
        text = self.field.text()
        matches = matching_variables(self.document, text)
        if not matches:
            self.message.setText("not found" if text.strip() else "")
            return None
        if _fold(text) != self._last_text:
            self._last_text, self._next = _fold(text), 0
        variable_id = matches[self._next % len(matches)]
        self._next += 1
        self.message.setText(
            f"{(self._next - 1) % len(matches) + 1} of {len(matches)}" if len(matches) > 1 else ""
        )
        self.found.emit(variable_id)
        return variable_id

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        if event.key() == Qt.Key.Key_F2:
            self.rename_requested.emit()
            return
        super().keyPressEvent(event)

    def _on_completion(self, label: str) -> None:
        self.field.setText(label)
        self._last_text = ""
        self._search_once()

    def _search_once(self) -> None:
        """Enter on a completion emits both ``activated`` and ``returnPressed``: search once
        per event-loop turn, or the second signal would skip to the next match."""
        if self._searched_this_turn:
            return
        self._searched_this_turn = True
        QTimer.singleShot(0, self, self._end_turn)
        self.find_next()

    def _end_turn(self) -> None:
        self._searched_this_turn = False

    def _on_document_event(self, event: ev.Event) -> None:
        # Hidden, the labels are read when the bar opens; no work on every drag.
        changes_labels = ev.VariablesAdded | ev.VariablesRemoved | ev.VariablesChanged
        if self.isVisible() and isinstance(event, changes_labels | ev.DocumentReset):
            self._refresh_labels()

    def _refresh_labels(self) -> None:
        labels = sorted(
            {" ".join(v.label.split()) for v in self.document.variables.values()}, key=str.casefold
        )
        if labels != self._labels.stringList():
            self._labels.setStringList(labels)
