"""Edit > Cut, Copy and Paste of a main window: the selected variables with the links among
them go on the system clipboard (our MIME type plus plain text, see :mod:`.clipboard`), and a
paste adds them with fresh ids and free names as one undo step, selected and scrolled into view.

Where a paste of our own copy lands: from the canvas's context menu, centred on the click; by
Ctrl+V (or Edit > Paste) with the mouse pointer over the canvas, moved since the copy or the
last paste (and not left it for the menu bar: Edit > Paste chosen with the mouse cascades),
centred on the pointer; otherwise cascading down and right from the last copy
placed (the originals, then each paste), so repeated Ctrl+V without moving the mouse fans copies
out. A cut pastes back in place first. Pasted text starts at the context menu's click or the
middle of the view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF
from PySide6.QtGui import QCursor, QGuiApplication

from cld_editor.ui.window import clipboard

if TYPE_CHECKING:
    from cld_editor.ui.window.main_window import MainWindow


class PointerWatch(QObject):
    """Whether the mouse pointer is over a widget (the canvas's viewport), from its events."""

    def __init__(self, widget: QObject) -> None:
        super().__init__(widget)
        self.inside = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Enter, QEvent.Type.MouseMove, QEvent.Type.DragMove):
            self.inside = True
        elif kind in (QEvent.Type.Leave, QEvent.Type.DragLeave):
            self.inside = False
        return False


class WindowClipboard:
    """The clipboard commands of one window. ``_cascade`` is the offset of the next cascaded
    paste of our own copy; ``_pointer`` is where the mouse pointer was (global) at the last
    copy, cut or paste, to tell whether it has moved since."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._cascade = (0.0, 0.0)
        self._pointer: QPoint | None = None
        self._watch = PointerWatch(window.view.viewport())

    def copy(self) -> bool:
        ids = self.window.scene.selected_variable_ids()
        if not ids:
            self.window.statusBar().showMessage("Select variables to copy", 4000)
            return False
        fragment = clipboard.fragment_of(self.window.document, ids)
        QGuiApplication.clipboard().setMimeData(clipboard.mime_data_for(fragment))
        step = clipboard.PASTE_OFFSET
        self._cascade = (step, step)  # the first paste lands beside the originals
        self._pointer = QCursor.pos()
        return True

    def cut(self) -> bool:
        ids = self.window.scene.selected_variable_ids()
        if not self.copy():
            return False
        self._cascade = (0.0, 0.0)  # the originals are gone: paste back in place
        return self.window.scene.push(clipboard.cut_op(self.window.document, ids))

    def paste(self) -> list[str]:
        """Paste at the context menu's click, at the mouse pointer or as the next of a cascade
        (see the module docstring); pasted text starts at the click or the middle of the view."""
        clicked = self.window.scene.context_point()
        view = self.window.view
        at = clicked if clicked is not None else view.mapToScene(view.viewport().rect().center())
        fragment, ours = clipboard.fragment_from_mime(
            QGuiApplication.clipboard().mimeData(), (at.x(), at.y())
        )
        if fragment is None:
            self.window.statusBar().showMessage("Nothing to paste: copy variables first", 4000)
            return []
        offset = self._cascade if ours else (0.0, 0.0)
        try:
            centre = clicked if clicked is not None else self._moved_pointer() if ours else None
            if ours and centre is not None:
                middle = clipboard.fragment_middle(fragment)
                offset = (centre.x() - middle[0], centre.y() - middle[1])
            op, new_ids = clipboard.paste_op(self.window.document, fragment, offset)
        except clipboard.FragmentError as exc:
            self.window.statusBar().showMessage(f"Cannot paste: {exc}", 6000)
            return []
        if not self.window.scene.push(op):
            return []
        if ours:
            step = clipboard.PASTE_OFFSET
            self._cascade = (offset[0] + step, offset[1] + step)
        self._pointer = QCursor.pos()
        self.window.scene.select_ids(new_ids)
        self._show_records(new_ids)
        return new_ids

    def _moved_pointer(self) -> QPointF | None:
        """The scene point under the mouse pointer when it is over the canvas and has moved
        since the last copy, cut or paste; else None."""
        pointer = QCursor.pos()
        if pointer == self._pointer or not self._watch.inside:
            return None
        viewport = self.window.view.viewport()
        local = viewport.mapFromGlobal(pointer)
        if not (viewport.isVisible() and viewport.rect().contains(local)):
            return None
        return self.window.view.mapToScene(local)

    def _show_records(self, ids: list[str]) -> None:
        """Scroll just enough for these records to be seen (a cascade of pastes walks off)."""
        rect = QRectF()
        for record_id in ids:
            item = self.window.scene.item_for(record_id)
            if item is not None:
                rect = rect.united(item.sceneBoundingRect())
        if not rect.isNull():
            self.window.view.ensureVisible(rect, 40, 40)
