"""Soak: thousands of random Ops through core.History, with undo and redo at random.

Every kind of edit is exercised (add, delete, relabel, domain, move, nudges merged, link,
polarity, delay, bend, loop labels, diagram properties, batches) together with deliberately
invalid ops, which must raise OpError and change nothing. Along the way: saving and loading
gives the same bytes, the document's link index stays right, and loop analysis never fails.
At the end, undoing everything gives back the initial diagram exactly and redoing everything
the final one. ``CLD_SOAK_OPS`` sets the number of steps per seed (default 1,500 x 2 seeds, a
few seconds), ``CLD_SOAK_SEEDS`` the number of seeds; e.g. ``CLD_SOAK_OPS=100000``.
``tests/ui/test_soak_gui.py`` drives the same generator through a QUndoStack and a scene.
"""

from __future__ import annotations

import contextlib
import math
import os
import random
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from cld_editor.analysis.loops import Budget, find_loops
from cld_editor.core.document import Document, OpError
from cld_editor.core.history import History
from cld_editor.core.model import Diagram, Link, LoopLabel, Variable
from cld_editor.core.ops import (
    AddRecords,
    Batch,
    Op,
    RemoveRecords,
    SetDiagramProperties,
    UpdateRecords,
    add_link,
    add_loop_label,
    add_variable,
    bend_link,
    delete,
    move_variables,
    remove_loop_labels,
    rename_variable,
    set_delay,
    set_domain,
    set_polarity,
    update_loop_labels,
)
from cld_editor.formats.native import dumps_diagram, loads_diagram

SOAK_OPS = int(os.environ.get("CLD_SOAK_OPS", "1500"))
SOAK_SEEDS = int(os.environ.get("CLD_SOAK_SEEDS", "2"))
MAX_VARIABLES = 30
LABELS = ["Staff morale", "Customer satisfaction", "<b>bold</b>", "Wait time", "", "Ünïcödé ✓"]
ANALYSIS_BUDGET = Budget(max_loops=300, max_length=8, time_limit=0.5)


@dataclass
class Step:
    """One generated edit: the op, and whether it must be refused (OpError)."""

    op: Op
    invalid: bool
    kind: str


def starting_diagram(rng: random.Random) -> Diagram:
    variables = [
        Variable(id=f"s{i}", label=rng.choice(LABELS), x=100.0 * i, y=50.0 * (i % 3))
        for i in range(6)
    ]
    links = [
        Link(id=f"sl{i}", source=f"s{i}", target=f"s{(i + 1) % 6}", polarity=rng.choice("+-?"))
        for i in range(6)
    ]
    return Diagram(title="Soak", variables=variables, links=links)


def _coordinate(rng: random.Random) -> float:
    return round(rng.uniform(-2000, 2000), 2)


def _some(rng: random.Random, items: list[str], most: int = 3) -> list[str]:
    return rng.sample(items, rng.randint(1, min(most, len(items))))


def valid_op(rng: random.Random, doc: Document) -> tuple[Op, str] | None:
    """An op that fits ``doc``, or None when the chosen kind has nothing to work on."""
    variables = list(doc.variables)
    links = list(doc.links)
    labels = list(doc.loop_labels)
    kinds = ["add_variable", "properties", "batch"]
    if len(variables) < MAX_VARIABLES:
        kinds += ["add_variable"] * 3
    if variables:
        kinds += ["add_link"] * 4 + ["rename", "domain", "move", "nudges", "delete_variables"]
        kinds += ["add_label"]
    if len(variables) > MAX_VARIABLES // 2:
        kinds += ["delete_variables"] * 3
    if links:
        kinds += ["polarity", "delay", "bend", "delete_links", "delete_mixed"]
    if labels:
        kinds += ["update_label", "remove_label"]
    kind = rng.choice(kinds)
    if kind == "add_variable":
        variable = Variable(
            id=doc.new_id("v"),
            label=rng.choice(LABELS),
            domain=rng.choice(["CX", "EX", None]),
            x=_coordinate(rng),
            y=_coordinate(rng),
            notes=rng.choice(["", "a note", "<i>x</i>"]),
        )
        return add_variable(variable), kind
    if kind == "add_link":
        for _ in range(10):
            source, target = rng.choice(variables), rng.choice(variables)
            if doc.link_between(source, target) is None:
                link = Link(
                    id=doc.new_id("l"),
                    source=source,
                    target=target,
                    polarity=rng.choice("+-?"),
                    delay=rng.random() < 0.2,
                    curvature=round(rng.uniform(-2, 2), 3),
                )
                return add_link(link), kind
        return None
    if kind == "rename":
        return rename_variable(rng.choice(variables), rng.choice(LABELS) + str(rng.random())), kind
    if kind == "domain":
        return set_domain(_some(rng, variables), rng.choice(["CX", "EX", None])), kind
    if kind == "move":
        chosen = _some(rng, variables, 5)
        return move_variables({v: (_coordinate(rng), _coordinate(rng)) for v in chosen}), kind
    if kind == "nudges":
        # Arrow-key nudges merge into one step: UpdateRecords.merged_with must stay invertible.
        chosen = _some(rng, variables, 3)
        op = move_variables({v: (doc.variables[v].x + 10, doc.variables[v].y) for v in chosen})
        later = move_variables(
            {v: (doc.variables[v].x + 10, doc.variables[v].y + 1) for v in chosen}
        )
        return op.merged_with(later), kind
    if kind == "delete_variables":
        return delete(variable_ids=_some(rng, variables)), kind
    if kind == "polarity":
        return set_polarity(_some(rng, links), rng.choice("+-?")), kind
    if kind == "delay":
        return set_delay(_some(rng, links), rng.random() < 0.5), kind
    if kind == "bend":
        return bend_link(rng.choice(links), round(rng.uniform(-2, 2), 3)), kind
    if kind == "delete_links":
        return delete(link_ids=_some(rng, links)), kind
    if kind == "delete_mixed":
        link_ids = _some(rng, links)
        variable_ids = _some(rng, variables, 2)
        label_ids = _some(rng, labels, 1) if labels else []
        return delete(variable_ids, link_ids, label_ids), kind
    if kind == "add_label":
        loop = _some(rng, variables, 4)
        label = LoopLabel(
            id=doc.new_id("ll"),
            loop=loop,
            x=_coordinate(rng),
            y=_coordinate(rng),
            name=rng.choice([None, "Virtuous cycle", "<b>Doom</b> loop"]),
        )
        return add_loop_label(label), kind
    if kind == "update_label":
        label_id = rng.choice(labels)
        changes = rng.choice(
            [
                {"name": rng.choice([None, "Renamed", "R1 & B2"])},
                {"x": _coordinate(rng), "y": _coordinate(rng)},
            ]
        )
        return update_loop_labels({label_id: changes}, "Change loop label"), kind
    if kind == "remove_label":
        return remove_loop_labels(_some(rng, labels, 2)), kind
    if kind == "properties":
        changes = rng.choice(
            [
                {"title": rng.choice(LABELS) or "Untitled"},
                {"description": rng.choice(["", "what we learned", "<script>"])},
                {"waterline": rng.choice([None, _coordinate(rng)])},
                {"title": "Both", "waterline": None},
            ]
        )
        return SetDiagramProperties(changes), kind
    # A batch of valid ops, each generated against the state the previous ones leave.
    scratch = Document(doc.diagram)
    ops: list[Op] = []
    for _ in range(rng.randint(2, 4)):
        made = valid_op(rng, scratch)
        if made is None or made[1] == "batch":
            continue
        scratch.apply(made[0])
        ops.append(made[0])
    return (Batch(tuple(ops), "Soak batch"), kind) if ops else None


def invalid_op(rng: random.Random, doc: Document) -> tuple[Op, str]:
    """An op that must be refused with OpError, leaving the document as it was."""
    variables = list(doc.variables)
    links = list(doc.links)
    choices: list[Callable[[], Op]] = [
        lambda: RemoveRecords("variables", ("no-such-variable",)),
        lambda: UpdateRecords("links", (("no-such-link", {"polarity": "-"}),)),
        lambda: SetDiagramProperties({"colour": "red"}),
        lambda: SetDiagramProperties({"waterline": math.inf}),
        lambda: add_link(Link(id=doc.new_id("l"), source="ghost", target="ghost")),
    ]
    if variables:
        some = rng.choice(variables)
        choices += [
            lambda: add_variable(Variable(id=some, x=0, y=0)),  # id already used
            lambda: UpdateRecords("variables", ((some, {"x": math.nan}),)),
            lambda: UpdateRecords("variables", ((some, {"domain": "ZZ"}),)),
            lambda: UpdateRecords("variables", ((some, {"label": "x" * 5000}),)),
            lambda: UpdateRecords("variables", ((some, {"id": "renamed"}),)),
            lambda: UpdateRecords("variables", ((some, {"colour": "red"}),)),
            lambda: UpdateRecords("variables", ((some, {"x": 1e12}),)),
        ]
    if links:
        link = doc.links[rng.choice(links)]
        choices += [
            lambda: add_link(Link(id=doc.new_id("l"), source=link.source, target=link.target)),
            lambda: set_polarity([link.id], "x"),
            lambda: bend_link(link.id, 99.0),
            lambda: UpdateRecords("links", ((link.id, {"source": "elsewhere"}),)),
            lambda: AddRecords("links", (link,)),  # id already used
        ]
    # A batch whose last op fails: everything before it must be rolled back.
    made = valid_op(rng, doc)
    if made is not None:
        choices.append(lambda: Batch((made[0], RemoveRecords("links", ("no-such-link",))), "Bad"))
    return rng.choice(choices)(), "invalid"


def random_step(rng: random.Random, doc: Document, invalid_share: float = 0.1) -> Step:
    if rng.random() < invalid_share:
        op, kind = invalid_op(rng, doc)
        return Step(op, True, kind)
    while True:
        made = valid_op(rng, doc)
        if made is not None:
            return Step(made[0], False, made[1])


def check_document(doc: Document) -> None:
    """Invariants a Document keeps whatever happened: a valid diagram, a right link index."""
    snapshot = doc.diagram
    Diagram.model_validate(snapshot.model_dump())  # references, ids, ranges
    for link in doc.links.values():
        assert doc.link_between(link.source, link.target) == link


def check_round_trip(doc: Document) -> None:
    text = dumps_diagram(doc.diagram)
    loaded = loads_diagram(text.encode("utf-8"))
    assert dumps_diagram(loaded) == text
    assert loaded == Diagram.model_validate(doc.diagram.model_dump())


def check_analysis(doc: Document) -> None:
    analysis = find_loops(doc.diagram, ANALYSIS_BUDGET)
    for loop in analysis.loops:
        assert all(link_id in doc.links for link_id in loop.links)
        assert len(loop.variables) == len(loop.links)


@dataclass
class SoakCounts:
    applied: int = 0
    refused: int = 0
    undone: int = 0
    redone: int = 0


def run_soak(seed: int, steps: int) -> SoakCounts:
    rng = random.Random(seed)
    doc = Document(starting_diagram(rng))
    history = History(doc)
    initial = dumps_diagram(doc.diagram)
    counts = SoakCounts()
    for step_number in range(steps):
        roll = rng.random()
        if roll < 0.03:
            # A burst: undo several steps, then redo some of them.
            back = 0
            for _ in range(rng.randint(1, 12)):
                if history.can_undo:
                    history.undo()
                    back += 1
            for _ in range(rng.randint(0, back)):
                history.redo()
                counts.redone += 1
            counts.undone += back
        elif roll < 0.15 and history.can_undo:
            history.undo()
            counts.undone += 1
        elif roll < 0.3 and history.can_redo:
            history.redo()
            counts.redone += 1
        else:
            step = random_step(rng, doc)
            before = dumps_diagram(doc.diagram) if step.invalid else None
            try:
                history.push(step.op)
            except OpError:
                assert step.invalid, f"seed {seed} step {step_number}: valid {step.kind} refused"
                assert dumps_diagram(doc.diagram) == before, f"seed {seed}: refused op changed"
                counts.refused += 1
            else:
                assert not step.invalid, f"seed {seed} step {step_number}: invalid op accepted"
                counts.applied += 1
        if step_number % 50 == 0:
            check_document(doc)
            check_round_trip(doc)
        if step_number % 150 == 0:
            check_analysis(doc)
    while history.can_redo:
        history.redo()
    final = dumps_diagram(doc.diagram)
    check_document(doc)
    while history.can_undo:
        history.undo()
    assert dumps_diagram(doc.diagram) == initial, f"seed {seed}: undo all is not the start"
    while history.can_redo:
        history.redo()
    assert dumps_diagram(doc.diagram) == final, f"seed {seed}: redo all is not the end"
    return counts


@pytest.mark.parametrize("seed", range(SOAK_SEEDS))
def test_random_ops_with_undo_and_redo(seed: int) -> None:
    counts = run_soak(seed, SOAK_OPS)
    # Every path was taken: edits, refusals, undos and redos.
    assert counts.applied > SOAK_OPS // 3
    assert counts.refused > 0 and counts.undone > 0 and counts.redone > 0
    print(f"seed {seed}: {counts}")


def test_generator_covers_every_kind_of_edit() -> None:
    rng = random.Random(7)
    doc = Document(starting_diagram(rng))
    seen: set[str] = set()
    for _ in range(3000):
        step = random_step(rng, doc)
        seen.add(step.kind)
        with contextlib.suppress(OpError):
            doc.apply(step.op)
    expected = {
        "add_variable", "add_link", "rename", "domain", "move", "nudges", "delete_variables",
        "polarity", "delay", "bend", "delete_links", "delete_mixed", "add_label",
        "update_label", "remove_label", "properties", "batch", "invalid",
    }  # fmt: skip
    assert seen == expected
