"""Canvas items: one QGraphicsItem class per kind of record, plus the in-place label editor.

Items hold ids and view state and draw through :mod:`cld_editor.ui.render`; they never edit the
document (the scene and the tools turn gestures into Ops).
"""

from .label_editor import LabelEditor
from .link_item import LinkItem, RubberLinkItem
from .loop_label_item import LoopLabelItem
from .variable_item import VariableItem
from .waterline_item import WaterlineItem

Z_WATERLINE = -100.0
Z_LINK = 0.0
Z_VARIABLE = 10.0
Z_LOOP_LABEL = 20.0

__all__ = [
    "Z_LINK",
    "Z_LOOP_LABEL",
    "Z_VARIABLE",
    "Z_WATERLINE",
    "LabelEditor",
    "LinkItem",
    "LoopLabelItem",
    "RubberLinkItem",
    "VariableItem",
    "WaterlineItem",
]
