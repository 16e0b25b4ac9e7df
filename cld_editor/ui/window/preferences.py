"""Preferences: how often autosave writes a recovery copy, and the loop analysis budget.

:class:`Preferences` is a plain value read from and written to QSettings (``autosave/...`` and
``analysis/...`` keys), each value checked and clamped, so a hand-edited or damaged settings
file can never stop the editor. :class:`PreferencesDialog` (Edit > Preferences…) edits it; the
window applies the result to its autosave timer and its analysis runner at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cld_editor.analysis.budget import DEFAULT_MAX_LOOPS, DEFAULT_TIME_LIMIT, Budget
from cld_editor.ui.window.file_ops import settings

AUTOSAVE_INTERVAL_KEY = "autosave/interval_seconds"
MAX_LOOPS_KEY = "analysis/max_loops"
MAX_LENGTH_KEY = "analysis/max_length"
TIME_LIMIT_KEY = "analysis/time_limit_seconds"

DEFAULT_AUTOSAVE_SECONDS = 30.0
MIN_AUTOSAVE_SECONDS = 5.0
MAX_AUTOSAVE_SECONDS = 3600.0
MAX_LOOPS_CHOICE = 10_000_000
MAX_LENGTH_CHOICE = 1_000
MAX_TIME_LIMIT = 3600.0


@dataclass(frozen=True)
class Preferences:
    """The user's choices; 0 for ``max_loops``, ``max_length`` or ``time_limit`` is no limit."""

    autosave_seconds: float = DEFAULT_AUTOSAVE_SECONDS
    max_loops: int = DEFAULT_MAX_LOOPS
    max_length: int = 0
    time_limit: float = DEFAULT_TIME_LIMIT

    def budget(self) -> Budget:
        """The analysis budget these choices give: 0 turns a limit off, as everywhere (the
        memory bound always stays, as memory cannot be chosen away)."""
        return Budget(
            max_loops=self.max_loops, max_length=self.max_length, time_limit=self.time_limit
        )


def _number(store: QSettings, key: str, default: float, low: float, high: float) -> float:
    try:
        value = float(store.value(key, default))
    except (TypeError, ValueError):
        return default
    if not math.isfinite(value):
        return default
    return min(max(value, low), high)


def load_preferences(store: QSettings | None = None) -> Preferences:
    s = store if store is not None else settings()
    return Preferences(
        autosave_seconds=_number(
            s,
            AUTOSAVE_INTERVAL_KEY,
            DEFAULT_AUTOSAVE_SECONDS,
            MIN_AUTOSAVE_SECONDS,
            MAX_AUTOSAVE_SECONDS,
        ),
        max_loops=int(_number(s, MAX_LOOPS_KEY, DEFAULT_MAX_LOOPS, 0, MAX_LOOPS_CHOICE)),
        max_length=int(_number(s, MAX_LENGTH_KEY, 0, 0, MAX_LENGTH_CHOICE)),
        time_limit=_number(s, TIME_LIMIT_KEY, DEFAULT_TIME_LIMIT, 0, MAX_TIME_LIMIT),
    )


def save_preferences(preferences: Preferences, store: QSettings | None = None) -> None:
    s = store if store is not None else settings()
    s.setValue(AUTOSAVE_INTERVAL_KEY, preferences.autosave_seconds)
    s.setValue(MAX_LOOPS_KEY, preferences.max_loops)
    s.setValue(MAX_LENGTH_KEY, preferences.max_length)
    s.setValue(TIME_LIMIT_KEY, preferences.time_limit)
    s.sync()


class PreferencesDialog(QDialog):
    """Edit > Preferences…: autosave interval and the loop analysis budget."""

    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")

        self.autosave_spin = QDoubleSpinBox()
        self.autosave_spin.setRange(MIN_AUTOSAVE_SECONDS, MAX_AUTOSAVE_SECONDS)
        self.autosave_spin.setDecimals(0)
        self.autosave_spin.setSuffix(" s")
        self.autosave_spin.setToolTip(
            "While a diagram has unsaved changes, a recovery copy is written this often "
            "(and a moment after you stop editing)"
        )
        saving = QGroupBox("Recovery copies")
        saving_form = QFormLayout(saving)
        saving_form.addRow("Write every:", self.autosave_spin)

        self.max_loops_spin = QSpinBox()
        self.max_loops_spin.setRange(0, MAX_LOOPS_CHOICE)
        self.max_loops_spin.setSingleStep(10_000)
        self.max_loops_spin.setGroupSeparatorShown(True)
        self.max_loops_spin.setSpecialValueText("No limit")
        self.max_loops_spin.setSuffix(" loops")  # "At most: 100,000" said not what it counts
        self.max_loops_spin.setToolTip(
            "Stop after this many loops; the shortest loops are kept. Dense diagrams can have "
            "millions of loops"
        )
        self.max_length_spin = QSpinBox()
        self.max_length_spin.setRange(0, MAX_LENGTH_CHOICE)
        self.max_length_spin.setSpecialValueText("Any length")
        self.max_length_spin.setSuffix(" links")
        self.max_length_spin.setToolTip("Only look for loops of at most this many links")
        self.time_spin = QDoubleSpinBox()
        self.time_spin.setRange(0, MAX_TIME_LIMIT)
        self.time_spin.setDecimals(0)
        self.time_spin.setSuffix(" s")
        self.time_spin.setSpecialValueText("No limit")
        self.time_spin.setToolTip("Stop the loop search after this long")
        analysis = QGroupBox("Loop analysis")
        analysis_form = QFormLayout(analysis)
        analysis_form.addRow("List at most:", self.max_loops_spin)
        analysis_form.addRow("Longest loop:", self.max_length_spin)
        analysis_form.addRow("Time limit:", self.time_spin)
        note = QLabel("The analysis runs again with these limits as soon as you press OK.")
        note.setWordWrap(True)
        analysis_form.addRow(note)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        defaults = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        defaults.clicked.connect(lambda: self.show_preferences(Preferences()))

        layout = QVBoxLayout(self)
        layout.addWidget(saving)
        layout.addWidget(analysis)
        layout.addWidget(buttons)
        self.show_preferences(preferences)

    def show_preferences(self, preferences: Preferences) -> None:
        self.autosave_spin.setValue(preferences.autosave_seconds)
        self.max_loops_spin.setValue(preferences.max_loops)
        self.max_length_spin.setValue(preferences.max_length)
        self.time_spin.setValue(preferences.time_limit)

    def preferences(self) -> Preferences:
        return Preferences(
            autosave_seconds=self.autosave_spin.value(),
            max_loops=self.max_loops_spin.value(),
            max_length=self.max_length_spin.value(),
            time_limit=self.time_spin.value(),
        )


def edit_preferences(parent: QWidget | None, store: QSettings | None = None) -> Preferences | None:
    """Show the dialog on the stored preferences; the new ones (saved) after OK, else None."""
    dialog = PreferencesDialog(load_preferences(store), parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    chosen = dialog.preferences()
    save_preferences(chosen, store)
    return chosen
