"""How a what-if run looks, painted onto any QPainter: the ▲ / ▼ / ? badge a changing
variable wears and the dot a pulse is as it travels along a link. The canvas overlay items of
What If mode, the presentation and the story exports all paint with these functions, in
scene units, so a pulse looks the same everywhere."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from cld_editor.ui.drawing import render

#: Colours of a change: rises green, falls red, unknown amber (as the link signs).
CHANGE_COLOURS = {
    "up": render.SIGN_COLOURS["+"],
    "down": render.SIGN_COLOURS["-"],
    "unknown": render.SIGN_COLOURS["?"],
}
CHANGE_TEXT = {"up": "▲", "down": "▼", "unknown": "?"}
BADGE_RADIUS = 11.0
PULSE_RADIUS = 6.5


def badge_centre(rect: QRectF) -> QPointF:
    """Where a variable's badge sits: straddling the top-right corner of its box ``rect``."""
    return QPointF(rect.right() - 4.0, rect.top() - 2.0)


def badge_rect(centre: QPointF) -> QRectF:
    r = BADGE_RADIUS + 1.5
    return QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)


def paint_badge(painter: QPainter, centre: QPointF, direction: str, opacity: float = 1.0) -> None:
    """A round badge with ▲, ▼ or ? in the change's colour, white-ringed to stand out."""
    painter.save()
    painter.setOpacity(painter.opacity() * opacity)
    painter.setPen(QPen(QColor("#ffffff"), 2.0))
    painter.setBrush(CHANGE_COLOURS[direction])
    painter.drawEllipse(centre, BADGE_RADIUS, BADGE_RADIUS)
    painter.setPen(QColor("#ffffff"))
    painter.setFont(render.font(11 if direction != "unknown" else 13, bold=True))
    box = QRectF(centre.x() - BADGE_RADIUS, centre.y() - BADGE_RADIUS - 0.5, 22, 22)
    painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), CHANGE_TEXT[direction])
    painter.restore()


def pulse_point(line: QPainterPath, progress: float) -> QPointF:
    """The point ``progress`` (0..1) of the way along a link's line."""
    return line.pointAtPercent(min(1.0, max(0.0, progress)))


def paint_pulse(painter: QPainter, at: QPointF, direction: str) -> None:
    """A pulse: a dot in the change's colour with a soft halo."""
    painter.save()
    halo = QColor(CHANGE_COLOURS[direction])
    halo.setAlphaF(0.25)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(halo)
    painter.drawEllipse(at, PULSE_RADIUS + 4, PULSE_RADIUS + 4)
    painter.setPen(QPen(QColor("#ffffff"), 1.5))
    painter.setBrush(CHANGE_COLOURS[direction])
    painter.drawEllipse(at, PULSE_RADIUS, PULSE_RADIUS)
    painter.restore()
