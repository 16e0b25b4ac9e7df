"""CrashGuard: an exception in a Qt slot is logged with its traceback and shown (through an
injected dialog function), the program keeps running, and dialogs never stack."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, qWarning
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

from cld_editor.logging_setup import configure_logging
from cld_editor.ui.window.crash_guard import (
    CONTINUE,
    SAVE,
    CrashGuard,
    CrashReport,
    build_crash_dialog,
    show_crash_dialog,
)

pytestmark = pytest.mark.qt_no_exception_capture


class Emitter(QObject):
    fired = Signal()


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    path = configure_logging(debug=False, folder=tmp_path / "logs")
    assert path is not None
    yield path
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    logging.captureWarnings(False)


class Recorder:
    """Stands in for the dialog: records reports and answers with ``choice``."""

    def __init__(self, choice: str = CONTINUE) -> None:
        self.choice = choice
        self.reports: list[CrashReport] = []
        self.threads: list[bool] = []

    def __call__(self, report: CrashReport, can_save: bool) -> str:
        self.reports.append(report)
        self.threads.append(QThread.currentThread() == QApplication.instance().thread())
        return self.choice


@pytest.fixture
def guard(qapp) -> Iterator[tuple[CrashGuard, Recorder, list[int]]]:
    dialog = Recorder()
    saves: list[int] = []
    guard = CrashGuard(save_work=lambda: saves.append(1), show_dialog=dialog).install()
    yield guard, dialog, saves
    guard.uninstall()


def flush_log() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_exception_in_timer_slot_is_logged_shown_and_survived(qtbot, guard, log_file) -> None:
    _, dialog, _ = guard

    def broken_slot() -> None:
        raise RuntimeError("boom <b>in a timer</b>")

    after: list[str] = []
    QTimer.singleShot(0, broken_slot)
    QTimer.singleShot(20, lambda: after.append("still running"))
    qtbot.waitUntil(lambda: after == ["still running"], timeout=5000)
    [report] = dialog.reports
    assert report.exc_type is RuntimeError
    assert report.summary == "RuntimeError: boom <b>in a timer</b>"
    assert "broken_slot" in report.traceback_text
    assert report.log_file == log_file
    assert dialog.threads == [True]
    flush_log()
    text = log_file.read_text()
    assert "Unexpected error" in text and "Traceback (most recent call last)" in text
    assert "RuntimeError: boom <b>in a timer</b>" in text and "broken_slot" in text


def test_exception_in_signal_slot_keeps_the_emitter_going(qtbot, guard, log_file) -> None:
    _, dialog, saves = guard
    dialog.choice = SAVE
    emitter = Emitter()
    reached: list[int] = []

    def bad() -> None:
        raise ValueError("bad slot")

    emitter.fired.connect(bad)
    emitter.fired.connect(lambda: reached.append(1))
    emitter.fired.emit()
    qtbot.waitUntil(lambda: len(dialog.reports) == 1, timeout=5000)
    assert reached == [1]
    assert saves == [1]  # "Save your work" called the window's callback


def test_dialogs_do_not_stack(qtbot, qapp, log_file) -> None:
    shown: list[CrashReport] = []

    def dialog_that_meets_more_errors(report: CrashReport, can_save: bool) -> str:
        shown.append(report)
        # Like a modal dialog's nested event loop: other slots run and fail meanwhile.
        QTimer.singleShot(0, lambda: 1 / 0)
        QTimer.singleShot(0, lambda: [][1])
        qtbot.wait(50)
        return CONTINUE

    crash_guard = CrashGuard(show_dialog=dialog_that_meets_more_errors).install()
    try:
        QTimer.singleShot(0, lambda: {}["first"])
        qtbot.waitUntil(lambda: crash_guard.handled == 3, timeout=5000)
    finally:
        crash_guard.uninstall()
    assert [r.exc_type for r in shown] == [KeyError]
    assert crash_guard.logged_only == 2
    flush_log()
    text = log_file.read_text()
    assert "ZeroDivisionError" in text and "IndexError" in text


def test_same_failure_repeating_is_quiet_for_a_while(qapp, log_file) -> None:
    now = [100.0]
    dialog = Recorder()
    crash_guard = CrashGuard(show_dialog=dialog, clock=lambda: now[0])

    def fail() -> None:
        raise OSError("paint failed")

    for _ in range(3):
        try:
            fail()
        except OSError:
            crash_guard.handle_exception(*sys.exc_info())  # type: ignore[arg-type]
    assert len(dialog.reports) == 1 and crash_guard.logged_only == 2
    now[0] += 60
    try:
        fail()
    except OSError:
        crash_guard.handle_exception(*sys.exc_info())  # type: ignore[arg-type]
    assert len(dialog.reports) == 2


def test_failing_save_callback_is_logged_not_raised(qapp, caplog) -> None:
    def save_that_fails() -> None:
        raise PermissionError("read-only folder")

    crash_guard = CrashGuard(save_work=save_that_fails, show_dialog=Recorder(SAVE))
    try:
        raise RuntimeError("first")
    except RuntimeError:
        crash_guard.handle_exception(*sys.exc_info())  # type: ignore[arg-type]
    assert "saving after an unexpected error failed" in caplog.text
    assert "read-only folder" in caplog.text


def test_exception_in_worker_thread_is_shown_on_gui_thread(qtbot, guard, log_file) -> None:
    _, dialog, _ = guard

    def work() -> None:
        raise LookupError("worker failed")

    thread = threading.Thread(target=work, name="analysis-worker")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(dialog.reports) == 1, timeout=5000)
    [report] = dialog.reports
    assert report.thread_name == "analysis-worker"
    assert dialog.threads == [True]
    flush_log()
    assert "in thread analysis-worker" in log_file.read_text()


def test_keyboard_interrupt_goes_to_the_default_hook(qapp, monkeypatch) -> None:
    dialog = Recorder()
    crash_guard = CrashGuard(show_dialog=dialog)
    seen: list[type] = []
    monkeypatch.setattr(sys, "__excepthook__", lambda t, v, tb: seen.append(t))
    crash_guard._excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert seen == [KeyboardInterrupt] and dialog.reports == []


def test_install_and_uninstall_restore_the_hooks(qapp) -> None:
    before = (sys.excepthook, threading.excepthook)
    crash_guard = CrashGuard(show_dialog=Recorder()).install()
    assert sys.excepthook == crash_guard._excepthook
    crash_guard.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_qt_warnings_reach_the_log(qapp, caplog) -> None:
    crash_guard = CrashGuard(show_dialog=Recorder()).install()
    try:
        with caplog.at_level(logging.WARNING, logger="qt"):
            qWarning("something odd in Qt")
    finally:
        crash_guard.uninstall()
    assert "something odd in Qt" in caplog.text


def make_report(message: str) -> CrashReport:
    try:
        raise ValueError(message)
    except ValueError as exc:
        return CrashReport(ValueError, exc, "Traceback ...\nValueError: x\n", None, Path("/l.log"))


def test_dialog_shows_labels_as_plain_text(qapp) -> None:
    box = build_crash_dialog(make_report('no variable "<img src=x><b>bold</b>"'), True, None)
    try:
        labels = box.findChildren(QLabel)
        assert labels and all(lab.textFormat() == Qt.TextFormat.PlainText for lab in labels)
        assert "<img src=x><b>bold</b>" in box.text()
        assert "/l.log" in box.informativeText()
        assert "Traceback" in box.detailedText()
        names = sorted(b.text() for b in box.buttons())
        assert "Continue" in names and "Save your work…" in names
    finally:
        box.deleteLater()
    box = build_crash_dialog(make_report("x"), False, None)
    assert "Save your work…" not in [b.text() for b in box.buttons()]
    assert box.defaultButton().text() == "Continue"
    box.deleteLater()


@pytest.mark.parametrize(
    ("button", "expected"), [("Save your work…", SAVE), ("Continue", CONTINUE)]
)
def test_real_dialog_returns_the_choice(qtbot, button: str, expected: str) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        [target] = [b for b in box.findChildren(QPushButton) if b.text() == button]
        target.click()

    QTimer.singleShot(0, click)
    assert show_crash_dialog(make_report("x"), True, None) == expected
