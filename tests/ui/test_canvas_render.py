"""The shared renderer: a Diagram drawn by ``render_diagram`` looks like the canvas."""

from pathlib import Path

from canvas_helpers import make_canvas
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from cld_editor.analysis.loops import find_loops
from cld_editor.formats.native import load_diagram
from cld_editor.ui.drawing.render_diagram import diagram_bounds, render_diagram

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def _image(size, paint) -> QImage:
    image = QImage(size[0], size[1], QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    paint(painter)
    painter.end()
    return image


def _differing_pixels(a: QImage, b: QImage) -> int:
    count = 0
    for y in range(0, a.height(), 2):
        for x in range(0, a.width(), 2):
            pa, pb = a.pixelColor(x, y), b.pixelColor(x, y)
            if (
                max(
                    abs(pa.red() - pb.red()),
                    abs(pa.green() - pb.green()),
                    abs(pa.blue() - pb.blue()),
                )
                > 60
            ):
                count += 1
    return count


def test_render_diagram_matches_the_canvas_in_export_mode(qtbot):
    diagram = load_diagram(EXAMPLES / "experience-iceberg.cld.json")
    c = make_canvas(qtbot, diagram)
    analysis = find_loops(diagram)
    c.scene.set_loops(analysis)
    c.scene.select_ids([diagram.links[0].id, diagram.variables[0].id])
    bounds = diagram_bounds(diagram, analysis)
    size = (int(bounds.width()), int(bounds.height()))
    target = QRectF(0, 0, *size)

    def canvas(painter: QPainter) -> None:
        c.scene.set_export_mode(True)
        c.view.show_grid = False
        c.scene.render(painter, target, bounds, Qt.AspectRatioMode.IgnoreAspectRatio)
        c.scene.set_export_mode(False)

    def exported(painter: QPainter) -> None:
        painter.translate(-bounds.topLeft())
        render_diagram(painter, diagram, analysis=analysis, area=bounds, static_text=True)

    ours, theirs = _image(size, canvas), _image(size, exported)
    # Everything drawn is the same; only the water band's far edges may differ.
    assert _differing_pixels(ours, theirs) < 0.002 * size[0] * size[1] / 4
    # And the export is not blank: plenty of ink.
    inked = sum(
        1
        for y in range(0, size[1], 4)
        for x in range(0, size[0], 4)
        if theirs.pixelColor(x, y).lightness() < 200
    )
    assert inked > 200
    # Export mode did not drop the user's selection.
    assert c.scene.selected_variable_ids() == [diagram.variables[0].id]
