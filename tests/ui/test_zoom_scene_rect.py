"""Zooming never leaves empty canvas to scroll over: the scene rect is the content with its
margin and what the view shows now, not what earlier zooms showed (it only grew: a dozen zooms
out about a corner, then Fit, left 12,016 x 9,338 pixels to scroll over instead of 1,701 x
1,764). Fit and Actual Size go back to the content. The smallest zoom is 5 %, or the zoom that
fits a huge diagram whole when smaller; Zoom Out never zooms in. A view of no size still opens."""

from __future__ import annotations

import pytest
from canvas_helpers import make_canvas
from PySide6.QtCore import QPointF, QRectF

from cld_editor.core.model import Diagram, Variable
from cld_editor.ui.canvas.framing import readable_part_centre
from cld_editor.ui.canvas.view import MIN_ZOOM
from cld_editor.ui.window.zoom_status import percent


def two(far: float = 400.0) -> Diagram:
    return Diagram(
        variables=[
            Variable(id="r", label="Revenue", x=0, y=0),
            Variable(id="s", label="Cost", x=far, y=300),
        ]
    )


def ranges(view) -> tuple[int, int]:
    h, v = view.horizontalScrollBar(), view.verticalScrollBar()
    return h.maximum() - h.minimum(), v.maximum() - v.minimum()


@pytest.fixture
def view(qtbot):
    c = make_canvas(qtbot, two())
    c.view.resize(800, 600)
    qtbot.wait(20)
    return c.view


def test_zooming_out_about_a_corner_and_fitting_again_leaves_no_empty_canvas(view):
    view.fit_diagram()
    fitted = ranges(view)
    for _ in range(12):
        view.set_zoom(view.zoom_factor() / 1.25, QPointF(5, 5))
    view.fit_diagram()
    assert ranges(view) == fitted


def test_actual_size_goes_back_to_the_content(view):
    view.actual_size()
    at_start = view.sceneRect()
    for _ in range(20):
        view.set_zoom(view.zoom_factor() / 1.25, QPointF(5, 5))
    assert view.zoom_factor() == pytest.approx(MIN_ZOOM)
    view.actual_size()
    assert view.sceneRect() == at_start
    # The view is on the diagram again, not on the empty canvas the zooms showed.
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.intersects(QRectF(-60, -30, 520, 360))


def test_zooming_out_and_back_in_about_a_point_leaves_the_scroll_range_as_it_was(view):
    view.actual_size()
    before = ranges(view)
    at = QPointF(700, 500)
    for _ in range(10):
        view.set_zoom(view.zoom_factor() / 1.25, at)
    for _ in range(10):
        view.set_zoom(view.zoom_factor() * 1.25, at)
    assert view.zoom_factor() == pytest.approx(1.0)
    after = ranges(view)
    # What the last zoom shows and the content, no more (the first zoom shows the same).
    assert after[0] <= before[0] + 2 * 40 + 800 and after[1] <= before[1] + 2 * 40 + 600
    for _ in range(10):
        view.set_zoom(view.zoom_factor() / 1.25, at)
    for _ in range(10):
        view.set_zoom(view.zoom_factor() * 1.25, at)
    assert ranges(view) == after  # a second round grows nothing


def test_fit_shows_a_huge_diagram_whole_and_zoom_out_then_stays(qtbot):
    c = make_canvas(qtbot, two(far=60_000.0))
    view = c.view
    view.resize(800, 600)
    qtbot.wait(20)
    view.fit_diagram()
    fit = view.zoom_factor()
    assert fit < MIN_ZOOM and fit == pytest.approx(view.fit_zoom(), rel=1e-3)
    assert percent(fit) == "1 %"
    view.zoom_out()
    assert view.zoom_factor() == pytest.approx(fit)  # not up to 5 %
    view.zoom_in()
    assert view.zoom_factor() == pytest.approx(fit * 1.25)
    view.zoom_out()
    view.zoom_out()
    assert view.zoom_factor() == pytest.approx(fit)
    # The window grows: the fit zoom with it; a Zoom Out from below it still zooms out or stays.
    view.resize(1600, 1200)
    qtbot.wait(20)
    assert view.fit_zoom() > fit * 1.5
    view.zoom_out()
    assert view.zoom_factor() <= fit * (1 + 1e-6)
    # A small diagram's smallest zoom is still 5 %.
    small = make_canvas(qtbot, two()).view
    for _ in range(30):
        small.zoom_out()
    assert small.zoom_factor() == pytest.approx(MIN_ZOOM)


def test_percent_never_shows_zero():
    assert percent(0.05) == "5 %"
    assert percent(0.013) == "1 %"
    assert percent(0.002) == "<1 %"


def test_a_view_of_no_size_opens_on_the_top_left_corner():
    boxes = [QRectF(i * 200, 50, 100, 40) for i in range(5)]
    assert readable_part_centre(boxes, 0.0, 0.0, 40.0) == QPointF(0, 50)
    assert readable_part_centre(boxes, 0.0, 300.0, 40.0).x() == 0
