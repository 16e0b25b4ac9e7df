"""LoopLabelItem: a loop's marker on the canvas (circular arrow turning the way the loop runs,
the loop's name inside, its custom name below), grey and dashed when the loop no longer exists.

The scene computes the look (``render_overlays.loop_label_look``) from the document and the latest
analysis and hands it over; the item is movable (the scene pushes one op on release), and its
whole area takes the press and the hover, also where it lies over a variable.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from cld_editor.core.model import LoopLabel
from cld_editor.ui.canvas.items.host import host_of
from cld_editor.ui.canvas.items.variable_item import place_exactly
from cld_editor.ui.drawing import render_overlays as render

Flag = QGraphicsItem.GraphicsItemFlag


class LoopLabelItem(QGraphicsItem):
    def __init__(self, label: LoopLabel) -> None:
        super().__init__()
        self.label_id = label.id
        self.record = label
        self.setFlags(Flag.ItemIsSelectable | Flag.ItemIsMovable)
        self.setZValue(20.0)
        # The whole label is a handle: it takes the hover (no link ring shows on a variable
        # under it) and the press (see tools.picking), and its cursor says it moves.
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.SizeAllCursor)
        self.dimmed = False
        self.look = render.LoopLabelLook("", "", "reinforcing", True, False)
        self._bounds = render.loop_label_rect(self.look)
        self.setPos(label.x, label.y)

    def apply(self, label: LoopLabel) -> None:
        self.record = label
        place_exactly(self, label.x, label.y)

    def set_look(self, look: render.LoopLabelLook) -> None:
        if look != self.look:
            self.prepareGeometryChange()
            self.look = look
            self._bounds = render.loop_label_rect(look)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Any = None
    ) -> None:
        host = host_of(self)
        selected = self.isSelected() and not (host is not None and host.export_mode)
        render.paint_loop_label(painter, self.look, selected=selected, dimmed=self.dimmed)
