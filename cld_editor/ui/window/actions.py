"""The main window's actions, menus and toolbar: texts, standard shortcuts and tooltips.

:class:`WindowActions` creates every QAction once (so menus, toolbar and tests share them),
gives each a tooltip that names its shortcut, and lays out the menu bar and the toolbar. It only
connects actions to methods of the window; what they do lives in the window and its parts.
Keys the canvas handles itself while it has focus (+ - ? D C E N F2, V and L) are shown in the
menus after a tab but not registered again as shortcuts, so the canvas keeps them and the
in-place label editor can still type those letters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMenu, QToolBar

from cld_editor.ui.window import help_dialogs
from cld_editor.ui.window.icons import DRAWINGS, icon

if TYPE_CHECKING:
    from cld_editor.ui.window.main_window import MainWindow

Key = QKeySequence.StandardKey
Shortcut = QKeySequence.StandardKey | str | None


def standard_keys(key: QKeySequence.StandardKey) -> list[QKeySequence]:
    """The platform's keys for a standard action (a seam for tests of other platforms)."""
    return QKeySequence.keyBindings(key)


def redo_keys() -> list[QKeySequence]:
    """The platform's Redo keys, plus Ctrl+Y where they lack it (GNOME and macOS have only
    Ctrl+Shift+Z; people coming from Windows press Ctrl+Y)."""
    keys = list(standard_keys(Key.Redo))
    extra = QKeySequence("Ctrl+Y")
    if extra not in keys:
        keys.append(extra)
    return keys


def make_action(
    parent: MainWindow,
    text: str,
    slot: Callable[..., object] | None = None,
    shortcut: Shortcut = None,
    tip: str = "",
    canvas_key: str | None = None,
    checkable: bool = False,
) -> QAction:
    """An action whose tooltip ends with its shortcut, e.g. "Zoom in (Ctrl++)"."""
    action = QAction(text, parent)
    if shortcut is not None:
        keys = QKeySequence.keyBindings(shortcut) if isinstance(shortcut, Key) else []
        action.setShortcuts(keys or [QKeySequence(shortcut)])
    action.setCheckable(checkable)
    key_text = canvas_key or (
        action.shortcut().toString(QKeySequence.SequenceFormat.NativeText) if shortcut else ""
    )
    if canvas_key:
        # Shown in menus, handled by the canvas (see the module docstring).
        action.setText(f"{text}\t{canvas_key}")
    label = tip or text.replace("&", "").removesuffix("…")
    action.setToolTip(f"{label} ({key_text})" if key_text else label)
    action.setStatusTip(label)
    if slot is not None:
        signal = action.toggled if checkable else action.triggered
        signal.connect(lambda *_args: slot())
    return action


class WindowActions:
    """Every action of the main window, by name."""

    def __init__(self, window: MainWindow) -> None:
        w = window
        a = make_action
        # File
        self.new = a(w, "&New", w.new_diagram, Key.New, "New empty diagram")
        self.open = a(w, "&Open…", w.open_diagram, Key.Open, "Open a diagram")
        self.save = a(w, "&Save", w.files.save, Key.Save, "Save the diagram")
        self.save_as = a(w, "Save &As…", w.files.save_as, Key.SaveAs, "Save under a new name")
        if not self.save_as.shortcuts():  # no standard Save As key on some platforms
            self.save_as.setShortcut(QKeySequence("Ctrl+Shift+S"))
            self.save_as.setToolTip("Save under a new name (Ctrl+Shift+S)")
        self.revert = a(w, "&Revert", w.files.revert, None, "Reload the saved file")
        self.clear_recent = a(w, "Clear Menu", w.files.clear_recent)
        self.export_image = a(
            w, "&Export Image…", w.exports.image, "Ctrl+E", "Export the diagram as PNG, SVG or PDF"
        )
        self.export_report = a(
            w, "Export &Report…", w.exports.report, "Ctrl+Shift+E",
            "Write a loop report (HTML or Markdown) with the diagram",
        )  # fmt: skip
        self.quit = a(w, "&Quit", w.close, Key.Quit, "Quit cld-editor")
        if not self.quit.shortcuts():
            self.quit.setShortcut(QKeySequence("Ctrl+Q"))
            self.quit.setToolTip("Quit cld-editor (Ctrl+Q)")
        # Edit: undo and redo texts follow the stack ("Undo Add link").
        stack = w.undo_stack
        self.undo = stack.createUndoAction(w, "&Undo")
        self.undo.setShortcuts(standard_keys(Key.Undo))
        self.redo = stack.createRedoAction(w, "&Redo")
        self.redo.setShortcuts(redo_keys())
        for action, what in ((self.undo, "Undo"), (self.redo, "Redo")):
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{what} the last step ({keys})")
        # The toolbar has its own Undo and Redo with fixed texts: the menu's texts grow with the
        # step's name, which would shift every toolbar button after them. Their tooltips name
        # the step. No shortcuts of their own (the menu actions have them).
        self.undo_tool = self._stack_button(w, "Undo", self.undo, stack.undo, stack.canUndo)
        self.redo_tool = self._stack_button(w, "Redo", self.redo, stack.redo, stack.canRedo)
        stack.canUndoChanged.connect(self.undo_tool.setEnabled)
        stack.canRedoChanged.connect(self.redo_tool.setEnabled)
        stack.undoTextChanged.connect(lambda _text: self._sync_stack_tips(stack))
        stack.redoTextChanged.connect(lambda _text: self._sync_stack_tips(stack))
        self._sync_stack_tips(stack)
        self.cut = a(w, "Cu&t", w.clipboard.cut, Key.Cut, "Cut the selected variables")
        self.copy = a(
            w, "&Copy", w.clipboard.copy, Key.Copy, "Copy the selected variables and their links"
        )
        self.paste = a(w, "&Paste", w.clipboard.paste, Key.Paste, "Paste variables")
        self.copy_image = a(
            w, "Copy &Image", w.exports.copy_image, "Ctrl+Shift+C",
            "Copy a picture of the selection (or of the whole diagram) for slides and documents",
        )  # fmt: skip
        self.delete = a(w, "&Delete", w.delete_selection, Key.Delete, "Delete the selection")
        self.select_all = a(w, "Select &All", w.select_all, Key.SelectAll, "Select everything")
        self.find = a(w, "&Find Variable…", w.find_bar.open_bar, Key.Find, "Find a variable")
        self.rename = a(w, "Rename Variable", w.scene.rename_selected, None, canvas_key="F2")
        self.domain_cx = a(w, "Customer (CX)", lambda: w.set_domain("CX"), canvas_key="C")
        self.domain_ex = a(w, "Employee (EX)", lambda: w.set_domain("EX"), canvas_key="E")
        self.domain_none = a(w, "No Domain", lambda: w.set_domain(None), canvas_key="N")
        self.polarity_plus = a(w, "Positive (+)", lambda: w.set_polarity("+"), canvas_key="+")
        self.polarity_minus = a(w, "Negative (−)", lambda: w.set_polarity("-"), canvas_key="-")
        self.polarity_unknown = a(w, "Unknown (?)", lambda: w.set_polarity("?"), canvas_key="?")
        self.toggle_delay = a(
            w, "Toggle Delay", w.scene.toggle_delay_of_selection, None, canvas_key="D"
        )
        # View
        self.zoom_in = a(w, "Zoom &In", w.view.zoom_in, Key.ZoomIn, "Zoom in")
        # Ctrl+= too, as in browsers and drawing programs: the + key without Shift.
        self.zoom_in.setShortcuts([*self.zoom_in.shortcuts(), QKeySequence("Ctrl+=")])
        self.zoom_out = a(w, "Zoom &Out", w.view.zoom_out, Key.ZoomOut, "Zoom out")
        self.fit = a(
            w, "&Fit Diagram", w.view.fit_diagram, "Ctrl+Shift+F", "Show the whole diagram"
        )
        self.actual_size = a(w, "&Actual Size", w.view.actual_size, "Ctrl+0", "Zoom to 100%")
        self.waterline = a(
            w,
            "Show &Waterline",
            w.toggle_waterline,
            "Ctrl+Alt+W",  # Ctrl+Shift+W is Story > What If…
            "Iceberg view: a waterline with CX above and EX below",
            checkable=True,
        )
        self.select_tool = a(w, "&Select", tip="Select and move (V)", checkable=True)
        self.link_tool = a(w, "&Link", tip="Draw links between variables (L)", checkable=True)
        self.select_tool.setText("&Select\tV")
        self.link_tool.setText("&Link\tL")
        self.select_tool.setIconText("Select")
        self.link_tool.setIconText("Link")
        self.tools = QActionGroup(w)
        self.tools.setExclusive(True)
        for action, name in ((self.select_tool, "select"), (self.link_tool, "link")):
            action.setData(name)
            self.tools.addAction(action)
        self.select_tool.setChecked(True)
        self.tools.triggered.connect(lambda action: w.view.set_tool(action.data()))
        # Loops
        self.show_loop_label = a(
            w, "Show Loop &Label", w.loops_panel.show_label_for_selected, None,
            "Place a label naming the highlighted loop on the canvas",
        )  # fmt: skip
        # Enabled as the panel's button is: a loop is selected and has no label yet.
        self.show_loop_label.setEnabled(w.loops_panel.show_label_button.isEnabled())
        w.loops_panel.can_show_label.connect(self.show_loop_label.setEnabled)
        self.clear_highlight = a(
            w, "Clear Loop Highlight", w.clear_loop_highlight, canvas_key="Esc"
        )
        # F5 presents the story (Story > Present), as in presentation programs.
        self.reanalyse = a(
            w,
            "Find Loops Again",
            w.analysis_status.find_again,
            "Ctrl+F5",
            "Run the loop analysis again",
        )
        # Shift+F5 stops what Ctrl+F5 started, as "stop" beside "run" in development tools.
        sets = w.loops_panel.sets
        self.stop_analysis = a(
            w, "Stop Analysis",
            lambda: (w.runner.cancel(), sets.stop_counting(), sets.stop_finding()), "Shift+F5",
            "Stop the loop search, the count of all loops or the search for the independent set",
        )  # fmt: skip

        # Offered only while one of them runs: with nothing to stop, the item is greyed out.
        def sync_stop(_running: bool = False) -> None:
            self.stop_analysis.setEnabled(w.runner.running or sets.busy)

        sync_stop()
        w.runner.running_changed.connect(sync_stop)
        sets.busy_changed.connect(sync_stop)
        self.preferences = a(
            w, "Pre&ferences…", w.edit_preferences, Key.Preferences,
            "Autosave interval and loop analysis limits",
        )  # fmt: skip
        self.getting_started = a(
            w, "&Getting Started", lambda: help_dialogs.show_getting_started(w),
            Key.HelpContents, "How to draw variables, links and loops",
        )  # fmt: skip
        self.shortcuts_help = a(
            w, "&Keyboard Shortcuts", lambda: help_dialogs.show_shortcuts(w, w.menuBar()),
            "Ctrl+/", "Every keyboard shortcut, searchable",
        )  # fmt: skip
        self.about = a(w, "&About cld-editor", w.show_about)

    @staticmethod
    def _stack_button(
        window: MainWindow,
        text: str,
        menu_action: QAction,
        slot: Callable[[], None],
        enabled: Callable[[], bool],
    ) -> QAction:
        action = QAction(text, window)
        action.setObjectName(f"{text.lower()}_toolbar_action")
        action.triggered.connect(lambda *_args: slot())
        action.setEnabled(enabled())
        action.setData(menu_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText))
        return action

    def _sync_stack_tips(self, stack: QUndoStack) -> None:
        # The stack clears itself (and says so) while the window is torn down.
        if not (shiboken6.isValid(stack) and shiboken6.isValid(self.undo_tool)):
            return
        for action, what, step in (
            (self.undo_tool, "Undo", stack.undoText()),
            (self.redo_tool, "Redo", stack.redoText()),
        ):
            keys = action.data()
            label = f"{what} {step}" if step else f"{what} the last step"
            action.setToolTip(f"{label} ({keys})" if keys else label)
            action.setStatusTip(label)

    # -- layout -------------------------------------------------------------------------
    def build_menus(self, window: MainWindow) -> None:
        bar = window.menuBar()
        file = bar.addMenu("&File")
        file.addAction(self.new)
        self.templates_menu = file.addMenu("New from &Template")
        self.templates_menu.setToolTipsVisible(True)
        file.addAction(self.open)
        self.recent_menu = file.addMenu("Open &Recent")
        self.recent_menu.setToolTipsVisible(True)
        file.addSeparator()
        file.addActions([self.save, self.save_as, self.revert])
        file.addSeparator()
        file.addActions([self.export_image, self.export_report])
        file.addSeparator()
        file.addAction(self.quit)

        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo, self.redo])
        edit.addSeparator()
        edit.addActions([self.cut, self.copy, self.paste, self.copy_image])
        edit.addActions([self.delete, self.select_all])
        edit.addSeparator()
        edit.addAction(self.find)
        edit.addAction(self.rename)
        domain = edit.addMenu("&Domain")
        domain.addActions([self.domain_cx, self.domain_ex, self.domain_none])
        polarity = edit.addMenu("Link &Polarity")
        polarity.addActions([self.polarity_plus, self.polarity_minus, self.polarity_unknown])
        edit.addAction(self.toggle_delay)
        edit.addSeparator()
        edit.addAction(self.preferences)

        view = bar.addMenu("&View")
        view.addActions([self.zoom_in, self.zoom_out, self.fit, self.actual_size])
        view.addSeparator()
        view.addAction(self.waterline)
        view.addSeparator()
        view.addActions([self.select_tool, self.link_tool])
        view.addSeparator()
        self.panels_menu = view.addMenu("&Panels")

        loops = bar.addMenu("&Loops")
        loops.setObjectName("loops_menu")
        loops.addActions([self.show_loop_label, self.clear_highlight])
        loops.addSeparator()
        loops.addActions([self.reanalyse, self.stop_analysis])
        self.loops_menu = loops  # the Arrange actions add Focus on Loop… here too

        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.getting_started, self.shortcuts_help])
        help_menu.addSeparator()
        help_menu.addAction(self.about)

    def build_toolbar(self, window: MainWindow) -> QToolBar:
        for name in DRAWINGS:
            action = getattr(self, {"select": "select_tool", "link": "link_tool"}.get(name, name))
            action.setIcon(icon(name))
        self.undo_tool.setIcon(self.undo.icon())
        self.redo_tool.setIcon(self.redo.icon())
        toolbar = QToolBar("Tools", window)
        toolbar.setObjectName("tools_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.addActions([self.new, self.open, self.save])
        toolbar.addSeparator()
        toolbar.addActions([self.undo_tool, self.redo_tool])
        toolbar.addSeparator()
        toolbar.addActions([self.select_tool, self.link_tool])
        toolbar.addSeparator()
        toolbar.addActions([self.zoom_in, self.zoom_out, self.fit])
        toolbar.addSeparator()
        toolbar.addAction(self.waterline)
        window.addToolBar(toolbar)
        return toolbar

    def fill_templates_menu(self, window: MainWindow, menu: QMenu) -> None:
        from cld_editor.ui.window.file_ops import templates

        menu.clear()
        kind = None
        for template in templates():
            if kind is not None and template.kind != kind:
                menu.addSeparator()
            kind = template.kind
            action = menu.addAction(template.title)
            action.setToolTip(
                template.description or f"An untitled copy of the {template.kind} {template.title}"
            )
            action.setStatusTip(action.toolTip())
            action.triggered.connect(
                lambda _checked=False, path=template.path: window.new_from_template(path)
            )
        menu.setEnabled(not menu.isEmpty())
