"""The look of a diagram: colours, fonts, pens, and the paint functions for variables.

One renderer serves the canvas and the exports (issue 4): the canvas items call these functions
from their ``paint`` with their cached layout and their view state (selected, dimmed, highlighted)
passed explicitly, and :mod:`cld_editor.ui.drawing.render_diagram` calls the same functions to draw
a whole Diagram on any QPainter (PNG, SVG, PDF) with no selection. Text layout is expensive, so a
variable's label is laid out once per label (:func:`variable_shape`, cached) and painted from a
QStaticText on screen, or line by line with ``drawText`` when ``static_text=False`` so that SVG and
PDF keep real, searchable text. All sizes are scene units (pixels at 100 %). Links are drawn by
:mod:`cld_editor.ui.drawing.render_links`, loop labels and the waterline by
:mod:`cld_editor.ui.drawing.render_overlays`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QStaticText,
    QTextLayout,
    QTextOption,
)

from cld_editor.formats import palette
from cld_editor.layout import aims
from cld_editor.ui.drawing import geometry as geo

# -- style ------------------------------------------------------------------------------------
FONT_FAMILY = "Sans Serif"
LABEL_PIXEL_SIZE = 13
WRAP_WIDTH = 132.0
PAD_X, PAD_Y = 11.0, 7.0
MIN_WIDTH, MIN_HEIGHT = 64.0, 30.0
CORNER_RADIUS = aims.CORNER_RADIUS  # one value for the drawing and the layouts
BORDER_ZONE = 6.0
#: Below this zoom, text (labels, badges, polarity signs) would be under ~5 pixels high and
#: unreadable: the canvas leaves it out, which also keeps overviews of big diagrams fast.
DETAIL_SCALE = 0.4  # how close to a variable's outline a press starts a link (select mode)

INK = QColor(palette.INK)
LINK_COLOUR = QColor(palette.LINK_COLOUR)
ACCENT = QColor("#1f6fe0")
REFUSED = QColor("#c0392b")
DIM_ALPHA = 0.16
BACKGROUND = QColor("#ffffff")


@dataclass(frozen=True)
class DomainStyle:
    fill: QColor
    border: QColor
    badge: QColor


#: The colours are :mod:`cld_editor.formats.palette`'s, which the exported formats write too.
DOMAIN_STYLES: dict[str | None, DomainStyle] = {
    domain: DomainStyle(QColor(c.fill), QColor(c.border), QColor(c.badge))
    for domain, c in palette.DOMAIN_COLOURS.items()
}
# Polarity signs: + and - are drawn as strokes of the same length and weight (a minus glyph is
# thinner and shorter than a bold plus in most fonts), in colours of similar strength that keep
# a contrast of at least 4.5:1 on white and on the waterline's band, with a thin halo of the
# background so a line or the band behind them does not blur them.
SIGN_COLOURS = {sign: QColor(colour) for sign, colour in palette.SIGN_COLOURS.items()}
SIGN_TEXT = {"+": "+", "-": "\u2212", "?": "?"}
SIGN_ARM = 5.0  # half the length of a sign's bar
SIGN_STROKE = 2.4
SIGN_HALO = 1.5  # extra width of the halo on each side
LOOP_COLOURS = {kind: QColor(colour) for kind, colour in palette.LOOP_COLOURS.items()}
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
