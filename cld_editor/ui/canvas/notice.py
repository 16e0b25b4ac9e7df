"""CanvasNotice: a short note shown over the bottom of the canvas for a while, in the window's own
coordinates (never part of the scene, an export or the document).

The canvas uses it to say, once, that a big diagram opened zoomed in so its labels can be read
and which keys zoom and show the whole (the way a map on a web page says "Use Ctrl + scroll to
zoom"): where the user is looking, not in a status bar whose room the loop search's progress
takes. It goes after ``ms`` milliseconds, though not while a dialog (an import's summary) is
open over the window, or when :meth:`CanvasNotice.clear` is called (the user zooms, another
diagram opens). Dark, rounded, centred above the bottom edge, wrapped to the width
of the canvas.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QApplication, QWidget

FILL = QColor(38, 43, 51, 235)
TEXT = QColor("#ffffff")
PIXEL_SIZE = 13
PAD_X, PAD_Y = 14.0, 9.0
#: How often a note whose time is up looks again whether the dialog over the window is gone.
WAIT_FOR_DIALOG_MS = 2000
#: Distance from the viewport's bottom edge and the least from its sides.
BOTTOM, SIDES = 18.0, 16.0


class CanvasNotice(QObject):
    """The note and its timer; :meth:`paint` draws it (from the view's ``drawForeground``)."""

    def __init__(self, viewport: QWidget) -> None:
        super().__init__(viewport)
        self.viewport = viewport
        self._text = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._expire)

    def text(self) -> str:
        """The note shown ("" when none)."""
        return self._text

    def show(self, text: str, ms: int) -> None:
        self._text = text
        self._timer.start(ms)
        self.viewport.update()

    def _expire(self) -> None:
        if QApplication.activeModalWidget() is not None:
            # A dialog over the window (an import's summary): the note waits until it is read.
            self._timer.start(WAIT_FOR_DIALOG_MS)
            return
        self.clear()

    def clear(self) -> None:
        if self._text:
            self._text = ""
            self._timer.stop()
            self.viewport.update()

    def _font(self) -> QFont:
        font = QFont(self.viewport.font())
        font.setPixelSize(PIXEL_SIZE)
        return font

    def rect(self) -> QRectF:
        """Where the note is drawn, in viewport pixels (empty when there is none)."""
        if not self._text:
            return QRectF()
        port = QRectF(self.viewport.rect())
        widest = max(port.width() - 2 * SIDES - 2 * PAD_X, 40.0)
        flags = int(Qt.TextFlag.TextWordWrap)
        text = QFontMetricsF(self._font()).boundingRect(
            QRectF(0, 0, widest, 10_000), flags, self._text
        )
        width, height = text.width() + 2 * PAD_X, text.height() + 2 * PAD_Y
        return QRectF(port.center().x() - width / 2, port.bottom() - BOTTOM - height, width, height)

    def paint(self, painter: QPainter) -> None:
        """Draw the note; ``painter`` already draws in viewport pixels."""
        box = self.rect()
        if box.isNull():
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(FILL)
        painter.drawRoundedRect(box, 8.0, 8.0)
        painter.setPen(TEXT)
        painter.setFont(self._font())
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(box.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y), int(flags), self._text)
