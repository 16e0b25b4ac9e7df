"""Toolbar icons: the desktop's icon theme when it has one, else small drawn ones.

Each icon is asked from the theme by its freedesktop name (``document-open``, ``zoom-in``...);
when the theme lacks it (Windows, macOS, bare X servers, tests) a simple line drawing made here
with QPainter stands in, so the toolbar never shows empty buttons and the program ships no image
files. Drawings use one ink colour taken from the palette, so they suit light and dark themes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication

SIZE = 32
Drawing = Callable[[QPainter], None]


def _page(p: QPainter) -> None:
    path = QPainterPath()
    path.moveTo(8, 4)
    path.lineTo(19, 4)
    path.lineTo(25, 10)
    path.lineTo(25, 28)
    path.lineTo(8, 28)
    path.closeSubpath()
    p.drawPath(path)
    p.drawPolyline([QPointF(19, 4), QPointF(19, 10), QPointF(25, 10)])


def _folder(p: QPainter) -> None:
    path = QPainterPath()
    path.moveTo(4, 9)
    path.lineTo(12, 9)
    path.lineTo(14, 12)
    path.lineTo(28, 12)
    path.lineTo(28, 26)
    path.lineTo(4, 26)
    path.closeSubpath()
    p.drawPath(path)


def _disk(p: QPainter) -> None:
    p.drawRoundedRect(QRectF(5, 5, 22, 22), 2, 2)
    p.drawRect(QRectF(10, 5, 12, 7))
    p.drawRect(QRectF(9, 17, 14, 10))


def _turn(p: QPainter, mirrored: bool) -> None:
    if mirrored:
        p.translate(SIZE, 0)
        p.scale(-1, 1)
    path = QPainterPath()
    path.moveTo(25, 24)
    path.cubicTo(25, 12, 17, 10, 8, 12)
    p.drawPath(path)
    p.drawPolyline([QPointF(13, 6), QPointF(7, 12), QPointF(13, 17)])


def _cursor(p: QPainter) -> None:
    path = QPainterPath()
    path.moveTo(9, 4)
    path.lineTo(9, 25)
    path.lineTo(14, 20)
    path.lineTo(18, 28)
    path.lineTo(21, 27)
    path.lineTo(17, 19)
    path.lineTo(24, 19)
    path.closeSubpath()
    p.drawPath(path)


def _link(p: QPainter) -> None:
    p.drawEllipse(QRectF(3, 17, 9, 9))
    p.drawEllipse(QRectF(20, 6, 9, 9))
    path = QPainterPath()
    path.moveTo(10, 17)
    path.quadTo(11, 8, 19, 10)
    p.drawPath(path)
    p.drawPolyline([QPointF(14, 7), QPointF(19, 10), QPointF(15, 14)])


def _magnifier(p: QPainter, sign: str) -> None:
    p.drawEllipse(QRectF(4, 4, 17, 17))
    p.drawLine(QPointF(18, 18), QPointF(27, 27))
    p.drawLine(QPointF(8.5, 12.5), QPointF(16.5, 12.5))
    if sign == "+":
        p.drawLine(QPointF(12.5, 8.5), QPointF(12.5, 16.5))


def _fit(p: QPainter) -> None:
    for x, y, dx, dy in ((4, 4, 1, 1), (28, 4, -1, 1), (4, 28, 1, -1), (28, 28, -1, -1)):
        p.drawPolyline([QPointF(x + 7 * dx, y), QPointF(x, y), QPointF(x, y + 7 * dy)])
    p.drawRect(QRectF(11, 11, 10, 10))


def _waterline(p: QPainter) -> None:
    path = QPainterPath()
    path.moveTo(3, 17)
    for i in range(4):
        x = 3 + i * 6.5
        path.cubicTo(x + 1.6, 14, x + 4.9, 14, x + 6.5, 17)
    p.drawPath(path)
    iceberg = QPainterPath()
    iceberg.moveTo(11, 14)
    iceberg.lineTo(15, 6)
    iceberg.lineTo(20, 14)
    p.drawPath(iceberg)
    p.drawPolyline([QPointF(9, 21), QPointF(14, 28), QPointF(21, 27), QPointF(24, 21)])


DRAWINGS: dict[str, tuple[str, Drawing]] = {
    "new": ("document-new", _page),
    "open": ("document-open", _folder),
    "save": ("document-save", _disk),
    "undo": ("edit-undo", lambda p: _turn(p, mirrored=False)),
    "redo": ("edit-redo", lambda p: _turn(p, mirrored=True)),
    "select": ("", _cursor),  # no fitting freedesktop name
    "link": ("", _link),
    "zoom_in": ("zoom-in", lambda p: _magnifier(p, "+")),
    "zoom_out": ("zoom-out", lambda p: _magnifier(p, "-")),
    "fit": ("zoom-fit-best", _fit),
    "waterline": ("", _waterline),
}


def icon(name: str) -> QIcon:
    """The theme's icon for ``name`` (a key of DRAWINGS), or the drawn stand-in."""
    theme_name, drawing = DRAWINGS[name]
    if theme_name and QIcon.hasThemeIcon(theme_name):
        return QIcon.fromTheme(theme_name)
    return drawn_icon(drawing)


def drawn_icon(drawing: Drawing) -> QIcon:
    result = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(SIZE * scale, SIZE * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(scale, scale)
        pen = QPen(_ink(), 2.2)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        drawing(painter)
        painter.end()
        result.addPixmap(pixmap)
    return result


def _ink() -> QColor:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app.palette().color(QPalette.ColorRole.WindowText)
    return QColor("#303030")
