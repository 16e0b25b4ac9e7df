"""Random mouse and keyboard input on the canvas: no exception escapes a Qt handler (pytest-qt
fails the test if one does), the scene stays a faithful projection of the document (a rebuilt
scene equals the live one), and undo/redo interleave freely with gestures."""

import random

import pytest
from canvas_helpers import NONE, make_canvas
from PySide6.QtCore import Qt
from test_canvas_loops import snapshot, triangle

from cld_editor.analysis.loops import find_loops

KEYS = [
    Qt.Key.Key_Minus,
    Qt.Key.Key_Plus,
    Qt.Key.Key_D,
    Qt.Key.Key_C,
    Qt.Key.Key_E,
    Qt.Key.Key_N,
    Qt.Key.Key_Delete,
    Qt.Key.Key_Left,
    Qt.Key.Key_Down,
    Qt.Key.Key_Escape,
    Qt.Key.Key_L,
    Qt.Key.Key_V,
    Qt.Key.Key_F2,
    Qt.Key.Key_Return,
    Qt.Key.Key_A,
]
MODIFIERS = [
    NONE,
    NONE,
    NONE,
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
]


@pytest.mark.parametrize("seed", [1, 2])
def test_random_input_keeps_the_scene_a_projection(qtbot, seed):
    rng = random.Random(seed)
    c = make_canvas(qtbot, triangle(True).model_copy(update={"waterline": 40.0}))

    def anywhere() -> tuple[float, float]:
        return (rng.uniform(-250, 350), rng.uniform(-200, 200))

    for step in range(400):
        r = rng.random()
        if r < 0.35:
            start, end = anywhere(), anywhere()
            if rng.random() < 0.5 and c.doc.variables:
                variable = rng.choice(list(c.doc.variables.values()))
                box = c.scene.item_for(variable.id).box()
                dy = rng.choice([-box.hh + 1, 0, box.hh - 1])  # edge, body or edge
                start = (box.cx + rng.uniform(-box.hw, box.hw), box.cy + dy)
            c.drag(start, end, rng.choice(MODIFIERS), steps=rng.randint(1, 4))
        elif r < 0.5:
            c.click(*anywhere(), rng.choice(MODIFIERS))
        elif r < 0.6:
            c.double_click(*anywhere())
            if rng.random() < 0.7:
                c.type(rng.choice(["x", "Node", "a b c"]))
        elif r < 0.85:
            c.key(rng.choice(KEYS), rng.choice([NONE, Qt.KeyboardModifier.ShiftModifier]))
        elif r < 0.92 and c.stack.canUndo():
            c.stack.undo()
        elif c.stack.canRedo():
            c.stack.redo()
        if step % 40 == 0:
            c.scene.set_loops(find_loops(c.doc.diagram))
            if c.scene.label_editor() is None:
                live = snapshot(c.scene)
                c.scene.rebuild()
                assert snapshot(c.scene) == live, step
    assert c.stack.count() > 20  # the input really edited the diagram
