"""The main window's Arrange menu and toolbar button: the automatic layouts of
:mod:`cld_editor.layout` (Loops, Layered, Organic, Iceberg) for the whole diagram or, when two
or more variables are selected, only for them (everything else stays put), plus Tidy Up,
Align and Distribute for the selection (the links they disturb bent clear of other variables in
the same step), and Focus on Loop (:mod:`.loop_focus`).

Each command is one undo step (an Op from the layout package pushed through ``scene.push``);
the boxes measured for layout are the canvas's own (label wrapping and font metrics from
``drawing.render``), so what the layout keeps apart stays apart on screen. The document changes
at once; the canvas items glide to their new places in a quarter second (:mod:`.arrange_glide`), and
after a whole-diagram layout the view then fits the diagram; undo and redo glide and fit the same
way.

Every layout is computed on a worker thread (:mod:`.arrange_worker`) from a snapshot of the
document. Arrange waits up to WAIT_MS for it, so a small diagram is arranged at once as before;
a layout that takes longer goes on in the background while the window stays usable: the status
bar shows the step and offers Cancel (and Esc), which leaves the document and the undo history
untouched. The finished layout is applied as the same single undo step, with the same glide,
but only if the document is still at the revision the snapshot was taken from; if it changed
meanwhile (an edit, undo, another file), the layout is dropped and the status bar says so, in
a line short enough for a narrow window, with the explanation as its tooltip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QToolButton

from cld_editor.analysis.loops import Loop
from cld_editor.core import edits
from cld_editor.core.ops import Batch, update_links
from cld_editor.layout import STYLE_NAMES, STYLES, Layout, align, distribute, layout_op, tidy
from cld_editor.layout.boxes import Rect
from cld_editor.layout.moved_links import bends_after_move
from cld_editor.layout.notes import iceberg_notes, tidied_message, waterline_notes
from cld_editor.ui.drawing import render
from cld_editor.ui.drawing.overlay_places import labels_clear_of_marks
from cld_editor.ui.window.actions import make_action
from cld_editor.ui.window.arrange_glide import Glide
from cld_editor.ui.window.arrange_worker import ArrangeJob, ArrangeProgress, ArrangeRunner
from cld_editor.ui.window.loop_focus import LoopFocusDialog
from cld_editor.ui.window.message_box import plain_tooltip
from cld_editor.ui.window.panels.loop_label_edits import loop_in_diagram
from cld_editor.ui.window.status_news import StatusNews

if TYPE_CHECKING:
    from cld_editor.ui.window.main_window import MainWindow

STYLE_TIPS = {
    "loops": "Draw each loop as a round cycle, loops joined where they share variables",
    "layered": "Levels from left to right with few crossings; links running back curve around",
    "organic": "A force-directed layout, for large and loosely looped maps",
    "iceberg": "CX variables above the waterline, EX below, each band arranged in loops",
}
STYLE_KEYS = {"loops": "Ctrl+Shift+L"}
#: How long Arrange waits for its layout before leaving it to the background (ms): a layout
#: done by then is applied at once, with no progress shown (the window is blocked no longer).
WAIT_MS = 150
ALIGN_TEXTS = {
    "left": "Align &Left",
    "centre": "Align &Centre",
    "right": "Align &Right",
    "top": "Align &Top",
    "middle": "Align &Middle",
    "bottom": "Align &Bottom",
}


class WindowArrange(QObject):
    """Arrange menu, toolbar button and their commands for one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.style_actions: dict[str, QAction] = {}
        self.align_actions: dict[str, QAction] = {}
        self.menu = _arrange_menu(window)
        for style in STYLES:
            action = self._action(
                f"Arrange as &{STYLE_NAMES[style]}",
                lambda s=style: self.arrange(s),
                STYLE_TIPS[style],
                STYLE_KEYS.get(style),
            )
            action.setObjectName(f"arrange_{style}_action")
            self.style_actions[style] = action
            self.menu.addAction(action)
        self.tidy_action = self._action(
            "&Tidy Up", lambda: self.tidy(),
            "Line up nearly aligned variables, part touching ones and bend links clear "
            "(the selection, or the diagram)",
        )  # fmt: skip
        self.menu.addAction(self.tidy_action)
        self.menu.addSeparator()
        for how, text in ALIGN_TEXTS.items():
            action = self._action(
                text, lambda h=how: self.align(h), f"Line the selected variables up on their {how}"
            )
            self.align_actions[how] = action
            self.menu.addAction(action)
            if how == "right":
                self.menu.addSeparator()
        self.menu.addSeparator()
        self.distribute_h = self._action(
            "Distribute &Horizontally", lambda: self.distribute("horizontal"),
            "Equal gaps between the selected variables, left to right",
        )  # fmt: skip
        self.distribute_v = self._action(
            "Distribute &Vertically", lambda: self.distribute("vertical"),
            "Equal gaps between the selected variables, top to bottom",
        )  # fmt: skip
        self.menu.addActions([self.distribute_h, self.distribute_v])
        self.menu.addSeparator()
        self.focus_action = self._action(
            "&Focus on Loop…", lambda: self.focus_loop(),
            "The loop selected in the Loops panel on its own, as a round cycle (exportable)",
        )  # fmt: skip
        self.menu.addAction(self.focus_action)
        self.focus_dialogs: list[LoopFocusDialog] = []
        window.actions.loops_menu.addSeparator()
        window.actions.loops_menu.addAction(self.focus_action)
        window.loops_panel.focus_requested.connect(self.focus_loop)
        # The toolbar button repeats the last style used (Loops at first), and says which.
        self.button = QToolButton(window)
        self.button.setObjectName("arrange_toolbar_button")
        self.button.setMenu(self.menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.last_style = "loops"
        self._show_last_style()
        window.toolbar.addSeparator()
        window.toolbar.addWidget(self.button)
        self.glide = Glide(window)
        self.wait_ms = WAIT_MS
        self.runner = ArrangeRunner(self)
        self.cancel_action = self._action(
            "Ca&ncel Arrange", lambda: self.cancel(),
            "Stop the layout being computed; the diagram stays as it is", "Esc",
        )  # fmt: skip
        self.cancel_action.setObjectName("arrange_cancel_action")
        self.menu.insertAction(self.tidy_action, self.cancel_action)
        self.progress = ArrangeProgress(window.statusBar(), self.cancel_action)
        self.runner.progressed.connect(self.progress.show_job)
        self.runner.finished.connect(self._finished)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.runner.cancel)
        window.scene.selection_ids_changed.connect(self._sync)
        self._detailed: str | None = None  # the status message whose details are the tooltip
        # What Arrange and Tidy Up did stays through the status tips of the toolbar button
        # clicked or the menu entry chosen (leaving them showed an empty tip: an empty bar).
        self.news = StatusNews(window)
        window.statusBar().messageChanged.connect(self._message_changed)
        window.loops_panel.loop_selected.connect(self._sync)
        self._sync()

    def _action(self, text: str, slot, tip: str, shortcut: str | None = None) -> QAction:
        """A window action (its shortcut works wherever the window has focus) built as every
        other one is, by :func:`~cld_editor.ui.window.actions.make_action`."""
        action = make_action(self.window, text, slot, shortcut, tip)
        self.window.addAction(action)
        return action

    def _show_last_style(self) -> None:
        """The toolbar button runs, and names, the last style used."""
        self.button.setDefaultAction(self.style_actions[self.last_style])
        scope = "selection" if len(self.window.scene.selected_variable_ids()) >= 2 else "diagram"
        name = STYLE_NAMES[self.last_style]
        self.button.setToolTip(
            f"Arrange the {scope} as {name}, the last layout used "
            "(the arrow: other layouts, Tidy Up, align)"
        )

    def _sync(self, *_args) -> None:
        count = len(self.window.scene.selected_variable_ids())
        scope = "the selection" if count >= 2 else "the diagram"
        for style, action in self.style_actions.items():
            action.setStatusTip(f"{STYLE_TIPS[style]} ({scope})")
        self._show_last_style()
        for action in self.align_actions.values():
            action.setEnabled(count >= 2)
        self.distribute_h.setEnabled(count >= 3)
        self.distribute_v.setEnabled(count >= 3)
        self.focus_action.setEnabled(self.window.loops_panel.selected_loop() is not None)

    # -- commands ------------------------------------------------------------------------
    def _sizes(self) -> dict[str, tuple[float, float]]:
        out = {}
        for variable in self.window.document.variables.values():
            shape = render.variable_shape(variable.label)
            out[variable.id] = (shape.width, shape.height)
        return out

    def arrange(self, style: str) -> bool:
        """Arrange the selection (two or more variables) or the whole diagram in ``style``:
        at once when the layout takes no longer than ``wait_ms``, else in the background (True
        then means started). A layout still running is cancelled first."""
        window = self.window
        document = window.document
        if not document.variables:
            window.statusBar().showMessage("Nothing to arrange: the diagram is empty", 6000)
            return False
        self.runner.cancel()
        self.progress.hide()
        self.last_style = style
        self._show_last_style()
        selected = window.scene.selected_variable_ids()
        only = set(selected) if len(selected) >= 2 else None
        count = len(only) if only else len(document.variables)
        diagram, sizes = document.diagram, self._sizes()
        job = self.runner.start(style, diagram, sizes, only, document.revision, count)
        if job.done.wait(self.wait_ms / 1000):
            self.runner.forget(job)
            return self._finished(job)
        self.progress.show_job(job)
        window.statusBar().clearMessage()
        return True

    def cancel(self) -> bool:
        """Cancel the Arrange running in the background (the document stays as it is)."""
        job = self.runner.cancel()
        self.progress.hide()
        if job is None:
            return False
        self.window.statusBar().showMessage(
            f"Arrange ({STYLE_NAMES[job.style]}) cancelled: the diagram is unchanged", 8000
        )
        return True

    def drop(self) -> None:
        """A whole other diagram was loaded (New, Open, Revert): a layout still running is of
        the old one, so it is stopped without a word."""
        self.runner.cancel()
        self.progress.hide()

    def _finished(self, job: ArrangeJob) -> bool:
        """A layout is ready: apply it if the document is still what it was (True if so)."""
        self.progress.hide()
        name = STYLE_NAMES[job.style]
        if job.error is not None or job.layout is None:
            failed = f"Arrange ({name}) failed: {job.error}"
            self._say(failed, failed)
        elif job.revision != self.window.document.revision:
            self._say(
                f"Arrange ({name}) not applied: diagram changed",
                f"Arrange ({name}) was not applied: the diagram changed while the layout was "
                "being computed. Arrange again to lay out the diagram as it is now.",
            )
        else:
            return self._apply(job.layout, job.only)
        return False

    def _say(self, short: str, details: str) -> None:
        """Show ``short`` in the status bar (short enough for a narrow window) with ``details``
        as the bar's tooltip while it shows; the tooltip goes with the message."""
        bar = self.window.statusBar()
        self.news.show(short, 15000)
        bar.setToolTip(plain_tooltip(details))
        self._detailed = short

    def _message_changed(self, text: str) -> None:
        # A status tip over the message is no end of it (StatusNews puts it back).
        kept = self._detailed is not None and self.news.news == self._detailed
        if self._detailed is not None and text != self._detailed and not kept:
            self._detailed = None
            self.window.statusBar().setToolTip("")

    def _apply(self, layout: Layout, only: set[str] | None) -> bool:
        """Push ``layout`` as one undo step and glide the items to their new places (and back,
        with a re-fitted view, on undo: :class:`.arrange_glide.ArrangeCommand`)."""
        window = self.window
        style = layout.style
        diagram = window.document.diagram
        layout = labels_clear_of_marks(diagram, layout)  # no label on a sign as drawn
        op = layout_op(diagram, layout)
        if not self.glide.push(op, fit=only is None, in_sight=sorted(layout.positions)):
            window.statusBar().showMessage("Already arranged", 6000)
            return False
        count = len(layout.positions)
        what = f"{count} selected variables" if only else "the diagram"
        done = f"Arranged {what} ({STYLE_NAMES[style]})"
        if style == "iceberg":
            short, details = iceberg_notes(diagram, layout)
            if short:
                self._say(f"{done}: {short}", f"{done}. {details}")
                return True
        elif window.document.waterline is not None:
            # Another style under a waterline shown: no gap may part CX from EX.
            short, details = waterline_notes(diagram, layout)
            if short:
                self._say(f"{done}: {short}", f"{done}. {details}")
                return True
        self.news.show(done, 6000)
        return True

    def tidy(self) -> bool:
        """Tidy Up the selection (two or more variables) or the whole diagram."""
        window = self.window
        diagram = window.document.diagram
        selected = window.scene.selected_variable_ids()
        only = set(selected) if len(selected) >= 2 else None
        layout = labels_clear_of_marks(diagram, tidy(diagram, only=only, sizes=self._sizes()))
        op = layout_op(diagram, layout)
        if not self.glide.push(op, fit=False, in_sight=sorted(layout.positions)):
            window.statusBar().showMessage("Already tidy", 6000)
            return False
        self.news.show(tidied_message(layout), 6000)
        return True

    def focus_loop(self, loop: Loop | None = None) -> LoopFocusDialog | None:
        """Open a Loop focus window on ``loop`` (by default the one selected in Loops)."""
        window = self.window
        loop = loop or window.loops_panel.selected_loop()
        if loop is None:
            window.statusBar().showMessage("Select a loop in the Loops panel first", 6000)
            return None
        if not loop_in_diagram(window.document, loop):
            window.statusBar().showMessage(f"Loop {loop.name} is no longer in the diagram", 6000)
            return None
        analysis = window.loops_panel.analysis
        dialog = LoopFocusDialog(
            window,
            window.document.diagram,
            loop,
            analysis,
            lambda: window.files.path or window.files.proposed_path,
        )
        self.focus_dialogs = [d for d in self.focus_dialogs if d.isVisible()] + [dialog]
        dialog.show()
        return dialog

    def _selected_boxes(self) -> dict[str, Rect]:
        sizes = self._sizes()
        variables = self.window.document.variables
        return {
            v: Rect(variables[v].x, variables[v].y, sizes[v][0] / 2, sizes[v][1] / 2)
            for v in self.window.scene.selected_variable_ids()
        }

    def align(self, how: str) -> bool:
        selected = self._selected_boxes()
        sizes = self._sizes()
        others = {
            v.id: Rect(v.x, v.y, sizes[v.id][0] / 2, sizes[v.id][1] / 2)
            for v in self.window.document.variables.values()
            if v.id not in selected
        }
        # The selection lines up clear of the variables around it, too.
        return self._move_with_links(align(selected, how, others=others), "Align")

    def distribute(self, axis: str) -> bool:
        return self._move_with_links(distribute(self._selected_boxes(), axis), "Distribute")

    def _move_with_links(self, moved: dict[str, tuple[float, float]], name: str) -> bool:
        """Move the variables to ``moved`` and bend the links the move disturbed clear of the
        variables they do not connect (:func:`~cld_editor.layout.moved_links.bends_after_move`),
        all as one undo step named ``name``."""
        document = self.window.document
        move = edits.move(document, moved, name=name) if moved else None
        if move is None:
            return False
        bends = bends_after_move(document.diagram, moved, self._sizes())
        if bends:
            changes = {link_id: {"curvature": c} for link_id, c in bends.items()}
            move = Batch((move, update_links(changes, name)), name)
        return self.window.scene.push(move)


def _arrange_menu(window: MainWindow) -> QMenu:
    """An "Arrange" menu placed after View (before Loops) in the window's menu bar."""
    bar = window.menuBar()
    after_view = next((a for a in bar.actions() if a.text().replace("&", "") == "Loops"), None)
    menu = QMenu("&Arrange", bar)
    menu.setObjectName("arrange_menu")
    menu.setToolTipsVisible(True)
    if after_view is not None:
        bar.insertMenu(after_view, menu)
    else:
        bar.addMenu(menu)
    return menu
