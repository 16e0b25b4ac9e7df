"""The crash guard: an unexpected exception never takes the editor down or vanishes silently.

PySide6 hands an exception escaping a slot or a virtual override (``paintEvent``, ...) to
``sys.excepthook`` and carries on; :class:`CrashGuard` installs that hook (and
``threading.excepthook`` for worker threads) so that the traceback is logged (see
:mod:`cld_editor.logging_setup`) and the user sees a dialog that says what happened, offers
"Save your work" (a callback the window gives) and "Continue", and the program keeps running.
Only one dialog shows at a time: exceptions raised while it is open (its nested event loop keeps
timers running) are logged only, and so is the same failure repeating right after the user chose
to continue, so a broken ``paintEvent`` cannot flood the screen with dialogs. Exceptions from
other threads are logged at once and shown on the GUI thread. Tests inject the dialog function.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QtMsgType, Signal
from PySide6.QtCore import qInstallMessageHandler as install_message_handler
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from cld_editor.logging_setup import current_log_file

log = logging.getLogger(__name__)

SAVE = "save"
CONTINUE = "continue"
#: After "Continue", the same failure within this many seconds is logged but not shown again.
REPEAT_QUIET_SECONDS = 30.0


@dataclass(frozen=True)
class CrashReport:
    """What the dialog shows about one unexpected exception."""

    exc_type: type[BaseException]
    exc_value: BaseException
    traceback_text: str
    thread_name: str | None
    log_file: Path | None
    #: Type and innermost frame: "the same failure again" for the repeat check.
    signature: tuple[str, str, int] = ("", "", 0)

    @property
    def summary(self) -> str:
        message = str(self.exc_value)
        first = message.strip().splitlines()[0] if message.strip() else ""
        if len(first) > 300:
            first = first[:297] + "..."
        return f"{self.exc_type.__name__}: {first}" if first else self.exc_type.__name__


#: show_dialog(report, can_save) -> SAVE or CONTINUE
DialogFunction = Callable[[CrashReport, bool], str]


class CrashGuard(QObject):
    """Installs the hooks; ``save_work`` is called when the user picks "Save your work"."""

    _thread_exception = Signal(object)

    def __init__(
        self,
        save_work: Callable[[], object] | None = None,
        parent_widget: QWidget | None = None,
        show_dialog: DialogFunction | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.save_work = save_work
        self.parent_widget = parent_widget
        self._show_dialog = show_dialog or self._show_message_box
        self._clock = clock
        self._dialog_open = False
        self._quiet: dict[tuple[str, str, int], float] = {}
        self._previous_hooks: tuple[Any, Any] | None = None
        self._previous_message_handler: Any = None
        #: Exceptions handled so far, and those only logged (dialog open or a quick repeat).
        self.handled = 0
        self.logged_only = 0
        self._thread_exception.connect(self._show_report, Qt.ConnectionType.QueuedConnection)

    # -- installing ------------------------------------------------------------------------
    def install(self, route_qt_messages: bool = True) -> CrashGuard:
        if self._previous_hooks is None:
            self._previous_hooks = (sys.excepthook, threading.excepthook)
            sys.excepthook = self._excepthook
            threading.excepthook = self._threading_excepthook
            if route_qt_messages:
                self._previous_message_handler = install_message_handler(_log_qt_message)
        return self

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks
            self._previous_hooks = None
            if self._previous_message_handler is not None:
                install_message_handler(self._previous_message_handler)
            else:
                install_message_handler(None)
            self._previous_message_handler = None

    # -- the hooks -------------------------------------------------------------------------
    def _excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        name = None if _on_gui_thread() else threading.current_thread().name
        self.handle_exception(exc_type, exc, tb, name)

    def _threading_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "a worker thread"
        self.handle_exception(args.exc_type, args.exc_value, args.exc_traceback, name)

    def handle_exception(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        thread_name: str | None = None,
    ) -> None:
        """Log the exception with its traceback, then show it (on the GUI thread)."""
        self.handled += 1
        where = f" in thread {thread_name}" if thread_name else ""
        log.error("Unexpected error%s", where, exc_info=(exc_type, exc, tb))
        report = CrashReport(
            exc_type=exc_type,
            exc_value=exc,
            traceback_text="".join(traceback.format_exception(exc_type, exc, tb)),
            thread_name=thread_name,
            log_file=current_log_file(),
            signature=_signature(exc_type, tb),
        )
        if _on_gui_thread():
            self._show_report(report)
        else:
            # A queued signal delivers it to the GUI thread's event loop.
            self._thread_exception.emit(report)

    def _show_report(self, report: CrashReport) -> None:
        now = self._clock()
        if self._dialog_open or now < self._quiet.get(report.signature, float("-inf")):
            self.logged_only += 1
            return
        self._dialog_open = True
        try:
            try:
                choice = self._show_dialog(report, self.save_work is not None)
            except Exception:
                log.exception("the error dialog itself failed")
                choice = CONTINUE
            if choice == SAVE and self.save_work is not None:
                try:
                    self.save_work()
                except Exception:
                    log.exception("saving after an unexpected error failed")
        finally:
            self._dialog_open = False
            self._quiet[report.signature] = self._clock() + REPEAT_QUIET_SECONDS

    # -- the default dialog ----------------------------------------------------------------
    def _show_message_box(self, report: CrashReport, can_save: bool) -> str:
        if QCoreApplication.instance() is None:
            return CONTINUE
        return show_crash_dialog(report, can_save, self.parent_widget)


def show_crash_dialog(report: CrashReport, can_save: bool, parent: QWidget | None = None) -> str:
    """The modal dialog: what happened, the traceback under "Show Details...", and the
    choices; returns SAVE or CONTINUE."""
    box = build_crash_dialog(report, can_save, parent)
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is not None and clicked.property("crash_choice") == SAVE else CONTINUE


def build_crash_dialog(report: CrashReport, can_save: bool, parent: QWidget | None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("cld-editor: unexpected error")
    where = f" (in {report.thread_name})" if report.thread_name else ""
    box.setText(
        f"Something went wrong inside cld-editor{where}:\n\n{report.summary}\n\n"
        "Your diagram is still open and the editor keeps running."
    )
    advice = "Saving your work now is a good idea." if can_save else ""
    if report.log_file is not None:
        advice += f"\nThe details are in the log file:\n{report.log_file}"
    box.setInformativeText(advice.strip())
    box.setDetailedText(report.traceback_text)
    # Exception messages can quote diagram labels: never let Qt read them as rich text.
    box.setTextFormat(Qt.TextFormat.PlainText)
    for label in box.findChildren(QLabel):
        label.setTextFormat(Qt.TextFormat.PlainText)
    continue_button = box.addButton("Continue", QMessageBox.ButtonRole.RejectRole)
    continue_button.setProperty("crash_choice", CONTINUE)
    box.setEscapeButton(continue_button)
    if can_save:
        save_button = box.addButton("Save your work…", QMessageBox.ButtonRole.AcceptRole)
        save_button.setProperty("crash_choice", SAVE)
        box.setDefaultButton(save_button)
    else:
        box.setDefaultButton(continue_button)
    return box


def install_crash_guard(
    save_work: Callable[[], object] | None = None,
    parent_widget: QWidget | None = None,
    show_dialog: DialogFunction | None = None,
) -> CrashGuard:
    """Create and install a guard; keep the returned object alive (it owns the hooks)."""
    return CrashGuard(save_work, parent_widget, show_dialog).install()


def _on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is None or QThread.currentThread() == app.thread()


def _signature(exc_type: type[BaseException], tb: TracebackType | None) -> tuple[str, str, int]:
    frames = traceback.extract_tb(tb) if tb is not None else []
    if not frames:
        return (exc_type.__name__, "", 0)
    return (exc_type.__name__, frames[-1].filename, frames[-1].lineno or 0)


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _log_qt_message(mode: QtMsgType, context: Any, message: str) -> None:
    """Qt's own warnings ("QThread: Destroyed while thread is still running", ...) go to the
    log file too, where a bug report can quote them."""
    logging.getLogger("qt").log(_QT_LEVELS.get(mode, logging.WARNING), "%s", message)
