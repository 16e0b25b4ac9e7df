"""The look of loop labels (circular arrow, name, stale state) and of the iceberg waterline.

Companion of :mod:`cld_editor.ui.drawing.render` (same colours and fonts): paint functions take a
QPainter and plain values, so the canvas items and the exporters draw them identically.
:func:`loop_label_look` decides what a label shows from the document and the latest analysis.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from cld_editor.analysis.loops import LoopAnalysis
from cld_editor.core.model import Link, LoopLabel, Variable, canonical_loop
from cld_editor.ui.drawing import geometry as geo
from cld_editor.ui.drawing.render import (
    ACCENT,
    INK,
    LOOP_COLOURS,
    STALE_COLOUR,
    WATER_FILL,
    WATER_LINE,
    faded,
    font,
)

# -- loop labels ------------------------------------------------------------------------------
LOOP_RADIUS = 16.0
LOOP_ARC = math.radians(290)


@dataclass(frozen=True)
class LoopLabelLook:
    """What a loop label shows: computed from the document (and the latest analysis)."""

    inner: str  # inside the circular arrow: "R1", or the letter, "?" when stale
    caption: str  # under it: the custom name, if any
    polarity: str  # "reinforcing" | "balancing" | "undetermined"
    clockwise: bool
    stale: bool


def loop_label_rect(look: LoopLabelLook) -> QRectF:
    rect = QRectF(-LOOP_RADIUS - 6, -LOOP_RADIUS - 6, 2 * LOOP_RADIUS + 12, 2 * LOOP_RADIUS + 12)
    if look.caption:
        width = QFontMetricsF(font(12, italic=True)).horizontalAdvance(look.caption) + 8
        rect = rect.united(QRectF(-width / 2, LOOP_RADIUS + 2, width, 20))
    return rect


def paint_loop_label(
    painter: QPainter,
    look: LoopLabelLook,
    *,
    selected: bool = False,
    dimmed: bool = False,
) -> None:
    """A circular arrow turning the way the loop runs, its name inside, custom name below."""
    colour = STALE_COLOUR if look.stale else LOOP_COLOURS.get(look.polarity, INK)
    colour = faded(colour, dimmed)
    # The gap sits at the top; the arrow ends at the gap pointing the way the loop turns.
    sweep = LOOP_ARC if look.clockwise else -LOOP_ARC
    start = -math.pi / 2 + (math.tau - LOOP_ARC) / 2 * (1 if look.clockwise else -1)
    curve = geo._Curve.circle((0.0, 0.0), LOOP_RADIUS, start, sweep)
    path = QPainterPath(QPointF(*curve.point(0.0)))
    end_t = 1 - 5.0 / (LOOP_ARC * LOOP_RADIUS)
    for c1, c2, p in curve.cubics(0.0, end_t):
        path.cubicTo(QPointF(*c1), QPointF(*c2), QPointF(*p))
    pen = QPen(colour, 2.0, Qt.PenStyle.DashLine if look.stale else Qt.PenStyle.SolidLine)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    tip = curve.point(1.0)
    head = geo.arrowhead(tip, curve.direction(1.0))
    painter.setPen(QPen(colour, 1.0))
    painter.setBrush(colour)
    painter.drawPolygon(QPolygonF([QPointF(*p) for p in head]))
    painter.setPen(colour)
    painter.setFont(font(13 if len(look.inner) <= 2 else 11, bold=True))
    inner = QRectF(-LOOP_RADIUS, -LOOP_RADIUS, 2 * LOOP_RADIUS, 2 * LOOP_RADIUS)
    painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, look.inner)
    if look.caption:
        painter.setFont(font(12, italic=True))
        painter.setPen(faded(INK, dimmed) if not look.stale else colour)
        width = QFontMetricsF(painter.font()).horizontalAdvance(look.caption) + 8
        below = QRectF(-width / 2, LOOP_RADIUS + 3, width, 18)
        painter.drawText(below, Qt.AlignmentFlag.AlignCenter, look.caption)
    if selected:
        painter.setPen(QPen(ACCENT, 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(loop_label_rect(look).adjusted(1, 1, -1, -1), 6, 6)


# -- iceberg waterline ------------------------------------------------------------------------
WATERLINE_GRIP = 7.0  # half height of the strip that can be dragged


WATERLINE_CAPTIONS = ("CX above \u2191", "EX below \u2193")
CAPTION_PAD = 10.0  # between a caption and the band's end or an obstacle


def waterline_caption_rects(y: float, x: float) -> tuple[QRectF, QRectF]:
    """Where the two captions are drawn when they start at ``x``: above and below the line."""
    metrics = QFontMetricsF(font(12, italic=True))
    above, below = (metrics.horizontalAdvance(text) + 2 for text in WATERLINE_CAPTIONS)
    return QRectF(x, y - 22, above, 18), QRectF(x, y + 5, below, 18)


#: Cubic pieces are sampled this finely when a link's line is an obstacle (a quarter arc at most).
SAMPLES_PER_PIECE = 12


def link_polyline(g: geo.LinkGeometry) -> list[geo.Point]:
    """The drawn line of a link as a polyline, from its start to the tip of its arrowhead."""
    return [*geo.polyline(g.start, g.cubics, SAMPLES_PER_PIECE), g.tip]


def line_pieces(lines: Iterable[Sequence[geo.Point]], top: float, bottom: float) -> list[QRectF]:
    """The bounding boxes of the pieces of ``lines`` (polylines) that run between ``top`` and
    ``bottom``: what a link crossing a horizontal strip covers of it."""
    out: list[QRectF] = []
    for line in lines:
        for (x0, y0), (x1, y1) in itertools.pairwise(line):
            if max(y0, y1) < top or min(y0, y1) > bottom:
                continue
            if y0 == y1:
                xs = (x0, x1)
            else:
                t0 = min(max((top - y0) / (y1 - y0), 0.0), 1.0)
                t1 = min(max((bottom - y0) / (y1 - y0), 0.0), 1.0)
                xs = (x0 + (x1 - x0) * t0, x0 + (x1 - x0) * t1)
            # At least 2 units wide: a vertical piece is an empty QRectF, which hits nothing.
            out.append(QRectF(min(xs) - 1, top, abs(xs[1] - xs[0]) + 2, bottom - top))
    return out


def waterline_caption_x(
    y: float,
    left: float,
    right: float,
    obstacles: Sequence[QRectF],
    lines: Iterable[Sequence[geo.Point]] = (),
) -> float:
    """The leftmost x, from the band's left end, where neither caption covers an obstacle
    (variables, loop labels, polarity signs, delay marks) nor is crossed by a line (links, as
    polylines): the left end itself when the picture is wider than the diagram or nothing sits
    there. If no place along the band is free, the place where the captions hide the least: the
    fewest obstacles (a label, sign or delay mark under a caption is unreadable), then the fewest
    lines crossing them."""
    above, below = waterline_caption_rects(y, 0.0)
    strip = QRectF(left, above.top(), right - left, below.bottom() - above.top())
    boxes = [r for r in obstacles if r.intersects(strip)]
    pad = CAPTION_PAD / 2
    pieces: list[QRectF] = []
    for rect in (above, below):
        pieces += line_pieces(lines, rect.top() - pad, rect.bottom() + pad)
    width = max(above.width(), below.width())
    cover = [_extents(boxes), _extents(pieces)]
    best: tuple[tuple[int, int], float] | None = None
    for x in sorted({left + CAPTION_PAD, *(r.right() + CAPTION_PAD for r in boxes + pieces)}):
        if x < left + CAPTION_PAD or x + width > right - CAPTION_PAD:
            continue
        a, b = (r.translated(x, 0.0) for r in (above, below))
        cost = (_hits(cover[0], a, b), _hits(cover[1], a, b))
        if cost == (0, 0):
            return x
        if best is None or cost < best[0]:
            best = (cost, x)
    return left + CAPTION_PAD if best is None else best[1]


def _extents(rects: Sequence[QRectF]) -> np.ndarray:
    """left, top, right, bottom of each rectangle, as rows."""
    return np.array(
        [(r.left(), r.top(), r.right(), r.bottom()) for r in rects], dtype=float
    ).reshape(-1, 4)


def _hits(extents: np.ndarray, *rects: QRectF) -> int:
    """How many of ``extents`` overlap one of ``rects`` (as QRectF.intersects: not just touch)."""
    hit = np.zeros(len(extents), dtype=bool)
    for r in rects:
        hit |= (
            (extents[:, 0] < r.right())
            & (extents[:, 2] > r.left())
            & (extents[:, 1] < r.bottom())
            & (extents[:, 3] > r.top())
        )
    return int(hit.sum())


#: Half the width and height of a polarity sign, with a little air: the dashed line stops
#: under a sign that would sit on it.
SIGN_HALF_WIDTH, SIGN_HALF_HEIGHT = 9.0, 10.0


def waterline_pieces(
    y: float, left: float, right: float, signs: Iterable[geo.Point] = (), cap: float = 0.0
) -> list[tuple[float, float]]:
    """The stretches (x from, x to) of the dashed line between ``left`` and ``right``: all of
    it, less the width of every polarity sign (``signs``: their centres) that would sit on it,
    and less ``cap`` more on each side (how far the pen's caps reach past a stretch's ends)."""
    half = SIGN_HALF_WIDTH + cap
    gaps = sorted((sx - half, sx + half) for sx, sy in signs if abs(sy - y) < SIGN_HALF_HEIGHT)
    pieces, x = [], left
    for g0, g1 in gaps:
        if g0 > x:
            pieces.append((x, min(g0, right)))
        x = max(x, g1)
    if x < right:
        pieces.append((x, right))
    return [(a, b) for a, b in pieces if b > a]


def paint_waterline(
    painter: QPainter,
    y: float,
    left: float,
    right: float,
    bottom: float,
    caption_x: float,
    signs: Iterable[geo.Point] = (),
) -> None:
    """Light water below ``y`` down to ``bottom``, the line itself (stopping under the polarity
    signs at ``signs`` that would sit on it) and its two captions (placed at ``caption_x``,
    where :func:`waterline_caption_x` finds room)."""
    if bottom > y:
        painter.fillRect(QRectF(left, y, right - left, bottom - y), WATER_FILL)
    pen = QPen(WATER_LINE, 2.0, Qt.PenStyle.DashLine)
    painter.setPen(pen)
    for x0, x1 in waterline_pieces(y, left, right, signs, cap=pen.widthF() / 2):
        painter.drawLine(QPointF(x0, y), QPointF(x1, y))
    painter.setFont(font(12, italic=True))
    painter.setPen(WATER_LINE)
    for rect, text in zip(waterline_caption_rects(y, caption_x), WATERLINE_CAPTIONS, strict=True):
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft, text)


def loop_label_look(
    label: LoopLabel,
    variables: Mapping[str, Variable],
    link_between: Callable[[str, str], Link | None],
    analysis: LoopAnalysis | None,
) -> LoopLabelLook:
    """How ``label`` looks now: stale when one of its links is gone, named from ``analysis``
    (matched by canonical loop), turning the way its arcs run on screen."""
    members = list(label.loop)
    links = [link_between(m, members[(i + 1) % len(members)]) for i, m in enumerate(members)]
    present = [variables[m] for m in members if m in variables]
    stale = len(present) != len(members) or any(link is None for link in links)
    polarities = [link.polarity for link in links if link is not None]
    if "?" in polarities:
        polarity = "undetermined"
    else:
        polarity = "balancing" if polarities.count("-") % 2 else "reinforcing"
    name = None
    if analysis is not None and not stale:
        key = canonical_loop(members)
        name = next((loop.name for loop in analysis.loops if loop.key == key), None)
    inner = "?" if stale else (name or polarity[0].upper())
    points: list[geo.Point] = []
    for i, link in enumerate(links):
        source = variables.get(members[i])
        if source is None:
            continue
        points.append((source.x, source.y))
        target = variables.get(members[(i + 1) % len(members)])
        if link is not None and target is not None and target is not source:
            points.append(geo.arc_apex((source.x, source.y), (target.x, target.y), link.curvature))
    clockwise = geo.turns_clockwise(points) if len(points) >= 3 else True
    return LoopLabelLook(inner, label.name or "", polarity, clockwise, stale)
