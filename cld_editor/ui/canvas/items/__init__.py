"""Canvas items: one QGraphicsItem class per kind of record, plus the in-place label editor.

Items hold ids and view state and draw through :mod:`cld_editor.ui.drawing.render`; they never
edit the document (the tools turn gestures into Ops) and never import the scene (they see it as
an :class:`~cld_editor.ui.canvas.items.host.ItemHost`). Stacking, back to front: waterline
(-100), links (0; a selected link 5), variables (10), loop labels (20), the rubber link (50) and
the label editor (100).
"""

from cld_editor.ui.canvas.items.label_editor import LabelEditor
from cld_editor.ui.canvas.items.link_item import LinkItem, RubberLinkItem
from cld_editor.ui.canvas.items.loop_label_item import LoopLabelItem
from cld_editor.ui.canvas.items.variable_item import VariableItem
from cld_editor.ui.canvas.items.waterline_item import WaterlineItem

__all__ = [
    "LabelEditor",
    "LinkItem",
    "LoopLabelItem",
    "RubberLinkItem",
    "VariableItem",
    "WaterlineItem",
]
