"""The glide after an Arrange or Tidy Up, and after its undo or redo: the canvas items move from
where they were to where the document now has them in about a quarter second, then the view fits
the diagram or keeps the arranged variables in sight. Only the items move (their links follow);
the document changed at once, in one undo step. :class:`ArrangeCommand` is that undo step: undone
or redone, it glides and re-fits the view as the command itself did, so undoing an Arrange of a
whole diagram shows the whole diagram as it was, not the stretch of it the arranged view framed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractAnimation,
    QEasingCurve,
    QEvent,
    QObject,
    QPointF,
    QVariantAnimation,
)

from cld_editor.core.document import Document, OpError
from cld_editor.core.ops import Op
from cld_editor.ui.undo import OpCommand

if TYPE_CHECKING:
    from cld_editor.ui.window.main_window import MainWindow


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

    def item_positions(self) -> dict[str, QPointF]:
        """Where the canvas items of every variable and loop label are now."""
        scene, document = self.window.scene, self.window.document
        out = {}
        for record_id in [*document.variables, *document.loop_labels]:
            item = scene.item_for(record_id)
            if item is not None:
                out[record_id] = item.pos()
        return out

    def push(self, op: Op | None, fit: bool, in_sight: list[str]) -> bool:
        """Apply ``op`` (an arrangement) as one undo step and glide to it; False (and nothing
        changed) for None or an op the document refuses."""
        window = self.window
        document = window.document
        if op is None:
            return False
        before = self.item_positions()
        # The items follow the document to the new places, then the glide puts them back where
        # they were: in one batch, the links are re-drawn once, not twice (a third of a second
        # saved on 1,000 variables).
        with window.scene.moves_batched():
            try:
                inverse = document.apply(op)
            except OpError:
                return False
            window.undo_stack.push(ArrangeCommand(document, op, inverse, self, fit, in_sight))
            self.start(before, fit, in_sight)
        return True

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
        with scene.moves_batched(live=t < 1.0):
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


class ArrangeCommand(OpCommand):
    """An Arrange, Tidy Up or their like on the undo stack: undone or redone, the items glide
    to where the document then has them, and the view fits the diagram (``fit``) or keeps
    ``in_sight`` in sight, as after the command itself."""

    def __init__(
        self,
        document: Document,
        op: Op,
        inverse: Op,
        glide: Glide,
        fit: bool,
        in_sight: list[str],
    ) -> None:
        super().__init__(document, op, applied_inverse=inverse)
        self.glide, self.fit, self.in_sight = glide, fit, in_sight

    def redo(self) -> None:
        if self._skip_first_redo:  # pushed already applied: Glide.push glides itself
            super().redo()
            return
        self._gliding(super().redo)

    def undo(self) -> None:
        self._gliding(super().undo)

    def _gliding(self, change) -> None:
        # "Arranged the diagram (...)" no longer describes what is shown; other news stays.
        bar = self.glide.window.statusBar()
        if bar.currentMessage().startswith(("Arranged ", "Tidied ")):
            bar.clearMessage()
        before = self.glide.item_positions()
        with self.glide.window.scene.moves_batched():
            change()
            self.glide.start(before, self.fit, self.in_sight)
