"""How big a diagram's labels are on screen at a zoom, the zoom from which they can be read, and
where a big diagram opened in part is framed: the numbers behind
:meth:`cld_editor.ui.canvas.view.DiagramView.open_diagram`, kept apart from the view widget.
"""

from __future__ import annotations

import math
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
