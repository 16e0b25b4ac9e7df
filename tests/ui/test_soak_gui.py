"""GUI soak: the random ops of ``tests/core/test_soak.py`` pushed through a QUndoStack with a
real DiagramScene attached, with undo and redo at random. After every step the scene mirrors
the document: one item per variable at its position with its label and domain, one item per
link with its ends, polarity, delay and curvature, one per loop label at its place, the
waterline band when there is one, and nothing else; now and then the incrementally updated
scene is compared with one built from scratch. ``CLD_SOAK_GUI_OPS`` sets the number of steps.
"""

from __future__ import annotations

import importlib.util
import os
import random
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QUndoStack

from cld_editor.core.document import Document
from cld_editor.core.ops import Batch, delete, move_variables
from cld_editor.formats.native import dumps_diagram

scene_module = pytest.importorskip("cld_editor.ui.canvas.scene")
items_module = pytest.importorskip("cld_editor.ui.canvas.items")
DiagramScene = scene_module.DiagramScene
LinkItem = items_module.LinkItem
LoopLabelItem = items_module.LoopLabelItem
VariableItem = items_module.VariableItem
WaterlineItem = items_module.WaterlineItem

SOAK_GUI_OPS = int(os.environ.get("CLD_SOAK_GUI_OPS", "400"))


def _load_core_soak() -> Any:
    """The op generator lives in the core soak test; load it by path (tests are not a package)."""
    path = Path(__file__).resolve().parents[1] / "core" / "test_soak.py"
    spec = importlib.util.spec_from_file_location("cld_core_soak", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


soak = _load_core_soak()


def scene_summary(scene: Any) -> dict[str, Any]:
    """What the scene shows, read from its items (not from the document)."""
    variables, links, labels, waterlines = {}, {}, {}, []
    for item in scene.items():
        if isinstance(item, VariableItem):
            assert item.variable_id not in variables, f"two items for {item.variable_id}"
            variables[item.variable_id] = (item.pos().x(), item.pos().y(), item.label, item.domain)
        elif isinstance(item, LinkItem):
            assert item.link_id not in links, f"two items for {item.link_id}"
            links[item.link_id] = (
                item.source_id,
                item.target_id,
                item.polarity,
                item.delay,
                item.curvature,
            )
        elif isinstance(item, LoopLabelItem):
            assert item.label_id not in labels, f"two items for {item.label_id}"
            labels[item.label_id] = (item.pos().x(), item.pos().y(), item.record.name)
        elif isinstance(item, WaterlineItem):
            waterlines.append(item.line_y)
    return {"variables": variables, "links": links, "labels": labels, "waterline": waterlines}


def document_summary(doc: Document) -> dict[str, Any]:
    return {
        "variables": {v.id: (v.x, v.y, v.label, v.domain) for v in doc.variables.values()},
        "links": {
            link.id: (link.source, link.target, link.polarity, link.delay, link.curvature)
            for link in doc.links.values()
        },
        "labels": {lab.id: (lab.x, lab.y, lab.name) for lab in doc.loop_labels.values()},
        "waterline": [] if doc.waterline is None else [doc.waterline],
    }


def assert_mirrors(scene: Any, doc: Document, where: str) -> None:
    shown, expected = scene_summary(scene), document_summary(doc)
    for key in expected:
        assert shown[key] == expected[key], f"{where}: scene {key} differ from the document"


def assert_same_as_rebuilt(scene: Any, doc: Document, where: str) -> None:
    copy = Document(doc.diagram)
    fresh = DiagramScene(copy, QUndoStack())
    try:
        assert scene_summary(fresh) == scene_summary(scene), f"{where}: rebuilt scene differs"
    finally:
        fresh.detach()


def event_ids(op: Any, doc: Document) -> list[set[str]]:
    """The record ids each part of ``op`` reports in its events, applied to a scratch copy."""
    scratch = Document(doc.diagram)
    parts = op.ops if isinstance(op, Batch) else (op,)
    found = []
    for part in parts:
        _, events = part.apply(scratch)
        found.append({i for event in events for i in getattr(event, "ids", ())})
    return found


def scene_safe_step(rng: random.Random, doc: Document) -> Any:
    """A step from the core soak, except batches in which two parts touch the same record, or
    whose undo would: the scene cannot follow those yet (see the xfail test below)."""
    while True:
        step = soak.random_step(rng, doc)
        if step.kind != "batch":
            return step
        parts = event_ids(step.op, doc)
        if all(not (a & b) for k, a in enumerate(parts) for b in parts[k + 1 :]):
            return step


@pytest.mark.parametrize("seed", [11])
def test_random_ops_through_undo_stack_and_scene(qapp, seed: int) -> None:
    rng = random.Random(seed)
    doc = Document(soak.starting_diagram(rng))
    stack = QUndoStack()
    scene = DiagramScene(doc, stack)
    initial = dumps_diagram(doc.diagram)
    applied = refused = undone = redone = 0
    try:
        assert_mirrors(scene, doc, "start")
        for n in range(SOAK_GUI_OPS):
            roll = rng.random()
            if roll < 0.15 and stack.canUndo():
                stack.undo()
                undone += 1
            elif roll < 0.3 and stack.canRedo():
                stack.redo()
                redone += 1
            else:
                step = scene_safe_step(rng, doc)
                before = dumps_diagram(doc.diagram)
                # Nudges go in with a merge key, as the arrow keys push them.
                merge_key = "nudge" if step.kind == "nudges" else None
                pushed = scene.push(step.op, merge_key)
                assert pushed is not step.invalid, f"seed {seed} step {n}: {step.kind}"
                if pushed:
                    applied += 1
                else:
                    assert dumps_diagram(doc.diagram) == before
                    refused += 1
            assert_mirrors(scene, doc, f"seed {seed} step {n}")
            if n % 100 == 0:
                assert_same_as_rebuilt(scene, doc, f"seed {seed} step {n}")
        stack.setIndex(stack.count())
        final = dumps_diagram(doc.diagram)
        stack.setIndex(0)
        assert dumps_diagram(doc.diagram) == initial
        assert_mirrors(scene, doc, "after undo all")
        stack.setIndex(stack.count())
        assert dumps_diagram(doc.diagram) == final
        assert_mirrors(scene, doc, "after redo all")
        assert_same_as_rebuilt(scene, doc, "end")
        assert applied > SOAK_GUI_OPS // 3 and refused and undone and redone
        print(
            f"GUI soak seed {seed}: {applied} applied, {refused} refused, {undone} undone, "
            f"{redone} redone"
        )
    finally:
        # Unhook before letting go: a Python-owned stack full of commands that is freed by the
        # cycle collector can crash PySide6 6.11 (see the report on tests/ui/test_autosave.py).
        scene.detach()
        stack.clear()


def test_scene_follows_a_batch_that_changes_then_removes_a_variable(qapp) -> None:
    doc = Document(soak.starting_diagram(random.Random(1)))
    stack = QUndoStack()
    scene = DiagramScene(doc, stack)
    try:
        op = Batch((move_variables({"s1": (5.0, 5.0)}), delete(variable_ids=["s1"])), "Edit")
        assert scene.push(op)
        assert_mirrors(scene, doc, "after the batch")
    finally:
        scene.detach()
        stack.clear()
