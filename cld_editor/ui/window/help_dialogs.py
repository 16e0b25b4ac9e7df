"""The Help menu's windows: Keyboard Shortcuts and Getting Started.

The shortcuts table is read from the window's menus at the moment it opens (every action's
shortcuts, plus the canvas keys shown after a tab in a menu entry), so it cannot drift from what
the program really does. Getting Started shows the gestures a menu cannot: how to draw a
variable and a link, bend and sign links, and find loops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cld_editor.ui.window.zoom_status import native_keys


@dataclass(frozen=True)
class ShortcutRow:
    menu: str
    command: str
    keys: str


def _plain(text: str) -> str:
    """A menu text without its mnemonic ampersand ("&&" stays one "&") and trailing dots."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").removesuffix("…").strip()


#: Keys from here on are the media keys of special keyboards (Open, Save, Copy, ZoomIn, ...),
#: which Qt binds to standard actions on some platforms; few people have them, so the table
#: leaves them out rather than print "Save" as a key.
_FIRST_MEDIA_KEY = 0x01000060


#: F13 and beyond (Undo, Copy, Paste and Cut on Sun keyboards) are left out for the same reason.
_SPECIAL_F_KEYS = range(Qt.Key.Key_F13.value, Qt.Key.Key_F35.value + 1)


def _everyday(seq: QKeySequence) -> bool:
    if seq.count() > 1:
        return True
    key = seq[0].key().value
    return key < _FIRST_MEDIA_KEY and key not in _SPECIAL_F_KEYS


def _keys_of(action: QAction) -> str:
    native = QKeySequence.SequenceFormat.NativeText
    keys = [
        seq.toString(native) for seq in action.shortcuts() if not seq.isEmpty() and _everyday(seq)
    ]
    # Keys the canvas handles itself are shown after a tab in the menu text.
    _text, tab, canvas_key = action.text().partition("\t")
    if tab and canvas_key and canvas_key not in keys:
        keys.append(canvas_key)
    return ", ".join(keys)


def shortcut_rows(menu_bar: QMenuBar) -> list[ShortcutRow]:
    """Every menu command that has a key, in menu order, with its menu path ("Edit > Domain")."""
    rows: list[ShortcutRow] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} > {_plain(sub.title())}")
                continue
            keys = _keys_of(action)
            if keys:
                command = _plain(action.text().partition("\t")[0])
                rows.append(ShortcutRow(path, command, keys))

    for top in menu_bar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, _plain(menu.title()))
    return rows


class ShortcutsDialog(QDialog):
    """A searchable table of every keyboard shortcut the menus offer."""

    def __init__(self, rows: list[ShortcutRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(560, 520)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Type to filter: a command, a menu or a key")
        self.filter.setClearButtonEnabled(True)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(["Command", "Keys", "Menu"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, entry in enumerate(rows):
            for column, text in enumerate((entry.command, entry.keys, entry.menu)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._apply_filter)

    def visible_commands(self) -> list[str]:
        return [
            self.table.item(row, 0).text()
            for row in range(self.table.rowCount())
            if not self.table.isRowHidden(row)
        ]

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.table.rowCount()):
            cells = (self.table.item(row, column).text() for column in range(3))
            match = not needle or any(needle in cell.casefold() for cell in cells)
            self.table.setRowHidden(row, not match)


GETTING_STARTED = """
<h2>Getting started</h2>
<p>A causal-loop diagram has <b>variables</b> (things that rise and fall) and signed
<b>links</b> (a change in one causes a change in the other). cld-editor finds every feedback
loop while you draw.</p>
<table cellpadding="4">
<tr><td><b>New variable</b></td><td>Double-click empty canvas, type its name, Enter
(Esc cancels, Shift+Enter starts a new line).</td></tr>
<tr><td><b>Rename</b></td><td>Double-click a variable, or select it and press F2. Each
name is used once: a name another variable has is refused.</td></tr>
<tr><td><b>Move</b></td><td>Drag a variable; arrow keys nudge the selection (Shift: fine
steps).</td></tr>
<tr><td><b>Select</b></td><td>Click; Ctrl-click adds; drag on empty canvas draws a selection
band.</td></tr>
<tr><td><b>Draw a link</b></td><td>Press on a variable's <i>edge</i> (a ring appears and the
cursor becomes a cross) or anywhere on it with Alt held, drag to the other variable and
release. Or switch to the Link tool (L) and drag from anywhere on a variable.</td></tr>
<tr><td><b>Sign a link</b></td><td>New links are +. Select a link and press + , - or ?, or
click its sign. D toggles the delay mark.</td></tr>
<tr><td><b>Bend a link</b></td><td>Select it and drag the round handle in its middle.</td></tr>
<tr><td><b>CX or EX</b></td><td>Select variables and press C (customer), E (employee) or N
(none).</td></tr>
<tr><td><b>Loops</b></td><td>The Loops panel lists every loop: R reinforcing, B balancing,
U undetermined (a ? link). Select one to highlight it; Esc or a click on empty canvas clears
the highlight. <i>Show Loop Label</i> puts its name on the canvas.</td></tr>
<tr><td><b>Look around</b></td><td>Ctrl+wheel zooms, the middle button or Space+drag pans,
Ctrl+Shift+F fits the diagram.</td></tr>
<tr><td><b>Menus</b></td><td>A right click on the canvas, a variable or a link opens the
commands for it.</td></tr>
</table>
<h3>Bring diagrams in, tidy them, tell their story</h3>
<table cellpadding="4">
<tr><td><b>Other tools</b></td><td>File &gt; Open reads Vensim (.mdl), Stella and other XMILE
models, Kumu and LOOPY files; File &gt; Export As… writes those and GraphML, DOT, Mermaid and
draw.io. A summary says what was changed or left out.</td></tr>
<tr><td><b>Arrange</b></td><td>The Arrange menu lays out the diagram (or the selection) as
round loops, in layers, organically or as an iceberg (CX above, EX below), and aligns or
distributes the selection; <i>Tidy Up</i> straightens a hand-made drawing. A long layout runs in
the background (Esc cancels it). While you drag, guides snap to other variables (Alt: no snap).
<i>Focus on Loop</i> shows one loop on its own.</td></tr>
<tr><td><b>What If</b></td><td>Story &gt; What If…: pick a variable and rise or fall, then Play
or Step: the change travels along the links and comes back round the loops.</td></tr>
<tr><td><b>Story</b></td><td>The Story panel builds steps that reveal the diagram bit by bit
(Add Step reveals the selection; Story from Loops makes one loop by loop). F5 presents it full
screen; arrow keys, Space or a clicker step through, Esc leaves. Story &gt; Export Story… writes a
PDF, pictures or a web page.</td></tr>
</table>
<p>Every change can be undone (Ctrl+Z), and unsaved work is kept in a recovery copy. Help &gt;
Keyboard Shortcuts lists every key.</p>
"""


def platform_keys(text: str) -> str:
    """``text`` (written with Linux and Windows key names: "Ctrl+Z", "Ctrl-click", "Alt held")
    with the keys as the user's platform writes them: on macOS, where Qt's Ctrl is the Command
    key and Alt the Option key, "⌘Z", "⌘-click", "⌥ held"."""
    ctrl = native_keys("Ctrl+A")[:-1].rstrip("+")
    alt = native_keys("Alt+A")[:-1].rstrip("+")
    if (ctrl, alt) == ("Ctrl", "Alt"):
        return text
    text = re.sub(r"\bCtrl\+(?:Shift\+)?[A-Z0-9]\b", lambda keys: native_keys(keys.group(0)), text)
    return re.sub(r"\bAlt\b", alt, re.sub(r"\bCtrl\b", ctrl, text))


class GettingStartedDialog(QDialog):
    """A short page of the gestures, for someone who opens the editor the first time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Getting Started")
        self.resize(600, 560)
        self.text = QTextBrowser(self)
        self.text.setOpenLinks(False)
        self.text.setHtml(platform_keys(GETTING_STARTED))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


def show_shortcuts(window: QWidget, menu_bar: QMenuBar) -> ShortcutsDialog:
    dialog = ShortcutsDialog(shortcut_rows(menu_bar), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def show_getting_started(window: QWidget) -> GettingStartedDialog:
    dialog = GettingStartedDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
