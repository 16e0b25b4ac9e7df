"""The Organic style on a small diagram: several starts, the one that reads best as drawn kept,
then untangled.

A force-directed layout settles into one of many local minima, and which one depends on where
it starts: on the 11-variable SIR model (shared corpus) seeds 0 to 7 cross 4 to 8 links once
the links are bent clear of the variables. A small diagram is cheap to lay out (a few
milliseconds a start), so the layout of its own seed is weighed against those of the next seeds
and, for a planar diagram, against its drawing without crossings (:func:`.planar.planar_drawing`),
relaxed by the same forces and as it is (relaxing can bring crossings back: energy_tech_cld, 0
as drawn, 2 relaxed). Each is finished as Organic is (overlaps removed, links bent clear of
variables) and weighed as drawn (:func:`.choose.faults`: links over variables, then crossings,
then loop labels that find no room inside their loop). The best few are untangled
(:func:`.untangle.untangle`: variables move where their links cross fewer others, kept only when
the drawing scores better), and the best of those kept, ties to the earliest start. Bigger
diagrams are only untangled, the biggest not at all (see ``SWEEPS``). Same input, same output.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.model import Diagram
from . import choose
from .boxes import Point, Size
from .cancel import checkpoint
from .cycles import adjacency
from .finish import centre_of, finish, moved_to
from .organic import lay_out_organic
from .pack import by_piece, components, undirected
from .planar import planar_drawing
from .untangle import untangle

#: Starts weighed by diagram size: up to the first size, the first count of starts, and so on
#: (each start costs a whole finish and score, a few tens of milliseconds at 60 variables).
STARTS = ((30, 8), (60, 4))
#: How many of the best starts are untangled (untangling takes out more crossings from some
#: starts than from others: SIR, 4 crossings before untangling -> 1, 5 -> 0).
UNTANGLED = 3
#: Untangling sweeps by diagram size, as STARTS; bigger diagrams are not untangled. A sweep
#: costs about 3 ms a variable (GeneratedByAIThenEdited.stmx, 82 variables: 23 crossings ->
#: 12 for 0.2 s), where the whole Organic layout of 100 variables has 0.2 s (its goal).
SWEEPS = ((40, 3), (90, 1))
#: How much the forces may move a planar drawing (1 would start a new layout).
RELAX = 0.05

Finished = tuple[dict[str, Point], dict[str, float]]


def _by_size(table: tuple[tuple[int, int], ...], n: int, beyond: int) -> int:
    return next((count for size, count in table if n <= size), beyond)


def starts_for(n: int) -> int:
    """How many seeds a diagram of ``n`` variables tries (1: only its own)."""
    return _by_size(STARTS, n, 1)


def best_organic(
    diagram: Diagram,
    members: list[str],
    box: Mapping[str, Size],
    seed: int,
    old: Mapping[str, Point],
    made: Finished,
) -> Finished:
    """The finished Organic layout ``made`` (from ``seed``) or a better one (module doc), then
    untangled; positions of every variable and the layout's link bends."""
    count = starts_for(len(members))
    sweeps = _by_size(SWEEPS, len(members), 0)
    if count == 1:
        if not sweeps:
            return made
        return untangle(diagram, *made, box, members, [], "organic", rounds=sweeps)
    successors = adjacency(diagram, set(members))
    neighbours = undirected(members, successors)
    drawn = {link.id: link.curvature for link in diagram.links}
    centre = centre_of({v: made[0][v] for v in members}, box)
    starts: list[dict[str, Point]] = []
    for k in range(1, count):
        laid = by_piece(
            members, neighbours, box, lambda p, s=seed + k: lay_out_organic(p, neighbours, box, s)
        )
        starts.append(moved_to(laid, box, centre))
    if len(components(members, neighbours)) == 1:
        pairs = [(link.source, link.target) for link in diagram.links]
        flat = planar_drawing(members, pairs, box)
        if flat is not None:
            relaxed = lay_out_organic(members, neighbours, box, seed, initial=flat, heat=RELAX)
            starts += [moved_to(relaxed, box, centre), moved_to(flat, box, centre)]
    finished = [(choose.faults(diagram, made[0], box, drawn | made[1], []), 0, *made)]
    for k, start in enumerate(starts, 1):
        checkpoint()
        pos, curved = finish("organic", diagram, {**old, **start}, box, members, [], {}, None)
        finished.append((choose.faults(diagram, pos, box, drawn | curved, []), k, pos, curved))
    finished.sort(key=lambda f: (f[0], f[1]))
    value, k, pos, curved = finished[0]
    best = ((value, k), pos, curved)
    for _, k, pos, curved in finished[: UNTANGLED if sweeps else 0]:
        checkpoint()
        pos, curved = untangle(diagram, pos, curved, box, members, [], "organic", rounds=sweeps)
        value = (choose.faults(diagram, pos, box, drawn | curved, []), k)
        if value < best[0]:
            best = (value, pos, curved)
    return best[1], best[2]
