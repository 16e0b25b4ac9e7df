"""Arrange in the background (ui/window/arrange_worker.py): a big layout runs on a worker thread
while the window keeps handling events, shows its step in the status bar, can be cancelled
(button or Esc) without touching the document or the undo history, is applied as one undo step
only if the document did not change meanwhile, and otherwise is dropped with a message.

A layout goes to the background when it is not done within the window's ``wait_ms`` (0 here:
at once), and is made slow through the runner's ``planner`` seam: :class:`HeldPlanner` reports
progress until the test releases it.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtTest import QTest
from window_helpers import Dialogs, open_window, use_temp_settings

from cld_editor.core.ops import move_variables
from cld_editor.layout import plan
from cld_editor.ui.window.arrange_worker import ArrangeJob, ArrangeRunner, run_job


@pytest.fixture
def window(qtbot, monkeypatch, tmp_path):
    use_temp_settings(tmp_path / "settings")
    Dialogs().install(monkeypatch)
    window = open_window(qtbot)
    window.arrange.wait_ms = 0  # every layout goes on in the background
    yield window
    window.arrange.runner.cancel()
    window.shutdown()


class HeldPlanner:
    """A layout that reports progress until released, then computes the real layout."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.saw_cancel = threading.Event()

    def __call__(self, diagram, style, *, only=None, sizes=None, progress=None):
        self.entered.set()
        try:
            progress("placing variables")
            while not self.release.wait(0.005):
                progress("placing variables")
        except Exception:
            self.saw_cancel.set()
            raise
        return plan(diagram, style, only=only, sizes=sizes, progress=progress)


def snapshot(window) -> dict:
    return window.document.diagram.model_dump()


def message(window) -> str:
    return window.statusBar().currentMessage()


def held(window, qtbot) -> HeldPlanner:
    planner = HeldPlanner()
    window.arrange.runner.planner = planner
    return planner


def test_a_big_arrange_runs_in_the_background_as_one_undo_step(window, qtbot) -> None:
    before, steps = snapshot(window), window.undo_stack.count()
    # Whether the glide started (on a busy machine it may be over before the test looks).
    glides = []
    start_glide = window.arrange.glide.start
    window.arrange.glide.start = lambda *a, **k: glides.append(a) or start_glide(*a, **k)
    expected = plan(window.document.diagram, "layered", sizes=window.arrange._sizes())
    assert window.arrange.arrange("layered")
    # Nothing is applied until the GUI thread takes the result.
    assert snapshot(window) == before
    assert window.arrange.runner.running
    assert window.arrange.progress.visible
    assert window.arrange.progress.label.text().startswith("Arranging 10 variables as Layered")
    qtbot.waitUntil(lambda: not window.arrange.runner.running, timeout=10000)
    assert not window.arrange.progress.visible
    positions = {v.id: (v.x, v.y) for v in window.document.variables.values()}
    assert positions == {**positions, **expected.positions}  # the same layout as at once
    assert window.undo_stack.count() == steps + 1
    assert window.undo_stack.undoText() == "Arrange (Layered)"
    assert len(glides) == 1  # the same quarter-second glide
    assert "Arranged the diagram (Layered)" in message(window)
    window.undo_stack.undo()
    assert snapshot(window) == before


def test_a_layout_done_within_the_wait_is_applied_at_once(window, qtbot) -> None:
    window.arrange.wait_ms = 60_000
    shown: list[object] = []
    window.arrange.runner.progressed.connect(shown.append)
    assert window.arrange.arrange("organic")
    assert not window.arrange.runner.running and not window.arrange.progress.visible
    assert window.undo_stack.undoText() == "Arrange (Organic)"
    assert window.arrange.glide.running
    qtbot.wait(150)  # the runner's polls report nothing more of it
    assert shown == [] and window.undo_stack.undoText() == "Arrange (Organic)"


def test_the_window_handles_events_while_a_layout_runs(window, qtbot) -> None:
    planner = held(window, qtbot)
    window.arrange.arrange("layered")
    assert planner.entered.wait(5)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=5000)
    timer.stop()
    # The status bar follows the worker, and the layout is still going.
    qtbot.waitUntil(lambda: "placing variables" in window.arrange.progress.label.text())
    assert window.arrange.runner.running and not planner.release.is_set()
    # The canvas takes a selection meanwhile.
    first = next(iter(window.document.variables))
    window.scene.select_ids([first])
    assert window.scene.selected_variable_ids() == [first]
    planner.release.set()
    qtbot.waitUntil(lambda: not window.arrange.runner.running, timeout=10000)
    assert window.undo_stack.undoText() == "Arrange (Layered)"


@pytest.mark.parametrize("how", ["button", "escape"])
def test_cancel_leaves_the_document_and_undo_history_untouched(window, qtbot, how) -> None:
    before, steps = snapshot(window), window.undo_stack.count()
    planner = held(window, qtbot)
    window.arrange.arrange("loops")
    assert planner.entered.wait(5)
    qtbot.waitUntil(lambda: window.arrange.progress.visible)
    if how == "button":
        qtbot.mouseClick(window.arrange.progress.cancel_button, Qt.MouseButton.LeftButton)
    else:
        window.activateWindow()
        QTest.keyClick(window, Qt.Key.Key_Escape)
    assert not window.arrange.runner.running
    assert not window.arrange.progress.visible
    assert "cancelled" in message(window) and "unchanged" in message(window)
    assert planner.saw_cancel.wait(5)  # the worker stopped at its next step
    planner.release.set()
    qtbot.wait(200)  # several polls: nothing of the cancelled job arrives
    assert snapshot(window) == before
    assert window.undo_stack.count() == steps


def test_escape_is_the_canvas_own_when_nothing_runs(window, qtbot) -> None:
    action = window.arrange.cancel_action
    assert action.shortcut().toString() == "Esc" and action in window.arrange.menu.actions()
    assert not action.isEnabled()
    assert not window.arrange.cancel()
    # Esc on the canvas clears the selection as ever.
    window.scene.select_ids([next(iter(window.document.variables))])
    window.view.setFocus()
    QTest.keyClick(window.view.viewport(), Qt.Key.Key_Escape)
    assert window.scene.selected_variable_ids() == []
    # While a layout runs, the menu offers to cancel it.
    planner = held(window, qtbot)
    window.arrange.arrange("layered")
    assert planner.entered.wait(5) and action.isEnabled()
    action.trigger()
    assert not window.arrange.runner.running and not action.isEnabled()


def test_a_result_for_an_older_diagram_is_not_applied(window, qtbot) -> None:
    planner = held(window, qtbot)
    window.arrange.arrange("layered")
    assert planner.entered.wait(5)
    first = window.document.variables[next(iter(window.document.variables))]
    window.scene.push(move_variables({first.id: (first.x + 55.0, first.y)}))
    edited, steps, top = snapshot(window), window.undo_stack.count(), window.undo_stack.undoText()
    planner.release.set()
    qtbot.waitUntil(lambda: not window.arrange.runner.running, timeout=10000)
    assert snapshot(window) == edited
    assert window.undo_stack.count() == steps and window.undo_stack.undoText() == top
    assert "not applied" in message(window) and "changed" in message(window)
    # The line is short enough for a narrow window; the explanation is the bar's tooltip, and
    # goes with the message.
    bar = window.statusBar()
    assert "Arrange again" in bar.toolTip()
    window.resize(560, 600)
    qtbot.waitUntil(lambda: window.width() <= 600, timeout=3000)
    room = bar.width() - window.loop_summary.width() - 40
    assert QFontMetrics(bar.font()).horizontalAdvance(message(window)) <= room
    bar.showMessage("Something else", 2000)
    assert bar.toolTip() == ""


def test_a_new_arrange_replaces_the_running_one(window, qtbot) -> None:
    planner = held(window, qtbot)
    window.arrange.arrange("layered")
    assert planner.entered.wait(5)
    window.arrange.runner.planner = plan
    window.arrange.arrange("organic")
    assert planner.saw_cancel.wait(5)
    qtbot.waitUntil(lambda: not window.arrange.runner.running, timeout=10000)
    assert window.undo_stack.undoText() == "Arrange (Organic)"
    planner.release.set()


def test_a_failing_layout_is_reported_and_changes_nothing(window, qtbot) -> None:
    before = snapshot(window)

    def broken(*args, **kwargs):
        raise ValueError("no room")

    window.arrange.runner.planner = broken
    window.arrange.arrange("iceberg")
    qtbot.waitUntil(lambda: not window.arrange.runner.running, timeout=10000)
    assert "Arrange (Iceberg) failed: ValueError: no room" in message(window)
    assert snapshot(window) == before


def test_a_cancelled_job_computes_nothing(window) -> None:
    job = ArrangeJob(1, "layered", window.document.diagram, window.arrange._sizes(), None, 0, 10)
    job.cancel_event.set()
    run_job(job, plan)
    assert job.done.is_set() and job.layout is None and job.error is None


def test_the_runner_reports_each_step(qtbot, window) -> None:
    runner = ArrangeRunner()
    steps: list[str] = []
    runner.progressed.connect(lambda job: steps.append(job.step))
    done: list[ArrangeJob] = []
    runner.finished.connect(done.append)
    planner = HeldPlanner()
    runner.planner = planner
    sizes = window.arrange._sizes()
    runner.start("organic", window.document.diagram, sizes, None, 0, 10)
    qtbot.waitUntil(lambda: steps == ["placing variables"])
    planner.release.set()
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    assert done[0].layout is not None and done[0].layout.style == "organic"
    assert done[0].step == "placing loop labels"


def test_a_big_selection_is_arranged_in_the_background_and_the_rest_stays(window, qtbot) -> None:
    before = {v.id: (v.x, v.y) for v in window.document.variables.values()}
    chosen = list(before)[:4]
    window.scene.select_ids(chosen)
    assert window.arrange.arrange("organic")
    assert window.arrange.progress.label.text().startswith(
        "Arranging 4 selected variables as Organic"
    )
    qtbot.waitUntil(lambda: not window.arrange.runner.running, timeout=10000)
    after = {v.id: (v.x, v.y) for v in window.document.variables.values()}
    assert all(after[v] == before[v] for v in before if v not in chosen)
    assert any(after[v] != before[v] for v in chosen)
    assert "Arranged 4 selected variables (Organic)" in message(window)


def test_a_cancelled_layout_ends_before_the_next_one_starts(window, qtbot) -> None:
    deaf = threading.Event()  # a layout that looks at its progress only when this is set
    stopped = threading.Event()

    def slow_to_stop(diagram, style, *, only=None, sizes=None, progress=None):
        deaf.wait(10)
        try:
            progress("placing variables")
        except Exception:
            stopped.set()
            raise
        return plan(diagram, style, only=only, sizes=sizes)

    window.arrange.runner.planner = slow_to_stop
    window.arrange.arrange("layered")
    second = HeldPlanner()
    second.release.set()
    window.arrange.runner.planner = second
    window.arrange.arrange("organic")  # cancels the first, which has not noticed yet
    qtbot.wait(100)
    assert not second.entered.is_set()  # waiting for the first to end
    deaf.set()
    qtbot.waitUntil(lambda: not window.arrange.runner.running, timeout=10000)
    assert stopped.is_set() and second.entered.is_set()
    assert window.undo_stack.undoText() == "Arrange (Organic)"


def test_a_new_diagram_drops_the_arrange_of_the_old_one(window, qtbot) -> None:
    from cld_editor.core.model import Diagram

    planner = held(window, qtbot)
    assert window.arrange.arrange("layered")
    planner.entered.wait(5)
    window.files.load_diagram(Diagram(), None)  # File > New in this window
    assert not window.arrange.runner.running and not window.arrange.progress.visible
    planner.release.set()
    qtbot.wait(50)
    assert window.document.diagram.variables == []
    assert "not applied" not in message(window) and "cancelled" not in message(window)
