"""Where overlays go, measured on the diagram as it is drawn: a new loop label's centre, and a
renamed one's when its new caption would cover something.

"Show label" must place a label where it hides no variable, link or other label, inside its loop
when there is room (and there, outside the loops that have a label already). This module lays
the diagram out exactly as the canvas and the exports draw it
(:class:`render_diagram.DiagramLayout`: real label-inclusive variable boxes, badges, link arcs
with their arrowheads, polarity signs and delay marks, the other labels with their captions),
turns that into plain boxes and polylines, and asks the Qt-free
:func:`cld_editor.layout.label_place.loop_label_spot` for the spot.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QRectF

from cld_editor.core.model import Diagram, canonical_loop
from cld_editor.layout.label_place import CLEARANCE, Extent, Obstacles, inside, loop_label_spot
from cld_editor.ui.drawing import geometry as geo
from cld_editor.ui.drawing.render_diagram import DiagramLayout
from cld_editor.ui.drawing.render_overlays import LoopLabelLook, link_polyline, loop_label_rect


def _extent(rect: QRectF) -> Extent:
    return (rect.left(), rect.top(), rect.right(), rect.bottom())


#: How far around a loop's members anything can matter to its label: the spiral's reach
#: (:data:`label_place.MAX_TRIES` spots, SPIRAL_STEP apart) plus a wide captioned label.
NEIGHBOURHOOD = 600.0
#: Room for a variable's box around its centre, when deciding what lies near.
BOX_ROOM = 120.0


def loop_label_position(
    diagram: Diagram, members: Sequence[str], name: str | None = None
) -> tuple[float, float]:
    """Where a new label for the loop through ``members`` (in the order it runs), captioned
    ``name``, goes: clear of everything drawn, inside the loop when there is room; a self-loop's
    label starts above its arc. Only the neighbourhood of the loop is laid out, so a label on a
    large diagram is placed about as fast as on a small one."""
    return _place(diagram, members, name, None, None)


def renamed_label_position(
    diagram: Diagram, label_id: str, name: str | None
) -> tuple[float, float] | None:
    """Where the loop label ``label_id``, captioned ``name`` instead of its caption now, goes:
    None when it can stay (at its spot, the new caption covers nothing the old one did not: a
    label the user dragged over something stays there), else the clear spot nearest its spot,
    inside its loop when there is room, found as for a new label."""
    label = next((lab for lab in diagram.loop_labels if lab.id == label_id), None)
    if label is None:
        return None
    variables = {v.id: v for v in diagram.variables}
    present = [m for m in label.loop if m in variables]
    if not present:
        return None
    scene = _Scene(diagram, present, name, label_id)
    at = (label.x, label.y)
    before = scene.obstacles.hits(_moved(_label_extent(label.name), at), CLEARANCE)
    if scene.obstacles.hits(_moved(scene.extent, at), CLEARANCE) <= before:
        return None
    spot = _place(diagram, present, name, label_id, at)
    return None if spot == (round(at[0], 2), round(at[1], 2)) else spot


class _Scene:
    """What a loop label must keep clear of, in the neighbourhood of its loop: the variables,
    links, arrowheads, signs and delay marks as drawn, and the other loop labels (all of them
    but ``skip``)."""

    def __init__(
        self, diagram: Diagram, present: Sequence[str], name: str | None, skip: str | None
    ) -> None:
        self.layout = DiagramLayout.of(_neighbourhood(diagram, present), None)
        self.extent = _label_extent(name)
        lines: list[list[geo.Point]] = []
        for paths in self.layout.links.values():
            g = paths.geometry
            lines.append(link_polyline(g))
            lines.append([*g.arrow, g.arrow[0]])
        boxes = [_extent(r) for r in self.layout.obstacles]
        for label in diagram.loop_labels:
            if label.id != skip:
                boxes.append(_moved(_label_extent(label.name), (label.x, label.y)))
        self.obstacles = Obstacles(boxes, lines)


def _label_extent(name: str | None) -> Extent:
    """A loop label's box around its centre, captioned ``name``."""
    return _extent(loop_label_rect(LoopLabelLook("R1", name or "", "reinforcing", True, False)))


def _moved(extent: Extent, at: geo.Point) -> Extent:
    return (extent[0] + at[0], extent[1] + at[1], extent[2] + at[0], extent[3] + at[1])


def _place(
    diagram: Diagram,
    members: Sequence[str],
    name: str | None,
    skip: str | None,
    start: geo.Point | None,
) -> tuple[float, float]:
    """The spot for a label of the loop through ``members``, captioned ``name``, clear of all
    but the label ``skip``: searched from ``start``, or from the middle of the loop."""
    variables = {v.id: v for v in diagram.variables}
    present = [m for m in members if m in variables]
    if not present:
        return (0.0, 0.0)
    scene = _Scene(diagram, present, name, skip)
    layout, extent, obstacles = scene.layout, scene.extent, scene.obstacles
    if len(present) == 1:
        variable = variables[present[0]]
        box = layout.shapes[variable.id].box(variable.x, variable.y)
        if start is None:
            start = geo.self_loop_label_centre(box, extent[3])
        return loop_label_spot(start, extent, obstacles)
    key = canonical_loop(present)
    others = [
        _outline(diagram, layout, label.loop)
        for label in diagram.loop_labels
        if label.loop_key != key and all(m in variables for m in label.loop)
    ]
    outline = _outline(diagram, layout, present)
    if start is None:
        middle = (
            sum(variables[m].x for m in present) / len(present),
            sum(variables[m].y for m in present) / len(present),
        )
        # The middle of the area the loop encloses reads better than the middle of its
        # variables (a loop closed by one long arc has its variables along one side), when
        # it is inside.
        centre = area_centre(outline)
        start = centre if centre is not None and inside(centre, outline) else middle
    return loop_label_spot(start, extent, obstacles, outline, others)


def area_centre(polygon: Sequence[geo.Point]) -> geo.Point | None:
    """The centre of the area a closed polygon encloses (None when it encloses none)."""
    twice_area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(polygon, [*polygon[1:], polygon[0]], strict=True):
        cross = x0 * y1 - x1 * y0
        twice_area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(twice_area) < 1e-6:
        return None
    return (cx / (3 * twice_area), cy / (3 * twice_area))


def _neighbourhood(diagram: Diagram, members: Sequence[str]) -> Diagram:
    """The variables and links that may be drawn within NEIGHBOURHOOD of the loop's members
    (a link by its ends' box, widened by its bow), with the other ends of those links; no
    labels. Links keep their ids, so the arcs come out as in the whole diagram."""
    variables = {v.id: v for v in diagram.variables}
    xs = [variables[m].x for m in members]
    ys = [variables[m].y for m in members]
    reach = NEIGHBOURHOOD + BOX_ROOM
    left, right = min(xs) - reach, max(xs) + reach
    top, bottom = min(ys) - reach, max(ys) + reach
    keep = {v.id for v in diagram.variables if left <= v.x <= right and top <= v.y <= bottom}
    links = []
    for link in diagram.links:
        s, t = variables[link.source], variables[link.target]
        bow = abs(link.curvature) * math.dist((s.x, s.y), (t.x, t.y)) + BOX_ROOM
        if (
            min(s.x, t.x) - bow <= right
            and max(s.x, t.x) + bow >= left
            and min(s.y, t.y) - bow <= bottom
            and max(s.y, t.y) + bow >= top
        ):
            links.append(link)
    ends = {end for link in links for end in (link.source, link.target)}
    return Diagram(
        variables=[v for v in diagram.variables if v.id in keep or v.id in ends],
        links=links,
    )


def _outline(diagram: Diagram, layout: DiagramLayout, members: Sequence[str]) -> list[geo.Point]:
    """The loop as drawn: its links' lines one after the other (centres where a link is
    missing or lies outside ``layout``)."""
    by_ends = {(link.source, link.target): link.id for link in diagram.links}
    variables = {v.id: v for v in diagram.variables}
    outline: list[geo.Point] = []
    for k, source in enumerate(members):
        target = members[(k + 1) % len(members)]
        link_id = by_ends.get((source, target))
        if link_id is None or link_id not in layout.links:
            outline.append((variables[source].x, variables[source].y))
        else:
            outline.extend(link_polyline(layout.links[link_id].geometry))
    return outline
