"""Alignment guides while dragging variables: the dragged variable snaps to the centres and
edges of the other variables (within a few view pixels), and guide lines show what it lines up
with. Holding Alt while dragging turns snapping off.

The geometry is Qt-free (:func:`cld_editor.layout.snap`); this module only reads the boxes of the
items, shifts the dragged selection by the snap offset after Qt has moved it, and draws the
guides as one item. Qt moves a dragged selection to its start positions plus the mouse's travel
at every step, so the shift never accumulates; the drag's single Move op, pushed on release,
records the snapped positions.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from cld_editor.layout import snap
from cld_editor.layout.boxes import Rect
from cld_editor.ui.canvas.host import Canvas
from cld_editor.ui.canvas.items import VariableItem
from cld_editor.ui.canvas.tools.picking import view_scale

#: How close (view pixels) an edge or centre must come to another's to snap to it.
SNAP_PIXELS = 6.0
GUIDE_COLOUR = QColor(31, 111, 224, 200)


class GuideItem(QGraphicsItem):
    """The guide lines of a drag in progress (drawn one pixel wide at any zoom)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[QLineF] = []
        self.setZValue(60)  # above variables and labels, below the label editor
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_lines(self, lines: list[QLineF]) -> None:
        if lines != self.lines:
            self.prepareGeometryChange()
            self.lines = lines
            self.update()

    def boundingRect(self) -> QRectF:
        if not self.lines:
            return QRectF()
        xs = [x for line in self.lines for x in (line.x1(), line.x2())]
        ys = [y for line in self.lines for y in (line.y1(), line.y2())]
        return QRectF(min(xs) - 2, min(ys) - 2, max(xs) - min(xs) + 4, max(ys) - min(ys) + 4)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        pen = QPen(GUIDE_COLOUR, 1.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.drawLines(self.lines)


class DragSnap:
    """Snapping for the drag of a selection that started on ``anchor`` (a variable)."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.anchor: VariableItem | None = None
        self.guides: GuideItem | None = None

    def press(self, event: QGraphicsSceneMouseEvent) -> None:
        """A press that Qt handles: remember the variable under it (a drag may follow)."""
        self.clear()
        if event.button() == Qt.MouseButton.LeftButton:
            self.anchor = self.canvas.variable_item_at(event.scenePos())

    def moved(self, event: QGraphicsSceneMouseEvent) -> None:
        """After Qt moved the selection: snap it, and show the guides (Alt: neither)."""
        anchor = self.anchor
        if (
            anchor is None
            or not anchor.isSelected()
            or not event.buttons() & Qt.MouseButton.LeftButton
        ):
            return
        if event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self._show([])
            return
        canvas = self.canvas
        moving = set(canvas.selected_variable_ids())
        others = []
        for variable_id in canvas.document.variables:
            item = canvas.item_for(variable_id)
            if variable_id not in moving and isinstance(item, VariableItem):
                others.append(_rect(item))
        threshold = SNAP_PIXELS / view_scale(event.widget())
        dx, dy, guides = snap(_rect(anchor), others, threshold)
        if dx or dy:
            for record_id in [*moving, *canvas.selected_label_ids()]:
                item = canvas.item_for(record_id)
                if item is not None:
                    item.moveBy(dx, dy)
        self._show(
            [
                QLineF(g.at, g.start, g.at, g.end)
                if g.vertical
                else QLineF(g.start, g.at, g.end, g.at)
                for g in guides
            ]
        )

    def _show(self, lines: list[QLineF]) -> None:
        if self.guides is None:
            if not lines:
                return
            self.guides = GuideItem()
            self.canvas.addItem(self.guides)
        self.guides.set_lines(lines)

    def clear(self) -> None:
        """The drag ended (or never started): no guides, no anchor."""
        self.anchor = None
        if self.guides is not None:
            self.canvas.removeItem(self.guides)
            self.guides = None


def _rect(item: VariableItem) -> Rect:
    box = item.box()
    return Rect(box.cx, box.cy, box.hw, box.hh)
