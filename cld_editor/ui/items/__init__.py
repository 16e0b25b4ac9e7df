"""Canvas items: one QGraphicsItem class per kind of record, plus the in-place label editor.

Items hold ids and view state and draw through :mod:`cld_editor.ui.render`; they never edit the
document (the scene and the tools turn gestures into Ops). Stacking, back to front: waterline
(-100), links (0; a selected link 5), variables (10), loop labels (20), the rubber link (50) and
the label editor (100).
"""

from .label_editor import LabelEditor
from .link_item import LinkItem, RubberLinkItem
from .loop_label_item import LoopLabelItem
from .variable_item import VariableItem
from .waterline_item import WaterlineItem

__all__ = [
    "LabelEditor",
    "LinkItem",
    "LoopLabelItem",
    "RubberLinkItem",
    "VariableItem",
    "WaterlineItem",
]
