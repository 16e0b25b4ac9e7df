"""Where Ctrl+V puts a copy: centred on the mouse pointer when it is over the canvas and has moved
since the copy or the last paste, else cascading from the last copy placed; the copies get free
names, all in one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from window_helpers import example_window

from cld_editor.ui.window.clipboard import PASTE_OFFSET


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    yield from example_window(qtbot, monkeypatch, tmp_path)


def middle(window, ids: list[str]) -> tuple[float, float]:
    variables = [window.document.variables[i] for i in ids]
    xs, ys = [v.x for v in variables], [v.y for v in variables]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def point_to(window, local: QPoint) -> tuple[float, float]:
    """Move the mouse pointer over the canvas's viewport; the scene point under it."""
    QTest.mouseMove(window.view.viewport(), local)
    QApplication.processEvents()
    at = window.view.mapToScene(local)
    return at.x(), at.y()


def test_paste_lands_on_the_moved_pointer_then_fans_out_from_there(window):
    originals = ["workload", "burnout"]
    window.scene.select_ids(originals)
    assert window.clipboard.copy()
    x, y = point_to(window, QPoint(200, 150))
    first = window.clipboard.paste()
    assert middle(window, first) == pytest.approx((x, y), abs=0.01)
    # Again without moving the mouse: the next copy cascades from the one just placed.
    second = window.clipboard.paste()
    assert middle(window, second) == pytest.approx((x + PASTE_OFFSET, y + PASTE_OFFSET), abs=0.02)
    # Moved again: there.
    x, y = point_to(window, QPoint(420, 300))
    third = window.clipboard.paste()
    assert middle(window, third) == pytest.approx((x, y), abs=0.01)
    labels = [window.document.variables[i].label for i in first + second + third]
    assert labels == [
        "Workload 2", "Stress and burnout 2", "Workload 3", "Stress and burnout 3",
        "Workload 4", "Stress and burnout 4",
    ]  # fmt: skip


def test_an_unmoved_pointer_cascades_beside_the_originals(window):
    originals = ["workload", "burnout"]
    point_to(window, QPoint(200, 150))  # over the canvas, but before the copy
    window.scene.select_ids(originals)
    assert window.clipboard.copy()
    ox, oy = middle(window, originals)
    pasted = window.clipboard.paste()
    assert middle(window, pasted) == pytest.approx((ox + PASTE_OFFSET, oy + PASTE_OFFSET))
    # One undo step takes all of it away, links included.
    before = len(window.document.links)
    window.undo_stack.undo()
    assert not set(pasted) & set(window.document.variables)
    assert window.undo_stack.undoText() != "Paste"
    window.undo_stack.redo()
    assert set(pasted) <= set(window.document.variables) and len(window.document.links) == before


def test_a_pointer_that_left_the_canvas_cascades(window):
    """Edit > Paste chosen with the mouse: the pointer went to the menu bar, off the canvas."""
    window.scene.select_ids(["workload"])
    assert window.clipboard.copy()
    point_to(window, QPoint(200, 150))
    QApplication.sendEvent(window.view.viewport(), QEvent(QEvent.Type.Leave))
    (pasted,) = window.clipboard.paste()
    original = window.document.variables["workload"]
    variable = window.document.variables[pasted]
    assert (variable.x, variable.y) == (original.x + PASTE_OFFSET, original.y + PASTE_OFFSET)


def test_pasted_text_still_starts_in_the_middle_of_the_view(window):
    point_to(window, QPoint(30, 30))
    QGuiApplication.clipboard().setText("Trust\nReferrals")
    pasted = window.clipboard.paste()
    view = window.view
    centre = view.mapToScene(view.viewport().rect().center())
    first = window.document.variables[pasted[0]]
    assert (first.x, first.y) == pytest.approx((centre.x(), centre.y()), abs=0.01)
    assert [window.document.variables[i].label for i in pasted] == ["Trust", "Referrals"]
