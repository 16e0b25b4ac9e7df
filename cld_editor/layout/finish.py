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
from .repair import repair

#: How far a link running backwards (right to left) in the Layered style bows below the levels.
BACK_BOW = 0.3


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
    )
    return repair(diagram, everything, box, curvatures, movable, loops, limits, only=scope)
