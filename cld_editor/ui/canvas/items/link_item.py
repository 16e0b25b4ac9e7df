"""LinkItem draws one causal link (arc, arrowhead, polarity sign, delay mark, bend handle), and
RubberLinkItem the provisional arrow that follows the mouse while a link is being drawn.

A LinkItem lives at the scene origin and paints in scene coordinates; the scene's link layout
(:mod:`cld_editor.ui.drawing.link_layout`) gives it new paths whenever either end moves or the
link's curvature changes, and the item caches them until the next change.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from cld_editor.core.model import DEFAULT_CURVATURE, Link
from cld_editor.ui.canvas.items.host import host_of
from cld_editor.ui.drawing import geometry as geo
from cld_editor.ui.drawing import render, render_links, render_overlays

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
        self.paths: render_links.LinkPaths | None = None
        self._shape: QPainterPath | None = None
        self._polyline: list[geo.Point] | None = None

    def apply(self, link: Link) -> None:
        """Take polarity, delay and curvature (the scene's link layout reshapes the arc)."""
        if (link.polarity, link.delay) != (self.polarity, self.delay):
            self.polarity, self.delay = link.polarity, link.delay
            self.update()
        self.curvature = link.curvature

    def set_paths(self, paths: render_links.LinkPaths) -> None:
        """New geometry, from the scene's :class:`link_layout.LinkLayout`."""
        self.prepareGeometryChange()
        self.paths = paths
        self._shape = None
        self._polyline = None

    @property
    def geometry(self) -> geo.LinkGeometry | None:
        return None if self.paths is None else self.paths.geometry

    def hits_sign(self, scene_pos: QPointF) -> bool:
        g = self.geometry
        if g is None:
            return False
        return math.dist(g.sign_pos, (scene_pos.x(), scene_pos.y())) <= render_links.SIGN_HIT_RADIUS

    def hits_handle(self, scene_pos: QPointF) -> bool:
        g = self.geometry
        if g is None or self.source_id == self.target_id:
            return False
        return math.dist(g.handle, (scene_pos.x(), scene_pos.y())) <= render_links.HANDLE_HIT_RADIUS

    def polyline(self) -> list[geo.Point]:
        """The drawn line as a fine polyline, start to arrow tip (empty before any paths)."""
        g = self.geometry
        if g is None:
            return []
        if self._polyline is None:
            self._polyline = render_overlays.link_polyline(g)
        return self._polyline

    def distance_to(self, scene_pos: QPointF) -> float:
        """How far ``scene_pos`` is from the drawn line or the arrowhead (0 inside it)."""
        g = self.geometry
        if g is None:
            return math.inf
        p = (scene_pos.x(), scene_pos.y())
        if self.paths is not None and self.paths.arrow.containsPoint(
            scene_pos, Qt.FillRule.OddEvenFill
        ):
            return 0.0
        line = self.polyline()
        arrow = [*g.arrow, g.arrow[0]]
        return min(
            _segment_distance(p, a, b)
            for points in (line, arrow)
            for a, b in itertools.pairwise(points)
        )

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
                    QPointF(*g.sign_pos), render_links.SIGN_HIT_RADIUS, render_links.SIGN_HIT_RADIUS
                )
                if self.source_id != self.target_id:
                    r = render_links.HANDLE_HIT_RADIUS
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
        render_links.paint_link(
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
            render_links.paint_bend_handle(painter, self.paths.geometry.handle)


def _segment_distance(p: geo.Point, a: geo.Point, b: geo.Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2
    t = max(0.0, min(1.0, t))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


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
        paths = render_links.link_paths(g)
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
