"""Export benchmark: a 1,000-variable / 3,000-link diagram to PNG, SVG and PDF, beside
``QGraphicsScene.render`` of the same number of plain rect and line items onto the same kind of
device, measured in the same run.

Run: ``python -m benchmarks.bench_export [--variables N] [--links M] [--repeat R] [--scale S]``.
Each cld-editor figure is a whole export as the ``export`` command does it (layout, drawing,
encoding, writing the file); the baseline draws bare Qt items (no text, no arcs, no arrowheads)
into an image, SVG or PDF of the same size and writes it. The ratio says what the diagram's
look costs on top of Qt. Target (issue 4): each export under 3 s on the 2-core test machines.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QIODevice, QLineF, QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QImage,
    QImageWriter,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsLineItem, QGraphicsRectItem, QGraphicsScene

from cld_editor.core.model import Diagram
from cld_editor.ui.drawing import export
from cld_editor.ui.drawing.export import ExportOptions

try:
    from benchmarks.diagrams import random_diagram
except ImportError:  # run as a script from inside benchmarks/
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from benchmarks.diagrams import random_diagram

TARGET_SECONDS = 3.0
#: The baseline writes its PNG with Qt's encoder at zlib level 1 (Qt maps quality 80 to it).
PLAIN_PNG_QUALITY = 80


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_time(action: Callable[[], object], repeat: int) -> float:
    return statistics.median(timed(action) for _ in range(repeat))


def plain_scene(diagram: Diagram) -> QGraphicsScene:
    """The baseline: one bare rect per variable and one straight line per link."""
    scene = QGraphicsScene()
    pen = QPen(Qt.GlobalColor.darkGray, 1.5)
    where = {v.id: (v.x, v.y) for v in diagram.variables}
    for v in diagram.variables:
        rect = QGraphicsRectItem(QRectF(-45, -15, 90, 30))
        rect.setPos(v.x, v.y)
        scene.addItem(rect)
    for link in diagram.links:
        (x1, y1), (x2, y2) = where[link.source], where[link.target]
        line = QGraphicsLineItem(QLineF(x1, y1, x2, y2))
        line.setPen(pen)
        scene.addItem(line)
    return scene


def render_plain(scene: QGraphicsScene, suffix: str, size: QSizeF, scale: float, out: Path) -> None:
    """``scene.render`` onto the device the same export would use, then write the file."""
    source = scene.itemsBoundingRect()
    if suffix == ".png":
        image = QImage(
            round(size.width() * scale),
            round(size.height() * scale),
            QImage.Format.Format_RGB32,
        )
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scene.render(painter, QRectF(image.rect()), source)
        painter.end()
        image.save(str(out), "PNG", PLAIN_PNG_QUALITY)
    elif suffix == ".svg":
        generator = QSvgGenerator()
        generator.setFileName(str(out))
        generator.setSize(QSize(round(size.width()), round(size.height())))
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        painter = QPainter(generator)
        scene.render(painter, QRectF(0, 0, size.width(), size.height()), source)
        painter.end()
    else:
        writer = QPdfWriter(str(out))
        points = QSizeF(size.width() * 0.75, size.height() * 0.75)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(points, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch),
                QPageLayout.Orientation.Portrait,
                QMarginsF(),
                QPageLayout.Unit.Point,
            )
        )
        painter = QPainter(writer)
        scene.render(painter, QRectF(painter.viewport()), source)
        painter.end()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variables", type=int, default=1000)
    parser.add_argument("--links", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="PNG scale (default 1)")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    diagram = random_diagram(args.variables, args.links / args.variables, seed=4)
    options = ExportOptions(scale=args.scale)
    picture = export.make_picture(diagram, None, options)
    size = picture.size
    scene = plain_scene(diagram)
    print(
        f"{len(diagram.variables):,} variables, {len(diagram.links):,} links; picture "
        f"{size.width():.0f} x {size.height():.0f} units, PNG scale {args.scale:g} "
        f"({size.width() * args.scale:.0f} x {size.height() * args.scale:.0f} px); "
        f"median of {args.repeat}"
    )
    print(f"{'format':<7}{'cld-editor':>12}{'plain Qt':>11}{'ratio':>8}   target < 3 s")
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".png", ".svg", ".pdf"):
            ours_path = Path(folder) / f"ours{suffix}"
            plain_path = Path(folder) / f"plain{suffix}"
            ours = median_time(
                lambda s=suffix, p=ours_path: export.export_image(diagram, p, options), args.repeat
            )
            plain = median_time(
                lambda s=suffix, p=plain_path: render_plain(scene, s, size, args.scale, p),
                args.repeat,
            )
            worst = max(worst, ours)
            verdict = "ok" if ours < TARGET_SECONDS else "OVER"
            kib = ours_path.stat().st_size / 1024
            print(
                f"{suffix[1:]:<7}{ours:>11.2f}s{plain:>10.2f}s{ours / plain:>7.1f}x   "
                f"{verdict} ({kib:,.0f} KiB)"
            )
        print_png_breakdown(diagram, options, args.repeat, Path(folder) / "parts.png")
    del app
    return 0 if worst < TARGET_SECONDS else 1


def print_png_breakdown(diagram: Diagram, options: ExportOptions, repeat: int, out: Path) -> None:
    """Where a PNG export's time goes: layout, drawing, encoding, writing."""
    layout = median_time(lambda: export.make_picture(diagram, None, options), repeat)
    picture = export.make_picture(diagram, None, options)
    scale = options.pixel_scale(picture.size)
    draw = median_time(lambda: export.picture_image(picture, scale), repeat)
    image = export.picture_image(picture, scale)
    data: list[bytes] = []
    encode = median_time(lambda: data.append(export.png_bytes(image)), repeat)
    write = median_time(lambda: export._write(out, data[-1]), repeat)
    print(
        f"png parts: layout {layout:.2f}s, drawing {draw:.2f}s, "
        f"encoding {encode:.2f}s, writing {write:.2f}s"
    )
    print_png_encoders(image, repeat)


def qt_png_bytes(image: QImage, quality: int) -> bytes:
    """Qt's own PNG writer (libpng); quality 80 is zlib level 1, 90 and up store uncompressed."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, b"png")
    writer.setQuality(quality)
    if not writer.write(image):
        raise RuntimeError(writer.errorString())
    return bytes(buffer.data().data())


def print_png_encoders(image: QImage, repeat: int) -> None:
    """The hand-written encoder (unfiltered rows, zlib level 1 in bands on several threads)
    against Qt's QImageWriter at low compression, on the same image: time and file size."""
    pixels = image.width() * image.height() / 1e6
    ours: list[bytes] = []
    t_ours = median_time(lambda: ours.append(export.png_bytes(image)), repeat)
    print(f"png encoders on {image.width()} x {image.height()} px ({pixels:.1f} Mpx):")
    print(
        f"  export.png_bytes (threaded zlib 1)  {t_ours:6.2f}s  {len(ours[-1]) / 1024:>9,.0f} KiB"
    )
    for quality in (80, 50):
        theirs: list[bytes] = []
        t_qt = median_time(lambda q=quality, out=theirs: out.append(qt_png_bytes(image, q)), repeat)
        print(
            f"  QImageWriter quality {quality:<3}            {t_qt:6.2f}s  "
            f"{len(theirs[-1]) / 1024:>9,.0f} KiB   time x{t_qt / t_ours:.2f}, "
            f"size x{len(theirs[-1]) / len(ours[-1]):.2f}"
        )


if __name__ == "__main__":
    sys.exit(main())
