"""Export a diagram as a picture: PNG, SVG and PDF files, an image for the clipboard, and the
loop report with its diagram.

Every format draws one :class:`~cld_editor.ui.picture.DiagramPicture` (the diagram cropped to
its content, optional title and legend, drawn by the canvas's own paint functions). PNG is a
QImage at the asked scale or DPI; SVG comes from QSvgGenerator, with text kept as text and a
viewBox in scene units; PDF from QPdfWriter, vector with embedded fonts, one page sized to the
picture or A4 landscape. Files are written atomically. Errors the user can fix are
:class:`ExportError` with a one-line reason.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QMimeData,
    QRectF,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtSvg import QSvgGenerator

from ..analysis.loops import LoopAnalysis
from ..core.model import Diagram
from ..formats.native import atomic_write
from ..formats.report import report_html, report_markdown
from . import render
from .clipboard import qt_allocated_mime_data
from .picture import (
    AUTO_MAX_PIXELS,
    DEFAULT_SCALE,
    FORMATS,
    SCENE_DPI,
    DiagramPicture,
    ExportError,
    ExportOptions,
    find_loop,
    image_format,
    make_picture,
)

__all__ = [
    "AUTO_MAX_PIXELS",
    "DEFAULT_SCALE",
    "FORMATS",
    "DiagramPicture",
    "ExportError",
    "ExportOptions",
    "clipboard_data",
    "copy_image_to_clipboard",
    "diagram_svg",
    "export_each_loop",
    "export_image",
    "find_loop",
    "image_format",
    "make_picture",
    "picture_image",
    "picture_pdf",
    "picture_png",
    "picture_svg",
    "write_report",
]

#: Refuse pictures larger than this many pixels: Qt would fail to allocate them anyway.
MAX_PIXELS = 400_000_000
A4_MARGIN_MM = 10.0
#: Qt maps PNG "quality" 80 to zlib level 1: on diagrams (large flat areas) it encodes about
#: twice as fast as the default level and the files come out smaller, not larger.
PNG_QUALITY = 80
DEFAULT_OPTIONS = ExportOptions()


# -- formats -----------------------------------------------------------------------------------
def picture_image(picture: DiagramPicture, scale: float, dpi: float | None = None) -> QImage:
    """The picture as an image, ``scale`` pixels per scene unit: ARGB when the picture is
    transparent, RGB on its white background (faster to draw and to encode)."""
    if not (math.isfinite(scale) and scale > 0):
        raise ExportError(f"the scale must be a positive number, not {scale}")
    width = max(1, math.ceil(picture.size.width() * scale))
    height = max(1, math.ceil(picture.size.height() * scale))
    if width * height > MAX_PIXELS:
        raise ExportError(
            f"the image would be {width} x {height} pixels, too large: use a smaller scale"
        )
    opaque = not picture.transparent
    image = QImage(
        width,
        height,
        QImage.Format.Format_RGB32 if opaque else QImage.Format.Format_ARGB32_Premultiplied,
    )
    if image.isNull():
        raise ExportError(f"not enough memory for a {width} x {height} image")
    image.fill(render.BACKGROUND if opaque else QColor(Qt.GlobalColor.transparent))
    dots_per_metre = round((dpi if dpi is not None else SCENE_DPI * scale) / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter(image)
    try:
        painter.scale(scale, scale)
        picture.paint(painter)
    finally:
        painter.end()
    return image


def picture_png(picture: DiagramPicture, scale: float, dpi: float | None = None) -> bytes:
    return _image_bytes(picture_image(picture, scale, dpi), "PNG", PNG_QUALITY)


def picture_svg(picture: DiagramPicture) -> bytes:
    """SVG 1.2 Tiny text: vector shapes and <text>, a viewBox in scene units (96 dpi)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    width, height = picture.size.width(), picture.size.height()
    generator.setSize(QSize(math.ceil(width), math.ceil(height)))
    generator.setViewBox(QRectF(0, 0, width, height))
    generator.setResolution(round(SCENE_DPI))
    generator.setTitle(picture.diagram.title)
    generator.setDescription(picture.diagram.description or "Causal loop diagram (cld-editor)")
    painter = QPainter(generator)
    try:
        picture.paint(painter)
    finally:
        painter.end()
    buffer.close()
    return _css_font_family(bytes(buffer.data().data()))


def _css_font_family(svg: bytes) -> bytes:
    """Name the font the way CSS understands it. Qt writes the family as the painter had it,
    and render's "Sans Serif" is a Qt alias, not a CSS generic family: browsers and Inkscape
    would fall back to a serif font. The family Qt actually used, then ``sans-serif``."""
    alias = render.FONT_FAMILY
    used = QFontInfo(QFont(alias)).family()
    families = f"{used}, sans-serif" if used and used != alias else "sans-serif"
    old = f'font-family="{alias}"'.encode()
    return svg.replace(old, f'font-family="{families}"'.encode())


def picture_pdf(picture: DiagramPicture, page: str = "fit") -> bytes:
    """One vector PDF page with embedded fonts: sized to the picture, or A4 landscape with the
    picture scaled to fit inside a 10 mm margin."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(picture.diagram.title)
    writer.setCreator("cld-editor")
    width, height = picture.size.width(), picture.size.height()
    if page == "a4":
        margin = QMarginsF(A4_MARGIN_MM, A4_MARGIN_MM, A4_MARGIN_MM, A4_MARGIN_MM)
        layout = QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            margin,
            QPageLayout.Unit.Millimeter,
        )
    elif page == "fit":
        points = QSizeF(width * 72 / SCENE_DPI, height * 72 / SCENE_DPI)
        size = QPageSize(points, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch)
        layout = QPageLayout(
            size, QPageLayout.Orientation.Portrait, QMarginsF(), QPageLayout.Unit.Point
        )
    else:
        raise ExportError(f"unknown page {page!r}: use fit or a4")
    writer.setPageLayout(layout)
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError("the PDF writer could not start")
    try:
        area = QRectF(painter.viewport())  # device units, inside the page margins
        fit = min(area.width() / width, area.height() / height)
        painter.translate(
            area.left() + (area.width() - width * fit) / 2,
            area.top() + (area.height() - height * fit) / 2,
        )
        painter.scale(fit, fit)
        picture.paint(painter)
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data().data())


def picture_bytes(picture: DiagramPicture, suffix: str, options: ExportOptions) -> bytes:
    if suffix == ".png":
        return picture_png(picture, options.pixel_scale(picture.size), options.dpi)
    if suffix == ".svg":
        return picture_svg(picture)
    return picture_pdf(picture, options.page)


def _image_bytes(image: QImage, fmt: str, quality: int = -1) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, fmt, quality):
        raise ExportError(f"Qt could not encode the {fmt} image")
    buffer.close()
    return bytes(data.data())


# -- whole exports -----------------------------------------------------------------------------
def export_image(
    diagram: Diagram,
    path: str | Path,
    options: ExportOptions = DEFAULT_OPTIONS,
    analysis: LoopAnalysis | None = None,
) -> Path:
    """Write ``diagram`` to ``path`` (PNG, SVG or PDF by extension), atomically."""
    suffix = image_format(path)
    data = picture_bytes(make_picture(diagram, analysis, options), suffix, options)
    _write(Path(path), data)
    return Path(path)


def export_each_loop(
    diagram: Diagram,
    directory: str | Path,
    suffix: str,
    options: ExportOptions,
    analysis: LoopAnalysis,
) -> list[Path]:
    """One image per loop in ``directory``, that loop highlighted: R1.svg, B1.svg, ..."""
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the folder {str(folder)!r}: {exc.strerror}") from None
    picture = make_picture(diagram, analysis, options)
    written: list[Path] = []
    for loop in analysis.loops:
        picture.highlighted_loop = loop
        path = folder / f"{loop.name}{suffix}"
        _write(path, picture_bytes(picture, suffix, options))
        written.append(path)
    return written


def diagram_svg(
    diagram: Diagram, analysis: LoopAnalysis | None, options: ExportOptions = DEFAULT_OPTIONS
) -> str:
    """The diagram as SVG text (for reports)."""
    return picture_svg(make_picture(diagram, analysis, options)).decode("utf-8")


def clipboard_data(
    diagram: Diagram, analysis: LoopAnalysis | None, options: ExportOptions = DEFAULT_OPTIONS
) -> QMimeData:
    """The picture as clipboard data: a bitmap for any program, plus SVG for those that take
    vectors (Inkscape, LibreOffice)."""
    picture = make_picture(diagram, analysis, options)
    image = picture_image(picture, options.pixel_scale(picture.size), options.dpi)
    svg = picture_svg(picture)
    mime = qt_allocated_mime_data()  # see there: the clipboard may free it after Python
    mime.setImageData(image)
    mime.setData("image/svg+xml", QByteArray(svg))
    return mime


def copy_image_to_clipboard(
    diagram: Diagram, analysis: LoopAnalysis | None, options: ExportOptions = DEFAULT_OPTIONS
) -> None:
    """Edit > Copy Image: put the picture on the system clipboard."""
    QGuiApplication.clipboard().setMimeData(clipboard_data(diagram, analysis, options))


REPORT_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}


def write_report(diagram: Diagram, analysis: LoopAnalysis, out: str | Path) -> list[Path]:
    """Write the loop report: one self-contained HTML file, or Markdown with the diagram as
    an SVG file beside it (``out`` with the .svg extension). Returns the paths written."""
    out = Path(out)
    kind = REPORT_SUFFIXES.get(out.suffix.lower())
    if kind is None:
        shown = f"'{out.suffix}'" if out.suffix else "no extension"
        raise ExportError(f"unknown report type ({shown}): use .html or .md")
    svg = diagram_svg(diagram, analysis, ExportOptions(legend=True))
    if kind == "html":
        files = [(out, report_html(diagram, analysis, svg))]
    else:
        image = out.with_suffix(".svg")
        files = [(image, svg), (out, report_markdown(diagram, analysis, image.name))]
    for path, text in files:
        _write(path, text.encode("utf-8"))
    return [path for path, _ in files]


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise ExportError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
