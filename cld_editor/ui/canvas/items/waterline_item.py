"""WaterlineItem: the iceberg waterline, a band across the whole diagram at the document's
``waterline`` y, CX above and EX below, drawn behind everything.

Only a thin strip around the line reacts to the mouse (``shape``), so the water itself never
steals clicks or double-clicks from the canvas. The select tool drags it vertically. The scene's
projection tells it where its captions hide no variable, label, sign or link (``set_caption_x``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from cld_editor.ui.drawing import render_overlays as render

EXTENT = 1600.0  # how far the band reaches beyond the diagram on each side
DEPTH = 1200.0  # how far the water reaches below the diagram's lowest item


class WaterlineItem(QGraphicsItem):
    def __init__(self, y: float, content: QRectF) -> None:
        super().__init__()
        self.setZValue(-100.0)
        self.line_y = y
        self._content = QRectF(content)
        self._bounds = QRectF()
        self._caption_x: float | None = None
        self._signs: list[tuple[float, float]] = []
        self._relayout()

    def set_line(self, y: float, content: QRectF | None = None) -> None:
        self.prepareGeometryChange()
        self.line_y = y
        if content is not None:
            self._content = QRectF(content)
        self._relayout()
        self.update()

    def _relayout(self) -> None:
        c = self._content if not self._content.isNull() else QRectF(-400, -300, 800, 600)
        self._left = c.left() - EXTENT
        self._right = c.right() + EXTENT
        self._bottom = max(c.bottom(), self.line_y) + DEPTH
        self._bounds = QRectF(
            self._left, self.line_y - 26, self._right - self._left, self._bottom - self.line_y + 26
        )

    @property
    def content(self) -> QRectF:
        """What the diagram's records covered when the band was last laid out."""
        return QRectF(self._content)

    @property
    def caption_x(self) -> float:
        return self._caption_x if self._caption_x is not None else self._content.left()

    def set_signs(self, signs: list[tuple[float, float]]) -> None:
        """The polarity signs near the line (centres): the dashed line stops under them."""
        if signs != self._signs:
            self._signs = signs
            self.update(QRectF(self._left, self.line_y - 2, self._right - self._left, 4))

    def set_caption_x(self, x: float) -> None:
        """Move the "CX above / EX below" captions (the scene finds where they hide nothing)."""
        if x == self._caption_x:
            return
        old = self._caption_rect()
        self._caption_x = x
        self.update(old.united(self._caption_rect()))

    def _caption_rect(self) -> QRectF:
        above, below = render.waterline_caption_rects(self.line_y, self.caption_x)
        return above.united(below).adjusted(-2, -2, 2, 2)

    def hits_grip(self, y: float) -> bool:
        return abs(y - self.line_y) <= render.WATERLINE_GRIP

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        grip = render.WATERLINE_GRIP
        path.addRect(QRectF(self._left, self.line_y - grip, self._right - self._left, 2 * grip))
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: Any = None
    ) -> None:
        render.paint_waterline(
            painter,
            self.line_y,
            self._left,
            self._right,
            self._bottom,
            self.caption_x,
            self._signs,
        )
