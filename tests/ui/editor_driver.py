"""Runs the real program, ``cld-editor`` (``cld_editor.cli.main`` with no arguments), with a
scripted person at the mouse and keyboard; used by test_kill_and_recover.py in a subprocess.

``python editor_driver.py edit LABEL...``: File > New, then for each LABEL a double-click on the
empty canvas, the label typed and Enter; prints the labels as JSON and leaves the program
running (the test kills it). ``python editor_driver.py restore``: clicks Restore in the recovery
dialog the program offers at start, then prints what the window shows as JSON and exits at once.
``python editor_driver.py crash``: a slot raises an exception; clicks Continue in the dialog
that follows, then prints the dialog's text and whether the window still works, and exits.
"""

from __future__ import annotations

import json
import os
import sys

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


def main_window():
    from cld_editor.ui.window.main_window import MainWindow

    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    return next((w for w in shown if w.isVisible()), None)


def later(action, ms: int = 50) -> None:
    QTimer.singleShot(ms, action)


def edit(labels: list[str]) -> None:
    window = main_window()
    if window is None or not window.view.isVisible():
        later(lambda: edit(labels))
        return
    window.actions.new.trigger()  # File > New (the example is unmodified: nothing to ask)
    port = window.view.viewport()
    centre = port.rect().center()
    for n, label in enumerate(labels):
        at = centre + QPoint(220 * n - 220, 90 * (n % 2))
        QTest.mouseClick(port, LEFT, NONE, at)
        QTest.mouseDClick(port, LEFT, NONE, at)
        QTest.keyClicks(window.view, label)
        QTest.keyClick(window.view, Qt.Key.Key_Return)
    print(json.dumps(sorted(v.label for v in window.document.variables.values())), flush=True)


def restore() -> None:
    from cld_editor.ui.window.recovery_dialog import RecoveryDialog

    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, RecoveryDialog):
        later(restore)
        return
    QTest.mouseClick(dialog.restore_button, LEFT)
    later(report, 200)


def report() -> None:
    window = main_window()
    shown = {
        "title": window.windowTitle(),
        "modified": window.isWindowModified(),
        "labels": sorted(v.label for v in window.document.variables.values()),
    }
    print(json.dumps(shown), flush=True)
    os._exit(0)  # a person would now save; the test has seen what it needed


def crash() -> None:
    if main_window() is None:
        later(crash)
        return

    def broken_slot() -> None:
        raise RuntimeError("boom in a slot")

    QTimer.singleShot(0, broken_slot)
    later(answer_crash_dialog, 100)


def answer_crash_dialog() -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        later(answer_crash_dialog)
        return
    texts = {"title": box.windowTitle(), "text": box.text()}
    buttons = [b.text() for b in box.buttons()]
    [resume] = [b for b in box.buttons() if b.text() == "Continue"]
    QTest.mouseClick(resume, LEFT)
    later(lambda: report_alive(texts, buttons), 100)


def report_alive(texts: dict[str, str], buttons: list[str]) -> None:
    window = main_window()
    window.actions.new.trigger()  # the window still does what it is asked
    shown = {**texts, "buttons": sorted(buttons), "alive": not window.document.variables}
    print(json.dumps(shown), flush=True)
    os._exit(0)


PHASES = {"edit": edit, "restore": restore, "crash": crash}

if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication as App

    app = App(sys.argv[:1])  # the program uses this one (it makes its own only when none exists)
    phase, *words = sys.argv[1:]
    later(lambda: PHASES[phase](words) if words else PHASES[phase]())
    from cld_editor.cli import main

    sys.exit(main([]))
