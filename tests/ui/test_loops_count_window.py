"""In the main window, Loops > Stop Analysis stops a running "Count all loops" as well as the
loop search, and the panel then shows the partial counts."""

from __future__ import annotations

import threading

import pytest
from window_helpers import Dialogs, open_window, use_temp_settings, wait_for_analysis

from cld_editor.analysis.loops import Budget
from tests.ui.test_loops_view import dense


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    use_temp_settings(tmp_path / "settings")
    Dialogs().install(monkeypatch)  # closing an edited diagram: Discard
    window = open_window(qtbot)
    yield window
    window.shutdown()


def test_stop_analysis_stops_a_running_count(window, qtbot) -> None:
    window.runner.budget = Budget(max_loops=20)
    window.files.load_diagram(dense(14), None)  # billions of loops
    wait_for_analysis(qtbot, window)
    sets = window.loops_panel.sets
    assert not sets.count_button.isHidden()
    sets.count_button.click()
    assert sets.counter.running
    assert window.actions.stop_analysis.shortcut().toString() == "Shift+F5"  # Ctrl+F5 runs
    with qtbot.waitSignal(sets.counter.counted, timeout=20000) as blocker:
        window.actions.stop_analysis.trigger()
    assert blocker.args[0].stopped_by == "cancelled"
    assert "Count stopped: at least" in window.loops_panel.summary.text()
    assert sets.count_button.text() == "Count all loops"


def test_a_count_goes_on_while_the_search_hands_out_more_loops(qtbot, monkeypatch) -> None:
    """A long search hands out the loops found so far again and again: a count of all loops
    the user started meanwhile goes on (it counts the same diagram's loops), and stops only
    once the diagram's loops change."""
    from PySide6.QtGui import QUndoStack

    from cld_editor.analysis import loops as module
    from cld_editor.analysis.loops import find_loops
    from cld_editor.core import edits
    from cld_editor.core.document import Document
    from cld_editor.ui.undo import push_op
    from cld_editor.ui.window.panels.loops_panel import LoopsPanel
    from tests.analysis.test_loop_budget import complete_digraph

    monkeypatch.setattr(module, "EARLY_AGAIN_SECONDS", 0.0)
    monkeypatch.setattr(module, "EARLY_SOON_SECONDS", 0.0)
    diagram = complete_digraph(9)
    seen = []
    find_loops(diagram, Budget(max_loops=5000), early=seen.append, early_after=0.0)
    assert len(seen) >= 2
    document = Document(diagram)
    stack = QUndoStack()
    panel = LoopsPanel(document, lambda op: push_op(stack, document, op))
    qtbot.addWidget(panel)
    panel.show()
    panel.set_analysis(seen[0])
    panel.sets.count_button.click()
    assert panel.sets.counter.running
    panel.set_analysis(seen[1])  # the search's next hand-out
    assert panel.sets.counter.running, "the count the user started was dropped"
    document.apply(edits.set_polarity(document, [diagram.links[0].id], "-"))
    panel.set_analysis(seen[1])  # (an analysis arriving after the edit)
    assert not panel.sets.counter.running
    # and the panel says why the count went, instead of silently showing the button again
    assert "Count of all loops stopped: the diagram changed." in panel.summary.text()
    assert not panel.sets.count_button.isHidden()
    panel.set_analysis(seen[1])  # the search's next hand-out: still said
    assert "Count of all loops stopped: the diagram changed." in panel.summary.text()
    panel.sets.count_button.click()  # a new count: no longer
    assert "Count of all loops stopped" not in panel.summary.text()
    stack.clear()


def test_stop_analysis_is_offered_only_while_something_runs(window, qtbot, monkeypatch) -> None:
    """Loops > Stop Analysis is greyed out with nothing to stop, and enabled while the loop
    search, a count of all loops or a search for the independent set on a worker runs."""
    from cld_editor.ui.window.panels import loop_sets

    stop = window.actions.stop_analysis
    assert not window.runner.running
    assert not stop.isEnabled()  # the example's loops are found: nothing runs
    # The loop search: enabled from its start to its end.
    seen: list[tuple[bool, bool]] = []
    window.runner.running_changed.connect(lambda running: seen.append((running, stop.isEnabled())))
    window.runner.budget = Budget(max_loops=20)
    window.files.load_diagram(dense(14), None)
    wait_for_analysis(qtbot, window)
    qtbot.waitUntil(lambda: not window.runner.running, timeout=10000)
    assert seen[0] == (True, True) and seen[-1] == (False, False)
    assert not stop.isEnabled()
    # Count all loops: enabled while it counts; Stop ends it and is greyed out again.
    sets = window.loops_panel.sets
    sets.count_button.click()
    assert stop.isEnabled()
    with qtbot.waitSignal(sets.counter.counted, timeout=20000):
        stop.trigger()
    assert not stop.isEnabled()
    # The independent set of a big diagram, found on a worker thread.
    monkeypatch.setattr(loop_sets, "SET_IN_BACKGROUND_FROM", 0)
    sets.independent_set.setChecked(True)
    assert sets.note.text() == "Finding the independent set…"
    assert stop.isEnabled()
    qtbot.waitUntil(lambda: sets.independent is not None, timeout=20000)
    assert not stop.isEnabled()
    # Stop while it is being found: the listing stays, the box unchecked, nothing runs.
    sets.independent_set.setChecked(False)
    sets.independent_set.setChecked(True)
    assert stop.isEnabled()
    stop.trigger()
    assert not sets.independent_set.isChecked() and sets.note.isHidden()
    assert not stop.isEnabled()
    assert len(window.loops_panel.visible_loops()) == len(window.loops_panel.analysis.loops)


def test_the_status_bar_gives_the_count_of_all_loops_once_counted(window, qtbot) -> None:
    """A listing cut short says "at least"; once Count all loops has counted them all, the
    status bar says how many there are, as the panel does, and how many are listed."""
    from cld_editor.analysis.census import count_loops
    from cld_editor.core import edits

    window.runner.budget = Budget(max_loops=20)
    diagram = dense(6)
    window.files.load_diagram(diagram, None)
    wait_for_analysis(qtbot, window)
    assert window.loop_summary.text().startswith("at least")
    sets = window.loops_panel.sets
    with qtbot.waitSignal(sets.counter.counted, timeout=20000):
        sets.count_button.click()
    census = count_loops(diagram)
    r, b, _u = census.by_kind
    listed = len(window.loops_panel.analysis.loops)
    expected = f"{census.total:,} loops ({listed:,} listed): {r:,} reinforcing, {b:,} balancing"
    assert window.loop_summary.text() == expected
    assert f"All loops counted: {census.total:,} loops" in window.loops_panel.summary.text()
    # A filter changes what the panel shows, not what the diagram has.
    window.loops_panel.type_filter.setCurrentIndex(2)
    assert window.loop_summary.text() == expected
    # An edit that changes the loops: the count is of the diagram before it.
    link = window.document.diagram.links[0]
    window.scene.push(
        edits.set_polarity(window.document, [link.id], "+" if link.polarity == "-" else "-")
    )
    wait_for_analysis(qtbot, window)
    assert window.loop_summary.text().startswith("at least")


def test_stop_ends_the_search_for_the_independent_set_itself(window, qtbot, monkeypatch) -> None:
    """Stop (or unchecking the box) does not only drop the independent set's result: the
    search on the worker is told to stop, and ends at its next look, freeing the machine."""
    from cld_editor.analysis import sils
    from cld_editor.ui.window.panels import loop_sets

    looked: list[bool] = []

    def endless(diagram, *, deadline=None, cancelled=None):  # a set that takes for ever
        while cancelled is None or not cancelled():
            looked.append(False)
            threading.Event().wait(0.005)
        looked.append(True)
        raise sils.SetStopped("cancelled", sils._as_list(sils.LoopGraph.of(diagram), []))

    monkeypatch.setattr(sils, "independent_loops", endless)
    monkeypatch.setattr(loop_sets, "SET_IN_BACKGROUND_FROM", 0)
    sets = window.loops_panel.sets
    sets.independent_set.setChecked(True)
    qtbot.waitUntil(lambda: bool(looked), timeout=5000)
    window.actions.stop_analysis.trigger()
    qtbot.waitUntil(lambda: not sets.finder.busy, timeout=5000)
    assert looked[-1] is True and not sets.independent_set.isChecked()
