"""The Loops panel's filters, sorting and independent set over a compact (numpy) analysis as
over a small one, and "Count all loops" for a truncated listing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from cld_editor.analysis.loops import Budget, find_loops
from cld_editor.analysis.sils import independent_loops
from cld_editor.core.document import Document
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.undo import push_op
from cld_editor.ui.window.panels.loops_panel import LoopsPanel


def dense(n: int) -> Diagram:
    ids = [f"v{i}" for i in range(n)]
    return Diagram(
        variables=[Variable(id=v, x=100.0 * i, y=0.0) for i, v in enumerate(ids)],
        links=[
            Link(id=f"{s}-{t}", source=s, target=t, polarity="-" if (i + j) % 3 == 0 else "+")
            for i, s in enumerate(ids)
            for j, t in enumerate(ids)
            if s != t
        ],
    )


@pytest.fixture(params=[False, True], ids=["python", "compiled"])
def panel_on(request, qtbot):
    if request.param:
        pytest.importorskip("numba")

    def make(diagram: Diagram, budget: Budget | None = None):
        document = Document(diagram)
        stack = QUndoStack()
        panel = LoopsPanel(document, lambda op: push_op(stack, document, op))
        qtbot.addWidget(panel)
        analysis = find_loops(diagram, budget or Budget.no_limits(), compiled=request.param)
        panel.set_analysis(analysis)
        panel._stack = stack  # keep it alive with the panel
        return panel, analysis

    return make


def names(panel: LoopsPanel) -> list[str]:
    return [loop.name for loop in panel.visible_loops()]


def test_filters_select_the_same_loops_as_a_plain_scan(panel_on) -> None:
    panel, analysis = panel_on(dense(5))
    every = list(analysis.loops)
    assert names(panel) == [loop.name for loop in every]
    panel.type_filter.setCurrentIndex(2)  # balancing
    assert names(panel) == [loop.name for loop in every if loop.polarity == "balancing"]
    panel.set_selected_variables(["v1", "v3"])
    panel.through_selection.setChecked(True)
    assert names(panel) == [
        loop.name
        for loop in every
        if loop.polarity == "balancing" and {"v1", "v3"} <= set(loop.variables)
    ]
    panel.type_filter.setCurrentIndex(0)
    panel.set_selected_variables(["v1", "missing"])
    assert names(panel) == []


def test_sorting_by_length_and_type(panel_on) -> None:
    panel, analysis = panel_on(dense(5))
    panel.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    lengths = [loop.length for loop in panel.visible_loops()]
    assert lengths == sorted(lengths, reverse=True) and len(lengths) == len(analysis.loops)
    panel.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    shown = names(panel)
    assert shown[0] == "R1" and shown.index("B1") == analysis.count("reinforcing")


def test_independent_set_view(panel_on) -> None:
    diagram = dense(5)
    panel, _ = panel_on(diagram)
    panel.sets.independent_set.setChecked(True)
    expected = {loop.key for loop in independent_loops(diagram)}
    assert {loop.key for loop in panel.visible_loops()} == expected
    assert "shown" in panel.summary.text()
    panel.sets.independent_set.setChecked(False)
    assert len(panel.visible_loops()) == len(panel.analysis.loops)


def test_count_all_loops_for_a_truncated_listing(panel_on, qtbot) -> None:
    panel, analysis = panel_on(dense(6), Budget(max_loops=20))
    assert not analysis.complete and not panel.sets.count_button.isHidden()
    with qtbot.waitSignal(panel.sets.counter.counted, timeout=20000):
        panel.sets.count_button.click()
    assert "All loops counted: 409 loops" in panel.summary.text()
    assert panel.sets.count_button.isHidden()


def test_a_running_count_can_be_stopped_and_shows_its_partial_counts(panel_on, qtbot) -> None:
    # K14 has billions of loops: the count would run to its time limit.
    panel, analysis = panel_on(dense(14), Budget(max_loops=20))
    button = panel.sets.count_button
    assert not analysis.complete and not button.isHidden() and button.text() == "Count all loops"
    button.click()
    assert panel.sets.counter.running
    assert button.isEnabled() and button.text() == "Stop counting"
    with qtbot.waitSignal(panel.sets.counter.counted, timeout=20000) as blocker:
        button.click()
    census = blocker.args[0]
    assert not census.complete and census.stopped_by == "cancelled"
    summary = panel.summary.text()
    assert f"Count stopped: at least {census.total:,} loops" in summary
    assert "lower bounds" in summary and "not representative" in summary
    assert not panel.sets.counter.running
    assert not button.isHidden() and button.text() == "Count all loops"


def test_stop_counting_is_false_when_no_count_runs(panel_on) -> None:
    panel, _ = panel_on(dense(6), Budget(max_loops=20))
    assert panel.sets.stop_counting() is False


def test_a_new_analysis_drops_the_count_in_progress(panel_on, qtbot) -> None:
    """An analysis arriving after an edit that changed the loops drops the count (of the
    loops before the edit), and says so; one of the same diagram keeps it (see
    test_loops_count_window)."""
    from cld_editor.core import edits

    panel, analysis = panel_on(dense(14), Budget(max_loops=20))
    counted = []
    panel.sets.counter.counted.connect(counted.append)
    panel.sets.count_button.click()
    document = panel.sets.document
    document.apply(edits.set_polarity(document, [document.diagram.links[0].id], "-"))
    panel.set_analysis(analysis)
    assert not panel.sets.counter.running and panel.sets.count_button.text() == "Count all loops"
    qtbot.wait(50)
    assert counted == []  # no partial count of the diagram before the edit shows, but why:
    assert "Count of all loops stopped: the diagram changed." in panel.summary.text()
    assert "All loops counted" not in panel.summary.text()


def test_independent_set_note_says_how_many_loops_the_listing_lacks(panel_on) -> None:
    diagram = dense(6)
    panel, analysis = panel_on(diagram, Budget(max_loops=20))
    chosen = list(independent_loops(diagram))
    listed = {loop.key for loop in analysis.loops}
    missing = [loop for loop in chosen if loop.key not in listed]
    assert missing and analysis.complete_up_to  # the case the note is for
    assert all(loop.length > analysis.complete_up_to for loop in missing)
    note = panel.sets.note
    assert note.isHidden()
    panel.sets.independent_set.setChecked(True)
    assert not note.isHidden()
    text = note.text()
    assert text.startswith(f"Independent set: {len(chosen)} loops (cyclomatic number 25).")
    assert f"{len(missing)} are longer than the listing reaches" in text
    assert "cld-editor analyze FILE --sils" in text
    # The whole set is listed: the listing's loops under its names, the others as R*1, B*1, ...
    shown = panel.visible_loops()
    assert [loop.key for loop in shown] == [loop.key for loop in chosen]
    names = {loop.key: loop.name for loop in analysis.loops}
    beyond = [loop.name for loop in shown if loop.key not in names]
    assert len(beyond) == len(missing) and all("*" in name for name in beyond)
    assert all(loop.name == names[loop.key] for loop in shown if loop.key in names)
    assert "*1" in text
    panel.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # names with * sort too
    assert len(panel.visible_loops()) == len(chosen)
    panel.table.selectRow(len(chosen) - 1)  # a loop beyond the listing can be selected
    assert panel.selected_loop() is not None
    panel.sets.independent_set.setChecked(False)
    assert note.isHidden()
    assert len(panel.visible_loops()) == len(analysis.loops)


def test_independent_set_note_of_a_complete_listing(panel_on) -> None:
    diagram = dense(5)
    panel, _ = panel_on(diagram)
    panel.sets.independent_set.setChecked(True)
    n = len(independent_loops(diagram))
    assert panel.sets.note.text() == f"Independent set: {n} loops (cyclomatic number 16)."


def test_independent_set_tooltip_is_short_and_wrapped(panel_on) -> None:
    import re
    from html import unescape

    panel, _ = panel_on(dense(3))
    tip = unescape(re.sub("<[^>]+>", "", panel.sets.independent_set.toolTip()))
    assert "cyclomatic" not in tip and tip.count(".") <= 2
    assert all(len(line) <= 60 for line in tip.splitlines())


def test_a_big_diagram_finds_its_independent_set_in_the_background(
    panel_on, qtbot, monkeypatch
) -> None:
    """Past SET_IN_BACKGROUND_FROM links the set is found on a worker thread: the listing shows
    meanwhile with a note, then the set; a newer analysis overtakes an older request."""
    from cld_editor.ui.window.panels import loop_sets

    monkeypatch.setattr(loop_sets, "SET_IN_BACKGROUND_FROM", 0)
    diagram = dense(5)
    panel, analysis = panel_on(diagram)
    with qtbot.waitSignal(panel.sets.loops_changed, timeout=10000):
        panel.sets.independent_set.setChecked(True)
        assert panel.sets.note.text() == "Finding the independent set…"
        assert len(panel.visible_loops()) == len(analysis.loops)  # the listing meanwhile
        panel.set_analysis(analysis)  # a newer request while the first may run
    qtbot.waitUntil(lambda: not panel.sets.finder.busy, timeout=10000)
    expected = [loop.key for loop in independent_loops(diagram)]
    assert [loop.key for loop in panel.visible_loops()] == expected
    assert panel.sets.note.text().startswith(f"Independent set: {len(expected)} loops")


def tagged(n: int) -> Diagram:
    """``dense(n)`` with CX, EX and untagged variables, so loops of every span of domains."""
    diagram = dense(n)
    domains = ("CX", "EX", "CX", None, "EX")
    variables = [
        v.model_copy(update={"domain": domains[i % len(domains)]})
        for i, v in enumerate(diagram.variables)
    ]
    return diagram.model_copy(update={"variables": variables})


@pytest.mark.parametrize("n", [5, 7])
def test_domains_column_filter_and_sort_agree_with_a_plain_scan(panel_on, n) -> None:
    from cld_editor.ui.window.panels.loop_filters import DOMAIN_FILTERS
    from cld_editor.ui.window.panels.loops_model import DOMAINS_COLUMN, domains_text

    panel, analysis = panel_on(tagged(n))
    every = list(analysis.loops)
    spans = {domains_text(loop.domains) for loop in every}
    assert {"CX + EX", "CX only", "EX only"} <= spans
    assert (
        panel.model.headerData(
            DOMAINS_COLUMN, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole
        )
        == "Domains"
    )
    visible = panel.visible_loops()
    for row in range(0, len(visible), 7):
        loop = visible[row]
        assert panel.proxy.data(panel.proxy.index(row, DOMAINS_COLUMN)) == domains_text(
            loop.domains
        )
    wanted = {None: None, 3: "CX + EX", 1: "CX only", 2: "EX only", 0: ""}
    for text, mask in DOMAIN_FILTERS:
        panel.domain_filter.setCurrentIndex(panel.domain_filter.findData(mask))
        expected = [
            loop.name
            for loop in every
            if wanted[mask] is None or domains_text(loop.domains) == wanted[mask]
        ]
        assert names(panel) == expected, text
    # Crossing loops of one type: the two filters combine.
    panel.domain_filter.setCurrentIndex(panel.domain_filter.findData(3))
    panel.type_filter.setCurrentIndex(1)  # reinforcing
    assert names(panel) == [
        loop.name
        for loop in every
        if loop.polarity == "reinforcing" and domains_text(loop.domains) == "CX + EX"
    ]
    assert "shown" in panel.summary.text()
    panel.type_filter.setCurrentIndex(0)
    panel.domain_filter.setCurrentIndex(0)
    order = ["", "CX only", "EX only", "CX + EX"]
    panel.table.sortByColumn(DOMAINS_COLUMN, Qt.SortOrder.AscendingOrder)
    spans_shown = [domains_text(loop.domains) for loop in panel.visible_loops()]
    assert [order.index(s) for s in spans_shown] == sorted(order.index(s) for s in spans_shown)
    assert len(spans_shown) == len(every)


def test_the_domain_filter_runs_on_the_compact_table_without_building_loops(panel_on) -> None:
    """Filtering reads the class codes (numpy, the lists of a table without numba turned into
    arrays), and no Loop is built per row."""
    import numpy as np

    panel, analysis = panel_on(tagged(7))
    table = analysis.table
    assert table is not None
    built = panel.model.loops._built
    before = sum(loop is not None for loop in built) if built is not None else 0
    panel.domain_filter.setCurrentIndex(panel.domain_filter.findData(3))
    panel.type_filter.setCurrentIndex(1)
    panel.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    after = sum(loop is not None for loop in built) if built is not None else 0
    assert after - before < 100  # only the rows drawn, never all of them
    codes = np.asarray(table.codes)
    assert panel.proxy.rowCount() == int((((codes // 6) == 3) & (codes % 3 == 0)).sum())


def test_a_count_that_fails_ends_instead_of_running_on(panel_on, qtbot, monkeypatch) -> None:
    from cld_editor.ui.window.panels import loop_counter

    panel, _analysis = panel_on(dense(8), Budget(max_loops=20))

    def broken(*args, **kwargs):
        raise RuntimeError("count broke")

    monkeypatch.setattr(loop_counter, "count_loops", broken)
    seen: list[object] = []
    monkeypatch.setattr("threading.excepthook", lambda args: seen.append(args.exc_value))
    counter = panel.sets.counter
    panel.sets.count_button.click()
    assert counter.running
    qtbot.waitUntil(lambda: not counter.running, timeout=5000)
    assert panel.sets.count_button.text() == "Count all loops"
    assert [str(e) for e in seen] == ["count broke"]  # still shown by the crash guard
