"""How a what-if run looks, painted onto any QPainter: the ▲ / ▼ / ? badge a changing
variable wears and the dot a pulse is as it travels along a link. The canvas overlay items of
What If mode, the presentation and the story exports all paint with these functions, in
scene units, so a pulse looks the same everywhere. Where a badge goes is :class:`BadgePlaces`'
business: at the first corner or side of its variable where it covers no polarity sign, delay
mark, domain tag or other variable, and if it can, no arrowhead or line either (straddling the
top-right corner, it hid the "+" of the links arriving there)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from cld_editor.ui.drawing import geometry as geo
from cld_editor.ui.drawing import render
from cld_editor.ui.drawing.render_diagram import DiagramLayout
from cld_editor.ui.drawing.render_overlays import link_polyline

#: Colours of a change: rises green, falls red, unknown amber (as the link signs).
CHANGE_COLOURS = {
    "up": render.SIGN_COLOURS["+"],
    "down": render.SIGN_COLOURS["-"],
    "unknown": render.SIGN_COLOURS["?"],
}
CHANGE_TEXT = {"up": "▲", "down": "▼", "unknown": "?"}
BADGE_RADIUS = 11.0
PULSE_RADIUS = 6.5


#: A badge keeps this far from the centre of a polarity sign or a delay mark (their half size).
GLYPH_ROOM = 8.0
_CELL = 120.0  # the grid links are indexed on, to find those near a variable


def badge_centre(rect: QRectF) -> QPointF:
    """Where a variable's badge sits when nothing is in the way: straddling the top-right
    corner of its box ``rect``."""
    return QPointF(rect.right() - 4.0, rect.top() - 2.0)


def badge_spots(rect: QRectF) -> list[QPointF]:
    """Where a badge may sit, in the order tried: the corners of the box ``rect`` (top right
    first), then its right and left sides."""
    right, left = rect.right() - 4.0, rect.left() + 4.0
    top, bottom = rect.top() - 2.0, rect.bottom() + 2.0
    middle = rect.center().y()
    return [
        QPointF(right, top),
        QPointF(right, bottom),
        QPointF(left, bottom),
        QPointF(left, top),
        QPointF(rect.right() + 2.0, middle),
        QPointF(rect.left() - 2.0, middle),
    ]


class BadgePlaces:
    """Where each variable's badge goes on a drawing laid out as ``layout``, whose variables'
    boxes are ``boxes`` (scene units) and whose links ``delayed`` carry a delay mark: the first
    of :func:`badge_spots` that covers nothing drawn, else the one covering the fewest signs,
    delay marks, tags and variables, then arrowheads, then lines. Worked out when first asked,
    once per variable."""

    def __init__(
        self, layout: DiagramLayout, boxes: Mapping[str, QRectF], delayed: Iterable[str] = ()
    ) -> None:
        self._layout = layout
        self._boxes = boxes
        self._delayed = set(delayed)
        self._spots: dict[str, QPointF] = {}
        self._lines: dict[str, list[geo.Point]] = {}
        self._cells: dict[tuple[int, int], list[str]] = {}
        for link_id, paths in layout.links.items():
            for cell in _cells(paths.bounds.adjusted(-GLYPH_ROOM, -GLYPH_ROOM, 9, 9)):
                self._cells.setdefault(cell, []).append(link_id)
        self._box_cells: dict[tuple[int, int], list[str]] = {}
        for variable_id, box in boxes.items():
            for cell in _cells(box):
                self._box_cells.setdefault(cell, []).append(variable_id)

    def centre(self, variable_id: str) -> QPointF | None:
        """The centre of the variable's badge; None for a variable not drawn."""
        spot = self._spots.get(variable_id)
        if spot is None:
            rect = self._boxes.get(variable_id)
            if rect is None:
                return None
            spot = self._choose(variable_id, rect)
            self._spots[variable_id] = spot
        return spot

    def _choose(self, variable_id: str, rect: QRectF) -> QPointF:
        reach = BADGE_RADIUS + 2.0
        area = rect.adjusted(-2 * reach, -2 * reach, 2 * reach, 2 * reach)
        near = {i for cell in _cells(area) for i in self._cells.get(cell, ())}
        neighbours = {i for cell in _cells(area) for i in self._box_cells.get(cell, ())}
        hard: list[QRectF] = [self._boxes[i] for i in sorted(neighbours) if i != variable_id]
        variable = self._layout.variables.get(variable_id)
        if variable is not None and variable.domain in ("CX", "EX"):
            hard.append(QRectF(rect.left() + 6, rect.top() - 6.5, 21, 12))  # render's tag
        glyphs: list[geo.Point] = []
        arrows: list[geo.Point] = []
        lines: list[list[geo.Point]] = []
        for link_id in sorted(near):
            paths = self._layout.links[link_id]
            g = paths.geometry
            glyphs.append(g.sign_pos)
            if link_id in self._delayed:
                glyphs.append(g.mid)
            arrows.extend(g.arrow)
            line = self._lines.get(link_id)
            if line is None:
                line = self._lines[link_id] = link_polyline(g)
            lines.append(line)
        best: tuple[tuple[int, int, int], QPointF] | None = None
        for spot in badge_spots(rect):
            c = (spot.x(), spot.y())
            covered = sum(math.dist(c, p) < reach + GLYPH_ROOM for p in glyphs)
            covered += sum(_circle_meets_rect(c, reach, box) for box in hard)
            score = (
                covered,
                sum(math.dist(c, p) < reach for p in arrows),
                sum(_near_line(c, line, reach) for line in lines),
            )
            if score == (0, 0, 0):
                return spot
            if best is None or score < best[0]:
                best = (score, spot)
        return best[1] if best is not None else badge_centre(rect)


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


def _cells(rect: QRectF) -> list[tuple[int, int]]:
    x0, x1 = math.floor(rect.left() / _CELL), math.floor(rect.right() / _CELL)
    y0, y1 = math.floor(rect.top() / _CELL), math.floor(rect.bottom() / _CELL)
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def _circle_meets_rect(c: geo.Point, r: float, rect: QRectF) -> bool:
    x = min(max(c[0], rect.left()), rect.right())
    y = min(max(c[1], rect.top()), rect.bottom())
    return math.dist(c, (x, y)) < r


def _near_line(c: geo.Point, line: list[geo.Point], r: float) -> bool:
    """Whether the polyline ``line`` comes within ``r`` of ``c``."""
    for (ax, ay), (bx, by) in itertools.pairwise(line):
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else ((c[0] - ax) * dx + (c[1] - ay) * dy) / length2
        t = min(max(t, 0.0), 1.0)
        if math.dist(c, (ax + t * dx, ay + t * dy)) < r:
            return True
    return False
