"""The look of a diagram: colours, fonts, pens and the paint functions for every kind of record.

One renderer serves the canvas and the exports (issue 4): the canvas items call these functions
from their ``paint`` with their cached layout and their view state (selected, dimmed, highlighted)
passed explicitly, and :mod:`cld_editor.ui.drawing.render_diagram` calls the same functions to draw a
whole Diagram on any QPainter (PNG, SVG, PDF) with no selection. Text layout is expensive, so a
variable's label is laid out once per label (:func:`variable_shape`, cached) and painted from a
QStaticText on screen, or line by line with ``drawText`` when ``static_text=False`` so that SVG
and PDF keep real, searchable text. All sizes are scene units (pixels at 100 %). Loop labels and the
waterline are drawn by :mod:`cld_editor.ui.drawing.render_overlays`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QStaticText,
    QTextLayout,
    QTextOption,
)

from cld_editor.ui.drawing import geometry as geo

# -- style ------------------------------------------------------------------------------------
FONT_FAMILY = "Sans Serif"
LABEL_PIXEL_SIZE = 13
WRAP_WIDTH = 132.0
PAD_X, PAD_Y = 11.0, 7.0
MIN_WIDTH, MIN_HEIGHT = 64.0, 30.0
CORNER_RADIUS = 9.0
BORDER_ZONE = 6.0
#: Below this zoom, text (labels, badges, polarity signs) would be under ~5 pixels high and
#: unreadable: the canvas leaves it out, which also keeps overviews of big diagrams fast.
DETAIL_SCALE = 0.4  # how close to a variable's outline a press starts a link (select mode)

INK = QColor("#2b323b")
LINK_COLOUR = QColor("#56606c")
ACCENT = QColor("#1f6fe0")
REFUSED = QColor("#c0392b")
DIM_ALPHA = 0.16
BACKGROUND = QColor("#ffffff")


@dataclass(frozen=True)
class DomainStyle:
    fill: QColor
    border: QColor
    badge: QColor


DOMAIN_STYLES: dict[str | None, DomainStyle] = {
    "CX": DomainStyle(QColor("#e7f0fc"), QColor("#3f7fd6"), QColor("#2f6cc4")),
    "EX": DomainStyle(QColor("#fdf0e3"), QColor("#d9822b"), QColor("#c56f17")),
    None: DomainStyle(QColor("#f3f4f6"), QColor("#9aa3ad"), QColor("#7d8793")),
}
# Polarity signs: + and - are drawn as strokes of the same length and weight (a minus glyph is
# thinner and shorter than a bold plus in most fonts), in colours of similar strength that keep
# a contrast of at least 4.5:1 on white and on the waterline's band, with a thin halo of the
# background so a line or the band behind them does not blur them.
SIGN_COLOURS = {"+": QColor("#1d7335"), "-": QColor("#b3261e"), "?": QColor("#8a6100")}
SIGN_TEXT = {"+": "+", "-": "\u2212", "?": "?"}
SIGN_ARM = 5.0  # half the length of a sign's bar
SIGN_STROKE = 2.4
SIGN_HALO = 1.5  # extra width of the halo on each side
LOOP_COLOURS = {
    "reinforcing": QColor("#c0392b"),
    "balancing": QColor("#1f6fe0"),
    "undetermined": QColor("#a0700a"),
}
STALE_COLOUR = QColor("#9aa0a6")
# The water is a grey teal: not the blue of CX variables, though the band holds EX ones.
WATER_LINE = QColor("#4f7f7b")
WATER_FILL = QColor(196, 221, 220, 150)


#: OpenType features that join letters into one glyph ("ff", "fi"): a PDF reader then finds
#: U+FB00 where the label says "ff", and search and copy fail. Every font here turns them off,
#: so the canvas, PNG, SVG and PDF all draw one glyph per letter (they look the same).
LIGATURES = ("liga", "clig", "dlig", "hlig")


def without_ligatures(base: QFont) -> QFont:
    """``base`` with ligatures turned off."""
    out = QFont(base)
    for tag in LIGATURES:
        out.setFeature(QFont.Tag(tag), 0)
    return out


def label_font() -> QFont:
    return font(LABEL_PIXEL_SIZE)


def font(pixel_size: int, bold: bool = False, italic: bool = False) -> QFont:
    out = QFont(FONT_FAMILY)
    out.setPixelSize(pixel_size)
    out.setBold(bold)
    out.setItalic(italic)
    return without_ligatures(out)


def faded(colour: QColor, dimmed: bool) -> QColor:
    """The colour as drawn for a dimmed item (when a loop is highlighted)."""
    if not dimmed:
        return colour
    out = QColor(colour)
    out.setAlphaF(colour.alphaF() * DIM_ALPHA)
    return out


# -- variables --------------------------------------------------------------------------------
@dataclass(frozen=True)
class VariableShape:
    """A variable's laid-out label and box size (centred on the variable's position)."""

    label: str
    width: float
    height: float
    lines: tuple[tuple[str, float, float], ...]  # text, x, baseline y (relative to the centre)
    static_text: QStaticText
    text_origin: QPointF

    @property
    def rect(self) -> QRectF:
        return QRectF(-self.width / 2, -self.height / 2, self.width, self.height)

    def box(self, x: float, y: float) -> geo.Box:
        return geo.Box(x, y, self.width / 2, self.height / 2, CORNER_RADIUS)


@lru_cache(maxsize=8192)
def variable_shape(label: str) -> VariableShape:
    """Wrap ``label`` at word boundaries and size the box to fit (cached per label)."""
    font = label_font()
    metrics = QFontMetricsF(font)
    option = QTextOption(Qt.AlignmentFlag.AlignHCenter)
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    raw: list[tuple[str, float]] = []
    # Each paragraph (Shift+Enter in the editor) is wrapped on its own.
    for paragraph in (label if label.strip() else " ").split("\n"):
        text = paragraph or " "
        layout = QTextLayout(text, font)
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(WRAP_WIDTH)
            piece = text[line.textStart() : line.textStart() + line.textLength()].rstrip()
            raw.append((piece, line.naturalTextWidth()))
        layout.endLayout()
    text_width = max((w for _, w in raw), default=0.0)
    line_height = metrics.lineSpacing()
    text_height = line_height * len(raw)
    width = max(MIN_WIDTH, math.ceil(text_width + 2 * PAD_X))
    height = max(MIN_HEIGHT, math.ceil(text_height + 2 * PAD_Y))
    top = -text_height / 2
    lines = tuple(
        (piece, -metrics.horizontalAdvance(piece) / 2, top + i * line_height + metrics.ascent())
        for i, (piece, _) in enumerate(raw)
    )
    static = QStaticText("\n".join(piece for piece, _ in raw))
    static.setTextFormat(Qt.TextFormat.PlainText)
    static.setTextWidth(text_width + 2)
    static.setTextOption(QTextOption(Qt.AlignmentFlag.AlignHCenter))
    static.prepare(font=font)
    origin = QPointF(-(text_width + 2) / 2, top)
    return VariableShape(label, float(width), float(height), lines, static, origin)


def paint_variable(
    painter: QPainter,
    shape: VariableShape,
    domain: str | None,
    *,
    selected: bool = False,
    dimmed: bool = False,
    highlighted: bool = False,
    show_text: bool = True,
    static_text: bool = True,
) -> None:
    """Draw a variable centred on (0, 0) in the painter's current coordinates."""
    style = DOMAIN_STYLES.get(domain, DOMAIN_STYLES[None])
    rect = shape.rect
    border_width = 2.2 if highlighted else 1.3
    painter.setPen(QPen(faded(style.border, dimmed), border_width))
    painter.setBrush(faded(style.fill, dimmed))
    painter.drawRoundedRect(rect, CORNER_RADIUS, CORNER_RADIUS)
    if show_text:
        painter.setPen(faded(INK, dimmed))
        painter.setFont(label_font())
        if static_text:
            painter.drawStaticText(shape.text_origin, shape.static_text)
        else:
            for text, x, baseline in shape.lines:
                painter.drawText(QPointF(x, baseline), text)
    if domain in ("CX", "EX") and show_text:
        _paint_badge(painter, rect, domain, style, dimmed)
    if selected:
        pen = QPen(ACCENT, 2.0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        outline = rect.adjusted(-3.5, -3.5, 3.5, 3.5)
        painter.drawRoundedRect(outline, CORNER_RADIUS + 3, CORNER_RADIUS + 3)


def _paint_badge(
    painter: QPainter, rect: QRectF, domain: str, style: DomainStyle, dimmed: bool
) -> None:
    # A small pill straddling the top-left edge: visible without covering the label.
    badge = QRectF(rect.left() + 6, rect.top() - 6.5, 21, 12)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(faded(style.badge, dimmed))
    painter.drawRoundedRect(badge, 6, 6)
    # Dimmed, white text on the faded pill would vanish: the pill's own colour stays legible.
    painter.setPen(_dimmed_badge_text(style) if dimmed else QColor("#ffffff"))
    painter.setFont(font(8, bold=True))
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, domain)


def _dimmed_badge_text(style: DomainStyle) -> QColor:
    out = QColor(style.badge)
    out.setAlphaF(min(1.0, DIM_ALPHA * 2.5))
    return out


def variable_paint_rect(shape: VariableShape) -> QRectF:
    """Everything a variable may paint (badge, selection outline, link ring)."""
    return shape.rect.adjusted(-BORDER_ZONE - 2, -BORDER_ZONE - 6, BORDER_ZONE + 2, BORDER_ZONE + 2)


def paint_link_ring(painter: QPainter, shape: VariableShape, active: bool) -> None:
    """The hover ring that says "drag from the edge to draw a link"."""
    colour = QColor(ACCENT)
    colour.setAlphaF(0.85 if active else 0.35)
    pen = QPen(colour, 2.0 if active else 1.2, Qt.PenStyle.SolidLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    ring = shape.rect.adjusted(-4, -4, 4, 4)
    painter.drawRoundedRect(ring, CORNER_RADIUS + 4, CORNER_RADIUS + 4)


# -- links ------------------------------------------------------------------------------------
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
    painter.setFont(font(16, bold=True))
    painter.setPen(colour)
    centre = QPointF(*at)
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
