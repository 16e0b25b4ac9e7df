"""Start the editor: ``run(path)`` reads the file, starts Qt, shows the main window, offers the
work a crashed or killed session left behind, and guards the session against crashes.

A file given on the command line is read BEFORE Qt starts, so a bad file ends with one line
``error: FILE: reason`` and exit status 2, as every other command-line error does, instead of a
window with an error dialog. Without a file the window opens on an untitled copy of the
experience-loop example, so a newcomer sees a live diagram with its loops at once.

Every window of the process shares one :class:`~cld_editor.recovery.RecoveryStore`, so its
autosave copies carry this session's id. Once the first window shows, recovery copies left by a
session that did not end cleanly are offered (:func:`offer_recovered_work`): the first restored
copy goes into the first window when that shows nothing of the user's yet, each further one
into a window of its own. The crash guard logs an unexpected exception with its traceback and
offers to save every window with unsaved changes.

Before Qt starts, :func:`~cld_editor.ui.display.display_problem` checks that there is a display
to open the window on: without one Qt would abort with a core dump and a misleading message,
so the editor says what is missing in one line and exits with status 2. While the window is
open, SIGINT (Ctrl+C), SIGTERM (logout, shutdown) and SIGHUP write a recovery copy of every
window with unsaved changes and end the program with status 128 + the signal number (see
:func:`keep_work_and_quit`); the next start offers the copies back.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cld_editor.core.model import Diagram
from cld_editor.formats.conversion import ConversionReport
from cld_editor.formats.native import LoadError
from cld_editor.formats.registry import read_diagram as read_any_diagram
from cld_editor.recovery import RecoveryStore
from cld_editor.ui.display import display_problem
from cld_editor.ui.window.file_ops import SETTINGS_APPLICATION, SETTINGS_ORGANISATION

if TYPE_CHECKING:
    from cld_editor.ui.window.main_window import MainWindow

EXIT_USAGE = 2

log = logging.getLogger(__name__)


def run(path: str | None) -> int:
    """Open the editor (on ``path`` when given); returns the process exit status."""
    diagram: Diagram | None = None
    imported: ConversionReport | None = None  # set when FILE is another tool's file
    if path is not None:
        try:
            diagram, imported = read_any_diagram(path)
        except LoadError as exc:
            where = exc.where(path)
            print(f"error: {where}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    problem = display_problem()
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE

    # Qt is imported only now: the check above needs no display.
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from cld_editor.ui.gc_thread import collect_on_gui_thread
    from cld_editor.ui.signals import QuitOnSignal
    from cld_editor.ui.window.crash_guard import install_crash_guard
    from cld_editor.ui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(SETTINGS_ORGANISATION)
    app.setApplicationName(SETTINGS_APPLICATION)
    store = RecoveryStore()
    window = MainWindow(recovery_store=store)
    if diagram is not None and path is not None and imported.format != "cld":
        window.interop.show_imported(diagram, Path(path), imported)
        window.files.add_recent(Path(path))
    elif diagram is not None and path is not None:
        window.files.load_diagram(diagram, Path(path))
        window.files.add_recent(Path(path))
    else:
        window.open_untitled_example()
    window.show()
    guard = install_crash_guard(save_work=save_every_window, parent_widget=window)
    # Garbage holding Qt objects must never be collected on a worker thread.
    collector = collect_on_gui_thread(app)
    quitter = QuitOnSignal(keep_work_and_quit)
    QTimer.singleShot(0, window, lambda: offer_recovered_work(window, store))
    try:
        return app.exec()
    finally:
        collector.uninstall()
        quitter.uninstall()
        guard.uninstall()
        # Windows still open (the program was told to quit) stop their threads and clear
        # their undo stacks now, while everything the commands refer to is alive.
        for open_window in [window, *_windows]:
            open_window.shutdown()
        _windows.clear()


#: Windows opened for restored copies, kept alive until the program ends (a closed window
#: is only hidden).
_windows: list[MainWindow] = []


def offer_recovered_work(first: MainWindow, store: RecoveryStore) -> list[MainWindow]:
    """Ask about the recovery copies of sessions that did not end cleanly and open the ones
    the user restores, as modified documents; returns the windows that show them."""
    from cld_editor.ui.window.autosave import offer_recovery
    from cld_editor.ui.window.main_window import MainWindow

    shown: list[MainWindow] = []
    for entry in offer_recovery(first, store):
        untouched = first.files.path is None and not first.files.is_modified
        target = first if not shown and untouched else MainWindow(recovery_store=store)
        if target is not first:
            _windows.append(target)
            target.show()
        if target.restore_recovered(store, entry):
            shown.append(target)
        elif target is not first:
            target.close()
    return shown


def keep_work_and_quit(signum: int) -> None:
    """A quit signal: write the recovery copy of every window with unsaved changes now (no
    questions: nobody may be there to answer), then leave the event loop, and any modal
    dialog's, with status 128 + ``signum``. Windows shut down as the program ends; their
    copies stay, to be offered at the next start."""
    from PySide6.QtWidgets import QApplication

    from cld_editor.ui.window.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.files.is_modified:
            autosave = widget.autosave
            if autosave is None or not autosave.write_now():
                log.error("no recovery copy of %s could be written", widget.files.display_name())
    QApplication.exit(128 + signum)


def save_every_window() -> None:
    """The crash dialog's "Save your work": Save (or Save As) in every window with changes."""
    from PySide6.QtWidgets import QApplication

    from cld_editor.ui.window.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.files.is_modified:
            widget.files.save()
