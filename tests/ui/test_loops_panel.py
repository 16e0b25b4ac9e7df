"""The Loops panel over a Document and a LoopAnalysis (no canvas needed)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF, Qt
from window_helpers import loops_panel_on

from cld_editor.analysis.loops import Budget, Loop, LoopAnalysis, find_loops
from cld_editor.core import ops
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.drawing import geometry as geo
from cld_editor.ui.drawing import render, render_links, render_overlays
from cld_editor.ui.undo import push_op
from cld_editor.ui.window.panels import loop_label_edits
from cld_editor.ui.window.panels.loops_model import MEMBERS_COLUMN
from cld_editor.ui.window.panels.loops_panel import LoopsPanel


def sample() -> Diagram:
    """R: a -> b -> c -> a (all +); B: a -> d -> a (one -); U: c -> c (?)."""
    variables = [
        Variable(id="a", label="Staff morale", x=0, y=0),
        Variable(id="b", label="Service quality", x=200, y=0),
        Variable(id="c", label="Customer loyalty", x=100, y=150),
        Variable(id="d", label="Workload", x=-150, y=100),
    ]
    links = [
        Link(id="l1", source="a", target="b"),
        Link(id="l2", source="b", target="c"),
        Link(id="l3", source="c", target="a", delay=True),
        Link(id="l4", source="a", target="d"),
        Link(id="l5", source="d", target="a", polarity="-"),
        Link(id="l6", source="c", target="c", polarity="?"),
    ]
    return Diagram(title="Sample", variables=variables, links=links)


@pytest.fixture
def setup(qtbot):
    yield from loops_panel_on(qtbot, sample())


def shown(panel: LoopsPanel) -> list[str]:
    return [loop.name for loop in panel.visible_loops()]


def cell(panel: LoopsPanel, row: int, column: int) -> str:
    return str(panel.proxy.data(panel.proxy.index(row, column)))


def test_lists_every_loop_with_type_length_members_and_delay(setup):
    _, _, panel = setup
    assert shown(panel) == ["U1", "B1", "R1"]
    assert panel.summary.text() == "3 loops: 1 reinforcing, 1 balancing, 1 undetermined"
    r1 = shown(panel).index("R1")
    assert cell(panel, r1, 1) == "Reinforcing"
    assert cell(panel, r1, 2) == "3"
    assert cell(panel, r1, 3) == "delayed"
    assert cell(panel, r1, MEMBERS_COLUMN) == (
        "Staff morale → Service quality → Customer loyalty → Staff morale"
    )
    assert cell(panel, shown(panel).index("B1"), 3) == ""


def test_filter_by_type(setup):
    _, _, panel = setup
    panel.type_filter.setCurrentIndex(panel.type_filter.findData("balancing"))
    assert shown(panel) == ["B1"]
    assert panel.summary.text().endswith("— 1 shown")
    panel.type_filter.setCurrentIndex(0)
    assert len(shown(panel)) == 3


def test_filter_through_selected_variables(setup):
    _, _, panel = setup
    panel.set_selected_variables(["c"])
    assert len(shown(panel)) == 3  # not filtering until the box is ticked
    panel.through_selection.setChecked(True)
    assert sorted(shown(panel)) == ["R1", "U1"]
    panel.set_selected_variables(["a", "c"])
    assert shown(panel) == ["R1"]
    panel.set_selected_variables(["d"])
    assert shown(panel) == ["B1"]
    panel.through_selection.setChecked(False)
    assert len(shown(panel)) == 3


def test_selecting_a_row_emits_the_loop_and_esc_clears(setup, qtbot):
    _, _, panel = setup
    with qtbot.waitSignal(panel.loop_selected) as blocker:
        panel.table.selectRow(shown(panel).index("B1"))
    assert blocker.args[0].name == "B1"
    panel.show()
    panel.table.setFocus()
    with qtbot.waitSignal(panel.loop_selected) as blocker:
        qtbot.keyClick(panel.table, Qt.Key.Key_Escape)
    assert blocker.args[0] is None
    assert panel.selected_loop() is None


def test_selection_survives_a_new_analysis_of_the_same_loop(setup, qtbot):
    document, stack, panel = setup
    panel.select_loop("R1")
    push_op(stack, document, ops.delete(link_ids=["l6"]))
    with qtbot.waitSignal(panel.loop_selected) as blocker:
        panel.set_analysis(find_loops(document.diagram))
    assert blocker.args[0].name == "R1"
    assert panel.selected_loop().name == "R1"


def test_show_label_places_it_at_the_loop_centre_once_and_undoably(setup):
    document, stack, panel = setup
    panel.select_loop("R1")
    assert panel.show_label_button.isEnabled()
    label_id = panel.show_label_for_selected()
    label = document.loop_labels[label_id]
    assert label_id.startswith("loop")
    assert label.loop == ["a", "b", "c"]
    # The middle of the area the loop's arcs enclose, clear of everything (test_new_user_labels).
    assert abs(label.x - 100.0) < 10 and abs(label.y - 50.0) < 10
    assert not panel.show_label_button.isEnabled()
    assert panel.show_label_for_selected() == label_id  # a second click adds no second label
    assert len(document.loop_labels) == 1
    assert stack.undoText() == "Show loop label"
    stack.undo()
    assert not document.loop_labels


def _self_loop_and_label_rects(document, label):
    """Scene rects of c's self-link (arc, arrowhead, sign) and of the label's marker."""
    c = document.variables["c"]
    box = render.variable_shape(c.label).box(c.x, c.y)
    paths = render_links.link_paths(geo.link_geometry(box, box, 0.0))
    sx, sy = paths.geometry.sign_pos
    link = paths.line.boundingRect().united(paths.arrow.boundingRect())
    link = link.united(QRectF(sx - 6, sy - 6, 12, 12))
    look = render_overlays.LoopLabelLook("U1", label.name or "", "undetermined", True, False)
    marker = render_overlays.loop_label_rect(look).translated(label.x, label.y)
    return link, marker, box


@pytest.mark.parametrize("name", [None, "Habit of loyalty"])
def test_a_self_loop_label_is_placed_above_its_arc_not_on_it(setup, qtbot, monkeypatch, name):
    document, _, panel = setup
    assert panel.select_loop("U1")
    if name is None:
        qtbot.mouseClick(panel.show_label_button, Qt.MouseButton.LeftButton)
    else:
        monkeypatch.setattr(
            loop_label_edits.QInputDialog, "getText", staticmethod(lambda *a, **k: (name, True))
        )
        qtbot.mouseClick(panel.rename_label_button, Qt.MouseButton.LeftButton)
    (label,) = document.loop_labels.values()
    assert label.name == name
    link, marker, box = _self_loop_and_label_rects(document, label)
    assert not marker.intersects(link), (marker, link)
    assert marker.bottom() < box.cy - box.hh  # above the variable, by the loop
    assert abs(marker.center().x() - link.center().x()) < box.hw


def test_cancelling_rename_of_a_loop_without_label_changes_nothing(setup, qtbot, monkeypatch):
    document, stack, panel = setup
    assert panel.select_loop("R1")
    monkeypatch.setattr(
        loop_label_edits.QInputDialog, "getText", staticmethod(lambda *a, **k: ("Ignored", False))
    )
    qtbot.mouseClick(panel.rename_label_button, Qt.MouseButton.LeftButton)
    assert not document.loop_labels
    assert stack.count() == 0
    assert panel.show_label_button.isEnabled()


def test_naming_a_loop_without_label_is_one_undo_step(setup, qtbot, monkeypatch):
    document, stack, panel = setup
    assert panel.select_loop("R1")
    prompts: list[str] = []

    def get_text(_parent, _title, prompt, **_kwargs):
        prompts.append(prompt)
        return "Doom  loop", True

    monkeypatch.setattr(loop_label_edits.QInputDialog, "getText", staticmethod(get_text))
    where = loop_label_edits.loop_label_position(document, panel.selected_loop(), "Doom loop")
    qtbot.mouseClick(panel.rename_label_button, Qt.MouseButton.LeftButton)
    (label,) = document.loop_labels.values()
    assert label.name == "Doom loop" and (label.x, label.y) == where
    assert prompts == ["Name shown on the canvas (empty: its own name, R1):"]
    assert stack.count() == 1
    stack.undo()
    assert not document.loop_labels


def test_loop_counts_have_thousands_separators(setup):
    _, _, panel = setup
    many = [
        Loop(f"R{i}", "reinforcing", ("a", "b"), ("l1", "l2"), False, ()) for i in range(1, 1235)
    ] + [Loop(f"B{i}", "balancing", ("a", "d"), ("l4", "l5"), False, ()) for i in range(1, 1001)]
    panel.set_analysis(LoopAnalysis(many, False, "loop limit"))
    text = panel.summary.text()
    assert text.startswith("at least 2,234 loops (stopped at the loop limit")
    assert text.endswith(": 1,234 reinforcing, 1,000 balancing")
    panel.type_filter.setCurrentIndex(2)  # balancing only
    assert panel.summary.text().endswith(" — 1,000 shown")


def test_renamed_label_names_the_row_and_can_be_removed(setup, monkeypatch):
    document, stack, panel = setup
    panel.select_loop("R1")
    monkeypatch.setattr(
        loop_label_edits.QInputDialog,
        "getText",
        staticmethod(lambda *a, **k: ("Virtuous  cycle", True)),
    )
    assert panel.rename_label_of_selected()  # no label yet: places one with that name
    (label,) = document.loop_labels.values()
    assert label.name == "Virtuous cycle"
    assert cell(panel, shown(panel).index("R1"), 0) == "Virtuous cycle (R1)"
    assert panel.remove_label_of_selected()
    assert not document.loop_labels
    assert cell(panel, shown(panel).index("R1"), 0) == "R1"
    stack.undo()
    assert document.loop_labels[label.id].name == "Virtuous cycle"


def test_member_text_follows_renames(setup):
    document, stack, panel = setup
    push_op(stack, document, ops.rename_variable("d", "Overtime"))
    assert cell(panel, shown(panel).index("B1"), MEMBERS_COLUMN) == (
        "Staff morale → Overtime → Staff morale"
    )


def test_truncated_analysis_says_at_least(setup):
    document, _, panel = setup
    analysis = find_loops(document.diagram, Budget(max_loops=2))
    panel.set_analysis(analysis)
    assert panel.summary.text().startswith("at least 2 loops (stopped at the loop limit")
    panel.set_analysis(LoopAnalysis([], False, "cancelled"))
    assert panel.summary.text() == "at least 0 loops (analysis stopped)"
    panel.set_analysis(None)
    assert panel.summary.text() == "Looking for loops…"


def test_the_domains_column_and_filter_say_what_only_means(setup):
    _, _, panel = setup
    from cld_editor.ui.window.panels.loops_model import DOMAINS_COLUMN

    tip = panel.model.headerData(
        DOMAINS_COLUMN, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert "EX only: EX and no CX (variables without a domain may be on either)" in tip
    assert panel.domain_filter.toolTip() == tip


@pytest.mark.parametrize("chunk", [1, 5, 7, 1 << 22])
def test_through_filter_in_chunks_equals_a_plain_check(monkeypatch, chunk: int) -> None:
    """The through filter sums each loop's hits a few million members at a time: whatever
    the chunk (a member, part of a loop, several loops), it keeps exactly the loops through
    every wanted variable."""
    from cld_editor.ui.window.panels import loops_view

    monkeypatch.setattr(loops_view, "CHUNK_MEMBERS", chunk)
    names = "abcde"
    complete = Diagram(
        variables=[Variable(id=v, label=v.upper(), x=40 * i, y=0) for i, v in enumerate(names)],
        links=[Link(id=a + b, source=a, target=b) for a in names for b in names if a != b],
    )
    table = find_loops(complete, Budget.no_limits()).loops.table.as_arrays()
    ids = table.graph.ids
    for wanted in ([0], [1, 3], [0, 2, 4], [0, 1, 2, 3, 4]):
        kept = loops_view._through_all(table, wanted).tolist()
        expected = [
            {ids.index(v) for v in table.loop(i).variables} >= set(wanted)
            for i in range(len(table))
        ]
        assert kept == expected
        assert any(kept) and not all(kept)
