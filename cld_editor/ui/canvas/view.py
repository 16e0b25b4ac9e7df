"""DiagramView: the canvas widget around a DiagramScene: zoom, pan, rubber band, tools.

Ctrl+wheel zooms around the cursor (plain wheel scrolls), ``zoom_in``/``zoom_out`` step by 1.25
around the viewport centre, ``fit_diagram`` frames the content, ``actual_size`` returns to 100 %,
``bring_into_view`` shows a region whole (a selected loop) with the least change, readable.
Zooming keeps the scene point under the cursor (or the centre) where it was, even by the
diagram's edge or where the scene was narrower than the window: the scene rect is the content
with a margin and what the view then shows (never what it showed before, so zooming about a
corner and back leaves no empty canvas to scroll over; Fit and Actual Size start again from the
content). The smallest zoom is :data:`MIN_ZOOM`, or the zoom at which a huge diagram fits whole
when that is smaller (Fit shows it all, and Zoom Out then stays); zooming out never zooms in.
``open_diagram`` frames a diagram just opened: whole when its labels can be
read at that zoom (:data:`READABLE_TEXT_PX`), else a part of it (top-left, unless that is
empty) at :data:`READABLE_ZOOM`; ``notice`` (:class:`.notice.CanvasNotice`) can then say so.
Panning: drag with the middle button, or with the left button while Space is held. Left drag on
empty canvas rubber-bands a selection (Ctrl adds to it): variables and loop labels it touches,
links only when it holds them whole or holds both their ends (a link that merely crosses the band
is not taken, as in Vensim). The tool lives in the scene; the view exposes and re-emits it. The
background is white with a very faint dot grid. An empty diagram shows a quiet hint in the middle
of the viewport (how to add a variable and a link): the view paints it over the scene, so it is
never part of an export nor of the document, and it goes as soon as there is a variable.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from cld_editor.ui.canvas.framing import (
    READABLE_TEXT_PX,
    READABLE_ZOOM,
    Opening,
    label_text_px,
    readable_part_centre,
)
from cld_editor.ui.canvas.notice import CanvasNotice
from cld_editor.ui.canvas.projection import SCENE_MARGIN
from cld_editor.ui.canvas.scene import DiagramScene

MIN_ZOOM, MAX_ZOOM = 0.05, 8.0
ZOOM_STEP = 1.25
#: Room around the diagram when it is framed (scene units).
FRAME_MARGIN = 40.0
#: Screen pixels of scene kept beyond each side of the window when zooming (see _make_room).
ZOOM_ROOM = 40.0


def zoom_by_wheel(view: QGraphicsView, event: QWheelEvent) -> bool:
    """Ctrl+wheel zooms ``view`` (a view with ``zoom_factor`` and ``set_zoom``) about the
    cursor, one ZOOM_STEP a notch; True when it did (the event is then taken)."""
    if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        return False
    steps = event.angleDelta().y() / 120
    if steps:
        view.set_zoom(view.zoom_factor() * ZOOM_STEP**steps, event.position())  # type: ignore[attr-defined]
    event.accept()
    return True


GRID = 24.0


class DiagramView(QGraphicsView):
    tool_changed = Signal(str)
    zoom_changed = Signal(float)

    EMPTY_HINT = (
        "Double-click to add a variable  \u00b7  "
        "drag from a variable\u2019s edge (or press L) to draw a link"
    )

    def __init__(self, scene: DiagramScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        # Smart updates: a drag repaints only what moved; measured faster than Minimal here,
        # whose many small rects cost more than they save when long links move.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self._space_held = False
        self._panning_from: QPoint | None = None
        self._links_before_band: set[str] = set()  # kept by a Ctrl rubber band
        #: The last zoom's (viewport anchor, scene point kept there, _spot_state after it).
        self._last_zoom_spot: tuple[QPointF, QPointF, tuple[float, int, int]] | None = None
        #: The diagram's bounds and the (document, revision) they were measured at: a run of
        #: wheel notches measures them once (10,000 variables take 60-90 ms to measure).
        self._content_at: tuple[object, int, QRectF] | None = None
        self.show_grid = True
        self._hint_shown = self.empty_hint_shown()
        #: A note over the bottom of the canvas for a while (a big diagram opened in part).
        self.notice = CanvasNotice(self.viewport())
        scene.tool_changed.connect(self.tool_changed)
        scene.changed.connect(self._check_empty_hint)

    def diagram_scene(self) -> DiagramScene:
        scene = self.scene()
        assert isinstance(scene, DiagramScene)
        return scene

    # -- tools -------------------------------------------------------------------------------
    def set_tool(self, name: str) -> None:
        self.diagram_scene().set_tool(name)

    def tool(self) -> str:
        return self.diagram_scene().tool_name()

    # -- zoom --------------------------------------------------------------------------------
    def zoom_factor(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``factor`` keeping the scene point under viewport point ``anchor`` fixed:
        not below :data:`MIN_ZOOM` (or the fit zoom, when smaller), not above :data:`MAX_ZOOM`,
        and a zoom out never ends up zoomed in (as from below a fit zoom that has since grown)."""
        content = self._content()
        now = self.zoom_factor()
        smallest = min(MIN_ZOOM, self._fit_zoom_of(content))
        largest = MAX_ZOOM
        if factor < now:
            smallest = min(smallest, now)
        elif factor > now:
            largest = max(largest, now)
        factor = max(smallest, min(largest, factor))
        if anchor is None:
            anchor = QPointF(self.viewport().rect().center())
        before = self._scene_at(anchor)
        # Scrolling is by whole pixels: a run of zooms about one spot keeps the spot's exact
        # scene point, so that the half pixels do not add up (to 6 px over 12 wheel notches).
        last = self._last_zoom_spot
        if last is not None and last[0] == anchor and last[2] == self._spot_state():
            before = last[1]
        self._make_room(anchor, before, factor, content)
        scale = factor / self.zoom_factor()
        self.scale(scale, scale)
        self._scroll_to_keep(anchor, before)
        self._last_zoom_spot = (QPointF(anchor), before, self._spot_state())
        self.zoom_changed.emit(self.zoom_factor())

    def _spot_state(self) -> tuple[float, int, int]:
        """Zoom and scroll values: while they are as the last zoom left them, nothing else
        moved the view."""
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        return self.zoom_factor(), h.value(), v.value()

    def _scene_at(self, point: QPointF) -> QPointF:
        """The scene point under viewport ``point``, unrounded."""
        inverse, _invertible = self.viewportTransform().inverted()
        return inverse.map(point)

    def _make_room(
        self, anchor: QPointF, scene_point: QPointF, factor: float, content: QRectF
    ) -> None:
        """Make the scene rect the diagram's ``content`` with its margin and what the view
        shows at ``factor`` with ``scene_point`` under ``anchor``: by the diagram's edge, or
        where the scene was narrower than the window (a big diagram fitted whole by its height),
        the scroll bars would otherwise stop short and the point under the cursor would jump
        away (by 60 px and more). A margin beyond it keeps the scene wider than the window both
        ways: a scroll bar that came and went would move the viewport, and the point with it.
        What earlier zooms showed is not kept: united with it, the scene only grew, and a dozen
        zooms out about a corner left ten thousand pixels of empty canvas to scroll over."""
        port = self.viewport().rect()
        pad = ZOOM_ROOM / factor
        shown = QRectF(
            scene_point.x() - anchor.x() / factor - pad,
            scene_point.y() - anchor.y() / factor - pad,
            port.width() / factor + 2 * pad,
            port.height() / factor + 2 * pad,
        )
        room = self._content_room(content).united(shown)
        scene = self.diagram_scene()
        if scene.sceneRect() != room:
            scene.setSceneRect(room)

    def _content(self, fresh: bool = False) -> QRectF:
        """The bounds of the diagram's records, measured again when the document changed since
        (or when ``fresh``: Fit and Actual Size measure anew)."""
        scene = self.diagram_scene()
        document, revision = scene.document, scene.document.revision
        known = self._content_at
        if fresh or known is None or known[0] is not document or known[1] != revision:
            known = (document, revision, scene.items_bounding_rect())
            self._content_at = known
        return QRectF(known[2])

    @staticmethod
    def _content_room(content: QRectF) -> QRectF:
        """The scene rect around the diagram's ``content`` (as the scene starts with it)."""
        m = SCENE_MARGIN
        return content.adjusted(-m, -m, m, m)

    def _scroll_to_keep(self, anchor: QPointF, scene_point: QPointF) -> None:
        # With scroll bars, translate() alone is clamped; scroll so the point stays put.
        now = self.viewportTransform().map(scene_point)
        dx, dy = now.x() - anchor.x(), now.y() - anchor.y()
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + round(dx))
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + round(dy))

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom_factor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom_factor() / ZOOM_STEP)

    def actual_size(self) -> None:
        """100 %, about the centre; the scene rect goes back to the content with its margin,
        and a centre beyond the content (as after zooming far out about a corner) moves to the
        nearest point of it, not to the edge of the empty margin."""
        scene = self.diagram_scene()
        content = self._content(fresh=True)
        centre = self._scene_at(QPointF(self.viewport().rect().center()))
        self.set_zoom(1.0)
        scene.setSceneRect(self._content_room(content))
        if not content.isNull() and not content.contains(centre):
            x = min(max(centre.x(), content.left()), content.right())
            y = min(max(centre.y(), content.top()), content.bottom())
            self.centerOn(QPointF(x, y))

    def fit_zoom(self) -> float:
        """The zoom at which :meth:`fit_diagram` shows the whole diagram (1.0 when empty); it
        may be below :data:`MIN_ZOOM` for a huge diagram."""
        return self._fit_zoom_of(self._content(fresh=True))

    def _fit_zoom_of(self, content: QRectF) -> float:
        if content.isNull():
            return 1.0
        m = FRAME_MARGIN
        rect = content.adjusted(-m, -m, m, m)
        # fitInView leaves 2 pixels of the viewport free on each side.
        port = self.viewport().rect().adjusted(2, 2, -2, -2)
        if port.width() <= 0 or port.height() <= 0:
            return 1.0
        fits = min(port.width() / rect.width(), port.height() / rect.height())
        return min(fits, 1.0)

    def fit_diagram(self) -> None:
        """Show the whole diagram (never beyond 100 %); the scene rect goes back to the content
        with its margin."""
        content = self._content(fresh=True)
        if content.isNull():
            self.actual_size()
            return
        self.diagram_scene().setSceneRect(self._content_room(content))
        m = FRAME_MARGIN
        rect = content.adjusted(-m, -m, m, m)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        # Never blow a small diagram up beyond 100 %: it would look like a toy.
        if self.zoom_factor() > 1.0:
            self.set_zoom(1.0)
            self.centerOn(rect.center())
        self.zoom_changed.emit(self.zoom_factor())

    def open_diagram(self) -> Opening:
        """Frame a diagram just opened: the whole of it when its labels are readable at the
        zoom that fits it (:data:`READABLE_TEXT_PX`); else its top-left part at
        :data:`READABLE_ZOOM` (:func:`.framing.readable_part_centre`: its top-left corner, where
        diagrams begin, unless that is empty), so that labels can be read at once and the
        scroll bars say how much more there is."""
        fit = self.fit_zoom()
        if label_text_px(fit) >= READABLE_TEXT_PX * (1 - 1e-9):
            self.fit_diagram()
            return Opening(self.zoom_factor(), fit)
        self.set_zoom(READABLE_ZOOM)
        scene = self.diagram_scene()
        boxes = [scene.records_rect([v]) for v in scene.document.variables]
        port = self.viewport().rect()
        shown = (port.width() / READABLE_ZOOM, port.height() / READABLE_ZOOM)
        self.centerOn(readable_part_centre(boxes, *shown, FRAME_MARGIN))
        return Opening(self.zoom_factor(), fit)

    def center_on_variable(self, variable_id: str, readable: bool = False) -> None:
        """Centre the view on a variable; ``readable`` (Find) first zooms in to
        :data:`READABLE_ZOOM` when the view is zoomed out below it (a big diagram fitted whole),
        or the variable found would be a speck among hundreds."""
        if readable and self.zoom_factor() < READABLE_ZOOM:
            self.set_zoom(READABLE_ZOOM)
        self.centerOn(self.diagram_scene().variable_scene_pos(variable_id))

    def bring_into_view(self, rect: QRectF, margin: float = 40.0) -> bool:
        """Show scene ``rect`` whole with the least change: nothing moves when it already is
        in sight at a readable zoom; else centre on it, zooming out only as far as it needs to
        fit. Zoomed out below :data:`READABLE_ZOOM` (a big diagram fitted whole), it zooms in as
        far as the rect still fits, up to that zoom: a loop picked there would otherwise stay a
        speck. True when the view moved."""
        if rect.isNull():
            return False
        framed = rect.adjusted(-margin, -margin, margin, margin)
        port = self.viewport().rect()
        fits = min(
            port.width() / max(framed.width(), 1.0), port.height() / max(framed.height(), 1.0)
        )
        zoom = self.zoom_factor()
        readable = min(fits, READABLE_ZOOM)
        visible = self.mapToScene(port).boundingRect()
        readable_now = zoom >= readable or math.isclose(zoom, readable, rel_tol=1e-6)
        if visible.contains(rect) and readable_now:
            return False
        if fits < zoom:
            self.set_zoom(fits)
        elif zoom < readable:
            self.set_zoom(readable)
        self.centerOn(rect.center())
        return True

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not zoom_by_wheel(self, event):
            super().wheelEvent(event)

    # -- panning -----------------------------------------------------------------------------
    def _editing_text(self) -> bool:
        return self.diagram_scene().label_editor() is not None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not self._editing_text():
            if not event.isAutoRepeat():
                self._space_held = True
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and self._space_held:
            if not event.isAutoRepeat():
                self._space_held = False
                if self._panning_from is None:
                    self.viewport().unsetCursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        middle = event.button() == Qt.MouseButton.MiddleButton
        if middle or (event.button() == Qt.MouseButton.LeftButton and self._space_held):
            self._panning_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        extend = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        scene = self.diagram_scene()
        self._links_before_band = set(scene.selected_link_ids()) if extend else set()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._panning_from is not None:
            now = event.position().toPoint()
            delta = now - self._panning_from
            self._panning_from = now
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)
        band = self.rubberBandRect()
        if not band.isNull():
            # Qt has just selected what the band touches; links are held to a stricter rule.
            area = self.mapToScene(band).boundingRect()
            self.diagram_scene().restrict_band_links(area, self._links_before_band)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._panning_from is not None and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._panning_from = None
            if self._space_held:
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            else:
                self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)
        # The scene has seen the release whether or not an item grabbed the press.
        event.accept()

    # -- empty-state hint --------------------------------------------------------------------
    def empty_hint_shown(self) -> bool:
        """Whether the canvas shows the "Double-click to add a variable" hint: no variables,
        and no label being typed (the first variable's editor may open right on the hint)."""
        scene = self.diagram_scene()
        return not scene.document.variables and scene.label_editor() is None

    def _check_empty_hint(self) -> None:
        shown = self.empty_hint_shown()
        if shown != self._hint_shown:
            self._hint_shown = shown
            self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if self._hint_shown or self.notice.text():
            # The hint stays put in the viewport: a scrolled copy of it must not remain.
            self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        if self.notice.text():
            painter.save()
            painter.resetTransform()
            self.notice.paint(painter)
            painter.restore()
        if not self.empty_hint_shown():
            return
        painter.save()
        painter.resetTransform()
        font = QFont(self.font())
        font.setPixelSize(14)
        painter.setFont(font)
        painter.setPen(QColor("#7d8793"))
        area = QRectF(self.viewport().rect()).adjusted(24, 0, -24, 0)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(area, int(flags), self.EMPTY_HINT)
        painter.restore()

    # -- background --------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, QColor("#ffffff"))
        if not self.show_grid or self.zoom_factor() < 0.5:
            return
        # A very faint dot grid: orientation without the noise of lines.
        painter.setPen(QPen(QColor(0, 0, 0, 28), 1.6 / self.zoom_factor()))
        left = int(rect.left() // GRID)
        top = int(rect.top() // GRID)
        right = int(rect.right() // GRID) + 1
        bottom = int(rect.bottom() // GRID) + 1
        if (right - left) * (bottom - top) > 20_000:
            return
        points = [
            QPointF(x * GRID, y * GRID) for x in range(left, right) for y in range(top, bottom)
        ]
        painter.drawPoints(points)
