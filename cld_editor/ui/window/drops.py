"""Files dropped on a main window open in it: which dropped files count (a diagram or any other
tool's file cld-editor reads, :func:`dropped_diagram`) and :class:`WindowDrops`, which accepts
them on the window and on its canvas (the canvas's view takes drops first, so its viewport is
watched) and opens the file once the drop has returned.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from cld_editor.ui.window.import_export_actions import READABLE_SUFFIXES

if TYPE_CHECKING:
    from cld_editor.ui.window.main_window import MainWindow

DROPPABLE_SUFFIXES = READABLE_SUFFIXES  # .cld.json and every other tool's file we read


def dropped_diagram(mime) -> Path | None:
    """The first local file among dropped URLs that cld-editor reads."""
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(DROPPABLE_SUFFIXES):
            return Path(url.toLocalFile())
    return None


class WindowDrops(QObject):
    """Accepts files dropped on ``window`` or its canvas and opens them there."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.setAcceptDrops(True)
        # The view accepts drops for the canvas; files dropped on it still open here.
        window.view.viewport().installEventFilter(self)

    def drag_entered(self, event: QDragEnterEvent) -> None:
        if dropped_diagram(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropped(self, event: QDropEvent) -> None:
        path = dropped_diagram(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            # After the drop returns: a modal question inside a drop handler upsets some systems.
            window = self.window
            QTimer.singleShot(0, window, lambda: window.files.open_path(path))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        drag_kinds = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)
        if kind in drag_kinds and dropped_diagram(event.mimeData()) is not None:
            if kind == QEvent.Type.Drop:
                self.dropped(event)  # type: ignore[arg-type]
            else:
                event.acceptProposedAction()
            return True
        return False
