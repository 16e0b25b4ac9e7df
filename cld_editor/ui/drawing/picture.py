"""What an export draws: :class:`DiagramPicture`, the diagram laid out as a picture, and the
:class:`ExportOptions` that shape it.

The picture is the diagram's content cropped with a margin (not the viewport), with an optional
title above (and, when a loop is highlighted, a line naming it) and an optional legend below
(:mod:`cld_editor.ui.drawing.legend`). The diagram itself is drawn as
:func:`cld_editor.ui.drawing.render_diagram.render_diagram` draws it, with the very paint functions
the canvas items call, from a :class:`DiagramLayout` computed once per picture, and with no
selection, hover ring or bend handle: those are view state of the window's scene and never reach an
export. The waterline band runs across the whole picture. Text is drawn with ``drawText``, so SVG
and PDF keep searchable labels, and nothing is cached as a pixmap, so no bitmap ends up inside a
vector file. Sizes are scene units, pixels at 96 dpi: scale 1 is the canvas at 100 %."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QApplication

from cld_editor.analysis.loops import Loop, LoopAnalysis
from cld_editor.core.model import Diagram
from cld_editor.ui.drawing import legend as lg
from cld_editor.ui.drawing import render, render_diagram, render_overlays
from cld_editor.ui.drawing.geometry import LinkGeometry

FORMATS = (".png", ".svg", ".pdf")
SCENE_DPI = 96.0
#: PNG pixels per scene unit unless asked otherwise: crisp on slides and high-density screens.
DEFAULT_SCALE = 2.0
#: ... but a default-scale image stays within this many pixels and this long a side: a
#: 1,000-variable diagram at scale 2 would be 150 megapixels, half a gigabyte of memory and half
#: a minute of encoding, and a 270-variable Vensim model 19,566 x 17,012 pixels, which image
#: viewers and ImageMagick's default policy (16K a side, 128 MP) refuse.
AUTO_MAX_PIXELS = 40_000_000
AUTO_MAX_SIDE = 8_192
MARGIN = 20.0
TITLE_PIXEL_SIZE = 20
LOOP_HEADING_PIXEL_SIZE = 15
HEADING_SPACING = 4.0  # between the title and the line naming the highlighted loop
MAX_HEADING_WIDTH = 900.0  # a longer title wraps instead of widening the picture
LEGEND_GAP = MARGIN / 2  # between the waterline's water and the legend's rule


class ExportError(Exception):
    """An export the user asked for cannot be made; the message says why, in one line."""


@dataclass(frozen=True)
class ExportOptions:
    """What to draw and how. ``scale`` is PNG pixels per scene unit, None for the default
    (:func:`default_scale`: 2, less when the image would pass 8,192 pixels a side or 40
    megapixels); ``dpi``, when
    given, replaces it (scale = dpi / 96) and is written into the PNG. ``loop`` names the loop
    to highlight (others dimmed), or is that Loop itself (the editor's highlighted loop, which
    the listing may not hold: one of the independent set beyond its limits); ``only``
    restricts the picture to these variables (with the links and loop labels among them);
    ``page`` is "fit" (PDF page sized to the picture) or "a4"."""

    scale: float | None = None
    dpi: float | None = None
    transparent: bool = False
    title: bool = False
    legend: bool = False
    loop: str | Loop | None = None
    only: frozenset[str] | None = None
    page: str = "fit"

    def pixel_scale(self, size: QSizeF) -> float:
        """PNG pixels per scene unit for a picture of ``size`` scene units."""
        if self.dpi is not None:
            return self.dpi / SCENE_DPI
        if self.scale is not None:
            return self.scale
        return default_scale(size.width(), size.height())


def default_scale(width: float, height: float) -> float:
    """PNG pixels per scene unit for a picture of ``width`` x ``height`` scene units when none
    is asked for: DEFAULT_SCALE, or less when that would pass AUTO_MAX_SIDE pixels on the long
    side or AUTO_MAX_PIXELS in all (whichever binds)."""
    scale = DEFAULT_SCALE
    longest, area = max(width, height), width * height
    if longest > 0:
        scale = min(scale, AUTO_MAX_SIDE / longest)
    if area > 0:
        scale = min(scale, math.sqrt(AUTO_MAX_PIXELS / area))
    # The image rounds its sides up to whole pixels: one pixel less on the long side until it
    # fits (two or three steps at most, the rounding adding under a pixel to each side).
    while longest > 0 and over_usable_size(math.ceil(width * scale), math.ceil(height * scale)):
        scale -= 1 / longest
    return scale


def over_usable_size(width: int, height: int) -> bool:
    """Whether a PNG of ``width`` x ``height`` pixels passes the size a default scale keeps
    to (many viewers and converters refuse such an image)."""
    return max(width, height) > AUTO_MAX_SIDE or width * height > AUTO_MAX_PIXELS


def image_format(path: str | Path) -> str:
    """ ".png", ".svg" or ".pdf" from the file name; ExportError for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        shown = f"'{suffix}'" if suffix else "no extension"
        raise ExportError(f"unknown image type ({shown}): use .png, .svg or .pdf")
    return suffix


def ensure_app() -> QApplication:
    """The QApplication the scene needs; created (once) when a command exports without one."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(["cld-editor"])
    if not isinstance(app, QApplication):
        raise ExportError("exporting needs a QApplication, not a QGuiApplication")
    return app


def subset(diagram: Diagram, variable_ids: Collection[str]) -> Diagram:
    """The part of ``diagram`` made of these variables, the links among them and the loop
    labels whose loops lie entirely inside (the "only the selection" export)."""
    keep = set(variable_ids)
    return Diagram(
        title=diagram.title,
        description=diagram.description,
        waterline=diagram.waterline,
        variables=[v for v in diagram.variables if v.id in keep],
        links=[k for k in diagram.links if k.source in keep and k.target in keep],
        loop_labels=[b for b in diagram.loop_labels if keep.issuperset(b.loop)],
    )


def find_loop(analysis: LoopAnalysis | None, name: str, diagram: Diagram | None = None) -> Loop:
    """The loop called ``name``: its name in any case ("r1" is R1), or the custom name of its
    loop label in ``diagram`` ("Virtuous cycle"). ExportError listing the names there are when
    it is unknown, or the loops a label name fits when it fits several."""
    loop = analysis.by_name(name) if analysis is not None else None
    if loop is not None or analysis is None:
        return _known_loop(loop, analysis, name)
    wanted = " ".join(name.split()).casefold()
    matches = [loop for loop in analysis.loops if loop.name.casefold() == wanted]
    if not matches and diagram is not None:
        keys = {
            label.loop_key
            for label in diagram.loop_labels
            if label.name and " ".join(label.name.split()).casefold() == wanted
        }
        matches = [loop for loop in analysis.loops if loop.key in keys]
    if len(matches) > 1:
        names = ", ".join(loop.name for loop in matches[:8])
        raise ExportError(f"{len(matches)} loops are called {name!r} ({names}): use R1, B2, ...")
    return _known_loop(matches[0] if matches else None, analysis, name)


def _known_loop(loop: Loop | None, analysis: LoopAnalysis | None, name: str) -> Loop:
    if loop is None:
        names = [loop.name for loop in analysis.loops[:8]] if analysis is not None else []
        shown = f"{', '.join(names)}{', ...' if len(names) == 8 else ''}"
        there = f"loops are {shown}" if names else "the diagram has none"
        if analysis is not None and not analysis.complete:
            # Names go by length: a longer loop's name may lie past a listing that stopped.
            listed = (
                f"the {len(analysis.loops):,} loops listed are {shown}"
                if names
                else ("no loop is listed")
            )
            there = (
                f"{listed}; the listing stopped at a limit, so a loop of that name may lie "
                "past it: --max-loops 0 or --no-limits lists more"
            )
        raise ExportError(f"no loop named {name!r} ({there})")
    return loop


def loop_heading(loop: Loop, diagram: Diagram) -> str:
    """The line under the title that says which loop a picture highlights: "R3 · reinforcing",
    or with the custom name of its loop label "Doom loop (R3, reinforcing)"."""
    named = (b.name for b in diagram.loop_labels if b.name and b.loop_key == loop.key)
    label = " ".join(next(named, "").split())
    return f"{label} ({loop.name}, {loop.polarity})" if label else f"{loop.name} · {loop.polarity}"


class DiagramPicture:
    """A diagram laid out for export: the diagram cropped to its content, plus title and
    legend, sized in scene units (``size``) and drawn by ``paint`` at (0, 0) in the painter's
    current coordinates. Set ``highlighted_loop`` between two paints to draw the same picture
    with another loop highlighted (``--each-loop``); with a title, a line under it names that
    loop. The diagram is laid out once, when the picture is made, with the links' ``geometries``
    when given (computed beforehand, e.g. on a worker thread: :mod:`.render_diagram`)."""

    def __init__(
        self,
        diagram: Diagram,
        analysis: LoopAnalysis | None = None,
        *,
        title: bool = False,
        legend: bool = False,
        transparent: bool = False,
        geometries: Mapping[str, LinkGeometry] | None = None,
    ) -> None:
        ensure_app()
        self.diagram = diagram
        self.analysis = analysis
        self.transparent = transparent
        self._layout_of_diagram = render_diagram.DiagramLayout.of(diagram, analysis, geometries)
        self._source = self._layout_of_diagram.bounds(diagram, MARGIN)
        self._with_title = title
        self._title = " ".join(diagram.title.split()) if title else ""
        self._legend = lg.legend_entries(diagram, analysis) if legend else []
        self._highlighted_loop: Loop | None = None
        self._layout()

    @property
    def highlighted_loop(self) -> Loop | None:
        return self._highlighted_loop

    @highlighted_loop.setter
    def highlighted_loop(self, loop: Loop | None) -> None:
        self._highlighted_loop = loop
        self._layout()  # the heading may change; the diagram's layout does not

    def _heading(self) -> list[tuple[str, QFont, QColor]]:
        lines = []
        if self._title:
            lines.append((self._title, _title_font(), render.INK))
        loop = self._highlighted_loop
        if self._with_title and loop is not None:
            colour = render.LOOP_COLOURS.get(loop.polarity, render.INK)
            lines.append((loop_heading(loop, self.diagram), _loop_font(), colour))
        return lines

    def _layout(self) -> None:
        width = self._source.width()
        heading = self._heading()
        for text, font, _ in heading:
            advance = QFontMetricsF(font).horizontalAdvance(text)
            width = max(width, min(advance + 2 * MARGIN, MAX_HEADING_WIDTH))
        if self._legend:
            width = max(width, lg.min_width(self._legend) + 2 * MARGIN)
        self._heading_rects: list[tuple[QRectF, str, QFont, QColor]] = []
        top = MARGIN
        for text, font, colour in heading:
            rect = _wrapped_rect(font, text, width, top)
            self._heading_rects.append((rect, text, font, colour))
            top = rect.bottom() + HEADING_SPACING
        top = top - HEADING_SPACING + MARGIN / 2 if heading else 0.0
        # The diagram keeps its own margin; a wider title or legend centres it.
        self._target = QRectF(
            (width - self._source.width()) / 2, top, self._source.width(), self._source.height()
        )
        height = self._target.bottom()
        self._legend_rect = QRectF()
        if self._legend:
            if self.diagram.waterline is not None:
                height += LEGEND_GAP  # white between the water and the legend's rule
            legend_height = lg.legend_size(self._legend, width - 2 * MARGIN).height()
            self._legend_rect = QRectF(MARGIN, height, width - 2 * MARGIN, legend_height)
            height = self._legend_rect.bottom() + MARGIN
        self.size = QSizeF(width, height)
        self._caption_x = 0.0
        if self.diagram.waterline is not None:
            left, right = self._band()
            drawn = self._layout_of_diagram
            self._caption_x = render_overlays.waterline_caption_x(
                self.diagram.waterline,
                left,
                right,
                drawn.obstacles,
                [render_overlays.link_polyline(p.geometry) for p in drawn.links.values()],
            )

    def map_from_scene(self, x: float, y: float) -> tuple[float, float]:
        """Where a diagram (scene) point lands in the picture."""
        return (
            x + self._target.left() - self._source.left(),
            y + self._target.top() - self._source.top(),
        )

    def _band(self) -> tuple[float, float]:
        """The waterline band's ends in scene units: the picture's left and right edges."""
        left = self._source.left() - self._target.left()
        return left, left + self.size.width()

    def paint(self, painter: QPainter) -> None:
        """Draw the picture in the rectangle (0, 0, size) of the painter's coordinates."""
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        if not self.transparent:
            painter.fillRect(QRectF(0, 0, self.size.width(), self.size.height()), render.BACKGROUND)
        flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap)
        for rect, text, font, colour in self._heading_rects:
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(rect, flags, text)
        painter.save()
        painter.translate(*self.map_from_scene(0.0, 0.0))
        self._paint_diagram(painter)
        painter.restore()
        if self._legend:
            lg.paint_legend(painter, self._legend, self._legend_rect)
        painter.restore()

    def _paint_diagram(self, painter: QPainter) -> None:
        """The diagram, from the kept layout, with the waterline band across the whole picture."""
        left, right = self._band()
        band = (left, right, self._source.bottom(), self._caption_x)
        render_diagram.paint_layout(
            painter, self.diagram, self._layout_of_diagram, self._highlighted_loop, band
        )


def _title_font() -> QFont:
    return render.font(TITLE_PIXEL_SIZE, bold=True)


def _loop_font() -> QFont:
    return render.font(LOOP_HEADING_PIXEL_SIZE)


def _wrapped_rect(font: QFont, text: str, width: float, top: float) -> QRectF:
    bounds = QFontMetricsF(font).boundingRect(
        QRectF(0, 0, width - 2 * MARGIN, 10_000),
        int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap),
        text,
    )
    return QRectF(MARGIN, top, width - 2 * MARGIN, math.ceil(bounds.height()))


def make_picture(
    diagram: Diagram, analysis: LoopAnalysis | None, options: ExportOptions
) -> DiagramPicture:
    """A picture of ``diagram`` as ``options`` ask (selection, title, legend, highlight)."""
    highlight = (
        options.loop
        if isinstance(options.loop, Loop)
        else find_loop(analysis, options.loop, diagram)
        if options.loop
        else None
    )
    if options.only is not None:
        if not options.only:
            raise ExportError("nothing is selected")
        diagram = subset(diagram, options.only)
    picture = DiagramPicture(
        diagram,
        analysis,
        title=options.title,
        legend=options.legend,
        transparent=options.transparent,
    )
    picture.highlighted_loop = highlight
    return picture
