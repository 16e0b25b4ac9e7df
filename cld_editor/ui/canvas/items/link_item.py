"""LinkItem draws one causal link (arc, arrowhead, polarity sign, delay mark, bend handle), and
RubberLinkItem the provisional arrow that follows the mouse while a link is being drawn.

A LinkItem lives at the scene origin and paints in scene coordinates; the scene's link layout
(:mod:`cld_editor.ui.drawing.link_layout`) gives it new paths whenever either end moves or the
link's curvature changes, and the item caches them until the next change.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from cld_editor.core.model import DEFAULT_CURVATURE, Link
from cld_editor.ui.canvas.items.host import host_of
from cld_editor.ui.drawing import geometry as geo
from cld_editor.ui.drawing import render

Flag = QGraphicsItem.GraphicsItemFlag


class LinkItem(QGraphicsItem):
    """One link; ``set_paths`` gives it its geometry."""

    def __init__(self, link: Link) -> None:
        super().__init__()
        self.link_id = link.id
        self.source_id = link.source
        self.target_id = link.target
        self.setFlags(Flag.ItemIsSelectable)
        self.setZValue(0.0)
        self.polarity = link.polarity
        self.delay = link.delay
        self.curvature = link.curvature
        self.dimmed = False
        self.highlighted = False
        self.paths: render.LinkPaths | None = None
        self._shape: QPainterPath | None = None

    def apply(self, link: Link) -> None:
        """Take polarity, delay and curvature (the scene's link layout reshapes the arc)."""
        if (link.polarity, link.delay) != (self.polarity, self.delay):
            self.polarity, self.delay = link.polarity, link.delay
            self.update()
        self.curvature = link.curvature

    def set_paths(self, paths: render.LinkPaths) -> None:
        """New geometry, from the scene's :class:`link_layout.LinkLayout`."""
        self.prepareGeometryChange()
        self.paths = paths
        self._shape = None

    @property
    def geometry(self) -> geo.LinkGeometry | None:
        return None if self.paths is None else self.paths.geometry

    def hits_sign(self, scene_pos: QPointF) -> bool:
        g = self.geometry
        if g is None:
            return False
        return math.dist(g.sign_pos, (scene_pos.x(), scene_pos.y())) <= render.SIGN_HIT_RADIUS

    def hits_handle(self, scene_pos: QPointF) -> bool:
        g = self.geometry
        if g is None or self.source_id == self.target_id:
            return False
        return math.dist(g.handle, (scene_pos.x(), scene_pos.y())) <= render.HANDLE_HIT_RADIUS

    # -- QGraphicsItem ------------------------------------------------------------------------
    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            # A selected link comes above the other links, so its handle can be grabbed.
            self.setZValue(5.0 if value else 0.0)
        return super().itemChange(change, value)

    def boundingRect(self) -> QRectF:
        return QRectF() if self.paths is None else self.paths.bounds

    def shape(self) -> QPainterPath:
        if self._shape is None:
            path = QPainterPath()
            if self.paths is not None:
                stroker = QPainterPathStroker()
                stroker.setWidth(9.0)
                path = stroker.createStroke(self.paths.line)
                path.addPolygon(self.paths.arrow)
                g = self.paths.geometry
                path.addEllipse(
                    QPointF(*g.sign_pos), render.SIGN_HIT_RADIUS, render.SIGN_HIT_RADIUS
                )
                if self.source_id != self.target_id:
                    r = render.HANDLE_HIT_RADIUS
                    path.addEllipse(QPointF(*g.handle), r, r)
                path.setFillRule(Qt.FillRule.WindingFill)
            self._shape = path
        return self._shape

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Any = None
    ) -> None:
        if self.paths is None:
            return
        host = host_of(self)
        selected = self.isSelected() and not (host is not None and host.export_mode)
        scale = painter.worldTransform().m11()
        render.paint_link(
            painter,
            self.paths,
            self.polarity,
            self.delay,
            selected=selected,
            dimmed=self.dimmed,
            highlighted=self.highlighted,
            show_sign=scale >= render.DETAIL_SCALE,
            scale=scale,
        )
        if selected and self.source_id != self.target_id:
            render.paint_bend_handle(painter, self.paths.geometry.handle)


class RubberLinkItem(QGraphicsItem):
    """The dashed arrow shown while dragging out a new link."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(50.0)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._path = QPainterPath()
        self._arrow = QPolygonF()
        self._bounds = QRectF()
        self.refused = False

    def show_free(self, source: geo.Box, to: QPointF) -> None:
        """From the source's outline towards a free point (no target under the mouse)."""
        self.refused = False
        target = geo.Box(to.x(), to.y(), 0.5, 0.5, 0.0)
        if source.contains(to.x(), to.y()):
            self._set(None)
            return
        curvature = 0.0
        self._set(geo.link_geometry(source, target, curvature))

    def show_to(self, source: geo.Box, target: geo.Box, refused: bool = False) -> None:
        """Exactly where the link will be drawn (snapped onto a target); ``refused`` draws it
        red (there is such a link already)."""
        self.refused = refused
        self._set(geo.link_geometry(source, target, DEFAULT_CURVATURE))

    def _set(self, g: geo.LinkGeometry | None) -> None:
        self.prepareGeometryChange()
        if g is None:
            self._path, self._arrow, self._bounds = QPainterPath(), QPolygonF(), QRectF()
            return
        paths = render.link_paths(g)
        self._path, self._arrow = paths.line, paths.arrow
        self._bounds = paths.line.boundingRect().united(paths.arrow.boundingRect())
        self._bounds.adjust(-4, -4, 4, 4)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Any = None
    ) -> None:
        colour = QColor(render.REFUSED if self.refused else render.ACCENT)
        painter.setPen(QPen(colour, 1.8, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        painter.setPen(QPen(colour, 1.0))
        painter.setBrush(colour)
        painter.drawPolygon(self._arrow)
