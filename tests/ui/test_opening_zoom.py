"""Opening a diagram frames it: whole when its labels can be read at the zoom that fits it, else
its top-left part at the smallest readable zoom with one note saying how to zoom and see it all.
The status bar's zoom follows every zoom, and Ctrl+wheel keeps the point under the pointer."""

from __future__ import annotations

from pathlib import Path

import pytest
from canvas_helpers import make_canvas
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from window_helpers import visible_rect, wait_for_analysis, window_showing

from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.core.ops import move_variables
from cld_editor.formats.native import save_diagram
from cld_editor.ui.canvas import notice as notice_module
from cld_editor.ui.canvas.framing import readable_part_centre
from cld_editor.ui.canvas.view import READABLE_TEXT_PX, READABLE_ZOOM, label_text_px
from cld_editor.ui.window.zoom_status import key_text, percent, scroll_text

CTRL = Qt.KeyboardModifier.ControlModifier
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def grid(columns: int, rows: int, step: float = 200.0) -> Diagram:
    """``columns`` x ``rows`` variables ``step`` apart, each linked to its right neighbour."""
    variables = [
        Variable(id=f"v{r}-{c}", label=f"Stock {r}-{c}", x=step * c, y=step * r)
        for r in range(rows)
        for c in range(columns)
    ]
    links = [
        Link(id=f"l{r}-{c}", source=f"v{r}-{c}", target=f"v{r}-{c + 1}")
        for r in range(rows)
        for c in range(columns - 1)
    ]
    return Diagram(title="Grid", variables=variables, links=links)


def wheel(view, at: QPoint, steps: int) -> None:
    event = QWheelEvent(
        QPointF(at),
        QPointF(view.viewport().mapToGlobal(at)),
        QPoint(),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        CTRL,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    window = window_showing(qtbot, monkeypatch, tmp_path / "settings", grid(2, 1))
    notes: list[str] = []
    shown = window.view.notice.show
    monkeypatch.setattr(
        window.view.notice, "show", lambda text, ms: (notes.append(text), shown(text, ms))
    )
    window.notes = notes
    yield window
    window.shutdown()


def open_file(qtbot, window, path: Path) -> None:
    assert window.files.open_path(path, ask=False)
    qtbot.wait(50)  # the view is framed on the next turn of the event loop
    wait_for_analysis(qtbot, window)


def test_a_big_diagram_opens_readable_at_its_top_left_with_one_note(window, qtbot, tmp_path):
    path = tmp_path / "big.cld.json"
    save_diagram(grid(30, 30), path)
    open_file(qtbot, window, path)
    view = window.view
    assert view.zoom_factor() == pytest.approx(READABLE_ZOOM)
    assert label_text_px(view.zoom_factor()) == pytest.approx(READABLE_TEXT_PX)
    fit = view.fit_zoom()
    assert label_text_px(fit) < READABLE_TEXT_PX  # whole, the labels could not be read
    # The top-left corner of the grid, not its middle, with the next variables beside it.
    shown = visible_rect(view)
    for corner in ("v0-0", "v0-1", "v1-0"):
        assert shown.contains(window.scene.variable_scene_pos(corner))
    assert not shown.contains(window.scene.variable_scene_pos("v15-15"))
    # One note: the zoom, the keys, and where it all fits, with the keys the actions have.
    assert len(window.notes) == 1
    note = view.notice.text()
    actions = window.actions
    assert f"Shown at {percent(READABLE_ZOOM)}" in note
    assert scroll_text() == "Ctrl+scroll"  # (these machines are not macOS: "⌘+scroll" there)
    assert "Ctrl+scroll" in note and key_text(actions.zoom_in) in note
    assert f"{key_text(actions.fit)} shows the whole diagram ({percent(fit)})" in note
    assert window.zoom_status.button.text() == percent(READABLE_ZOOM)
    # It is drawn over the canvas: the middle of its box is the note's dark fill.
    box = view.notice.rect()
    pixel = view.viewport().grab().toImage().pixelColor(box.center().toPoint())
    fill = notice_module.FILL
    assert abs(pixel.red() - fill.red()) < 25 and pixel.lightness() < 80
    # Zooming tells the user the note was heard: it goes, and no other comes.
    wheel(view, QPoint(200, 200), 1)
    assert view.notice.text() == ""
    view.fit_diagram()
    assert window.zoom_status.button.text() == percent(fit)
    assert len(window.notes) == 1


def test_reverting_a_big_diagram_frames_it_again_without_a_second_note(window, qtbot, tmp_path):
    path = tmp_path / "big.cld.json"
    save_diagram(grid(30, 30), path)
    open_file(qtbot, window, path)
    window.view.fit_diagram()
    window.scene.push(move_variables({"v0-0": (5.0, 5.0)}))  # modified: Revert is offered
    assert window.files.revert()
    qtbot.wait(50)
    assert window.view.zoom_factor() == pytest.approx(READABLE_ZOOM)
    assert len(window.notes) == 1


def test_a_small_diagram_fits_whole_without_a_note(window, qtbot, tmp_path):
    path = tmp_path / "small.cld.json"
    save_diagram(grid(3, 2), path)
    open_file(qtbot, window, path)
    view = window.view
    assert view.zoom_factor() == pytest.approx(1.0)  # fits, and is never blown up past 100 %
    assert visible_rect(view).contains(window.scene.items_bounding_rect())
    assert window.notes == [] and view.notice.text() == ""
    assert window.zoom_status.button.text() == "100 %"


def test_a_medium_diagram_fits_whole_while_its_labels_stay_readable(window, qtbot, tmp_path):
    """Zoomed out to fit, but not below 7 px labels: the whole, no note."""
    path = tmp_path / "medium.cld.json"
    save_diagram(grid(5, 2), path)
    open_file(qtbot, window, path)
    view = window.view
    assert READABLE_ZOOM <= view.zoom_factor() < 1.0
    assert view.zoom_factor() == pytest.approx(view.fit_zoom(), rel=1e-3)
    assert visible_rect(view).contains(window.scene.items_bounding_rect())
    assert window.notes == []


def test_whole_or_part_follows_the_label_size_at_the_fitting_zoom(qtbot):
    """Either side of the threshold: grids wider and wider in one view."""
    seen = set()
    for columns in (4, 5, 6, 7, 8, 9, 10, 12):
        c = make_canvas(qtbot, grid(columns, 2, step=160.0))
        fit = c.view.fit_zoom()
        opening = c.view.open_diagram()
        assert opening.fit_zoom == pytest.approx(fit)
        readable = label_text_px(fit) >= READABLE_TEXT_PX
        assert opening.whole == readable
        assert c.view.zoom_factor() == pytest.approx(fit if readable else READABLE_ZOOM, rel=1e-3)
        seen.add(readable)
    assert seen == {True, False}


def test_the_zoom_in_the_status_bar_follows_every_zoom(window, qtbot):
    view, button, actions = window.view, window.zoom_status.button, window.actions
    assert button in window.statusBar().findChildren(type(button))
    actions.actual_size.trigger()
    assert button.text() == "100 %"
    actions.zoom_in.trigger()
    assert button.text() == "125 %"
    actions.zoom_out.trigger()
    actions.zoom_out.trigger()
    assert button.text() == "80 %"
    wheel(view, QPoint(100, 100), 3)
    assert button.text() == percent(0.8 * 1.25**3)
    actions.fit.trigger()
    assert button.text() == percent(view.zoom_factor())
    # Its menu: the window's zoom actions and a few set zooms.
    menu = button.menu()
    texts = [a.text() for a in menu.actions()]
    assert actions.fit in menu.actions() and actions.zoom_in in menu.actions()
    preset = next(a for a in menu.actions() if a.text() == "200 %")
    preset.trigger()
    assert view.zoom_factor() == pytest.approx(2.0) and button.text() == "200 %"
    assert "25 %" in texts
    assert "Ctrl+scroll" in button.toolTip() and key_text(actions.fit) in button.toolTip()


@pytest.mark.parametrize("corner", ["top_left", "centre", "bottom_right"])
def test_ctrl_wheel_keeps_the_point_under_the_pointer_after_a_fit(qtbot, corner):
    """A big diagram fitted by its height leaves the scene narrower than the window: zooming
    in by a side used to jump (60 px at the first notch, 580 px at the twelfth)."""
    c = make_canvas(qtbot, grid(30, 36, step=160.0))
    view = c.view
    view.fit_diagram()
    port = view.viewport().rect()
    at = {
        "top_left": QPoint(30, 30),
        "centre": port.center(),
        "bottom_right": port.bottomRight() - QPoint(30, 30),
    }[corner]
    start = view.mapToScene(at)
    for _ in range(12):
        wheel(view, at, 1)
        now = view.mapToScene(at)
        drift = (now - start) * view.zoom_factor()  # in screen pixels
        assert abs(drift.x()) < 1.5 and abs(drift.y()) < 1.5
    for _ in range(12):
        wheel(view, at, -1)
    now = view.mapToScene(at)
    assert abs(now.x() - start.x()) * view.zoom_factor() < 1.5


def test_an_imported_big_model_opens_readable(window, qtbot):
    path = CORPUS / "vensim" / "Covid19US v8.mdl"
    if not path.exists():
        pytest.skip("the shared corpus is not here")
    open_file(qtbot, window, path)
    box = window.interop.summary_box
    if box is not None:
        box.close()
    assert window.view.zoom_factor() == pytest.approx(READABLE_ZOOM)
    assert len(window.notes) == 1
    # Some variables' labels are in sight, at a size that can be read.
    shown = visible_rect(window.view)
    in_sight = [
        v for v in window.document.variables if shown.contains(window.scene.variable_scene_pos(v))
    ]
    assert len(in_sight) >= 10


def test_the_note_goes_by_itself(qtbot):
    c = make_canvas(qtbot)
    c.view.notice.show("Shown at 54 %", 30)
    assert c.view.notice.text() and not c.view.notice.rect().isNull()
    qtbot.waitUntil(lambda: c.view.notice.text() == "", timeout=2000)
    assert c.view.notice.rect().isNull()
    assert QColor(notice_module.TEXT).lightness() > 200  # white text on the dark fill


def test_ctrl_equals_zooms_in_as_ctrl_plus_does(window, qtbot):
    """The + key without Shift, as browsers and drawing programs take it."""
    view = window.view
    view.setFocus()
    for key in (Qt.Key.Key_Equal, Qt.Key.Key_Plus):
        view.actual_size()
        QTest.keyClick(view, key, CTRL)
        assert view.zoom_factor() == pytest.approx(1.25)
        assert window.zoom_status.button.text() == "125 %"


def test_the_note_waits_for_a_dialog_over_the_window(qtbot, monkeypatch):
    """An import's summary opens over the window: the note is still there once it is read."""
    monkeypatch.setattr(notice_module, "WAIT_FOR_DIALOG_MS", 20)
    c = make_canvas(qtbot)
    box = QMessageBox(QMessageBox.Icon.Information, "Imported", "Summary", parent=c.view)
    box.open()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is box, timeout=2000)
    c.view.notice.show("Shown at 54 %", 30)
    qtbot.wait(200)
    assert c.view.notice.text() == "Shown at 54 %"
    box.close()
    qtbot.waitUntil(lambda: c.view.notice.text() == "", timeout=2000)


def boxes_at(points) -> list[QRectF]:
    return [QRectF(x - 50, y - 15, 100, 30) for x, y in points]


def test_the_part_opened_is_the_top_left_of_a_regular_layout():
    grid_points = [(200.0 * c, 150.0 * r) for r in range(20) for c in range(20)]
    centre = readable_part_centre(boxes_at(grid_points), 1400, 1000, 40)
    # The view's top-left corner is at the grid's, the first variables whole in sight.
    assert centre.x() - 1400 / 2 < -50 + 40 and centre.y() - 1000 / 2 < -15 + 40
    assert centre.x() - 1400 / 2 > -50 - 400  # not much empty canvas before them either


def test_the_part_opened_is_not_an_empty_corner_of_a_sparse_layout():
    """A few variables strewn at the top and left, a crowd at the bottom right (the corpus's
    GeneratedByAIThenEdited model opened on an empty corner)."""
    strewn = [(6000.0, 0.0), (0.0, 5000.0), (3000.0, 2500.0)]
    crowd = [(5000.0 + 160 * c, 4000.0 + 90 * r) for r in range(6) for c in range(6)]
    centre = readable_part_centre(boxes_at(strewn + crowd), 1400, 1000, 40)
    shown = QRectF(centre.x() - 700, centre.y() - 500, 1400, 1000)
    assert all(shown.contains(box) for box in boxes_at(crowd))


def test_variables_strewn_too_far_apart_to_count_open_at_the_top_left():
    strewn = [(0.0, 0.0), (1e7, 1e7), (5e6, 0.0)]
    centre = readable_part_centre(boxes_at(strewn), 1400, 1000, 40)
    assert centre == QPointF(-50 + 700, -15 + 500)
