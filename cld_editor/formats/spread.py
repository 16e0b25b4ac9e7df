"""Drawings from other tools, made for smaller boxes than cld-editor's: spread out about their
middle until no two of our boxes overlap and linked ones leave room for an arrow and its sign,
and straight links both ways between two variables bowed apart. The import builder calls these
for files another tool drew (a file cld-editor wrote keeps its positions)."""

from __future__ import annotations

import math
from typing import Any

from cld_editor.core.model import DEFAULT_CURVATURE

from .conversion import ConversionReport

#: A drawing from another tool is spread out at most this many times to part its boxes.
SPREAD_LIMIT = 3.0
#: Space left between two boxes after spreading, and between two linked ones (an arrow with
#: its sign between them).
SPREAD_GAP = 12.0
LINK_ROOM = 60.0


def _finite(value: float) -> bool:
    return math.isfinite(value)


def spread_crowded(
    variables: dict[str, Any],
    links: dict[tuple[str, str], dict[str, object]],
    markers: list[Any],
    report: ConversionReport,
) -> None:
    """Scale the drawing about its middle by the least factor (at most SPREAD_LIMIT) at
    which no two variables' boxes, as cld-editor draws them, overlap and linked ones leave
    room for the arrow and its sign; loop markers move with it. Boxes still overlapping
    then (drawn on top of each other) are pushed apart."""
    from cld_editor.layout.boxes import estimated_size, overlapping_pairs, rects, separate

    placed = {v.id: v for v in variables.values() if v.x is not None and v.y is not None}
    if len(placed) < 2:
        return
    sizes = {i: estimated_size(v.label) for i, v in placed.items()}
    pos = {i: (float(v.x), float(v.y)) for i, v in placed.items()}  # type: ignore[arg-type]

    def need(a: str, b: str, gap: float) -> float:
        """The factor at which boxes ``a`` and ``b`` are ``gap`` apart (1 when they are)."""
        dx, dy = abs(pos[a][0] - pos[b][0]), abs(pos[a][1] - pos[b][1])
        wide = (sizes[a][0] + sizes[b][0]) / 2 + gap
        tall = (sizes[a][1] + sizes[b][1]) / 2 + gap
        return max(1.0, min(wide / dx if dx else math.inf, tall / dy if dy else math.inf))

    factor = max(
        [need(a, b, SPREAD_GAP) for a, b in overlapping_pairs(rects(pos, sizes), SPREAD_GAP)]
        + [
            need(variables[s].id, variables[t].id, LINK_ROOM)
            for s, t in links
            if s != t and variables[s].id in pos and variables[t].id in pos
        ],
        default=1.0,
    )
    if factor <= 1.0:
        return
    factor = min(factor, SPREAD_LIMIT)
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    pos = {i: (cx + (x - cx) * factor, cy + (y - cy) * factor) for i, (x, y) in pos.items()}
    for marker in markers:
        if _finite(marker.x) and _finite(marker.y):
            marker.x = cx + (marker.x - cx) * factor
            marker.y = cy + (marker.y - cy) * factor
    left = overlapping_pairs(rects(pos, sizes), SPREAD_GAP)
    if left:
        pos = separate(pos, sizes, {i for pair in left for i in pair}, SPREAD_GAP)
    for i, (x, y) in pos.items():
        placed[i].x, placed[i].y = x, y
    report.note(
        "The other tool draws smaller boxes, so variables overlapped or crowded their "
        f"arrows: the drawing was spread out {factor:.1f} times"
        + (" and overlapping variables moved apart" if left else "")
        + " (the shape is unchanged).",
        drawing=True,
    )


def part_straight_pairs(links: dict[tuple[str, str], dict[str, object]]) -> None:
    """Links both ways between two variables, both drawn straight (a flow into a stock and
    the stock's arrow back to the flow), would lie on top of each other: each bows to its
    left instead, as a new link does in the editor."""
    for (source, target), fields in links.items():
        back = links.get((target, source))
        if source != target and back is not None and fields["curvature"] == 0 == back["curvature"]:
            fields["curvature"] = back["curvature"] = DEFAULT_CURVATURE
