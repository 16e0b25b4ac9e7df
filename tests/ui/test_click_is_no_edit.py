"""Selecting is never an edit: a click on a variable after Arrange (whose places carry decimals
that a drag's float error disturbs), or one that trembles less than the platform's drag
distance, pushes no Move and leaves the window unmodified; a real drag is still one Move."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from window_helpers import wait_for_analysis, window_showing

from cld_editor.core.model import Diagram, Link, Variable

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier
TEAM = {
    "morale": ("Staff morale", "EX"),
    "quality": ("Service quality", "CX"),
    "complaints": ("Customer complaints", "CX"),
    "workload": ("Workload", "EX"),
    "turnover": ("Staff turnover", "EX"),
    "hiring": ("Hiring", "EX"),
    "retention": ("Customer retention", "CX"),
    "revenue": ("Revenue", None),
}
LINKS = [
    ("morale", "quality", "+"), ("quality", "complaints", "-"),
    ("complaints", "workload", "+"), ("workload", "morale", "-"),
    ("morale", "turnover", "-"), ("turnover", "workload", "+"),
    ("turnover", "hiring", "+"), ("hiring", "workload", "-"),
    ("quality", "retention", "+"), ("retention", "revenue", "+"),
    ("revenue", "hiring", "+"), ("complaints", "retention", "-"),
]  # fmt: skip


def team() -> Diagram:
    variables = [
        Variable(id=i, label=label, x=150.0 * n, y=0.0, domain=domain)
        for n, (i, (label, domain)) in enumerate(TEAM.items())
    ]
    links = [Link(id=f"l{n}", source=s, target=t, polarity=p) for n, (s, t, p) in enumerate(LINKS)]
    return Diagram(variables=variables, links=links)


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    window = window_showing(qtbot, monkeypatch, tmp_path / "settings", team())
    window.arrange.wait_ms = 60_000
    window.arrange.style_actions["iceberg"].trigger()
    qtbot.waitUntil(lambda: not window.arrange.glide.running, timeout=5000)
    wait_for_analysis(qtbot, window)
    yield window
    window.shutdown()


def places(window) -> dict[str, tuple[float, float]]:
    return {v.id: (v.x, v.y) for v in window.document.variables.values()}


def item_places(window) -> dict[str, tuple[float, float]]:
    return {i: (p.x(), p.y()) for i in places(window) for p in [window.scene.item_for(i).pos()]}


def point_of(window, variable_id: str) -> QPoint:
    record = window.document.variables[variable_id]
    return window.view.mapFromScene(QPointF(record.x, record.y))


def press_move_release(window, path: list[QPoint]) -> None:
    port = window.view.viewport()
    QTest.mousePress(port, LEFT, NONE, path[0])
    for point in path[1:]:
        QTest.mouseMove(port, point)
    QTest.mouseRelease(port, LEFT, NONE, path[-1])


def test_the_arranged_places_carry_decimals(window) -> None:
    # Else the float error of a drag that goes nowhere could not show.
    assert window.undo_stack.undoText() == "Arrange (Iceberg)"
    assert any(x != round(x) or y != round(y) for x, y in places(window).values())


@pytest.mark.parametrize("variable_id", list(TEAM))
def test_a_click_after_arrange_is_no_edit(window, variable_id: str) -> None:
    stack = window.undo_stack
    count, before = stack.count(), places(window)
    modified = window.isWindowModified()
    at = point_of(window, variable_id)
    press_move_release(window, [at, at])  # a move event of no travel, as a real click sends
    assert window.scene.selected_variable_ids() == [variable_id]
    assert (stack.count(), stack.undoText()) == (count, "Arrange (Iceberg)")
    assert window.isWindowModified() == modified
    assert places(window) == before
    assert item_places(window) == before


def test_a_click_that_trembles_less_than_the_drag_distance_moves_nothing(window) -> None:
    stack = window.undo_stack
    stack.setClean()  # as after a save
    count, before = stack.count(), places(window)
    at = point_of(window, "revenue")
    short = max(QApplication.startDragDistance() - 2, 1)
    # Towards "hiring", whose centre or edge a moved "revenue" would snap to.
    press_move_release(window, [at, at + QPoint(1, 0), at + QPoint(short, 0)])
    assert window.scene.selected_variable_ids() == ["revenue"]
    assert stack.count() == count and stack.isClean()
    assert not window.isWindowModified()
    assert places(window) == before and item_places(window) == before


def test_a_real_drag_is_still_one_move(window) -> None:
    stack = window.undo_stack
    count, before = stack.count(), places(window)
    at = point_of(window, "revenue")
    press_move_release(window, [at + QPoint(0, 0), at + QPoint(20, 10), at + QPoint(40, 30)])
    assert (stack.count(), stack.undoText()) == (count + 1, "Move")
    x, y = places(window)["revenue"]
    assert (x, y) != before["revenue"]
    assert item_places(window)["revenue"] == (x, y)
    assert window.isWindowModified()
