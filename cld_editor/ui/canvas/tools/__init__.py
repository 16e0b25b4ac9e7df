"""Interaction modes of the canvas: small classes that receive every input on the canvas (mouse,
keys, double-click, context menu) and turn gestures into Ops from :mod:`cld_editor.core.edits`.

Gestures (the README's "Drawing" section repeats this):

- Select tool (V or S): click selects, Ctrl-click toggles, drag on empty canvas rubber-bands,
  drag a variable's body moves the selection (one undo step on release). A press within 8 view
  pixels of a link picks it (:mod:`.picking`); a loop label takes the press, the drag and the
  double-click wherever it lies, even over a variable; a click (not a drag) on empty canvas also
  clears the loop highlight. A link is drawn by pressing on a variable's EDGE (hovering shows a
  ring around the variable that turns solid blue and a cross cursor within 6 units of its
  outline; the ring goes once the drag starts) or anywhere on it with Alt held, and dragging to
  another variable; back onto the same variable (after leaving it) makes a self-link; releasing
  on empty canvas cancels. A click on the polarity sign of the link selected alone cycles it
  + -> - -> ?; on the sign of any other link it selects that link (Ctrl toggles it), changing
  nothing. A selected link shows a round handle at its middle: drag it to bend the link. The
  waterline, when shown, is dragged up and down by its line.
- Link tool (L): pressing anywhere on a variable starts a link; everything else as above.
- Double-click on empty canvas (or its context menu's New Variable Here): new variable there,
  label editor open (Enter commits as one undo step, Esc cancels). Double-click on a variable
  (or F2): rename in place.
"""

from cld_editor.ui.canvas.tools.base import LinkTool, SelectTool, Tool
from cld_editor.ui.canvas.tools.gestures import BendDrag, Gesture, LinkDrawing, WaterlineDrag

__all__ = ["BendDrag", "Gesture", "LinkDrawing", "LinkTool", "SelectTool", "Tool", "WaterlineDrag"]
