"""Loop focus: a window that shows one loop of the diagram on its own, as a round cycle with the
variables that touch it faded around it (:func:`cld_editor.layout.focus.loop_focus`), drawn by the
same picture code as the exports and exportable as PNG, SVG or PDF.

In a model with hundreds of variables a highlighted loop is scattered across the canvas; this
is how one loop gets explained. The window is a snapshot of the loop when it was opened; it
changes nothing in the document. Its Export… dialog starts where every export of the diagram does
(:func:`.dialog_folders.export_folder`) and is remembered as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cld_editor.analysis.loops import Loop, LoopAnalysis
from cld_editor.core.model import Diagram, stem_of_file_name
from cld_editor.formats.atomic import atomic_write
from cld_editor.layout.focus import loop_focus
from cld_editor.ui.drawing import render
from cld_editor.ui.drawing.export import picture_bytes, picture_image
from cld_editor.ui.drawing.picture import DiagramPicture, ExportOptions
from cld_editor.ui.window import message_box
from cld_editor.ui.window.dialog_folders import export_folder, remember_export_folder

FILTERS = {
    ".png": "PNG image (*.png)",
    ".svg": "SVG image (*.svg)",
    ".pdf": "PDF document (*.pdf)",
}
SCREEN_SCALE = 1.5


def focus_picture(diagram: Diagram, loop: Loop, analysis: LoopAnalysis | None) -> DiagramPicture:
    """The picture of ``loop`` on its own: the loop highlighted, what touches it dimmed."""
    sizes = {}
    for variable in diagram.variables:
        shape = render.variable_shape(variable.label)
        sizes[variable.id] = (shape.width, shape.height)
    focus = loop_focus(diagram, loop.variables, sizes)
    picture = DiagramPicture(focus, analysis, title=True)
    picture.highlighted_loop = loop
    return picture


#: The focus picture is drawn down to this fraction of its size to fit the screen; smaller, it
#: scrolls instead.
MIN_FIT = 0.5


class LoopFocusDialog(QDialog):
    """One loop on its own, with Export… and Close."""

    def __init__(
        self,
        parent: QWidget,
        diagram: Diagram,
        loop: Loop,
        analysis: LoopAnalysis | None,
        document: Callable[[], Path | None] = lambda: None,
    ) -> None:
        """``document()``: the diagram's file now (or the one it will be saved as; None:
        untitled), which decides where Export… starts: asked at each export, so that a Save As
        while the window is open counts."""
        super().__init__(parent)
        self.setObjectName("loop_focus_dialog")
        self.loop = loop
        self.document = document
        self.picture = focus_picture(diagram, loop, analysis)
        self.setWindowTitle(f"Loop {loop.name} — focus")
        # At most 90 % of the screen the editor is on (a laptop's 768 px included), and the
        # picture drawn small enough to be seen whole there (down to half size; beyond that it
        # scrolls).
        screen = (
            parent.screen() if parent is not None else None
        ) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else QRect(0, 0, 1200, 900)
        most_wide = min(1200, int(room.width() * 0.9))
        most_high = min(900, int(room.height() * 0.9))
        size = self.picture.size
        fits = min(
            1.0,
            (most_wide - 40) / max(size.width() * SCREEN_SCALE, 1.0),
            (most_high - 80) / max(size.height() * SCREEN_SCALE, 1.0),
        )
        self.scale = SCREEN_SCALE * max(fits, MIN_FIT)
        self.image = QLabel()
        self.image.setPixmap(QPixmap.fromImage(picture_image(self.picture, self.scale)))
        scroll = QScrollArea()
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = buttons.addButton("&Export…", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setToolTip("Save this picture as PNG, SVG or PDF")
        self.export_button.clicked.connect(lambda: self.export())
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        shown = self.image.pixmap().size()
        self.resize(
            min(shown.width() + 40, most_wide),
            min(shown.height() + 80, most_high),
        )

    def export(self, path: str | None = None) -> Path | None:
        """Write the picture to ``path`` (asked for when None); the format follows the name."""
        if path is None:
            named = self.document()
            stem = f"{stem_of_file_name(named)} {self.loop.name}" if named else self.loop.name
            start = export_folder(named) / f"{stem}.png"
            path, _ = QFileDialog.getSaveFileName(
                self, "Export Loop Focus", str(start), ";;".join(FILTERS.values())
            )
            if not path:
                return None
        target = Path(path)
        suffix = target.suffix.lower()
        if suffix not in FILTERS:
            target, suffix = target.with_name(target.name + ".png"), ".png"
        try:
            atomic_write(target, picture_bytes(self.picture, suffix, ExportOptions()))
        except OSError as exc:
            message_box.warn(self, "Export Loop Focus", f"{target}: {exc.strerror or exc}")
            return None
        remember_export_folder(target.parent, self.document())
        return target
