"""Exports: PNG size, content and background; SVG as text without bitmaps; one-page PDF with its
labels as text; legend, title, highlight, selection, waterline; one image per loop; the
Export Image dialog."""

from __future__ import annotations

import dataclasses
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pdf_helpers import pdf_text
from PySide6.QtCore import QSettings, QSizeF
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QMessageBox

from cld_editor.analysis.loops import LoopAnalysis, find_loops
from cld_editor.core.model import Diagram
from cld_editor.formats.native import load_diagram
from cld_editor.ui.drawing import export, legend
from cld_editor.ui.drawing.export import ExportError, ExportOptions
from cld_editor.ui.window import export_dialog
from cld_editor.ui.window.export_actions import copy_image_or_warn, write_report_or_warn
from cld_editor.ui.window.export_dialog import ExportImageDialog

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def loop_diagram(qapp) -> Diagram:
    return load_diagram(EXAMPLES / "experience-loop.cld.json")


@pytest.fixture
def loop_analysis(loop_diagram: Diagram) -> LoopAnalysis:
    return find_loops(loop_diagram)


def _labels(diagram: Diagram) -> list[str]:
    return [" ".join(v.label.split()) for v in diagram.variables]


def _svg_texts(svg: bytes | str) -> str:
    root = ET.fromstring(svg)
    return " ".join(" ".join((e.text or "").split()) for e in root.iter(f"{SVG}text"))


def _dark_pixels(image: QImage) -> int:
    """Pixels drawn dark (text, lines, borders): what dimming takes away."""
    small = image.convertToFormat(QImage.Format.Format_ARGB32)
    count = 0
    for y in range(0, small.height(), 2):
        for x in range(0, small.width(), 2):
            colour = small.pixelColor(x, y)
            if colour.alpha() > 128 and colour.lightness() < 110:
                count += 1
    return count


# -- PNG -----------------------------------------------------------------------------------------
def test_png_size_follows_the_scale_and_dpi(loop_diagram, loop_analysis, tmp_path):
    picture = export.make_picture(loop_diagram, loop_analysis, ExportOptions())
    width, height = picture.size.width(), picture.size.height()
    for scale in (1.0, 2.5):
        path = export.export_image(
            loop_diagram, tmp_path / f"s{scale}.png", ExportOptions(scale=scale), loop_analysis
        )
        image = QImage(str(path))
        assert (image.width(), image.height()) == (
            pytest.approx(width * scale, abs=1),
            pytest.approx(height * scale, abs=1),
        )
    by_dpi = QImage(
        str(export.export_image(loop_diagram, tmp_path / "d.png", ExportOptions(dpi=192)))
    )
    assert by_dpi.width() == pytest.approx(width * 2, abs=1)
    assert by_dpi.dotsPerMeterX() == pytest.approx(192 / 0.0254, abs=1)


def test_default_scale_is_2_unless_the_image_would_be_huge(loop_diagram, tmp_path):
    options = ExportOptions()
    assert options.pixel_scale(QSizeF(800, 600)) == 2.0
    big = options.pixel_scale(QSizeF(10_000, 8_000))
    # Within the cap counting whole pixels, a hair under it in scene units.
    assert math.ceil(10_000 * big) * math.ceil(8_000 * big) <= export.AUTO_MAX_PIXELS
    assert 10_000 * 8_000 * big**2 == pytest.approx(export.AUTO_MAX_PIXELS, rel=1e-3)
    assert ExportOptions(scale=3).pixel_scale(QSizeF(10_000, 8_000)) == 3
    assert ExportOptions(dpi=48).pixel_scale(QSizeF(10, 10)) == 0.5
    picture = export.make_picture(loop_diagram, None, options)
    image = QImage(str(export.export_image(loop_diagram, tmp_path / "d.png")))
    assert image.width() == pytest.approx(2 * picture.size.width(), abs=1)


def test_png_is_cropped_to_the_content(loop_diagram):
    # The variables span 660 x 590 units; the picture adds margins, not the canvas's scene.
    picture = export.make_picture(loop_diagram, None, ExportOptions())
    assert 700 < picture.size.width() < 1000
    assert 600 < picture.size.height() < 950


def test_png_has_the_background_asked_for_and_is_not_blank(loop_diagram, tmp_path):
    white = QImage(str(export.export_image(loop_diagram, tmp_path / "w.png", ExportOptions())))
    clear = QImage(
        str(export.export_image(loop_diagram, tmp_path / "t.png", ExportOptions(transparent=True)))
    )
    assert white.pixelColor(0, 0) == QColor(255, 255, 255, 255)
    assert clear.pixelColor(0, 0).alpha() == 0
    assert clear.hasAlphaChannel()
    assert _dark_pixels(white) > 1000
    assert _dark_pixels(clear) > 1000


def test_highlighting_a_loop_dims_the_rest(loop_diagram, loop_analysis):
    plain = export.make_picture(loop_diagram, loop_analysis, ExportOptions())
    lit = export.make_picture(loop_diagram, loop_analysis, ExportOptions(loop="R1"))
    dark_plain = _dark_pixels(export.picture_image(plain, 1.0))
    dark_lit = _dark_pixels(export.picture_image(lit, 1.0))
    # R1 runs through 3 of the 10 variables: most of the drawing fades.
    assert dark_lit < 0.7 * dark_plain
    with pytest.raises(ExportError, match="no loop named 'R9'"):
        export.make_picture(loop_diagram, loop_analysis, ExportOptions(loop="R9"))


def test_the_waterline_band_is_inside_the_picture(qapp):
    diagram = load_diagram(EXAMPLES / "experience-iceberg.cld.json")
    assert diagram.waterline is not None
    picture = export.make_picture(diagram, None, ExportOptions())
    image = export.picture_image(picture, 1.0)
    _, y = picture.map_from_scene(0, diagram.waterline)
    below = image.pixelColor(3, int(y) + 12)
    above = image.pixelColor(3, int(y) - 40)
    assert above == QColor(255, 255, 255)
    assert below.blue() > below.red() + 10  # the light blue water


def test_an_empty_diagram_exports_a_small_blank_picture(qapp, tmp_path):
    path = export.export_image(Diagram(), tmp_path / "empty.png", ExportOptions(scale=1))
    image = QImage(str(path))
    assert 0 < image.width() < 400 and 0 < image.height() < 400


def test_unknown_image_type_is_refused(loop_diagram, tmp_path):
    with pytest.raises(ExportError, match=r"unknown image type \('\.jpg'\)"):
        export.export_image(loop_diagram, tmp_path / "x.jpg")
    assert not (tmp_path / "x.jpg").exists()


# -- SVG -----------------------------------------------------------------------------------------
def test_svg_is_valid_xml_with_labels_as_text_and_no_bitmap(loop_diagram, loop_analysis, tmp_path):
    path = export.export_image(
        loop_diagram, tmp_path / "d.svg", ExportOptions(legend=True), loop_analysis
    )
    data = path.read_bytes()
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    assert not [e for e in root.iter() if e.tag.endswith("image")]
    assert b"<image" not in data and b"data:image" not in data
    texts = _svg_texts(data)
    for label in _labels(loop_diagram):
        assert label in texts
    for name in ("R1", "R2", "B1", "Virtuous cycle"):
        assert name in texts
    assert root.findtext(f"{SVG}title") == loop_diagram.title
    view_box = [float(n) for n in root.get("viewBox", "").split()]
    picture = export.make_picture(loop_diagram, loop_analysis, ExportOptions(legend=True))
    assert view_box == pytest.approx([0, 0, picture.size.width(), picture.size.height()])
    # A font family browsers know: Qt's "Sans Serif" alias would fall back to a serif font.
    assert b'font-family="Sans Serif"' not in data
    assert b"sans-serif" in data


def test_svg_background_is_white_or_absent(loop_diagram):
    picture = export.make_picture(loop_diagram, None, ExportOptions())
    w, h = picture.size.width(), picture.size.height()
    page = f'<rect x="0" y="0" width="{w:g}" height="{h:g}"/>'
    assert page in export.diagram_svg(loop_diagram, None)
    assert page not in export.diagram_svg(loop_diagram, None, ExportOptions(transparent=True))


def test_svg_escapes_user_text(qapp):
    diagram = Diagram.model_validate(
        {
            "title": 'A <b>&"title"',
            "variables": [
                {"id": "a", "label": "<img src=x>", "x": 0, "y": 0},
                {"id": "b", "label": 'Tom & Jerry\'s "café"', "x": 220, "y": 0},
            ],
            "links": [{"source": "a", "target": "b"}],
        }
    )
    svg = export.diagram_svg(diagram, None, ExportOptions(title=True))
    root = ET.fromstring(svg)  # parses: nothing unescaped
    texts = _svg_texts(svg)
    assert "<img src=x>" in texts and 'Tom & Jerry\'s "café"' in texts
    assert 'A <b>&"title"' in texts
    assert root.findtext(f"{SVG}title") == 'A <b>&"title"'


def test_title_and_legend_are_drawn_only_when_asked(loop_diagram, loop_analysis):
    bare = _svg_texts(export.diagram_svg(loop_diagram, loop_analysis))
    full = _svg_texts(
        export.diagram_svg(loop_diagram, loop_analysis, ExportOptions(title=True, legend=True))
    )
    assert loop_diagram.title not in bare and "Reinforcing loop" not in bare
    assert loop_diagram.title in full
    for text in ("Reinforcing loop", "Balancing loop", "Delay", "Customer experience"):
        assert text in full


def test_legend_lists_only_what_the_diagram_uses(loop_diagram, loop_analysis):
    keys = {(e.kind, e.key) for e in legend.legend_entries(loop_diagram, loop_analysis)}
    assert keys == {
        ("loop", "reinforcing"),
        ("loop", "balancing"),
        ("sign", "+"),
        ("sign", "-"),
        ("delay", ""),
        ("domain", "CX"),
        ("domain", "EX"),
    }
    plain = Diagram.model_validate(
        {
            "variables": [{"id": "a", "x": 0, "y": 0}, {"id": "b", "x": 200, "y": 0}],
            "links": [{"source": "a", "target": "b", "polarity": "?"}],
        }
    )
    assert [(e.kind, e.key) for e in legend.legend_entries(plain)] == [("sign", "?")]


def test_only_the_selection(loop_diagram, loop_analysis):
    options = ExportOptions(only=frozenset({"workload", "burnout", "turnover"}))
    texts = _svg_texts(export.diagram_svg(loop_diagram, loop_analysis, options))
    assert "Workload" in texts and "Staff turnover" in texts
    assert "Revenue" not in texts and "Service quality" not in texts
    # The loop label of the loop inside the selection comes along, the others do not.
    assert "Turnover spiral" in texts and "Virtuous cycle" not in texts
    with pytest.raises(ExportError, match="nothing is selected"):
        export.make_picture(loop_diagram, loop_analysis, ExportOptions(only=frozenset()))


# -- PDF -----------------------------------------------------------------------------------------
def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def test_pdf_is_one_vector_page_with_embedded_fonts(loop_diagram, loop_analysis, tmp_path):
    path = export.export_image(loop_diagram, tmp_path / "d.pdf", ExportOptions(), loop_analysis)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert _pdf_pages(data) == 1
    assert b"/FontFile2" in data  # TrueType fonts embedded
    assert b"/Subtype /Image" not in data and b"/Subtype/Image" not in data
    picture = export.make_picture(loop_diagram, loop_analysis, ExportOptions())
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert box is not None
    size = (float(box.group(1)), float(box.group(2)))
    assert size == pytest.approx(
        (picture.size.width() * 0.75, picture.size.height() * 0.75), abs=1.5
    )


def test_pdf_on_a4_landscape(loop_diagram, tmp_path):
    data = export.export_image(loop_diagram, tmp_path / "a4.pdf", ExportOptions(page="a4"))
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data.read_bytes())
    assert box is not None
    assert (float(box.group(1)), float(box.group(2))) == pytest.approx((842, 595), abs=1)


def test_pdf_labels_are_extractable_text(loop_diagram, loop_analysis, tmp_path):
    path = export.export_image(loop_diagram, tmp_path / "d.pdf", ExportOptions(), loop_analysis)
    words = pdf_text(path)
    for label in _labels(loop_diagram):
        for word in label.split():
            assert word in words


# -- several images, reports, clipboard ---------------------------------------------------------
def test_each_loop_writes_one_image_per_loop(loop_diagram, loop_analysis, tmp_path):
    written = export.export_each_loop(
        loop_diagram, tmp_path / "loops", ".svg", ExportOptions(), loop_analysis
    )
    assert sorted(p.name for p in written) == ["B1.svg", "R1.svg", "R2.svg"]
    assert sorted(p.name for p in (tmp_path / "loops").iterdir()) == ["B1.svg", "R1.svg", "R2.svg"]
    # Each file highlights its own loop: the files differ.
    assert len({p.read_bytes() for p in written}) == 3


def test_write_report_html_and_markdown(loop_diagram, loop_analysis, tmp_path):
    [page] = export.write_report(loop_diagram, loop_analysis, tmp_path / "r.html")
    html = page.read_text(encoding="utf-8")
    assert "<svg" in html and "<?xml" not in html
    # A plain export of the same name stays: the report's diagram has a name of its own.
    plain = export.export_image(loop_diagram, tmp_path / "r.svg", ExportOptions(title=True))
    before = plain.read_bytes()
    svg, md = export.write_report(loop_diagram, loop_analysis, tmp_path / "r.md")
    assert svg.name == "r.diagram.svg" and md.name == "r.md"
    ET.fromstring(svg.read_bytes())
    assert "](r.diagram.svg)" in md.read_text(encoding="utf-8")
    assert plain.read_bytes() == before
    with pytest.raises(ExportError, match="unknown report type"):
        export.write_report(loop_diagram, loop_analysis, tmp_path / "r.txt")


def test_clipboard_data_has_a_bitmap_and_svg(loop_diagram, loop_analysis):
    mime = export.clipboard_data(loop_diagram, loop_analysis, ExportOptions(scale=1))
    assert mime.hasImage()
    assert "Employee" in _svg_texts(bytes(mime.data("image/svg+xml").data()))


# -- dialog --------------------------------------------------------------------------------------
@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_dialog_type_follows_the_extension_and_exports(
    qtbot, loop_diagram, loop_analysis, tmp_path, settings
):
    dialog = ExportImageDialog(
        loop_diagram, loop_analysis, highlighted_loop="B1", settings=settings
    )
    qtbot.addWidget(dialog)
    assert dialog.loop_combo.currentData() == "B1"
    assert not dialog.selection_check.isEnabled()
    assert "pixels" in dialog.pixels_label.text()
    dialog.path_edit.setText(str(tmp_path / "out.svg"))
    assert dialog.suffix() == ".svg"
    assert not dialog.scale_spin.isEnabled()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(".pdf"))
    assert dialog.path() == tmp_path / "out.pdf"
    assert not dialog.transparent_radio.isEnabled() and dialog.page_combo.isEnabled()
    dialog.legend_check.setChecked(True)
    assert dialog.export()
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    # The choices are remembered for next time.
    again = ExportImageDialog(loop_diagram, loop_analysis, settings=settings)
    qtbot.addWidget(again)
    assert again.legend_check.isChecked()
    assert again.suffix() == ".pdf" and again.path().parent == tmp_path


def test_dialog_exports_the_selection_as_png(
    qtbot, loop_diagram, loop_analysis, tmp_path, settings
):
    dialog = ExportImageDialog(
        loop_diagram, loop_analysis, selected_ids=["workload", "burnout"], settings=settings
    )
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "part.png"))
    dialog.selection_check.setChecked(True)
    dialog.scale_spin.setValue(1.0)
    dialog.transparent_radio.setChecked(True)
    options = dialog.options()
    assert options.only == frozenset({"workload", "burnout"}) and options.transparent
    assert dialog.export()
    image = QImage(str(tmp_path / "part.png"))
    whole = export.make_picture(loop_diagram, loop_analysis, ExportOptions())
    assert 0 < image.height() < whole.size.height() / 3
    assert image.pixelColor(0, 0).alpha() == 0


def test_dialog_lists_a_few_hundred_loops_and_says_how_many_more(
    qtbot, loop_diagram, loop_analysis, settings
):
    template = loop_analysis.loops[0]
    many = [dataclasses.replace(template, name=f"R{i + 1}") for i in range(5_000)]
    analysis = dataclasses.replace(loop_analysis, loops=many)
    cap = export_dialog.MAX_LOOP_CHOICES
    dialog = ExportImageDialog(loop_diagram, analysis, highlighted_loop="R4321", settings=settings)
    qtbot.addWidget(dialog)
    combo = dialog.loop_combo
    # None, the first loops, the canvas's highlighted loop, and the note.
    assert combo.count() == 1 + cap + 1 + 1
    assert combo.itemData(cap) == f"R{cap}" and combo.itemData(cap + 1) == "R4321"
    assert combo.currentData() == "R4321"
    note = combo.model().item(combo.count() - 1)
    assert not note.isEnabled() and combo.itemData(combo.count() - 1) is None
    assert f"{5_000 - cap - 1:,} more loops" in note.text()
    few = ExportImageDialog(loop_diagram, loop_analysis, settings=settings)
    qtbot.addWidget(few)
    assert few.loop_combo.count() == 1 + len(loop_analysis.loops)  # no note when all fit


def test_dialog_says_why_an_export_failed(qtbot, loop_diagram, tmp_path, settings, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(
        "cld_editor.ui.window.message_box.warn",
        lambda parent, title, text: shown.append(text),
    )
    dialog = ExportImageDialog(loop_diagram, None, settings=settings)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "missing-folder" / "x.png"))
    assert not dialog.export()
    assert shown and "cannot write" in shown[0]
    assert dialog.written is None


def test_copy_image_puts_the_selection_on_the_clipboard(qtbot, loop_diagram, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(
        "cld_editor.ui.window.message_box.warn",
        lambda parent, title, text: shown.append(text),
    )
    analysis = find_loops(loop_diagram)
    assert copy_image_or_warn(None, loop_diagram, analysis, highlighted_loop="R1")
    whole = QGuiApplication.clipboard().mimeData()
    assert whole.hasImage() and "Revenue" in _svg_texts(bytes(whole.data("image/svg+xml").data()))
    assert copy_image_or_warn(None, loop_diagram, analysis, selected_ids=["workload", "burnout"])
    part = _svg_texts(bytes(QGuiApplication.clipboard().mimeData().data("image/svg+xml").data()))
    assert "Workload" in part and "Revenue" not in part
    assert not copy_image_or_warn(None, loop_diagram, analysis, highlighted_loop="B7")
    assert shown and "no loop named 'B7'" in shown[0]


def test_report_action_writes_or_says_why(qapp, loop_diagram, tmp_path, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(
        "cld_editor.ui.window.message_box.warn",
        lambda parent, title, text: shown.append(text),
    )
    # Without an analysis (the window's may still be running) the report finds the loops.
    written = write_report_or_warn(None, loop_diagram, None, tmp_path / "r.html")
    assert written == [tmp_path / "r.html"]
    assert "Virtuous cycle" in written[0].read_text(encoding="utf-8")
    assert write_report_or_warn(None, loop_diagram, None, tmp_path / "no" / "r.html") is None
    assert shown and "cannot write" in shown[0]


def test_dialog_pixel_size_is_the_size_of_the_png_written(
    qtbot, loop_diagram, loop_analysis, tmp_path, settings, monkeypatch
):
    """With a title, a highlighted loop adds the line naming it: the size shown counts it."""
    asked: list[str] = []  # the second export replaces the first: yes
    monkeypatch.setattr(
        "cld_editor.ui.window.message_box.ask",
        lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes,
    )
    dialog = ExportImageDialog(loop_diagram, loop_analysis, settings=settings)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "out.png"))
    dialog.scale_radio.setChecked(True)
    dialog.scale_spin.setValue(1.0)
    dialog.title_check.setChecked(True)
    dialog.legend_check.setChecked(True)
    for name in (None, "R1"):
        dialog.loop_combo.setCurrentIndex(dialog.loop_combo.findData(name))
        shown = dialog.pixels_label.text()
        assert dialog.export()
        data = (tmp_path / "out.png").read_bytes()
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert shown == f"{width} × {height} pixels"
    assert asked == ["out.png already exists.\nDo you want to replace it?"]
    one_link = [dialog.loop_combo.itemText(i) for i in range(dialog.loop_combo.count())]
    assert not any(", 1 links" in text for text in one_link)


def test_a_highlighted_loop_whose_name_went_to_another_is_offered_once(
    qtbot, loop_diagram, loop_analysis
):
    """The canvas may still hold a loop under the name an older analysis gave it, now another
    loop's: the dialog offers that loop once, under its name in this analysis, and not the
    other loop in its place."""
    first, second = loop_analysis.loops[0], loop_analysis.loops[1]
    stale = dataclasses.replace(first, name=second.name)
    dialog = ExportImageDialog(loop_diagram, loop_analysis, highlighted_loop=stale, settings=None)
    qtbot.addWidget(dialog)
    combo = dialog.loop_combo
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert len(texts) == len(set(texts)) == 1 + len(loop_analysis.loops)
    assert combo.currentData() == first.name
