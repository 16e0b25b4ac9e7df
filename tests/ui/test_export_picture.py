"""What an exported picture shows around the diagram: the waterline band across the whole
picture, clear of the legend, its captions where nothing else is; the line naming the
highlighted loop under the title; text without ligatures, so that PDF search and copy work;
loops found by name in any case or by their label's name."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pdf_helpers import pdf_text
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor

from cld_editor.analysis.loops import find_loops
from cld_editor.core.model import Diagram, Variable
from cld_editor.formats.native import load_diagram
from cld_editor.ui.drawing import export, render, render_overlays
from cld_editor.ui.drawing.export import ExportError, ExportOptions

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "resources" / "examples"
SVG = "{http://www.w3.org/2000/svg}"
LONG_TITLE = "Experience iceberg: how the employee experience below drives the customers' above"


def _is_water(colour: QColor) -> bool:
    return colour.blue() > colour.red() + 10


def _svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return [" ".join((e.text or "").split()) for e in root.iter(f"{SVG}text")]


def _pdf_text(path: Path) -> str:
    return pdf_text(path)


@pytest.fixture
def iceberg(qapp) -> Diagram:
    return load_diagram(EXAMPLES / "experience-iceberg.cld.json")


@pytest.fixture
def loop_diagram(qapp) -> Diagram:
    return load_diagram(EXAMPLES / "experience-loop.cld.json")


# -- waterline -------------------------------------------------------------------------------------
def test_the_band_spans_a_picture_wider_than_the_diagram(qapp):
    narrow = Diagram(
        title=LONG_TITLE,
        waterline=0.0,
        variables=[
            Variable(id="a", label="Service", domain="CX", x=0, y=-80),
            Variable(id="b", label="Training", domain="EX", x=0, y=80),
        ],
    )
    picture = export.make_picture(narrow, None, ExportOptions(title=True, legend=True))
    image = export.picture_image(picture, 1.0)
    _, line = picture.map_from_scene(0, narrow.waterline)
    left, _ = picture.map_from_scene(picture._source.left(), 0)
    assert left > 100  # the title made the picture much wider than the diagram
    y = int(line) + 30
    assert _is_water(image.pixelColor(1, y))
    assert _is_water(image.pixelColor(image.width() - 2, y))
    # The captions sit at the band's left end, outside the diagram.
    assert picture._caption_x < picture._source.left()


def test_the_band_stops_before_the_legend_rule(iceberg):
    picture = export.make_picture(iceberg, None, ExportOptions(legend=True))
    image = export.picture_image(picture, 1.0)
    rule = int(picture._legend_rect.top())
    x = image.width() // 2
    assert _is_water(image.pixelColor(x, rule - 12))
    assert image.pixelColor(x, rule - 4) == QColor(255, 255, 255)


def test_captions_move_clear_of_what_sits_on_the_line(iceberg):
    left = min(v.x for v in iceberg.variables)
    blocker = Variable(id="blocker", label="Sitting on the line", x=left, y=iceberg.waterline)
    crowded = iceberg.model_copy(update={"variables": [*iceberg.variables, blocker]})
    for diagram in (iceberg, crowded):
        picture = export.make_picture(diagram, None, ExportOptions())
        rects = render_overlays.waterline_caption_rects(diagram.waterline, picture._caption_x)
        obstacles = picture._layout_of_diagram.obstacles
        assert not [r for r in obstacles for c in rects if r.intersects(c)]
        band_left, band_right = picture._band()
        assert band_left < rects[0].left() and rects[0].right() < band_right


def test_captions_go_to_the_left_end_when_nothing_is_free(qapp):
    pad = render_overlays.CAPTION_PAD
    wall = [QRectF(-500, -30, 1000, 60)]
    assert render_overlays.waterline_caption_x(0.0, -400, 400, wall) == -400 + pad
    post = [QRectF(-400, -10, 100, 20)]
    assert render_overlays.waterline_caption_x(0.0, -400, 400, post) == -300 + pad


def test_captions_hide_the_least_when_nothing_is_free(qapp):
    # A loop label and a delay mark on the line at the left, links crossing it every 60 units
    # all along: no place is free, and a caption over a label or mark is unreadable, so the
    # captions go where only a link crosses them, not to the left end.
    pad = render_overlays.CAPTION_PAD
    label = QRectF(-400, -30, 60, 60)
    mark = QRectF(-330, -9, 18, 18)
    lines = [[(x, -100.0), (x, 100.0)] for x in range(-390, 400, 60)]
    x = render_overlays.waterline_caption_x(0.0, -400, 400, [label, mark], lines)
    above, below = render_overlays.waterline_caption_rects(0.0, x)
    assert x != -400 + pad
    for caption in (above, below):
        assert not caption.intersects(label) and not caption.intersects(mark)


# -- the highlighted loop's line -------------------------------------------------------------------
def test_each_loop_image_with_a_title_says_which_loop_it_shows(loop_diagram, tmp_path):
    analysis = find_loops(loop_diagram)
    written = export.export_each_loop(
        loop_diagram, tmp_path, ".svg", ExportOptions(title=True), analysis
    )
    lines = {p.stem: _svg_texts(p.read_bytes()) for p in written}
    assert "Turnover spiral (R1, reinforcing)" in lines["R1"]
    assert "Workload squeeze (B1, balancing)" in lines["B1"]
    assert "Virtuous cycle (R2, reinforcing)" in lines["R2"]
    assert loop_diagram.title in lines["R1"]
    unnamed = loop_diagram.model_copy(update={"loop_labels": []})
    picture = export.make_picture(unnamed, analysis, ExportOptions(title=True, loop="B1"))
    assert "B1 · balancing" in _svg_texts(export.picture_svg(picture))
    # No title asked, no line; no loop highlighted, no line.
    bare = export.make_picture(loop_diagram, analysis, ExportOptions(loop="R1"))
    assert not any("R1" in t and "reinforcing" in t for t in _svg_texts(export.picture_svg(bare)))
    plain = export.make_picture(loop_diagram, analysis, ExportOptions(title=True))
    lit = export.make_picture(loop_diagram, analysis, ExportOptions(title=True, loop="R1"))
    assert lit.size.height() > plain.size.height()


# -- ligatures -------------------------------------------------------------------------------------
def test_pdf_from_the_command_line_has_no_ligatures(tmp_path):
    out = tmp_path / "d.pdf"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    example = EXAMPLES / "experience-loop.cld.json"
    done = subprocess.run(
        [sys.executable, "-m", "cld_editor", "export", str(example), str(out), "--legend"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    text = _pdf_text(out)
    assert "Staff turnover" in text
    assert not [c for c in text if "\ufb00" <= c <= "\ufb06"]


def test_title_and_loop_names_have_no_ligatures_in_any_export(loop_diagram, tmp_path):
    # Text drawn by the export's own fonts (title, loop labels, legend, waterline) sets the
    # features itself, so it is right in the editor's exports too.
    diagram = loop_diagram.model_copy(update={"title": "Staff office affairs"})
    labels = [b.model_copy(update={"name": "Baffling effect"}) for b in diagram.loop_labels]
    links = [k.model_copy(update={"polarity": "?"}) for k in diagram.links]
    diagram = diagram.model_copy(update={"loop_labels": labels[:1], "links": links})
    options = ExportOptions(title=True, legend=True)
    text = _pdf_text(export.export_image(diagram, tmp_path / "t.pdf", options))
    for words in ("Staff office affairs", "Baffling effect", "Unknown effect"):
        assert words in text


def test_every_drawing_font_turns_ligatures_off(qapp):
    for font in (render.font(12, italic=True), render.font(8, bold=True), render.label_font()):
        for tag in render.LIGATURES:
            assert font.featureValue(font.Tag(tag)) == 0 and font.isFeatureSet(font.Tag(tag))


def test_variable_labels_have_no_ligatures_in_an_export_from_the_editor(loop_diagram, tmp_path):
    # This process's QApplication is the test's, as in the editor: no export-only font setting.
    text = _pdf_text(export.export_image(loop_diagram, tmp_path / "v.pdf", ExportOptions()))
    assert "Staff turnover" in text


# -- finding a loop --------------------------------------------------------------------------------
def test_loops_are_found_in_any_case_or_by_their_label_name(loop_diagram):
    analysis = find_loops(loop_diagram)
    r1 = analysis.by_name("R1")
    assert export.find_loop(analysis, "r1") is r1
    assert export.find_loop(analysis, "Turnover spiral", loop_diagram) is r1
    assert export.find_loop(analysis, "  turnover   SPIRAL ", loop_diagram) is r1
    with pytest.raises(ExportError, match="no loop named 'Turnover spiral'"):
        export.find_loop(analysis, "Turnover spiral")  # names need the diagram
    twice = [b.model_copy(update={"name": "Same"}) for b in loop_diagram.loop_labels]
    doubled = loop_diagram.model_copy(update={"loop_labels": twice})
    with pytest.raises(ExportError, match="3 loops are called 'Same'"):
        export.find_loop(analysis, "Same", doubled)
    picture = export.make_picture(loop_diagram, analysis, ExportOptions(loop="virtuous cycle"))
    assert picture.highlighted_loop is analysis.by_name("R2")


def test_an_unknown_loop_name_says_what_the_listing_holds():
    """A listing that stopped with no loop listed has not shown the diagram has none; a
    complete listing without loops has."""
    from cld_editor.analysis.loops import LoopAnalysis
    from cld_editor.ui.drawing.picture import find_loop

    with pytest.raises(ExportError, match=r"\(the diagram has none\)"):
        find_loop(LoopAnalysis([], True), "R1")
    with pytest.raises(ExportError, match=r"\(no loop is listed; the listing stopped at a limit"):
        find_loop(LoopAnalysis([], False, "time limit"), "R1")
