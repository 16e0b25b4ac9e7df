"""Edit > Cut, Copy and Paste of a main window: the selected variables with the links among
them go on the system clipboard (our MIME type plus plain text, see :mod:`.clipboard`), and a
paste adds them with fresh ids as one undo step, cascading down and right from the originals
and scrolled into view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtGui import QGuiApplication

from cld_editor.ui.window import clipboard

if TYPE_CHECKING:
    from cld_editor.ui.window.main_window import MainWindow


class WindowClipboard:
    """The clipboard commands of one window; ``_paste_round`` counts pastes of our own copy."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._paste_round = 0

    def copy(self) -> bool:
        ids = self.window.scene.selected_variable_ids()
        if not ids:
            self.window.statusBar().showMessage("Select variables to copy", 4000)
            return False
        fragment = clipboard.fragment_of(self.window.document, ids)
        QGuiApplication.clipboard().setMimeData(clipboard.mime_data_for(fragment))
        self._paste_round = 1  # the first paste lands beside the originals
        return True

    def cut(self) -> bool:
        ids = self.window.scene.selected_variable_ids()
        if not self.copy():
            return False
        self._paste_round = 0  # the originals are gone: paste back in place
        return self.window.scene.push(clipboard.cut_op(self.window.document, ids))

    def paste(self) -> list[str]:
        """Paste beside the originals (a cascade), or, from the canvas's context menu, centred
        where it was opened; pasted text starts at the middle of the view or at that point."""
        clicked = self.window.scene.context_point()
        view = self.window.view
        at = clicked if clicked is not None else view.mapToScene(view.viewport().rect().center())
        fragment, ours = clipboard.fragment_from_mime(
            QGuiApplication.clipboard().mimeData(), (at.x(), at.y())
        )
        if fragment is None:
            self.window.statusBar().showMessage("Nothing to paste: copy variables first", 4000)
            return []
        step = clipboard.PASTE_OFFSET * self._paste_round if ours else 0.0
        offset = (step, step)
        try:
            if ours and clicked is not None:
                middle = clipboard.fragment_middle(fragment)
                offset = (clicked.x() - middle[0], clicked.y() - middle[1])
            op, new_ids = clipboard.paste_op(self.window.document, fragment, offset)
        except clipboard.FragmentError as exc:
            self.window.statusBar().showMessage(f"Cannot paste: {exc}", 6000)
            return []
        if not self.window.scene.push(op):
            return []
        if ours:
            self._paste_round += 1
        self.window.scene.select_ids(new_ids)
        self._show_records(new_ids)
        return new_ids

    def _show_records(self, ids: list[str]) -> None:
        """Scroll just enough for these records to be seen (a cascade of pastes walks off)."""
        rect = QRectF()
        for record_id in ids:
            item = self.window.scene.item_for(record_id)
            if item is not None:
                rect = rect.united(item.sceneBoundingRect())
        if not rect.isNull():
            self.window.view.ensureVisible(rect, 40, 40)
