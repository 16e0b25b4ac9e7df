"""A long link drawn with the Link tool along a row or a column is made (a tester's far-apart
pair showed "Something went wrong: KeyError" instead), and the rectangle spanning its ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from window_helpers import window_showing

from cld_editor.core.model import DEFAULT_CURVATURE, Diagram, Variable
from cld_editor.layout.boxes import Grid
from cld_editor.layout.boxes import Rect as Box
from cld_editor.layout.links import arc_points, blocking
from cld_editor.ui.canvas.tools.gestures import rect_spanning
from cld_editor.ui.window.crash_guard import CONTINUE, CrashGuard, CrashReport

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


@pytest.mark.parametrize(
    ("p", "q"),
    [
        ((0.0, 0.0), (3000.0, 0.0)),  # a row
        ((3000.0, 0.0), (0.0, 0.0)),
        ((0.0, -5.0), (0.0, 3000.0)),  # a column
        ((7.0, 2.0), (7.0, 2.0)),  # one point
        ((100.0, 40.0), (-20.0, -60.0)),  # any two points
    ],
)
def test_the_rect_spanning_two_points_holds_both(p, q) -> None:
    rect = rect_spanning(p, q)
    assert (rect.left(), rect.right()) == (min(p[0], q[0]), max(p[0], q[0]))
    assert (rect.top(), rect.bottom()) == (min(p[1], q[1]), max(p[1], q[1]))


class Recorder:
    """Stands in for the crash dialog: records what it would have shown."""

    def __init__(self) -> None:
        self.reports: list[CrashReport] = []

    def __call__(self, report: CrashReport, can_save: bool) -> str:
        self.reports.append(report)
        return CONTINUE


def _draw_link(qtbot, window, source: tuple[float, float], target: tuple[float, float]) -> Recorder:
    """Fit Diagram, press L, drag from ``source`` to ``target`` (scene points) as a user does,
    with the crash guard on; what it would have shown is returned."""
    recorder = Recorder()
    guard = CrashGuard(show_dialog=recorder).install(route_qt_messages=False)
    try:
        view = window.view
        view.fit_diagram()
        view.setFocus()
        QTest.keyClick(view, Qt.Key.Key_L)
        port = view.viewport()

        def at(x: float, y: float):
            return view.mapFromScene(QPointF(x, y))

        (x0, y0), (x1, y1) = source, target
        QTest.mousePress(port, LEFT, NONE, at(x0, y0))
        for i in range(1, 7):
            t = i / 6
            QTest.mouseMove(port, at(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
        QTest.mouseRelease(port, LEFT, NONE, at(x1, y1))
        qtbot.wait(20)
    finally:
        guard.uninstall()
    return recorder


@pytest.mark.qt_no_exception_capture
@pytest.mark.parametrize(
    ("source", "target"),
    [
        ((0.0, 0.0), (3000.0, 0.0)),  # a row, left to right
        ((3000.0, 0.0), (0.0, 0.0)),  # right to left
        ((0.0, 0.0), (0.0, 3000.0)),  # a column
        ((0.0, 0.0), (3000.0, 60.0)),  # nearly level
    ],
    ids=["row", "row-backwards", "column", "nearly-level"],
)
def test_a_long_link_along_a_row_or_column_is_drawn(
    qtbot, monkeypatch, tmp_path: Path, source, target
) -> None:
    diagram = Diagram(
        title="Far apart",
        variables=[
            Variable(id="a", label="Left", x=source[0], y=source[1]),
            Variable(id="b", label="Right", x=target[0], y=target[1]),
            Variable(id="c", label="Aside", x=1500.0, y=1500.0),
        ],
    )
    window = window_showing(qtbot, monkeypatch, tmp_path / "settings", diagram)
    recorder = _draw_link(qtbot, window, source, target)
    assert recorder.reports == []
    link = window.document.link_between("a", "b")
    assert link is not None
    # Nothing in its way: the default bow, not a curve as wide as the diagram.
    assert link.curvature == DEFAULT_CURVATURE
    assert window.undo_stack.count() == 1


@pytest.mark.qt_no_exception_capture
def test_a_long_link_bows_around_a_variable_near_its_source(
    qtbot, monkeypatch, tmp_path: Path
) -> None:
    """The variables near the source end are looked at too, not only those near the target:
    "Blocker" sits on the default bow a twelfth of the way along, far from the target."""
    diagram = Diagram(
        variables=[
            Variable(id="a", label="Left", x=0.0, y=0.0),
            Variable(id="b", label="Right", x=3000.0, y=0.0),
            Variable(id="c", label="Blocker", x=254.0, y=-207.0),
        ],
    )
    window = window_showing(qtbot, monkeypatch, tmp_path / "settings", diagram)
    assert _draw_link(qtbot, window, (0.0, 0.0), (3000.0, 0.0)).reports == []
    link = window.document.link_between("a", "b")
    assert link is not None
    boxes = {}
    for vid in ("a", "b", "c"):
        b = window.scene.item_for(vid).box()
        boxes[vid] = Box(b.cx, b.cy, b.hw, b.hh)
    grid = Grid(boxes, cell=120.0)

    def passes_over(curvature: float) -> set[str]:
        return blocking(arc_points((0.0, 0.0), (3000.0, 0.0), curvature), grid, ("a", "b"))

    assert passes_over(DEFAULT_CURVATURE) == {"c"}
    assert link.curvature != DEFAULT_CURVATURE
    assert passes_over(link.curvature) == set()
