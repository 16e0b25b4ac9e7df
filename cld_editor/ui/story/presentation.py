"""Presentation mode: a story full screen, one step at a time, for a room.

The whole diagram is fitted to the screen (it never moves between steps), the parts a step
brings fade in, the caption sits below. The keys a presentation clicker sends step through it:
Right, Down, Space, Page Down, Enter (and a click) go forward; Left, Up, Page Up, Backspace
(and a right click) go back; Home and End jump; Esc leaves. A step with a what-if pulse plays
it once the step has faded in: pulses move along the links and badges appear as the change
arrives. Drawn by :class:`StorySlides`, like the exports.
"""

from __future__ import annotations

import math

from PySide6.QtCore import (
    QEasingCurve,
    QElapsedTimer,
    QSizeF,
    Qt,
    QTimer,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import QWidget

from cld_editor.analysis.loops import LoopAnalysis
from cld_editor.analysis.whatif import WhatIf, default_steps, propagate
from cld_editor.core.model import Diagram
from cld_editor.core.story import Story
from cld_editor.ui.story.slides import StorySlides
from cld_editor.ui.story.whatif_mode import STEP_SECONDS, TICK_MS, badges_at, pulses_at

FADE_MS = 500
FORWARD_KEYS = {
    Qt.Key.Key_Right,
    Qt.Key.Key_Down,
    Qt.Key.Key_Space,
    Qt.Key.Key_PageDown,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
    Qt.Key.Key_N,
}
BACK_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace, Qt.Key.Key_P}


class PresentationWindow(QWidget):
    """Shows ``story`` on ``diagram``; ``closed`` is emitted when it is left."""

    closed = Signal()

    def __init__(
        self,
        diagram: Diagram,
        story: Story,
        analysis: LoopAnalysis | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("presentation")
        self.setWindowTitle(f"{' '.join(diagram.title.split())} — presentation")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.slides = StorySlides(diagram, story, analysis)
        self.index = 0
        self.fade = 1.0
        self._fade = QVariantAnimation(self)
        self._fade.setStartValue(0.0)
        self._fade.setEndValue(1.0)
        self._fade.setDuration(FADE_MS)
        self._fade.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._fade.valueChanged.connect(self._on_fade)
        self._fade.finished.connect(self._start_pulse)
        self.run: WhatIf | None = None
        self.pulse_time = 0.0
        self._pulse_timer = QTimer(self)
        self._pulse_timer.setInterval(TICK_MS)
        self._pulse_timer.timeout.connect(self._tick)
        self._clock = QElapsedTimer()

    # -- stepping ------------------------------------------------------------------------
    def go_to(self, index: int, animate: bool = True) -> None:
        index = max(0, min(len(self.slides) - 1, index))
        changed = index != self.index
        self.index = index
        self._pulse_timer.stop()
        self.run = self._run_of(index)
        self.pulse_time = 0.0
        if animate and changed:
            self.fade_in()
        else:
            self.fade = 1.0
            self._start_pulse()
        self.update()

    def fade_in(self) -> None:
        """Fade the current step's new parts in (then play its pulse, if any)."""
        self._fade.stop()
        self.fade = 0.0
        self._fade.start()
        self.update()

    def next_step(self) -> None:
        if self.index < len(self.slides) - 1:
            self.go_to(self.index + 1)

    def previous_step(self) -> None:
        if self.index > 0:
            self.go_to(self.index - 1)

    def _run_of(self, index: int) -> WhatIf | None:
        pulse = self.slides.story.steps[index].whatif
        diagram = self.slides.diagram
        if pulse is None or pulse.variable not in {v.id for v in diagram.variables}:
            return None
        loops = self.slides.analysis.loops if self.slides.analysis else None
        steps = pulse.steps or default_steps(diagram, pulse.variable, pulse.direction, loops)
        return propagate(diagram, pulse.variable, pulse.direction, steps)

    def _on_fade(self, value: object) -> None:
        self.fade = float(value)  # type: ignore[arg-type]
        self.update()

    def _start_pulse(self) -> None:
        if self.run is not None and self.run.count and not self._pulse_timer.isActive():
            self._clock.start()
            self._pulse_timer.start()

    def _tick(self) -> None:
        if self.run is None:
            self._pulse_timer.stop()
            return
        self.pulse_time += self._clock.restart() / 1000.0 / STEP_SECONDS
        if self.pulse_time >= self.run.count:
            self.pulse_time = float(self.run.count)
            self._pulse_timer.stop()
        self.update()

    # -- Qt ------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.close()
        elif key in FORWARD_KEYS:
            self.next_step()
        elif key in BACK_KEYS:
            self.previous_step()
        elif key == Qt.Key.Key_Home:
            self.go_to(0)
        elif key == Qt.Key.Key_End:
            self.go_to(len(self.slides) - 1)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.next_step()
        elif event.button() == Qt.MouseButton.RightButton:
            self.previous_step()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        badges = None
        pulses: list = []
        if self.run is not None:
            step = math.floor(self.pulse_time + 1e-9)
            badges = {v: d for v, (d, _fresh) in badges_at(self.run, step).items()}
            pulses = pulses_at(self.run, self.pulse_time)
        self.slides.paint(
            painter,
            self.index,
            fade=self.fade,
            badges=badges if self.run is not None else {},
            pulses=pulses,
            size=QSizeF(self.width(), self.height()),
        )
        painter.end()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._fade.stop()
        self._pulse_timer.stop()
        self.closed.emit()
        super().closeEvent(event)


def present(
    diagram: Diagram, story: Story, analysis: LoopAnalysis | None, parent: QWidget | None = None
) -> PresentationWindow:
    """Open the presentation full screen at the first step (the caller keeps it alive)."""
    window = PresentationWindow(diagram, story, analysis, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    window.go_to(0, animate=False)
    window.fade_in()  # the first step fades in too
    # The screen the editor is on, and its size before asking for full screen: without a window
    # manager that honours full screen the window would otherwise open at its minimum size.
    screen = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
    if screen is not None:
        window.setGeometry(screen.geometry())
    window.showFullScreen()
    window.activateWindow()
    window.setFocus()
    return window
