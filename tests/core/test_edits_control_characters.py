"""Text typed or pasted into the editor loses its control characters on the way into the
diagram (line breaks and tabs stay where the field keeps them): every text edit goes through
core/edits, so the canvas, the panels and the command line all get this."""

from __future__ import annotations

from cld_editor.core import edits
from cld_editor.core.document import Document
from cld_editor.core.model import Diagram, LoopLabel, Variable

TYPED = "Staff\x07 morale\x1b[0m\r\nsecond\tline\x85\x00"


def document() -> Document:
    return Document(
        Diagram(
            variables=[Variable(id="a", label="A", x=0, y=0)],
            loop_labels=[LoopLabel(id="r", loop=["a"], x=0, y=0)],
        )
    )


def apply(doc: Document, op) -> None:
    assert op is not None
    doc.apply(op)


def test_every_text_edit_removes_control_characters() -> None:
    doc = document()
    apply(doc, edits.rename_variable(doc, "a", TYPED))
    assert doc.variables["a"].label == "Staff morale[0m\nsecond\tline"
    apply(doc, edits.set_notes(doc, "a", TYPED))
    assert doc.variables["a"].notes == "Staff morale[0m\nsecond\tline"
    apply(doc, edits.set_title(doc, TYPED))
    assert doc.title == "Staff morale[0m\nsecond\tline"
    apply(doc, edits.set_description(doc, TYPED))
    assert doc.description == "Staff morale[0m\nsecond\tline"
    apply(doc, edits.rename_loop_label(doc, "r", TYPED))
    assert doc.loop_labels["r"].name == "Staff morale[0m second line"
    op = edits.add_variable(doc, "New\x08 one", 10, 10)
    apply(doc, op)
    [new] = edits.added_ids(op)
    assert doc.variables[new].label == "New one"


def test_text_of_control_characters_only_is_no_text() -> None:
    doc = document()
    assert edits.rename_variable(doc, "a", "\x07\x1b") is None  # a label cannot be empty
    assert edits.add_variable(doc, "\x00", 0, 0) is None
