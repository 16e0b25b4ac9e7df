"""The status bar's loop-analysis part: Stop stays in one place whatever the texts beside it
say, and the count of loops found so far never lags behind the summary next to it."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtWidgets import QMainWindow

from cld_editor.analysis.loops import find_loops
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.window.analysis_status import AnalysisStatus


class FakeRunner(QObject):
    running_changed = Signal(bool)
    progressed = Signal(int)
    analysis_ready = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.runs: list[bool] = []

    def cancel(self) -> None:
        pass

    def run_now(self, force: bool = False) -> None:
        self.runs.append(force)


def three_loops():
    variables = [Variable(id=v, label=v.upper(), x=0, y=0) for v in "abcd"]
    links = [
        Link(id="ab", source="a", target="b"),
        Link(id="ba", source="b", target="a"),
        Link(id="bc", source="b", target="c"),
        Link(id="cb", source="c", target="b"),
        Link(id="cd", source="c", target="d"),
        Link(id="dc", source="d", target="c", polarity="-"),
    ]
    return find_loops(Diagram(variables=variables, links=links))


def setup(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(900, 300)
    runner = FakeRunner()
    status = AnalysisStatus(window.statusBar(), runner)
    window.show()
    qtbot.waitExposed(window)
    return window, runner, status


def stop_place(window, status) -> QPoint:
    return status.stop_button.mapTo(window, QPoint(0, 0))


def test_stop_stays_in_one_place_as_the_texts_change(qtbot):
    window, runner, status = setup(qtbot)
    runner.running_changed.emit(True)
    qtbot.waitUntil(status.stop_button.isVisible, timeout=3000)
    qtbot.wait(10)
    where = stop_place(window, status)
    for found, summary in (
        (0, "Looking for loops…"),
        (7, "at least 1 loop (still searching…)"),
        (12_345, "at least 1,234 loops (still searching…): 1,000 reinforcing, 234 balancing"),
        (9_876_543, "at least 9 loops"),
    ):
        runner.progressed.emit(found)
        status.set_summary(summary)
        qtbot.wait(10)
        assert stop_place(window, status) == where, (found, summary)
    runner.running_changed.emit(False)
    assert not status.stop_button.isVisible()


def test_the_count_so_far_is_never_below_the_loops_already_shown(qtbot):
    _window, runner, status = setup(qtbot)
    runner.running_changed.emit(True)
    runner.progressed.emit(0)
    partial = three_loops()
    assert len(partial.loops) == 3
    runner.analysis_ready.emit(partial)  # the shortest loops, while the search goes on
    assert status.progress_label.text() == "Finding loops… 3 found"
    runner.progressed.emit(1)  # the search's own count, behind the shortest-first pass
    assert status.progress_label.text() == "Finding loops… 3 found"
    runner.progressed.emit(40)
    assert status.progress_label.text() == "Finding loops… 40 found"
    runner.running_changed.emit(False)
    runner.running_changed.emit(True)  # a new run counts from nothing again
    assert status.progress_label.text() == "Finding loops…"


def test_the_summary_of_the_diagram_before_the_edit_hides_while_the_search_runs(qtbot):
    _window, runner, status = setup(qtbot)
    status.set_summary("at least 1 loop (analysis stopped)")  # the last run's
    runner.running_changed.emit(True)
    qtbot.waitUntil(status.stop_button.isVisible, timeout=3000)
    assert not status.loop_summary.isVisible()
    assert status.progress_label.text() == "Finding loops…"
    partial = three_loops()
    status.set_summary(partial.summary_text())  # as the window does with each analysis
    runner.analysis_ready.emit(partial)
    assert status.loop_summary.isVisible()
    assert status.progress_label.text() == "Finding loops… 3 found"
    runner.running_changed.emit(False)
    assert status.loop_summary.isVisible() and not status.progress_label.isVisible()


def test_find_again_forces_a_run_and_reports_its_result(qtbot):
    window, runner, status = setup(qtbot)
    status.find_again()
    assert runner.runs == [True]
    assert window.statusBar().currentMessage() == "Finding loops again…"
    analysis = three_loops()
    runner.analysis_ready.emit(analysis)
    # The summary beside the message says what was found; the message does not repeat it.
    assert window.statusBar().currentMessage() == "Found loops again"
    window.statusBar().clearMessage()
    runner.analysis_ready.emit(analysis)  # an ordinary analysis after an edit: no message
    assert window.statusBar().currentMessage() == ""


def test_a_stopped_count_of_one_loop_reads_as_english():
    from cld_editor.analysis.census import Census
    from cld_editor.ui.window.panels.loop_counter import census_text

    def stopped(total: int, done: int) -> str:
        census = Census(
            complete=False,
            stopped_by="cancelled",
            by_length={3: (total, 0, 0)},
            delayed=0,
            domains={},
            through_variables={},
            through_links={},
            variables_searched=done,
            variables=5,
            stopped_at="v2",
        )
        return census_text(census)

    one = stopped(1, 1)
    assert "at least 1 loop (1 reinforcing)" in one
    assert "every loop through the first of 5 variables and some through 'v2'" in one
    many = stopped(2, 3)
    assert "at least 2 loops (2 reinforcing)" in many
    assert "every loop through the first 3 of 5 variables" in many


def test_stop_promises_what_a_stopped_search_keeps(qtbot):
    """A stopped search keeps the loops of the lengths listed in full, not every loop it had
    found: stopped during its first search (loops in no order of length) it keeps none."""
    from cld_editor.analysis.budget import Budget
    from tests.analysis.test_loop_budget import complete_digraph

    _window, _runner, status = setup(qtbot)
    stopped = find_loops(complete_digraph(6), Budget(max_loops=None), cancelled=lambda: True)
    assert stopped.stopped_by == "cancelled" and len(stopped.loops) == 0
    tip = status.stop_button.toolTip()
    assert "found so far" not in tip and "lengths listed in full" in tip
