"""Start the editor: ``run(path)`` reads the file, starts Qt, shows the main window.

A file given on the command line is read BEFORE Qt starts, so a bad file ends with one line
``error: FILE: reason`` and exit status 2, as every other command-line error does, instead of a
window with an error dialog. Without a file the window opens on an untitled copy of the
experience-loop example, so a newcomer sees a live diagram with its loops at once.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..core.model import Diagram
from ..formats.native import LoadError, load_diagram
from .file_ops import SETTINGS_APPLICATION, SETTINGS_ORGANISATION

EXIT_USAGE = 2


def run(path: str | None) -> int:
    """Open the editor (on ``path`` when given); returns the process exit status."""
    diagram: Diagram | None = None
    if path is not None:
        try:
            diagram = load_diagram(path)
        except LoadError as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            return EXIT_USAGE

    # Qt is imported only now: the check above needs no display.
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(SETTINGS_ORGANISATION)
    app.setApplicationName(SETTINGS_APPLICATION)
    window = MainWindow()
    if diagram is not None and path is not None:
        window.files.load_diagram(diagram, Path(path))
        window.files.add_recent(Path(path))
    else:
        window.open_untitled_example()
    window.show()
    return app.exec()
