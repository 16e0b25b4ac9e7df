"""Shared helpers for the main-window tests: temporary settings, a window on the example,
dialogs answered without a person, waiting for the loop analysis, a Loops panel on its own
and the Story panel's steps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QRectF, QSettings
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from cld_editor.analysis.loops import find_loops
from cld_editor.core.document import Document
from cld_editor.ui.undo import push_op
from cld_editor.ui.window import file_ops, message_box
from cld_editor.ui.window.main_window import MainWindow
from cld_editor.ui.window.panels.loops_panel import LoopsPanel

Button = QMessageBox.StandardButton


def use_temp_settings(folder: Path) -> None:
    """Point every QSettings of this process at ``folder``, never at the user's config."""
    folder.mkdir(parents=True, exist_ok=True)
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(folder / "system"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)


class Dialogs:
    """Stands in for QMessageBox/QFileDialog: records what was shown, answers as told."""

    def __init__(self) -> None:
        self.answer = Button.Discard
        self.shown: list[tuple[str, str, str]] = []  # (kind, title, text)
        self.open_name = ""
        self.save_name = ""

    def install(self, monkeypatch) -> Dialogs:
        def question(parent, title, text, *args, **kwargs):
            self.shown.append(("question", title, text))
            return self.answer

        def message(kind: str):
            def show(parent, title, text, *args, **kwargs):
                self.shown.append((kind, title, text))
                return Button.Ok

            return staticmethod(show)

        box = QMessageBox
        monkeypatch.setattr(box, "question", staticmethod(question))
        monkeypatch.setattr(box, "warning", message("warning"))
        monkeypatch.setattr(box, "critical", message("critical"))
        # The editor's own plain-text boxes (file names and labels are never read as HTML).
        monkeypatch.setattr(message_box, "ask", question)
        monkeypatch.setattr(message_box, "warn", message("warning").__func__)
        monkeypatch.setattr(message_box, "fail", message("critical").__func__)
        dialog = file_ops.QFileDialog
        monkeypatch.setattr(
            dialog, "getOpenFileName", staticmethod(lambda *a, **k: (self.open_name, ""))
        )
        monkeypatch.setattr(
            dialog, "getSaveFileName", staticmethod(lambda *a, **k: (self.save_name, ""))
        )
        return self

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.shown]


def open_window(qtbot, example: bool = True) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    if example:
        assert window.open_untitled_example()
    window.show()
    qtbot.waitExposed(window)
    wait_for_analysis(qtbot, window)
    return window


def example_window(
    qtbot, monkeypatch, tmp_path: Path, dialogs: Dialogs | None = None
) -> Iterator[MainWindow]:
    """For a fixture: the example diagram's window, its settings kept in ``tmp_path`` and its
    dialogs answered by :class:`Dialogs` (``dialogs``, when the test reads what was asked);
    shut down afterwards."""
    use_temp_settings(tmp_path / "settings")
    (dialogs or Dialogs()).install(monkeypatch)
    window = open_window(qtbot)
    yield window
    window.shutdown()


def wait_for_analysis(qtbot, window: MainWindow, timeout: int = 10000) -> None:
    """Until the Loops panel shows the analysis of the document's current revision."""
    runner = window.runner
    qtbot.waitUntil(
        lambda: not runner.pending and window.loops_panel.analysis is runner.analysis,
        timeout=timeout,
    )


def window_showing(qtbot, monkeypatch, folder: Path, diagram) -> MainWindow:
    """A 1200 x 800 main window (settings in ``folder``, dialogs answered by :class:`Dialogs`)
    showing ``diagram``, its loops found."""
    use_temp_settings(folder)
    Dialogs().install(monkeypatch)
    window = open_window(qtbot, example=False)
    window.resize(1200, 800)
    window.files.load_diagram(diagram, None)
    wait_for_analysis(qtbot, window)
    qtbot.wait(10)
    return window


def visible_rect(view) -> QRectF:
    """The part of the scene the view's viewport shows."""
    return view.mapToScene(view.viewport().rect()).boundingRect()


def step_texts(panel) -> list[str]:
    """The Story panel's step list as shown."""
    return [panel.steps.item(i).text() for i in range(panel.steps.count())]


def loops_panel_on(qtbot, diagram) -> Iterator[tuple[Document, QUndoStack, LoopsPanel]]:
    """For a fixture: a Loops panel on its own over ``diagram`` (its loops found), its edits
    pushed on an undo stack; the commands deleted afterwards, not in a garbage-collector
    cycle."""
    document = Document(diagram)
    stack = QUndoStack()
    panel = LoopsPanel(document, lambda op: push_op(stack, document, op))
    qtbot.addWidget(panel)
    panel.set_analysis(find_loops(document.diagram))
    yield document, stack, panel
    stack.clear()
