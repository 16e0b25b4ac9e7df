"""Links kept clear of variables after an edit changes where boxes are (Align, Distribute, Tidy
Up, a rename that makes a box larger): the links touching a changed variable, and the links that
now pass over or close by a variable, are bent again by the same repair the layouts end with
(:mod:`.repair`), restricted to those links and moving no variable.

A re-bent link keeps ``CLEAR_BY`` units from every box it does not connect, not only the
repair's hair-thin margin: the domain badge stands above a box's top edge and other links'
arrowheads land on its edges, so a link grazing a box reads as arriving there ("Investment feeds
Workload"). Where that berth cannot be had, the link is at least bent clear of the box itself.
A re-bent link keeps close to its chord (``MOST_BULGE``) and inside the diagram (``ROOM``): a
long link between far parts of an imported model (Vensim views 8,000 units apart), bent by a
share of its length, would loop out far beyond everything, so where no bend that small clears
the boxes in its way it keeps the bend it had. Qt-free; the window turns the result into one
undo step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..core.model import Diagram
from .boxes import Grid, Point, Size, bounds, diagram_sizes, rects
from .link_checks import BendRoom, links_over
from .repair import repair

#: How far (scene units) a re-bent link keeps from a box it does not connect: the domain badge
#: (6.5 above the top edge) and an arrowhead's length landing on the box.
CLEAR_BY = 12.0
#: The most a re-bent link bows away from its chord (scene units): enough to clear a box or
#: two in its way (a box is about 40 high) even near one of its ends.
MOST_BULGE = 200.0
#: How far a re-bent link may reach beyond the boxes of the diagram (scene units).
ROOM = 40.0


def bend_room(positions: Mapping[str, Point], sizes: Mapping[str, Size]) -> BendRoom:
    """The room a link bent again has in a diagram with boxes at ``positions``."""
    left, top, right, bottom = bounds(rects(positions, sizes).values())
    return BendRoom(MOST_BULGE, (left - ROOM, top - ROOM, right + ROOM, bottom + ROOM))


def _grid(positions: Mapping[str, Point], sizes: Mapping[str, Size], keys: Iterable[str]) -> Grid:
    return Grid(rects({v: positions[v] for v in keys}, sizes), cell=120.0, margin=CLEAR_BY + 2)


def affected_links(
    diagram: Diagram, positions: Mapping[str, Point], sizes: Mapping[str, Size], moved: set[str]
) -> set[str]:
    """The links touching a variable of ``moved``, and those passing over one of them, or
    within ``CLEAR_BY`` of it, as drawn at ``positions``."""
    out = {link.id for link in diagram.links if link.source in moved or link.target in moved}
    bends = {link.id: link.curvature for link in diagram.links}
    others = [link for link in diagram.links if link.id not in out and link.source != link.target]
    out.update(links_over(others, positions, bends, _grid(positions, sizes, moved), CLEAR_BY))
    return out


def crowding_links(
    diagram: Diagram, positions: Mapping[str, Point], sizes: Mapping[str, Size]
) -> set[str]:
    """The links that pass over a variable they do not connect, or within ``CLEAR_BY`` of one."""
    bends = {link.id: link.curvature for link in diagram.links}
    links = [link for link in diagram.links if link.source != link.target]
    return set(links_over(links, positions, bends, _grid(positions, sizes, positions), CLEAR_BY))


def clear_bends(
    diagram: Diagram,
    positions: Mapping[str, Point],
    sizes: Mapping[str, Size],
    links: set[str],
) -> dict[str, float]:
    """New curvatures (only those that change) for ``links`` so that, with the variables at
    ``positions``, each keeps ``CLEAR_BY`` from every box it does not connect, or where no bend
    gives that, at least passes over none; each within the room of :func:`bend_room`."""
    if not links:
        return {}
    padded = {k: (w + 2 * CLEAR_BY, h + 2 * CLEAR_BY) for k, (w, h) in sizes.items()}
    room = bend_room(positions, sizes)
    _, bends = repair(diagram, positions, padded, {}, set(), links=links, room=room)
    drawn = {link.id: link.curvature for link in diagram.links}
    now = drawn | bends
    by_id = {link.id: link for link in diagram.links}
    still = links_over(
        [by_id[k] for k in sorted(links) if by_id[k].source != by_id[k].target],
        positions,
        now,
        _grid(positions, sizes, positions),
    )
    if still:
        _, more = repair(diagram, positions, sizes, bends, set(), links=set(still), room=room)
        bends.update(more)
    return {k: c for k, c in bends.items() if k in links and drawn.get(k) != c}


def bends_after_move(
    diagram: Diagram,
    moved: Mapping[str, Point],
    sizes: Mapping[str, Size] | None = None,
    resized: Iterable[str] = (),
) -> dict[str, float]:
    """New curvatures (only those that change) for the links disturbed by moving variables
    to ``moved``, or by the variables of ``resized`` getting the boxes of ``sizes`` (see the
    module doc); ``sizes`` as drawn, estimated where missing."""
    changed = set(moved) | set(resized)
    if not changed:
        return {}
    box = diagram_sizes(diagram, sizes)
    pos = {v.id: (v.x, v.y) for v in diagram.variables} | dict(moved)
    affected = affected_links(diagram, pos, box, changed)
    if resized:  # a grown box blocks links only where it now reaches over them
        touching = {
            link.id for link in diagram.links if link.source in moved or link.target in moved
        }
        affected = touching | (affected & _over_now(diagram, pos, box, set(resized)))
    return clear_bends(diagram, pos, box, affected)


def _over_now(
    diagram: Diagram, pos: Mapping[str, Point], sizes: Mapping[str, Size], keys: set[str]
) -> set[str]:
    """The links (not touching ``keys``) that pass over or close by a box of ``keys``."""
    bends = {link.id: link.curvature for link in diagram.links}
    others = [
        link
        for link in diagram.links
        if link.source not in keys and link.target not in keys and link.source != link.target
    ]
    return set(links_over(others, pos, bends, _grid(pos, sizes, keys), CLEAR_BY))
