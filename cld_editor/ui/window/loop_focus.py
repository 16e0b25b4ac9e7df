"""Loop focus: a window that shows one loop of the diagram on its own, as a round cycle with the
variables that touch it faded around it (:func:`cld_editor.layout.focus.loop_focus`), drawn by the
same picture code as the exports and exportable as PNG, SVG or PDF. The window opens with the
whole loop fitted to it (and keeps it fitted as it is resized, until the user zooms);
Ctrl+wheel, Ctrl++ / Ctrl+- zoom as on the main canvas and Ctrl+0 fits again. The picture is
drawn as vectors at every zoom.

In a model with hundreds of variables a highlighted loop is scattered across the canvas; this
is how one loop gets explained. The window is a snapshot of the loop when it was opened; it
changes nothing in the document. Its Export… dialog starts where every export of the diagram does
(:func:`.dialog_folders.export_folder`) and is remembered as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from cld_editor.analysis.loops import Loop, LoopAnalysis
from cld_editor.core.model import Diagram, stem_of_file_name
from cld_editor.formats.atomic import atomic_write
from cld_editor.layout.focus import loop_focus
from cld_editor.ui.canvas.view import ZOOM_STEP, zoom_by_wheel
from cld_editor.ui.drawing import render
from cld_editor.ui.drawing.export import picture_bytes
from cld_editor.ui.drawing.picture import DiagramPicture, ExportOptions
from cld_editor.ui.window import message_box
from cld_editor.ui.window.dialog_folders import export_folder, remember_export_folder
from cld_editor.ui.window.zoom_status import native_keys, scroll_text

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


#: Zoom limits of the focus view (screen pixels per picture unit) and one Ctrl+wheel step.
MIN_ZOOM, MAX_ZOOM = 0.05, 8.0


class PictureItem(QGraphicsItem):
    """A :class:`DiagramPicture` as one scene item, painted as vectors at any zoom."""

    def __init__(self, picture: DiagramPicture) -> None:
        super().__init__()
        self.picture = picture

    def boundingRect(self) -> QRectF:
        size = self.picture.size
        return QRectF(0, 0, size.width(), size.height())

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.save()
        self.picture.paint(painter)
        painter.restore()


class FocusView(QGraphicsView):
    """The focus picture, fitted until the user zooms (Ctrl+wheel, Ctrl++, Ctrl+-; Ctrl+0
    fits again)."""

    def __init__(self, picture: DiagramPicture, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loop_focus_view")
        self.setScene(QGraphicsScene(self))
        self.item = PictureItem(picture)
        self.scene().addItem(self.item)
        self.setSceneRect(self.item.boundingRect())
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.fitted = True  # follows the window's size until the user zooms

    def zoom_factor(self) -> float:
        return self.transform().m11()

    def fit(self) -> None:
        """The whole loop in the window, no larger than the screen scale."""
        self.fitted = True
        self._scroll_bars(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # all is in sight
        rect = self.item.boundingRect()
        port = self.viewport().rect()
        # A few pixels to spare, so that rounding never brings up the scroll bars.
        scale = min(
            SCREEN_SCALE,
            (port.width() - 8) / max(rect.width(), 1.0),
            (port.height() - 8) / max(rect.height(), 1.0),
        )
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(rect.center())

    def set_zoom(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``factor`` keeping the picture point under ``anchor`` (a viewport point;
        None: the middle) where it is."""
        self.fitted = False
        self._scroll_bars(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        centre = QPointF(self.viewport().rect().center())
        point = anchor if anchor is not None else centre
        before = self.mapToScene(point.toPoint())
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        ratio = factor / self.zoom_factor()
        self.scale(ratio, ratio)
        after = self.mapFromScene(before)
        bars = self.horizontalScrollBar(), self.verticalScrollBar()
        bars[0].setValue(bars[0].value() + round(after.x() - point.x()))
        bars[1].setValue(bars[1].value() + round(after.y() - point.y()))
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not zoom_by_wheel(self, event):
            super().wheelEvent(event)

    def _scroll_bars(self, policy: Qt.ScrollBarPolicy) -> None:
        self.setHorizontalScrollBarPolicy(policy)
        self.setVerticalScrollBarPolicy(policy)

    @staticmethod
    def _zoom_key(event: QKeyEvent) -> int | None:
        """+1 zoom in, -1 zoom out, 0 fit, None: not a zoom key."""
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if event.matches(QKeySequence.StandardKey.ZoomIn) or (
            ctrl and event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal)
        ):
            return 1
        if event.matches(QKeySequence.StandardKey.ZoomOut) or (
            ctrl and event.key() == Qt.Key.Key_Minus
        ):
            return -1
        return 0 if ctrl and event.key() == Qt.Key.Key_0 else None

    def event(self, event: QEvent) -> bool:
        # The zoom keys zoom this picture, not the main canvas whose shortcuts they also are.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._zoom_key(event) is not None
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = self._zoom_key(event)
        if step is None:
            super().keyPressEvent(event)
            return
        if step:
            self.set_zoom(self.zoom_factor() * ZOOM_STEP**step)
        else:
            self.fit()
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitted:
            self.fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.fitted:
            self.fit()


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
        # As large as the picture at screen scale wants, at most 90 % of the screen the editor
        # is on (a laptop's 768 px included) and at least a comfortable 640 x 480; the picture
        # is then fitted to it.
        screen = (
            parent.screen() if parent is not None else None
        ) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else QRect(0, 0, 1200, 900)
        most_wide = min(1200, int(room.width() * 0.9))
        most_high = min(900, int(room.height() * 0.9))
        size = self.picture.size
        self.view = FocusView(self.picture)
        self.view.setToolTip(
            f"{scroll_text()} or {native_keys('Ctrl++')} / {native_keys('Ctrl+-')} zoom, "
            f"{native_keys('Ctrl+0')} fits the loop"
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = buttons.addButton("&Export…", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setToolTip("Save this picture as PNG, SVG or PDF")
        self.export_button.clicked.connect(lambda: self.export())
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(
            max(min(round(size.width() * SCREEN_SCALE) + 40, most_wide), min(640, most_wide)),
            max(min(round(size.height() * SCREEN_SCALE) + 80, most_high), min(480, most_high)),
        )
        self.view.setFocus()

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
