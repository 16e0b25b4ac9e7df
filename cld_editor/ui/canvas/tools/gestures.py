"""Mouse gestures in progress: drawing a link, bending a link, dragging the waterline.

Each gesture shows live feedback without touching the document, then pushes exactly one Op when
the mouse is released (or nothing, when it is cancelled with Esc or ends nowhere useful).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF

from cld_editor.core import edits
from cld_editor.core.model import DEFAULT_CURVATURE, MAX_CURVATURE
from cld_editor.layout.links import MAX_BEND
from cld_editor.layout.new_link import new_link_bend
from cld_editor.ui.canvas.host import Canvas
from cld_editor.ui.canvas.items import LinkItem, RubberLinkItem, VariableItem
from cld_editor.ui.drawing import bend


def rect_spanning(p: tuple[float, float], q: tuple[float, float]) -> QRectF:
    """The smallest rectangle holding both points (zero wide or high when they share an x or a
    y). Not ``QRectF(p, 0, 0).united(...)``: Qt's ``united`` skips a rectangle of no size, so
    that keeps one point only and drops the other."""
    left, right = min(p[0], q[0]), max(p[0], q[0])
    top, bottom = min(p[1], q[1]), max(p[1], q[1])
    return QRectF(left, top, right - left, bottom - top)


class Gesture:
    """A drag in progress; ``finish`` pushes at most one op, ``cancel`` leaves no trace."""

    def move(self, pos: QPointF) -> None:
        raise NotImplementedError

    def finish(self, pos: QPointF) -> None:
        raise NotImplementedError

    def cancel(self) -> None:
        raise NotImplementedError


class LinkDrawing(Gesture):
    """From a source variable to wherever the mouse is released."""

    def __init__(
        self,
        scene: Canvas,
        source: VariableItem,
        press: QPointF | None = None,
        toggle: bool = False,
    ) -> None:
        self.scene = scene
        self.source = source
        self.press = QPointF(press) if press is not None else None
        self.toggle = toggle
        # A click on the edge must not make a self-link: only a drag that left the source and
        # came back does.
        self.left_source = False
        self._hovered: VariableItem | None = None
        self.rubber = RubberLinkItem()
        scene.addItem(self.rubber)
        # The rubber arrow is the feedback now; while the tool holds the mouse no hover event
        # reaches the source, so its ring would stay on after the link is drawn.
        source.clear_ring()
        scene.status_message.emit(
            "Drag to another variable (or back onto this one for a self-link); Esc cancels"
        )

    def _target_at(self, pos: QPointF) -> VariableItem | None:
        target = self.scene.variable_item_at(pos)
        if target is self.source and not self.left_source:
            return None
        return target

    def move(self, pos: QPointF) -> None:
        if not self.source.in_box(pos) and not self.source.in_border_zone(pos):
            self.left_source = True
        target = self._target_at(pos)
        if target is None:
            self.rubber.show_free(self.source.box(), pos)
            self._hovered = None
            return
        duplicate = (
            self.scene.document.link_between(self.source.variable_id, target.variable_id)
            is not None
        )
        self.rubber.show_to(self.source.box(), target.box(), refused=duplicate)
        if duplicate and self._hovered is not target:
            self.scene.status_message.emit(self._duplicate_message(target.variable_id))
        self._hovered = target

    def finish(self, pos: QPointF) -> None:
        self._remove_rubber()
        target = self._target_at(pos)
        if target is None:
            if self.left_source:
                self.scene.status_message.emit("Link cancelled: release on a variable")
            else:
                self._click()
            return
        source_id, target_id = self.source.variable_id, target.variable_id
        op = edits.add_link(
            self.scene.document, source_id, target_id, self._bend(self.source, target)
        )
        if op is None:
            self.scene.status_message.emit(self._duplicate_message(target_id))
            return
        if self.scene.push(op):
            self.scene.select_ids(edits.added_ids(op, "links"))
            self.scene.say_about_selection(
                f"Link {self._name(source_id)} \u2192 {self._name(target_id)} (+); "
                "press - or ? to change its polarity"
            )

    def _bend(self, source: VariableItem, target: VariableItem) -> float:
        """The new link's bow: the default, unless that takes it over another variable (then
        the nearest bow that does not, apart from a link back)."""
        a, b = source.box(), target.box()
        chord = math.dist((a.cx, a.cy), (b.cx, b.cy))
        reach = MAX_BEND * chord + 2 * max(a.hw, a.hh, b.hw, b.hh, 120.0)
        area = rect_spanning((a.cx, a.cy), (b.cx, b.cy)).adjusted(-reach, -reach, reach, reach)
        positions, sizes = {}, {}
        # The two ends always take part, whatever the query around them finds.
        for item in [*self.scene.items(area), source, target]:
            if isinstance(item, VariableItem):
                box = item.box()
                positions[item.variable_id] = (box.cx, box.cy)
                sizes[item.variable_id] = (2 * box.hw, 2 * box.hh)
        back = self.scene.document.link_between(target.variable_id, source.variable_id)
        return new_link_bend(
            positions,
            sizes,
            source.variable_id,
            target.variable_id,
            DEFAULT_CURVATURE,
            None if back is None else back.curvature,
        )

    def _click(self) -> None:
        """A press and release on the edge without a drag is an ordinary click: it selects the
        link whose arrowhead is there, if any, else the variable (Ctrl toggles)."""
        if self.press is None:
            return
        hit = next(
            (i for i in self.scene.items(self.press) if isinstance(i, LinkItem)), self.source
        )
        if self.toggle:
            hit.setSelected(not hit.isSelected())
        else:
            self.scene.clearSelection()
            hit.setSelected(True)

    def cancel(self) -> None:
        self._remove_rubber()
        self.scene.status_message.emit("Link cancelled")

    def _remove_rubber(self) -> None:
        if self.rubber.scene() is not None:
            self.scene.removeItem(self.rubber)
        self.source.clear_ring()

    def _duplicate_message(self, target_id: str) -> str:
        source = self._name(self.source.variable_id)
        return f"There is already a link from {source} to {self._name(target_id)}"

    def _name(self, variable_id: str) -> str:
        variable = self.scene.document.variables.get(variable_id)
        return f"\u201c{variable.label}\u201d" if variable is not None else variable_id


class BendDrag(Gesture):
    """Drag a selected link's round handle: the arc runs through the handle, and the handle
    stays under the mouse, where it was grabbed (:mod:`cld_editor.ui.drawing.bend`)."""

    def __init__(self, scene: Canvas, item: LinkItem, press: QPointF) -> None:
        self.scene = scene
        self.item = item
        self.original = scene.document.links[item.link_id].curvature
        self.chord = scene.link_chord(item.link_id)
        handle = item.paths.geometry.handle
        self.original_at = bend.arc_parameter(*self.chord, self.original, handle)
        # Grabbed off its centre, the handle keeps that offset from the mouse: no jump.
        self.offset = (handle[0] - press.x(), handle[1] - press.y())

    def _bend(self, pos: QPointF) -> tuple[float, float]:
        """The curvature and the place of the handle along the arc for the mouse at ``pos``."""
        point = (pos.x() + self.offset[0], pos.y() + self.offset[1])
        value = bend.curvature_through(*self.chord, point)
        # Snap to straight near zero: a straight link is a common, deliberate choice.
        if abs(value) < 0.03:
            value = 0.0
        value = round(max(-MAX_CURVATURE, min(MAX_CURVATURE, value)), 4)
        at = bend.arc_parameter(*self.chord, value, point)
        return value, min(max(at, bend.END_ROOM), 1 - bend.END_ROOM)

    def move(self, pos: QPointF) -> None:
        self.scene.preview_curvature(self.item.link_id, *self._bend(pos))

    def finish(self, pos: QPointF) -> None:
        value, at = self._bend(pos)
        self.scene.preview_curvature(self.item.link_id, self.original, at)
        self.scene.push(edits.bend(self.scene.document, self.item.link_id, value))

    def cancel(self) -> None:
        self.scene.preview_curvature(self.item.link_id, self.original, self.original_at)


class WaterlineDrag(Gesture):
    """Drag the iceberg waterline up or down."""

    def __init__(self, scene: Canvas, press_y: float) -> None:
        self.scene = scene
        self.original = scene.document.waterline or 0.0
        self.offset = press_y - self.original

    def move(self, pos: QPointF) -> None:
        self.scene.preview_waterline(pos.y() - self.offset)

    def finish(self, pos: QPointF) -> None:
        self.scene.preview_waterline(self.original)
        self.scene.push(edits.move_waterline(self.scene.document, pos.y() - self.offset))

    def cancel(self) -> None:
        self.scene.preview_waterline(self.original)
