"""Where overlays go, measured on the diagram as it is drawn: a new loop label's centre, a
renamed one's when its new caption would cover something, and an arranged one's when it would
cover a polarity sign or a delay mark.

"Show label" must place a label where it hides no variable, link or other label, inside its loop
when there is room (and there, outside the loops that have a label already). This module lays
the diagram out exactly as the canvas and the exports draw it
(:class:`render_diagram.DiagramLayout`: real label-inclusive variable boxes, badges, link arcs
with their arrowheads, polarity signs and delay marks, the other labels with their captions),
turns that into plain boxes and polylines, and asks the Qt-free
:func:`cld_editor.layout.label_place.loop_label_spot` for the spot.

Arrange places loop labels without Qt (:mod:`cld_editor.layout.loop_labels`): clear of the
variables, the links' lines and the waterline, but it cannot know where the drawing puts the
signs and delay marks (beside the arrowheads, moved clear of neighbouring links by
:mod:`.sign_places`), so a label could sit on a "+". :func:`labels_clear_of_marks` checks an
arrangement's labels against the signs and marks as drawn and moves those that cover one.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF

from cld_editor.core.model import Diagram, canonical_loop
from cld_editor.layout.label_place import (
    CLEARANCE,
    GOLDEN_ANGLE,
    MAX_TRIES,
    SPIRAL_STEP,
    Extent,
    Obstacles,
    inside,
    loop_label_spot,
)
from cld_editor.layout.loop_labels import OUTLINE_MARGIN
from cld_editor.layout.plan import Layout
from cld_editor.ui.drawing import geometry as geo
from cld_editor.ui.drawing.render_diagram import DiagramLayout
from cld_editor.ui.drawing.render_overlays import (
    LOOP_RADIUS,
    LoopLabelLook,
    link_polyline,
    loop_label_rect,
)
from cld_editor.ui.drawing.sign_places import REACH


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


def labels_clear_of_marks(diagram: Diagram, layout: Layout) -> Layout:
    """``layout``, an arrangement of ``diagram``, with each loop label it places that would
    cover a polarity sign or a delay mark once drawn moved to the clear spot nearest where the
    layout put it (inside its loop when there is room, outside the other labelled loops, off
    the waterline, apart from the other labels); the other labels keep their spots. Only the
    part of the diagram around the labels is drawn to find the marks near them."""
    if not layout.labels:
        return layout
    arranged = _arranged(diagram, layout)
    variables = {v.id for v in arranged.variables}
    wanted = [
        label
        for label in diagram.loop_labels
        if label.id in layout.labels and any(m in variables for m in label.loop)
    ]
    if not wanted:
        return layout
    marks = _marks_near(arranged, [layout.labels[label.id] for label in wanted])
    placed = dict(layout.labels)
    for label in wanted:
        at = layout.labels[label.id]
        parts = loop_label_parts(label.name, at)
        grown = [part.adjusted(-MARK_ROOM, -MARK_ROOM, MARK_ROOM, MARK_ROOM) for part in parts]
        if not any(part.intersects(mark) for part in grown for mark in marks):
            continue
        present = [m for m in label.loop if m in variables]
        spot = _place(arranged, present, label.name, label.id, at, arranged=True)
        placed[label.id] = spot
        arranged = arranged.model_copy(
            update={
                "loop_labels": [
                    b.model_copy(update={"x": spot[0], "y": spot[1]}) if b.id == label.id else b
                    for b in arranged.loop_labels
                ]
            }
        )
    return dataclasses.replace(layout, labels=placed)


def _marks_near(diagram: Diagram, spots: Sequence[geo.Point]) -> list[QRectF]:
    """The boxes of the polarity signs and delay marks drawn near ``spots``: the links within
    MARK_REACH of one of them are laid out as the whole diagram lays them out. Only the
    squares around the spots count, not the box around them all: two labels at opposite
    corners of a big diagram would otherwise have the whole of it laid out (14 s for 10,000
    variables, on the GUI thread)."""
    near = _within(diagram, _areas_around(spots, MARK_REACH))
    drawn = DiagramLayout.of(near, None)
    marks = [
        QRectF(x - SIGN_HALF_WIDTH, y - SIGN_HALF_HEIGHT, 2 * SIGN_HALF_WIDTH, 2 * SIGN_HALF_HEIGHT)
        for x, y in (paths.geometry.sign_pos for paths in drawn.links.values())
    ]
    marks += [
        QRectF(x - DELAY_HALF, y - DELAY_HALF, 2 * DELAY_HALF, 2 * DELAY_HALF)
        for x, y in (drawn.links[link.id].geometry.mid for link in near.links if link.delay)
    ]
    return marks


def _areas_around(spots: Sequence[geo.Point], reach: float) -> list[Extent]:
    """Boxes that together hold the squares ``reach`` around each of ``spots``: one box per
    cell, two reaches wide, of a grid the spots are bucketed on (the box round that cell's
    spots, widened by ``reach``), so that spots far apart never make one box spanning the
    space between them, and spots close together share a box."""
    cell = 2 * reach
    buckets: dict[tuple[int, int], list[geo.Point]] = {}
    for x, y in spots:
        buckets.setdefault((math.floor(x / cell), math.floor(y / cell)), []).append((x, y))
    areas: list[Extent] = []
    for bucket in buckets.values():
        xs, ys = [x for x, _ in bucket], [y for _, y in bucket]
        areas.append((min(xs) - reach, min(ys) - reach, max(xs) + reach, max(ys) + reach))
    return areas


#: A polarity sign's box around its centre, and a delay mark's, as drawn (and as
#: :class:`DiagramLayout` counts them among what a caption must not hide).
SIGN_HALF_WIDTH, SIGN_HALF_HEIGHT, DELAY_HALF = 9.0, 10.0, 9.0
#: How far around the arranged labels the diagram is laid out to find the marks they may cover:
#: a sign lies within sign_places.REACH of its target's box (reaching BOX_ROOM from its centre),
#: and the links within REACH of that box decide where; a label's own half-width besides.
MARK_REACH = 2 * (REACH + BOX_ROOM)
#: An arranged label is moved when one of its parts comes this near a sign or a delay mark: only
#: an overlap, as a label just clear of a sign inside its loop reads better than one moved out.
MARK_ROOM = 0.0


def loop_label_parts(name: str | None, at: geo.Point) -> list[QRectF]:
    """What a loop label captioned ``name`` centred at ``at`` covers, as drawn: the square
    round its circle and, with a caption, the strip of the caption under it (the corners of
    their bounding box beside the circle stay empty, and a sign there hides nothing)."""
    square = loop_label_rect(LoopLabelLook("R1", "", "reinforcing", True, False))
    parts = [square]
    if name:
        whole = loop_label_rect(LoopLabelLook("R1", name, "reinforcing", True, False))
        top = LOOP_RADIUS + 2
        parts.append(QRectF(whole.left(), top, whole.width(), whole.bottom() - top))
    return [part.translated(*at) for part in parts]


def _arranged(diagram: Diagram, layout: Layout) -> Diagram:
    """``diagram`` as ``layout`` leaves it: variables moved, links bent, labels placed, the
    waterline moved."""
    update: dict[str, object] = {
        "variables": [
            v.model_copy(update={"x": p[0], "y": p[1]})
            if (p := layout.positions.get(v.id)) is not None
            else v
            for v in diagram.variables
        ],
        "links": [
            link.model_copy(update={"curvature": c})
            if (c := layout.curvatures.get(link.id)) is not None
            else link
            for link in diagram.links
        ],
        "loop_labels": [
            b.model_copy(update={"x": p[0], "y": p[1]})
            if (p := layout.labels.get(b.id)) is not None
            else b
            for b in diagram.loop_labels
        ],
    }
    if layout.waterline is not None:
        update["waterline"] = layout.waterline
    return diagram.model_copy(update=update)


class _Scene:
    """What a loop label must keep clear of, in the neighbourhood of its loop: the variables,
    links, arrowheads, signs and delay marks as drawn, and the other loop labels (all of them
    but ``skip``); with ``water``, the waterline when it is shown."""

    def __init__(
        self,
        diagram: Diagram,
        present: Sequence[str],
        name: str | None,
        skip: str | None,
        water: bool = False,
    ) -> None:
        self.layout = DiagramLayout.of(_neighbourhood(diagram, present), None)
        self.extent = _label_extent(name)
        lines: list[list[geo.Point]] = []
        for paths in self.layout.links.values():
            g = paths.geometry
            lines.append(link_polyline(g))
            lines.append([*g.arrow, g.arrow[0]])
        if water and diagram.waterline is not None:
            span = self.layout.content.adjusted(-NEIGHBOURHOOD, 0, NEIGHBOURHOOD, 0)
            lines.append([(span.left(), diagram.waterline), (span.right(), diagram.waterline)])
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
    *,
    arranged: bool = False,
) -> tuple[float, float]:
    """The spot for a label of the loop through ``members``, captioned ``name``, clear of all
    but the label ``skip``: searched from ``start``, or from the middle of the loop. When
    ``arranged`` (a label Arrange placed), clear of the waterline too, and a spot outside the
    loop lies no nearer another labelled loop than its own, as Arrange's own placing has it."""
    variables = {v.id: v for v in diagram.variables}
    present = [m for m in members if m in variables]
    if not present:
        return (0.0, 0.0)
    scene = _Scene(diagram, present, name, skip, water=arranged)
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
    if arranged:
        return _spot_by_own_loop(start, extent, obstacles, outline, others)
    return loop_label_spot(start, extent, obstacles, outline, others)


def _spot_by_own_loop(
    start: geo.Point,
    extent: Extent,
    obstacles: Obstacles,
    outline: Sequence[geo.Point],
    others: Sequence[Sequence[geo.Point]],
) -> tuple[float, float]:
    """Like :func:`loop_label_spot` (the nearest clear spot on a spiral from ``start``, inside
    ``outline`` when there is room, there inside the fewest of ``others``), but a clear spot
    outside the loop is taken only where it lies no nearer another of ``others`` than its own
    loop (by OUTLINE_MARGIN), else the seeming owner of the label would be that loop; failing
    that, the nearest clear spot; failing that, the spot covering the fewest things."""
    left, top, right, bottom = extent
    shaped = len(outline) >= 3
    own = _pieces(outline)
    theirs = [_pieces(o) for o in others if len(o) >= 3]
    reach = max((math.dist(start, p) for p in outline), default=0.0) if shaped else 0.0
    shared: tuple[int, geo.Point] | None = None  # clear, inside its loop and others
    by_own: geo.Point | None = None  # clear, outside, nearest its own loop
    clear: geo.Point | None = None
    fewest: tuple[int, geo.Point] | None = None
    for k in range(MAX_TRIES):
        radius = SPIRAL_STEP * math.sqrt(k)
        angle = k * GOLDEN_ANGLE
        x, y = start[0] + radius * math.cos(angle), start[1] + radius * math.sin(angle)
        hits = obstacles.hits((x + left, y + top, x + right, y + bottom), CLEARANCE)
        if hits:
            if fewest is None or hits < fewest[0]:
                fewest = (hits, (x, y))
        elif not shaped or inside((x, y), outline):
            around = sum(inside((x, y), other) for other in others if len(other) >= 3)
            if around == 0:
                return (round(x, 2), round(y, 2))
            if shared is None or around < shared[0]:
                shared = (around, (x, y))
        else:
            clear = clear or (x, y)
            if by_own is None:
                mine = _distance((x, y), own)
                if all(mine <= _distance((x, y), other) + OUTLINE_MARGIN for other in theirs):
                    by_own = (x, y)
        if radius > reach and (shared is not None or by_own is not None):
            break  # every spot from here lies outside the loop, farther than one found
    spot = (shared[1] if shared else None) or by_own or clear or (fewest[1] if fewest else start)
    return (round(spot[0], 2), round(spot[1], 2))


def _pieces(outline: Sequence[geo.Point]) -> np.ndarray:
    """The closed outline's segments, n x 4 (x0, y0, x1, y1)."""
    points = np.asarray(outline, dtype=float)
    return np.hstack((points, np.roll(points, -1, axis=0)))


def _distance(point: geo.Point, pieces: np.ndarray) -> float:
    """From ``point`` to the nearest of the segments ``pieces`` (n x 4)."""
    ax, ay, bx, by = pieces.T
    dx, dy = bx - ax, by - ay
    length2 = np.where(dx * dx + dy * dy > 0, dx * dx + dy * dy, 1.0)
    t = np.clip(((point[0] - ax) * dx + (point[1] - ay) * dy) / length2, 0.0, 1.0)
    return float(np.hypot(ax + t * dx - point[0], ay + t * dy - point[1]).min())


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
    return _within(diagram, [(min(xs) - reach, min(ys) - reach, max(xs) + reach, max(ys) + reach)])


def _within(diagram: Diagram, areas: Sequence[Extent]) -> Diagram:
    """The variables whose centres lie in one of the boxes ``areas``, the links that may be
    drawn over one (by their ends' box, widened by their bow) and the other ends of those
    links; no labels. Each box is one pass of array comparisons over the whole diagram."""
    variables, links = diagram.variables, diagram.links
    index = {v.id: k for k, v in enumerate(variables)}
    xs = np.fromiter((v.x for v in variables), float, len(variables))
    ys = np.fromiter((v.y for v in variables), float, len(variables))
    source = np.fromiter((index[link.source] for link in links), np.intp, len(links))
    target = np.fromiter((index[link.target] for link in links), np.intp, len(links))
    bend = np.fromiter((abs(link.curvature) for link in links), float, len(links))
    sx, sy, tx, ty = xs[source], ys[source], xs[target], ys[target]
    bow = bend * np.hypot(tx - sx, ty - sy) + BOX_ROOM
    lefts, rights = np.minimum(sx, tx) - bow, np.maximum(sx, tx) + bow
    tops, bottoms = np.minimum(sy, ty) - bow, np.maximum(sy, ty) + bow
    keep = np.zeros(len(variables), dtype=bool)
    drawn = np.zeros(len(links), dtype=bool)
    for left, top, right, bottom in areas:
        keep |= (xs >= left) & (xs <= right) & (ys >= top) & (ys <= bottom)
        drawn |= (lefts <= right) & (rights >= left) & (tops <= bottom) & (bottoms >= top)
    keep[source[drawn]] = True
    keep[target[drawn]] = True
    return Diagram(
        variables=[variables[k] for k in np.flatnonzero(keep)],
        links=[links[k] for k in np.flatnonzero(drawn)],
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
