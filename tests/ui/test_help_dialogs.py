"""Help > Keyboard Shortcuts is generated from the menus (so it cannot drift), and Help >
Getting Started explains the gestures."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction

from cld_editor.ui.window import help_dialogs
from tests.ui.window_helpers import open_window


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    from tests.ui.window_helpers import use_temp_settings

    use_temp_settings(tmp_path / "settings")
    return open_window(qtbot)


def test_help_menu_offers_getting_started_and_shortcuts(window):
    help_menu = next(a.menu() for a in window.menuBar().actions() if "Help" in a.text())
    texts = [a.text().replace("&", "") for a in help_menu.actions() if not a.isSeparator()]
    assert texts[:2] == ["Getting Started", "Keyboard Shortcuts"]


def test_shortcuts_table_lists_every_menu_key_including_canvas_keys(window, qtbot):
    rows = help_dialogs.shortcut_rows(window.menuBar())
    by_command = {row.command: row for row in rows}
    assert by_command["Save"].keys == "Ctrl+S" and by_command["Save"].menu == "File"
    assert by_command["Negative (−)"].keys == "-"
    assert by_command["Negative (−)"].menu == "Edit > Link Polarity"
    assert by_command["Rename Variable"].keys == "F2"
    assert by_command["Keyboard Shortcuts"].keys == "Ctrl+/"
    # A shortcut added to any menu later shows up without touching the dialog.
    extra = QAction("Brand New Thing", window)
    extra.setShortcut("Ctrl+Alt+J")
    window.menuBar().actions()[0].menu().addAction(extra)
    assert "Brand New Thing" in {r.command for r in help_dialogs.shortcut_rows(window.menuBar())}


def test_shortcuts_dialog_filters_by_command_key_or_menu(window, qtbot):
    window.actions.shortcuts_help.trigger()
    dialog = window.findChild(help_dialogs.ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    everything = dialog.visible_commands()
    assert len(everything) >= 20
    dialog.filter.setText("polarity")
    assert set(dialog.visible_commands()) == {"Positive (+)", "Negative (−)", "Unknown (?)"}
    dialog.filter.setText("ctrl+s")
    assert "Save" in dialog.visible_commands() and "Open" not in dialog.visible_commands()
    dialog.filter.clear()
    assert dialog.visible_commands() == everything


def test_getting_started_shows_the_gestures(window, qtbot):
    window.actions.getting_started.trigger()
    dialog = window.findChild(help_dialogs.GettingStartedDialog)
    assert dialog is not None and dialog.isVisible()
    text = dialog.text.toPlainText()
    for gesture in ("Double-click empty canvas", "edge", "round handle", "Loops panel"):
        assert gesture in text
    # This round's features: other tools' files, Arrange, What If, stories and presenting.
    for feature in ("Vensim", "Export As", "Arrange", "What If", "Story from Loops", "F5"):
        assert feature in text


def test_shortcuts_leave_out_keys_of_special_keyboards(window):
    from PySide6.QtGui import QKeySequence

    # What an X11 desktop binds to Undo: the everyday keys, Sun's F14 and the Undo media key.
    action = QAction("Undo", window)
    action.setShortcuts([QKeySequence(k) for k in ("Ctrl+Z", "Alt+Backspace", "F14", "Undo")])
    assert help_dialogs._keys_of(action) == "Ctrl+Z, Alt+Backspace"
    action.setShortcuts([QKeySequence("F12"), QKeySequence("Ctrl+F13")])  # F13 up: special
    assert help_dialogs._keys_of(action) == "F12"
