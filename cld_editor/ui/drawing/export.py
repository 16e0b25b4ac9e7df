"""Export a diagram as a picture: PNG, SVG and PDF files, an image for the clipboard, and the
loop report with its diagram.

Every format draws one :class:`~cld_editor.ui.drawing.picture.DiagramPicture` (the diagram cropped
to its content, optional title and legend, drawn by the canvas's own paint functions). PNG is a
QImage at the asked scale or DPI; SVG comes from QSvgGenerator, with text kept as text and a
viewBox in scene units; PDF from QPdfWriter, vector with embedded fonts, one page sized to the
picture or A4 landscape. Files are written atomically. Errors the user can fix are
:class:`ExportError` with a one-line reason."""

from __future__ import annotations

import math
import os
import struct
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
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

from cld_editor.analysis.census import Census
from cld_editor.analysis.loops import LoopAnalysis
from cld_editor.core.model import Diagram
from cld_editor.formats.native import atomic_write
from cld_editor.formats.report import report_html, report_markdown
from cld_editor.formats.xml_text import xml_safe_utf8
from cld_editor.ui.drawing import render
from cld_editor.ui.drawing.picture import (
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
from cld_editor.ui.mime import qt_allocated_mime_data

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
    "png_bytes",
    "report_image_path",
    "write_report",
]

#: Refuse pictures larger than this many pixels: Qt would fail to allocate them anyway.
MAX_PIXELS = 400_000_000
A4_MARGIN_MM = 10.0
#: zlib level of PNG files: on diagrams (large flat areas) level 1 encodes three times as fast
#: as the default level 6 and the files come out no larger.
PNG_COMPRESSION = 1
#: Rows are compressed in bands of about this many bytes, on several threads (zlib lets go of
#: Python's lock while it works); each band costs a few bytes of flush markers.
PNG_BAND_BYTES = 4 << 20
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
    return png_bytes(picture_image(picture, scale, dpi))


def png_bytes(image: QImage) -> bytes:
    """``image`` as a PNG file: 8-bit RGB, or RGBA when it has an alpha channel, with its
    resolution (pHYs). Qt's writer (libpng with its default adaptive row filters) works on one
    core; pictures of diagrams are mostly flat colour, which deflate handles well unfiltered,
    so rows are stored as they are (filter 0) and compressed by bands on all cores, as pigz
    does: each band a raw deflate stream ended by a sync flush, one zlib stream in all. The
    pixels are the same as from Qt's writer; a 40-megapixel picture encodes in half the time
    into a quarter fewer bytes."""
    alpha = image.hasAlphaChannel()
    fmt = QImage.Format.Format_RGBA8888 if alpha else QImage.Format.Format_RGB888
    width, height = image.width(), image.height()
    row = width * (4 if alpha else 3)
    rows_per_band = max(1, PNG_BAND_BYTES // (row + 1))
    adler = zlib.adler32(b"")
    parts: list[Future[bytes]] = []
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for top in range(0, height, rows_per_band):
            raw = _unfiltered_rows(image, top, min(rows_per_band, height - top), fmt, row)
            adler = zlib.adler32(raw, adler)
            parts.append(pool.submit(_deflate, raw))
        data = b"".join(part.result() for part in parts)
    end = zlib.compressobj(PNG_COMPRESSION, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    stream = b"\x78\x01" + data + end + adler.to_bytes(4, "big")  # zlib header, fast level
    dots_x, dots_y = max(0, image.dotsPerMeterX()), max(0, image.dotsPerMeterY())
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)),
            _chunk(b"pHYs", struct.pack(">IIB", dots_x, dots_y, 1)),
            _chunk(b"IDAT", stream),
            _chunk(b"IEND", b""),
        )
    )


def _unfiltered_rows(image: QImage, top: int, count: int, fmt: QImage.Format, row: int) -> bytes:
    """``count`` rows from ``top`` as PNG scanlines: a 0 (no filter) before each row's bytes."""
    band = image.copy(0, top, image.width(), count).convertToFormat(fmt)
    bits, stride = memoryview(band.constBits()).cast("B"), band.bytesPerLine()
    out = bytearray((row + 1) * count)
    for i in range(count):
        out[i * (row + 1) + 1 : (i + 1) * (row + 1)] = bits[i * stride : i * stride + row]
    return bytes(out)


def _deflate(raw: bytes) -> bytes:
    packer = zlib.compressobj(PNG_COMPRESSION, zlib.DEFLATED, -15)
    return packer.compress(raw) + packer.flush(zlib.Z_SYNC_FLUSH)


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return len(data).to_bytes(4, "big") + kind + data + crc.to_bytes(4, "big")


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
    # Qt copies text through unchecked: U+FFFF (or a control character) would make the file
    # unreadable to any XML parser.
    return xml_safe_utf8(_css_font_family(bytes(buffer.data().data())))


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


def write_report(
    diagram: Diagram, analysis: LoopAnalysis, out: str | Path, census: Census | None = None
) -> list[Path]:
    """Write the loop report: one self-contained HTML file, or Markdown with the diagram as
    an SVG file beside it (:func:`report_image_path`). Returns the paths written. ``census``:
    a complete count of all loops of ``diagram`` (see :func:`.report.report_data`)."""
    out = Path(out)
    kind = REPORT_SUFFIXES.get(out.suffix.lower())
    if kind is None:
        shown = f"'{out.suffix}'" if out.suffix else "no extension"
        raise ExportError(f"unknown report type ({shown}): use .html or .md")
    svg = diagram_svg(diagram, analysis, ExportOptions(legend=True))
    if kind == "html":
        files = [(out, report_html(diagram, analysis, svg, census=census))]
    else:
        image = report_image_path(out)
        text = report_markdown(diagram, analysis, image.name, census=census)
        files = [(image, svg), (out, text)]
    for path, text in files:
        _write(path, text.encode("utf-8"))
    return [path for path, _ in files]


def report_image_path(out: Path) -> Path:
    """The diagram beside a Markdown report: ``x.md`` -> ``x.diagram.svg``, a name of its own,
    so that it never overwrites ``x.svg``, the plain export a user may keep next to it."""
    return out.with_name(f"{out.stem}.diagram.svg")


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise ExportError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
