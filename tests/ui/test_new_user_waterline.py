"""What new users stumbled on (issue 9.6): the iceberg waterline.

Show Waterline must put the line in the gap between the variables that separates the CX ones
(above) from the EX ones (below) best, measured on the boxes as drawn; its "CX above / EX below"
captions must keep clear of variables and links, on the canvas and in exports; and no polarity
sign may sit on the dashed line in an export.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, QPainterPath, QPainterPathStroker
from window_helpers import Dialogs, open_window, use_temp_settings

from cld_editor.core import edits
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.formats.native import save_diagram
from cld_editor.ui.canvas.items import LinkItem, VariableItem
from cld_editor.ui.drawing import picture as pictures
from cld_editor.ui.drawing import render_overlays
from cld_editor.ui.drawing.render import WATER_LINE
from cld_editor.ui.drawing.render_diagram import DiagramLayout

ROW = 50.0  # the CX row at -ROW, the EX row at +ROW


def two_rows() -> Diagram:
    """CX above, EX below, with one CX variable that was put in the lower row; links cross
    between the rows near the left edge, where the captions start."""
    variables = [
        Variable(id="sat", label="Customer satisfaction", x=-260, y=-ROW, domain="CX"),
        Variable(id="loy", label="Customer loyalty", x=40, y=-ROW, domain="CX"),
        Variable(id="eng", label="Employee engagement", x=-200, y=ROW, domain="EX"),
        Variable(id="work", label="Workload", x=120, y=ROW, domain="EX"),
        Variable(id="svc", label="Service quality", x=330, y=ROW, domain="CX"),
    ]
    ends = [("eng", "sat"), ("sat", "loy"), ("loy", "work"), ("work", "eng"), ("svc", "loy")]
    links = [Link(id=f"{s}-{t}", source=s, target=t, curvature=0.0, polarity="+") for s, t in ends]
    return Diagram(title="Two rows", variables=variables, links=links)


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    use_temp_settings(tmp_path / "settings")
    Dialogs().install(monkeypatch)
    window = open_window(qtbot, example=False)
    path = tmp_path / "rows.cld.json"
    save_diagram(two_rows(), path)
    assert window.files.open_path(path)
    yield window
    window.undo_stack.clear()


def boxes(window) -> dict[str, QRectF]:
    """Each variable as drawn: box, label and CX/EX badge."""
    return {
        item.variable_id: item.sceneBoundingRect()
        for item in window.scene.items()
        if isinstance(item, VariableItem)
    }


def stroke(path: QPainterPath) -> QPainterPath:
    stroker = QPainterPathStroker()
    stroker.setWidth(2.0)
    return stroker.createStroke(path)


def misplaced(window, y: float) -> int:
    """CX variables below the line plus EX variables above it."""
    return sum(
        (v.domain == "CX" and v.y > y) or (v.domain == "EX" and v.y < y)
        for v in window.document.variables.values()
    )


def test_show_waterline_separates_cx_from_ex_best_without_cutting_a_variable(window):
    window.actions.waterline.trigger()
    y = window.document.waterline
    drawn = boxes(window)
    assert not any(box.top() <= y <= box.bottom() for box in drawn.values())
    # No other line clear of every box leaves fewer variables on the wrong side.
    top = min(b.top() for b in drawn.values()) - 50
    bottom = max(b.bottom() for b in drawn.values()) + 50
    clear = [
        top + k
        for k in range(int(bottom - top))
        if not any(b.top() <= top + k <= b.bottom() for b in drawn.values())
    ]
    assert misplaced(window, y) == min(misplaced(window, c) for c in clear) == 1
    assert window.undo_stack.undoText() == "Show waterline"


def test_the_waterline_captions_keep_clear_of_variables_and_links_on_the_canvas(window, qtbot):
    window.actions.waterline.trigger()
    waterline = window.scene.waterline_item()
    y = waterline.line_y
    for caption in render_overlays.waterline_caption_rects(y, waterline.caption_x):
        for item in window.scene.items(caption.adjusted(-20, -20, 20, 20)):
            if isinstance(item, VariableItem):
                assert not caption.intersects(item.sceneBoundingRect()), item.variable_id
            elif isinstance(item, LinkItem):
                assert not stroke(item.paths.line).intersects(caption), item.link_id
                sx, sy = item.geometry.sign_pos
                assert not caption.intersects(QRectF(sx - 6, sy - 6, 12, 12)), item.link_id
    # Moving a variable onto the captions moves them out of its way.
    above, _ = render_overlays.waterline_caption_rects(y, waterline.caption_x)
    window.scene.item_for("sat").setPos(above.center().x(), -ROW)
    window.scene.commit_moves()
    moved = render_overlays.waterline_caption_rects(y, waterline.caption_x)
    assert not any(r.intersects(window.scene.item_for("sat").sceneBoundingRect()) for r in moved)


def test_in_an_export_no_sign_sits_on_the_line_and_the_captions_hide_nothing(window):
    window.actions.waterline.trigger()
    diagram = window.document.diagram
    y = diagram.waterline
    layout = DiagramLayout.of(diagram, None)
    for link_id, paths in layout.links.items():
        assert abs(paths.geometry.sign_pos[1] - y) > 8.0, link_id
    picture = pictures.DiagramPicture(diagram)
    captions = render_overlays.waterline_caption_rects(y, picture._caption_x)
    for caption in captions:
        for rect in layout.obstacles:
            assert not caption.intersects(rect)
        for link_id, paths in layout.links.items():
            assert not stroke(paths.line).intersects(caption), link_id


def test_a_line_dragged_onto_a_sign_stops_under_it_in_an_export(window):
    window.actions.waterline.trigger()
    link = window.document.links["eng-sat"]
    sx, sy = window.scene.item_for(link.id).geometry.sign_pos
    window.scene.push(edits.move_waterline(window.document, sy))
    diagram = window.document.diagram
    picture = pictures.DiagramPicture(diagram)
    scale = 2
    image = QImage(
        int(picture.size.width() * scale),
        int(picture.size.height() * scale),
        QImage.Format.Format_RGB32,
    )
    painter = QPainter(image)
    painter.scale(scale, scale)
    picture.paint(painter)
    painter.end()
    px, py = picture.map_from_scene(sx, diagram.waterline)
    row = round(py * scale) - 1  # just above the middle of the 2-unit line

    def line_pixels(x0: float, x1: float) -> int:
        """Pixels of the row in the line's colour between scene x0 and x1 (picture units)."""
        count = 0
        for x in range(round(x0 * scale), round(x1 * scale)):
            colour = image.pixelColor(x, row)
            count += abs(colour.hue() - WATER_LINE.hue()) < 12 and colour.saturation() > 60
        return count

    assert line_pixels(px - 60, px - 20) > 20  # the dashed line is there
    assert line_pixels(px - 9, px - 6.5) + line_pixels(px + 6.5, px + 9) == 0  # not at the sign
