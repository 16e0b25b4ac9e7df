"""Automatic layouts and alignment, Qt-free: positions in, positions out.

:func:`arrange` gives new centres for a diagram's variables in one of :data:`STYLES`;
:func:`plan` gives those plus link curvatures, loop-label spots and the iceberg's waterline, and
:func:`layout_op` turns a plan into one undoable Op; :func:`tidy` straightens a hand-made
arrangement instead of replacing it. :mod:`.guides` aligns, distributes and snaps
boxes by hand; :mod:`.metrics` measures a layout (overlaps, links over variables, crossings).
"""

from .boxes import estimated_size
from .guides import Guide, align, distribute, snap
from .links import link_curvatures
from .loop_labels import loop_label_spots
from .plan import (
    ORGANIC_ABOVE,
    STYLE_NAMES,
    STYLES,
    Layout,
    arrange,
    default_style,
    layout_op,
    plan,
)
from .tidy import tidy

__all__ = [
    "ORGANIC_ABOVE",
    "STYLES",
    "STYLE_NAMES",
    "Guide",
    "Layout",
    "align",
    "arrange",
    "default_style",
    "distribute",
    "estimated_size",
    "layout_op",
    "link_curvatures",
    "loop_label_spots",
    "plan",
    "snap",
    "tidy",
]
