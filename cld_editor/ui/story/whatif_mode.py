"""What If mode on the canvas: a change travelling through the diagram, played, paused and
stepped, drawn by one overlay item that this controller adds to the scene.

:class:`WhatIfController` runs :func:`cld_editor.analysis.whatif.propagate` and keeps a time
position (in steps, fractional while pulses travel). :class:`WhatIfOverlay` paints, at that
time, a moving pulse on every link a change is travelling along and a ▲ / ▼ / ? badge on every
variable that has changed (the latest change strong, older ones faded). The overlay has an
empty shape, so clicks, hovers and rubber bands go through to the diagram, and its geometry
comes from the export layout (:class:`DiagramLayout`), which is the canvas's geometry. Nothing
here changes the document or touches the undo stack: an edit made meanwhile re-runs the change
from the edited diagram (or ends the mode when the start variable is gone).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import shiboken6
from PySide6.QtCore import QElapsedTimer, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from cld_editor.analysis.loops import Loop
from cld_editor.analysis.whatif import (
    Direction,
    StartDirection,
    WhatIf,
    default_steps,
    propagate,
)
from cld_editor.analysis.whatif_caption import caption
from cld_editor.core import events as ev
from cld_editor.core.document import Document
from cld_editor.ui.drawing.render_diagram import DiagramLayout
from cld_editor.ui.story import whatif_paint

#: Seconds a change takes along one (undelayed) link while playing.
STEP_SECONDS = 0.9
TICK_MS = 30
#: Badges of changes older than the current step are drawn this faint.
OLD_BADGE_OPACITY = 0.55
OVERLAY_Z = 1_000.0


def badges_at(run: WhatIf, step: int) -> dict[str, tuple[Direction, bool]]:
    """Each variable's latest change up to ``step``: (direction, whether it is this step's)."""
    out: dict[str, tuple[Direction, bool]] = {}
    for t in range(0, min(step, run.count) + 1):
        for variable, change in run.changes_at(t).items():
            out[variable] = (change, t == step)
    return out


def pulses_at(run: WhatIf, time: float) -> list[tuple[str, float, Direction]]:
    """(link id, progress 0..1, direction) of the pulses travelling at ``time``."""
    if time <= 0 or time >= run.count or time == math.floor(time):
        return []
    step = math.floor(time) + 1
    return [
        (p.link, (time - p.sent) / (p.arrives - p.sent), p.direction) for p in run.in_flight(step)
    ]


class WhatIfOverlay(QGraphicsItem):
    """Paints the pulses and badges a :class:`WhatIfController` asks for; never hit."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(OVERLAY_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self._bounds = QRectF()
        self._layout: DiagramLayout | None = None
        self._positions: dict[str, QRectF] = {}
        self._places: whatif_paint.BadgePlaces | None = None
        self._badges: dict[str, tuple[Direction, bool]] = {}
        self._pulses: list[tuple[str, float, Direction]] = []

    def set_layout(
        self, layout: DiagramLayout, boxes: dict[str, QRectF], delayed: Iterable[str] = ()
    ) -> None:
        self.prepareGeometryChange()
        self._layout = layout
        self._positions = boxes
        self._places = whatif_paint.BadgePlaces(layout, boxes, delayed)
        self._bounds = layout.content.adjusted(-30, -30, 30, 30)
        self.update()

    def show_state(
        self, badges: dict[str, tuple[Direction, bool]], pulses: list[tuple[str, float, Direction]]
    ) -> None:
        """Show these badges and pulses, repainting only where they were and where they go
        (a whole-diagram repaint every frame would cost a large diagram its frame rate)."""
        before = self._dirty_rect()
        self._badges, self._pulses = badges, pulses
        self.update(before.united(self._dirty_rect()))

    def _dirty_rect(self) -> QRectF:
        rect = QRectF()
        if self._layout is None:
            return rect
        reach = whatif_paint.PULSE_RADIUS + 6
        for link_id, progress, _direction in self._pulses:
            paths = self._layout.links.get(link_id)
            if paths is not None:
                at = whatif_paint.pulse_point(paths.line, progress)
                rect = rect.united(QRectF(at.x() - reach, at.y() - reach, 2 * reach, 2 * reach))
        for variable_id in self._badges:
            centre = self._places.centre(variable_id) if self._places is not None else None
            if centre is not None:
                rect = rect.united(whatif_paint.badge_rect(centre))
        return rect

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return QPainterPath()  # nothing to hit: the diagram underneath gets every click

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self._layout is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for link_id, progress, direction in self._pulses:
            paths = self._layout.links.get(link_id)
            if paths is not None:
                at = whatif_paint.pulse_point(paths.line, progress)
                whatif_paint.paint_pulse(painter, at, direction)
        for variable_id, (direction, fresh) in self._badges.items():
            centre = self._places.centre(variable_id) if self._places is not None else None
            if centre is not None:
                whatif_paint.paint_badge(
                    painter,
                    centre,
                    direction,
                    1.0 if fresh else OLD_BADGE_OPACITY,
                )


class WhatIfController(QObject):
    """Plays a what-if run on ``scene``. ``loops`` gives the latest loop analysis's loops
    (for captions and the default number of steps)."""

    changed = Signal()  # the time, the run or the caption changed
    playing_changed = Signal(bool)
    ended = Signal()  # the mode ended (stop(), or the start variable was deleted)

    def __init__(
        self,
        scene: QGraphicsScene,
        document: Document,
        loops: Callable[[], Sequence[Loop] | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.scene = scene
        self.document = document
        self._loops = loops
        self.run: WhatIf | None = None
        self.time = 0.0
        self._requested_steps: int | None = None
        self._overlay: WhatIfOverlay | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._clock = QElapsedTimer()
        document.subscribe(self._on_document_event)

    # -- state ---------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.run is not None

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def step(self) -> int:
        return math.floor(self.time + 1e-9)

    def caption(self) -> str:
        if self.run is None:
            return ""
        loops = self._loops() or ()
        return caption(self.run, self.step, self.document.diagram, loops)

    # -- commands ------------------------------------------------------------------------
    def start(self, variable: str, direction: StartDirection, steps: int | None = None) -> None:
        """Begin at step 0 (paused) with ``variable`` changing in ``direction``."""
        self._requested_steps = steps
        self.time = 0.0
        self._compute(variable, direction)
        self._show()

    def stop(self) -> None:
        """Leave the mode: the overlay goes, the document was never touched."""
        was_active = self.active
        self.pause()
        self.run = None
        overlay, self._overlay = self._overlay, None
        if overlay is not None and shiboken6.isValid(overlay) and overlay.scene() is self.scene:
            self.scene.removeItem(overlay)
        if was_active:
            self.ended.emit()
            self.changed.emit()

    def play(self) -> None:
        if self.run is None or self.playing:
            return
        if self.time >= self.run.count:
            self.time = 0.0  # played to the end: Play starts again
        self._clock.start()
        self._timer.start()
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self.playing_changed.emit(False)

    def step_forward(self) -> None:
        """To the next whole step (finishing the pulses on their way)."""
        if self.run is not None:
            self.pause()
            self.seek(min(self.run.count, self.step + 1))

    def step_back(self) -> None:
        if self.run is not None:
            self.pause()
            whole = self.step
            self.seek(max(0, whole - 1 if self.time == whole else whole))

    def seek(self, time: float) -> None:
        if self.run is None:
            return
        self.time = max(0.0, min(float(self.run.count), time))
        self._show()

    def detach(self) -> None:
        self.stop()
        self.document.unsubscribe(self._on_document_event)

    # -- internals -----------------------------------------------------------------------
    def _compute(self, variable: str, direction: StartDirection) -> None:
        diagram = self.document.diagram
        loops = self._loops()
        steps = self._requested_steps or default_steps(diagram, variable, direction, loops)
        self.run = propagate(diagram, variable, direction, steps)
        self.time = min(self.time, float(self.run.count))
        layout = DiagramLayout.of(diagram, None)
        boxes = {v.id: layout.shapes[v.id].rect.translated(v.x, v.y) for v in diagram.variables}
        if self._overlay is None or not shiboken6.isValid(self._overlay):
            self._overlay = WhatIfOverlay()
        if self._overlay.scene() is not self.scene:
            self.scene.addItem(self._overlay)
        delayed = [link.id for link in diagram.links if link.delay]
        self._overlay.set_layout(layout, boxes, delayed)

    def _show(self) -> None:
        if self.run is None or self._overlay is None:
            return
        self._overlay.show_state(badges_at(self.run, self.step), pulses_at(self.run, self.time))
        self.changed.emit()

    def _tick(self) -> None:
        if self.run is None:
            self._timer.stop()
            return
        elapsed = self._clock.restart() / 1000.0
        before = self.step
        self.time = min(float(self.run.count), self.time + elapsed / STEP_SECONDS)
        self._show()
        if self.time >= self.run.count:
            self.pause()
        elif self.step != before:
            self.changed.emit()

    def _on_document_event(self, event: ev.Event) -> None:
        if self.run is None:
            return
        if isinstance(event, ev.DocumentReset) or self.run.start not in self.document.variables:
            self.stop()
            return
        self._compute(self.run.start, self.run.direction)
        self._show()
