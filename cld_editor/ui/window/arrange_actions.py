"""The main window's Arrange menu and toolbar button: the automatic layouts of
:mod:`cld_editor.layout` (Loops, Layered, Organic, Iceberg) for the whole diagram or, when two
or more variables are selected, only for them (everything else stays put), plus Tidy Up,
Align and Distribute for the selection, and Focus on Loop (:mod:`.loop_focus`).

Each command is one undo step (an Op from the layout package pushed through ``scene.push``);
the boxes measured for layout are the canvas's own (label wrapping and font metrics from
``drawing.render``), so what the layout keeps apart stays apart on screen. The document changes
at once; the canvas items glide to their new places in a quarter second (:class:`Glide`), and
after a whole-diagram layout the view then fits the diagram.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractAnimation,
    QEasingCurve,
    QEvent,
    QObject,
    QPointF,
    Qt,
    QVariantAnimation,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QToolButton

from cld_editor.analysis.loops import Loop
from cld_editor.core import edits
from cld_editor.layout import STYLE_NAMES, STYLES, align, distribute, layout_op, plan, tidy
from cld_editor.layout.boxes import Rect
from cld_editor.ui.drawing import render
from cld_editor.ui.window.actions import make_action
from cld_editor.ui.window.loop_focus import LoopFocusDialog

if TYPE_CHECKING:
    from cld_editor.ui.window.main_window import MainWindow

STYLE_TIPS = {
    "loops": "Draw each loop as a round cycle, loops joined where they share variables",
    "layered": "Levels from left to right with few crossings; links running back curve around",
    "organic": "A force-directed layout, for large and loosely looped maps",
    "iceberg": "CX variables above the waterline, EX below, each band arranged in loops",
}
STYLE_KEYS = {"loops": "Ctrl+Shift+L"}
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
        self.button = QToolButton(window)
        self.button.setObjectName("arrange_toolbar_button")
        self.button.setDefaultAction(self.style_actions["loops"])
        self.button.setText("Arrange")
        self.button.setToolTip("Arrange the diagram as loops (menu: other layouts, align)")
        self.button.setMenu(self.menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        window.toolbar.addSeparator()
        window.toolbar.addWidget(self.button)
        self.glide = Glide(window)
        window.scene.selection_ids_changed.connect(self._sync)
        window.loops_panel.loop_selected.connect(self._sync)
        self._sync()

    def _action(self, text: str, slot, tip: str, shortcut: str | None = None) -> QAction:
        """A window action (its shortcut works wherever the window has focus) built as every
        other one is, by :func:`~cld_editor.ui.window.actions.make_action`."""
        action = make_action(self.window, text, slot, shortcut, tip)
        self.window.addAction(action)
        return action

    def _sync(self, *_args) -> None:
        count = len(self.window.scene.selected_variable_ids())
        scope = "the selection" if count >= 2 else "the diagram"
        for style, action in self.style_actions.items():
            action.setStatusTip(f"{STYLE_TIPS[style]} ({scope})")
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
        """Arrange the selection (two or more variables) or the whole diagram in ``style``."""
        window = self.window
        diagram = window.document.diagram
        if not diagram.variables:
            window.statusBar().showMessage("Nothing to arrange: the diagram is empty", 6000)
            return False
        selected = window.scene.selected_variable_ids()
        only = set(selected) if len(selected) >= 2 else None
        # Thousands of variables take seconds: say so with the cursor.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            layout = plan(diagram, style, only=only, sizes=self._sizes())
        finally:
            QApplication.restoreOverrideCursor()
        before = self._item_positions()
        if not window.scene.push(layout_op(diagram, layout)):
            window.statusBar().showMessage("Already arranged", 6000)
            return False
        count = len(layout.positions)
        what = f"{count} selected variables" if only else "the diagram"
        window.statusBar().showMessage(f"Arranged {what} ({STYLE_NAMES[style]})", 6000)
        self.glide.start(before, fit=only is None, in_sight=sorted(layout.positions))
        return True

    def tidy(self) -> bool:
        """Tidy Up the selection (two or more variables) or the whole diagram."""
        window = self.window
        diagram = window.document.diagram
        selected = window.scene.selected_variable_ids()
        only = set(selected) if len(selected) >= 2 else None
        layout = tidy(diagram, only=only, sizes=self._sizes())
        before = self._item_positions()
        if not window.scene.push(layout_op(diagram, layout)):
            window.statusBar().showMessage("Already tidy", 6000)
            return False
        window.statusBar().showMessage(f"Tidied {len(layout.positions)} variables", 6000)
        self.glide.start(before, fit=False, in_sight=sorted(layout.positions))
        return True

    def _item_positions(self) -> dict[str, QPointF]:
        scene = self.window.scene
        out = {}
        for record_id in [*self.window.document.variables, *self.window.document.loop_labels]:
            item = scene.item_for(record_id)
            if item is not None:
                out[record_id] = item.pos()
        return out

    def focus_loop(self, loop: Loop | None = None) -> LoopFocusDialog | None:
        """Open a Loop focus window on ``loop`` (by default the one selected in Loops)."""
        window = self.window
        loop = loop or window.loops_panel.selected_loop()
        if loop is None:
            window.statusBar().showMessage("Select a loop in the Loops panel first", 6000)
            return None
        if any(v not in window.document.variables for v in loop.variables):
            window.statusBar().showMessage(f"Loop {loop.name} is no longer in the diagram", 6000)
            return None
        dialog = LoopFocusDialog(window, window.document.diagram, loop, window.loops_panel.analysis)
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
        moved = align(self._selected_boxes(), how)
        if not moved:
            return False
        return self.window.scene.push(edits.move(self.window.document, moved, name="Align"))

    def distribute(self, axis: str) -> bool:
        moved = distribute(self._selected_boxes(), axis)
        if not moved:
            return False
        return self.window.scene.push(edits.move(self.window.document, moved, name="Distribute"))


class Glide(QObject):
    """Moves the canvas items of an arrangement from where they were to where the document now
    has them, in about a quarter second: only the items move (their links follow), the document
    changed at once. A press on the canvas, or a new glide, ends it at the final positions."""

    DURATION = 250

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.start_at: dict[str, QPointF] = {}
        self.fit = False
        self.in_sight: list[str] = []
        self.animation = QVariantAnimation(self)
        self.animation.setStartValue(0.0)
        self.animation.setEndValue(1.0)
        self.animation.setDuration(self.DURATION)
        self.animation.setEasingCurve(QEasingCurve.Type.OutCubic)
        self.animation.valueChanged.connect(self._step)
        self.animation.finished.connect(self.finish)
        window.view.viewport().installEventFilter(self)

    @property
    def running(self) -> bool:
        return self.animation.state() == QAbstractAnimation.State.Running

    def start(self, before: dict[str, QPointF], fit: bool, in_sight: list[str]) -> None:
        """Glide from ``before``; then fit the diagram (``fit``) or show ``in_sight``."""
        if self.running:
            self.animation.stop()
        self.start_at, self.fit, self.in_sight = before, fit, in_sight
        self.animation.start()
        self._step(0.0)

    def _targets(self) -> dict[str, QPointF]:
        document = self.window.document
        out = {}
        for record_id in self.start_at:
            record = document.variables.get(record_id) or document.loop_labels.get(record_id)
            if record is not None:
                out[record_id] = QPointF(record.x, record.y)
        return out

    def _step(self, value: object) -> None:
        t = float(value)  # type: ignore[arg-type]
        scene = self.window.scene
        with scene.moves_batched():
            for record_id, end in self._targets().items():
                item = scene.item_for(record_id)
                if item is not None:
                    start = self.start_at[record_id]
                    item.setPos(start + (end - start) * t)

    def finish(self) -> None:
        """Put every item where the document says (also when stopped early)."""
        if self.running:
            self.animation.stop()
        if not self.start_at:
            return
        self._step(1.0)
        self.start_at = {}
        moved = self.in_sight
        if self.fit:
            self.window.view.fit_diagram()
        elif moved:
            # A selection arranged: keep it in sight.
            scene = self.window.scene
            rects = [scene.item_for(i).sceneBoundingRect() for i in moved if scene.item_for(i)]
            if rects:
                area = rects[0]
                for rect in rects[1:]:
                    area = area.united(rect)
                self.window.view.ensureVisible(area, 40, 40)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress and self.start_at:
            self.finish()
        return False


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
