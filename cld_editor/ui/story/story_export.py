"""Exports of a story: a PDF with one 16:9 page per step (vector, fonts embedded), one SVG or
PNG per step into a folder, and a single self-contained HTML player
(:mod:`cld_editor.ui.story.html_player`). Each step is drawn by :class:`StorySlides`, the same
drawing as the presentation. Files are written atomically; problems the user can fix are
:class:`ExportError` with a one-line message.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from cld_editor.analysis.loops import LoopAnalysis
from cld_editor.core.model import Diagram
from cld_editor.core.story import Story
from cld_editor.formats.native import atomic_write
from cld_editor.ui.drawing.export import _css_font_family, png_bytes
from cld_editor.ui.drawing.picture import ExportError
from cld_editor.ui.story.html_player import player_html
from cld_editor.ui.story.slides import SLIDE_SIZE, StorySlides

#: A 16:9 PDF page the size of a widescreen presentation slide: 13.333 x 7.5 inches.
PDF_PAGE_POINTS = QSizeF(960.0, 540.0)
#: PNG pixels per slide unit: a 1600 x 900 slide becomes 1920 x 1080.
PNG_SCALE = 1.2
FOLDER_FORMATS = ("svg", "png")


def _slides(diagram: Diagram, story: Story, analysis: LoopAnalysis | None) -> StorySlides:
    if not story.steps:
        raise ExportError("the diagram has no story: add steps, or make one from the loops")
    return StorySlides(diagram, story, analysis)


def story_pdf(diagram: Diagram, story: Story, analysis: LoopAnalysis | None = None) -> bytes:
    """One vector page per step, 16:9, fonts embedded."""
    slides = _slides(diagram, story, analysis)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(diagram.title)
    writer.setCreator("cld-editor")
    page = QPageSize(
        PDF_PAGE_POINTS, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch
    )
    writer.setPageLayout(
        QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(), QPageLayout.Unit.Point)
    )
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError("the PDF writer could not start")
    try:
        area = QRectF(painter.viewport())
        fit = min(area.width() / SLIDE_SIZE.width(), area.height() / SLIDE_SIZE.height())
        for index in range(len(slides)):
            if index:
                writer.newPage()
            painter.save()
            painter.scale(fit, fit)
            slides.paint(painter, index)
            painter.restore()
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data().data())


def slide_svg(slides: StorySlides, index: int, caption: bool = True) -> bytes:
    """One step as SVG: vector shapes and real text, a 1600 x 900 viewBox."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(round(SLIDE_SIZE.width()), round(SLIDE_SIZE.height())))
    generator.setViewBox(QRectF(0, 0, SLIDE_SIZE.width(), SLIDE_SIZE.height()))
    generator.setTitle(f"{slides.diagram.title} ({index + 1} / {len(slides)})")
    generator.setDescription(slides.state(index).caption or "A step of a story (cld-editor)")
    painter = QPainter(generator)
    try:
        slides.paint(painter, index, caption=caption)
    finally:
        painter.end()
    buffer.close()
    return _css_font_family(bytes(buffer.data().data()))


def slide_png(slides: StorySlides, index: int, scale: float = PNG_SCALE) -> bytes:
    size = QSize(round(SLIDE_SIZE.width() * scale), round(SLIDE_SIZE.height() * scale))
    image = QImage(size, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        painter.scale(scale, scale)
        slides.paint(painter, index)
    finally:
        painter.end()
    return png_bytes(image)


def story_html(diagram: Diagram, story: Story, analysis: LoopAnalysis | None = None) -> str:
    """The self-contained HTML player: one inline SVG per step (captions as HTML text)."""
    slides = _slides(diagram, story, analysis)
    pictures = [
        inline_svg(slide_svg(slides, i, caption=False), f"s{i + 1}-") for i in range(len(slides))
    ]
    captions = [slides.state(i).caption for i in range(len(slides))]
    return player_html(diagram.title, pictures, captions)


_PROLOGUE = re.compile(rb"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)
_ID = re.compile(rb'\bid="([^"]*)"')
_URL = re.compile(rb"url\(#([^)]*)\)")
_HREF = re.compile(rb'href="#([^"]*)"')


def inline_svg(svg: bytes, prefix: str) -> str:
    """An SVG file as an element to put inside HTML: no XML prologue, and ids prefixed so that
    the pictures of several steps cannot refer to each other's definitions."""
    body = _PROLOGUE.sub(b"", svg, count=1)
    tag = prefix.encode()
    body = _ID.sub(lambda m: b'id="' + tag + m.group(1) + b'"', body)
    body = _URL.sub(lambda m: b"url(#" + tag + m.group(1) + b")", body)
    body = _HREF.sub(lambda m: b'href="#' + tag + m.group(1) + b'"', body)
    return body.decode("utf-8")


def write_story(
    diagram: Diagram,
    story: Story,
    out: str | Path,
    analysis: LoopAnalysis | None = None,
    folder_format: str = "svg",
    folder: bool = False,
) -> list[Path]:
    """Write ``out``: a .pdf, a .html, or else a folder of one SVG (or PNG) per step named
    step-01.svg, step-02.svg, ... (``folder``: a folder whatever its name, "plan.v2-story").
    Returns the files written."""
    out = Path(out)
    suffix = "" if folder else out.suffix.lower()
    if suffix == ".pdf":
        _write(out, story_pdf(diagram, story, analysis))
        return [out]
    if suffix in (".html", ".htm"):
        _write(out, story_html(diagram, story, analysis).encode("utf-8"))
        return [out]
    if suffix:
        raise ExportError(
            f"{str(out)!r}: unknown story export ('{suffix}'): use .pdf, .html or a folder"
        )
    if folder_format not in FOLDER_FORMATS:
        raise ExportError(f"unknown picture type {folder_format!r}: use svg or png")
    slides = _slides(diagram, story, analysis)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{str(out)!r} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot make the folder {str(out)!r}: {exc.strerror or exc}") from None
    width = max(2, len(str(len(slides))))
    written = []
    for index in range(len(slides)):
        path = out / f"step-{index + 1:0{width}d}.{folder_format}"
        data = slide_svg(slides, index) if folder_format == "svg" else slide_png(slides, index)
        _write(path, data)
        written.append(path)
    return written


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise ExportError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
