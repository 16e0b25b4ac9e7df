"""The analysis runner: debounced, off the GUI thread, stale results dropped, clean stop."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
import threading

import pytest

from cld_editor.analysis.loops import Budget
from cld_editor.core import ops
from cld_editor.core.document import Document
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.window.analysis_runner import AnalysisRunner


def ring(n: int) -> Diagram:
    variables = [Variable(id=f"v{i}", label=f"V{i}", x=i * 10.0, y=0.0) for i in range(n)]
    links = [Link(id=f"l{i}", source=f"v{i}", target=f"v{(i + 1) % n}") for i in range(n)]
    return Diagram(variables=variables, links=links)


def dense(n: int) -> Diagram:
    """A complete digraph: far more loops than any test waits for."""
    variables = [Variable(id=f"v{i}", label=f"V{i}", x=0.0, y=0.0) for i in range(n)]
    links = [
        Link(id=f"l{i}_{j}", source=f"v{i}", target=f"v{j}")
        for i in range(n)
        for j in range(n)
        if i != j
    ]
    return Diagram(variables=variables, links=links)


@pytest.fixture
def runner_for(qtbot):
    made: list[AnalysisRunner] = []

    def make(document: Document, **kwargs) -> AnalysisRunner:
        runner = AnalysisRunner(document, debounce_ms=kwargs.pop("debounce_ms", 10), **kwargs)
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.stop()


def test_runs_off_the_gui_thread_and_reports_for_the_current_revision(qtbot, runner_for):
    document = Document(ring(3))
    runner = runner_for(document)
    threads: list[threading.Thread] = []
    runner._worker.started.connect(lambda _n: threads.append(threading.current_thread()))
    with qtbot.waitSignal(runner.analysis_ready, timeout=5000) as blocker:
        runner.run_now()
    analysis = blocker.args[0]
    assert [loop.name for loop in analysis.loops] == ["R1"]
    assert runner.analysis_revision == document.revision
    assert not runner.pending
    assert threads and threads[0] is not threading.main_thread()


def test_edits_are_debounced_into_one_run(qtbot, runner_for):
    document = Document(ring(3))
    runner = runner_for(document, debounce_ms=100)
    results = []
    runner.analysis_ready.connect(results.append)
    for i in range(5):
        document.apply(ops.set_polarity(["l0"], "-+"[i % 2]))
    qtbot.waitUntil(lambda: not runner.pending, timeout=5000)
    assert runner._jobs_started == 1
    assert len(results) == 1
    assert [loop.polarity for loop in results[0].loops] == ["balancing"]


def test_edits_that_cannot_change_loops_only_retag_the_result(qtbot, runner_for):
    document = Document(ring(3))
    runner = runner_for(document)
    with qtbot.waitSignal(runner.analysis_ready, timeout=5000):
        runner.run_now()
    first = runner.analysis
    document.apply(ops.move_variables({"v0": (50.0, 50.0)}))
    document.apply(ops.rename_variable("v1", "Renamed"))
    document.apply(ops.bend_link("l1", 0.5))
    qtbot.waitUntil(lambda: not runner.pending, timeout=5000)
    assert runner._jobs_started == 1
    assert runner.analysis is first
    assert runner.analysis_revision == document.revision


def test_a_move_during_a_long_run_does_not_restart_it(qtbot, runner_for, monkeypatch):
    from cld_editor.ui.window import analysis_runner

    # The run is held until the move has been made, so the move surely comes during it (a warm
    # compiled kernel finished dense(8) before the move in shuffled runs, and the result was
    # published before the test waited for it).
    moved = threading.Event()
    real_find_loops = analysis_runner.find_loops

    def held_find_loops(*args, **kwargs):
        assert moved.wait(10)
        return real_find_loops(*args, **kwargs)

    monkeypatch.setattr(analysis_runner, "find_loops", held_find_loops)
    document = Document(dense(8))
    runner = runner_for(document, budget=Budget(max_loops=None, time_limit=None))
    with qtbot.waitSignal(runner.running_changed, timeout=5000):
        runner.run_now()
    document.apply(ops.move_variables({"v0": (5.0, 5.0)}))
    with qtbot.waitSignal(runner.analysis_ready, timeout=20000) as blocker:
        moved.set()
    assert runner._jobs_started == 1
    assert blocker.args[0].complete
    assert runner.analysis_revision == document.revision


def test_an_edit_during_a_run_cancels_it_and_drops_its_result(qtbot, runner_for):
    document = Document(dense(10))
    runner = runner_for(document, budget=Budget(max_loops=None, time_limit=None))
    seen = []
    runner.analysis_ready.connect(seen.append)
    with qtbot.waitSignal(runner.running_changed, timeout=5000):
        runner.run_now()
    # The complete digraph on 10 nodes has 1.1 million loops: the run is still going.
    document.apply(ops.delete(link_ids=["l0_1"]))
    document.apply(ops.delete(variable_ids=[f"v{i}" for i in range(3, 10)]))
    qtbot.waitUntil(lambda: not runner.pending, timeout=10000)
    assert len(seen) == 1
    assert runner.stale_results >= 1
    final = seen[0]
    assert final.complete
    # Left: v0, v1, v2 fully linked except v0->v1, so exactly these three loops.
    assert runner.analysis_revision == document.revision
    assert {loop.variables for loop in final.loops} == {
        ("v0", "v2"),
        ("v1", "v2"),
        ("v0", "v2", "v1"),
    }


def test_user_cancel_keeps_the_partial_result(qtbot, runner_for):
    document = Document(dense(10))
    runner = runner_for(document, budget=Budget(max_loops=None, time_limit=None))
    with qtbot.waitSignal(runner.running_changed, timeout=5000):
        runner.run_now()
    with qtbot.waitSignal(runner.analysis_ready, timeout=10000) as blocker:
        runner.cancel()
    assert not blocker.args[0].complete
    assert blocker.args[0].stopped_by == "cancelled"


def test_stop_before_the_worker_takes_the_run_is_answered_at_once(qtbot, runner_for):
    """Stop pressed while the run for the latest edit is still queued (the worker busy): the
    worker will skip it, so the runner answers the stop itself, for this revision, instead of
    leaving the results from before the edit on show."""
    document = Document(ring(3))
    runner = runner_for(document)
    with qtbot.waitSignal(runner.analysis_ready, timeout=5000):
        runner.run_now()
    runner._run_requested.disconnect(runner._worker.run)  # the worker never takes the next one
    document.apply(ops.set_polarity(["l0"], "-"))
    runner.run_now()
    assert runner.pending and runner._job is not None
    with qtbot.waitSignal(runner.analysis_ready, timeout=1000) as blocker:
        runner.cancel()
    assert blocker.args[0].stopped_by == "cancelled" and not blocker.args[0].loops
    assert runner.analysis_revision == document.revision and runner._job is None


def test_a_failing_incremental_update_falls_back_to_a_search(qtbot, runner_for, monkeypatch):
    """The incremental update is a shortcut: should it raise, the worker logs it and searches,
    and the panel still gets the loops of the edit."""
    from cld_editor.ui.window import analysis_runner

    document = Document(ring(3))
    runner = runner_for(document)
    with qtbot.waitSignal(runner.analysis_ready, timeout=5000):
        runner.run_now()

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the shortcut")

    monkeypatch.setattr(analysis_runner, "updated_analysis", broken)
    document.apply(ops.set_polarity(["l0"], "-"))
    with qtbot.waitSignal(runner.analysis_ready, timeout=5000) as blocker:
        runner.run_now()
    assert [loop.name for loop in blocker.args[0].loops] == ["B1"]
    assert runner.analysis_revision == document.revision


def test_stop_during_a_long_run_joins_the_thread(qtbot):
    document = Document(dense(10))
    runner = AnalysisRunner(document, budget=Budget(max_loops=None, time_limit=None))
    with qtbot.waitSignal(runner.running_changed, timeout=5000):
        runner.run_now()
    runner.stop()
    assert not runner._thread.isRunning()
    runner.stop()  # twice is harmless
    document.apply(ops.move_variables({"v0": (1.0, 1.0)}))  # no longer listening
    assert not runner._timer.isActive()


def test_a_window_deleted_without_close_does_not_abort_the_program(tmp_path):
    """Qt aborts ("QThread: Destroyed while thread is still running") when a running QThread
    is destroyed; deleting the window mid-analysis and exiting must end normally."""
    code = textwrap.dedent(
        """
        import os
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        import shiboken6
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, os.getcwd())
        app = QApplication([])
        from cld_editor.analysis.loops import Budget
        from cld_editor.core.model import Diagram, Link, Variable
        from cld_editor.ui.window.main_window import MainWindow
        n = 10
        window = MainWindow()
        window.runner.budget = Budget(max_loops=None, time_limit=None)
        variables = [Variable(id=f"v{i}", x=0, y=0) for i in range(n)]
        links = [Link(id=f"k{i}_{j}", source=f"v{i}", target=f"v{j}")
                 for i in range(n) for j in range(n) if i != j]
        window.files.load_diagram(Diagram(variables=variables, links=links), None)
        while not window.runner.running:
            app.processEvents()
        shiboken6.delete(window)
        print("deleted")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "deleted" in result.stdout
    assert "Destroyed while thread" not in result.stderr


def test_tagging_adding_and_deleting_variables_are_followed_without_a_search(
    qtbot, runner_for, monkeypatch
):
    """After a complete result, tagging a variable CX, adding a variable and deleting one with
    its links are followed from it (:func:`updated_analysis`): no search runs, and the panel
    gets what a search would give."""
    from cld_editor.analysis.loops import find_loops
    from cld_editor.core import edits
    from cld_editor.ui.window import analysis_runner

    document = Document(dense(5))
    runner = runner_for(document, budget=Budget.no_limits())
    with qtbot.waitSignal(runner.analysis_ready, timeout=5000):
        runner.run_now()
    searches = []
    real_find_loops = analysis_runner.find_loops

    def counted(*args, **kwargs):
        searches.append(args)
        return real_find_loops(*args, **kwargs)

    monkeypatch.setattr(analysis_runner, "find_loops", counted)
    steps = [
        lambda: edits.set_domain(document, ["v2"], "CX"),
        lambda: edits.add_variable(document, "New", 300.0, 300.0),
        lambda: edits.delete(document, ["v4"], []),
    ]
    for make in steps:
        document.apply(make())
        with qtbot.waitSignal(runner.analysis_ready, timeout=5000) as blocker:
            runner.run_now()
        expected = find_loops(document.diagram, Budget.no_limits())
        assert list(blocker.args[0].loops) == list(expected.loops)
        assert blocker.args[0].loops_through == expected.loops_through
    assert searches == []


def test_stop_is_answered_at_once_with_the_shortest_loops_already_shown(qtbot, runner_for):
    """Stop does not wait for the worker to reach its next look at the flag (a chunk of the
    search, or a load of the compiled search holding the interpreter): the runner answers at
    once, with the shortest loops it last handed out and how many had been found, and drops
    what the worker returns afterwards."""
    document = Document(dense(11))
    runner = runner_for(document, budget=Budget(max_loops=None, time_limit=None))
    shown = []
    runner.analysis_ready.connect(shown.append)
    runner.run_now()
    qtbot.waitUntil(lambda: any(a.stopped_by == "in progress" for a in shown), timeout=20000)
    partial = [a for a in shown if a.stopped_by == "in progress"][-1]
    assert runner.running
    runner.cancel()  # nothing processed between: the answer comes within the call
    stopped = shown[-1]
    assert stopped.stopped_by == "cancelled" and not runner.running and not runner.pending
    assert [loop.key for loop in stopped.loops] == [loop.key for loop in partial.loops]
    assert stopped.complete_up_to == partial.complete_up_to
    assert stopped.found >= len(partial.loops)
    assert runner.analysis is stopped
    qtbot.wait(300)  # the worker's own answer, when it comes, is dropped
    assert runner.analysis is stopped and shown[-1] is stopped


def test_the_window_gets_the_interpreter_back_quickly_while_a_worker_runs_python(
    runner_for,
) -> None:
    """A runner shortens the interpreter's switch interval (Python's default 5 ms): the
    window's thread waited up to that long at each call into Qt while the worker searched in
    CPython, and froze for seconds opening a big model. An interval set shorter stays."""
    from cld_editor.ui.window import analysis_runner

    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        runner_for(Document(ring(3)))
        assert sys.getswitchinterval() <= analysis_runner.GUI_SWITCH_SECONDS
        sys.setswitchinterval(0.0001)
        runner_for(Document(ring(3)))
        assert sys.getswitchinterval() == pytest.approx(0.0001)
    finally:
        sys.setswitchinterval(before)


def test_a_big_result_is_indexed_by_link_after_it_is_handed_over(qtbot, runner_for):
    """A complete result in arrays gets its index of loops through each link on the worker
    after the panel has it, ready for the next edit; an edit that keeps the loops (a flipped
    sign) keeps the index, and its result is what a search gives."""
    from cld_editor.analysis.incremental_arrays import link_index
    from cld_editor.analysis.loops import find_loops
    from cld_editor.core import edits

    document = Document(dense(8))  # 16,064 loops: kept in arrays
    runner = runner_for(document, budget=Budget.no_limits())
    with qtbot.waitSignal(runner.analysis_ready, timeout=20000) as blocker:
        runner.run_now()
    table = blocker.args[0].table
    qtbot.waitUntil(lambda: table._by_link is not None, timeout=20000)
    document.apply(edits.set_polarity(document, ["l0_1"], "-"))
    with qtbot.waitSignal(runner.analysis_ready, timeout=20000) as blocker:
        runner.run_now()
    flipped = blocker.args[0]
    assert flipped.table._by_link is table._by_link
    assert list(flipped.loops) == list(find_loops(document.diagram, Budget.no_limits()).loops)
    fresh = dataclasses.replace(flipped.table, _by_link=None)
    for name, part in link_index(fresh)._asdict().items():
        assert part.tolist() == getattr(table._by_link, name).tolist(), name
