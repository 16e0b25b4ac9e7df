"""The select tool and the link tool: decide what a left-button press on the canvas starts.

A press either starts a gesture (link drawing, bend, waterline drag), acts at once (a click on
a polarity sign cycles it), or is left to Qt's standard handling (select, Ctrl-click toggle,
move the selection, rubber band), which the scene turns into one Move op on release.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsSceneMouseEvent

from cld_editor.core.ops import set_polarity
from cld_editor.ui.canvas.items import LinkItem
from cld_editor.ui.canvas.tools.gestures import BendDrag, Gesture, LinkDrawing, WaterlineDrag

if TYPE_CHECKING:
    from cld_editor.ui.canvas.scene import DiagramScene

NEXT_POLARITY = {"+": "-", "-": "?", "?": "+"}


class Tool:
    """Base of the canvas tools; the scene forwards mouse events here first."""

    name = ""
    #: Whether a press anywhere on a variable (not just its edge) starts a link.
    link_anywhere = False

    def __init__(self, scene: DiagramScene) -> None:
        self.scene = scene
        self.gesture: Gesture | None = None

    def mouse_press(self, event: QGraphicsSceneMouseEvent) -> bool:
        """True when the tool took the press (Qt's default handling is then skipped)."""
        if event.button() != Qt.MouseButton.LeftButton or self.gesture is not None:
            return self.gesture is not None
        pos = event.scenePos()
        scene = self.scene
        for item in scene.items(pos):
            if isinstance(item, LinkItem) and item.isSelected() and item.hits_handle(pos):
                self.gesture = BendDrag(scene, item)
                return True
        variable = scene.variable_item_at(pos)
        if variable is not None:
            alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
            if self.link_anywhere or alt or variable.in_border_zone(pos):
                ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
                self.gesture = LinkDrawing(scene, variable, pos, toggle=ctrl)
                return True
            return False
        link = scene.link_sign_at(pos)
        if link is not None:
            self.cycle_polarity(link)
            return True
        waterline = scene.waterline_item()
        if waterline is not None and waterline.hits_grip(pos.y()) and not scene.content_at(pos):
            self.gesture = WaterlineDrag(scene, pos.y())
            return True
        return False

    def cycle_polarity(self, link: LinkItem) -> None:
        polarity = NEXT_POLARITY[link.polarity]
        self.scene.push(set_polarity([link.link_id], polarity))
        self.scene.select_ids([link.link_id])

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> bool:
        if self.gesture is None:
            return False
        self.gesture.move(event.scenePos())
        return True

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> bool:
        if self.gesture is None:
            return False
        gesture, self.gesture = self.gesture, None
        gesture.finish(event.scenePos())
        return True

    def cancel(self) -> bool:
        """Esc: abandon the gesture in progress; False when there was none."""
        if self.gesture is None:
            return False
        gesture, self.gesture = self.gesture, None
        gesture.cancel()
        return True


class SelectTool(Tool):
    name = "select"


class LinkTool(Tool):
    name = "link"
    link_anywhere = True
