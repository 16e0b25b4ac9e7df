"""The main window's storytelling: the Story menu, the Story dock, What If mode and the
presentation, gathered in :class:`WindowStory` so the window itself needs two lines.

What If mode puts the :class:`WhatIfBar` above the canvas and a :class:`WhatIfController`
overlay on it; while it is on, Space plays or pauses, Right and Left step, Esc leaves (keys
the canvas would otherwise ignore or use to clear a highlight). F5 presents the diagram's
story full screen, or, when it has none, the story of its loops (not saved). Story > Export
Story… writes a PDF, an HTML player or a folder of pictures, its dialog starting where the
other exports do (:mod:`.dialog_folders`) with a name of its own ("plan-story.pdf", not the
diagram export's "plan.pdf"). Nothing here edits the document except through the
Story panel's undoable Ops.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QDockWidget, QFileDialog, QFrame, QMenu, QScrollArea

from cld_editor.analysis.loops import LoopAnalysis
from cld_editor.analysis.story_gen import story_from_loops
from cld_editor.core.model import Diagram, stem_of_file_name, titled_after_file
from cld_editor.core.story import Story, StoryPulse
from cld_editor.core.text import file_stem
from cld_editor.ui.drawing.picture import ExportError
from cld_editor.ui.story.presentation import PresentationWindow, present
from cld_editor.ui.story.story_export import write_story
from cld_editor.ui.story.whatif_bar import WhatIfBar
from cld_editor.ui.story.whatif_mode import WhatIfController
from cld_editor.ui.window import message_box
from cld_editor.ui.window.actions import make_action
from cld_editor.ui.window.dialog_folders import export_folder, remember_export_folder
from cld_editor.ui.window.panels.story_panel import StoryPanel

if TYPE_CHECKING:
    from cld_editor.ui.window.main_window import MainWindow

EXPORT_FILTERS = (
    "PDF, one 16:9 page per step (*.pdf)",
    "HTML player, one file (*.html)",
    "SVG pictures, one per step (folder)",
    "PNG pictures, one per step (folder)",
)
#: Ends the name a story export proposes ("plan-story.pdf", a "plan-story" folder), so that
#: it never offers to replace the diagram's own PDF or HTML export ("plan.pdf").
STORY_SUFFIX = "-story"


class WindowStory(QObject):
    """Stories, What If and presentation for one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.analysis: LoopAnalysis | None = None
        self.presentation: PresentationWindow | None = None
        self.controller = WhatIfController(window.scene, window.document, self._loops, parent=self)
        self.bar = WhatIfBar(window.document, self.controller)
        layout = window.centralWidget().layout()
        layout.insertWidget(1, self.bar)  # under the find bar, above the canvas
        self.panel = StoryPanel(
            window.document,
            window.scene.push,
            self._selected_ids,
            self._current_analysis,
            self.current_pulse,
        )
        self.dock = QDockWidget("Story", window)
        self.dock.setObjectName("story_dock")
        # In a scroll area: the panel's buttons must not make the window's minimum taller.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.panel)
        self.dock.setWidget(scroll)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.properties_dock, self.dock)
        window.properties_dock.raise_()
        toggle = self.dock.toggleViewAction()
        toggle.setToolTip("Show or hide the Story panel")
        window.actions.panels_menu.addAction(toggle)
        self._build_menu()
        self.panel.present_requested.connect(self.present)
        self.panel.step_chosen.connect(window.scene.select_ids)
        self.bar.closed.connect(lambda: window.view.setFocus())
        window.runner.analysis_ready.connect(self._on_analysis)
        window.view.installEventFilter(self)

    def _build_menu(self) -> None:
        menu = _story_menu(self.window)
        self.whatif_action = self._action(
            "&What If…", self.open_whatif, "Ctrl+Shift+W",
            "Follow a rise or fall of the selected variable through the diagram",
        )  # fmt: skip
        self.present_action = self._action(
            "&Present", self.present, "F5", "Show the story full screen (Esc leaves)"
        )
        self.from_loops_action = self._action(
            "Story from &Loops", self.story_from_loops, None,
            "Replace the story with one that builds the diagram loop by loop (asks first when"
            " you made steps)",
        )  # fmt: skip
        self.export_action = self._action(
            "&Export Story…", self.export_story, None,
            "Write the story as a PDF, an HTML player or one picture per step",
        )  # fmt: skip
        menu.addActions([self.whatif_action, self.present_action])
        menu.addSeparator()
        menu.addActions([self.from_loops_action, self.export_action])

    def _action(self, text: str, slot, shortcut: str | None, tip: str) -> QAction:
        """A window action (its shortcut works wherever the window has focus) built as every
        other one is, by :func:`~cld_editor.ui.window.actions.make_action`."""
        action = make_action(self.window, text, slot, shortcut, tip)
        self.window.addAction(action)
        return action

    def story_from_loops(self) -> bool:
        """Story > Story from Loops: replace the story, and show it (the Story panel comes
        forward; the status bar says what happened)."""
        done = self.panel.story_from_loops()
        self.dock.show()
        self.dock.raise_()
        self.window.statusBar().showMessage(self.panel.hint.text(), 8000)
        return done

    # -- helpers -------------------------------------------------------------------------
    def _current_analysis(self) -> LoopAnalysis | None:
        """The last analysis when it describes the diagram as it is now (else None: a story
        built from loops of an earlier revision could name links already deleted)."""
        return None if self.window.runner.pending else self.analysis

    def _loops(self):
        return self.analysis.loops if self.analysis is not None else None

    def _on_analysis(self, analysis: LoopAnalysis) -> None:
        self.analysis = analysis

    def _selected_ids(self) -> list[str]:
        scene = self.window.scene
        return [
            *scene.selected_variable_ids(),
            *scene.selected_link_ids(),
            *scene.selected_label_ids(),
        ]

    def current_pulse(self) -> StoryPulse | None:
        """The change chosen in the What If bar, as a story step's pulse."""
        run = self.controller.run
        if run is None:
            return None
        steps = self.bar.steps.value() or None
        return StoryPulse(variable=run.start, direction=run.direction, steps=steps)

    # -- commands ------------------------------------------------------------------------
    def open_whatif(self) -> None:
        selected = self.window.scene.selected_variable_ids()
        if not self.window.document.variables:
            self.window.statusBar().showMessage("What If needs a variable to change", 6000)
            return
        # A loop highlighted before would dim the variable that changes and the path it takes.
        self.window.clear_loop_highlight()
        self.bar.open_mode(selected[0] if selected else None)
        self.window.view.setFocus()

    def story_to_present(self) -> Story:
        story = self.window.document.story
        if story.steps:
            return story
        loops = self.analysis.loops if self.analysis is not None else None
        return story_from_loops(self.window.document.diagram, loops)

    def present(self) -> PresentationWindow | None:
        story = self.story_to_present()
        if not story.steps:
            self.window.statusBar().showMessage("There is nothing to present yet", 6000)
            return None
        if not self.window.document.story.steps:
            self.window.statusBar().showMessage(
                "No story yet: presenting the loops one by one (Story from Loops keeps it)", 8000
            )
        self.controller.pause()
        self.presentation = present(self._diagram(), story, self.analysis, self.window)
        self.presentation.closed.connect(self._on_presentation_closed)
        return self.presentation

    def _on_presentation_closed(self) -> None:
        self.presentation = None
        self.window.activateWindow()

    def _diagram(self) -> Diagram:
        path = self.window.files.path
        return titled_after_file(self.window.document.diagram, path.name if path else None)

    def export_story(self, path: str | Path | None = None, kind: int | None = None) -> list[Path]:
        """Story > Export Story…: ask where (unless ``path`` is given) and write it."""
        story = self.story_to_present()
        if not story.steps:
            message_box.warn(self.window, "Export Story", "The diagram is empty: no story to tell.")
            return []
        folder_format = "svg"
        files = self.window.files
        named = files.path or files.proposed_path
        if path is None:
            stem = stem_of_file_name(named) if named else file_stem(self._diagram().title)
            # Named whole: with_suffix would cut a stem with a dot ("plan.v2") at the dot.
            start = export_folder(named) / f"{stem}{STORY_SUFFIX}.pdf"
            name, chosen = QFileDialog.getSaveFileName(
                self.window,
                "Export Story",
                str(start),
                ";;".join(EXPORT_FILTERS),
            )
            if not name:
                return []
            kind = EXPORT_FILTERS.index(chosen) if chosen in EXPORT_FILTERS else 0
            path = Path(name)
            if kind >= 2:
                if path.suffix.lower() in (".pdf", ".html", ".htm", ".svg", ".png"):
                    path = path.with_suffix("")  # a folder (not "plan.v2" cut to "plan")
            elif path.suffix.lower() not in (".pdf", ".html", ".htm"):
                path = path.with_name(path.name + (".pdf" if kind == 0 else ".html"))
        if kind == 3:
            folder_format = "png"
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = write_story(
                self._diagram(), story, path, self.analysis, folder_format, folder=kind in (2, 3)
            )
        except ExportError as exc:
            QGuiApplication.restoreOverrideCursor()
            message_box.warn(self.window, "Export Story", str(exc))
            return []
        QGuiApplication.restoreOverrideCursor()
        remember_export_folder(Path(path).parent, named)  # a folder of pictures: where it is
        shown = written[0] if len(written) == 1 else f"{len(written)} pictures in {path}"
        self.window.statusBar().showMessage(f"Exported {shown}", 8000)
        return written

    # -- keys while What If is on ----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and self.bar.isVisible() and self.controller.active:
            key = QKeyEvent.key(event)  # type: ignore[arg-type]
            handled = {
                Qt.Key.Key_Space: self.bar.toggle_play,
                Qt.Key.Key_Right: self.controller.step_forward,
                Qt.Key.Key_Left: self.controller.step_back,
                Qt.Key.Key_Escape: self.bar.close_mode,
            }.get(Qt.Key(key))
            if handled is not None:
                handled()
                return True
        return super().eventFilter(watched, event)

    def detach(self) -> None:
        self.window.view.removeEventFilter(self)
        self.controller.detach()
        self.panel.detach()
        if self.presentation is not None:
            self.presentation.close()


def _story_menu(window: MainWindow) -> QMenu:
    """A "Story" menu placed before Help (after Loops) in the window's menu bar."""
    bar = window.menuBar()
    help_action = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    menu = QMenu("&Story", bar)
    if help_action is not None:
        bar.insertMenu(help_action, menu)
    else:
        bar.addMenu(menu)
    return menu
