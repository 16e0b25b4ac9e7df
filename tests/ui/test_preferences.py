"""Preferences: read back as written, damaged values fall back, the dialog edits them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog

from cld_editor.analysis.loops import Budget
from cld_editor.ui.window import preferences as prefs
from cld_editor.ui.window.preferences import Preferences, PreferencesDialog


@pytest.fixture
def store(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_defaults_when_nothing_is_stored(store):
    assert prefs.load_preferences(store) == Preferences(30.0, 100_000, 0, 10.0)
    assert Preferences().budget() == Budget()


def test_written_preferences_read_back(store):
    chosen = Preferences(autosave_seconds=120, max_loops=0, max_length=8, time_limit=0)
    prefs.save_preferences(chosen, store)
    assert prefs.load_preferences(store) == chosen
    budget = chosen.budget()
    assert (budget.max_loops, budget.max_length, budget.time_limit) == (0, 8, 0)  # 0: off
    assert budget.max_members == Budget().max_members  # memory stays bounded


@pytest.mark.parametrize(
    ("value", "expected"), [("soon", 30.0), ("nan", 30.0), (1, 5.0), (10**9, 3600.0), (45, 45.0)]
)
def test_a_damaged_autosave_interval_falls_back_or_is_clamped(store, value, expected):
    store.setValue(prefs.AUTOSAVE_INTERVAL_KEY, value)
    assert prefs.load_preferences(store).autosave_seconds == expected


def test_negative_limits_mean_no_limit_rather_than_an_error(store):
    store.setValue(prefs.MAX_LOOPS_KEY, -5)
    store.setValue(prefs.MAX_LENGTH_KEY, "three")
    loaded = prefs.load_preferences(store)
    assert (loaded.max_loops, loaded.max_length) == (0, 0)


def test_the_dialog_shows_edits_and_restores_defaults(qtbot, store, monkeypatch):
    start = Preferences(autosave_seconds=60, max_loops=5_000, max_length=6, time_limit=20)
    dialog = PreferencesDialog(start)
    qtbot.addWidget(dialog)
    assert dialog.preferences() == start
    assert dialog.max_loops_spin.text() == "5,000 loops"  # says what the limit counts
    dialog.max_loops_spin.setValue(0)
    assert dialog.max_loops_spin.text() == "No limit"
    dialog.max_loops_spin.setValue(5_000)
    dialog.max_length_spin.setValue(0)
    assert dialog.max_length_spin.text() == "Any length"
    dialog.show_preferences(Preferences())
    assert dialog.preferences() == Preferences()

    def accept_with_changes(self) -> int:
        self.autosave_spin.setValue(90)
        self.max_loops_spin.setValue(0)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PreferencesDialog, "exec", accept_with_changes)
    chosen = prefs.edit_preferences(None, store)
    assert chosen == Preferences(autosave_seconds=90, max_loops=0)
    assert prefs.load_preferences(store) == chosen
    monkeypatch.setattr(PreferencesDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert prefs.edit_preferences(None, store) is None
