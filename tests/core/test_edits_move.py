"""A Move is pushed only when a place changes as a file keeps it (two decimals): the float
error of a drag that went nowhere is no edit, whatever decimals the record carries."""

from __future__ import annotations

from cld_editor.core import edits
from cld_editor.core.document import Document
from cld_editor.core.model import Diagram, LoopLabel, Variable


def document() -> Document:
    return Document(
        Diagram(
            variables=[
                Variable(id="a", label="Revenue", x=206.23, y=-139.11),
                # A layout or another tool may leave more decimals than the editor writes.
                Variable(id="b", label="Hiring", x=186.28374, y=94.1649),
            ],
            loop_labels=[LoopLabel(id="r1", loop=["a", "b"], x=-8.43, y=0.1)],
        )
    )


def travelled(value: float, by: float) -> float:
    """``value`` after Qt added the mouse's travel and took it away again."""
    return (value + by) - by


def test_float_error_of_a_drag_back_to_the_start_is_no_move() -> None:
    doc = document()
    a, b = doc.variables["a"], doc.variables["b"]
    label = doc.loop_labels["r1"]
    variables = {
        "a": (travelled(a.x, 412.7), travelled(a.y, 301.3)),
        "b": (travelled(b.x, 412.7), travelled(b.y, 301.3)),
    }
    assert variables["a"] != (a.x, a.y)  # the float error is there
    labels = {"r1": (travelled(label.x, 0.7), travelled(label.y, 0.3))}
    assert labels["r1"] != (label.x, label.y)
    assert edits.move(doc, variables, labels) is None


def test_a_real_move_is_still_one_rounded_step() -> None:
    doc = document()
    # "b" at its place as a file keeps it has not moved either.
    assert edits.move(doc, {"a": (206.234, -139.11), "b": (186.28, 94.16)}) is None
    op = edits.move(doc, {"a": (206.234, -139.11), "b": (186.29, 94.16)})
    assert op is not None
    # "a" rounds to where it is: only "b" moves (to its rounded place).
    assert op.changes == (("b", {"x": 186.29, "y": 94.16}),)  # type: ignore[union-attr]
    assert edits.move(doc, {"a": (206.24, -139.11)}) is not None
