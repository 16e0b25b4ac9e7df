"""MainWindow: puts the canvas, the panels, the live loop analysis and the file handling together.

The window owns one Document and one QUndoStack for its whole life (File > Open replaces the
diagram inside the Document), the DiagramScene/DiagramView that mirror it, the Loops and Properties
docks, the find bar, the :class:`AnalysisRunner` and, when the program gives it a recovery store,
an autosave controller. It wires their signals, keeps the title ("name.cld.json[*] — cld-editor")
and the status bar's canvas hints current, restores recovery copies, applies Preferences and
saves geometry and dock layout. The loop summary and analysis progress are
:class:`.analysis_status.AnalysisStatus`, the clipboard commands
:class:`.clipboard_actions.WindowClipboard`, the exports :class:`.export_actions.WindowExports`,
files dropped on it :class:`.drops.WindowDrops`.
Every edit it makes is an Op from :mod:`cld_editor.core.edits` pushed on the undo stack through
``scene.push``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from cld_editor import __version__
from cld_editor.analysis.loops import Loop, LoopAnalysis
from cld_editor.core import events as ev
from cld_editor.core.document import Document
from cld_editor.core.waterline import wrong_side
from cld_editor.formats.native import LoadError, load_diagram
from cld_editor.recovery import RecoveryEntry, RecoveryStore
from cld_editor.ui.canvas.scene import DiagramScene
from cld_editor.ui.canvas.view import DiagramView
from cld_editor.ui.window import message_box
from cld_editor.ui.window.actions import WindowActions
from cld_editor.ui.window.analysis_runner import AnalysisRunner
from cld_editor.ui.window.analysis_status import AnalysisStatus
from cld_editor.ui.window.arrange_actions import WindowArrange
from cld_editor.ui.window.autosave import AutosaveController
from cld_editor.ui.window.clipboard_actions import WindowClipboard
from cld_editor.ui.window.drops import WindowDrops
from cld_editor.ui.window.export_actions import WindowExports
from cld_editor.ui.window.file_ops import FileController, default_example, settings
from cld_editor.ui.window.find import FindBar
from cld_editor.ui.window.import_export_actions import WindowInterop
from cld_editor.ui.window.message_box import plain_tooltip
from cld_editor.ui.window.panels.loop_label_edits import ask_loop_label_name
from cld_editor.ui.window.panels.loops_panel import LoopsPanel
from cld_editor.ui.window.panels.properties_panel import PropertiesPanel
from cld_editor.ui.window.preferences import Preferences, edit_preferences, load_preferences
from cld_editor.ui.window.story_actions import WindowStory
from cld_editor.ui.window.zoom_status import ZoomStatus

APP_NAME = "cld-editor"


class MainWindow(QMainWindow):
    def __init__(
        self, parent: QWidget | None = None, recovery_store: RecoveryStore | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.document = Document()
        self.undo_stack = QUndoStack(self)
        self.scene = DiagramScene(self.document, self.undo_stack, self)
        self.view = DiagramView(self.scene)
        self.files = FileController(self, self.document, self.undo_stack)
        preferences = load_preferences()
        self.runner = AnalysisRunner(self.document, budget=preferences.budget(), parent=self)
        self.loops_panel = LoopsPanel(self.document, self.scene.push)
        self.properties_panel = PropertiesPanel(self.document, self.scene.push)
        self.find_bar = FindBar(self.document)
        self.exports = WindowExports(self)
        self.clipboard = WindowClipboard(self)
        #: Recovery copies while there are unsaved changes (the program passes a store; tests
        #: that do not are left without autosave).
        self.autosave: AutosaveController | None = None
        if recovery_store is not None:
            self.autosave = AutosaveController(
                self.document,
                self.undo_stack,
                recovery_store,
                self.files.recovery_description,
                interval=preferences.autosave_seconds,
                parent=self,
            )
            self.autosave.failed.connect(self._on_autosave_failed)
        self._shut_down = False

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self.loops_dock = self._add_dock("Loops", "loops_dock", self.loops_panel)
        self.properties_dock = self._add_dock(
            "Properties", "properties_dock", self.properties_panel
        )
        self.analysis_status = AnalysisStatus(self.statusBar(), self.runner)
        status = self.analysis_status
        self.loop_summary, self.stop_button = status.loop_summary, status.stop_button
        self.progress, self.progress_label = status.progress, status.progress_label

        self.actions = WindowActions(self)
        self.actions.build_menus(self)
        # The zoom at the status bar's right end, and the framing of each diagram opened.
        self.zoom_status = ZoomStatus(self.statusBar(), self.view, self.actions)
        self.analysis_status.right_of_progress.append(self.zoom_status.button)
        self.interop = WindowInterop(self)
        a = self.actions
        self.scene.set_empty_canvas_actions([a.paste, None, a.select_all, a.fit, a.waterline])
        self.toolbar = self.actions.build_toolbar(self)
        for dock in (self.loops_dock, self.properties_dock):
            toggle = dock.toggleViewAction()
            toggle.setToolTip(f"Show or hide the {dock.windowTitle()} panel")
            self.actions.panels_menu.addAction(toggle)
        self.actions.templates_menu.aboutToShow.connect(
            lambda: self.actions.fill_templates_menu(self, self.actions.templates_menu)
        )
        self.actions.fill_templates_menu(self, self.actions.templates_menu)
        self.actions.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()
        self._connect()
        self.story = WindowStory(self)  # Story menu and dock, What If mode, F5
        self.arrange = WindowArrange(self)  # Arrange menu and toolbar button
        self.drops = WindowDrops(self)  # files dropped on the window or canvas open here
        self._restore_settings()
        self._update_title()
        self._on_selection_changed()
        self._sync_waterline_action()
        self.runner.run_now()

    # -- construction --------------------------------------------------------------------
    def _add_dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def _connect(self) -> None:
        self.undo_stack.cleanChanged.connect(self._update_title)
        self.files.path_changed.connect(self._update_title)
        self.files.diagram_loaded.connect(self._on_diagram_loaded)
        self.files.recent_files_changed.connect(self._fill_recent_menu)
        self.files.saved.connect(lambda path: self.statusBar().showMessage(f"Saved {path}", 6000))
        self.scene.selection_ids_changed.connect(self._on_selection_changed)
        self.scene.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.scene.status_withdrawn.connect(self._withdraw_status)
        self.scene.loop_label_rename_requested.connect(self.rename_loop_label)
        self.scene.highlighted_loop_changed.connect(self._on_canvas_highlight_changed)
        self.view.tool_changed.connect(self._on_tool_changed)
        self.loops_panel.loop_selected.connect(self.scene.set_highlighted_loop)
        self.loops_panel.loop_chosen.connect(self._bring_loop_into_view)
        self.loops_panel.said.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.properties_panel.said.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.loops_panel.summary_changed.connect(self._show_loop_summary)
        self.properties_panel.set_loop_finder(self.loops_panel.loop_of_key)
        self.find_bar.found.connect(self.show_variable)
        self.find_bar.closed.connect(lambda: self.view.setFocus())
        self.find_bar.rename_requested.connect(self._rename_found)
        self.runner.analysis_ready.connect(self._on_analysis_ready)
        self.document.subscribe(self._on_document_event)

    # -- state shown ---------------------------------------------------------------------
    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.files.display_name()}[*] — {APP_NAME}")
        self.setWindowModified(self.files.is_modified)
        self.actions.revert.setEnabled(self.files.path is not None and self.files.is_modified)

    def _on_document_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.DiagramPropertiesChanged | ev.DocumentReset):
            self._sync_waterline_action()

    def _sync_waterline_action(self) -> None:
        action = self.actions.waterline
        action.blockSignals(True)
        action.setChecked(self.document.waterline is not None)
        action.blockSignals(False)

    def _on_diagram_loaded(self) -> None:
        self.arrange.drop()
        self.loops_panel.clear_selection()
        self.loops_panel.set_analysis(None)
        if not self.files.reloaded:  # another diagram: none of its loops hidden by filters
            self.loops_panel.reset_filters()
        self.scene.set_loops(None)
        self.analysis_status.set_summary(None)
        self.runner.run_now(force=True)
        # Frame it once the view has its final size (right after start-up it may not yet): whole,
        # or a readable part with a word on how to see the rest (said once per file).
        announce = not self.files.reloaded
        QTimer.singleShot(0, self.view, lambda: self.zoom_status.frame_opened(announce))

    def _on_selection_changed(self) -> None:
        variable_ids = self.scene.selected_variable_ids()
        for action in (self.actions.cut, self.actions.copy):
            action.setEnabled(bool(variable_ids))
        self.actions.delete.setEnabled(bool(self.scene.selectedItems()))
        self.properties_panel.set_selection(
            variable_ids, self.scene.selected_link_ids(), self.scene.selected_label_ids()
        )
        self.loops_panel.set_selected_variables(variable_ids)
        label_ids = self.scene.selected_label_ids()
        if len(label_ids) == 1 and not variable_ids and not self.scene.selected_link_ids():
            self._select_loop_of_label(label_ids[0])

    def _withdraw_status(self, text: str) -> None:
        """A message about the selection went stale: drop it unless another replaced it."""
        if self.statusBar().currentMessage() == text:
            self.statusBar().clearMessage()

    def _select_loop_of_label(self, label_id: str) -> None:
        """A loop label alone is selected: select its loop's row (which highlights the loop),
        or, when the table's filters hide it, highlight the loop on the canvas."""
        key = self.document.loop_labels[label_id].loop_key
        if not self.loops_panel.select_loop_key(key, reveal=False):
            loop = self.loops_panel.loop_of_key(key)
            if loop is not None:
                self.loops_panel.clear_selection()
                self.scene.set_highlighted_loop(loop)

    def _bring_loop_into_view(self, loop: Loop) -> None:
        """Pan (and zoom out only if it must) so the loop chosen in the Loops panel is seen."""
        self.view.bring_into_view(self.scene.records_rect([*loop.variables, *loop.links]))

    def _on_analysis_ready(self, analysis: LoopAnalysis) -> None:
        self.loops_panel.set_analysis(analysis)
        self.properties_panel.loops_changed()
        self.scene.set_loops(analysis)

    def _show_loop_summary(self) -> None:
        """The status bar's loop summary, with the count of all loops once one is complete."""
        panel = self.loops_panel
        self.analysis_status.show_loops(panel.analysis, panel.sets.counted(self.document.diagram))

    def _on_canvas_highlight_changed(self, loop: Loop | None) -> None:
        if loop is None and self.loops_panel.selected_loop() is not None:
            self.loops_panel.clear_selection()  # Esc on the canvas clears the table row too

    def _on_tool_changed(self, name: str) -> None:
        action = self.actions.link_tool if name == "link" else self.actions.select_tool
        action.setChecked(True)

    def _fill_recent_menu(self) -> None:
        menu = self.actions.recent_menu
        menu.clear()
        for entry in self.files.recent_files():
            action = menu.addAction(Path(entry).name)
            action.setToolTip(plain_tooltip(entry))
            action.setStatusTip(entry)
            action.triggered.connect(lambda _checked=False, p=entry: self.files.open_path(p))
        if not menu.isEmpty():
            menu.addSeparator()
        menu.addAction(self.actions.clear_recent)
        self.actions.clear_recent.setEnabled(bool(self.files.recent_files()))

    # -- commands ------------------------------------------------------------------------
    def open_untitled_example(self) -> bool:
        """Start-up without a file: an untitled copy of the experience-loop example."""
        try:
            diagram = load_diagram(default_example())
        except LoadError:
            return False
        self.files.load_diagram(diagram, None)
        return True

    def restore_recovered(self, store: RecoveryStore, entry: RecoveryEntry) -> bool:
        """Show the diagram of a recovery copy as a modified document; this window's autosave
        then owns the copy (it stays on disk until the diagram is saved or discarded)."""
        try:
            diagram = store.load(entry)
        except LoadError as exc:
            message_box.warn(
                self,
                "Cannot restore",
                f"{entry.display_name}\n\n{exc}\n\nThe recovery copy was kept.",
            )
            return False
        path = Path(entry.original_path) if entry.original_path else None
        saved_at = entry.saved_at.timestamp() if entry.saved_at else None
        self.files.load_recovered(diagram, path, saved_at)
        if self.autosave is not None:
            self.autosave.take_over(entry)
        when = entry.saved_at.astimezone().strftime("%H:%M") if entry.saved_at else "?"
        self.statusBar().showMessage(
            f"Restored {entry.display_name} from its recovery copy of {when}: save it to keep it",
            15000,
        )
        return True

    def edit_preferences(self) -> Preferences | None:
        """Edit > Preferences…: the new choices take effect at once (None when cancelled)."""
        chosen = edit_preferences(self)
        if chosen is not None:
            self.apply_preferences(chosen)
        return chosen

    def apply_preferences(self, preferences: Preferences) -> None:
        if self.autosave is not None:
            self.autosave.set_interval(preferences.autosave_seconds)
        budget = preferences.budget()
        if budget != self.runner.budget:
            self.runner.budget = budget
            self.runner.run_now(force=True)

    def _on_autosave_failed(self, reason: str) -> None:
        self.statusBar().showMessage(f"Could not write the recovery copy: {reason}", 15000)

    def new_diagram(self) -> None:
        self.files.new_diagram()

    def new_from_template(self, path: Path) -> None:
        self.files.new_from_template(path)

    def open_diagram(self) -> None:
        self.files.open_dialog()

    def set_domain(self, domain: str | None) -> None:
        self.scene.set_domain_of_selection(domain)

    def set_polarity(self, polarity: str) -> None:
        self.scene.set_polarity_of_selection(polarity)

    def delete_selection(self) -> None:
        self.scene.delete_selection()

    def select_all(self) -> None:
        doc = self.document
        self.scene.select_ids([*doc.variables, *doc.links, *doc.loop_labels])

    def _rename_found(self) -> None:
        """F2 in the find bar: the canvas takes the keyboard and renames the selection."""
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scene.rename_selected()

    def show_variable(self, variable_id: str) -> None:
        self.scene.select_ids([variable_id])
        self.view.center_on_variable(variable_id, readable=True)

    def toggle_waterline(self) -> None:
        if not self.scene.show_waterline(self.actions.waterline.isChecked()):
            self._sync_waterline_action()
            return
        y = self.document.waterline
        wrong, tagged = (0, 0) if y is None else wrong_side(self.document, y)
        if wrong:
            # The drawing mixes CX and EX: no line parts them; say what would.
            verb = "is" if wrong == 1 else "are"
            self.statusBar().showMessage(
                f"{wrong} of the {tagged} variables tagged CX or EX {verb} on the wrong side of "
                "the waterline: Arrange as Iceberg puts CX above it and EX below",
                12000,
            )

    def rename_loop_label(self, label_id: str) -> bool:
        label = self.document.loop_labels.get(label_id)
        loop = self.loops_panel.loop_of_key(label.loop_key) if label is not None else None
        own = loop.name if loop is not None else None
        return ask_loop_label_name(self, self.document, self.scene.push, label_id, own)

    def clear_loop_highlight(self) -> None:
        self.loops_panel.clear_selection()
        self.scene.set_highlighted_loop(None)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME} {__version__}</b><p>Draw causal-loop diagrams of customer (CX) and "
            "employee (EX) experience; every feedback loop is found while you draw.</p>",
        )

    # -- drops (WindowDrops) -----------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.drops.drag_entered(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.drops.dropped(event)

    # -- settings and closing ------------------------------------------------------------
    def _restore_settings(self) -> None:
        store = settings()
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = store.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        else:
            # First start: docks wide enough for the loop table, loops above properties.
            docks = [self.loops_dock, self.properties_dock]
            self.resizeDocks(docks, [480, 480], Qt.Orientation.Horizontal)
            self.resizeDocks(docks, [420, 400], Qt.Orientation.Vertical)

    def save_settings(self) -> None:
        store = settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        store.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._shut_down:  # already shut down (tests, or quitting from elsewhere)
            event.accept()
            return
        if not self.files.maybe_save():
            event.ignore()
            return
        if self.autosave is not None:
            self.autosave.close(discard=True)  # saved or discarded: the copy has done its job
        self.save_settings()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop the analysis thread and unhook from the document (safe to call twice)."""
        if self._shut_down:
            return
        self._shut_down = True
        self.runner.stop()
        self.story.detach()
        if self.autosave is not None:
            self.autosave.close()  # the copy stays: nobody decided about the changes
        for part in (self.scene, self.loops_panel, self.properties_panel, self.find_bar):
            part.detach()
        self.document.unsubscribe(self._on_document_event)
        # Delete the undo commands now, while everything they refer to is alive: left to the
        # garbage collector, QUndoStack's destructor can reach already freed Python wrappers.
        self.undo_stack.clear()
