"""How big a diagram's labels are on screen at a zoom, the zoom from which they can be read, and
where a big diagram opened in part is framed: the numbers behind
:meth:`cld_editor.ui.canvas.view.DiagramView.open_diagram`, kept apart from the view widget.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF

from cld_editor.ui.drawing import render

#: The smallest on-screen size (logical pixels) at which the variables' labels can be read.
#: Rendered side by side (the Covid19US model's labels at 2.6 to 13 px): at 7 px "Reported
#: fatalities ratio to new cases" reads in the canvas's sans-serif font; at 6 px only with effort
#: and some guessing, at 5.2 px (the canvas's first zoom with text, render.DETAIL_SCALE) not at
#: all: lowercase letters are then under 3 px high, too few pixels to tell "a" from "e".
READABLE_TEXT_PX = 7.0
#: Below this zoom the labels are too small to read (7 px of the label font's 13): opening a big
#: diagram, Find and bringing a loop into view zoom in to it.
READABLE_ZOOM = READABLE_TEXT_PX / render.LABEL_PIXEL_SIZE
#: Parts of a big diagram tried for opening are a view's width (height) over this apart.
SPLIT = 4
#: A part with this share of the most crowded part's variables is as good, nearer the top left.
CROWDED_ENOUGH = 0.8
#: Beyond this many cells of a quarter view, variables are too strewn about to count parts.
MAX_CELLS = 250_000


def label_text_px(zoom: float) -> float:
    """How big a variable's label text is on screen at ``zoom``, in logical pixels (on a
    high-density screen these are as large to the eye as on any other)."""
    return zoom * render.LABEL_PIXEL_SIZE


@dataclass(frozen=True)
class Opening:
    """How :meth:`DiagramView.open_diagram` framed a diagram: at ``zoom``, where the whole of it
    would fit at ``fit_zoom``."""

    zoom: float
    fit_zoom: float

    @property
    def whole(self) -> bool:
        """The whole diagram is in sight (its labels readable)."""
        return self.zoom <= self.fit_zoom or math.isclose(self.zoom, self.fit_zoom, rel_tol=1e-6)


def top_left_centre(content: QRectF, shown_width: float, shown_height: float) -> QPointF:
    """Where to centre a view showing ``shown_width`` x ``shown_height`` scene units so that the
    top-left corner of ``content`` is in its top-left corner; content narrower (or lower) than
    the view is centred across that way instead."""
    wide, tall = content.width() > shown_width, content.height() > shown_height
    x = content.left() + shown_width / 2 if wide else content.center().x()
    y = content.top() + shown_height / 2 if tall else content.center().y()
    return QPointF(x, y)


def readable_part_centre(
    boxes: Sequence[QRectF], shown_width: float, shown_height: float, margin: float
) -> QPointF:
    """Where to centre a view of ``shown_width`` x ``shown_height`` scene units on a diagram
    too big to show whole at a readable zoom, given its variables' ``boxes``: on its most
    crowded part (the most variables wholly in sight, ``margin`` clear of the edges) or, of the
    parts with at least :data:`CROWDED_ENOUGH` as many, the one nearest the top-left corner,
    where diagrams begin and a Vensim or Stella view opens. On a regular layout that is the
    top-left corner; on a sparse, organic one it is not an empty corner. Parts are tried a
    quarter of the view apart; the variables of the one chosen are then centred. A view of no
    size (a window not laid out yet) shows the top-left corner: no parts can be counted."""
    if not boxes:
        return QPointF()
    if not (shown_width > 0 and shown_height > 0):
        union = QRectF(boxes[0])
        for box in boxes[1:]:
            union = union.united(box)
        return top_left_centre(union, max(shown_width, 0.0), max(shown_height, 0.0))
    room_w = max(shown_width - max(b.width() for b in boxes) - 2 * margin, shown_width / 2)
    room_h = max(shown_height - max(b.height() for b in boxes) - 2 * margin, shown_height / 2)
    cell_w, cell_h = room_w / SPLIT, room_h / SPLIT
    left = min(b.center().x() for b in boxes)
    top = min(b.center().y() for b in boxes)
    cells = [
        (int((b.center().x() - left) // cell_w), int((b.center().y() - top) // cell_h))
        for b in boxes
    ]
    columns = 1 + max(c for c, _ in cells)
    rows = 1 + max(r for _, r in cells)
    if columns * rows > MAX_CELLS:  # variables strewn far apart: no counting
        union = QRectF(boxes[0])
        for box in boxes[1:]:
            union = union.united(box)
        return top_left_centre(union, shown_width, shown_height)
    # Sums of the counts above and left of each cell, to count any part in four look-ups.
    above = [[0] * (columns + 1) for _ in range(rows + 1)]
    for c, r in cells:
        above[r + 1][c + 1] += 1
    for r in range(1, rows + 1):
        for c in range(1, columns + 1):
            above[r][c] += above[r - 1][c] + above[r][c - 1] - above[r - 1][c - 1]
    parts = []
    for r0 in range(max(1, rows - SPLIT + 1)):
        for c0 in range(max(1, columns - SPLIT + 1)):
            r1, c1 = min(r0 + SPLIT, rows), min(c0 + SPLIT, columns)
            count = above[r1][c1] - above[r0][c1] - above[r1][c0] + above[r0][c0]
            parts.append((count, r0, c0))
    most = max(count for count, _, _ in parts)
    _, r0, c0 = min((r + c, r, c) for count, r, c in parts if count >= CROWDED_ENOUGH * most)
    chosen = [
        box
        for box, (c, r) in zip(boxes, cells, strict=True)
        if c0 <= c < c0 + SPLIT and r0 <= r < r0 + SPLIT
    ]
    union = QRectF(chosen[0])
    for box in chosen[1:]:
        union = union.united(box)
    return union.center()
