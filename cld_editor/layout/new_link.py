"""The bend of a link drawn by hand, Qt-free: as drawn when it passes over no other variable.

A new link gets the editor's default bow. When that bow would take it over a variable it does
not connect (a hand-drawn link clipping the corner of a box in its way), :func:`new_link_bend`
tries the bends nearest the default, alternately each way, as Arrange does for every link
(:func:`~cld_editor.layout.links.link_curvatures`), and gives the first that clears every box,
keeping apart from the link back when there is one. A bend whose bow would stand out more than
MAX_SAG from the straight line is not tried: on a long link (one across a big model) the bow
that clears every box can be a curve as wide as the diagram, which reads worse than the box it
avoids. When none does, the default stays: the user drew it, and can move things. Only the
variables near the link are looked at, so it costs a millisecond or two in a diagram of any
size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .boxes import Grid, Point, Size, rects
from .links import MAX_BEND, _apart, _candidates, arc_points, blocking

#: The furthest a bow tried here may stand out from the link's straight line (scene units:
#: about six box heights). Links up to MAX_SAG / MAX_BEND long may take any bend.
MAX_SAG = 240.0


def new_link_bend(
    positions: Mapping[str, Point],
    sizes: Mapping[str, Size],
    source: str,
    target: str,
    preferred: float,
    partner: float | None = None,
) -> float:
    """The curvature for a new link ``source`` -> ``target`` (centres in ``positions``, boxes
    of ``sizes``): ``preferred`` when that passes over no other variable, else the nearest bend
    that does (and stays apart from the link back, bent by ``partner``), else ``preferred``."""
    if source == target:
        return preferred
    p0, p1 = positions[source], positions[target]
    chord = math.dist(p0, p1)
    if chord < 1e-9:
        return preferred
    # A bow of MAX_BEND reaches that far times the chord from it: only variables within reach
    # (and a box's half size) can be in the way.
    widest = min(MAX_BEND, MAX_SAG / chord)
    bow = max(widest, min(abs(preferred), MAX_BEND))
    reach = bow * chord + max((max(w, h) for w, h in sizes.values()), default=0.0)
    left, right = min(p0[0], p1[0]) - reach, max(p0[0], p1[0]) + reach
    top, bottom = min(p0[1], p1[1]) - reach, max(p0[1], p1[1]) + reach
    near = {
        k: p
        for k, p in positions.items()
        if left <= p[0] <= right and top <= p[1] <= bottom and k in sizes
    }
    if len(near) <= 2 and (partner is None or _apart(preferred, partner)):
        return preferred
    grid = Grid(rects(near, sizes), cell=120.0)
    ends = (source, target)
    coarse, fine = _candidates(preferred)
    for bend in [preferred, *coarse, *fine]:
        if partner is not None and not _apart(bend, partner):
            continue
        if bend != preferred and abs(bend) > widest:
            continue
        if not blocking(arc_points(p0, p1, bend), grid, ends):
            return bend
    return preferred
