"""The steps every layout style ends with, in one place: boxes parted (``boxes.GAP`` between any
two), links bent clear of the variables they do not connect (:mod:`.clearing`), then the final
repair of any link that, as drawn, still passes over one (:mod:`.repair`); and moving a laid-out
piece so that its boxes are centred on a point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..core.model import Diagram
from .boxes import GAP, Point, Size, bounds, rects, separate
from .clearing import ROUNDS, clear_links
from .metrics import crossings
from .repair import budget_for, repair

#: How far a link running backwards (right to left) in the Layered style bows below the levels
#: when it does not take the smallest clear bow.
BACK_BOW = 0.3
#: Layered layouts of up to this many variables try both ways of bowing links back (and keep
#: the one crossing fewer links); bigger ones take the smallest clear bows.
BOTH_BOWS_UP_TO = 90


def centre_of(pos: Mapping[str, Point], sizes: Mapping[str, Size]) -> Point:
    """The middle of the box around the boxes at ``pos``."""
    left, top, right, bottom = bounds(rects(pos, sizes).values())
    return ((left + right) / 2, (top + bottom) / 2)


def moved_to(pos: Mapping[str, Point], sizes: Mapping[str, Size], to: Point) -> dict[str, Point]:
    """``pos`` shifted so that :func:`centre_of` is ``to``."""
    cx, cy = centre_of(pos, sizes)
    dx, dy = to[0] - cx, to[1] - cy
    return {v: (x + dx, y + dy) for v, (x, y) in pos.items()}


def finish(
    style: str,
    diagram: Diagram,
    everything: dict[str, Point],
    box: Mapping[str, Size],
    members: Sequence[str],
    loops: Sequence[Sequence[str]],
    limits: Mapping[str, tuple[float, float]],
    scope: set[str] | None,
    bends: Mapping[str, float] | None = None,
) -> tuple[dict[str, Point], dict[str, float]]:
    """Positions (of every variable) and link bends of a style's result ``everything``: only
    ``members`` move, only links touching ``scope`` (None: all) are bent. ``bends``: the
    style's own link bends (the ring's), which the repair starts from instead of the link
    bending."""
    movable = set(members)
    everything = separate(everything, box, movable, GAP, limits=limits)
    everything.update(
        {v: (round(everything[v][0], 2) + 0.0, round(everything[v][1], 2) + 0.0) for v in members}
    )
    if bends is not None:
        return repair(diagram, everything, box, bends, movable, loops, limits, only=scope)
    if style != "layered" or len(movable) > BOTH_BOWS_UP_TO:
        return _bent(style, diagram, everything, box, movable, loops, limits, scope, True)
    # Layered: links back with the smallest bows that clear the levels, or with bows from
    # BACK_BOW outwards, whichever crosses fewer links (ties: the smallest bows).
    tight = _bent(style, diagram, everything, box, movable, loops, limits, scope, True)
    wide = _bent(style, diagram, everything, box, movable, loops, limits, scope, False)
    flat = {link.id: link.curvature for link in diagram.links}
    counts = [crossings(diagram, pos, box, flat | bends) for pos, bends in (tight, wide)]
    return wide if counts[1] < counts[0] else tight


def _bent(
    style: str,
    diagram: Diagram,
    everything: dict[str, Point],
    box: Mapping[str, Size],
    movable: set[str],
    loops: Sequence[Sequence[str]],
    limits: Mapping[str, tuple[float, float]],
    scope: set[str] | None,
    tight_back: bool,
) -> tuple[dict[str, Point], dict[str, float]]:
    """The link bending and the repair after it (``tight_back``: see ``link_curvatures``)."""
    everything, curvatures = clear_links(
        diagram,
        everything,
        box,
        movable,
        loops,
        limits,
        only=scope,
        back_bow=BACK_BOW if style == "layered" else 0.0,
        rounds=0 if style == "organic" else ROUNDS,  # the repair below serves Organic
        tight_back=tight_back,
    )
    budget = budget_for(style, len(movable))
    return repair(
        diagram, everything, box, curvatures, movable, loops, limits, only=scope, budget=budget
    )
