"""The What If bar above the canvas: choose a variable and a direction, then Play / Pause,
Step and Step back through the change; the caption says what happened at the current step.
It drives a :class:`WhatIfController` and shows its state; closing it ends the mode.

The variables are listed by name (ignoring case), and typing in the box narrows the list to
the names containing what was typed, so that a variable of a large model is found by a word
of its name; the change "rises" (the first choice) unless another direction was chosen. While the
bar shows, the list follows the document: a variable added, deleted or renamed takes or leaves
its place (one row each, found by bisection in the list kept beside the box, whose order is the
box's); any other edit (a move, a link) leaves the list alone, so a model of 50,000 variables is
not listed again at every edit."""

from __future__ import annotations

from bisect import bisect_left

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cld_editor.core import events as ev
from cld_editor.core.document import Document
from cld_editor.ui.story.whatif_mode import WhatIfController

DIRECTIONS = (("rises ▲", "up"), ("falls ▼", "down"))
#: The direction chosen when the bar first opens: "what if X..." is most often asked of a rise.
DEFAULT_DIRECTION = "up"


#: Lines the caption has room for before it grows.
CAPTION_LINES = 3
#: Beyond this many variables added, deleted or renamed at once, the list is made anew.
FEW = 64

#: How a variable is listed: (its name ignoring case, its name, its id), the order of the list.
Entry = tuple[str, str, str]


def listed_name(label: str, variable_id: str) -> str:
    """A variable's name as the list shows it: on one line, spaces single; its id if blank."""
    return " ".join(label.split()) or variable_id


def entry(label: str, variable_id: str) -> Entry:
    name = listed_name(label, variable_id)
    return (name.casefold(), name, variable_id)


class WhatIfBar(QWidget):
    """The controls of What If mode (hidden while the mode is off)."""

    closed = Signal()

    def __init__(self, document: Document, controller: WhatIfController) -> None:
        super().__init__()
        self.setObjectName("whatif_bar")
        self.document = document
        self.controller = controller
        self.variable = QComboBox()
        self.variable.setObjectName("whatif_variable")
        self.variable.setMinimumContentsLength(18)
        self.variable.setToolTip("The variable that changes first (type a word of its name)")
        self.variable.setEditable(True)
        self.variable.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.variable.lineEdit().setPlaceholderText("Type to search")
        finder = QCompleter(self.variable.model(), self.variable)
        finder.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        finder.setFilterMode(Qt.MatchFlag.MatchContains)
        finder.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.variable.setCompleter(finder)
        # Text that names no variable goes back to the variable shown when typing ends.
        self.variable.lineEdit().editingFinished.connect(self._settle_variable_text)
        self.direction = QComboBox()
        self.direction.setObjectName("whatif_direction")
        for text, value in DIRECTIONS:
            self.direction.addItem(text, value)
        self.direction.setCurrentIndex(self.direction.findData(DEFAULT_DIRECTION))
        self.steps = QSpinBox()
        self.steps.setRange(0, 1000)
        self.steps.setSpecialValueText("auto")
        self.steps.setSuffix(" steps")
        self.steps.setToolTip("How many steps to follow (auto: twice the longest loop, at most 50)")
        self.back = self._button("◀◀", "Step back", "whatif_back", controller.step_back)
        self.play = self._button("▶ Play", "Play or pause (Space)", "whatif_play", self.toggle_play)
        self.forward = self._button("▶▶", "Step", "whatif_step", controller.step_forward)
        self.close_button = self._button(
            "✕", "Leave What If mode (Esc)", "whatif_close", self.close_mode
        )
        self.counter = QLabel()
        self.counter.setObjectName("whatif_counter")
        self.caption = QLabel()
        self.caption.setObjectName("whatif_caption")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        font = self.caption.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.caption.setFont(font)
        # Room for three lines from the start: captions of one to three lines then never make
        # the canvas below jump up and down from step to step.
        self.caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.caption.setMinimumHeight(CAPTION_LINES * self.caption.fontMetrics().lineSpacing())

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("What if"))
        row.addWidget(self.variable, 1)
        row.addWidget(self.direction)
        row.addWidget(self.steps)
        for widget in (self.back, self.play, self.forward, self.counter):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(row)
        layout.addWidget(self.caption)
        for combo in (self.variable, self.direction):
            combo.activated.connect(self.restart)
        self.steps.editingFinished.connect(self.restart)
        self._caption_key: tuple[int, int] | None = None
        #: What the variable box lists, in its order, and each listed variable's entry.
        self._entries: list[Entry] = []
        self._entry_of: dict[str, Entry] = {}
        controller.changed.connect(self._refresh)
        controller.playing_changed.connect(self._refresh)
        controller.ended.connect(self.hide)
        # A variable renamed, added or deleted while the bar shows: the list follows.
        document.subscribe(self._on_document_event)
        self.hide()

    def _button(self, text: str, tip: str, name: str, slot) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def open_mode(self, variable_id: str | None = None) -> None:
        """Show the bar and start at step 0, from ``variable_id`` (default: the one shown)."""
        self.fill_variables(variable_id)
        if self.variable.count() == 0:
            return
        self.show()
        self.restart()

    def fill_variables(self, chosen: str | None = None) -> None:
        """List the variables by name, ignoring case (then by id where names are alike), and
        show ``chosen`` (default: the one shown before)."""
        current = chosen or self.variable.currentData()
        entries = sorted(entry(v.label, v.id) for v in self.document.variables.values())
        if entries != self._entries:
            self._entries = entries
            self._entry_of = {e[2]: e for e in entries}
            self.variable.clear()
            for _key, name, variable_id in entries:
                self.variable.addItem(name, variable_id)
        self._show_variable(current)

    def _show_variable(self, variable_id: str | None) -> None:
        """Show ``variable_id`` in the box when listed (else the first variable)."""
        if self.variable.count() and self.variable.currentData() == variable_id:
            return
        listed = self._entry_of.get(variable_id) if variable_id is not None else None
        self.variable.setCurrentIndex(bisect_left(self._entries, listed) if listed else 0)

    def _on_document_event(self, event: object) -> None:
        if not (shiboken6.isValid(self) and self.isVisible()):
            return  # listed anew when the bar next opens
        if isinstance(event, ev.DocumentReset):
            self.fill_variables()
        elif isinstance(event, ev.VariablesAdded | ev.VariablesRemoved):
            self._update_entries(event.ids)
        elif isinstance(event, ev.VariablesChanged):
            variables = self.document.variables
            renamed = [
                i
                for i in event.ids
                if i in variables and entry(variables[i].label, i) != self._entry_of.get(i)
            ]
            if renamed:
                self._update_entries(renamed)

    def _update_entries(self, ids: tuple[str, ...] | list[str]) -> None:
        """Move the variables ``ids`` (added, deleted or renamed) to their places in the list,
        or out of it; many at once, the list is made anew."""
        if len(ids) > FEW:
            self.fill_variables()
            return
        current = self.variable.currentData()
        variables = self.document.variables
        for variable_id in ids:
            old = self._entry_of.pop(variable_id, None)
            if old is not None:
                row = bisect_left(self._entries, old)
                del self._entries[row]
                self.variable.removeItem(row)
            if variable_id in variables:
                new = entry(variables[variable_id].label, variable_id)
                row = bisect_left(self._entries, new)
                self._entries.insert(row, new)
                self._entry_of[variable_id] = new
                self.variable.insertItem(row, new[1], variable_id)
        self._show_variable(current)

    def _settle_variable_text(self) -> None:
        index = self.variable.findText(self.variable.currentText(), Qt.MatchFlag.MatchFixedString)
        if index < 0:
            self.variable.setEditText(self.variable.itemText(self.variable.currentIndex()))
        elif index != self.variable.currentIndex():
            self.variable.setCurrentIndex(index)
            self.restart()

    def restart(self) -> None:
        variable = self.variable.currentData()
        if variable is None or variable not in self.document.variables:
            return
        self.controller.start(variable, self.direction.currentData(), self.steps.value() or None)

    def toggle_play(self) -> None:
        if self.controller.playing:
            self.controller.pause()
        else:
            self.controller.play()

    def close_mode(self) -> None:
        self.controller.stop()
        self.hide()
        self.closed.emit()

    def _refresh(self, *_args: object) -> None:
        run = self.controller.run
        self.play.setText("❚❚ Pause" if self.controller.playing else "▶ Play")
        if run is None:
            self._caption_key = None
            self.counter.clear()
            self.caption.clear()
            return
        self.counter.setText(f"step {self.controller.step} of {run.count}")
        self.back.setEnabled(self.controller.time > 0)
        self.forward.setEnabled(self.controller.time < run.count)
        key = (id(run), self.controller.step)
        if key != self._caption_key:  # the caption changes with the step, not every frame
            self._caption_key = key
            self.caption.setText(self.controller.caption())
