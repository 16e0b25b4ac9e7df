"""Where a new user looks for the Arrange and loop commands: Focus on Loop… in the Loops menu
and in a loop row's menu, the toolbar button that repeats (and names) the last layout used, and
one name for Show Loop Label wherever it appears. Real clicks and context-menu events."""

from __future__ import annotations

import pytest
from canvas_helpers import context_menu_entries, entry_text
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu

from cld_editor.ui.window.help_dialogs import GETTING_STARTED
from cld_editor.ui.window.loop_focus import LoopFocusDialog
from cld_editor.ui.window.zoom_status import scroll_text


@pytest.fixture
def window(arranging_window):
    return arranging_window


def _texts(menu: QMenu) -> list[str]:
    return [entry_text(a) for a in menu.actions() if a.text()]


def _row_menu(window, row: int, choose: str | None = None) -> list[str]:
    """Right-click row ``row`` of the Loops table; the menu's entries (choosing ``choose``)."""
    table = window.loops_panel.table
    port = table.viewport()
    pos = table.visualRect(table.model().index(row, 0)).center()
    QTest.mouseClick(port, Qt.MouseButton.LeftButton, pos=pos)
    return context_menu_entries(port, pos, choose)


def test_focus_on_loop_is_in_the_loops_menu(window, qtbot) -> None:
    loops_menu = window.actions.loops_menu
    assert "Focus on Loop…" in _texts(loops_menu)
    assert not window.arrange.focus_action.isEnabled()  # no loop selected yet
    _row_menu(window, 0)
    assert window.arrange.focus_action.isEnabled()
    window.arrange.focus_action.trigger()
    [dialog] = window.arrange.focus_dialogs
    assert isinstance(dialog, LoopFocusDialog)
    assert dialog.picture.highlighted_loop == window.loops_panel.selected_loop()
    # The zoom keys as this platform writes them (Ctrl here; the Command key on macOS).
    native = QKeySequence("Ctrl+0").toString(QKeySequence.SequenceFormat.NativeText)
    assert dialog.view.toolTip().startswith(scroll_text())
    assert f"{native} fits the loop" in dialog.view.toolTip()


def test_a_loop_rows_menu_offers_focus_on_loop(window, qtbot) -> None:
    entries = _row_menu(window, 1, choose="Focus on Loop…")
    assert "Focus on Loop…" in entries and "Show Loop Label" in entries
    [dialog] = window.arrange.focus_dialogs
    assert dialog.picture.highlighted_loop == window.loops_panel.selected_loop()


def test_the_toolbar_button_repeats_and_names_the_last_layout(window, qtbot) -> None:
    button = window.arrange.button
    assert button.text().replace("&", "") == "Arrange as Loops"
    window.arrange.style_actions["layered"].trigger()
    assert button.text().replace("&", "") == "Arrange as Layered"
    assert "Layered" in button.toolTip()
    window.undo_stack.undo()
    # The button's own part (not its arrow) runs Layered again.
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert window.undo_stack.undoText() == "Arrange (Layered)"
    # Selecting something (status tips change) keeps the name.
    window.scene.select_ids(list(window.document.variables)[:2])
    assert button.text().replace("&", "") == "Arrange as Layered"
    assert "selection" in button.toolTip()


def test_show_loop_label_has_one_name(window) -> None:
    name = "Show Loop Label"
    assert window.loops_panel.show_label_button.text() == name
    assert window.actions.show_loop_label.text().replace("&", "") == name
    assert f"<i>{name}</i>" in GETTING_STARTED
    assert name in _row_menu(window, 0)


def test_getting_started_names_the_keys_as_the_platform_does(monkeypatch) -> None:
    """The Getting Started page is written with Ctrl and Alt, and shown so here; on macOS
    (Qt's Ctrl is the Command key there, Alt the Option key) with the keys as macOS writes
    them."""
    from cld_editor.ui.window import help_dialogs

    assert help_dialogs.platform_keys(GETTING_STARTED) == GETTING_STARTED  # not macOS here
    mac = {"Ctrl+A": "⌘A", "Alt+A": "⌥A", "Ctrl+Z": "⌘Z", "Ctrl+Shift+F": "⇧⌘F"}
    monkeypatch.setattr(help_dialogs, "native_keys", mac.__getitem__)
    shown = help_dialogs.platform_keys(GETTING_STARTED)
    assert "Ctrl" not in shown and "Alt" not in shown
    for keys in ("⌘-click", "⌥ held", "⌘+wheel", "⇧⌘F fits", "(⌘Z)", "(⌥: no snap)"):
        assert keys in shown
