"""VariableItem: a variable's rounded box with its wrapped label, domain colour and CX/EX badge.

The label layout is cached per label text (``render.variable_shape``), so painting never lays
text out. The item is movable by Qt's standard drag (the tool turns the drag into one Move op on
release) and tells its host (:class:`~cld_editor.ui.canvas.items.host.ItemHost`) whenever it
moves, so its links follow live. Hovering shows a ring that turns solid near the outline, where a
press starts a link (see :mod:`cld_editor.ui.canvas.tools`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneHoverEvent, QStyleOptionGraphicsItem

from cld_editor.core.model import Variable
from cld_editor.ui.canvas.items.host import host_of
from cld_editor.ui.drawing import geometry as geo
from cld_editor.ui.drawing import render

Flag = QGraphicsItem.GraphicsItemFlag


def place_exactly(item: QGraphicsItem, x: float, y: float) -> None:
    """Put ``item`` at (x, y) exactly. A finished drag leaves an item at its place plus float
    error (Qt adds the mouse's travel and takes it away); the document's rounded place must
    replace it, but ``setPos`` ignores a change that QPointF's fuzzy == calls none, so such an
    item goes by another point first (its links only follow the last one in a batch)."""
    pos = item.pos()
    if (pos.x(), pos.y()) == (x, y):
        return
    if pos == QPointF(x, y):
        item.setPos(x + 1.0, y)
    item.setPos(x, y)


class VariableItem(QGraphicsItem):
    """Draws one variable centred on its position."""

    def __init__(self, variable: Variable) -> None:
        super().__init__()
        self.variable_id = variable.id
        self.setFlags(Flag.ItemIsSelectable | Flag.ItemIsMovable | Flag.ItemSendsGeometryChanges)
        self.setAcceptHoverEvents(True)
        self.setZValue(10.0)
        self.dimmed = False
        self.highlighted = False
        self.editing = False
        self.ring: str | None = None  # None, "hover" or "edge"
        self.label = ""
        self.domain: str | None = None
        self.layout: render.VariableShape = render.variable_shape("")
        self._bounds = QRectF()
        self._shape: QPainterPath | None = None
        self.apply(variable)

    def apply(self, variable: Variable) -> None:
        """Take the record's label, domain and position."""
        if variable.label != self.label or self._bounds.isNull():
            self.prepareGeometryChange()
            self.label = variable.label
            self.layout = render.variable_shape(variable.label)
            self._bounds = render.variable_paint_rect(self.layout)
            self._shape = None
        if variable.domain != self.domain:
            self.domain = variable.domain
            self.update()
        place_exactly(self, variable.x, variable.y)

    def box(self) -> geo.Box:
        pos = self.pos()
        return self.layout.box(pos.x(), pos.y())

    def in_border_zone(self, scene_pos: QPointF) -> bool:
        """Whether ``scene_pos`` lies within BORDER_ZONE of the outline (inside or outside)."""
        box = self.box()
        zone = render.BORDER_ZONE
        outer = geo.Box(box.cx, box.cy, box.hw + zone, box.hh + zone, box.radius + zone)
        inner_r = max(box.radius - zone, 0.0)
        inner = geo.Box(box.cx, box.cy, box.hw - zone, box.hh - zone, inner_r)
        x, y = scene_pos.x(), scene_pos.y()
        return outer.contains(x, y) and not inner.contains(x, y)

    def in_box(self, scene_pos: QPointF) -> bool:
        return self.box().contains(scene_pos.x(), scene_pos.y())

    # -- QGraphicsItem ------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._shape is None:
            path = QPainterPath()
            zone = render.BORDER_ZONE
            radius = render.CORNER_RADIUS + zone
            path.addRoundedRect(self.layout.rect.adjusted(-zone, -zone, zone, zone), radius, radius)
            self._shape = path
        return self._shape

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Any = None
    ) -> None:
        scale = painter.worldTransform().m11()
        host = host_of(self)
        plain = host is not None and host.export_mode
        render.paint_variable(
            painter,
            self.layout,
            self.domain,
            selected=self.isSelected() and not plain,
            dimmed=self.dimmed,
            highlighted=self.highlighted,
            show_text=not self.editing and scale >= render.DETAIL_SCALE,
        )
        if self.ring is not None and not self.isSelected() and not plain:
            render.paint_link_ring(painter, self.layout, self.ring == "edge")

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            host = host_of(self)
            if host is not None:
                host.variable_item_moved(self)
        return super().itemChange(change, value)

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        scene = host_of(self)
        if scene is None:
            return
        edge = scene.tool_name() == "link" or self.in_border_zone(event.scenePos())
        edge = edge or bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        ring = "edge" if edge else "hover"
        if ring != self.ring:
            self.ring = ring
            self.setCursor(Qt.CursorShape.CrossCursor if edge else Qt.CursorShape.ArrowCursor)
            if edge:
                scene.status_message.emit("Drag to another variable to draw a link")
            self.update()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.clear_ring()

    def clear_ring(self) -> None:
        """Drop the hover ring and its cursor (the mouse left, or a link drawn from here took
        over the feedback: no hover event says so while the tool holds the mouse)."""
        if self.ring is not None:
            self.ring = None
            self.unsetCursor()
            self.update()
