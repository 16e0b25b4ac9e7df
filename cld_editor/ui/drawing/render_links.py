"""The look of links: Qt paths built once per geometry change, and the paint functions for a
link (arc, arrowhead, delay mark, polarity sign) and its bend handle.

The canvas's link items and :mod:`cld_editor.ui.drawing.render_diagram` (exports) call the same
functions, so a link looks the same everywhere; the geometry comes from
:mod:`cld_editor.ui.drawing.link_layout`. Pens are cached: thousands of links share a handful.
Colours, fonts and sizes are the ones of :mod:`cld_editor.ui.drawing.render`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF, QStaticText

from cld_editor.ui.drawing import geometry as geo
from cld_editor.ui.drawing.render import (
    ACCENT,
    BACKGROUND,
    DETAIL_SCALE,
    INK,
    LINK_COLOUR,
    SIGN_ARM,
    SIGN_COLOURS,
    SIGN_HALO,
    SIGN_STROKE,
    SIGN_TEXT,
    faded,
    font,
)


@dataclass(frozen=True)
class LinkPaths:
    """Qt paths of one link, built once per geometry change."""

    geometry: geo.LinkGeometry
    line: QPainterPath
    overview: QPolygonF  # the line as a few straight pieces, for zoomed-out views
    arrow: QPolygonF
    delay: tuple[QLineF, QLineF]
    bounds: QRectF

    @property
    def ink(self) -> QRectF:
        """The line and arrowhead, without the room kept for the sign and the handle."""
        return self.line.boundingRect().united(self.arrow.boundingRect())


def link_paths(g: geo.LinkGeometry) -> LinkPaths:
    line = QPainterPath(QPointF(*g.start))
    for c1, c2, p in g.cubics:
        line.cubicTo(QPointF(*c1), QPointF(*c2), QPointF(*p))
    arrow = QPolygonF([QPointF(*p) for p in g.arrow])
    overview = QPolygonF([QPointF(*p) for p in geo.polyline(g.start, g.cubics, 4)])
    a, b, c, d = geo.delay_strokes(g.mid, g.mid_angle)
    delay = (QLineF(QPointF(*a), QPointF(*b)), QLineF(QPointF(*c), QPointF(*d)))
    bounds = line.boundingRect().united(arrow.boundingRect())
    sx, sy = g.sign_pos
    bounds = bounds.united(QRectF(sx - 9, sy - 10, 18, 20))
    bounds = bounds.united(QRectF(g.handle[0] - 8, g.handle[1] - 8, 16, 16))
    bounds = bounds.united(QRectF(g.mid[0] - 9, g.mid[1] - 9, 18, 18))
    return LinkPaths(g, line, overview, arrow, delay, bounds.adjusted(-3, -3, 3, 3))


def translated_paths(
    paths: LinkPaths, geometry: geo.LinkGeometry, dx: float, dy: float
) -> LinkPaths:
    """``paths`` moved by (dx, dy) to match ``geometry`` (the old one moved the same), without
    rebuilding the Qt paths (moving a whole selection)."""
    return LinkPaths(
        geometry,
        paths.line.translated(dx, dy),
        paths.overview.translated(dx, dy),
        paths.arrow.translated(dx, dy),
        (paths.delay[0].translated(dx, dy), paths.delay[1].translated(dx, dy)),
        paths.bounds.translated(dx, dy),
    )


def paint_link(
    painter: QPainter,
    paths: LinkPaths,
    polarity: str,
    delay: bool,
    *,
    selected: bool = False,
    dimmed: bool = False,
    highlighted: bool = False,
    show_sign: bool = True,
    static_text: bool = True,
    scale: float = 1.0,
) -> None:
    """Draw a link (scene coordinates): arc, arrowhead, delay mark and polarity sign.

    ``scale`` is the painter's device scale: when the line would be thinner than a device
    pixel, it is drawn as a one-pixel cosmetic line, which looks the same and rasterises several
    times faster (zoomed-out views of large diagrams)."""
    colour = ACCENT if selected else (INK if highlighted else LINK_COLOUR)
    colour = faded(colour, dimmed)
    width = 2.6 if highlighted else (2.0 if selected else 1.5)
    painter.setPen(_pen(colour, width, scale))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if scale >= DETAIL_SCALE:
        painter.drawPath(paths.line)
    else:
        # Zoomed out, a polyline is indistinguishable and rasterises about twice as fast.
        painter.drawPolyline(paths.overview)
        if scale * geo.ARROW_LENGTH < 2.0:
            return  # arrowheads, marks and signs would be specks
    if delay:
        painter.setPen(_pen(colour, max(width, 1.6), scale))
        painter.drawLine(paths.delay[0])
        painter.drawLine(paths.delay[1])
    painter.setPen(_pen(colour, 1.0, scale, join=True))
    painter.setBrush(colour)
    if highlighted:
        painter.drawPolygon(_scaled_arrow(paths))
    else:
        painter.drawPolygon(paths.arrow)
    if show_sign:
        paint_sign(painter, paths.geometry.sign_pos, polarity, dimmed, static_text=static_text)


_PENS: dict[tuple[int, float, bool, bool], QPen] = {}


def _pen(colour: QColor, width: float, scale: float, join: bool = False) -> QPen:
    """A flat-capped pen, cached (thousands of links share a handful of pens)."""
    cosmetic = width * scale < 1.0
    key = (colour.rgba(), width, cosmetic, join)
    pen = _PENS.get(key)
    if pen is None:
        pen = QPen(colour, 1.0 if cosmetic else width)
        pen.setCosmetic(cosmetic)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        if join:
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        _PENS[key] = pen
    return pen


def _scaled_arrow(paths: LinkPaths) -> QPolygonF:
    tip = paths.arrow[0]
    return QPolygonF([tip + (p - tip) * 1.25 for p in paths.arrow])


@lru_cache(maxsize=4)
def _sign_static(polarity: str) -> tuple[QStaticText, QPointF]:
    static = QStaticText(SIGN_TEXT[polarity])
    static.setTextFormat(Qt.TextFormat.PlainText)
    static.prepare(font=font(16, bold=True))
    size = static.size()
    return static, QPointF(-size.width() / 2, -size.height() / 2)


def sign_strokes(polarity: str, at: geo.Point) -> list[QLineF]:
    """The bars of a + or - sign centred on ``at`` (none for ?, which is a glyph)."""
    x, y = at
    arm = SIGN_ARM
    if polarity == "+":
        return [QLineF(x - arm, y, x + arm, y), QLineF(x, y - arm, x, y + arm)]
    if polarity == "-":
        return [QLineF(x - arm, y, x + arm, y)]
    return []


def paint_sign(
    painter: QPainter, at: geo.Point, polarity: str, dimmed: bool, *, static_text: bool = True
) -> None:
    colour = faded(SIGN_COLOURS.get(polarity, INK), dimmed)
    strokes = sign_strokes(polarity, at)
    if strokes:
        halo = QColor(BACKGROUND)
        halo.setAlphaF(0.75)
        painter.setPen(_sign_pen(faded(halo, dimmed), SIGN_STROKE + 2 * SIGN_HALO))
        painter.drawLines(strokes)
        painter.setPen(_sign_pen(colour, SIGN_STROKE))
        painter.drawLines(strokes)
        return
    centre = QPointF(*at)
    # The glyph's halo, as the bars have theirs: a line under the sign (a sign placed on its own
    # link, see sign_places) is broken around it.
    halo = QColor(BACKGROUND)
    halo.setAlphaF(0.75)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(faded(halo, dimmed))
    painter.drawRoundedRect(QRectF(centre.x() - 6, centre.y() - 8, 12, 16), 3, 3)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setFont(font(16, bold=True))
    painter.setPen(colour)
    if static_text:
        static, offset = _sign_static(polarity)
        painter.drawStaticText(centre + offset, static)
    else:
        box = QRectF(centre.x() - 10, centre.y() - 11, 20, 22)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, SIGN_TEXT[polarity])


_SIGN_PENS: dict[tuple[int, float], QPen] = {}


def _sign_pen(colour: QColor, width: float) -> QPen:
    key = (colour.rgba(), width)
    pen = _SIGN_PENS.get(key)
    if pen is None:
        pen = QPen(colour, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap if width > SIGN_STROKE else Qt.PenCapStyle.FlatCap)
        _SIGN_PENS[key] = pen
    return pen


def paint_bend_handle(painter: QPainter, at: geo.Point) -> None:
    painter.setPen(QPen(ACCENT, 1.5))
    painter.setBrush(QBrush(QColor("#ffffff")))
    painter.drawEllipse(QPointF(*at), 5.0, 5.0)


SIGN_HIT_RADIUS = 10.0
HANDLE_HIT_RADIUS = 8.0
