"""The legend of an exported picture: the symbols a reader meets in THIS diagram, each beside a
small sample drawn by the same paint functions as the canvas (:mod:`cld_editor.ui.drawing.render`).

Only what the picture shows gets an entry: the R / B / U loop markers of its (non-stale) loop
labels, the polarity signs and the delay mark of its links, the CX and EX colours of its
variables. Entries flow left to right and wrap to the width they are given; all text is drawn
with ``drawText`` and without ligatures, so it stays searchable text in SVG and PDF.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen

from cld_editor.analysis.loops import PREFIX, LoopAnalysis
from cld_editor.core.model import Diagram, Link
from cld_editor.ui.drawing import geometry as geo
from cld_editor.ui.drawing import render, render_links, render_overlays

SAMPLE_WIDTH = 44.0
ROW_HEIGHT = 34.0
GAP = 7.0  # between a sample and its text
SPACING = 24.0  # between entries
TEXT_PIXEL_SIZE = 12
TOP_RULE = 10.0  # room above the first row for the separating rule

LOOP_TEXT = {
    "reinforcing": "Reinforcing loop",
    "balancing": "Balancing loop",
    "undetermined": "Loop of unknown type",
}
SIGN_TEXT = {"+": "Same direction", "-": "Opposite direction", "?": "Unknown effect"}
DOMAIN_TEXT = {"CX": "Customer experience", "EX": "Employee experience"}


@dataclass(frozen=True)
class LegendEntry:
    """One symbol: ``kind`` is "loop", "sign", "delay" or "domain"; ``key`` says which."""

    kind: str
    key: str
    text: str


def legend_entries(diagram: Diagram, analysis: LoopAnalysis | None = None) -> list[LegendEntry]:
    """The entries ``diagram``'s picture needs, in a fixed reading order."""
    entries: list[LegendEntry] = []
    variables = {v.id: v for v in diagram.variables}
    by_pair: dict[tuple[str, str], Link] = {(k.source, k.target): k for k in diagram.links}

    def link_between(source: str, target: str) -> Link | None:
        return by_pair.get((source, target))

    looks = [
        render_overlays.loop_label_look(label, variables, link_between, analysis)
        for label in diagram.loop_labels
    ]
    shown = {look.polarity for look in looks if not look.stale}
    entries += [LegendEntry("loop", p, LOOP_TEXT[p]) for p in LOOP_TEXT if p in shown]
    signs = {link.polarity for link in diagram.links}
    entries += [LegendEntry("sign", s, SIGN_TEXT[s]) for s in SIGN_TEXT if s in signs]
    if any(link.delay for link in diagram.links):
        entries.append(LegendEntry("delay", "", "Delay"))
    domains = {v.domain for v in diagram.variables}
    entries += [LegendEntry("domain", d, DOMAIN_TEXT[d]) for d in DOMAIN_TEXT if d in domains]
    return entries


def _text_font() -> QFont:
    return render.font(TEXT_PIXEL_SIZE)


def _entry_width(entry: LegendEntry) -> float:
    return SAMPLE_WIDTH + GAP + QFontMetricsF(_text_font()).horizontalAdvance(entry.text)


def min_width(entries: list[LegendEntry]) -> float:
    """The widest single entry: the legend never gets narrower than this."""
    return max((_entry_width(e) for e in entries), default=0.0)


def _rows(entries: list[LegendEntry], width: float) -> list[list[tuple[LegendEntry, float]]]:
    """Entries flowed into rows no wider than ``width``, each with its x offset."""
    rows: list[list[tuple[LegendEntry, float]]] = [[]]
    x = 0.0
    for entry in entries:
        w = _entry_width(entry)
        if rows[-1] and x + w > width:
            rows.append([])
            x = 0.0
        rows[-1].append((entry, x))
        x += w + SPACING
    return rows if rows[0] else []


def legend_size(entries: list[LegendEntry], width: float) -> QSizeF:
    rows = _rows(entries, width)
    return QSizeF(width, TOP_RULE + ROW_HEIGHT * len(rows)) if rows else QSizeF(width, 0.0)


def paint_legend(painter: QPainter, entries: list[LegendEntry], rect: QRectF) -> None:
    """Draw the entries inside ``rect`` (as sized by :func:`legend_size`), centred row by row."""
    rows = _rows(entries, rect.width())
    if not rows:
        return
    painter.save()
    rule = QPen(render.faded(render.INK, True), 1.0)
    painter.setPen(rule)
    painter.drawLine(QPointF(rect.left(), rect.top()), QPointF(rect.right(), rect.top()))
    for r, row in enumerate(rows):
        last, last_x = row[-1]
        used = last_x + _entry_width(last)
        left = rect.left() + (rect.width() - used) / 2
        centre_y = rect.top() + TOP_RULE + ROW_HEIGHT * (r + 0.5)
        for entry, x in row:
            sample = QRectF(left + x, centre_y - ROW_HEIGHT / 2, SAMPLE_WIDTH, ROW_HEIGHT)
            _paint_sample(painter, entry, sample)
            painter.setFont(_text_font())
            painter.setPen(render.INK)
            text_rect = QRectF(sample.right() + GAP, sample.top(), 1_000, ROW_HEIGHT)
            flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            painter.drawText(text_rect, flags, entry.text)
    painter.restore()


def _paint_sample(painter: QPainter, entry: LegendEntry, box: QRectF) -> None:
    centre = box.center()
    painter.save()
    if entry.kind == "loop":
        painter.translate(centre)
        painter.scale(0.85, 0.85)
        look = render_overlays.LoopLabelLook(PREFIX[entry.key], "", entry.key, True, False)
        render_overlays.paint_loop_label(painter, look)
    elif entry.kind == "domain":
        style = render.DOMAIN_STYLES[entry.key]
        chip = QRectF(centre.x() - 18, centre.y() - 10, 36, 20)
        painter.setPen(QPen(style.border, 1.3))
        painter.setBrush(style.fill)
        painter.drawRoundedRect(chip, 6, 6)
        painter.setFont(render.font(10, bold=True))
        painter.setPen(style.badge)
        painter.drawText(chip, int(Qt.AlignmentFlag.AlignCenter), entry.key)
    else:
        # A short straight link, drawn like any link on the canvas.
        y = centre.y() + (6.0 if entry.kind == "sign" else 0.0)
        start = geo.Box(box.left() + 2, y, 0.5, 0.5, 0.0)
        end = geo.Box(box.right() - 2, y, 0.5, 0.5, 0.0)
        paths = render_links.link_paths(geo.link_geometry(start, end, 0.0))
        render_links.paint_link(
            painter,
            paths,
            entry.key or "+",
            entry.kind == "delay",
            show_sign=entry.kind == "sign",
            static_text=False,
        )
    painter.restore()
