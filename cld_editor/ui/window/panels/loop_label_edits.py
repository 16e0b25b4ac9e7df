"""The loop-label edits the Loops panel and the canvas share: where a new label goes (clear of
everything drawn, :mod:`cld_editor.ui.drawing.overlay_places`), which label a loop already has,
the one-step Op that shows a label (only for a loop still in the diagram), the one-step Op that
renames one (moving it clear when its new caption would cover something), and the rename dialog
that pushes it. Every change is an Op pushed with a ``push`` callable, so it is one undo step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QWidget

from cld_editor.analysis.loops import Loop
from cld_editor.core import edits, ops
from cld_editor.core.document import Document
from cld_editor.core.model import LoopLabel
from cld_editor.core.ops import Op, UpdateRecords
from cld_editor.core.text import one_line
from cld_editor.ui.drawing import overlay_places

Push = Callable[[Op], bool]


def loop_label_position(
    document: Document, loop: Loop, name: str | None = None
) -> tuple[float, float]:
    """Where a new label for ``loop`` goes: clear of every variable, link and label as drawn,
    inside the loop when there is room (see :mod:`cld_editor.ui.drawing.overlay_places`)."""
    return overlay_places.loop_label_position(document.diagram, loop.variables, name)


def loop_in_diagram(document: Document, loop: Loop) -> bool:
    """Whether ``loop`` still runs through the document as it is now: each of its links is there
    and joins its members in order. A row of a listing found before the last edit may not (on
    a big model the new listing takes a second): such a loop gets no label and no focus."""
    members, links = loop.variables, document.links
    for i, link_id in enumerate(loop.links):
        link = links.get(link_id)
        if link is None or (link.source, link.target) != (
            members[i],
            members[(i + 1) % len(members)],
        ):
            return False
    return bool(loop.links)


def label_for_loop(document: Document, loop: Loop) -> LoopLabel | None:
    """The first loop label attached to ``loop`` (matched on the loop's canonical key)."""
    key = loop.key
    return next((lab for lab in document.loop_labels.values() if lab.loop_key == key), None)


def show_loop_label_op(document: Document, loop: Loop, name: str | None = None) -> Op | None:
    """Place a label for ``loop`` (named ``name``, if given) in one step, where
    :func:`loop_label_position` says; None when the loop is no longer in the diagram."""
    if not loop_in_diagram(document, loop):
        return None
    x, y = loop_label_position(document, loop, name)
    return edits.show_loop_label(document, loop.variables, x, y, name)


def rename_loop_label_op(document: Document, label_id: str, name: str) -> Op | None:
    """Rename a label (an empty name: the loop's own name) in one step that also moves it, when
    the new caption would cover a variable, link or label at its spot, to the nearest clear one
    (:func:`overlay_places.renamed_label_position`); None when nothing changes."""
    op = edits.rename_loop_label(document, label_id, name)
    if not isinstance(op, UpdateRecords):
        return op
    cleaned = dict(op.changes)[label_id]["name"]
    spot = overlay_places.renamed_label_position(document.diagram, label_id, cleaned)
    if spot is None:
        return op
    x, y = spot
    return ops.update_loop_labels(
        {label_id: {"name": cleaned, "x": round(x, 2) + 0.0, "y": round(y, 2) + 0.0}},
        "Rename loop label",
    )


def ask_name(parent: QWidget, current: str | None, own: str | None = None) -> str | None:
    """The loop-label name dialog: the cleaned name ("" for the loop's own name ``own``, such
    as B2, when known), or None when it was cancelled."""
    own_name = f"its own name, {own}" if own else "the loop's own name, such as R1 or B2"
    name, accepted = QInputDialog.getText(
        parent,
        "Rename loop label",
        f"Name shown on the canvas (empty: {own_name}):",
        text=current or "",
    )
    return one_line(name) if accepted else None


def ask_loop_label_name(
    parent: QWidget, document: Document, push: Push, label_id: str, own: str | None = None
) -> bool:
    """The rename dialog for a loop label (whose loop is named ``own``, when known); True
    when a rename was pushed."""
    label = document.loop_labels.get(label_id)
    if label is None:
        return False
    name = ask_name(parent, label.name, own)
    op = None if name is None else rename_loop_label_op(document, label_id, name)
    return op is not None and push(op)
