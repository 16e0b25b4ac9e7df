"""What a press on the canvas is on: the topmost record, or a link within reach of it.

A link is a thin line, and a curved one is hard to hit exactly: a press that lands on nothing
picks the nearest link within PICK_PIXELS of its line or arrowhead, measured in view pixels, so
the reach is the same at every zoom. The topmost record wins over anything under it: a loop
label lying over a variable takes the press (and the drag) itself.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QWidget

from cld_editor.ui.canvas.host import Canvas
from cld_editor.ui.canvas.items import LinkItem, LoopLabelItem, VariableItem

#: How far (view pixels) from a link's line a press still picks it.
PICK_PIXELS = 8.0

Record = VariableItem | LinkItem | LoopLabelItem


def record_item_at(canvas: Canvas, pos: QPointF) -> Record | None:
    """The topmost variable, link or loop label under ``pos`` (exact shapes)."""
    return next((i for i in canvas.items(pos) if isinstance(i, Record)), None)


def view_scale(widget: QWidget | None) -> float:
    """View pixels per scene unit of the view whose viewport is ``widget`` (1 when unknown)."""
    view = widget.parentWidget() if widget is not None else None
    if isinstance(view, QGraphicsView):
        scale = abs(view.transform().m11())
        return scale if scale > 0 else 1.0
    return 1.0


def link_near(canvas: Canvas, pos: QPointF, scale: float) -> LinkItem | None:
    """The link whose line or arrowhead passes nearest ``pos``, within PICK_PIXELS view pixels
    (``scale`` view pixels per scene unit)."""
    reach = PICK_PIXELS / scale
    area = QRectF(pos.x() - reach, pos.y() - reach, 2 * reach, 2 * reach)
    best: tuple[float, LinkItem] | None = None
    candidates: list[QGraphicsItem] = canvas.items(area)
    for item in candidates:
        if isinstance(item, LinkItem):
            distance = item.distance_to(pos)
            if distance <= reach and (best is None or distance < best[0]):
                best = (distance, item)
    return best[1] if best is not None else None
