"""Sorting the Loops table by its Members column: label by label, the same order as a plain
sort of each loop's member labels, on the compact (numpy) table without building a Loop or a
members text per row (a listing of 100,000 loops froze the window for seconds)."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from cld_editor.analysis.loops import Budget, find_loops
from cld_editor.core import edits
from cld_editor.core.document import Document
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.undo import push_op
from cld_editor.ui.window.panels.loops_model import MEMBERS_COLUMN
from cld_editor.ui.window.panels.loops_panel import LoopsPanel

#: Labels with repeats, a label that starts another, mixed case and inner spaces.
LABELS = ("Sales", "Sales rate", "sales", "Price", "Price", "Backlog", "Hiring  rate", "Zeal")


def shuffled_dense(n: int, seed: int) -> Diagram:
    """A diagram of ``n`` variables (labels drawn from LABELS, so some repeat) in a random
    document order, with most links between distinct pairs: thousands of loops."""
    rng = random.Random(seed)
    ids = [f"v{i}" for i in range(n)]
    rng.shuffle(ids)
    variables = [
        Variable(id=v, label=LABELS[int(v[1:]) % len(LABELS)], x=60.0 * i, y=0.0)
        for i, v in enumerate(ids)
    ]
    links = [
        Link(id=f"{s}-{t}", source=s, target=t, polarity=rng.choice("+-"))
        for s in ids
        for t in ids
        if s != t and rng.random() < 0.7
    ]
    return Diagram(variables=variables, links=links)


@pytest.fixture(params=[False, True], ids=["python", "compiled"])
def panel_of(request, qtbot):
    if request.param:
        pytest.importorskip("numba")

    def make(diagram: Diagram) -> LoopsPanel:
        document = Document(diagram)
        stack = QUndoStack()
        panel = LoopsPanel(document, lambda op: push_op(stack, document, op))
        qtbot.addWidget(panel)
        panel.set_analysis(find_loops(diagram, Budget.no_limits(), compiled=request.param))
        panel._stack = stack  # keep it alive with the panel
        return panel

    return make


def shown_members(panel: LoopsPanel) -> list[tuple[str, ...]]:
    return [panel.model.member_labels(loop) for loop in panel.visible_loops()]


@pytest.mark.parametrize("seed", [1, 2])
def test_members_sort_orders_loops_label_by_label(panel_of, seed) -> None:
    panel = panel_of(shuffled_dense(8, seed))
    every = shown_members(panel)
    assert len(every) > 500
    panel.table.sortByColumn(MEMBERS_COLUMN, Qt.SortOrder.AscendingOrder)
    ascending = shown_members(panel)
    assert ascending == sorted(every)
    panel.table.sortByColumn(MEMBERS_COLUMN, Qt.SortOrder.DescendingOrder)
    assert shown_members(panel) == sorted(every, reverse=True)
    # Filters still apply to the sorted rows.
    panel.type_filter.setCurrentIndex(1)  # reinforcing
    reinforcing = [panel.model.member_labels(loop) for loop in panel.visible_loops()]
    assert reinforcing == sorted(reinforcing, reverse=True)
    assert all(loop.polarity == "reinforcing" for loop in panel.visible_loops())


def test_members_sort_builds_no_loop_and_no_text_per_row(panel_of, monkeypatch) -> None:
    panel = panel_of(shuffled_dense(9, 3))
    table = panel.analysis.table
    assert table is not None
    built = panel.model.loops._built
    before = sum(loop is not None for loop in built) if built is not None else 0

    texts = []
    members_text = panel.model.members_text
    monkeypatch.setattr(
        panel.model, "members_text", lambda loop: texts.append(1) or members_text(loop)
    )
    panel.table.sortByColumn(MEMBERS_COLUMN, Qt.SortOrder.AscendingOrder)
    after = sum(loop is not None for loop in built) if built is not None else 0
    rows = len(panel.visible_loops())
    assert rows > 5000
    # Only the rows drawn build a Loop and their texts, never all of them.
    assert after - before < 100 and len(texts) < rows / 10


def test_members_sort_reads_labels_as_they_are_when_sorted(panel_of) -> None:
    panel = panel_of(shuffled_dense(6, 4))
    document = panel.model.document
    first = min(document.variables.values(), key=lambda v: (v.label, v.id))
    op = edits.rename_variable(document, first.id, "Zzz last")
    assert op is not None
    document.apply(op)
    panel.table.sortByColumn(MEMBERS_COLUMN, Qt.SortOrder.AscendingOrder)
    shown = shown_members(panel)
    assert shown == sorted(shown)
    assert any("Zzz last" in members for members in shown)
    assert "Zzz last" not in shown[0]


def test_members_sort_of_the_independent_set_orders_it_label_by_label(panel_of, qtbot) -> None:
    panel = panel_of(shuffled_dense(8, 5))
    panel.sets.independent_set.setChecked(True)
    qtbot.waitUntil(lambda: panel.sets.independent is not None, timeout=10000)
    every = shown_members(panel)
    assert len(every) > 10
    panel.table.sortByColumn(MEMBERS_COLUMN, Qt.SortOrder.AscendingOrder)
    assert shown_members(panel) == sorted(every)
