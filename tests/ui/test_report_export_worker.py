"""File > Export Report made on worker threads (ui/window/report_worker.py): the same files as
the synchronous export, the window answering meanwhile, one report at a time, the diagram as it
was when asked, failures in a message box, and Cancel writing nothing."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from window_helpers import Dialogs, open_window, use_temp_settings

from cld_editor.analysis.loops import find_loops
from cld_editor.core import ops
from cld_editor.core.model import Link
from cld_editor.formats import report as report_module
from cld_editor.ui.drawing import export
from cld_editor.ui.window import export_actions, report_worker

original_report_data = report_module.report_data


@pytest.fixture
def dialogs(monkeypatch) -> Dialogs:
    return Dialogs().install(monkeypatch)


@pytest.fixture
def window(qtbot, dialogs, tmp_path):
    use_temp_settings(tmp_path / "settings")
    window = open_window(qtbot)
    window.exports.background_from = 0  # the example's report may go to the background too
    yield window
    window.shutdown()


class SlowReport:
    """Stands in for report_data: waits (on the worker thread) until released, then gives what
    the real one gives; records the thread it ran on."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.threads: list[threading.Thread] = []

    def __call__(self, *args, **kwargs):
        self.threads.append(threading.current_thread())
        self.entered.set()
        assert self.release.wait(30), "the test never released the report"
        return original_report_data(*args, **kwargs)


@pytest.fixture
def slow(monkeypatch):
    stand_in = SlowReport()
    monkeypatch.setattr(report_module, "report_data", stand_in)
    yield stand_in
    stand_in.release.set()  # never leave a worker waiting


def _finished(qtbot, window, timeout: int = 20000) -> None:
    qtbot.waitUntil(lambda: not window.exports.reports.running, timeout=timeout)


def _sync_files(window, diagram, analysis, path):
    """What the synchronous export writes for the same snapshot (path -> text)."""
    return {
        p.name: p.read_text(encoding="utf-8") for p in export.write_report(diagram, analysis, path)
    }


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_a_background_report_is_the_synchronous_one(window, dialogs, qtbot, tmp_path, suffix):
    out = tmp_path / "bg" / f"team{suffix}"
    out.parent.mkdir()
    dialogs.save_name = str(out)
    window.exports.wait_ms = 0  # always left to the background
    diagram, analysis = window.exports._diagram(), window.loops_panel.analysis
    assert window.exports.report() is None  # not done yet: the status bar tells later
    _finished(qtbot, window)
    written = sorted(p.name for p in out.parent.iterdir())
    assert written == (["team.html"] if suffix == ".html" else ["team.diagram.svg", "team.md"])
    (tmp_path / "sync").mkdir()
    expected = _sync_files(window, diagram, analysis, tmp_path / "sync" / out.name)
    assert {name: (out.parent / name).read_text(encoding="utf-8") for name in written} == expected
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Wrote the report {out}")
    assert message.endswith("and its diagram") == (suffix == ".md")
    assert not dialogs.shown


def test_the_window_answers_while_the_report_is_made(window, dialogs, qtbot, tmp_path, slow):
    out = tmp_path / "report.html"
    dialogs.save_name = str(out)
    action = window.actions.export_report
    window.actions.export_report.trigger()
    assert slow.entered.wait(10)
    # report_data is blocked on its worker: the GUI thread's event loop still runs.
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=5000)
    timer.stop()
    assert slow.threads and slow.threads[0] is not threading.main_thread()
    assert not out.exists()
    assert not action.isEnabled()
    progress = window.exports._progress
    assert progress is not None and progress.visible
    assert progress.label.text() == "Writing the report report.html…"
    assert window.exports.cancel_report_action.isEnabled()
    slow.release.set()
    _finished(qtbot, window)
    assert out.exists() and action.isEnabled() and not progress.visible
    assert window.statusBar().currentMessage() == f"Wrote the report {out}"


def test_a_second_report_waits_for_the_first(window, dialogs, qtbot, tmp_path, slow, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(
        export_actions.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (asked.append("asked") or str(tmp_path / "one.html"), "")),
    )
    window.actions.export_report.trigger()
    assert slow.entered.wait(10)
    window.actions.export_report.trigger()  # disabled: nothing happens
    assert window.exports.report() is None  # asked directly: refused without a dialog
    assert asked == ["asked"]
    assert window.statusBar().currentMessage().startswith("A report is being written")
    slow.release.set()
    _finished(qtbot, window)
    assert len(slow.threads) == 1
    assert (tmp_path / "one.html").exists()


def test_an_edit_meanwhile_does_not_change_the_report(window, dialogs, qtbot, tmp_path, slow):
    out = tmp_path / "report.html"
    dialogs.save_name = str(out)
    diagram, analysis = window.exports._diagram(), window.loops_panel.analysis
    window.actions.export_report.trigger()
    assert slow.entered.wait(10)
    window.scene.push(ops.rename_variable("service", "Renamed while reporting"))
    window.scene.push(ops.add_link(Link(id="back", source="service", target="engagement")))
    slow.release.set()
    _finished(qtbot, window)
    text = out.read_text(encoding="utf-8")
    assert "Renamed while reporting" not in text
    (tmp_path / "sync").mkdir()
    assert _sync_files(window, diagram, analysis, tmp_path / "sync" / out.name) == {out.name: text}


def test_cancel_writes_nothing(window, dialogs, qtbot, tmp_path, slow):
    out = tmp_path / "report.md"
    dialogs.save_name = str(out)
    window.actions.export_report.trigger()
    assert slow.entered.wait(10)
    window.exports._progress.cancel_button.click()
    assert window.statusBar().currentMessage() == "Report report.md cancelled: nothing was written"
    assert window.actions.export_report.isEnabled()
    assert not window.exports._progress.visible
    assert not window.exports.cancel_report_action.isEnabled()
    slow.release.set()
    for thread in slow.threads:
        thread.join(10)
    qtbot.wait(100)  # the cancelled job's messages, if any, are delivered and dropped
    assert not list(tmp_path.glob("report*"))
    assert not dialogs.shown
    # The next report is written as usual.
    dialogs.save_name = str(tmp_path / "again.html")
    window.actions.export_report.trigger()
    _finished(qtbot, window)
    assert (tmp_path / "again.html").exists()


def test_a_failure_on_the_worker_is_told_in_the_message_box(
    window, dialogs, qtbot, tmp_path, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the table is unreadable")

    monkeypatch.setattr(report_module, "report_data", broken)
    dialogs.save_name = str(tmp_path / "report.html")
    window.exports.wait_ms = 0
    window.actions.export_report.trigger()
    _finished(qtbot, window)
    assert dialogs.shown == [
        (
            "warning",
            "Export Report",
            "The report was not written: RuntimeError: the table is unreadable.",
        )
    ]
    assert not (tmp_path / "report.html").exists()
    assert window.actions.export_report.isEnabled()


def test_an_unwritable_folder_gives_the_same_message_as_before(window, dialogs, qtbot, tmp_path):
    target = tmp_path / "missing" / "report.html"
    dialogs.save_name = str(target)
    window.exports.wait_ms = 0
    window.actions.export_report.trigger()
    _finished(qtbot, window)
    [(kind, title, text)] = dialogs.shown
    assert (kind, title) == ("warning", "Export Report")
    assert text.startswith(f"The report was not written: cannot write {str(target)!r}: ")
    assert text.count("\n") == 0


def test_loops_not_yet_found_are_found_off_the_gui_thread(
    window, dialogs, qtbot, tmp_path, monkeypatch
):
    threads: dict[str, threading.Thread] = {}
    real_lay_out = report_worker.lay_out

    def lay_out(diagram, analysis, boxes):
        threads["lay_out"] = threading.current_thread()
        threads["analysis given"] = analysis is not None
        return real_lay_out(diagram, analysis, boxes)

    monkeypatch.setattr(report_worker, "lay_out", lay_out)
    # Pushed and exported at once, before the debounced analysis has run.
    window.scene.push(ops.add_link(Link(id="back", source="service", target="engagement")))
    assert window.runner.pending
    out = tmp_path / "report.html"
    dialogs.save_name = str(out)
    window.actions.export_report.trigger()
    _finished(qtbot, window)
    assert threads["lay_out"] is not threading.main_thread()
    assert threads["analysis given"] is False
    diagram = window.exports._diagram()
    (tmp_path / "sync").mkdir()
    expected = _sync_files(window, diagram, find_loops(diagram), tmp_path / "sync" / out.name)
    assert expected == {out.name: out.read_text(encoding="utf-8")}


def test_a_small_diagrams_report_is_written_at_once(window, dialogs, tmp_path):
    window.exports.background_from = len(window.document.diagram.links) + 1
    out = tmp_path / "small.md"
    dialogs.save_name = str(out)
    assert window.exports.report() == [tmp_path / "small.diagram.svg", out]
    assert window.statusBar().currentMessage() == f"Wrote the report {out} and its diagram"
    assert not window.exports._progress.visible


def test_a_report_after_a_cancelled_one_waits_for_its_thread(
    window, dialogs, qtbot, tmp_path, slow
):
    dialogs.save_name = str(tmp_path / "first.html")
    window.actions.export_report.trigger()
    assert slow.entered.wait(10)
    assert window.exports.cancel_report()
    assert window.exports.reports.behind
    dialogs.save_name = str(tmp_path / "second.html")
    window.exports.background_from = 10**6  # small: it would wait, but not behind another
    assert window.exports.report() is None
    assert window.exports.reports.running and window.exports._progress.visible
    qtbot.wait(50)
    assert len(slow.threads) == 1  # the second waits for the first's thread to end
    slow.release.set()
    _finished(qtbot, window)
    assert len(slow.threads) == 2
    assert not (tmp_path / "first.html").exists()
    assert (tmp_path / "second.html").exists()


def test_a_report_after_count_all_loops_counts_them_all(window, dialogs, qtbot, tmp_path):
    """Export Report after Loops > Count all loops: the report of a listing that stopped short
    gives every loop's count and ranks the variables by all loops through them, while the
    diagram's loops are still the ones counted."""
    from window_helpers import wait_for_analysis

    from cld_editor.analysis.census import count_loops
    from cld_editor.analysis.loops import Budget
    from cld_editor.core import edits
    from cld_editor.ui.undo import push_op
    from tests.ui.test_loops_view import dense

    diagram = dense(7)  # 1,172 loops
    window.runner.budget = Budget(max_loops=20)
    window.files.load_diagram(diagram, None)
    wait_for_analysis(qtbot, window)
    window.exports.background_from = len(diagram.links) + 1  # written at once
    sets = window.loops_panel.sets
    assert sets.counted(window.document.diagram) is None
    with qtbot.waitSignal(sets.counter.counted, timeout=20000):
        sets.count_button.click()
    census = sets.counted(window.document.diagram)
    assert census is not None and census.total == count_loops(diagram).total
    out = tmp_path / "report.html"
    dialogs.save_name = str(out)
    assert window.exports.report() == [out]
    html = out.read_text(encoding="utf-8")
    assert f"All loops counted: {census.summary_text()}" in html
    assert '<th class="num">All loops</th>' in html
    # An edit changes the loops: the count no longer goes into a report.
    document = window.document
    push_op(window.undo_stack, document, edits.cycle_polarity(document, diagram.links[0].id))
    wait_for_analysis(qtbot, window)
    assert sets.counted(window.document.diagram) is None
    out2 = tmp_path / "after-edit.html"
    dialogs.save_name = str(out2)
    assert window.exports.report() == [out2]
    assert "All loops counted" not in out2.read_text(encoding="utf-8")
