"""Loop focus: one loop of a diagram on its own, as a round cycle, with the variables that link
to or from it placed around it, for explaining one loop of a big model (the picture and the view
are drawn by the GUI; this is the Qt-free part: which records, and where).

The focus diagram holds the loop's variables on a circle (running clockwise from the top, in the
loop's order, each given room for its box), every variable one link away from the loop placed
outside the circle next to the members it links to, the links between a member and anything in
the picture, and the loop's own labels in the middle. Links follow the circle or bend around
what is in their way, as after any layout.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from ..core.model import Diagram, canonical_loop
from .boxes import GAP, Point, Size, diagram_sizes, separate
from .links import link_curvatures
from .loop_labels import loop_label_spots
from .loops import circle_positions, radius_for
from .pack import place_near_neighbours

#: Space kept between the loop's circle and the variables around it.
RING_GAP = 60.0


def loop_focus(
    diagram: Diagram, loop: Sequence[str], sizes: Mapping[str, Size] | None = None
) -> Diagram:
    """The focus diagram of ``loop`` (its variables in the order the loop runs)."""
    members = list(loop)
    missing = [v for v in members if v not in {x.id for x in diagram.variables}]
    if not members or missing:
        raise ValueError(f"not a loop of this diagram: {missing[0] if missing else 'empty'}")
    inside = set(members)
    box = diagram_sizes(diagram, sizes)
    touching: list[str] = []
    links = []
    for link in diagram.links:
        if link.source in inside or link.target in inside:
            links.append(link)
            for end in (link.source, link.target):
                if end not in inside and end not in touching:
                    touching.append(end)
    radius = radius_for(members, box) if len(members) > 1 else 0.0
    pos: dict[str, Point] = (
        circle_positions(members, box, (0.0, 0.0), radius, -math.pi / 2, True)
        if len(members) > 1
        else {members[0]: (0.0, 0.0)}
    )
    neighbours: dict[str, list[str]] = {v: [] for v in [*members, *touching]}
    for link in links:
        if link.source != link.target:
            neighbours[link.source].append(link.target)
            neighbours[link.target].append(link.source)
    order = {v.id: i for i, v in enumerate(diagram.variables)}
    outside = sorted(touching, key=order.__getitem__)
    place_near_neighbours(pos, outside, neighbours, box, distance=RING_GAP + 110)
    pos = separate(pos, box, set(outside), GAP)
    keep = inside | set(outside)
    variables = [
        v.model_copy(update={"x": round(pos[v.id][0], 2) + 0.0, "y": round(pos[v.id][1], 2) + 0.0})
        for v in diagram.variables
        if v.id in keep
    ]
    key = canonical_loop(members)
    labels = [b for b in diagram.loop_labels if b.loop_key == key]
    focus = Diagram.model_construct(
        title=diagram.title,
        description="",
        waterline=None,
        variables=variables,
        links=links,
        loop_labels=labels,
    )
    curvatures = link_curvatures(focus, pos, box, [members])
    links = [
        link.model_copy(update={"curvature": curvatures.get(link.id, link.curvature)})
        for link in links
    ]
    focus = focus.model_copy(update={"links": links})
    spots = loop_label_spots(focus, pos, box, curvatures)
    labels = [
        b.model_copy(
            update={"x": round(spots[b.id][0], 2) + 0.0, "y": round(spots[b.id][1], 2) + 0.0}
        )
        for b in labels
    ]
    return Diagram.model_validate(focus.model_copy(update={"loop_labels": labels}).model_dump())
