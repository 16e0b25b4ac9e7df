"""PNG export speed without a change of look: the diagram is laid out once per picture (not
again at each paint), and the PNG encoder writes exactly the pixels Qt drew, as a valid file."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from cld_editor.analysis.loops import find_loops
from cld_editor.core.model import Diagram
from cld_editor.formats.native import load_diagram
from cld_editor.ui.drawing import export, render, render_diagram, render_links
from cld_editor.ui.drawing.export import ExportOptions
from cld_editor.ui.drawing.picture import MARGIN

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


@pytest.fixture
def loop_diagram(qapp) -> Diagram:
    return load_diagram(EXAMPLES / "experience-loop.cld.json")


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks of a PNG file, each CRC checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks.append((kind, body))
        at += 12 + length
    return chunks


def test_painting_a_picture_does_not_lay_the_diagram_out_again(loop_diagram, monkeypatch):
    analysis = find_loops(loop_diagram)
    picture = export.make_picture(loop_diagram, analysis, ExportOptions(title=True))
    calls: list[object] = []
    real = render_links.link_paths
    monkeypatch.setattr(render_links, "link_paths", lambda g: calls.append(g) or real(g))
    export.picture_image(picture, 1.0)
    picture.highlighted_loop = analysis.loops[0]  # as --each-loop does between images
    export.picture_svg(picture)
    assert calls == []


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.cld.json")))
def test_the_picture_draws_what_render_diagram_draws(qapp, name):
    """The kept layout gives render_diagram's bounds and, the waterline band aside (it spans
    the whole picture), its very pixels."""
    diagram = load_diagram(EXAMPLES / name)
    analysis = find_loops(diagram)
    picture = export.make_picture(diagram, analysis, ExportOptions())
    bounds = render_diagram.diagram_bounds(diagram, analysis, MARGIN)
    assert picture._source == bounds
    dry = diagram.model_copy(update={"waterline": None})
    picture = export.make_picture(dry, analysis, ExportOptions())
    picture.highlighted_loop = analysis.loops[0] if analysis.loops else None
    ours = export.picture_image(picture, 1.0)
    theirs = QImage(ours.size(), ours.format())
    theirs.fill(render.BACKGROUND)
    painter = QPainter(theirs)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.translate(*picture.map_from_scene(0.0, 0.0))
    render_diagram.render_diagram(
        painter,
        dry,
        analysis=analysis,
        highlighted_loop=picture.highlighted_loop,
        area=QRectF(picture._source),
    )
    painter.end()
    assert ours == theirs


@pytest.mark.parametrize("transparent", [False, True])
def test_png_bytes_are_a_valid_png_of_exactly_the_drawn_pixels(
    loop_diagram, monkeypatch, transparent
):
    monkeypatch.setattr(export, "PNG_BAND_BYTES", 50_000)  # many bands, as a big image has
    picture = export.make_picture(loop_diagram, None, ExportOptions(transparent=transparent))
    image = export.picture_image(picture, 1.5, dpi=144)
    data = export.png_bytes(image)
    chunks = _chunks(data)
    kinds = [kind for kind, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"IDAT" in kinds
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    assert (width, height, depth) == (image.width(), image.height(), 8)
    assert colour == (6 if transparent else 2)  # RGBA or RGB
    physical = dict(chunks)[b"pHYs"]
    assert struct.unpack(">IIB", physical) == (round(144 / 0.0254),) * 2 + (1,)
    stream = b"".join(body for kind, body in chunks if kind == b"IDAT")
    raw = zlib.decompress(stream)  # checks the Adler-32 of the whole stream
    assert len(raw) == height * (1 + width * (4 if transparent else 3))
    back = QImage.fromData(data)
    assert back.dotsPerMeterX() == image.dotsPerMeterX()
    assert back == image.convertToFormat(back.format())


def test_png_files_are_what_qt_would_have_written_pixel_for_pixel(loop_diagram, tmp_path):
    path = export.export_image(loop_diagram, tmp_path / "d.png", ExportOptions(scale=1))
    picture = export.make_picture(loop_diagram, None, ExportOptions(scale=1))
    drawn = export.picture_image(picture, 1.0)
    assert drawn.save(str(tmp_path / "qt.png"), "PNG")
    ours, qts = QImage(str(path)), QImage(str(tmp_path / "qt.png"))
    assert ours.convertToFormat(qts.format()) == qts
