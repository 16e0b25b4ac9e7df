"""Where each of a model's views goes on cld-editor's one canvas.

Vensim and Stella models often split a diagram over several views (Covid's model has 14), each
with its own coordinates from the top left. They are put on one canvas in their order, in rows
about as wide as the whole is tall times :data:`ASPECT` (a long strip of views reads badly at
any zoom, and exports as a picture 19,000 units wide), each view's drawing moved as a block.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: The space between views.
VIEW_GAP = 150.0
#: Rows of views are filled to about this width : height.
ASPECT = 1.6

Extent = tuple[float, float, float, float]  # left, top, right, bottom


def view_shifts(extents: Sequence[Extent | None]) -> list[tuple[float, float]]:
    """The (dx, dy) that moves each view's drawing to its place (None: an empty view, which
    takes no room). One view stays where it is; several go in rows, in order, each row about
    ``sqrt(area * ASPECT)`` wide, rows one under the other, everything from the first view's
    top left."""
    drawn = [e for e in extents if e is not None]
    if len(drawn) <= 1:
        return [(0.0, 0.0)] * len(extents)
    area = sum(
        (right - left + VIEW_GAP) * (bottom - top + VIEW_GAP) for left, top, right, bottom in drawn
    )
    row_width = math.sqrt(area * ASPECT)
    origin_x, origin_y = drawn[0][0], drawn[0][1]
    x, y, row_height = origin_x, origin_y, 0.0
    shifts: list[tuple[float, float]] = []
    for extent in extents:
        if extent is None:
            shifts.append((0.0, 0.0))
            continue
        left, top, right, bottom = extent
        width, height = right - left, bottom - top
        if x > origin_x and x - origin_x + width > row_width:
            x, y, row_height = origin_x, y + row_height + VIEW_GAP, 0.0
        shifts.append((x - left, y - top))
        x += width + VIEW_GAP
        row_height = max(row_height, height)
    return shifts


def extent_of(points: Sequence[tuple[float, float]]) -> Extent | None:
    """The box around ``points`` (None when there are none)."""
    if not points:
        return None
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)
