"""Drawings from other tools, made for smaller boxes than cld-editor's: spread out about their
middle until no two of our boxes overlap and linked ones leave room for an arrow and its sign,
and straight links both ways between two variables bowed apart. The import builder calls these
for files another tool drew (a file cld-editor wrote keeps its positions)."""

from __future__ import annotations

import math
from typing import Any

from cld_editor.core.model import DEFAULT_CURVATURE, Diagram

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


def bend_clear(
    variables: dict[str, Any],
    links: dict[tuple[str, str], dict[str, object]],
    report: ConversionReport,
) -> None:
    """Links that, drawn between cld-editor's boxes, pass over a variable they do not connect
    (the other tool drew smaller boxes, or routed the arrow around with bends cld-editor does
    not draw) are bent to the nearest bow that clears every box, where one does; the others
    keep the drawing's bow."""
    from cld_editor.layout.boxes import Grid, estimated_size, rects
    from cld_editor.layout.links import arc_points, blocking
    from cld_editor.layout.new_link import new_link_bend

    placed = {v.id: v for v in variables.values() if v.x is not None and v.y is not None}
    if len(placed) < 3:
        return
    sizes = {i: estimated_size(v.label) for i, v in placed.items()}
    pos = {i: (float(v.x), float(v.y)) for i, v in placed.items()}  # type: ignore[arg-type]
    grid = Grid(rects(pos, sizes), cell=120.0)
    bent: list[str] = []
    for (s, t), fields in links.items():
        a, b = variables[s].id, variables[t].id
        if a == b or a not in pos or b not in pos:
            continue
        bow = float(fields["curvature"])  # type: ignore[arg-type]
        if not blocking(arc_points(pos[a], pos[b], bow), grid, (a, b)):
            continue
        back = links.get((t, s))
        partner = None if back is None else float(back["curvature"])  # type: ignore[arg-type]
        new = new_link_bend(pos, sizes, a, b, bow, partner)
        if new != bow:  # (it gives ``bow`` back when no bend clears every box)
            fields["curvature"] = new
            bent.append(f"{variables[s].label} \u2192 {variables[t].label}")
    if bent:
        which = ", ".join(bent[:3]) + (", ..." if len(bent) > 3 else "")
        report.note(
            (
                "A link that ran over a variable it does not connect was bent around it"
                if len(bent) == 1
                else f"{len(bent):,} links that ran over variables they do not connect were "
                "bent around them"
            )
            + f" ({which}).",
            drawing=True,
        )


def clear_markers(diagram: Diagram, report: ConversionReport) -> Diagram:
    """Loop markers that, drawn at cld-editor's size, sit on a link or a variable (the other
    tool's arrows ran elsewhere, or the drawing was spread) move to the nearest clear spot,
    inside their loop where there is room; clear ones stay where they were drawn."""
    from cld_editor.layout.boxes import estimated_size
    from cld_editor.layout.loop_labels import loop_label_spots

    if not diagram.loop_labels:
        return diagram
    positions = {v.id: (v.x, v.y) for v in diagram.variables}
    sizes = {v.id: estimated_size(v.label) for v in diagram.variables}
    bends = {link.id: link.curvature for link in diagram.links}
    starts = {label.id: (label.x, label.y) for label in diagram.loop_labels}
    spots = loop_label_spots(diagram, positions, sizes, bends, starts=starts)
    moved = 0
    labels = []
    for label in diagram.loop_labels:
        x, y = spots.get(label.id, starts[label.id])
        if math.dist((x, y), starts[label.id]) > 1.0:
            label = label.model_copy(update={"x": round(x, 1) + 0.0, "y": round(y, 1) + 0.0})
            moved += 1
        labels.append(label)
    if not moved:
        return diagram
    report.note(
        (
            "A loop marker that sat on a link or a variable was moved beside it"
            if moved == 1
            else f"{moved:,} loop markers that sat on links or variables were moved beside them"
        )
        + ".",
        drawing=True,
    )
    return diagram.model_copy(update={"loop_labels": labels})
