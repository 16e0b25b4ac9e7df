"""What the Loops style weighs against its own result when it arranges a whole diagram, and the
choice (scores from :mod:`.choose`, measured as drawn). Its own result is first untangled
(:mod:`.untangle`: what hangs off the drawn cycles moves where its links cross fewer others);
then it is weighed against:

- the layouts it makes starting from each of its first few loops (the Loops style keeps the one
  whose straight links cross least; here each is finished, links bent, and the best kept);
- for a small planar diagram, a drawing without crossings: its longest face as an outer ring,
  the rest inside (:func:`.planar.planar_drawing`);
- for a small dense diagram (at least DENSE of all possible links), every variable on one
  circle (:func:`.choose.circle`), taken instead of the Loops result unless it leaves more
  links over variables: nearly everything linked to everything reads best on a circle;
- the drawing it started from, boxes parted and only the links in the way bent again, kept when
  the result would pass over more variables or, as many, cross more links: Arrange never returns
  a layout measurably worse than the drawing it started from. A drawing worse only in its loops'
  shapes is redrawn, which is what Arrange as Loops is for.

Ties keep the Loops result, so the same input gives the same output.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..core.model import Diagram
from . import choose
from .boxes import GAP, Point, Size, separate
from .cycles import adjacency
from .finish import centre_of, finish, moved_to
from .loops import lay_out_loops
from .organic import lay_out_organic
from .pack import components, undirected
from .planar import planar_drawing
from .repair import repair
from .untangle import untangle

#: The drawing it started from is weighed up to CHOOSE_UP_TO variables (on 1,000 variables it
#: would double the time); the other starts and a planar drawing up to STARTS_UP_TO variables
#: with at most SPARSE links per variable (each costs a whole finish); a circle up to
#: CIRCLE_UP_TO variables with at least DENSE of all the links possible between them.
CHOOSE_UP_TO = 300
STARTS_UP_TO = 40
SPARSE = 3.0
#: How many of the Loops style's starts (those whose straight links cross least) are finished.
STARTS = 3
#: How much the force-directed pass may move a planar drawing (1 would start a new layout).
RELAX = 0.05
CIRCLE_UP_TO = 40
DENSE = 0.3

Finished = tuple[dict[str, Point], dict[str, float]]


def _connected(diagram: Diagram, members: list[str]) -> bool:
    neighbours = undirected(members, adjacency(diagram, set(members)))
    return len(components(members, neighbours)) == 1


def loops_candidates(
    diagram: Diagram,
    members: list[str],
    box: Mapping[str, Size],
    loops: Sequence[Sequence[str]],
    centre: Point,
) -> list[dict[str, Point]]:
    """The Loops layouts from each of its starts (the one it keeps first), centred on
    ``centre``, for a connected diagram of at most STARTS_UP_TO variables and SPARSE links per
    variable (none otherwise: the Loops style then lays it out as usual)."""
    small = 3 <= len(members) <= STARTS_UP_TO and len(diagram.links) <= SPARSE * len(members)
    if not small or not _connected(diagram, members):
        return []
    successors = adjacency(diagram, set(members))
    neighbours = undirected(members, successors)
    layouts = lay_out_loops(members, loops, box, neighbours, successors, every=True)
    return [moved_to(pos, box, centre) for pos in layouts[:STARTS]]


def best_of(
    diagram: Diagram,
    made: dict[str, Point],
    bends: dict[str, float],
    box: Mapping[str, Size],
    members: list[str],
    loops: Sequence[Sequence[str]],
    others: Sequence[dict[str, Point]] = (),
) -> Finished:
    """The best of the Loops result (``made`` and ``bends``, finished, then untangled:
    :func:`.untangle.untangle`), its ``others`` (not finished yet) and the alternatives in the
    module doc."""
    made, bends = untangle(diagram, made, bends, box, members, loops)
    start = {v.id: (v.x, v.y) for v in diagram.variables}
    has_start = choose.usable_start(start, box)
    n = len(members)
    dense = (
        3 <= n <= CIRCLE_UP_TO
        and len(diagram.links) >= DENSE * n * (n - 1)
        and _connected(diagram, members)
    )
    small = 3 <= len(members) <= STARTS_UP_TO and _connected(diagram, members)
    if not has_start and not dense and not others and not small:
        return made, bends
    drawn = {link.id: link.curvature for link in diagram.links}
    candidates = list(others)
    if small:
        pairs = [(link.source, link.target) for link in diagram.links]
        flat = planar_drawing(members, pairs, box)
        if flat is not None:
            flat = moved_to(flat, box, centre_of(made, box))
            candidates.append(flat)
            # The same relaxed a little: thin faces fill out (room for loop labels).
            successors = adjacency(diagram, set(members))
            neighbours = undirected(members, successors)
            candidates.append(
                lay_out_organic(members, neighbours, box, 0, initial=flat, heat=RELAX)
            )
    if dense:
        # Nearly everything links to everything: the circle is the drawing, its crossings
        # are the diagram's, unless it would leave links over variables.
        pairs = [(link.source, link.target) for link in diagram.links]
        ring = moved_to(choose.circle(made, members, box, pairs), box, centre_of(made, box))
        pos, curved = finish("loops", diagram, {**start, **ring}, box, members, loops, {}, None)
        over = choose.faults(diagram, pos, box, drawn | curved, loops)[0]
        if over <= choose.faults(diagram, made, box, drawn | bends, loops)[0]:
            made, bends = pos, curved
    best = (choose.score(diagram, made, box, drawn | bends, loops), made, bends)
    for candidate in candidates:
        pos, curved = finish(
            "loops", diagram, {**start, **candidate}, box, members, loops, {}, None
        )
        value = choose.score(diagram, pos, box, drawn | curved, loops)
        if value < best[0]:
            best = (value, pos, curved)
    if has_start:
        chosen = choose.faults(diagram, best[1], box, drawn | best[2], loops)
        # The drawing keeps its places (boxes only parted where they overlap); only links
        # are bent again.
        parted = separate(start, box, set(members), GAP)
        pos, curved = repair(diagram, parted, box, {}, set(), loops)
        kept = choose.faults(diagram, pos, box, drawn | curved, loops)
        if kept[:2] < chosen[:2]:
            return pos, curved
    return best[1], best[2]
